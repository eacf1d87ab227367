"""Write a file only its owner can read, atomically: research data leaves kwali as 0600.

Every file kwali writes for others to read (exports, codebooks, project exchanges) is filled
as a private temporary file next to its target and then renamed over it, so a failed write
leaves the old file or nothing, never half a file, and the umask can't widen the permissions.

The temporary file is named ``.TARGET.kwali-tmp-XXXXXXXX``, created by mkstemp (O_EXCL and
O_NOFOLLOW: never someone's planted file or symlink) and held under an advisory lock while it
is in use. A process killed mid-export leaves one behind; the next write to the same target
removes such leftovers: only names of that pattern, regular files of ours, older than a minute
and not locked by a running writer.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from kwali.errors import ExportError
from kwali.i18n import _

try:  # advisory locks: POSIX only; on Windows an open file cannot be deleted anyway
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # no fcntl module on Windows: locks are skipped

TEMP_MARK = ".kwali-tmp-"
STALE_AFTER = 60.0  # seconds: a leftover younger than this may still be being written
_RANDOM = r"[a-z0-9_]{8}"  # what mkstemp puts between our prefix and suffix
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EACCES, errno.EPERM}
_IN_USE = {errno.EBUSY, errno.ETXTBSY}
_SHARING_VIOLATIONS = {32, 33}  # Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


def os_error_hint(exc: OSError) -> str:
    """What to do about a failed write, by its cause: a full disk is not a file open in Word."""
    if getattr(exc, "winerror", None) in _SHARING_VIOLATIONS or exc.errno in _IN_USE:
        return _("is het open in een ander programma? sluit het en probeer het opnieuw")
    if exc.errno in _FULL:
        return _("de schijf is vol: maak ruimte vrij en probeer het opnieuw")
    if exc.errno == errno.EROFS:
        return _("de schijf is alleen-lezen")
    if exc.errno in _READ_ONLY:
        if os.name == "nt":  # Windows says "access denied" for a file open in Word too
            return _("is het open in een ander programma, of alleen-lezen?")
        return _("het bestand of de map is alleen-lezen")
    return ""


def temp_prefix(path: Path) -> str:
    """The start of every temporary name kwali uses for ``path`` (the name is cut so that
    the whole stays under the usual 255-character limit)."""
    return f".{path.name[:200]}{TEMP_MARK}"


def _is_temp_of(path: Path, name: str) -> bool:
    return re.fullmatch(re.escape(temp_prefix(path)) + _RANDOM, name) is not None


def remove_stale_temps(path: Path, older_than: float = STALE_AFTER) -> list[Path]:
    """Delete what killed writes of ``path`` left behind; returns what was deleted.

    Best effort and careful: only names of ``path``'s temporary pattern in its folder,
    regular files (never a symlink) owned by us, unchanged for ``older_than`` seconds, and
    not locked by a writer still running."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        if not _is_temp_of(path, entry.name):
            continue
        with suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
            if not stat.S_ISREG(info.st_mode) or not mine or now - info.st_mtime < older_than:
                continue
            fd = os.open(entry.path, os.O_RDONLY | _NOFOLLOW)
            try:
                if fcntl is not None:  # a running writer holds its lock: BlockingIOError
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if os.fstat(fd).st_ino == info.st_ino:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            finally:
                os.close(fd)
    return removed


def _error(path: Path, exc: OSError, hint: str = "") -> ExportError:
    return ExportError(
        _("kan niet geschreven worden ({error})").format(error=exc.strerror or exc),
        path=path,
        hint=os_error_hint(exc) or hint,
    )


class _Temp:
    """A claimed temporary file: its path and, while open, its locked descriptor."""

    def __init__(self, fd: int, path: Path) -> None:
        self.fd: int | None = fd
        self.path = path

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def replace(self, target: Path) -> None:
        if os.name == "nt":  # Windows renames no open file
            self.close()
        os.replace(self.path, target)


@contextmanager
def _claimed_temp(path: Path, hint: str) -> Iterator[_Temp]:
    """A fresh, locked, private temporary file next to ``path``. Removed again unless the
    block renamed it; any OSError becomes one ExportError naming ``path``."""
    remove_stale_temps(path)
    try:  # mkstemp: O_EXCL|O_NOFOLLOW, mode 0600: a fresh name, never someone's symlink
        fd, name = tempfile.mkstemp(prefix=temp_prefix(path), dir=path.parent)
    except OSError as exc:
        raise _error(path, exc, hint) from exc
    temp = _Temp(fd, Path(name))
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # ours alone: no cleaner may take it
        yield temp
    except OSError as exc:
        raise _error(path, exc, hint) from exc
    finally:
        temp.close()
        with suppress(OSError):  # after a successful rename there is nothing left here
            temp.path.unlink(missing_ok=True)


def _replaced(path: Path) -> ExportError:
    return ExportError(
        _("kan niet geschreven worden (het tijdelijke bestand is vervangen)"), path=path
    )


@contextmanager
def private_output(path: Path, hint: str = "") -> Iterator[Path]:
    """Yield a temporary path next to ``path`` with mode 0600, for a writer that needs a path;
    when the block ends without an error, it replaces ``path``. Any OSError becomes one
    ExportError naming ``path``, its hint fitting the cause (``hint`` when none is known)."""
    with _claimed_temp(path, hint) as temp:
        if fcntl is None:  # Windows: the writer may need the file to itself
            temp.close()
        yield temp.path
        if temp.path.is_symlink():  # swapped for a link while the writer ran: never rename it
            raise _replaced(path)
        os.chmod(temp.path, 0o600)  # a writer that recreated the file got the umask's mode
        temp.replace(path)


def write_private(path: Path, data: bytes, hint: str = "") -> None:
    """Write ``data`` to ``path`` with mode 0600, atomically, through the temporary file's own
    descriptor (the name is never opened again, so nothing planted there is followed)."""
    with _claimed_temp(path, hint) as temp:
        assert temp.fd is not None
        view = memoryview(data)
        while view:  # os.write may write less than asked
            view = view[os.write(temp.fd, view) :]
        os.fsync(temp.fd)  # a full disk may only say so now; and no empty file after a crash
        if os.fstat(temp.fd).st_ino != os.lstat(temp.path).st_ino:
            raise _replaced(path)
        temp.replace(path)
