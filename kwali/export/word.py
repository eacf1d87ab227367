"""Word (.docx) exports: quote tables per code and the codebook as an appendix.

Built with python-docx on its default template, using its named styles (Title, Heading n,
Quote, a table style) so a researcher can restyle the document in Word in one go. Labels in
the documents are in the language of the run (Dutch by default): they go straight into a
report in that language.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from copy import deepcopy
from datetime import date
from functools import partial
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.document import DocumentPart
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.font import Font
from docx.text.paragraph import Paragraph

from kwali.export import docx_stream
from kwali.export.docx_stream import Cell, Para, Row, Run, Stream, text_of
from kwali.i18n import _, language, ngettext
from kwali.model import Code, Codebook, Memo

TABLE_STYLE = "Light Grid Accent 1"
FONT = "Calibri"
GREY = RGBColor(0x59, 0x59, 0x59)
_GREY = str(GREY)  # "595959", as streamed rows name it
_DOC_LANGUAGES = {"nl": "nl-NL", "en": "en-GB"}  # spelling check per run language
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """Text Word can store: no control characters (they make python-docx fail)."""
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))


# -- document scaffolding --------------------------------------------------------------------
def new_document(title: str, subtitle: str = "", *, landscape: bool = False) -> DocxDocument:
    """An A4 document in the run's language with a title, page numbers in the footer and
    sober styles."""
    plain = new_docx()
    doc = KwaliDocument(plain.element, plain.part)
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
    tag = _DOC_LANGUAGES.get(language(), "nl-NL")
    _set_language(doc, tag)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(footer, "PAGE", "1")
    doc.core_properties.title = title
    doc.core_properties.author = "kwali"
    doc.core_properties.language = tag
    doc.add_paragraph(clean(title), style="Title")
    if subtitle:
        muted(doc.add_paragraph(), clean(subtitle))
    return doc


def _set_language(doc: DocxDocument, language: str) -> None:
    """The spelling check's language for the whole document (default run properties)."""
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
    if not isinstance(doc, KwaliDocument):
        finish(doc)
    doc.save(str(path))


