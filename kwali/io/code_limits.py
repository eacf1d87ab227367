"""How big a codebook kwali accepts on import, checked the same way for YAML, .qdc and .qdpx.

Real codebooks have tens to a few hundred codes, nested a few levels. A hostile file with
100,000 codes nested 100,000 deep imported fine and then hung every screen and export that
walks the tree, so imports are refused past these bounds, in one line.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from kwali.errors import KwaliError
from kwali.i18n import _

MAX_CODES = 5_000
MAX_CODE_DEPTH = 20  # levels of codes, a top-level code being level 1


def too_many(count: int) -> str:
    return _("heeft {n} codes; kwali neemt er hoogstens {most} aan").format(
        n=f"{count:,}", most=f"{MAX_CODES:,}"
    )


def too_deep() -> str:
    return _("nest codes meer dan {levels} niveaus diep; dat neemt kwali niet aan").format(
        levels=MAX_CODE_DEPTH
    )


def _is_code(element: ET.Element) -> bool:
    return isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == "Code"


def check_code_elements(codes_element: ET.Element, path: Path, error: type[KwaliError]) -> None:
    """Refuse a REFI ``Codes`` element past the bounds, before any code is built from it."""
    count = sum(1 for element in codes_element.iter() if _is_code(element))
    if count > MAX_CODES:
        raise error(too_many(count), path=path)
    stack = [(codes_element, 0)]
    while stack:  # iterative: a hostile tree may be far deeper than Python's stack
        parent, depth = stack.pop()
        for child in parent:
            if _is_code(child):
                if depth >= MAX_CODE_DEPTH:
                    raise error(too_deep(), path=path)
                stack.append((child, depth + 1))
