"""The documents filter: which documents a typed filter such as ``geslacht=man noord`` keeps.

A filter is a list of terms separated by spaces, and a document must match every term:

- ``kenmerk=waarde`` keeps documents whose attribute ``kenmerk`` is exactly ``waarde``
  (both ignoring case and surrounding spaces): ``geslacht=man`` does not keep ``mantelzorger``.
  A value with spaces goes in quotes: ``aanpak="Prestatie 010"``. ``kenmerk=`` (no value)
  keeps documents without that attribute, or with it empty. For a number or date attribute
  the value is read as the attribute's type, so ``leeftijd=3,5`` keeps ``3.5`` and
  ``datum=4-3-2021`` keeps ``2021-03-04``.
- any other term is free text: it matches a whole word of the document's name or of an
  attribute value (``man`` matches ``man`` and ``klant_man``, not ``mantelzorg``), a whole
  name or value, or the document's number.

The ``--where kenmerk=waarde`` options of search, words, query and table use the same rule:
:func:`where_pairs` reads them and :func:`kept_where` keeps what they match, refusing a key no
document (or case) has.

Pure: no project access, no UI; the documents screen only calls ``parse_filter`` and ``matches``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from kwali.errors import InputError
from kwali.i18n import _
from kwali.store.attribute_types import BadValue, canonical

_WORD = re.compile(r"[^\W_]+")
_TERM = re.compile(r'(?:[^\s"]+|"[^"]*"?)+')


class Filterable(Protocol):
    """What the filter reads of a document (a ``kwali.store.DocumentSummary`` has it)."""

    @property
    def number(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def attributes(self) -> Mapping[str, str]: ...


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """Parsed filter: exact ``(key, value)`` pairs and free-text words, all lower case."""

    pairs: tuple[tuple[str, str], ...] = ()
    words: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.pairs or self.words)


def _split(text: str) -> list[str]:
    """Terms separated by spaces; double quotes group spaces (an unclosed one runs to the end,
    as while typing); an apostrophe is text (``collega's``)."""
    return [term.replace('"', "") for term in _TERM.findall(text)]


def parse_filter(text: str) -> DocumentFilter:
    """Read a typed filter; an empty or blank one keeps every document."""
    pairs: list[tuple[str, str]] = []
    words: list[str] = []
    for term in _split(text.strip()):
        key, eq, value = term.partition("=")
        if eq and key.strip():
            pairs.append((key.strip().casefold(), value.strip().casefold()))
        elif term.strip("="):
            words.append(term.strip("=").casefold())
    return DocumentFilter(tuple(pairs), tuple(words))


def _words(text: str) -> set[str]:
    text = text.casefold()
    return {text.strip(), *_WORD.findall(text)}


def _as_stored(key: str, value: str, type: str) -> str:
    """A typed filter value in the form values of its type are stored in; as typed when it
    is not one (then it matches nothing but an odd, older value)."""
    try:
        return canonical(key, value, type).casefold()
    except BadValue:
        return value


def matches(
    summary: Filterable, filter: DocumentFilter, types: Mapping[str, str] | None = None
) -> bool:
    """Whether a document passes every term of the filter; ``types`` are the project's
    attribute types (key -> text/number/date), for ``kenmerk=waarde`` on typed attributes."""
    attributes = {k.strip().casefold(): v.strip().casefold() for k, v in summary.attributes.items()}
    typed = {k.strip().casefold(): t for k, t in (types or {}).items() if t != "text"}
    for key, value in filter.pairs:
        if key in typed:
            value = _as_stored(key, value, typed[key])
        if attributes.get(key, "") != value:
            return False
    if filter.words:
        words = {str(summary.number)} | _words(summary.name)
        for text in attributes.values():
            words |= _words(text)
        if not all(word in words for word in filter.words):
            return False
    return True


# -- the --where options ------------------------------------------------------------------------
Pairs = tuple[tuple[str, str], ...]
F = TypeVar("F", bound=Filterable)


class UnknownAttribute(InputError):
    """A ``--where`` key that no document (or case) has; ``known`` are the keys there are."""

    def __init__(
        self, message: str, key: str, known: Sequence[str], path: str | Path | None = None
    ) -> None:
        super().__init__(message, path=path, hint=known_keys(known))
        self.key = key
        self.known = tuple(known)


def known_keys(known: Sequence[str]) -> str:
    """The hint under "no document has the attribute": the keys there are, or how to add some."""
    if not known:
        return _("bekend: geen; geef ze met --attr bij het importeren")
    return _("bekend: {known}").format(known=", ".join(known))


def where_pairs(terms: Sequence[str]) -> Pairs:
    """``--where`` terms as ``(kenmerk, waarde)`` pairs; InputError names a term that is none.

    >>> where_pairs(["rol=klantmanager", "wijk = Noord"])
    (('rol', 'klantmanager'), ('wijk', 'Noord'))
    """
    pairs = []
    for term in terms:
        key, eq, value = term.partition("=")
        if not eq or not key.strip():
            raise InputError(
                _("--where {value} is niet van de vorm kenmerk=waarde").format(value=repr(term))
            )
        pairs.append((key.strip(), value.strip()))
    return tuple(pairs)


def kept_where(
    items: Sequence[F],
    where: Pairs,
    types: Mapping[str, str] | None = None,
    *,
    nobody: str = "",
    path: str | Path | None = None,
) -> list[F]:
    """The items whose attributes match every pair (typed values read as their type).

    Raises :class:`UnknownAttribute` when no item has one of the keys: a typo would otherwise
    keep nothing and look like an empty result. ``nobody`` words that refusal (``{key}``); by
    default "geen document heeft het kenmerk …"; ``path`` is the project's, for the message.
    """
    if not where:
        return list(items)
    known = {k.strip().casefold(): k for item in items for k in item.attributes}
    for key, _value in where:
        if key.strip().casefold() not in known:
            message = nobody or _("geen document heeft het kenmerk {key!r}")
            raise UnknownAttribute(message.format(key=key), key, sorted(known.values()), path)
    wanted = DocumentFilter(tuple((k.strip().casefold(), v.strip().casefold()) for k, v in where))
    return [item for item in items if matches(item, wanted, types)]
