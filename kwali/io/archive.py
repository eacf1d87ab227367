"""Open zip-based files (.docx, .odt, .qdpx) defensively.

A zip's headers are written by whoever made the file, so no size in them is trusted: on
opening, every member's compressed stream is inflated once, in small chunks that are counted
and thrown away, and the archive is refused as soon as a member unpacks to more than its
header says, more than the limits, or far more than it compresses to. Only then may a
reader (kwali's own or python-docx) read members whole: they are now known to be small.
Names that would leave a target folder are refused. Nothing is extracted to disk.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from kwali.errors import InputError

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # zip bombs compress far better than any real document
_RATIO_FROM = 1_000_000  # small members may compress well (an empty XML part)
CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then name and extra field lengths


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
    except Exception as exc:  # see _damaged
        raise _damaged(exc, path, what) from exc
    try:
        _check_members(archive, path, what)
    except InputError:
        archive.close()
        raise
    except Exception as exc:  # see _damaged
        archive.close()
        raise _damaged(exc, path, what) from exc
    return archive


def _damaged(exc: Exception, path: Path, what: str) -> InputError:
    """A mangled zip fails deep inside zipfile in many ways (NotImplementedError for a made-up
    version, OSError for a negative offset, IndexError in an extra field...): one line."""
    return InputError(f"is not a valid {what} file (damaged: {type(exc).__name__})", path=path)


def _check_members(archive: zipfile.ZipFile, path: Path, what: str) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"has too many parts ({len(infos)}) for a {what} file", path=path)
    total = 0
    for info in infos:
        if not is_safe_member_name(info.filename):
            raise InputError(f"contains an unsafe member name {info.filename!r}", path=path)
        if info.file_size > MAX_MEMBER_BYTES:
            raise InputError(f"member {info.filename!r} is too large to unpack", path=path)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"unpacks to {total // 2**20} MB, more than kwali accepts", path=path)
    for info in infos:  # the headers' sizes are now plausible; check they are true
        if not info.is_dir():
            unpacked_size(archive, info, path)


def unpacked_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> int:
    """The size ``info`` really unpacks to, found by inflating it in counted chunks.

    Raises InputError as soon as it exceeds what the header says (a forged size), the member
    limit, or ``MAX_RATIO`` times the compressed bytes read; memory stays at one chunk.
    """
    name = info.filename
    if info.flag_bits & 0x1:
        raise InputError(f"member {name!r} is encrypted; kwali cannot read it", path=path)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise InputError(
            f"member {name!r} uses a compression method kwali does not read", path=path
        )
    limit = min(info.file_size, MAX_MEMBER_BYTES)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    size = consumed = 0
    try:
        for chunk in _raw_chunks(archive, info, path):
            consumed += len(chunk)
            while chunk:
                out = inflater.decompress(chunk, CHUNK) if inflater else chunk
                chunk = inflater.unconsumed_tail if inflater else b""
                size += len(out)
                if size > limit:
                    raise InputError(
                        f"member {name!r} unpacks to more than its header says "
                        "(a forged or damaged zip)",
                        path=path,
                    )
                if size > _RATIO_FROM and size > MAX_RATIO * consumed:
                    raise InputError(f"member {name!r} looks like a zip bomb", path=path)
                if not out:
                    break
            if inflater is not None and inflater.eof:
                break
    except zlib.error as exc:
        raise InputError(f"is damaged: cannot unpack {name!r} ({exc})", path=path) from exc
    if size != info.file_size:
        raise InputError(
            f"is damaged: {name!r} unpacks to {size} bytes, its header says {info.file_size}",
            path=path,
        )
    return size


def _raw_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> Iterator[bytes]:
    """The compressed bytes of one member, read straight from the file in chunks."""
    fp = archive.fp
    if fp is None:
        raise InputError("is closed", path=path)
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise InputError(f"is damaged: bad header for {info.filename!r}", path=path)
    _, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    fp.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    left = info.compress_size
    while left > 0 and (chunk := fp.read(min(CHUNK, left))):
        left -= len(chunk)
        yield chunk


def read_member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    """Read one member in counted chunks, turning a damaged archive into a one-line error.

    The count stops at the header's size (checked against the limits by ``open_zip``), so
    even an archive that was not opened through ``open_zip`` cannot fill memory.
    """
    try:
        info = archive.getinfo(name)
    except KeyError as exc:
        raise InputError(
            f"has no {name!r} inside; is it the right kind of file?", path=path
        ) from exc
    if info.file_size > MAX_MEMBER_BYTES:
        raise InputError(f"member {name!r} is too large to unpack", path=path)
    parts: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                if size > info.file_size:  # zipfile stops there itself; never trust that
                    raise InputError(
                        f"member {name!r} unpacks to more than its header says", path=path
                    )
                parts.append(chunk)
    except InputError:
        raise
    except Exception as exc:  # zipfile's many failures on a mangled archive, as in open_zip
        raise InputError(
            f"is damaged: cannot read {name!r} ({type(exc).__name__}: {' '.join(str(exc).split())})",
            path=path,
        ) from exc
    return b"".join(parts)
