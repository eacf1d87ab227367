"""The coded transcript in Word: numbered lines, and the codings in the margin as bars with
their labels beside them, as Atlas.ti and MAXQDA print a document with its codes.

Layout: one borderless table per document, one row per line of the transcript (a line cut
where a coding starts or ends in it, see :mod:`kwali.export.transcript_data`), with the
columns *line number | text | a narrow column per lane | the labels*. A bar is the lane's
cells shaded in the code's colour from the coding's first row to its last; its label
stands beside its first row, in the same colour. With ``per_coder`` each coder has lanes
and a label column of their own, under their name.

Why a table and not Word's line numbering (``w:lnNumType``) with a margin beside it: Word
numbers the lines it *prints*, which depend on the font, the page and the program (Word and
LibreOffice wrap a paragraph differently, so their numbers differ), and none of them is the
``r. 45`` a quotes export or the coding screen gives; and a bar beside printed lines needs
floating shapes, which LibreOffice places differently from Word. In a table a bar cell
belongs to its row of text: it grows when the text wraps, breaks across pages with it, and
stays beside the right words in Word, LibreOffice and after a reader changes the font.
Cell shading and cell borders are drawn alike by both.

Named paragraph styles ("Transcript tekst", "Transcript regelnummer", "Transcript code")
let a researcher restyle the whole transcript in one go.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.errors import ExportError
from kwali.export.base import Exporter, ExportResult
from kwali.export.files import check_target
from kwali.export.options import Selection
from kwali.i18n import _

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    from kwali.export.transcript_data import Layout, Margin, Mark, Row
    from kwali.model import Coding, Document
    from kwali.store import Project


@dataclass(frozen=True)
class TranscriptOptions(Selection):
    documents: Sequence[str] = ()  # numbers or names; none: every interview (no survey answers)
    per_coder: bool = False  # a margin of its own per coder
    each: bool = False  # one file per document; ``out`` is then a folder
    anonymize: bool = False
    title: str = ""


@dataclass(frozen=True)
class Part:
    """One document as the Word file shows it: its facts, its rows and margins."""

    number: int
    name: str
    facts: tuple[tuple[str, str], ...]
    layout: Layout
    labels: Mapping[str, str]  # code key -> label
    colours: Mapping[str, str]  # code key -> "#rrggbb"
    coders: tuple[str, ...]  # whose codings are shown
    per_coder: bool = False
    counts: Mapping[str, int] = field(default_factory=dict)  # code key -> bars
    codings: int = 0  # the codings drawn (a bar of several coders counts each)


# -- from the project --------------------------------------------------------------------
def chosen_documents(project: Project, names: Sequence[str]) -> list[Document]:
    """The documents named (number or name), in the order given; none: every interview."""
    if not names:
        surveys = project.survey_document_ids()
        return [project.require_document(i) for i in project.document_ids() if i not in surveys]
    found: dict[int, Document] = {}
    for name in names:
        document = project.find_document(str(name))  # one line naming it when there is none
        found.setdefault(document.id, document)
    return list(found.values())


def check_coders(project: Project, coders: Sequence[str]) -> None:
    known = project.coders()
    unknown = [c for c in coders if c not in known]
    if unknown:
        raise ExportError(
            _("heeft geen codeur {coder} (codeurs: {known})").format(
                coder=repr(unknown[0]), known=", ".join(known) or _("nog geen")
            ),
            path=project.location,
        )


def transcript_parts(
    project: Project, options: TranscriptOptions, cleaner: Callable[[str], str] | None = None
) -> list[Part]:
    """Each chosen document with its codings by the chosen coders, of the chosen codes."""
    from kwali.export.chart_data import colours
    from kwali.export.tables import select_codes
    from kwali.export.transcript_data import layout
    from kwali.store.attribute_types import shown_value

    codes, coders = options.chosen()
    if coders:
        check_coders(project, coders)
    documents = chosen_documents(project, options.documents)
    codebook = project.codebook()
    keys = {c.key for c in select_codes(codebook, codes, project.path)}
    order = {c.key: i for i, c in enumerate(codebook.in_tree_order())}
    labels = {c.key: c.label or c.key for c in codebook}
    palette = colours(codebook)
    types = project.attribute_types()
    clean = cleaner or (lambda text: text)
    parts = []
    for document in documents:
        codings: list[Coding] = [
            c for c in project.codings(document_id=document.id, coders=coders) if c.code_key in keys
        ]
        shown = tuple(coders or sorted({c.coder for c in codings}))
        drawn = layout(
            document.text,
            project.turns(document.id),
            codings,
            per_coder=options.per_coder,
            coders=shown,
            order=order,
            anonymize=cleaner,
        )
        counts: dict[str, int] = {}
        for margin in drawn.margins:
            for mark in margin.marks:
                counts[mark.code_key] = counts.get(mark.code_key, 0) + 1
        attributes = " · ".join(
            f"{shown_value(key)}: {clean(shown_value(value, types.get(key, 'text')))}"
            for key, value in sorted(document.attributes.items())
        )
        facts = [
            (_("Document"), f"{document.number} · {clean(document.name)}"),
            *([(_("Kenmerken"), attributes)] if attributes else []),
            (_("Codeurs"), _coders_fact(shown, options.per_coder, bool(coders))),
            (_("Codes"), _codes_fact(codes, labels)),
            (_("Regels"), str(drawn.lines())),
            (_("Datum"), date.today().isoformat()),
            *(
                [(_("Anonimisering"), _("namen vervangen volgens de lijst in het project"))]
                if cleaner
                else []
            ),
        ]
        parts.append(
            Part(
                document.number,
                clean(document.name),
                tuple(facts),
                drawn,
                labels,
                palette,
                shown,
                options.per_coder,
                counts,
                len(codings),
            )
        )
    return parts


def _coders_fact(coders: Sequence[str], per_coder: bool, chosen: bool) -> str:
    if not coders:
        return _("geen coderingen van deze codeurs") if chosen else _("geen coderingen")
    text = ", ".join(coders)
    if per_coder and len(coders) > 1:
        return _("{coders} (elk een eigen marge)").format(coders=text)
    return text


def _codes_fact(codes: Sequence[str] | None, labels: Mapping[str, str]) -> str:
    if not codes:
        return _("alle")
    shown = [labels.get(key, key) for key in codes]
    if len(shown) > 8:
        return _("{codes} en {n} meer").format(codes=", ".join(shown[:8]), n=len(shown) - 8)
    return ", ".join(shown)


# -- the exporter ------------------------------------------------------------------------
class TranscriptExporter(Exporter[TranscriptOptions]):
    name = "transcript"
    formats = ("docx",)
    options_type = TranscriptOptions
    summary = _("een transcript met regelnummers en de coderingen in de marge (docx)")
    refuses_unknown_coders = True  # in one line (check_coders): the command adds no warning

    def write(
        self,
        project: Project,
        out: str | Path,
        *,
        fmt: str | None = None,
        force: bool = False,
        options: TranscriptOptions | None = None,
        **fields: object,
    ) -> ExportResult:
        opts = self.make_options(options, fields)
        out = Path(out)
        if not opts.each:
            return super().write(project, out, fmt=fmt, force=force, options=opts)
        if fmt not in (None, "docx"):
            raise ExportError(
                _("kan niet als {fmt} geschreven worden (kies {formats})").format(
                    fmt=fmt, formats="docx"
                ),
                path=out,
            )
        if not out.is_dir():
            raise ExportError(_("is geen map (met --each noemt -o een map)"), path=out)
        return self.run(project, out, "docx", force, opts)

    def run(
        self, project: Project, out: Path, fmt: str, force: bool, options: TranscriptOptions
    ) -> ExportResult:
        from kwali.export.exporters import _cleaner
        from kwali.export.files import write_docx

        cleaner = _cleaner(project, options.anonymize, required=True)
        parts = transcript_parts(project, options, cleaner)
        counts = {"documents": len(parts), "codings": sum(part.codings for part in parts)}
        if not options.each:
            doc = transcript_document(parts, title=options.title)
            return ExportResult(write_docx(doc, out, force=force), (), counts)
        targets = [out / file_name(part) for part in parts]
        for target in targets:  # every file checked before the first is written
            check_target(target, force)
        for part, target in zip(parts, targets, strict=True):
            write_docx(transcript_document([part], title=options.title), target, force=force)
        return ExportResult(out, (), counts)


def file_name(part: Part) -> str:
    """``03_werkzoekende_vrouw_mantelzorg.docx``: the number first, so files sort in order."""
    stem = re.sub(r"[^\w.-]+", "_", part.name).strip("._") or "document"
    prefix = f"{part.number:02d}_"
    return f"{stem if stem.startswith(prefix) else prefix + stem}.docx"


# -- the Word document -------------------------------------------------------------------
_LANE = 0.32  # cm: a bar and the white edges that keep two bars apart
_NUMBER = 1.0  # cm: the line number column
_LABELS = 4.0  # cm: one margin's labels
_LABELS_NARROW = 3.0  # cm: each coder's labels, several margins side by side
_MIN_TEXT = 8.5  # cm: below this the section turns landscape
_PORTRAIT = 21.0 - 2 * 2.2  # cm between the side margins new_document sets
_LANDSCAPE = 29.7 - 2 * 2.2
_TEXT_PT = 9.5
_SMALL_PT = 8.0
_BLANK_PT = 6.0  # the height of an empty line's row


def transcript_document(parts: Sequence[Part], *, title: str = "") -> DocxDocument:
    """A Word file with each part's facts and transcript; each from a new page."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    from kwali.export.word import new_document

    first = parts[0] if parts else None
    heading = title or (
        _("Gecodeerd transcript: {name}").format(name=first.name)
        if first is not None and len(parts) == 1
        else _("Gecodeerde transcripten")
    )
    doc = new_document(heading)
    _styles(doc)
    if not parts:
        doc.add_paragraph(_("Geen documenten gekozen."))
        return doc
    for index, part in enumerate(parts):
        section = doc.sections[-1] if index == 0 else doc.add_section(WD_SECTION.NEW_PAGE)
        widths = _widths(part, _PORTRAIT)
        if widths is None:  # too many lanes for portrait: this document goes landscape
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21.0)
            widths = _widths(part, _LANDSCAPE) or _squeezed(part, _LANDSCAPE)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        _page_header(section, part)
        if len(parts) > 1:
            doc.add_heading(part.name, level=1)
        _facts(doc, part)
        _legend(doc, part)
        _table(doc, part, widths)
    return doc


