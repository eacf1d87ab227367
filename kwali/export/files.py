"""Writing export files safely: private (0600), atomic, never over a file by accident, and
never a cell a spreadsheet would run as a formula.

The private, atomic write itself is kwali.io.private's; exports add their checks of the
target first (an existing file needs --force, a file open in Word is refused). Documents are
built in memory and written in one go, so a full disk leaves no half-closed zip behind.

Spreadsheet formula injection (OWASP, "CSV Injection"): a transcript, an attribute or a code
label starting with ``=``, ``+``, ``-``, ``@``, tab or CR would be a formula in Excel
(``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``). :func:`neutralise` is the one rule: in CSV such a
text cell gets a leading ``'``; in a workbook the cell is stored as text with Excel's quote
prefix, the same thing as typing ``'`` in Excel, so the text itself stays verbatim. Body,
header and index alike; numbers stay numbers.
"""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.errors import ExportError
from kwali.i18n import _
from kwali.io.private import os_error_hint, private_output, write_private

if TYPE_CHECKING:  # the registry imports this module; pandas loads only when an export runs
    import pandas as pd
    from docx.document import Document as DocxDocument
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMATS = ("docx", "csv", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP: what makes a cell a formula


def is_formula_like(value: object) -> bool:
    """A text cell a spreadsheet would read as a formula (numbers are never touched)."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(value: object) -> object:
    """OWASP's rule for a CSV cell: a formula-like text gets a leading ``'``."""
    return f"'{value}" if is_formula_like(value) else value


def format_for(out: Path, requested: str | None, allowed: tuple[str, ...] = FORMATS) -> str:
    """The format asked for, or the one the output file's extension names."""
    fmt = (requested or out.suffix.lstrip(".")).lower()
    if fmt in allowed:
        return fmt
    if not requested and fmt not in FORMATS:
        raise ExportError(
            _("het formaat is niet af te leiden uit de extensie {suffix}").format(
                suffix=repr(out.suffix) if out.suffix else _("(geen)")
            ),
            path=out,
            hint=_("gebruik --format {formats}").format(formats="|".join(allowed)),
        )
    raise ExportError(
        _("kan niet als {fmt} geschreven worden (kies {formats})").format(
            fmt=fmt, formats=", ".join(allowed)
        ),
        path=out,
    )


def _lock_files(out: Path) -> list[Path]:
    """Lock files LibreOffice and Word leave next to a document while it is open."""
    name = out.name
    return [
        out.with_name(f".~lock.{name}#"),
        out.with_name(f"~${name}"),
        out.with_name(f"~${name[2:]}"),
    ]


def check_target(out: Path, force: bool = False) -> None:
    """Refuse a target we must not or cannot write, with one line naming it."""
    if not out.parent.is_dir():
        raise ExportError(_("de map bestaat niet"), path=out)
    if out.is_dir():
        raise ExportError(_("is een map, geen bestand"), path=out)
    if out.exists():
        if not force:
            raise _exists(out)
        if any(lock.exists() for lock in _lock_files(out)):
            raise ExportError(
                _("is geopend in een ander programma"),
                path=out,
                hint=_("sluit het en exporteer opnieuw"),
            )
        try:
            with open(out, "r+b"):  # on Windows this fails while Word has the file open
                pass
        except OSError as exc:
            raise ExportError(
                _("kan niet overschreven worden ({why})").format(why=exc.strerror or exc),
                path=out,
                hint=os_error_hint(exc)
                or _("is het open in een ander programma, of alleen-lezen?"),
            ) from exc
    if not os.access(out.parent, os.W_OK):
        raise ExportError(_("kan niet geschreven worden: de map is alleen-lezen"), path=out)


def _exists(out: Path) -> ExportError:
    return ExportError(_("bestaat al"), path=out, hint=_("gebruik --force om het te overschrijven"))


@contextmanager
def atomic_output(out: str | Path, force: bool = False) -> Iterator[Path]:
    """Yield a private temporary path; on success it replaces ``out`` (kwali.io.private)."""
    out = Path(out)
    check_target(out, force)
    with private_output(out) as tmp:  # its hint fits the cause: a full disk, a lock ...
        yield tmp
        if out.exists() and not force:  # appeared while we were writing
            raise _exists(out)


def write_with(out: str | Path, writer: Callable[[Path], None], force: bool = False) -> Path:
    """Run ``writer(tmp_path)`` and move the result into place."""
    with atomic_output(out, force) as tmp:
        writer(tmp)
    return Path(out)


def write_bytes(out: str | Path, build: Callable[[], bytes], force: bool = False) -> Path:
    """Write what ``build()`` returns, privately and atomically. Built in memory first: the
    zip writers of python-docx and openpyxl don't close their file when a write fails, and
    a full disk then added a traceback from ``ZipFile.__del__`` to the one-line error."""
    out = Path(out)
    check_target(out, force)
    data = build()
    if out.exists() and not force:  # appeared while we were building
        raise _exists(out)
    write_private(out, data)
    return out


def _zipped(save: Callable[[io.BytesIO], object]) -> bytes:
    with io.BytesIO() as buffer:
        save(buffer)
        return buffer.getvalue()


def write_docx(doc: DocxDocument, out: str | Path, *, force: bool = False) -> Path:
    return write_bytes(out, lambda: _zipped(doc.save), force)


def safe_table(table: pd.DataFrame, index: bool = False) -> pd.DataFrame:
    """``table`` with :func:`neutralise` applied to every cell, column name and index label."""
    safe = table.apply(lambda column: column.map(neutralise))  # DataFrame.map: pandas >= 2.1
    safe.columns = table.columns.map(neutralise)
    if index:
        safe.index = table.index.map(neutralise)
        safe.index.names = [neutralise(name) for name in table.index.names]
    return safe


def write_csv(
    table: pd.DataFrame,
    out: str | Path,
    *,
    force: bool = False,
    sep: str = ",",
    index: bool = False,
) -> Path:
    """UTF-8 with a byte-order mark, so Excel shows ë and é; text is kept verbatim, except
    the ``'`` that keeps a formula-like cell text (:func:`neutralise`)."""

    def build() -> bytes:
        text = safe_table(table, index).to_csv(None, sep=sep, index=index)
        return text.encode("utf-8-sig")

    return write_bytes(out, build, force)


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame],
    out: str | Path,
    *,
    force: bool = False,
    index: bool = False,
    wrap: tuple[str, ...] = (),
) -> Path:
    """One sheet per table, header frozen and filterable; ``wrap`` columns get wide, wrapped cells."""
    return write_bytes(out, lambda: _zipped(lambda tmp: _xlsx(sheets, tmp, index, wrap)), force)


