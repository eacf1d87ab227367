"""Typed attribute values: the one rule for text, number and date attributes.

The type belongs to the attribute key (a column of the study: ``leeftijd`` is a number,
``datum_interview`` a date). Values stay text, in a canonical form that sorts and compares the
same everywhere: numbers with a dot and no thousands separator (``3.5``, ``34``), dates ISO
(``2021-03-04``). What a Dutch researcher types is accepted: ``3,5``, ``1.234,5``,
``4-3-2021``, ``4/3/2021``, ``2021-03-04``. An empty value is allowed for every type (not
known yet). A single dot is read as the decimal point, because that is the stored form.

Pure: no database, no UI; the store, the exports and the screens call it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from kwali.i18n import TranslatedWords, _

TYPES = ("text", "number", "date")
"""The attribute types, as stored and as typed on the command line."""


TYPE_WORDS: Mapping[str, str] = TranslatedWords(
    lambda: {"text": _("tekst"), "number": _("getal"), "date": _("datum")}
)
"""Each type in the user's language, for the screens."""

_DECIMAL = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
# dots as thousands separators only where they cannot be the decimal point: 1.234,5 or
# 1.234.567 (a single dot, 1.234, is the stored form of a decimal number)
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:(?:\.\d{3})+,\d+|(?:\.\d{3}){2,})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


class BadValue(ValueError):
    """A value that is not of its attribute's type."""

    def __init__(self, key: str, value: str, type: str) -> None:
        super().__init__(key, value, type)
        self.key, self.value, self.type = key, value, type

    def __str__(self) -> str:
        return _("{key}={value} is geen {type}").format(
            key=self.key, value=repr(self.value), type=TYPE_WORDS.get(self.type, self.type)
        )


def check_type(name: str) -> str:
    """The type named ``name`` (any case); a ValueError listing the types otherwise."""
    chosen = name.strip().lower()
    if chosen not in TYPES:
        raise ValueError(
            _("{name} is geen kenmerktype (kies {types})").format(
                name=repr(name), types=", ".join(TYPES)
            )
        )
    return chosen


def _number(value: str) -> Decimal | None:
    text = value.replace(" ", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")
    elif _DECIMAL.fullmatch(text):
        text = text.replace(",", ".")
    else:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # the patterns only let digits through; kept for safety
        return None


def _date(value: str) -> date | None:
    iso, dutch = _ISO.fullmatch(value), _DUTCH_DATE.fullmatch(value)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if dutch:
            return date(int(dutch[3]), int(dutch[2]), int(dutch[1]))
    except ValueError:  # 31-2-2021
        return None
    return None


def canonical(key: str, value: str, type: str) -> str:
    """``value`` in the stored form of ``type``; :class:`BadValue` when it is not one."""
    value = value.strip()
    if not value or type == "text":
        return value
    if type == "number":
        number = _number(value)
        if number is None:
            raise BadValue(key, value, type)
        text = format(number.normalize(), "f")
        return "0" if text in {"-0", "+0"} else text
    if type == "date":
        day = _date(value)
        if day is None:
            raise BadValue(key, value, type)
        return day.isoformat()
    raise ValueError(f"unknown attribute type {type!r}")


def sort_key(value: str, type: str = "text") -> tuple:
    """Orders values of one attribute: numbers by size, dates by time, text alphabetically;
    empty and (older, unchecked) odd values after the rest."""
    value = value.strip()
    if type == "number" and (number := _number(value)) is not None:
        return (0, number, "")
    if type == "date" and (day := _date(value)) is not None:
        return (0, day.toordinal(), "")
    return (1 if value else 2, 0, value.casefold())


def dutch(value: str, type: str = "text") -> str:
    """A stored value as a Dutch reader expects it in a table: ``3,5`` for a number; dates
    and text as stored."""
    if type == "number" and _number(value) is not None:
        return value.strip().replace(".", ",")
    return value


# An underscore between letters is how a spreadsheet or an export wrote a space
# (``ontvangende_organisatie``); between digits or at an edge it may be meant (``R_123``).
_WORD_UNDERSCORE = re.compile(r"(?<=[^\W\d_])_+(?=[^\W\d_])")


def shown_value(value: str, type: str = "text") -> str:
    """The one display rule for a raw attribute value (or key) in a table, a report or a
    screen: ``ontvangende_organisatie`` → ``ontvangende organisatie``, a number the Dutch way
    (:func:`dutch`). Stored values, filters and machine-read columns keep the raw value."""
    if type == "number":
        return dutch(value, type)
    return _WORD_UNDERSCORE.sub(" ", value.strip())