# -- tables fitted to their content ----------------------------------------------------------
# python-docx has no layout engine, so kwali measures text itself: the advance widths (1/1000
# em) of Calibri, read from Carlito, its metric-compatible twin that LibreOffice substitutes.
# A table in the code (not a font file on this machine) gives every machine the same document.
BREAK = "\u200b"  # a zero-width space: an exporter's permitted break inside a word
_MEASURED = (
    "".join(map(chr, range(0x20, 0x7F)))
    + "".join(map(chr, range(0xA0, 0x180)))
    + "ακ–—‘’‚“”„…·•€→×≥≤≠±"
)
_REGULAR = (
    "226 326 401 498 507 715 682 221 303 303 498 498 250 306 252 386 507 507 507 507 507 507 "
    "507 507 507 507 268 268 498 498 498 463 894 579 544 533 615 488 459 631 623 252 319 520 "
    "420 855 646 662 517 673 543 459 487 642 567 890 519 487 468 307 386 307 498 498 291 479 "
    "525 423 525 498 305 471 525 230 239 455 230 799 525 527 525 525 349 391 335 525 452 715 "
    "433 453 395 314 460 314 498 507 326 498 507 498 507 498 498 393 834 402 512 498 507 507 "
    "394 339 498 336 334 292 550 586 252 307 246 422 512 636 671 675 463 579 579 579 579 579 "
    "579 763 533 488 488 488 488 252 252 252 252 625 646 662 662 662 662 662 498 664 642 642 "
    "642 642 487 517 527 479 479 479 479 479 479 773 423 498 498 498 498 230 230 230 230 525 "
    "525 527 527 527 527 527 498 529 525 525 525 525 453 525 453 579 479 579 479 579 479 533 "
    "423 533 423 533 423 533 423 615 568 625 552 488 498 488 498 488 498 488 498 488 498 631 "
    "471 631 471 631 471 631 471 623 525 656 533 252 230 252 230 252 230 252 230 252 230 571 "
    "469 319 239 520 455 455 420 230 420 230 423 264 546 374 430 248 646 525 646 525 646 525 "
    "579 628 525 662 527 662 527 662 527 867 850 543 349 543 349 543 349 459 391 459 391 459 "
    "391 459 391 487 335 487 346 487 342 642 525 642 525 642 525 642 525 642 525 642 525 890 "
    "715 487 453 487 468 395 468 395 468 395 243 567 455 498 905 250 250 250 418 418 418 690 "
    "252 498 507 905 498 498 498 498 498 "
)
_BOLD = (
    "226 326 438 498 507 729 705 233 312 312 498 498 258 306 267 430 507 507 507 507 507 507 "
    "507 507 507 507 276 276 498 498 498 463 898 606 561 529 630 488 459 637 631 267 331 547 "
    "423 874 659 676 532 686 563 473 495 653 591 906 551 520 478 325 430 325 498 498 300 494 "
    "537 418 537 503 316 474 537 246 255 480 246 813 537 538 537 537 355 399 347 537 473 745 "
    "459 474 397 344 475 344 498 507 326 498 507 498 507 498 498 415 834 416 539 498 507 507 "
    "390 342 498 338 336 301 563 598 268 303 252 435 539 658 691 702 463 606 606 606 606 606 "
    "606 775 529 488 488 488 488 267 267 267 267 639 659 676 676 676 676 676 498 681 653 653 "
    "653 653 520 532 555 494 494 494 494 494 494 775 418 503 503 503 503 246 246 246 246 537 "
    "537 538 538 538 538 538 498 544 537 537 537 537 474 537 474 606 494 606 494 606 494 529 "
    "418 529 418 529 418 529 418 630 597 639 569 488 503 488 503 488 503 488 503 488 503 637 "
    "474 637 474 637 474 637 474 631 537 658 547 267 246 267 246 267 246 267 246 267 246 598 "
    "501 331 255 547 480 480 423 246 423 246 430 306 562 422 433 264 659 537 659 537 659 537 "
    "622 641 537 676 538 676 538 676 538 874 843 563 355 563 355 563 355 473 399 473 399 473 "
    "399 473 399 495 347 495 363 495 355 653 537 653 537 653 537 653 537 653 537 653 537 906 "
    "745 520 474 520 478 397 478 397 478 397 258 591 480 498 905 258 258 258 435 435 435 711 "
    "268 498 507 905 498 498 498 498 498 "
)
_EM = {
    bold: dict(zip(_MEASURED, map(int, widths.split()), strict=True))
    for bold, widths in ((False, _REGULAR), (True, _BOLD))
}
_EM[False][BREAK] = _EM[True][BREAK] = 0
_LETTER, _WIDE = 550, 1000  # a character the table lacks: an average letter; CJK: a full em
_SLACK = 1.04  # LibreOffice and Word round glyph positions to their own units
_MARGIN, _NARROW = 0.19, 0.08  # cm: the table style's cell margins (108 twips a side); narrowed
_HAIR = 0.1  # cm added to the margins: LibreOffice's borders and rounding
_SMALLEST, _STEP = 7.0, 0.5  # pt: how far a table too wide for landscape may shrink
_TWIPS = 1440 / 2.54  # a cm in twips
_SPACES = frozenset(" \t" + BREAK)
_PORTRAIT_ONLY = ("Heading", "Kop")  # paragraphs that open a chapter stay where they are
_SETTINGS_AFTER = frozenset(  # what follows w:updateFields in settings.xml (CT_Settings' order)
    "hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr attachedSchema "
    "themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures "
    "forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary shapeDefaults "
    "doNotEmbedSmartTags decimalSymbol listSeparator".split()
)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in cm of ``text`` set in Calibri at ``size`` points (no wrapping)."""
    em = _EM[bold]
    units = sum(em.get(c, _WIDE if ord(c) >= 0x2E80 else _LETTER) for c in text)
    return units * size * _SLACK * 2.54 / 72 / 1000


class _Need:
    """What a cell (or a column) needs: its longest unbreakable word, its longest line and
    the width of each of its lines, in cm at the cell's font sizes."""

    __slots__ = ("line", "lines", "word")

    def __init__(self) -> None:
        self.word = self.line = 0.0
        self.lines: list[float] = []


_Runs = Iterable[Iterable[tuple[str, float, bool]]]  # per paragraph: (text, size, bold) runs


