"""Counts as a reader writes them: "1 document", "3 documenten", "3.551 zinnen".

One rule for every screen and export, so no table says "1 documenten" or "1 coderingen".
Both forms are given by the caller: Dutch plurals are irregular (citaat → citaten,
memo → memo's, interview → interviews).
"""

from __future__ import annotations


def number(n: int) -> str:
    """A whole number the way the reader's language writes it: 3.551 in Dutch, 3,551 in
    English (``kwali --lang``)."""
    from babel.numbers import format_decimal

    from kwali.i18n import language

    return str(format_decimal(n, locale=language()))


def counted(n: int, one: str, many: str) -> str:
    """``1 document``, ``0 documenten``, ``3.551 documenten``: the singular for exactly one."""
    return f"{number(n)} {one if n == 1 else many}"
