"""Open zip-based files (.docx, .odt, .qdpx) defensively.

Members are read into memory only after checking their count, sizes and compression
ratio, and names that would leave a target folder are refused. Nothing is extracted to disk.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from kwali.errors import InputError

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # zip bombs compress far better than any real document


def is_safe_member_name(name: str) -> bool:
    """False for absolute paths, drive letters and ``..`` parts."""
    path = PurePosixPath(name.replace("\\", "/"))
    return not (path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]))


def open_zip(path: Path, what: str) -> zipfile.ZipFile:
    """Open ``path`` as a zip and check it is safe to read; ``what`` names the format."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(
            f"is not a valid {what} file (damaged or not a zip archive)", path=path
        ) from exc
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"has too many parts ({len(infos)}) for a {what} file", path=path)
    total = 0
    for info in infos:
        if not is_safe_member_name(info.filename):
            raise InputError(f"contains an unsafe member name {info.filename!r}", path=path)
        if info.file_size > MAX_MEMBER_BYTES:
            raise InputError(f"member {info.filename!r} is too large to unpack", path=path)
        if (
            info.compress_size
            and info.file_size / info.compress_size > MAX_RATIO
            and info.file_size > 1_000_000
        ):
            raise InputError(f"member {info.filename!r} looks like a zip bomb", path=path)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"unpacks to {total // 2**20} MB, more than kwali accepts", path=path)
    return archive


def read_member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    """Read one member, turning a damaged archive into a one-line error."""
    try:
        return archive.read(name)
    except KeyError as exc:
        raise InputError(
            f"has no {name!r} inside; is it the right kind of file?", path=path
        ) from exc
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise InputError(f"is damaged: cannot read {name!r} ({exc})", path=path) from exc