def _measure(paragraphs: _Runs) -> _Need:
    """What a cell of these paragraphs needs; a run's text reads a line break as ``\\n``."""
    need = _Need()
    for paragraph in paragraphs:
        word = line = 0.0
        for text, run_size, bold in paragraph:
            scale = run_size * _SLACK * 2.54 / 72 / 1000
            em = _EM[bold]
            for char in text:
                if char == "\n":
                    need.lines.append(line)
                    word = line = 0.0
                    continue
                width = em.get(char, _WIDE if ord(char) >= 0x2E80 else _LETTER) * scale
                line += width
                word = 0.0 if char in _SPACES else word + width
                need.word = max(need.word, word)
        need.lines.append(line)
    need.line = max(need.lines, default=0.0)
    return need


def _tree_runs(cell: BaseOxmlElement, size: float, header: bool) -> _Runs:
    """A cell of the document tree as (text, size, bold) runs per paragraph."""
    for paragraph in cell.iter(qn("w:p")):
        runs = []
        for run in paragraph.iter(qn("w:r")):
            rpr = run.find(qn("w:rPr"))
            run_size, bold = size, header
            if rpr is not None:
                sz = rpr.find(qn("w:sz"))
                if sz is not None:
                    run_size = int(sz.get(qn("w:val"), size * 2)) / 2
                b = rpr.find(qn("w:b"))
                if b is not None:
                    bold = b.get(qn("w:val"), "true") not in ("0", "false", "off")
            runs.append((run.text or "", run_size, bold))  # CT_R.text: tabs, breaks as \t, \n
        yield runs


def _stream_runs(stream: Stream, cell: Cell) -> _Runs:
    """A streamed cell as (text, size, bold) runs per paragraph, at the table's shrunk size."""
    return (
        [(text_of(run), stream.run_size(run), bool(run.bold)) for run in paragraph]
        for paragraph in cell
    )


def _default_size(doc: DocxDocument) -> float:
    size = doc.styles["Normal"].font.size
    return size.pt if size is not None else 11.0


class _Lines:
    """The line widths of every single-column cell of a table, per column, with the row each
    line is in: compact arrays, as a table may have 300,000 rows."""

    __slots__ = ("owners", "rows", "widths")

    def __init__(self, columns: int) -> None:
        self.rows = 0
        self.widths = [array("d") for _unused in range(columns)]
        self.owners = [array("q") for _unused in range(columns)]

    def add(self, column: int, lines: list[float]) -> None:
        """The lines of the current row's cell in ``column`` (a cell has one line at least)."""
        self.widths[column].extend(lines or [0.0])
        self.owners[column].extend([self.rows - 1] * max(1, len(lines)))


def _columns(
    table: BaseOxmlElement, size: float, stream: Stream | None = None
) -> tuple[list[_Need], list[tuple[int, int, float]], _Lines]:
    """Per grid column what its cells need; cells spanning columns: (first, count, word);
    and per row the lines of each single-column cell (a streamed table's rows too)."""
    grid = table.find(qn("w:tblGrid"))
    needs = [_Need() for _unused in grid.findall(qn("w:gridCol"))] if grid is not None else []
    spans: list[tuple[int, int, float]] = []
    rows = _Lines(len(needs))
    for number, row in enumerate(table.findall(qn("w:tr"))):
        column = 0
        rows.rows += 1
        for cell in row.findall(qn("w:tc")):
            span_element = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            span = int(span_element.get(qn("w:val"), 1)) if span_element is not None else 1
            need = _measure(_tree_runs(cell, size, header=number == 0))
            if span == 1 and column < len(needs):
                into = needs[column]
                into.word, into.line = max(into.word, need.word), max(into.line, need.line)
                rows.add(column, need.lines)
            elif span > 1:
                spans.append((column, span, need.word))
            column += span
    if stream is not None:
        stream.chars = stream.count = 0
        for streamed in stream.rows():
            rows.rows += 1
            stream.count += 1
            for column, cell in enumerate(streamed):
                need = _measure(_stream_runs(stream, cell))
                into = needs[column]
                into.word, into.line = max(into.word, need.word), max(into.line, need.line)
                rows.add(column, need.lines)
                stream.chars += sum(len(run.text) for paragraph in cell for run in paragraph)
    return needs, spans, rows


def _line_counts(
    widths: np.ndarray, owners: np.ndarray, rows: int, width: float, pad: float
) -> np.ndarray:
    """Lines each row's cell of a column takes at ``width`` (as if words broke anywhere: close
    enough to compare); 0 for a row without a cell in the column."""
    room = max(width - pad, 0.01)
    per_line = np.maximum(1.0, np.ceil(widths / room - 1e-9))
    return np.bincount(owners, weights=per_line, minlength=rows).astype(np.int64)


