"""Write a file only its owner can read, atomically: research data leaves kwali as 0600.

Every file kwali writes for others to read (exports, codebooks, project exchanges) is filled
as a private temporary file next to its target and then renamed over it, so a failed write
leaves the old file or nothing, never half a file, and the umask can't widen the permissions.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kwali.errors import ExportError


@contextmanager
def private_output(path: Path, hint: str = "") -> Iterator[Path]:
    """Yield a temporary path next to ``path`` with mode 0600; when the block ends without an
    error, it replaces ``path``. Any OSError becomes one ExportError naming ``path``."""
    try:  # mkstemp: a fresh name (never someone's symlink), created with mode 0600
        fd, name = tempfile.mkstemp(
            prefix=f".{path.stem}.tmp-", suffix=path.suffix, dir=path.parent
        )
    except OSError as exc:
        raise ExportError(f"cannot be written ({exc.strerror or exc})", path=path) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o600)  # a writer that recreated the file got the umask's mode
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(
            f"cannot be written ({exc.strerror or exc})", path=path, hint=hint
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600, atomically."""
    with private_output(path) as tmp:
        tmp.write_bytes(data)
