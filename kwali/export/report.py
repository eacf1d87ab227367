"""The report: one chapter per category and code, its definition, counts per group, its quotes.

Memos go where they belong (:func:`kwali.export.memos.report_memos`): the project's at the
start, as the method; a code's in its chapter, under the definition; an interview's in a
closing chapter.

Like MAXQDA's Smart Publisher, for this study: quotes are set off and attributed by role and
gender only, and cited by the sentence the coding screen shows, e.g. "(werkzoekende, vrouw;
3:12.2)" (or by line, "interview 3, r. 45", where the study cites so). The table of contents is a
Word TOC field whose stored result is a plain list of chapters, so the document is readable
before Word or LibreOffice update the field (with page numbers).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from kwali.errors import ExportError
from kwali.export.memos import Note, ReportMemos
from kwali.export.tables import merge_coders, reference, without_zeros
from kwali.export.word import (
    add_definition,
    add_row,
    clean,
    heading,
    muted,
    new_document,
    numbering,
    styled_table,
    with_ancestors,
)
from kwali.i18n import _
from kwali.model import Code, Codebook
from kwali.store.attribute_types import shown_value

if TYPE_CHECKING:
    from kwali.export.chart_exporters import Picture, ReportCharts

CITES = ("sentence", "line")
TEXT_WIDTH = 16.6  # cm: A4 less kwali's margins
SIZE = 9  # pt: the count tables' text
_Line = tuple[list[str], bool]  # a count table's cells, and whether the line is a subtotal


def report_document(
    quotes: pd.DataFrame,
    counts: pd.DataFrame | None,
    codebook: Codebook,
    codes: Sequence[Code],
    *,
    title: str,
    facts: Sequence[tuple[str, str]] = (),
    group_by: str | None = None,
    memos: bool = True,
    notes: ReportMemos | None = None,
    charts: ReportCharts | None = None,
    all_codes: bool = False,
    cite: str = "sentence",
    keys: bool = False,
) -> DocxDocument:
    """Build the report from a quote table and (optionally) ``frequencies(by=group_by)``;
    ``notes`` are the project, code and interview memos to print; ``charts`` the pictures
    (the overview's in a chapter of their own, each code's in its chapter).

    A category's chapter counts its codes per group with its subtotal under them (bold); a
    code's chapter its fragments and respondents per group. Codes and groups nothing was
    coded in are left out of the tables unless ``all_codes``. Quotes are cited by sentence
    (``3:12.2``) or, with ``cite="line"``, as ``interview 3, r. 45``; a survey answer always
    ``Q7 · 1023``. ``keys``: each code's key beside its label."""
    if cite not in CITES:
        raise ExportError(
            _("onbekende verwijzing {cite} (kies {choices})").format(
                cite=repr(cite), choices=", ".join(CITES)
            )
        )
    notes = notes or ReportMemos()
    made = _("Gemaakt met kwali op {date}").format(date=date.today().isoformat())
    doc = new_document(title, made)
    if facts:
        grid = styled_table(doc, (_("Gegeven"), _("Waarde")), (5.0, 11.6))
        for label, value in facts:
            cells = add_row(grid, (5.0, 11.6))
            cells[0].text, cells[1].text = clean(label), clean(value)
    if notes.project:
        doc.add_heading(_("Werkwijze en aantekeningen"), level=1)
        _notes(doc, notes.project)
    chapters = with_ancestors(codebook, codes)
    numbers = numbering(codebook, codes)
    _contents(doc, codebook, chapters, numbers)
    if counts is not None and group_by and not all_codes:
        counts = without_zeros(counts, group_by)
    if charts is not None and charts.overview:
        _pictures(doc, charts.overview)
    figures = len(charts.overview) if charts is not None else 0
    quotes = merge_coders(quotes)
    by_code = {key: rows for key, rows in quotes.groupby("code", sort=False)} if len(quotes) else {}
    for code in chapters:
        paragraph = heading(doc, codebook, code, numbers)
        if keys:
            muted(paragraph, f" [{code.key}]", size=10)
        if code.parent is None:
            paragraph.paragraph_format.page_break_before = True
        add_definition(doc, code)
        _notes(doc, notes.codes.get(code.key, []))
        if counts is not None and group_by:
            if codebook.children(code.key):
                _category_table(
                    doc, codebook, counts, code, group_by, keys=keys, all_codes=all_codes
                )
            else:
                _counts_table(
                    doc,
                    counts[counts["code"] == code.key],
                    group_by,
                    all_codes=all_codes,
                    keys=keys,
                )
        if charts is not None and code.key in charts.chapters:
            figures += 1
            _picture(doc, figures, charts.chapters[code.key], width=13.0)
        rows = by_code.get(code.key)
        if rows is None:
            if not codebook.children(code.key):
                muted(doc.add_paragraph(), _("Nog geen gecodeerde fragmenten."), italic=True)
            continue
        for _unused, row in rows.iterrows():
            _quote(doc, row, memos, cite)
    if notes.documents:
        closing = doc.add_heading(_("Aantekeningen per interview"), level=1)
        closing.paragraph_format.page_break_before = True
        for name, written in notes.documents:
            doc.add_heading(clean(name), level=2)
            _notes(doc, written)
    return doc