def _share(
    least: list[float],
    want: list[float],
    given: list[float],
    lines: _Lines,
    total: float,
    pad: float,
) -> list[float]:
    """``total`` shared out: every column its least, then, step by step, more width to the
    column where it saves the most lines of table per cm; what no text needs, as ``given``.
    So short columns (a reference, a coder) stay on one line and long text takes the rest.

    A table's height is the sum over its rows of its tallest cell: a matrix of line counts
    (rows x columns) in numpy, as a table may have 300,000 rows."""
    widths = list(least)
    line_widths = [np.frombuffer(w, dtype=np.float64) for w in lines.widths]
    owners = [np.frombuffer(o, dtype=np.int64) for o in lines.owners]
    counts = np.zeros((lines.rows, len(widths)), dtype=np.int64)
    for column, width in enumerate(widths):
        counts[:, column] = _line_counts(
            line_widths[column], owners[column], lines.rows, width, pad
        )

    def others(column: int) -> np.ndarray:
        """Per row, its tallest cell in the other columns (1 without one)."""
        rest = np.delete(counts, column, axis=1)
        return rest.max(axis=1, initial=1)

    def height(column: int, width: float, tallest: np.ndarray) -> tuple[int, np.ndarray]:
        new = _line_counts(line_widths[column], owners[column], lines.rows, width, pad)
        return int(np.maximum(tallest, new).sum()), new

    current = int(counts.max(axis=1, initial=1).sum())
    while (rest := total - sum(widths)) > 1e-6:
        best: tuple[float, int, float, int, np.ndarray] | None = None
        for column in range(len(widths)):
            room = max(widths[column] - pad, 0.01)
            mine = line_widths[column]
            wrapped = np.ceil(mine / room - 1e-9)
            longer = wrapped > 1
            if not longer.any():
                continue
            # the width at which a wrapped line of this column loses a line
            needed = float((mine[longer] / (wrapped[longer] - 1) + pad).min())
            tallest = others(column)
            # the next line saved, or a longer stride: a long text saves lines on every row
            # only over a stretch of width, a short one all at once
            for stride in {max(0.05, needed - widths[column] + 1e-6), 0.5, 1.0, 2.0}:
                jump = min(rest, stride)
                height_now, new = height(column, widths[column] + jump, tallest)
                gain = (current - height_now) / jump
                if gain > 0 and (best is None or gain > best[0]):
                    best = (gain, column, jump, height_now, new)
        if best is None:
            break
        _gain, column, jump, current, new = best
        widths[column] += jump
        counts[:, column] = new
    # a header row of several wrapped names only gets shorter when all of them unwrap: what
    # is left goes to the columns whose lines it keeps whole, the cheapest first
    for column in sorted(range(len(widths)), key=lambda c: want[c] - widths[c]):
        extra = want[column] - widths[column]
        if 0 < extra <= total - sum(widths) + 1e-9:
            widths[column] = want[column]
    if (rest := total - sum(widths)) > 1e-6:  # room no text needs: as the exporter shared it
        widths = [w + rest * g / sum(given) for w, g in zip(widths, given, strict=True)]
    return widths


def _cell_margin(table: BaseOxmlElement) -> float:
    """The table's left (= right) cell margin in cm: its own, else the table style's."""
    left = table.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}/{qn('w:left')}")
    return int(left.get(qn("w:w"), 0)) / _TWIPS if left is not None else _MARGIN


def _narrow_margins(table: BaseOxmlElement) -> None:
    """Cell margins of 0.08 cm left and right: room for a wide table's words before its font
    has to shrink."""
    properties = table.find(qn("w:tblPr"))
    margins = properties.find(qn("w:tblCellMar"))
    if margins is None:
        margins = OxmlElement("w:tblCellMar")
        later = [
            c
            for c in properties
            if str(c.tag).rpartition("}")[2] in ("tblLook", "tblCaption", "tblDescription")
        ]
        if later:
            later[0].addprevious(margins)
        else:
            properties.append(margins)
    for side in ("left", "right"):
        element = margins.find(qn(f"w:{side}"))
        if element is None:
            element = OxmlElement(f"w:{side}")
            margins.append(element)
        element.set(qn("w:w"), str(round(_NARROW * _TWIPS)))
        element.set(qn("w:type"), "dxa")


