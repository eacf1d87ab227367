"""The report: one chapter per category and code, its definition, counts per group, its quotes.

Memos go where they belong (:func:`kwali.export.memos.report_memos`): the project's at the
start, as the method; a code's in its chapter, under the definition; an interview's in a
closing chapter.

Like MAXQDA's Smart Publisher, for this study: quotes are set off and attributed by role and
gender only, e.g. "(werkzoekende, vrouw; interview 3, r. 45)". The table of contents is a
Word TOC field whose stored result is a plain list of chapters, so the document is readable
before Word or LibreOffice update the field (with page numbers).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import pandas as pd
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from kwali.export.memos import Note, ReportMemos
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
from kwali.model import Code, Codebook


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
    charts: Sequence[tuple[str, bytes]] = (),
) -> DocxDocument:
    """Build the report from a quote table and (optionally) ``frequencies(by=group_by)``;
    ``notes`` are the project, code and interview memos to print; ``charts`` are pictures
    (caption, PNG) for a chapter before the codes'."""
    notes = notes or ReportMemos()
    doc = new_document(title, f"Gemaakt met kwali op {date.today().isoformat()}")
    if facts:
        grid = styled_table(doc, ("Gegeven", "Waarde"), (5.0, 11.6))
        for label, value in facts:
            cells = add_row(grid, (5.0, 11.6))
            cells[0].text, cells[1].text = clean(label), clean(value)
    if notes.project:
        doc.add_heading("Werkwijze en aantekeningen", level=1)
        _notes(doc, notes.project)
    chapters = with_ancestors(codebook, codes)
    numbers = numbering(codebook, codes)
    _contents(doc, codebook, chapters, numbers)
    if charts:
        _pictures(doc, charts)
    quotes = _merge_coders(quotes)
    by_code = {key: rows for key, rows in quotes.groupby("code", sort=False)} if len(quotes) else {}
    for code in chapters:
        paragraph = heading(doc, codebook, code, numbers)
        if code.parent is None:
            paragraph.paragraph_format.page_break_before = True
        add_definition(doc, code)
        _notes(doc, notes.codes.get(code.key, []))
        if counts is not None and group_by:
            _counts_table(doc, counts[counts["code"] == code.key], group_by)
        rows = by_code.get(code.key)
        if rows is None:
            if not codebook.children(code.key):
                muted(doc.add_paragraph(), "Nog geen gecodeerde fragmenten.", italic=True)
            continue
        for _, row in rows.iterrows():
            _quote(doc, row, memos)
    if notes.documents:
        closing = doc.add_heading("Aantekeningen per interview", level=1)
        closing.paragraph_format.page_break_before = True
        for name, written in notes.documents:
            doc.add_heading(clean(name), level=2)
            _notes(doc, written)
    return doc


def _pictures(doc: DocxDocument, charts: Sequence[tuple[str, bytes]]) -> None:
    """Each chart on a page of its own, the page's width, its caption under it."""
    doc.add_heading("Overzicht in beeld", level=1).paragraph_format.page_break_before = True
    for number, (caption, png) in enumerate(charts):
        with io.BytesIO(png) as picture:
            doc.add_picture(picture, width=Cm(16))
        if number:
            doc.paragraphs[-1].paragraph_format.page_break_before = True
        muted(doc.add_paragraph(), f"Figuur {number + 1}. {clean(caption)}", size=9, italic=True)


def _notes(doc: DocxDocument, notes: Sequence[Note]) -> None:
    """Each memo as a paragraph that says whose it is; its own line breaks kept."""
    for coder, text in notes:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.5)
        label = paragraph.add_run(f"Memo ({clean(coder)}): ")
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
    run = label.add_run("Inhoud")
    run.bold, run.font.size = True, Pt(16)
    entries = [
        (
            min(3, len(codebook.path(c.key))),
            clean(f"{numbers.get(c.key, '')} {c.label or c.key}".strip()),
        )
        for c in chapters
    ] or [(1, "(geen hoofdstukken)")]
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
    instr.text = ' TOC \\o "1-3" \\h \\z \\u '
    first.add_run()._r.append(instr)
    _fld_char(first, "separate")
    for paragraph, text in paragraphs:
        paragraph.add_run(text)
    _fld_char(last, "end")
    note = doc.add_paragraph()
    muted(
        note,
        "Paginanummers: kies in Word ‘Velden bijwerken’ (F9), in LibreOffice "
        "Extra › Bijwerken › Alles bijwerken.",
        size=8,
        italic=True,
    )


def _fld_char(paragraph: Paragraph, kind: str) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        element.set(qn("w:dirty"), "true")  # ask Word to refresh it when opening
    paragraph.add_run()._r.append(element)


def _counts_table(doc: DocxDocument, counts: pd.DataFrame, group_by: str) -> None:
    if counts.empty or not counts["segments"].any():
        return
    groups = list(counts[group_by])
    width = min(3.0, 12.0 / max(1, len(groups) + 1))
    widths = (3.2, *([width] * (len(groups) + 1)))
    grid = styled_table(doc, (group_by, *groups, "totaal"), widths)
    for label, column in (("fragmenten", "segments"), ("respondenten", "respondents")):
        cells = add_row(grid, widths)
        cells[0].text = label
        for cell, value in zip(cells[1:], counts[column], strict=False):
            cell.text = str(int(value))
        cells[-1].text = str(int(counts[column].sum()))
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    counted = counts.attrs.get("counted", "documenten")
    if counted != "documenten":  # a reader of a study with cases must know what was counted
        muted(doc.add_paragraph(), f"Respondenten geteld als: {counted}.", italic=True)
    else:
        doc.add_paragraph()


def _merge_coders(quotes: pd.DataFrame) -> pd.DataFrame:
    """The same span coded by several coders is one quote in a report."""
    if quotes.empty:
        return quotes
    keys = ["code", "document", "start", "end"]
    coders = quotes.groupby(keys, sort=False)["coder"].agg(lambda s: ", ".join(dict.fromkeys(s)))
    memos = quotes.groupby(keys, sort=False)["memo"].agg(
        lambda s: " / ".join(m for m in dict.fromkeys(s) if m)
    )
    first = quotes.drop_duplicates(keys).set_index(keys)
    first["coder"], first["memo"] = coders, memos
    return first.reset_index()[quotes.columns]


def _quote(doc: DocxDocument, row: pd.Series, memos: bool) -> None:
    paragraph = doc.add_paragraph(style="Quote")
    paragraph.paragraph_format.left_indent = Cm(1.0)
    paragraph.paragraph_format.right_indent = Cm(0.5)
    text = row["text"].strip()
    # A quote that already opens with quotation marks (reported speech) keeps its own.
    paragraph.add_run(clean(text if text[:1] in "\"“‘'„" else f"“{text}”"))
    who = "; ".join(v for v in (row["respondent"], row["reference"]) if v)
    attribution = paragraph.add_run(f" ({clean(who)})")
    attribution.italic = False
    attribution.font.size = Pt(9)
    if memos and row["memo"]:
        note = doc.add_paragraph()
        note.paragraph_format.left_indent = Cm(1.0)
        muted(note, f"Memo: {row['memo']}", size=8.5, italic=True)
