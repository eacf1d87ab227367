"""The framework matrix (kwali.app.framework) as a Word table and an Excel workbook.

Word: a landscape table, units down, codes across, each cell the summaries (with their
coder's name when more than one coder wrote) and, optionally, the number of quotes. More
codes than fit a page in one table go into further tables of :data:`PER_TABLE` codes, each
repeating the unit column, so a cell never becomes a column of single letters.

Excel: sheet "Matrix" with one row per unit, per code its summary and its number of quotes;
sheet "Citaten" (Quotes) with every quote of every cell (unit, code, reference, who said it, text).
Both files are written readable by the owner only, and never over an existing file without
``force`` (kwali.export.files).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from docx.document import Document as DocxDocument

from kwali.app.framework import Cell, Framework
from kwali.errors import ExportError
from kwali.export.files import write_docx, write_xlsx
from kwali.i18n import _, ngettext

PER_TABLE = 5  # code columns per Word table on a landscape page
LANDSCAPE = 26.7  # text width in cm: A4 landscape with 1.5 cm margins
UNIT_WIDTH = 4.2


def kind_word(kind: str) -> str:
    """A unit's kind in words."""
    return _("case") if kind == "case" else _("document")


def summary_text(cell: Cell, many_coders: bool) -> str:
    """The cell's summaries, each under its coder's name when more than one coder wrote."""
    if not many_coders:
        return "\n\n".join(s.text for s in cell.summaries)
    return "\n\n".join(f"{s.coder}: {s.text}" for s in cell.summaries)


def _many_coders(grid: Framework) -> bool:
    return len({s.coder for c in grid.cells.values() for s in c.summaries}) > 1


def unit_label(grid: Framework, unit_index: int) -> str:
    unit = grid.units[unit_index]
    if unit.kind == "case":
        return unit.name
    return _("{name} (document)").format(name=unit.name)


def grid_table(grid: Framework, counts: bool = True) -> pd.DataFrame:
    """One row per unit: its name and kind, per code the summary (and the quotes' number)."""
    many = _many_coders(grid)
    unit_column, kind_column = _("eenheid"), _("soort")
    rows = []
    for unit in grid.units:
        row: dict[str, object] = {unit_column: unit.name, kind_column: kind_word(unit.kind)}
        for code in grid.codes:
            cell = grid.cell(unit, code.key)
            row[code.label or code.key] = summary_text(cell, many)
            if counts:
                row[_quotes_column(code.label or code.key)] = len(cell.quotes)
        rows.append(row)
    columns = [unit_column, kind_column]
    for code in grid.codes:
        columns.append(code.label or code.key)
        if counts:
            columns.append(_quotes_column(code.label or code.key))
    return pd.DataFrame(rows, columns=columns)


def _quotes_column(label: str) -> str:
    return _("{code} (citaten)").format(code=label)


def quote_columns() -> list[str]:
    """The quote sheet's headers; the last is the quote itself."""
    return [
        _("eenheid"),
        _("soort"),
        _("code"),
        _("referentie"),
        _("document"),
        _("spreker"),
        _("wie"),
        _("codes"),
        _("codeurs"),
        _("citaat"),
    ]


def quotes_table(grid: Framework) -> pd.DataFrame:
    """Every quote of every cell, by unit and code as the grid orders them."""
    rows = []
    for unit in grid.units:
        for code in grid.codes:
            for q in grid.cell(unit, code.key).quotes:
                rows.append(
                    [
                        unit.name,
                        kind_word(unit.kind),
                        code.label or code.key,
                        q.reference,
                        q.document_name,
                        q.speaker,
                        q.said_by,
                        ", ".join(q.codes),
                        ", ".join(q.coders),
                        " ".join(q.text.split()),
                    ]
                )
    return pd.DataFrame(rows, columns=quote_columns())


def write_framework_xlsx(grid: Framework, out: str | Path, *, force: bool = False) -> Path:
    summaries = [c.label or c.key for c in grid.codes]
    return write_xlsx(
        {_("Matrix"): grid_table(grid), _("Citaten"): quotes_table(grid)},
        out,
        force=force,
        wrap=(*summaries, quote_columns()[-1]),
    )