def _styles(doc: DocxDocument) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from kwali.export.word import GREY

    for name, size, grey, align in (
        ("Transcript tekst", _TEXT_PT, False, None),
        ("Transcript regelnummer", _SMALL_PT, True, WD_ALIGN_PARAGRAPH.RIGHT),
        ("Transcript code", _SMALL_PT, False, None),
        ("Transcript balk", 2.0, False, None),  # an empty paragraph: the text sets the height
    ):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(size)
        if grey:
            style.font.color.rgb = GREY
        form = style.paragraph_format
        form.space_before = form.space_after = Pt(0)
        form.line_spacing = 1.0
        if align is not None:
            form.alignment = align


def _page_header(section: object, part: Part) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from kwali.export.word import clean, muted

    header = section.header  # type: ignore[attr-defined]
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    running = _("Gecodeerd transcript · {number} · {name}").format(
        number=part.number, name=part.name
    )
    muted(paragraph, clean(running), size=8)


def _facts(doc: DocxDocument, part: Part) -> None:
    from docx.shared import Cm, Pt

    from kwali.export.word import GREY, clean

    table = doc.add_table(rows=0, cols=2)
    table.autofit = False
    for label, value in part.facts:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(2.8), Cm(13.8)
        run = cells[0].paragraphs[0].add_run(label)
        run.font.size, run.font.color.rgb, run.bold = Pt(9), GREY, True
        cells[1].paragraphs[0].add_run(clean(value)).font.size = Pt(9)
        for cell in cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(2)
    for column, width in zip(table.columns, (2.8, 13.8), strict=True):
        column.width = Cm(width)


