"""Long Word tables written as a stream: the rows' XML goes straight into word/document.xml.

python-docx keeps the whole document as one lxml tree and its ``add_row`` slows down as a
table grows, so a table of 300,000 quotes took minutes and gigabytes. Here a table's body
rows are plain data (:class:`Run` in paragraphs in cells) produced by a function the writer
may call more than once: :mod:`kwali.export.word` measures them to fit the columns, then,
when the document is saved, this module writes python-docx's document (the skeleton: styles,
headings, each table's properties and header row) and, at each table's place in
word/document.xml, the rows' XML, one row at a time. The XML is what python-docx itself
writes for the same rows (tests/test_export_stream.py compares them byte for byte).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

from docx.shared import Pt
from lxml import etree  # type: ignore[import-untyped]  # python-docx's own XML library

_MARK = "kwali-rows-"  # a comment in the skeleton's table: where its rows go
_MARKS = re.compile(rb"<!--kwali-rows-(\d+)-->")
_PIECES = re.compile("([\t\r\n])")
_BREAKS = {"\t": "<w:tab/>", "\r": "<w:br/>", "\n": "<w:br/>"}  # python-docx's
_DOCUMENT = "word/document.xml"
_SMALLEST, _STEP = 7.0, 0.5  # pt: how far a table's font may shrink (kwali.export.word's)
_ZIP64_FROM = 1 << 30  # estimated bytes of rows from which word/document.xml is Zip64


@dataclass(frozen=True, slots=True)
class Run:
    """A run of text with the formatting kwali's tables use; None leaves it to the style."""

    text: str
    size: float | None = None  # points
    italic: bool | None = None
    bold: bool | None = None
    color: str | None = None  # "595959"


Para = Sequence[Run]  # a paragraph
Cell = Sequence[Para]  # one paragraph at least, as Word requires
Row = Sequence[Cell]  # one cell per grid column


@dataclass(eq=False)
class Stream:
    """The body rows of one table: ``rows()`` yields them afresh on every call."""

    rows: Callable[[], Iterable[Row]]
    twips: list[int]  # each column's width
    shrink: int = 0  # how many half points every run lost to make the table fit
    size: float = 11.0  # the document's default font size, for a run without its own
    chars: int = field(default=0)  # characters and rows measured: how large the XML may be
    count: int = field(default=0)

    def run_size(self, run: Run) -> float:
        """A run's font size after the table's shrinking (as word._shrink does to a tree)."""
        size = run.size if run.size is not None else self.size
        for _unused in range(self.shrink):
            size = max(_SMALLEST, size - _STEP)
        return size


def mark(table: etree._Element, streams: dict[int, Stream], stream: Stream) -> None:
    """Note ``stream`` as the rows of ``table`` (after its header row)."""
    number = len(streams)
    streams[number] = stream
    table.append(etree.Comment(f"{_MARK}{number}"))


def stream_in(table: etree._Element, streams: dict[int, Stream]) -> Stream | None:
    """The stream :func:`mark` noted in ``table``, if any."""
    for child in table.iterchildren(etree.Comment):
        text = str(child.text or "")
        if text.startswith(_MARK):
            return streams.get(int(text.removeprefix(_MARK)))
    return None


def text_of(run: Run) -> str:
    """A run's text as python-docx reads it back (CT_R.text): a line break as ``\\n``."""
    return run.text.replace("\r", "\n")


# -- the XML -----------------------------------------------------------------------------------
def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_xml(text: str) -> str:
    """A run's content as python-docx's _RunContentAppender writes it: a tab is w:tab, a
    line break w:br, the rest w:t (space preserved when it starts or ends with a space)."""
    parts = []
    for piece in _PIECES.split(text):
        if piece in _BREAKS:
            parts.append(_BREAKS[piece])
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            parts += ("<w:t", space, ">", _escape(piece), "</w:t>")
    return "".join(parts)


def _flag(name: str, value: bool | None) -> str:
    if value is None:
        return ""
    return f"<w:{name}/>" if value else f'<w:{name} w:val="0"/>'


class _Writer:
    """Row XML for one table; run properties built once per distinct formatting."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.properties: dict[tuple[float | None, bool | None, bool | None, str | None], str] = {}
        self.cells = [
            f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr>' for w in stream.twips
        ]

    def _properties(self, run: Run) -> str:
        size = self.stream.run_size(run) if self.stream.shrink or run.size is not None else None
        key = (size, run.italic, run.bold, run.color)
        found = self.properties.get(key)
        if found is None:
            inner = _flag("b", run.bold) + _flag("i", run.italic)  # CT_RPr's order
            if run.color is not None:
                inner += f'<w:color w:val="{run.color}"/>'
            if size is not None:
                inner += f'<w:sz w:val="{int(Pt(size).pt * 2)}"/>'
            found = self.properties[key] = f"<w:rPr>{inner}</w:rPr>" if inner else ""
        return found

    def row(self, row: Row) -> str:
        parts = ["<w:tr>"]
        for start, cell in zip(self.cells, row, strict=True):
            parts += (start,)
            for paragraph in cell:
                if not paragraph:
                    parts += ("<w:p/>",)
                    continue
                parts += ("<w:p>",)
                for run in paragraph:
                    parts += ("<w:r>", self._properties(run), _text_xml(run.text), "</w:r>")
                parts += ("</w:p>",)
            parts += ("</w:tc>",)
        parts += ("</w:tr>",)
        return "".join(parts)


def rows_xml(stream: Stream) -> Iterator[bytes]:
    """The table's rows as UTF-8 XML, a few hundred rows per piece."""
    writer, batch = _Writer(stream), []
    for row in stream.rows():
        batch.append(writer.row(row))
        if len(batch) == 256:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


# -- the package -------------------------------------------------------------------------------
def save(
    save_skeleton: Callable[[IO[bytes]], None], streams: dict[int, Stream], target: IO[bytes] | str
) -> None:
    """Write the document: python-docx's package (``save_skeleton``) with every marked table's
    rows streamed into word/document.xml in its place."""
    with io.BytesIO() as buffer:
        save_skeleton(buffer)
        buffer.seek(0)
        with (
            zipfile.ZipFile(buffer) as skeleton,
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
        ):
            for info in skeleton.infolist():
                if info.filename != _DOCUMENT:
                    out.writestr(info, skeleton.read(info), compress_type=info.compress_type)
                    continue
                document = skeleton.read(info)
                # at most 6 bytes a character (&amp;), 2,000 a row's markup: Zip64 only when
                # the entry may pass 2 GB (Word and LibreOffice read it; Python needs to know)
                large = sum(s.chars * 6 + s.count * 2_000 for s in streams.values()) > _ZIP64_FROM
                with out.open(info, "w", force_zip64=large) as entry:
                    _write_document(entry, document, streams)


def _write_document(entry: IO[bytes], document: bytes, streams: dict[int, Stream]) -> None:
    at = 0
    for found in _MARKS.finditer(document):
        entry.write(document[at : found.start()])
        for piece in rows_xml(streams[int(found.group(1))]):
            entry.write(piece)
        at = found.end()
    entry.write(document[at:])