def _fit(
    table: BaseOxmlElement, room: float, size: float, stream: Stream | None = None
) -> list[float] | None:
    """Column widths in cm that keep every word whole within ``room``; None if none do."""
    needs, spans, rows = _columns(table, size, stream)
    if not needs:
        return None
    pad = 2 * _cell_margin(table) + _HAIR
    least = [n.word + pad for n in needs]
    for first, count, word in spans:  # a merged cell's word across its columns
        short = word + pad - sum(least[first : first + count])
        if short > 0:
            for i in range(first, min(first + count, len(least))):
                least[i] += short / count
    if sum(least) > room + 1e-6:
        return None
    want = [max(low, n.line + pad) for n, low in zip(needs, least, strict=True)]
    given = [max(1, int(c.get(qn("w:w"), 0))) / _TWIPS for c in table.iter(qn("w:gridCol"))]
    given = (given + [1.0] * len(least))[: len(least)]
    total = min(room, max(sum(given), min(sum(want), room)))
    return _share(least, want, given, rows, total, pad)


def _set_widths(table: BaseOxmlElement, widths: list[float], stream: Stream | None = None) -> None:
    """The grid (LibreOffice lays out by it), each cell (Word does) and the table's width."""
    twips = [round(w * _TWIPS) for w in widths]
    if stream is not None:
        stream.twips = twips
    for column, width in zip(table.iter(qn("w:gridCol")), twips, strict=False):
        column.set(qn("w:w"), str(width))
    for row in table.findall(qn("w:tr")):
        column = 0
        for cell in row.findall(qn("w:tc")):
            properties = cell.get_or_add_tcPr()
            span_element = properties.find(qn("w:gridSpan"))
            span = int(span_element.get(qn("w:val"), 1)) if span_element is not None else 1
            cell_width = properties.get_or_add_tcW()
            cell_width.set(qn("w:type"), "dxa")
            cell_width.set(qn("w:w"), str(sum(twips[column : column + span])))
            column += span
    properties = table.tblPr
    table_width = properties.find(qn("w:tblW"))
    if table_width is None:
        table_width = OxmlElement("w:tblW")
        properties.append(table_width)
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(twips)))


def _shrink(table: BaseOxmlElement, size: float, stream: Stream | None = None) -> float:
    """Every run of the table half a point smaller; the smallest size left."""
    smallest = size
    for run in table.iter(qn("w:r")):
        font = Font(run)
        now = font.size.pt if font.size is not None else size
        font.size = Pt(max(_SMALLEST, now - _STEP))
        smallest = min(smallest, max(_SMALLEST, now - _STEP))
    if stream is not None:  # its runs shrink as they are written
        stream.shrink += 1
        for row in stream.rows():
            for cell in row:
                for paragraph in cell:
                    for streamed in paragraph:
                        smallest = min(smallest, stream.run_size(streamed))
    return smallest


def _rooms(section: BaseOxmlElement) -> tuple[float, float]:
    """The text width in cm of a section as it is, and turned to landscape."""
    size, margins = section.find(qn("w:pgSz")), section.find(qn("w:pgMar"))
    width, height = (int(size.get(qn(f"w:{k}"), 0)) for k in ("w", "h"))
    sides = sum(int(margins.get(qn(f"w:{k}"), 0)) for k in ("left", "right"))
    return (width - sides) / _TWIPS, (max(width, height) - sides) / _TWIPS


def _sections(body: BaseOxmlElement) -> list[tuple[BaseOxmlElement, BaseOxmlElement]]:
    """Every table of the body with the w:sectPr of its section (a section ends at a
    paragraph holding one; the body's own is the last)."""
    found, waiting = [], []
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            waiting.append(child)
        elif child.tag == qn("w:p") and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            ending = child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
            found += [(table, ending) for table in waiting]
            waiting = []
    last = body.find(qn("w:sectPr"))
    return found + [(table, last) for table in waiting]


def _is_heading(element: BaseOxmlElement) -> bool:
    style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style is not None and str(style.get(qn("w:val"), "")).startswith(_PORTRAIT_ONLY)


def _ends_section(element: BaseOxmlElement) -> bool:
    return element.tag == qn("w:sectPr") or (
        element.tag == qn("w:p") and element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    )


