"""Write a project's codebook to a file: YAML (kwali's own format) or a REFI-QDA .qdc.

The one path for both ``kwali codebook export`` (format by extension) and ``kwali export
codebook`` (the registry's CodebookExporter, format by extension or ``--format``): the same
bytes whichever command wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kwali.errors import ExportError
from kwali.export.files import check_target
from kwali.i18n import _
from kwali.io.codebook import save_codebook
from kwali.io.qdc import write_qdc
from kwali.model import Codebook

CODEBOOK_SUFFIXES = (".yaml", ".yml", ".qdc")
# The file formats (as opposed to the docx/csv/xlsx appendix and tables), by format name.
FILE_FORMATS = ("qdc", "yaml")


def codebook_file_format(out: Path) -> str | None:
    """``qdc`` or ``yaml`` when ``out``'s extension names a codebook file, else None."""
    suffix = Path(out).suffix.lower()
    if suffix == ".qdc":
        return "qdc"
    return "yaml" if suffix in (".yaml", ".yml") else None


CodeGroups = Sequence[tuple[str, str, Sequence[str]]]
"""Code groups as a file holds them: (name, description, code keys)."""


def write_codebook_as(
    codebook: Codebook, out: Path, fmt: str, groups: CodeGroups = ()
) -> tuple[str, ...]:
    """Write ``codebook`` (and its code ``groups``, as Sets in a .qdc) as ``fmt`` (one of
    FILE_FORMATS); the target is checked already. Returns warnings about anything the format
    cannot hold."""
    if fmt == "qdc":
        return write_qdc(codebook, out, groups)
    if fmt == "yaml":
        save_codebook(codebook, out)
        if groups:
            return (_("codegroepen passen niet in een YAML-codeboek; weggelaten"),)
        return ()
    raise ExportError(
        _("kan niet als {fmt} geschreven worden (kies {formats})").format(
            fmt=fmt, formats=", ".join(FILE_FORMATS)
        ),
        path=out,
    )


def write_codebook_file(
    codebook: Codebook, out: Path, *, force: bool = False, groups: CodeGroups = ()
) -> tuple[str, ...]:
    """Write ``codebook`` (and code ``groups``) in the format ``out``'s extension names;
    returns warnings."""
    out = Path(out)
    fmt = codebook_file_format(out)
    if fmt is None:
        raise ExportError(
            _("heeft een onbekende extensie {suffix}").format(
                suffix=repr(out.suffix) if out.suffix else _("(geen)")
            ),
            path=out,
            hint=_("gebruik .yaml (kwali) of .qdc (REFI-QDA)"),
        )
    check_target(out, force)
    return write_codebook_as(codebook, out, fmt, groups)
