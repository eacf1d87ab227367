"""Read .docx (python-docx) and .odt (the ODF XML, through defusedxml) transcripts.

Each paragraph becomes one line of the stored text, so paragraph numbers and line numbers
agree with what the researcher sees in Word.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from kwali.errors import InputError
from kwali.io.archive import open_zip, read_member
from kwali.io.turns import detect_turns
from kwali.model import Transcript

_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _transcript(paragraphs: list[str], path: Path, fmt: str) -> Transcript:
    # Soft line breaks inside a paragraph are kept as spaces-free newlines would split
    # turns, so they become spaces: the quote's words stay the same.
    lines = [p.replace("\r", "").replace("\n", " ").replace("\v", " ") for p in paragraphs]
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise InputError("contains no text", path=path)
    return Transcript(
        text=text,
        turns=detect_turns(text, paragraphs="line"),
        source_name=path.name,
        format=fmt,
        encoding=None,
    )


def read_docx(path: Path) -> Transcript:
    """Body paragraphs in document order (tables' cells are read row by row)."""
    import docx  # python-docx; imported here so `kwali status` doesn't pay for it
    from docx.opc.exceptions import PackageNotFoundError

    archive = open_zip(path, "Word (.docx)")  # size/bomb checks before python-docx reads it
    read_member(archive, "word/document.xml", path)
    archive.close()
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(
            f"is not a readable Word document ({exc.__class__.__name__})", path=path
        ) from exc
    except Exception as exc:  # lxml syntax errors in a damaged document.xml
        raise InputError(f"is a damaged Word document ({exc})", path=path) from exc
    paragraphs: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = [
                        "".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t"))
                        for cell in row
                        if cell.tag.endswith("}tc")
                    ]
                    paragraphs.append(" ".join(c for c in cells if c))
    return _transcript(paragraphs, path, "docx")


def _odf_paragraph_text(element: ET.Element) -> str:
    """Text of a text:p/text:h, expanding text:s (spaces), text:tab and line breaks."""
    parts: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "s":
            parts.append(" " * int(child.get(f"{{{_ODF_TEXT}}}c", "1")))
        elif tag == "tab":
            parts.append("\t")
        elif tag == "line-break":
            parts.append(" ")
        else:
            parts.append(_odf_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_odt(path: Path) -> Transcript:
    archive = open_zip(path, "OpenDocument (.odt)")
    data = read_member(archive, "content.xml", path)
    archive.close()
    try:
        root = SafeET.parse(io.BytesIO(data), forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise InputError(f"has damaged or unsafe XML in content.xml ({exc})", path=path) from exc
    paragraphs = [
        _odf_paragraph_text(el)
        for el in root.iter()
        if el.tag in (f"{{{_ODF_TEXT}}}p", f"{{{_ODF_TEXT}}}h")
    ]
    return _transcript(paragraphs, path, "odt")