def _turn(doc: DocxDocument, table: BaseOxmlElement, section: BaseOxmlElement) -> None:
    """Put ``table`` in a landscape section of its own: with the headings just above it and
    the notes just below it (up to the next heading or table). Where only the title comes
    before it or nothing after it, its section simply turns, without a break."""
    start = table
    while (before := start.getprevious()) is not None and _is_heading(before):
        start = before
    end = table
    while (
        (after := end.getnext()) is not None
        and after.tag == qn("w:p")
        and not _is_heading(after)
        and not _ends_section(after)
    ):
        end = after
    earlier = []
    element = start.getprevious()
    while element is not None and not _ends_section(element):
        earlier.append(element)
        element = element.getprevious()
    title_only = not any(e.tag != qn("w:p") or _is_heading(e) for e in earlier)
    after = end.getnext()
    last = after is None or _ends_section(after)
    if earlier and not title_only:  # the pages before stay as they were
        portrait = deepcopy(section)
        previous = start.getprevious()
        if previous.tag != qn("w:p"):
            previous = OxmlElement("w:p")
            start.addprevious(previous)
        previous.get_or_add_pPr().append(portrait)  # sectPr is pPr's last child
    if last:
        landscape = section
    else:
        landscape = deepcopy(section)
        closing = end if end.tag == qn("w:p") else OxmlElement("w:p")
        if closing is not end:
            end.addnext(closing)
        closing.get_or_add_pPr().append(landscape)
    turned = Section(landscape, doc.part)
    sides = sorted((turned.page_width or Cm(21.0), turned.page_height or Cm(29.7)))
    turned.orientation = WD_ORIENT.LANDSCAPE
    turned.page_height, turned.page_width = sides


def fit_tables(doc: DocxDocument) -> None:
    """Every data table of ``doc`` (the ones :func:`styled_table` makes) as wide as its
    content asks, no word broken inside a cell. A table in another style (a transcript's
    line layout) keeps the widths its exporter chose.

    Each column gets at least its longest word (a header's in bold); the rest of the width
    the exporter gave the table (grown up to the page when the lines want it) goes where it
    saves the most lines. A table whose words do not fit the portrait page gets a landscape
    section; one too wide even for that, narrower cell margins, then a smaller font, half a
    point at a time down to 7 points. Only a word wider than all that still breaks.
    """
    size = _default_size(doc)
    data_style = doc.styles[TABLE_STYLE].style_id
    for table, section in _sections(doc.element.body):
        style = table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        if style is None or style.get(qn("w:val")) != data_style:
            continue
        stream = stream_of(doc, table)
        room, turned = _rooms(section)
        widths = _fit(table, room, size, stream)
        if widths is None and turned > room + 1e-6:
            _turn(doc, table, section)
            room = turned
            widths = _fit(table, room, size, stream)
        if widths is None:
            _narrow_margins(table)
            widths = _fit(table, room, size, stream)
        smallest = size
        while widths is None and smallest > _SMALLEST:
            smallest = _shrink(table, size, stream)
            widths = _fit(table, room, size, stream)
        if widths is None:  # nothing fits: the longest words' proportions, at the page's width
            needs = _columns(table, size, stream)[0]
            least = [n.word + 2 * _cell_margin(table) + _HAIR for n in needs]
            widths = [room * w / sum(least) for w in least] if needs else []
        _set_widths(table, widths, stream)


def update_fields_on_open(doc: DocxDocument) -> None:
    """Ask Word to compute fields when it opens the document, so a table of contents shows its
    page numbers without F9 (PAGE in the footer needs no asking)."""
    fields = [t.text or "" for t in doc.element.body.iter(qn("w:instrText"))]
    if not any(f.split()[:1] not in (["PAGE"], ["NUMPAGES"], []) for f in fields):
        return
    settings = doc.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        later = [c for c in settings if str(c.tag).rpartition("}")[2] in _SETTINGS_AFTER]
        if later:
            later[0].addprevious(update)
        else:
            settings.append(update)
    update.set(qn("w:val"), "true")


def finish(doc: DocxDocument) -> None:
    """What every Word export needs just before it is written."""
    fit_tables(doc)
    update_fields_on_open(doc)


