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
from kwali.i18n import _

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
            _("is geen geldig {what}-bestand (beschadigd of geen zip-archief)").format(what=what),
            path=path,
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
    return InputError(
        _("is geen geldig {what}-bestand (beschadigd: {error})").format(
            what=what, error=type(exc).__name__
        ),
        path=path,
    )


def _check_members(archive: zipfile.ZipFile, path: Path, what: str) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(
            _("heeft te veel onderdelen ({n}) voor een {what}-bestand").format(
                n=len(infos), what=what
            ),
            path=path,
        )
    total = 0
    for info in infos:
        if not is_safe_member_name(info.filename):
            raise InputError(
                _("bevat een onveilige onderdeelnaam {name}").format(name=repr(info.filename)),
                path=path,
            )
        if info.file_size > MAX_MEMBER_BYTES:
            raise InputError(_too_large(info.filename), path=path)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            _("pakt uit tot {mb} MB, meer dan kwali aanneemt").format(mb=total // 2**20),
            path=path,
        )
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
        raise InputError(
            _("onderdeel {name} is versleuteld; kwali kan het niet lezen").format(name=repr(name)),
            path=path,
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise InputError(
            _("onderdeel {name} is gecomprimeerd op een manier die kwali niet leest").format(
                name=repr(name)
            ),
            path=path,
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
                        _(
                            "onderdeel {name} pakt uit tot meer dan de kop zegt "
                            "(een vervalst of beschadigd zip-archief)"
                        ).format(name=repr(name)),
                        path=path,
                    )
                if size > _RATIO_FROM and size > MAX_RATIO * consumed:
                    raise InputError(
                        _("onderdeel {name} lijkt een zip-bom").format(name=repr(name)),
                        path=path,
                    )
                if not out:
                    break
            if inflater is not None and inflater.eof:
                break
    except zlib.error as exc:
        raise InputError(
            _("is beschadigd: kan {name} niet uitpakken ({error})").format(
                name=repr(name), error=exc
            ),
            path=path,
        ) from exc
    if size != info.file_size:
        raise InputError(
            _("is beschadigd: {name} pakt uit tot {size} bytes, de kop zegt {header}").format(
                name=repr(name), size=size, header=info.file_size
            ),
            path=path,
        )
    return size


def _raw_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> Iterator[bytes]:
    """The compressed bytes of one member, read straight from the file in chunks."""
    fp = archive.fp
    if fp is None:
        raise InputError(_("is gesloten"), path=path)
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise InputError(
            _("is beschadigd: foute kop bij {name}").format(name=repr(info.filename)), path=path
        )
    _signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
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
            _("bevat geen {name}; is het de juiste soort bestand?").format(name=repr(name)),
            path=path,
        ) from exc
    if info.file_size > MAX_MEMBER_BYTES:
        raise InputError(_too_large(name), path=path)
    parts: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                if size > info.file_size:  # zipfile stops there itself; never trust that
                    raise InputError(
                        _("onderdeel {name} pakt uit tot meer dan de kop zegt").format(
                            name=repr(name)
                        ),
                        path=path,
                    )
                parts.append(chunk)
    except InputError:
        raise
    except Exception as exc:  # zipfile's many failures on a mangled archive, as in open_zip
        raise InputError(
            _("is beschadigd: kan {name} niet lezen ({error})").format(
                name=repr(name), error=f"{type(exc).__name__}: {' '.join(str(exc).split())}"
            ),
            path=path,
        ) from exc
    return b"".join(parts)


def _too_large(name: str) -> str:
    return _("onderdeel {name} is te groot om uit te pakken").format(name=repr(name))