def _legend(doc: DocxDocument, part: Part) -> None:
    """The codes of this transcript in their colours, with how many bars each has."""
    from docx.shared import Pt

    from kwali.export.word import clean, muted

    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    if not part.counts:
        muted(paragraph, _("Geen coderingen in dit transcript voor deze selectie."), italic=True)
        return
    muted(paragraph, _("Codes in dit transcript: "), size=8.5)
    order = list(part.labels)
    for number, key in enumerate(sorted(part.counts, key=order.index)):
        _swatch(paragraph, part.colours.get(key, "#777777"))
        label = f"\u00a0{part.labels.get(key, key)}\u00a0({part.counts[key]})"
        run = paragraph.add_run(clean(label))  # the swatch never parts from its label
        run.font.size = Pt(8.5)
        if number < len(part.counts) - 1:
            paragraph.add_run("   ").font.size = Pt(8.5)


def _swatch(paragraph: object, colour: str) -> None:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run("■")  # type: ignore[attr-defined]
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())


@dataclass(frozen=True)
class _Widths:
    number: float
    text: float
    lane: float
    labels: float  # each margin's label column


def _widths(part: Part, usable: float) -> _Widths | None:
    """Column widths in cm; None when the text column would get too narrow."""
    labels = _LABELS if len(part.layout.margins) == 1 else _LABELS_NARROW
    margins = sum(max(1, m.lanes) * _LANE + labels for m in part.layout.margins)
    text = usable - _NUMBER - margins
    return _Widths(_NUMBER, text, _LANE, labels) if text >= _MIN_TEXT else None


