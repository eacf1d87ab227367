"""Indent and serialise an ElementTree without recursion, for .qdc and .qdpx exports.

``ET.indent`` and ``ET.tostring`` recurse once per level, so a code hierarchy deeper than
Python's stack (a project that imported a hostile file before imports were bounded) made
the export fail with RecursionError. These do the same with an explicit stack and give the
same bytes ``ET.tostring(root, encoding="utf-8")`` gives for kwali's trees: plain tag and
attribute names (the root carries ``xmlns`` as an attribute), no comments.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
_CDATA = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTRIB = (*_CDATA, ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _escape(text: str, table: tuple[tuple[str, str], ...]) -> str:
    for char, entity in table:
        if char in text:
            text = text.replace(char, entity)
    return text


def indent(root: ET.Element, space: str = "  ") -> None:
    """What ``ET.indent(root, space)`` does, iteratively."""
    stack = [(root, 0)]
    while stack:
        element, level = stack.pop()
        if not len(element):
            continue
        inner = "\n" + space * (level + 1)
        if not element.text or not element.text.strip():
            element.text = inner
        for child in element:
            stack.append((child, level + 1))
            if not child.tail or not child.tail.strip():
                child.tail = inner
        last = element[-1]
        if last.tail is not None and not last.tail.strip():
            last.tail = "\n" + space * level


def to_bytes(root: ET.Element) -> bytes:
    """``ET.tostring(root, encoding="utf-8", xml_declaration=False)``, iteratively."""
    parts: list[str] = []
    stack: list[ET.Element | str] = [root]  # a str is a closing tag and tail, ready to write
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        tag = item.tag
        if not isinstance(tag, str) or "{" in tag:
            raise ValueError(f"cannot write element {tag!r}: plain tag names only")
        parts.append("<" + tag)
        parts += (f' {key}="{_escape(value, _ATTRIB)}"' for key, value in item.items())
        tail = _escape(item.tail, _CDATA) if item.tail else ""
        if item.text or len(item):
            parts.append(">" + (_escape(item.text, _CDATA) if item.text else ""))
            stack.append(f"</{tag}>{tail}")
            stack += reversed(list(item))
        else:
            parts.append(" />" + tail)
    return "".join(parts).encode("utf-8")