def _xlsx(
    sheets: Mapping[str, pd.DataFrame], tmp: io.BytesIO, index: bool, wrap: tuple[str, ...]
) -> None:
    """Written as a stream (openpyxl's write-only mode): each row goes out as it is made, so
    memory stays flat however many rows a study has."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    book = Workbook(write_only=True)
    for title, table in sheets.items():
        sheet = book.create_sheet(_sheet_title(title))
        frame = table.reset_index() if index else table
        wrapping = [str(column) in wrap for column in frame.columns]
        for number, column in enumerate(frame.columns, start=1):  # before the first row
            letter = get_column_letter(number)
            if wrapping[number - 1]:
                sheet.column_dimensions[letter].width = 70
            else:
                longest = max(
                    [len(str(column))] + [len(str(v)) for v in frame.iloc[:200, number - 1]]
                )
                sheet.column_dimensions[letter].width = min(40, max(8, longest + 2))
        sheet.freeze_panes = "A2"
        if len(frame.columns):
            last = get_column_letter(len(frame.columns))
            sheet.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
        sheet.append([_write_cell(sheet, str(c), font=bold) for c in frame.columns])
        for record in frame.itertuples(index=False):
            sheet.append(
                [
                    _write_cell(sheet, v, alignment=wrapped if w else None)
                    for v, w in zip(record, wrapping, strict=True)
                ]
            )
    if not book.sheetnames:
        book.create_sheet(_("leeg"))
    book.save(tmp)


def _write_cell(
    sheet: WriteOnlyWorksheet,
    value: object,
    *,
    font: Font | None = None,
    alignment: Alignment | None = None,
) -> Cell:
    """One cell of a write-only sheet; a text that looks like a formula stays text."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    made = WriteOnlyCell(sheet, value=_cell(value, ILLEGAL_CHARACTERS_RE))  # type: ignore[arg-type]
    if is_formula_like(made.value):  # text, as if typed with a leading '
        made.data_type = "s"
        made.quotePrefix = True
    if font is not None:
        made.font = font
    if alignment is not None:
        made.alignment = alignment
    return made


def _sheet_title(title: str) -> str:
    """A name Excel accepts: no ``[]:*?/\\``, no leading quote or formula character."""
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title.lstrip("'=+-@\t\r")[:31].rstrip("'") or _("blad")


def _cell(value: object, illegal: re.Pattern[str]) -> object:
    if isinstance(value, str):
        return illegal.sub("", value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