def framework_document(
    grid: Framework, *, title: str, subtitle: str, counts: bool = True
) -> DocxDocument:
    from docx.shared import Cm, Pt

    from kwali.export.word import add_row, clean, muted, new_document, styled_table

    doc = new_document(title, subtitle, landscape=True)
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm((29.7 - LANDSCAPE) / 2)
    if not grid.units or not grid.codes:
        doc.add_paragraph(
            _("Dit project heeft nog geen codes.")
            if not grid.codes
            else _("Nog geen cases of documenten.")
        )
        return doc
    many = _many_coders(grid)
    parts = -(-len(grid.codes) // PER_TABLE)
    per = -(-len(grid.codes) // parts)  # 8 codes: 4 + 4, not 5 + 3
    blocks = [grid.codes[i : i + per] for i in range(0, len(grid.codes), per)]
    for number, codes in enumerate(blocks, start=1):
        if len(blocks) > 1:
            if number > 1:
                doc.add_page_break()
            first, last = (c.label or c.key for c in (codes[0], codes[-1]))
            span = first if len(codes) == 1 else f"{first} – {last}"
            part = _("Deel {number} van {total}: {codes}").format(
                number=number, total=len(blocks), codes=span
            )
            doc.add_heading(clean(part), level=2)
        code_width = (LANDSCAPE - UNIT_WIDTH) / len(codes)
        widths = [UNIT_WIDTH, *([code_width] * len(codes))]
        table = styled_table(doc, [_("Eenheid"), *(c.label or c.key for c in codes)], widths)
        for cell in table.rows[0].cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
        for index, unit in enumerate(grid.units):
            cells = add_row(table, widths)
            _keep_row_together(table.rows[-1])
            first = cells[0].paragraphs[0]
            name = first.add_run(clean(unit_label(grid, index)))
            name.bold = True
            name.font.size = Pt(9)
            for cell, code in zip(cells[1:], codes, strict=True):
                found = grid.cell(unit, code.key)
                paragraph = cell.paragraphs[0]
                for number, summary in enumerate(found.summaries):
                    if number:
                        paragraph = cell.add_paragraph()
                    if many:  # whose it is, in bold, when more than one coder wrote
                        who = paragraph.add_run(clean(f"{summary.coder}: "))
                        who.bold = True
                        who.font.size = Pt(9)
                    run = paragraph.add_run(clean(summary.text))
                    run.font.size = Pt(9)
                if counts and found.quotes:
                    n = len(found.quotes)
                    target = cell.add_paragraph() if found.summaries else paragraph
                    muted(target, ngettext("{n} citaat", "{n} citaten", n).format(n=n), size=8)
    note = doc.add_paragraph()
    muted(
        note,
        _(
            "Rijen: {rows}. Een citaat telt voor de case van wie het zei, anders voor het "
            "document; een categorie telt de citaten van de codes eronder mee, elk citaat één keer."
        ).format(rows=grid.counted_as),
        size=8,
        italic=True,
    )
    return doc


def _keep_row_together(row) -> None:  # noqa: ANN001 - a docx table row
    """A unit's row is read across: never split over two pages."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def write_framework_docx(
    grid: Framework,
    out: str | Path,
    *,
    title: str = "",
    subtitle: str = "",
    counts: bool = True,
    force: bool = False,
) -> Path:
    title = title or _("Samenvattingen per case en thema")
    return write_docx(
        framework_document(grid, title=title, subtitle=subtitle, counts=counts), out, force=force
    )


def write_framework(
    grid: Framework,
    out: str | Path,
    *,
    subtitle: str = "",
    counts: bool = True,
    force: bool = False,
) -> Path:
    """Write ``out`` as .docx or .xlsx, as its extension says; one line for anything else."""
    suffix = Path(out).suffix.lower()
    if suffix == ".docx":
        return write_framework_docx(grid, out, subtitle=subtitle, counts=counts, force=force)
    if suffix == ".xlsx":
        return write_framework_xlsx(grid, out, force=force)
    raise ExportError(
        _(
            "kan niet als raamwerkmatrix geschreven worden (gebruik .docx of .xlsx, niet {suffix})"
        ).format(suffix=suffix or _("(geen)")),
        path=out,
    )
