"""Word (.docx) exports: quote tables per code and the codebook as an appendix.

Built with python-docx on its default template, using its named styles (Title, Heading n,
Quote, a table style) so a researcher can restyle the document in Word in one go. Labels in
the documents are Dutch: they go straight into a Dutch report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import pandas as pd
from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from kwali.model import Code, Codebook, Memo

TABLE_STYLE = "Light Grid Accent 1"
FONT = "Calibri"
GREY = RGBColor(0x59, 0x59, 0x59)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """Text Word can store: no control characters (they make python-docx fail)."""
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))


# -- document scaffolding --------------------------------------------------------------------
def new_document(title: str, subtitle: str = "", *, landscape: bool = False) -> DocxDocument:
    """An A4 document in Dutch with a title, page numbers in the footer and sober styles."""
    doc = new_docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin = section.bottom_margin = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.font.name = FONT  # explicit, so LibreOffice does not fall back to a serif
    _set_language(doc, "nl-NL")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(footer, "PAGE", "1")
    doc.core_properties.title = title
    doc.core_properties.author = "kwali"
    doc.core_properties.language = "nl-NL"
    doc.add_paragraph(clean(title), style="Title")
    if subtitle:
        muted(doc.add_paragraph(), clean(subtitle))
    return doc


def _set_language(doc: DocxDocument, language: str) -> None:
    """Dutch spelling check for the whole document (default run properties)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC ...) that Word and LibreOffice compute when they lay out pages."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def muted(paragraph: Paragraph, text: str, *, size: float = 9, italic: bool = False) -> None:
    run = paragraph.add_run(clean(text))
    run.font.size = Pt(size)
    run.font.color.rgb = GREY
    run.italic = italic


