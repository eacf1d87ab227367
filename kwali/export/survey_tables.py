"""A survey question's frequency table as a report needs it: Word, Excel, CSV, a bar chart.

The counts are :class:`kwali.analysis.survey_tables.SurveyTable`'s; this module only lays
them out. Word gets a real table that pastes into a report as it is (the house style of
kwali.export.word: its table style, the header rows repeated on every page, numbers
right-aligned), with the question as title, ``n = 305`` under each group and the notes under
the table. Excel keeps numbers as numbers and percentages as fractions shown with a ``%``
format (Excel writes the decimal comma itself in a Dutch locale). The chart is horizontal
bars, per code one bar per group, in percentages of each group's n, drawn the way
kwali.export.charts draws (Agg only, DejaVu Sans, the same data gives the same bytes).

Every file is written through kwali.export.files: private (0600), atomic, never over an
existing file without ``force``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.analysis.survey_tables import (
    TOTAL,
    Line,
    SurveyTable,
    counted_by,
    dutch_percent,
)
from kwali.errors import ExportError
from kwali.export.files import is_formula_like, write_bytes, write_csv, write_docx
from kwali.i18n import _

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import _Cell
    from matplotlib.figure import Figure

FORMATS = ("docx", "xlsx", "csv", "png", "svg")
MAX_GROUPS = 8  # bars side by side per code; more would not be read
LABEL_WIDTH = 5.2  # cm: the code column of the Word table
COUNT_WIDTH, PERCENT_WIDTH = 1.3, 1.6  # cm: the two cells of a group


def notes(table: SurveyTable) -> list[str]:
    """The sentences under the table, in the run's language, each ending in a full stop."""
    found = [
        _(
            "n = aantal respondenten met een antwoord op deze vraag; "
            "de percentages zijn van n per kolom."
        )
    ]
    if table.note:
        found.append(table.note + ".")
    found.append(_("Een categorie telt elk antwoord met een code eronder één keer."))
    found.append(_("Leeg en weet niet tellen niet mee in n."))
    coded = _("Gecodeerd: {counted}.").format(counted=counted_by(table))
    if table.by:
        coded += " " + _("Groepen naar {groups}.").format(groups=" × ".join(table.by))
    found.append(coded)
    return found


def write_survey_table(table: SurveyTable, out: Path, *, force: bool = False) -> Path:
    """``out`` as its extension says: .docx, .xlsx, .csv, .png or .svg."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportError(
            _("kan {what} niet schrijven (gebruik {formats})").format(
                what=out.suffix or _("een bestand zonder extensie"),
                formats=", ".join("." + f for f in FORMATS),
            ),
            path=out,
        )
    if fmt == "docx":
        return write_docx(survey_document(table), out, force=force)
    if fmt == "csv":
        return write_csv(table.frame(), out, force=force)
    if fmt == "xlsx":
        return write_bytes(out, lambda: survey_workbook(table), force)
    from kwali.export.charts import figure_bytes

    check_chart(table, out)
    figure = survey_bar_figure(table)
    return write_bytes(out, lambda: figure_bytes(figure, fmt), force)


# -- Word -----------------------------------------------------------------------------------------
def survey_document(table: SurveyTable) -> DocxDocument:
    """The title (the question), the table and its notes, on A4 (landscape when wide)."""
    from docx.shared import Pt

    from kwali.export.word import add_row, muted, new_document, styled_table

    columns = table.all_columns
    wanted = len(columns) * (COUNT_WIDTH + PERCENT_WIDTH)
    # A4 less kwali's margins, less the code column; a bit narrower still reads well
    landscape = wanted * 0.8 > 16.6 - LABEL_WIDTH
    room = (25.3 if landscape else 16.6) - LABEL_WIDTH
    scale = min(1.0, room / wanted)
    widths = [LABEL_WIDTH]
    for _unused in columns:
        widths += [COUNT_WIDTH * scale, PERCENT_WIDTH * scale]
    subtitle = _("Enquête {survey}").format(survey=table.survey)
    if table.by:
        subtitle += " · " + _("naar {groups}").format(groups=" × ".join(table.by))
    doc = new_document(table.title, subtitle, landscape=landscape)
    headers = [""]
    for column in columns:
        headers += [column, ""]
    grid = styled_table(doc, headers, widths)
    second = add_row(grid, widths)
    _repeat_header(second)
    _write(second[0], "")
    for i, column in enumerate(columns):
        top = grid.rows[0].cells
        merged = top[1 + 2 * i].merge(top[2 + 2 * i])
        _write(merged, column, bold=True, align="center")
        below = second[1 + 2 * i].merge(second[2 + 2 * i])
        _write(below, f"n = {table.n(column)}", bold=True, align="center")
    for line in table.lines():
        if line.kind == "status" and line.key == "empty":
            cells = add_row(grid, widths)
            merged = cells[0].merge(cells[-1])
            _write(merged, _("Geen antwoord (niet in n):"), italic=True, size=8.5)
        cells = add_row(grid, widths)
        _fill_line(cells, line)
    for number, sentence in enumerate(notes(table)):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.space_before = Pt(4 if number == 0 else 0)
        muted(paragraph, sentence, size=8.5)
    return doc


def _repeat_header(cells: list[_Cell]) -> None:
    """The second header row (n) repeats on every page, as the first does."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    row = cells[0]._tc.getparent()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    row.get_or_add_trPr().append(repeat)


