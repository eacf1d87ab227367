"""Write a file only its owner can read, atomically: research data leaves kwali as 0600."""

from __future__ import annotations

import os
from pathlib import Path

from kwali.errors import ExportError


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` next to ``path`` with mode 0600, then rename over it.

    A failed write never leaves half a file, and the umask can't widen the permissions.
    """
    tmp = path.with_name(f".{path.name}.kwali-tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot be written ({exc.strerror or exc})", path=path) from exc