class KwaliDocument(DocxDocument):
    """A python-docx document that is finished (:func:`finish`) whenever it is saved, so
    every exporter's document gets it, however it writes the file; its long tables' rows
    (:func:`streamed_table`) are written straight into the file as it is saved."""

    def __init__(self, element: BaseOxmlElement, part: DocumentPart) -> None:
        super().__init__(element, part)
        self.streams: dict[int, Stream] = {}

    def save(self, path_or_stream: IO[bytes] | str) -> None:
        finish(self)
        if not self.streams:
            super().save(path_or_stream)
            return
        docx_stream.save(super().save, self.streams, path_or_stream)


def streamed_table(
    doc: DocxDocument,
    headers: Sequence[str],
    widths: Sequence[float],
    rows: Callable[[], Iterable[Row]],
) -> Table:
    """A :func:`styled_table` whose body rows are written as the document is saved: ``rows()``
    yields them (afresh on every call: they are measured to fit the columns, then written)."""
    table = styled_table(doc, headers, widths)
    if not isinstance(doc, KwaliDocument):
        raise TypeError("streamed_table needs a document made by new_document")
    twips = [round(Cm(w).twips) for w in widths]
    docx_stream.mark(table._tbl, doc.streams, Stream(rows, twips, size=_default_size(doc)))
    return table


def stream_of(doc: DocxDocument, table: BaseOxmlElement) -> Stream | None:
    """The streamed rows of ``table``, if it has any."""
    streams = getattr(doc, "streams", None)
    if not streams:
        return None
    return docx_stream.stream_in(table, streams)


# -- quote tables ----------------------------------------------------------------------------
def _quote_headers() -> list[str]:
    """Quote, respondent, source, coder: the coder column is the fourth."""
    return [_("Citaat"), _("Respondent"), _("Bron"), _("Codeur")]


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
    coder_column: bool = True,
) -> DocxDocument:
    """One table per code under numbered headings, or one table with a code column; the
    coder column only with ``coder_column``."""
    doc = new_document(title, subtitle, landscape=one_table)  # a code column needs the width
    memos = bool(table["memo"].astype(bool).any()) if len(table) else False
    headers = _quote_headers() + ([_("Memo")] if memos else [])
    widths = [8.6, 2.9, 3.1, 2.0] if not memos else [6.4, 2.6, 3.0, 1.8, 2.8]
    if one_table:
        headers = [_("Code"), *headers]
        widths = [3.5, 13.5, 3.2, 3.3, 1.8] if not memos else [3.2, 10.5, 3.0, 3.2, 1.8, 3.6]
    if not coder_column:  # its width goes to the quotes
        at = 4 if one_table else 3  # the coder column
        widths[at - 3] += widths.pop(at)
        headers.pop(at)

    def quote_rows(positions: list[int] | None = None) -> Iterator[Row]:
        """The rows of the table, or of the rows at ``positions`` (one code's table)."""
        code_column = positions is None
        for row in _records(table if positions is None else table.iloc[positions]):
            cells = _quote_cells(row, attributes, memos, coder_column)
            yield [[[Run(clean(row["code_path"]), size=9)]], *cells] if code_column else cells

    if one_table:
        streamed_table(doc, headers, widths, quote_rows)
        if not len(table):
            muted(
                doc.add_paragraph(),
                _("Geen gecodeerde fragmenten voor deze selectie."),
                italic=True,
            )
        return doc
    numbers = numbering(codebook, codes)
    # row positions per code, not copies of the table: each table's rows are read as written
    by_code = table.groupby("code", sort=False).indices if len(table) else {}
    shown = [c for c in codes if not skip_empty or c.key in by_code or c.kind == "category"]
    for code in with_ancestors(codebook, shown):
        heading(doc, codebook, code, numbers)
        add_definition(doc, code)
        rows = by_code.get(code.key)
        if rows is None:
            if not codebook.children(code.key):
                muted(doc.add_paragraph(), _("Geen gecodeerde fragmenten."), italic=True)
            continue
        streamed_table(doc, headers, widths, partial(quote_rows, list(map(int, rows))))
        doc.add_paragraph()
    return doc


def with_ancestors(codebook: Codebook, codes: Sequence[Code]) -> list[Code]:
    """Codes in tree order with their parents, so every heading has its chapter."""
    keep = {a.key for c in codes for a in codebook.path(c.key)}
    return [c for c in codebook.in_tree_order() if c.key in keep]