def _squeezed(part: Part, usable: float) -> _Widths:
    """Landscape and still too many lanes: narrower bars and labels, text at its minimum."""
    lanes = sum(max(1, m.lanes) for m in part.layout.margins)
    columns = len(part.layout.margins)
    room = max(usable - _NUMBER - _MIN_TEXT, 0.5 * lanes + 1.5 * columns)
    lane = min(_LANE, room * 0.3 / lanes)
    labels = (room - lane * lanes) / columns
    return _Widths(_NUMBER, usable - _NUMBER - lane * lanes - labels * columns, lane, labels)


def _table(doc: DocxDocument, part: Part, widths: _Widths) -> None:
    from docx.shared import Cm, Pt

    from kwali.export.transcript_data import label_rows
    from kwali.export.word import clean

    spans: list[tuple[Margin, int]] = [(m, max(1, m.lanes)) for m in part.layout.margins]
    columns = [widths.number, widths.text]
    for _unused, lanes in spans:
        columns += [widths.lane] * lanes + [widths.labels]
    table = doc.add_table(rows=1, cols=len(columns))
    table.autofit = False
    _table_properties(table)
    for column, width in zip(table.columns, columns, strict=True):
        column.width = Cm(width)
    header = table.rows[0].cells
    _header_row(table.rows[0])
    header[0].paragraphs[0].add_run(_("Regel"))
    header[1].paragraphs[0].add_run(_("Tekst"))
    at = 2
    for margin, lanes in spans:
        merged = header[at].merge(header[at + lanes])
        who = margin.coder if part.per_coder and margin.coder else _("Codes")
        merged.paragraphs[0].add_run(clean(who))
        at += lanes + 1
    for cell in table.rows[0].cells:
        for paragraph in cell.paragraphs:
            _set_style(paragraph, "Transcript code")
            for run in paragraph.runs:
                run.bold = True
    many = len(part.coders) > 1 and not part.per_coder
    # A label cell reaches down to the next row where a label starts (a vertical merge): a
    # long label or several labels use the rows beside their bars instead of stretching one;
    # where labels crowd, one moves down its bar (label_rows, on estimated heights).
    count = len(part.layout.rows)
    grids = [margin.grid(count) for margin, _unused in spans]
    heights = [_row_height(row, widths.text) for row in part.layout.rows]
    begins = [
        label_rows(
            margin.marks,
            heights,
            {m: _label_height(_label_text(m, part, many), widths.labels) for m in margin.marks},
        )
        for margin, _unused in spans
    ]
    firsts = [min(starts, default=count) for starts in begins]
    for index, row in enumerate(part.layout.rows):
        cells = table.add_row().cells
        for cell, width in zip(cells, columns, strict=True):
            cell.width = Cm(width)
        number = cells[0].paragraphs[0]
        _set_style(number, "Transcript regelnummer")
        if row.first:
            number.add_run(str(row.line))
        _text_cell(cells[1], row, doc)
        at = 2
        for (_unused, lanes), grid, starts, first in zip(spans, grids, begins, firsts, strict=True):
            for lane in range(lanes):
                _lane_cell(cells[at + lane], grid, index, lane, part)
                _set_style(cells[at + lane].paragraphs[0], "Transcript balk")
            label = cells[at + lanes]
            if index in starts:
                label._tc.vMerge = "restart"
                _label_cell(label, starts[index], part, many)
            elif index > first:  # under a label: part of its cell
                label._tc.vMerge = "continue"
                _set_style(label.paragraphs[0], "Transcript balk")
            else:
                _set_style(label.paragraphs[0], "Transcript code")
            at += lanes + 1
        if not row.fragments:  # an empty line: a low row, so blank lines don't stretch pages
            labelled = {at for at, cell in enumerate(cells) if cell.text}
            for cell in (c for at, c in enumerate(cells) if at not in labelled or at == 0):
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.line_spacing = Pt(_BLANK_PT)
                    for run in paragraph.runs:
                        run.font.size = Pt(_BLANK_PT - 0.5)


