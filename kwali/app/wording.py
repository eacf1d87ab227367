"""Counts as a reader writes them: "1 document", "3 documenten", "3.551 zinnen".

One rule for every screen and export, so no table says "1 documenten" or "1 coderingen".
Both forms are given by the caller, translated: ``counted(n, _("document"), _("documenten"))``
(Dutch plurals are irregular: citaat → citaten, memo → memo's). Dutch and English share the
plural rule (one for exactly 1), so two translated forms are right in both languages; a text
with the count inside it (``"{n} citaten in {path}"``) uses ``ngettext`` instead.
"""

from __future__ import annotations


def number(n: int) -> str:
    """A whole number the way the reader's language writes it: 3.551 in Dutch, 3,551 in
    English (``kwali --lang``)."""
    from babel.numbers import format_decimal

    from kwali.i18n import language

    return str(format_decimal(n, locale=language()))


def decimal(value: float, digits: int = 2, *, sign: bool = False) -> str:
    """A fraction the way the reader's language writes it: 0,65 in Dutch, 0.65 in English
    (``digits`` after the separator; ``sign`` writes + before a positive value).

    >>> from kwali.i18n import set_language
    >>> set_language("nl"), decimal(0.654), decimal(1.5, 1, sign=True), percent(12.25)
    ('nl', '0,65', '+1,5', '12,2%')
    >>> set_language("en"), decimal(0.654), percent(None)
    ('en', '0.65', '–')
    >>> _ = set_language("nl")
    """
    from kwali.i18n import language

    text = f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"
    return text.replace(".", ",") if language() == "nl" else text


def percent(value: float | None, digits: int = 1) -> str:
    """``12,5%`` (Dutch) or ``12.5%``; ``–`` when there is nothing to divide by."""
    return "–" if value is None else decimal(value, digits) + "%"


def counted(n: int, one: str, many: str) -> str:
    """``1 document``, ``0 documenten``, ``3.551 documenten``: the singular for exactly one."""
    return f"{number(n)} {one if n == 1 else many}"