def _records(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """The rows of ``frame`` as dicts, one at a time (``iterrows`` builds a Series each)."""
    columns = [str(c) for c in frame.columns]
    for values in zip(*(frame[c].tolist() for c in frame.columns), strict=True):
        yield dict(zip(columns, values, strict=True))


def _muted(text: object, size: float = 9) -> Run:
    """The run :func:`muted` adds, as streamed data."""
    return Run(clean(text), size=size, italic=False, color=_GREY)


def _quote_cells(
    row: Mapping[str, Any],
    attributes: Sequence[str],
    memos: bool,
    coder_column: bool = True,
) -> list[Cell]:
    """A quote's cells: the quote in its context, who said it, where, the coder, the memo."""
    quote = [
        *([_muted(f"{row['context_before']} ")] if row["context_before"] else []),
        Run(clean(row["text"])),
        *([_muted(f" {row['context_after']}")] if row["context_after"] else []),
    ]
    who: list[Para] = [[Run(clean(row["respondent"] or "—"), size=9)]]
    for key in attributes:
        column = key if key in row else f"attribute {key}"
        if column in row and row[column] and str(row[column]) not in str(row["respondent"]):
            who.append([_muted(row[column], size=8)])  # values speak for themselves
    extra = " · ".join(v for v in (row["quotation"], row["timestamp"]) if v)
    cells: list[Cell] = [[quote], who, [[Run(clean(row["reference"]), size=9)], [_muted(extra, 8)]]]
    if coder_column:
        cells.append([[Run(clean(row["coder"]), size=9)]])
    if memos:
        cells.append([[_muted(row["memo"], size=8.5)]])
    return cells


# -- codebook appendix -----------------------------------------------------------------------
def _fields() -> tuple[tuple[str, str], ...]:
    """A code's fields in the codebook appendix, with their labels."""
    return (
        ("definition", _("Definitie")),
        ("include", _("Wel coderen")),
        ("exclude", _("Niet coderen")),
    )


def codebook_document(
    codebook: Codebook,
    *,
    title: str = "",
    counts: dict[str, int] | None = None,
    memos: Mapping[str, Sequence[Memo]] | None = None,
) -> DocxDocument:
    """Every code with its definition, coding rules, examples, signal words and memos."""
    name = codebook.name or _("Codeboek")
    n_codes = sum(1 for c in codebook if c.kind == "code")
    subtitle = " · ".join(
        v
        for v in (
            _("versie {version}").format(version=codebook.version) if codebook.version else "",
            date.today().isoformat(),
            ngettext("{n} code", "{n} codes", n_codes).format(n=n_codes),
        )
        if v
    )
    doc = new_document(title or _("Bijlage: codeboek {name}").format(name=name).strip(), subtitle)
    if codebook.description:
        doc.add_paragraph(clean(codebook.description))
    if not len(codebook):
        muted(doc.add_paragraph(), _("Het codeboek is leeg."), italic=True)
    numbers = numbering(codebook)
    widths = (3.4, 13.2)
    for code in codebook.in_tree_order():
        heading(doc, codebook, code, numbers)
        grid = styled_table(doc, (_("Code"), code.key), widths)
        for attribute, label in _fields():
            value = getattr(code, attribute)
            if value:
                cells = add_row(grid, widths)
                cells[0].text, cells[1].text = label, clean(value)
        if code.examples:
            cells = add_row(grid, widths)
            cells[0].text = _("Voorbeelden")
            for number, example in enumerate(code.examples):
                paragraph = cells[1].paragraphs[0] if number == 0 else cells[1].add_paragraph()
                paragraph.add_run(clean(f"“{example}”")).italic = True
        signals = [*code.signals.lemmas, *code.signals.phrases, *code.signals.compounds]
        if signals:
            cells = add_row(grid, widths)
            cells[0].text = _("Signaalwoorden")
            cells[1].text = clean(", ".join(signals))
        if counts is not None:
            cells = add_row(grid, widths)
            cells[0].text, cells[1].text = _("Fragmenten"), str(counts.get(code.key, 0))
        for number, memo in enumerate((memos or {}).get(code.key, ())):
            cells = add_row(grid, widths)
            cells[0].text = _("Memo's") if number == 0 else ""
            cells[1].paragraphs[0].add_run(clean(memo.text))
            muted(cells[1].add_paragraph(), f"{memo.coder} · {memo.changed[:10]}", size=8)
        doc.add_paragraph()
    return doc
