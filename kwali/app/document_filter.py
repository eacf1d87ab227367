"""The documents filter: which documents a typed filter such as ``geslacht=man noord`` keeps.

A filter is a list of terms separated by spaces, and a document must match every term:

- ``kenmerk=waarde`` keeps documents whose attribute ``kenmerk`` is exactly ``waarde``
  (both ignoring case and surrounding spaces): ``geslacht=man`` does not keep ``mantelzorger``.
  A value with spaces goes in quotes: ``aanpak="Prestatie 010"``. ``kenmerk=`` (no value)
  keeps documents without that attribute, or with it empty.
- any other term is free text: it matches a whole word of the document's name or of an
  attribute value (``man`` matches ``man`` and ``klant_man``, not ``mantelzorg``), a whole
  name or value, or the document's number.

Pure: no store, no UI; the documents screen only calls ``parse_filter`` and ``matches``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

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


def matches(summary: Filterable, filter: DocumentFilter) -> bool:
    """Whether a document passes every term of the filter."""
    attributes = {k.strip().casefold(): v.strip().casefold() for k, v in summary.attributes.items()}
    for key, value in filter.pairs:
        if attributes.get(key, "") != value:
            return False
    if filter.words:
        words = {str(summary.number)} | _words(summary.name)
        for text in attributes.values():
            words |= _words(text)
        if not all(word in words for word in filter.words):
            return False
    return True
