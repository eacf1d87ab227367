"""Read .docx and .odt transcripts from their XML, streamed and bounded.

Each paragraph becomes one line of the stored text, so paragraph numbers and line numbers
agree with what the researcher sees in Word.

Both formats are zipped XML that anyone can write, so the XML part's unpacked size is
checked before it is read, it is parsed by defusedxml (no DTD, no entities, no external
references) one paragraph at a time, and its nesting depth, element count, ODF space runs
and the characters extracted are bounded (kwali.io.limits). Nothing recurses, so a deeply
nested file is a one-line refusal, not a RecursionError.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

from defusedxml import DefusedXmlException

from kwali.errors import InputError
from kwali.i18n import _
from kwali.io.archive import open_zip, read_member
from kwali.io.encoding import check_text
from kwali.io.limits import (
    MAX_SPACE_RUN,
    MAX_TEXT_CHARS,
    MAX_XML_BYTES,
    MAX_XML_DEPTH,
    MAX_XML_ELEMENTS,
)
from kwali.io.turns import detect_turns
from kwali.io.untrusted_xml import untrusted_events
from kwali.model import Transcript

_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


class NoText(InputError):
    """The file holds no text (a .qdpx import skips such a source rather than failing)."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _transcript(paragraphs: list[str], path: Path, fmt: str) -> Transcript:
    # Soft line breaks inside a paragraph are kept as spaces-free newlines would split
    # turns, so they become spaces: the quote's words stay the same.
    lines = [p.replace("\r", "").replace("\n", " ").replace("\v", " ") for p in paragraphs]
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise NoText(_("bevat geen tekst"), path=path)
    check_text(text, path)
    return Transcript(
        text=text,
        turns=detect_turns(text, paragraphs="line"),
        source_name=path.name,
        format=fmt,
        encoding=None,
    )


def _xml_part(path: Path, what: str, member: str) -> bytes:
    """The XML member, refused before unpacking when its (checked) size is too large."""
    try:
        archive = open_zip(path, what)
        try:
            if member in archive.namelist():
                size = archive.getinfo(member).file_size
                if size > MAX_XML_BYTES:
                    raise InputError(
                        _(
                            "{member} pakt uit tot {mb} MB XML, meer dan kwali leest ({most} MB)"
                        ).format(
                            member=repr(member), mb=size // 2**20, most=MAX_XML_BYTES // 2**20
                        ),
                        path=path,
                    )
            return read_member(archive, member, path)
        finally:
            archive.close()
    except InputError:
        raise
    except Exception as exc:
        # A mangled zip fails deep inside zipfile in many ways (OSError on a negative offset,
        # NotImplementedError, IndexError in an extra field...) that the archive checks do
        # not name; only zip reading is in this try, and it is still one line.
        raise InputError(
            _("is geen geldig {what}-bestand (beschadigd: {error})").format(
                what=what, error=type(exc).__name__
            ),
            path=path,
        ) from exc


def _outermost(
    data: bytes, path: Path, member: str, wanted: Callable[[str], bool]
) -> Iterator[ET.Element]:
    """Each complete element whose local name is ``wanted`` and has no wanted ancestor.

    Elements are dropped from the tree once read, so memory holds one paragraph at a time.
    """
    stack: list[ET.Element] = []
    inside = 0  # wanted elements on the stack
    count = 0
    events = untrusted_events(data)
    try:
        for event, element in events:
            if event == "start":
                count += 1
                if count > MAX_XML_ELEMENTS:
                    raise InputError(
                        _("{member} heeft meer dan {most} XML-elementen").format(
                            member=repr(member), most=f"{MAX_XML_ELEMENTS:,}"
                        ),
                        path=path,
                    )
                if len(stack) >= MAX_XML_DEPTH:
                    raise InputError(
                        _("{member} nest de XML dieper dan {levels} niveaus").format(
                            member=repr(member), levels=MAX_XML_DEPTH
                        ),
                        path=path,
                    )
                stack.append(element)
                inside += wanted(_local(element.tag))
                continue
            stack.pop()
            is_wanted = wanted(_local(element.tag))
            inside -= is_wanted
            if is_wanted and not inside:
                yield element
            if not inside and stack:  # read, or outside any wanted element: not needed again
                stack[-1].remove(element)
    except DefusedXmlException as exc:
        raise InputError(
            _(
                "heeft beschadigde of onveilige XML in {member}: die declareert een DTD of "
                "entiteiten, en die neemt kwali niet aan"
            ).format(member=repr(member)),
            path=path,
        ) from exc
    except ET.ParseError as exc:
        raise InputError(_bad_xml(member, str(exc)), path=path) from exc
    except (ValueError, LookupError) as exc:  # a bad encoding declaration
        raise InputError(_bad_xml(member, type(exc).__name__), path=path) from exc


