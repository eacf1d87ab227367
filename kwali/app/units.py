"""Whom a span counts for: its speaker's case where one is linked, else its document.

The one rule for "respondenten": attribution, tables, queries and exports ask :class:`Units`
which unit a coded span belongs to and what that unit's attributes are. A case's attributes
win over its document's (a coach in a group interview is the coach, whatever the document
says); a speaker without a case (the interviewer, a document nobody linked) counts as the
document, as before cases existed.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from kwali.i18n import _
from kwali.model import Turn
from kwali.store import Project

UnitKind = Literal["case", "document"]


@dataclass(frozen=True, slots=True)
class Unit:
    """A case or a document, as counted: ``key`` tells two units apart across kinds."""

    kind: UnitKind
    id: int
    name: str
    attributes: Mapping[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)


Counted = Literal["documents", "cases", "mixed"]
"""What a count of units counts, as a code: compare this, never the wording."""


def counted_kind(kinds: Iterable[str]) -> Counted:
    """``cases`` when every unit is a case, ``mixed`` for cases and documents, else ``documents``."""
    found = set(kinds)
    if found == {"case"}:
        return "cases"
    if found == {"case", "document"}:
        return "mixed"
    return "documents"


def counted_words(kind: Counted, short: bool = False) -> str:
    """What ``kind`` counts, in the reader's language; ``short`` drops the explanations."""
    if kind == "cases":
        return _("cases")
    if kind == "mixed":
        return (
            _("cases en documenten")
            if short
            else _("cases (gekoppelde sprekers) en documenten (de rest)")
        )
    return _("documenten")


def counted_as(kinds: Iterable[str]) -> str:
    """What a count of units counts, in words, for every "respondenten" heading and note."""
    return counted_words(counted_kind(kinds))


class Units:
    """Units of the documents of a project (or of ``document_ids``), read once."""

    def __init__(
        self,
        documents: Mapping[int, tuple[str, Mapping[str, str]]],
        cases: Mapping[int, tuple[str, Mapping[str, str]]],
        links: Mapping[int, Mapping[str, int]],
        turns: Mapping[int, tuple[list[int], list[str | None]]],
    ) -> None:
        self._documents = {
            i: Unit("document", i, name, attrs) for i, (name, attrs) in documents.items()
        }
        self._cases: dict[tuple[int, int], Unit] = {}
        for document_id, speakers in links.items():
            base = documents.get(document_id, ("", {}))[1]
            for case_id in set(speakers.values()):
                name, attrs = cases[case_id]
                self._cases[document_id, case_id] = Unit("case", case_id, name, {**base, **attrs})
        self._links = links
        self._turns = turns

    @classmethod
    def load(cls, project: Project, document_ids: Iterable[int] | None = None) -> Units:
        ids = None if document_ids is None else sorted(set(document_ids))
        where, args = "", ()
        if ids is not None:
            where = " WHERE id IN (SELECT value FROM json_each(?))"
            args = (json.dumps(ids),)  # type: ignore[assignment]
        documents: dict[int, tuple[str, dict[str, str]]] = {
            r[0]: (r[1], {})
            for r in project.db.execute(f"SELECT id, name FROM documents{where}", args)
        }
        for document_id, key, value in project.db.execute(
            "SELECT document_id, key, value FROM document_attributes"
        ):
            if document_id in documents:
                documents[document_id][1][key] = value
        links = project.speaker_cases(ids)
        cases = {
            c.id: (c.name, c.attributes)
            for c in project.cases({c for s in links.values() for c in s.values()})
        }
        turns: dict[int, tuple[list[int], list[str | None]]] = {}
        if links:
            for document_id, start, speaker in project.db.execute(
                "SELECT document_id, start, speaker FROM turns "
                "WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY document_id, start",
                (json.dumps(sorted(links)),),
            ):
                starts, speakers = turns.setdefault(document_id, ([], []))
                starts.append(start)
                speakers.append(speaker)
        return cls(documents, cases, links, turns)

    @property
    def has_cases(self) -> bool:
        return bool(self._links)

    def document(self, document_id: int) -> Unit:
        return self._documents.get(document_id) or Unit("document", document_id, str(document_id))

    def speaker_of(self, document_id: int, start: int) -> str | None:
        """The speaker of the turn that ``start`` falls in (None before the first turn)."""
        starts, speakers = self._turns.get(document_id, ([], []))
        index = bisect.bisect_right(starts, start) - 1
        return speakers[index] if index >= 0 else None

    def of(self, document_id: int, start: int) -> Unit:
        """The unit a span starting at ``start`` of ``document_id`` counts for."""
        speakers = self._links.get(document_id)
        if speakers:
            case_id = speakers.get(self.speaker_of(document_id, start) or "")
            if case_id is not None:
                return self._cases[document_id, case_id]
        return self.document(document_id)

    def of_speaker(self, document_id: int, speaker: str | None) -> Unit:
        """The unit of everything ``speaker`` says in ``document_id``."""
        case_id = self._links.get(document_id, {}).get(speaker or "")
        return (
            self._cases[document_id, case_id] if case_id is not None else self.document(document_id)
        )

    def linked_documents(self) -> set[int]:
        """The documents with at least one speaker linked to a case."""
        return {d for d, speakers in self._links.items() if speakers}

    def counts_itself(self, document_id: int) -> bool:
        """Whether something said in the document counts for the document: it has a turn of
        a speaker without a case (or no linked speaker at all)."""
        speakers = self._links.get(document_id)
        if not speakers:
            return True
        return any(
            s is None or s not in speakers for s in self._turns.get(document_id, ([], []))[1]
        )

    def all_units(self) -> list[Unit]:
        """Every unit something can be counted for, each once: the linked cases (with the
        attributes of their first document, by id) and the documents that count themselves
        (a survey question's document, all of whose answers are respondents', does not)."""
        seen: dict[tuple[str, int], Unit] = {}
        for (_unused, _unused), unit in sorted(self._cases.items()):
            seen.setdefault(unit.key, unit)
        for document_id, unit in self._documents.items():
            if self.counts_itself(document_id):
                seen.setdefault(unit.key, unit)
        return list(seen.values())

    def documents_of(self, unit: Unit) -> set[int]:
        """The documents a unit's words are in."""
        if unit.kind == "document":
            return {unit.id}
        return {d for d, speakers in self._links.items() if unit.id in speakers.values()}


class SpeakerAttributes:
    """One document's attributes as each of its speakers carries them: a linked speaker's
    case attributes over the document's (what a quote of that turn is attributed with)."""

    def __init__(self, project: Project, document_id: int, attributes: Mapping[str, str]) -> None:
        self.attributes = attributes
        links = project.speaker_cases([document_id]).get(document_id, {})
        cases = {c.id: c for c in project.cases(set(links.values()))} if links else {}
        self._by_speaker = {
            speaker: (cases[case_id].name, {**attributes, **cases[case_id].attributes})
            for speaker, case_id in links.items()
        }

    def __call__(self, turn: Turn | None) -> Mapping[str, str]:
        found = self._by_speaker.get(turn.speaker or "") if turn is not None else None
        return found[1] if found else self.attributes

    def case(self, turn: Turn | None) -> str:
        """The name of the turn's speaker's case, or "" (no case linked)."""
        found = self._by_speaker.get(turn.speaker or "") if turn is not None else None
        return found[0] if found else ""