def _pictures(doc: DocxDocument, charts: Sequence[Picture]) -> None:
    """The overview's charts, each on a page of its own, at most the page's width."""
    doc.add_heading(_("Overzicht in beeld"), level=1).paragraph_format.page_break_before = True
    for number, chart in enumerate(charts):
        _picture(doc, number + 1, chart, width=16.0, new_page=bool(number))


def _picture(
    doc: DocxDocument, number: int, chart: Picture, *, width: float, new_page: bool = False
) -> None:
    """A chart, never wider than drawn (a small heat map stays small), its caption under it."""
    with io.BytesIO(chart.png) as picture:
        doc.add_picture(picture, width=Cm(min(width, chart.width)))
    doc.paragraphs[-1].paragraph_format.page_break_before = new_page
    doc.paragraphs[-1].paragraph_format.keep_with_next = True  # the caption stays with it
    caption = _("Figuur {number}. {caption}").format(number=number, caption=clean(chart.caption))
    muted(doc.add_paragraph(), caption, size=9, italic=True)


def _notes(doc: DocxDocument, notes: Sequence[Note]) -> None:
    """Each memo as a paragraph that says whose it is; its own line breaks kept."""
    for coder, text in notes:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.5)
        label = paragraph.add_run(_("Memo ({coder}): ").format(coder=clean(coder)))
        label.bold, label.font.size = True, Pt(9.5)
        for number, line in enumerate(text.strip().splitlines()):
            if number:
                paragraph.add_run().add_break()
            paragraph.add_run(clean(line)).font.size = Pt(10)


def _contents(
    doc: DocxDocument, codebook: Codebook, chapters: Sequence[Code], numbers: dict[str, str]
) -> None:
    """A TOC field; its stored result lists the chapters, indented by level, without pages."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    label = doc.add_paragraph()
    run = label.add_run(_("Inhoud"))
    run.bold, run.font.size = True, Pt(16)
    entries = [
        (
            min(3, len(codebook.path(c.key))),
            clean(f"{numbers.get(c.key, '')} {c.label or c.key}".strip()),
        )
        for c in chapters
    ] or [(1, _("(geen hoofdstukken)"))]
    paragraphs = []
    for level, text in entries:
        style = f"toc {level}" if f"toc {level}" in [s.name for s in doc.styles] else None
        paragraph = doc.add_paragraph(style=style)
        paragraph.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        paragraph.paragraph_format.space_after = Pt(2)
        paragraphs.append((paragraph, text))
    first, last = paragraphs[0][0], paragraphs[-1][0]
    _fld_char(first, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-3" \\h \\z \\u '  # i18n: keep (a Word field code)
    first.add_run()._r.append(instr)
    _fld_char(first, "separate")
    for paragraph, text in paragraphs:
        paragraph.add_run(text)
    _fld_char(last, "end")
    note = doc.add_paragraph()
    muted(
        note,
        _(
            "Paginanummers: kies in Word ‘Velden bijwerken’ (F9), in LibreOffice "
            "Extra › Bijwerken › Alles bijwerken."
        ),
        size=8,
        italic=True,
    )


def _fld_char(paragraph: Paragraph, kind: str) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        element.set(qn("w:dirty"), "true")  # ask Word to refresh it when opening
    paragraph.add_run()._r.append(element)


def _header(group_by: str, keys: bool) -> str:
    return group_by if keys else shown_value(group_by)


def _groups(counts: pd.DataFrame, group_by: str) -> list[str]:
    return [str(g) for g in dict.fromkeys(counts[group_by])]


def _count_grid(doc: DocxDocument, headers: Sequence[str], rows: Sequence[_Line]) -> None:
    """A count table: the numbers right-aligned, a subtotal's line bold. Its widths here are
    only a share: kwali.export.word.fit_tables fits every column to its words on save."""
    label = min(6.0, TEXT_WIDTH / 2)
    widths = [label, *([(TEXT_WIDTH - label) / max(1, len(headers) - 1)] * (len(headers) - 1))]
    grid = styled_table(doc, headers, widths)
    for number, cell in enumerate(grid.rows[0].cells):
        for run in cell.paragraphs[0].runs:
            run.font.size = Pt(SIZE)
        if number:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for texts, bold in rows:
        for number, (cell, text) in enumerate(zip(add_row(grid, widths), texts, strict=True)):
            run = cell.paragraphs[0].add_run(clean(text))
            run.bold, run.font.size = bold, Pt(SIZE)
            if number:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _counted_note(doc: DocxDocument, counts: pd.DataFrame, before: str = "") -> None:
    said = [before] if before else []
    # a reader of a study with cases must know what was counted
    if counts.attrs.get("counted_kind", "documents") != "documents":
        counted = counts.attrs.get("counted", "")
        said.append(_("Respondenten geteld als: {counted}.").format(counted=counted))
    if said:
        muted(doc.add_paragraph(), " ".join(said), size=8.5, italic=True)
    else:
        doc.add_paragraph()


def _counts_table(
    doc: DocxDocument,
    counts: pd.DataFrame,
    group_by: str,
    *,
    all_codes: bool = False,
    keys: bool = False,
) -> None:
    """A code's fragments and respondents per group."""
    if counts.empty or (not all_codes and not counts["segments"].any()):
        return
    lines: list[_Line] = [
        ([label, *(str(int(v)) for v in counts[column]), str(int(counts[column].sum()))], False)
        for label, column in ((_("fragmenten"), "segments"), (_("respondenten"), "respondents"))
    ]
    _count_grid(doc, (_header(group_by, keys), *_groups(counts, group_by), _("Totaal")), lines)
    _counted_note(doc, counts)