def _fill_line(cells: list[_Cell], line: Line) -> None:
    from docx.shared import Cm

    bold = line.kind == "category"
    italic = line.kind in ("none", "other", "status")
    paragraph = _write(cells[0], line.label, bold=bold, italic=italic)
    paragraph.paragraph_format.left_indent = Cm(0.4 * line.depth)
    for i, count in enumerate(line.counts):
        _write(cells[1 + 2 * i], str(count), bold=bold, align="right")
        share = "" if line.percents is None else dutch_percent(line.percents[i])
        _write(cells[2 + 2 * i], share, bold=bold, align="right")


def _write(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    align: str = "left",
    size: float = 9,
):  # -> Paragraph
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from kwali.export.word import clean

    paragraph = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:  # a merged cell keeps the paragraphs of both
        extra._p.getparent().remove(extra._p)
    for run in list(paragraph.runs):  # a header cell comes with its text already
        run._r.getparent().remove(run._r)
    _mark_size(paragraph, size)
    run = paragraph.add_run(clean(text))
    run.font.size = Pt(size)
    run.bold = bold or None
    run.italic = italic or None
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
    }[align]
    return paragraph


def _mark_size(paragraph, size: float) -> None:  # noqa: ANN001 - a docx Paragraph
    """The paragraph mark at the text's size: an empty cell is then no taller than a full
    one (Word and LibreOffice size an empty line by its mark)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()
    marks = properties.find(qn("w:rPr"))
    if marks is None:
        marks = OxmlElement("w:rPr")
        properties.append(marks)
    for name in ("w:sz", "w:szCs"):
        element = marks.find(qn(name))
        if element is None:
            element = OxmlElement(name)
            marks.append(element)
        element.set(qn("w:val"), str(round(size * 2)))


# -- Excel ----------------------------------------------------------------------------------------
def survey_workbook(table: SurveyTable) -> bytes:
    """One sheet: the title, the groups over two header rows (aantal, %), n, the lines,
    the notes. Percentages are fractions with the format ``0.0%``."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from kwali.export.files import _sheet_title

    def text(value: str) -> str:
        return ILLEGAL_CHARACTERS_RE.sub("", value)

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _sheet_title(table.question)
    columns = table.all_columns
    bold = Font(bold=True)
    sheet.cell(1, 1, text(table.title)).font = Font(bold=True, size=12)
    sheet.cell(3, 1, _("Code")).font = bold
    for i, column in enumerate(columns):
        first = 2 + 2 * i
        sheet.cell(3, first, text(column)).font = bold
        sheet.cell(3, first).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + 1)
        sheet.cell(4, first, _("aantal")).font = bold
        sheet.cell(4, first + 1, "%").font = bold
        for cell in (sheet.cell(4, first), sheet.cell(4, first + 1)):
            cell.alignment = Alignment(horizontal="right")
        sheet.cell(5, first, table.n(column)).font = bold
    sheet.cell(5, 1, "n").font = bold
    row = 6
    for line in table.lines():
        if line.kind == "status" and line.key == "empty":
            row += 1
            sheet.cell(row, 1, _("Geen antwoord (niet in n):")).font = Font(italic=True)
            row += 1
        label = sheet.cell(row, 1, text(line.label))
        label.alignment = Alignment(indent=line.depth)
        label.font = Font(
            bold=line.kind == "category", italic=line.kind != "category" and line.kind != "code"
        )
        for i, count in enumerate(line.counts):
            sheet.cell(row, 2 + 2 * i, count).font = Font(bold=line.kind == "category")
            if line.percents is not None and line.percents[i] is not None:
                share = sheet.cell(row, 3 + 2 * i, line.percents[i] / 100)  # type: ignore[operator]
                share.number_format = "0.0%"
                share.font = Font(bold=line.kind == "category")
        row += 1
    row += 1
    for sentence in notes(table):
        sheet.cell(row, 1, sentence).font = Font(italic=True, size=9)
        row += 1
    for cells in sheet.iter_rows():
        for cell in cells:
            if is_formula_like(cell.value):  # text, as if typed with a leading '
                cell.data_type = "s"
                cell.quotePrefix = True
    longest = max(len(line.label) + 2 * line.depth for line in table.lines())
    sheet.column_dimensions["A"].width = min(45, max(12, longest + 2))
    for i, column in enumerate(columns):
        wide = max(8, min(24, len(column) // 2 + 2))
        sheet.column_dimensions[get_column_letter(2 + 2 * i)].width = wide
        sheet.column_dimensions[get_column_letter(3 + 2 * i)].width = wide
    sheet.freeze_panes = "B6"
    with io.BytesIO() as buffer:
        book.save(buffer)
        return buffer.getvalue()


# -- the bar chart --------------------------------------------------------------------------------
def chart_groups(table: SurveyTable) -> list[str]:
    """One bar per group; without groups, the total alone."""
    return list(table.columns) or [TOTAL]


def chart_lines(table: SurveyTable) -> list[tuple[Line, bool]]:
    """The lines a chart draws, each with whether it is a heading (a code with codes below
    it in the table: its answers are in the bars under it, so it gets no bar of its own)."""
    drawn = [line for line in table.lines() if line.kind != "status"]
    return [
        (
            line,
            line.kind in ("category", "code")
            and i + 1 < len(drawn)
            and drawn[i + 1].depth > line.depth,
        )
        for i, line in enumerate(drawn)
    ]


def check_chart(table: SurveyTable, out: Path) -> None:
    groups = chart_groups(table)
    if len(groups) > MAX_GROUPS:
        raise ExportError(
            _("heeft {n} groepen; een grafiek toont er hoogstens {most}").format(
                n=len(groups), most=MAX_GROUPS
            ),
            path=out,
            hint=_("kies een kenmerk met minder waarden (--by), of schrijf .docx of .xlsx"),
        )
    if not any(table.n(group) for group in groups):
        raise ExportError(
            _("niets te tekenen: niemand beantwoordde {question}").format(question=table.question),
            path=out,
        )


def survey_bar_figure(table: SurveyTable) -> Figure:
    """Per code one bar per group, in percentages of the group's n; ``axes[0].containers[g]``
    are group g's bars in line order (headings get none)."""
    import matplotlib

    from kwali.export.charts import PAGE_WIDTH, STYLE, _wrap

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from kwali.model import CODE_PALETTE

    groups = chart_groups(table)
    lines = chart_lines(table)
    columns = table.all_columns
    index = {group: columns.index(group) for group in groups}
    slot = 0.12 + 0.12 * len(groups)  # inches per code: its bars side by side
    notes_height = 0.18 * len(_chart_notes(table))
    with matplotlib.rc_context(STYLE):
        height = 1.1 + notes_height + slot * len(lines)
        figure = Figure(figsize=(PAGE_WIDTH, height))
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        bar = 0.84 / len(groups)
        top = 0.0
        for g, group in enumerate(groups):
            at = index[group]
            ys, values, labels = [], [], []
            for y, (line, heading) in enumerate(lines):
                if heading or line.percents is None:
                    continue
                share = line.percents[at] or 0.0
                ys.append(y - 0.42 + bar * (g + 0.5))
                values.append(share)
                labels.append(dutch_percent(line.percents[at]))
                top = max(top, share)
            legend = f"{group} (n = {table.n(group)})"  # a group and its n: notation, no text
            drawn = ax.barh(
                ys,
                values,
                height=bar * 0.92,
                color=CODE_PALETTE[g % len(CODE_PALETTE)],
                edgecolor="#555555",
                linewidth=0.3,
                label=legend,
            )
            ax.bar_label(
                drawn,
                labels=[x if v else "" for x, v in zip(labels, values, strict=True)],
                padding=1.5,
                fontsize=5.5,
            )
            # no bar is a value too: a grey 0% where it would be
            ax.bar_label(
                drawn,
                labels=["" if v else "0%" for v in values],
                padding=1.5,
                fontsize=5,
                color="#8c8c8c",
            )
        ax.set_ylim(len(lines) - 0.5, -0.5)
        ax.set_yticks(range(len(lines)), labels=[_indented(line) for line, _unused in lines])
        for label, (line, heading) in zip(ax.get_yticklabels(), lines, strict=True):
            if heading or line.kind == "category":
                label.set_fontweight("bold")
            if line.kind in ("none", "other"):
                label.set_fontstyle("italic")
        ax.tick_params(axis="y", length=0, labelsize=6.5)
        ax.tick_params(axis="x", labelsize=6)
        ax.set_xlim(0, min(100.0, top * 1.2) if top else 100.0)
        if top * 1.2 > 100:
            ax.set_xlim(0, top * 1.12)  # room for the label of a bar at 100%
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(_tick))
        ax.grid(axis="x", color="#e6e6e6", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.set_xlabel(_("Percentage van de respondenten met een antwoord (n)"), fontsize=6.5)
        # the groups between the title and the bars: never over a bar
        longest = max(len(group) for group in groups) + 10
        columns_of_legend = max(1, min(len(groups), 90 // (longest + 6)))
        rows_of_legend = -(-len(groups) // columns_of_legend)
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncol=columns_of_legend,
            fontsize=6,
            frameon=False,
            handlelength=1.2,
            borderaxespad=0.2,
        )
        ax.set_title(
            _wrap(table.title, 90),
            fontsize=8,
            fontweight="bold",
            loc="left",
            pad=4 + 11 * rows_of_legend,
        )
        bottom = (0.35 + notes_height) / height
        for k, sentence in enumerate(_chart_notes(table)):
            figure.text(0.01, 0.01 + 0.18 * k / height, sentence, fontsize=5.5, color="#595959")
        figure.tight_layout(pad=0.4, rect=(0, bottom - 0.3 / height, 1, 1))
    return figure


def _chart_notes(table: SurveyTable) -> list[str]:
    """The notes that fit under a chart (the note on n and on several codes per answer)."""
    found = [
        _("n = respondenten met een antwoord. Gecodeerd: {counted}.").format(
            counted=counted_by(table)
        )
    ]
    if table.note:
        found.insert(0, table.note + ".")
    return found[::-1]  # drawn bottom-up


def _indented(line: Line) -> str:
    label = line.label if len(line.label) <= 40 else line.label[:39] + "…"
    return "   " * line.depth + label


def _tick(value: float, _position: object) -> str:
    return f"{value:.0f}%"