def _bad_xml(member: str, error: str) -> str:
    return _("heeft beschadigde of onveilige XML in {member} ({error})").format(
        member=repr(member), error=error
    )


class _Budget:
    """Counts extracted characters and refuses past MAX_TEXT_CHARS, before joining them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.used = 0

    def take(self, chars: int) -> None:
        self.used += chars
        if self.used > MAX_TEXT_CHARS:
            raise InputError(
                _(
                    "bevat meer dan {most} tekens tekst, meer dan kwali aanneemt; "
                    "is het echt een transcript?"
                ).format(most=f"{MAX_TEXT_CHARS:,}"),
                path=self.path,
            )


def _docx_runs(element: ET.Element) -> str:
    return "".join(t.text or "" for t in element.iter() if _local(t.tag) == "t")


def read_docx(path: Path) -> Transcript:
    """Body paragraphs in document order (tables' cells are read row by row)."""
    member = "word/document.xml"
    data = _xml_part(path, "Word (.docx)", member)
    budget = _Budget(path)
    paragraphs: list[str] = []
    for element in _outermost(data, path, member, lambda tag: tag in ("p", "tbl")):
        if _local(element.tag) == "p":
            paragraphs.append(_docx_runs(element))
            budget.take(len(paragraphs[-1]) + 1)
            continue
        for row in element.iter():
            if _local(row.tag) == "tr":
                cells = [_docx_runs(cell) for cell in row if _local(cell.tag) == "tc"]
                paragraphs.append(" ".join(c for c in cells if c))
                budget.take(len(paragraphs[-1]) + 1)
    return _transcript(paragraphs, path, "docx")


def _spaces(element: ET.Element, path: Path) -> int:
    raw = element.get(f"{{{_ODF_TEXT}}}c", "1")
    if not raw.strip().isdecimal() or len(raw) > 12 or int(raw) < 1:
        raise InputError(
            _("heeft een ongeldig aantal spaties {value} in content.xml").format(
                value=f"text:c={raw[:20]!r}"
            ),
            path=path,
        )
    count = int(raw)
    if count > MAX_SPACE_RUN:
        raise InputError(
            _(
                "vraagt om {n} spaties achter elkaar (text:s) in content.xml, meer dan kwali "
                "aanneemt ({most})"
            ).format(n=f"{count:,}", most=f"{MAX_SPACE_RUN:,}"),
            path=path,
        )
    return count


def _odf_paragraph_text(element: ET.Element, path: Path, budget: _Budget) -> str:
    """Text of a text:p/text:h, expanding text:s (spaces), text:tab and line breaks.

    Walks with an explicit stack (items are elements to expand or strings to emit), so
    nesting depth costs memory, not recursion.
    """
    parts: list[str] = [element.text or ""]
    stack: list[ET.Element | str] = []

    def push_children(parent: ET.Element) -> None:
        for child in reversed(parent):
            stack.append(child.tail or "")
            stack.append(child)

    push_children(element)
    budget.take(len(parts[0]))
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            piece = item
        elif _local(item.tag) == "s":
            count = _spaces(item, path)
            budget.take(count)  # before the string is made: text:c may ask for billions
            parts.append(" " * count)
            continue
        elif _local(item.tag) == "tab":
            piece = "\t"
        elif _local(item.tag) == "line-break":
            piece = " "
        else:
            piece = item.text or ""
            push_children(item)
        budget.take(len(piece))
        parts.append(piece)
    return "".join(parts)


def read_odt(path: Path) -> Transcript:
    member = "content.xml"
    data = _xml_part(path, "OpenDocument (.odt)", member)
    budget = _Budget(path)
    paragraphs: list[str] = []
    for element in _outermost(data, path, member, lambda tag: tag in ("p", "h")):
        # A paragraph inside a paragraph (a note, a frame) is read again on its own, in
        # document order, as kwali always has.
        paragraphs.extend(
            _odf_paragraph_text(el, path, budget)
            for el in element.iter()
            if el.tag in (f"{{{_ODF_TEXT}}}p", f"{{{_ODF_TEXT}}}h")
        )
    return _transcript(paragraphs, path, "odt")
