"""Writing export files safely: private (0600), atomic, never over a file by accident.

The private, atomic write itself is kwali.io.private's; exports add their checks of the
target first (an existing file needs --force, a file open in Word is refused).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.errors import ExportError
from kwali.io.private import private_output

if TYPE_CHECKING:  # the registry imports this module; pandas loads only when an export runs
    import pandas as pd
    from docx.document import Document as DocxDocument

FORMATS = ("docx", "csv", "xlsx")


def format_for(out: Path, requested: str | None, allowed: tuple[str, ...] = FORMATS) -> str:
    """The format asked for, or the one the output file's extension names."""
    fmt = (requested or out.suffix.lstrip(".")).lower()
    if fmt in allowed:
        return fmt
    if not requested and fmt not in FORMATS:
        raise ExportError(
            f"cannot tell the format from the extension {out.suffix or '(none)'!r}",
            path=out,
            hint=f"use --format {'|'.join(allowed)}",
        )
    raise ExportError(f"cannot be written as {fmt} (choose {', '.join(allowed)})", path=out)


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
        raise ExportError("its folder does not exist", path=out)
    if out.is_dir():
        raise ExportError("is a folder, not a file", path=out)
    if out.exists():
        if not force:
            raise ExportError("already exists", path=out, hint="use --force to overwrite it")
        if any(lock.exists() for lock in _lock_files(out)):
            raise ExportError(
                "is open in another program", path=out, hint="close it and export again"
            )
        try:
            with open(out, "r+b"):  # on Windows this fails while Word has the file open
                pass
        except OSError as exc:
            raise ExportError(
                f"cannot be overwritten ({exc.strerror or exc})",
                path=out,
                hint="is it open in another program, or read-only?",
            ) from exc
    if not os.access(out.parent, os.W_OK):
        raise ExportError("cannot be written: its folder is read-only", path=out)


@contextmanager
def atomic_output(out: str | Path, force: bool = False) -> Iterator[Path]:
    """Yield a private temporary path; on success it replaces ``out`` (kwali.io.private)."""
    out = Path(out)
    check_target(out, force)
    with private_output(out, hint="is it open in another program?") as tmp:
        yield tmp
        if out.exists() and not force:  # appeared while we were writing
            raise ExportError("already exists", path=out, hint="use --force to overwrite it")


def write_with(out: str | Path, writer: Callable[[Path], None], force: bool = False) -> Path:
    """Run ``writer(tmp_path)`` and move the result into place."""
    with atomic_output(out, force) as tmp:
        writer(tmp)
    return Path(out)


def write_docx(doc: DocxDocument, out: str | Path, *, force: bool = False) -> Path:
    return write_with(out, lambda tmp: doc.save(str(tmp)), force)


def write_csv(
    table: pd.DataFrame,
    out: str | Path,
    *,
    force: bool = False,
    sep: str = ",",
    index: bool = False,
) -> Path:
    """UTF-8 with a byte-order mark, so Excel shows ë and é; text is kept verbatim."""
    return write_with(
        out, lambda tmp: table.to_csv(tmp, sep=sep, index=index, encoding="utf-8-sig"), force
    )


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame],
    out: str | Path,
    *,
    force: bool = False,
    index: bool = False,
    wrap: tuple[str, ...] = (),
) -> Path:
    """One sheet per table, header frozen and filterable; ``wrap`` columns get wide, wrapped cells."""
    return write_with(out, lambda tmp: _xlsx(sheets, tmp, index, wrap), force)


def _xlsx(
    sheets: Mapping[str, pd.DataFrame], tmp: Path, index: bool, wrap: tuple[str, ...]
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.worksheets[0])  # a new workbook comes with one empty sheet
    for title, table in sheets.items():
        sheet = book.create_sheet(_sheet_title(title))
        frame = table.reset_index() if index else table
        sheet.append([str(c) for c in frame.columns])
        for record in frame.itertuples(index=False):
            sheet.append([_cell(v, ILLEGAL_CHARACTERS_RE) for v in record])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type == "f":  # a quote starting with "=" is text, not a formula
                    cell.data_type = "s"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for number, column in enumerate(frame.columns, start=1):
            letter = get_column_letter(number)
            if str(column) in wrap:
                sheet.column_dimensions[letter].width = 70
                for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                longest = max(
                    [len(str(column))] + [len(str(v)) for v in frame.iloc[:200, number - 1]]
                )
                sheet.column_dimensions[letter].width = min(40, max(8, longest + 2))
        sheet.freeze_panes = "A2"
        if len(frame.columns):
            sheet.auto_filter.ref = sheet.dimensions
    if not book.sheetnames:
        book.create_sheet("leeg")
    book.save(tmp)


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31] or "blad"


def _cell(value: object, illegal: re.Pattern[str]) -> object:
    if isinstance(value, str):
        return illegal.sub("", value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