def styled_table(doc: DocxDocument, headers: Sequence[str], widths: Sequence[float]) -> Table:
    """A table with the document's table style, a header row repeated on every page."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles[TABLE_STYLE]
    table.autofit = False
    _table_look(table)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid: LibreOffice lays out by it, Word by the cells
    for cell, header, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.text = clean(header)
        cell.width = Cm(width)
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    return table


def _table_look(table: Table) -> None:
    """Emphasise the header row only: a bold first column would make every quote bold."""
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        properties.append(look)
    for name, value in (
        ("firstRow", "1"),
        ("lastRow", "0"),
        ("firstColumn", "0"),
        ("lastColumn", "0"),
        ("noHBand", "0"),
        ("noVBand", "1"),
    ):
        look.set(qn(f"w:{name}"), value)
    look.set(qn("w:val"), "0420")


def add_row(table: Table, widths: Sequence[float]) -> list[_Cell]:
    cells = table.add_row().cells
    for cell, width in zip(cells, widths, strict=True):
        cell.width = Cm(width)
    return list(cells)


def numbering(codebook: Codebook, codes: Sequence[Code] | None = None) -> dict[str, str]:
    """Chapter numbers from the hierarchy: "1", "1.2", "1.2.1" (only for ``codes`` if given)."""
    keep = {c.key for c in codes} if codes is not None else set(codebook.keys())
    result: dict[str, str] = {}

    def walk(parent: str | None, prefix: str) -> None:
        number = 0
        for code in codebook.children(parent):
            if code.key not in keep and not _has_kept_descendant(codebook, code.key, keep):
                continue
            number += 1
            result[code.key] = f"{prefix}{number}"
            walk(code.key, f"{prefix}{number}.")

    walk(None, "")
    return result


def _has_kept_descendant(codebook: Codebook, key: str, keep: set[str]) -> bool:
    return any(
        c.key in keep or _has_kept_descendant(codebook, c.key, keep) for c in codebook.children(key)
    )


def heading(
    doc: DocxDocument, codebook: Codebook, code: Code, numbers: dict[str, str]
) -> Paragraph:
    level = min(3, len(codebook.path(code.key)))
    number = numbers.get(code.key, "")
    return doc.add_heading(clean(f"{number} {code.label or code.key}".strip()), level=level)


def add_definition(doc: DocxDocument, code: Code) -> None:
    if code.definition:
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(clean(code.definition))
        run.italic = True


def save(doc: DocxDocument, path: Path) -> None:
    doc.save(str(path))


# -- quote tables ----------------------------------------------------------------------------
_QUOTE_HEADERS = ("Citaat", "Respondent", "Bron", "Codeur")


def quote_document(
    table: pd.DataFrame,
    codebook: Codebook,
    codes: Sequence[Code],
    *,
    title: str,
    subtitle: str = "",
    one_table: bool = False,
    attributes: Sequence[str] = (),
    skip_empty: bool = False,
) -> DocxDocument:
    """One table per code under numbered headings, or one table with a code column."""
    doc = new_document(title, subtitle, landscape=one_table)  # a code column needs the width
    memos = bool(table["memo"].astype(bool).any()) if len(table) else False
    headers = list(_QUOTE_HEADERS) + (["Memo"] if memos else [])
    widths = [8.6, 2.9, 3.1, 2.0] if not memos else [6.4, 2.6, 3.0, 1.8, 2.8]
    if one_table:
        headers = ["Code", *headers]
        widths = [3.5, 13.5, 3.2, 3.3, 1.8] if not memos else [3.2, 10.5, 3.0, 3.2, 1.8, 3.6]
        grid = styled_table(doc, headers, widths)
        for _, row in table.iterrows():
            cells = add_row(grid, widths)
            cells[0].paragraphs[0].add_run(clean(row["code_path"])).font.size = Pt(9)
            _fill_quote_row(cells[1:], row, attributes, memos)
        if not len(table):
            muted(
                doc.add_paragraph(), "Geen gecodeerde fragmenten voor deze selectie.", italic=True
            )
        return doc
    numbers = numbering(codebook, codes)
    by_code = {key: rows for key, rows in table.groupby("code", sort=False)} if len(table) else {}
    shown = [c for c in codes if not skip_empty or c.key in by_code or c.kind == "category"]
    for code in with_ancestors(codebook, shown):
        heading(doc, codebook, code, numbers)
        add_definition(doc, code)
        rows = by_code.get(code.key)
        if rows is None:
            if not codebook.children(code.key):
                muted(doc.add_paragraph(), "Geen gecodeerde fragmenten.", italic=True)
            continue
        grid = styled_table(doc, headers, widths)
        for _, row in rows.iterrows():
            _fill_quote_row(add_row(grid, widths), row, attributes, memos)
        doc.add_paragraph()
    return doc


def with_ancestors(codebook: Codebook, codes: Sequence[Code]) -> list[Code]:
    """Codes in tree order with their parents, so every heading has its chapter."""
    keep = {a.key for c in codes for a in codebook.path(c.key)}
    return [c for c in codebook.in_tree_order() if c.key in keep]


def _fill_quote_row(
    cells: Sequence[_Cell], row: pd.Series, attributes: Sequence[str], memos: bool
) -> None:
    quote = cells[0].paragraphs[0]
    if row["context_before"]:
        muted(quote, f"{row['context_before']} ")
    quote.add_run(clean(row["text"]))
    if row["context_after"]:
        muted(quote, f" {row['context_after']}")
    who = cells[1].paragraphs[0]
    who.add_run(clean(row["respondent"] or "—")).font.size = Pt(9)
    for key in attributes:
        column = key if key in row.index else f"attribute {key}"
        if column in row.index and row[column] and str(row[column]) not in str(row["respondent"]):
            muted(cells[1].add_paragraph(), str(row[column]), size=8)  # values speak for themselves
    cells[2].paragraphs[0].add_run(clean(row["reference"])).font.size = Pt(9)
    extra = " · ".join(v for v in (row["quotation"], row["timestamp"]) if v)
    muted(cells[2].add_paragraph(), extra, size=8)
    cells[3].paragraphs[0].add_run(clean(row["coder"])).font.size = Pt(9)
    if memos:
        muted(cells[4].paragraphs[0], str(row["memo"]), size=8.5)


# -- codebook appendix -----------------------------------------------------------------------
_FIELDS = (("definition", "Definitie"), ("include", "Wel coderen"), ("exclude", "Niet coderen"))


def codebook_document(
    codebook: Codebook,
    *,
    title: str = "",
    counts: dict[str, int] | None = None,
    memos: Mapping[str, Sequence[Memo]] | None = None,
) -> DocxDocument:
    """Every code with its definition, coding rules, examples, signal words and memos."""
    name = codebook.name or "Codeboek"
    subtitle = " · ".join(
        v
        for v in (
            f"versie {codebook.version}" if codebook.version else "",
            date.today().isoformat(),
            f"{sum(1 for c in codebook if c.kind == 'code')} codes",
        )
        if v
    )
    doc = new_document(title or f"Bijlage: codeboek {name}".strip(), subtitle)
    if codebook.description:
        doc.add_paragraph(clean(codebook.description))
    if not len(codebook):
        muted(doc.add_paragraph(), "Het codeboek is leeg.", italic=True)
    numbers = numbering(codebook)
    widths = (3.4, 13.2)
    for code in codebook.in_tree_order():
        heading(doc, codebook, code, numbers)
        grid = styled_table(doc, ("Code", code.key), widths)
        for attribute, label in _FIELDS:
            value = getattr(code, attribute)
            if value:
                cells = add_row(grid, widths)
                cells[0].text, cells[1].text = label, clean(value)
        if code.examples:
            cells = add_row(grid, widths)
            cells[0].text = "Voorbeelden"
            for number, example in enumerate(code.examples):
                paragraph = cells[1].paragraphs[0] if number == 0 else cells[1].add_paragraph()
                paragraph.add_run(clean(f"“{example}”")).italic = True
        signals = [*code.signals.lemmas, *code.signals.phrases, *code.signals.compounds]
        if signals:
            cells = add_row(grid, widths)
            cells[0].text = "Signaalwoorden"
            cells[1].text = clean(", ".join(signals))
        if counts is not None:
            cells = add_row(grid, widths)
            cells[0].text, cells[1].text = "Fragmenten", str(counts.get(code.key, 0))
        for number, memo in enumerate((memos or {}).get(code.key, ())):
            cells = add_row(grid, widths)
            cells[0].text = "Memo's" if number == 0 else ""
            cells[1].paragraphs[0].add_run(clean(memo.text))
            muted(cells[1].add_paragraph(), f"{memo.coder} · {memo.changed[:10]}", size=8)
        doc.add_paragraph()
    return doc