_CELL_PADDING = 0.16  # cm: the cell margins left and right (tblCellMar, 45 twips each)
_LEADING = 1.22  # a line's height in points per point of font size (Calibri, single spacing)


def _lines(text: str, size: float, width: float) -> int:
    """Lines ``text`` takes in a cell ``width`` cm wide (text_width has some slack already)."""
    from kwali.export.word import text_width

    return max(1, math.ceil(text_width(text, size) / max(width - _CELL_PADDING, 0.1)))


def _row_height(row: Row, width: float) -> float:
    """Points, as estimated: for placing labels, not for drawing."""
    if not row.fragments:
        return _BLANK_PT
    return _lines(row.text, _TEXT_PT, width) * _TEXT_PT * _LEADING


def _label_height(text: str, width: float) -> float:
    return _lines(text, _SMALL_PT, width) * _SMALL_PT * _LEADING


def _label_text(mark: Mark, part: Part, many: bool) -> str:
    label = part.labels.get(mark.code_key, mark.code_key)
    return f"{label} · {', '.join(mark.coders)}" if many else label


def _text_cell(cell: _Cell, row: object, doc: DocxDocument) -> None:
    from docx.shared import Pt

    from kwali.export.word import GREY, clean

    paragraph = cell.paragraphs[0]
    _set_style(paragraph, "Transcript tekst")
    for fragment in row.fragments:  # type: ignore[attr-defined]
        run = paragraph.add_run(clean(fragment.text))
        if fragment.kind == "time":
            run.font.color.rgb = GREY
            run.font.size = Pt(_SMALL_PT)
        elif fragment.kind == "speaker":
            run.bold = True