def _numbers(counts: pd.DataFrame) -> list[str]:
    """The fragments per group and their total, as a count table's cells."""
    return [*(str(int(v)) for v in counts["segments"]), str(int(counts["segments"].sum()))]


def _category_table(
    doc: DocxDocument,
    codebook: Codebook,
    counts: pd.DataFrame,
    category: Code,
    group_by: str,
    *,
    keys: bool = False,
    all_codes: bool = False,
) -> None:
    """A category's codes, fragments per group, and under them its subtotal (bold): each
    fragment once, however many of its codes it has, so it is not the sum of the rows."""
    subtotal = counts[counts["code"] == category.key]
    if subtotal.empty or (not all_codes and not subtotal["segments"].any()):
        return
    lines: list[_Line] = []

    def line(label: str, values: pd.DataFrame, bold: bool) -> None:
        lines.append(([label, *_numbers(values)], bold))

    for child in codebook.children(category.key):
        own = counts[counts["code"] == child.key]
        if own.empty:
            continue  # nothing coded (left out unless --all-codes) or not chosen
        label = (child.label or child.key) + (f" [{child.key}]" if keys else "")
        below = bool(codebook.children(child.key))
        line(_("{label} (subtotaal)").format(label=label) if below else label, own, below)
    if not all_codes and len(lines) == 1 and lines[0][0][1:] == _numbers(subtotal):
        return  # one code says it all: its own chapter counts it
    line(_("Subtotaal {category}").format(category=category.label or category.key), subtotal, True)
    _count_grid(doc, (_header(group_by, keys), *_groups(counts, group_by), _("Totaal")), lines)
    _counted_note(
        doc,
        counts,
        _(
            "Gecodeerde fragmenten. Het subtotaal telt elk fragment één keer, ook als het "
            "meer codes van deze categorie heeft."
        ),
    )


def _citation(row: pd.Series, cite: str) -> str:
    """How a quote is cited: its sentence (``3:12.2``) or the study's line reference; a survey
    answer (whose reference is ``Q7 · 1023``) always by its question and respondent."""
    by_line = reference(int(row["document"]), int(row["line"]))
    if cite == "line" or row["reference"] != by_line:
        return str(row["reference"])
    return str(row["quotation"])


def _quote(doc: DocxDocument, row: pd.Series, memos: bool, cite: str = "sentence") -> None:
    paragraph = doc.add_paragraph(style="Quote")
    paragraph.paragraph_format.left_indent = Cm(1.0)
    paragraph.paragraph_format.right_indent = Cm(0.5)
    text = row["text"].strip()
    # A quote that already opens with quotation marks (reported speech) keeps its own.
    paragraph.add_run(clean(text if text[:1] in "\"“‘'„" else f"“{text}”"))
    who = "; ".join(v for v in (row["respondent"], _citation(row, cite)) if v)
    attribution = paragraph.add_run(f" ({clean(who)})")
    attribution.italic = False
    attribution.font.size = Pt(9)
    if memos and row["memo"]:
        note = doc.add_paragraph()
        note.paragraph_format.left_indent = Cm(1.0)
        muted(note, _("Memo: {memo}").format(memo=row["memo"]), size=8.5, italic=True)
