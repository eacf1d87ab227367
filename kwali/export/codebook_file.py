"""Write a project's codebook to a file: YAML (kwali's own format) or a REFI-QDA .qdc."""

from __future__ import annotations

from pathlib import Path

from kwali.errors import ExportError
from kwali.export.files import check_target
from kwali.io.codebook import save_codebook
from kwali.io.qdc import write_qdc
from kwali.model import Codebook

CODEBOOK_SUFFIXES = (".yaml", ".yml", ".qdc")


def write_codebook_file(codebook: Codebook, out: Path, *, force: bool = False) -> tuple[str, ...]:
    """Write ``codebook`` in the format ``out``'s extension names; returns warnings."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in CODEBOOK_SUFFIXES:
        raise ExportError(
            f"has an unknown extension {out.suffix or '(none)'!r}",
            path=out,
            hint="use .yaml (kwali) or .qdc (REFI-QDA)",
        )
    check_target(out, force)
    if suffix == ".qdc":
        return write_qdc(codebook, out)
    save_codebook(codebook, out)
    return ()