def _lane_cell(
    cell: _Cell, grid: Sequence[Sequence[Mark | None]], row: int, lane: int, part: Part
) -> None:
    mark = grid[row][lane] if lane < len(grid[row]) else None  # a margin without bars
    if mark is None:
        return
    _shade(cell, part.colours.get(mark.code_key, "#777777"))
    if mark.first_row == row and row > 0 and grid[row - 1][lane] is not None:
        _border(cell, "top", 10)  # a new bar right under another: a white gap between them


def _label_cell(cell: _Cell, marks: Sequence[Mark], part: Part, many: bool) -> None:
    """The labels of the marks starting at this row, in their lanes' order."""
    from docx.shared import Pt, RGBColor

    from kwali.export.word import GREY, clean

    for number, mark in enumerate(marks):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        _set_style(paragraph, "Transcript code")
        colour = part.colours.get(mark.code_key, "#777777")
        run = paragraph.add_run(clean(part.labels.get(mark.code_key, mark.code_key)))
        run.font.color.rgb = RGBColor.from_string(readable(colour).lstrip("#").upper())
        if many:  # one margin for several coders: say whose coding it is
            who = paragraph.add_run(clean(f" · {', '.join(mark.coders)}"))
            who.font.color.rgb = GREY
            who.font.size = Pt(7)


def readable(colour: str) -> str:
    """``colour`` darkened until text in it reads on white (WCAG contrast 4.5): the palette's
    yellow and light green are fine as bars but too pale as letters."""
    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    for _unused in range(20):
        if _contrast_on_white(red, green, blue) >= 4.5:
            break
        red, green, blue = (int(v * 0.85) for v in (red, green, blue))
    return f"#{red:02x}{green:02x}{blue:02x}"


def _contrast_on_white(red: int, green: int, blue: int) -> float:
    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return 1.05 / (luminance + 0.05)


# -- table XML: what python-docx has no API for ------------------------------------------
def _set_style(paragraph: Paragraph, name: str) -> None:
    """The paragraph style by its id: python-docx's ``paragraph.style = ...`` looks the style
    up among all of them, and a long transcript has tens of thousands of cells."""
    paragraph._p.style = _STYLE_IDS[name]


_STYLE_IDS = {
    name: name.replace(" ", "")  # python-docx makes a new style's id so
    for name in ("Transcript tekst", "Transcript regelnummer", "Transcript code", "Transcript balk")
}


def _table_properties(table: object) -> None:
    """Fixed layout (the widths hold in LibreOffice too), no borders, small cell padding."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr  # type: ignore[attr-defined]
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", 0), ("left", 45), ("bottom", 0), ("right", 45)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    look = properties.find(qn("w:tblLook"))  # the schema's order: layout, margins, look
    for element in (layout, margins):
        if look is not None:
            look.addprevious(element)
        else:
            properties.append(element)


def _header_row(row: object) -> None:
    """Repeated on every page, with a line under it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for cell in row.cells:  # type: ignore[attr-defined]
        _border(cell, "bottom", 6, "808080")


def _shade(cell: _Cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for side in ("left", "right"):  # white edges: a bar narrower than its lane
        _border(cell, side, 12)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().append(shading)  # after the borders, as the schema orders


def _border(cell: _Cell, side: str, eighths: int, colour: str = "FFFFFF") -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    borders = properties.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        shading = properties.find(qn("w:shd"))
        if shading is not None:
            shading.addprevious(borders)
        else:
            properties.append(borders)
    element = OxmlElement(f"w:{side}")
    element.set(qn("w:val"), "single")
    element.set(qn("w:sz"), str(eighths))
    element.set(qn("w:space"), "0")
    element.set(qn("w:color"), colour)
    later = _SIDES[_SIDES.index(side) + 1 :]  # the schema's order: top, left, bottom, right
    after = next((c for c in borders if c.tag in {qn(f"w:{s}") for s in later}), None)
    if after is not None:
        after.addprevious(element)
    else:
        borders.append(element)


_SIDES = ("top", "left", "bottom", "right")
