"""The framework matrix (kwali.app.framework) as a Word table and an Excel workbook.

Word: a landscape table, units down, codes across, each cell the summaries (with their
coder's name when more than one coder wrote) and, optionally, the number of quotes. More
codes than fit a page in one table go into further tables of :data:`PER_TABLE` codes, each
repeating the unit column, so a cell never becomes a column of single letters.

Excel: sheet "Matrix" with one row per unit, per code its summary and its number of quotes;
sheet "Citaten" with every quote of every cell (unit, code, reference, who said it, text).
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

PER_TABLE = 5  # code columns per Word table on a landscape page
LANDSCAPE = 26.7  # text width in cm: A4 landscape with 1.5 cm margins
UNIT_WIDTH = 4.2
KIND_WORDS = {"case": "case", "document": "document"}


def summary_text(cell: Cell, many_coders: bool) -> str:
    """The cell's summaries, each under its coder's name when more than one coder wrote."""
    if not many_coders:
        return "\n\n".join(s.text for s in cell.summaries)
    return "\n\n".join(f"{s.coder}: {s.text}" for s in cell.summaries)


def _many_coders(grid: Framework) -> bool:
    return len({s.coder for c in grid.cells.values() for s in c.summaries}) > 1


def unit_label(grid: Framework, unit_index: int) -> str:
    unit = grid.units[unit_index]
    return unit.name if unit.kind == "case" else f"{unit.name} (document)"


def grid_table(grid: Framework, counts: bool = True) -> pd.DataFrame:
    """One row per unit: its name and kind, per code the summary (and the quotes' number)."""
    many = _many_coders(grid)
    rows = []
    for unit in grid.units:
        row: dict[str, object] = {"eenheid": unit.name, "soort": KIND_WORDS[unit.kind]}
        for code in grid.codes:
            cell = grid.cell(unit, code.key)
            row[code.label or code.key] = summary_text(cell, many)
            if counts:
                row[f"{code.label or code.key} (citaten)"] = len(cell.quotes)
        rows.append(row)
    columns = ["eenheid", "soort"]
    for code in grid.codes:
        columns.append(code.label or code.key)
        if counts:
            columns.append(f"{code.label or code.key} (citaten)")
    return pd.DataFrame(rows, columns=columns)


QUOTE_COLUMNS = [
    "eenheid",
    "soort",
    "code",
    "referentie",
    "document",
    "spreker",
    "wie",
    "codes",
    "codeurs",
    "citaat",
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
                        KIND_WORDS[unit.kind],
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
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def write_framework_xlsx(grid: Framework, out: str | Path, *, force: bool = False) -> Path:
    summaries = [c.label or c.key for c in grid.codes]
    return write_xlsx(
        {"Matrix": grid_table(grid), "Citaten": quotes_table(grid)},
        out,
        force=force,
        wrap=(*summaries, "citaat"),
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
            "Dit project heeft nog geen codes."
            if not grid.codes
            else "Nog geen cases of documenten."
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
            doc.add_heading(clean(f"Deel {number} van {len(blocks)}: {span}"), level=2)
        code_width = (LANDSCAPE - UNIT_WIDTH) / len(codes)
        widths = [UNIT_WIDTH, *([code_width] * len(codes))]
        table = styled_table(doc, ["Eenheid", *(c.label or c.key for c in codes)], widths)
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
                    muted(target, f"{n} {'citaat' if n == 1 else 'citaten'}", size=8)
    note = doc.add_paragraph()
    muted(
        note,
        f"Rijen: {grid.counted_as}. Een citaat telt voor de case van wie het zei, anders voor "
        "het document; een categorie telt de citaten van de codes eronder mee, elk citaat één keer.",
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
    title: str = "Samenvattingen per case en thema",
    subtitle: str = "",
    counts: bool = True,
    force: bool = False,
) -> Path:
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
        f"cannot be written as a framework matrix (use .docx or .xlsx, not {suffix or '(none)'})",
        path=out,
    )
