"""Coding progress per document for several coders, cheap enough for the documents screen,
and the sentences a coder marks as reviewed (m008), which count as done.

A sentence is done for a coder when they coded it, reviewed a suggestion on it, or marked it
reviewed (nothing to code there), so a document's progress can reach 100%.
``reviewed_segments`` tests every sentence of the project against the codings; at 1,000
transcripts that is over a million rows. Here only documents a coder has touched (a coding,
a review or a mark) are read, and sentences are matched to codings by bisection, which gives
the same numbers in milliseconds.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from kwali.store.actions import Verb
from kwali.store.base import StoreBase, now

# The verbs of a mark; until kwali.store.actions has its own, an OTHER action with the
# Dutch words as its subject (requested in #16), so the history still says what happened.


@dataclass(frozen=True, slots=True)
class _Sentences:
    """One document's sentences in reading order: starts and ends side by side (and ids,
    when asked for: reading them costs a third more)."""

    starts: Sequence[int]
    ends: Sequence[int]  # sentences never overlap, so their ends are in order too
    ids: Sequence[str] = ()

    def done(self, spans: Iterable[tuple[int, int]], reviewed: Iterable[int]) -> set[int]:
        """The indexes of the sentences coded (overlapping a span) or starting at one of
        ``reviewed`` (reviewed sentences are named by their start: no ids to read)."""
        found: set[int] = set()
        for start, end in spans:
            # those overlapping [start, end) are a contiguous run: ends after `start`,
            # starts before `end`
            found.update(range(bisect_right(self.ends, start), bisect_left(self.starts, end)))
        for start in reviewed:
            index = bisect_left(self.starts, start)
            if index < len(self.starts) and self.starts[index] == start:
                found.add(index)
        return found


class ProgressMixin(StoreBase):
    def progress(
        self, coders: Iterable[str], document_ids: Iterable[int] | None = None
    ) -> dict[str, dict[int, int]]:
        """``{coder: {document_id: sentences done}}``; untouched documents are absent.

        Done: coded, a suggestion on it reviewed, or marked reviewed (:meth:`mark_reviewed`).
        ``document_ids``: only these documents. Every sentence of a touched document is read,
        so at 1,000 fully coded transcripts (a million sentences) all of them take seconds:
        the documents screen asks for the rows on screen first and the rest a few at a time.
        """
        only = None if document_ids is None else set(document_ids)
        touched = {coder: self._touched(coder, only) for coder in dict.fromkeys(coders)}
        # each touched document's sentences read once for all coders, in one query
        sentences = self._sentences_of(
            {doc_id for spans, reviewed in touched.values() for doc_id in spans.keys() | reviewed}
        )
        nothing = _Sentences((), ())
        result: dict[str, dict[int, int]] = {}
        for coder, (spans, reviewed) in touched.items():
            counts: dict[int, int] = {}
            for doc_id in spans.keys() | reviewed.keys():
                done = sentences.get(doc_id, nothing).done(
                    spans.get(doc_id, ()), reviewed.get(doc_id, ())
                )
                if done:
                    counts[doc_id] = len(done)
            result[coder] = counts
        return result

    def unfinished_sentences(self, document_id: int, coder: str) -> list[str]:
        """The ids of the document's sentences not done by ``coder``, in reading order."""
        spans, reviewed = self._touched(coder, {document_id})
        sentences = self._sentences_of({document_id}, ids=True).get(document_id, _Sentences((), ()))
        done = sentences.done(spans.get(document_id, ()), reviewed.get(document_id, ()))
        return [segment_id for i, segment_id in enumerate(sentences.ids) if i not in done]

    def _touched(
        self, coder: str, document_ids: set[int] | None = None
    ) -> tuple[dict[int, list[tuple[int, int]]], dict[int, set[int]]]:
        """Per document (of ``document_ids``, or all) the coder's coded spans, and the starts
        of the sentences they reviewed a suggestion on or marked."""
        within = ""  # every document
        args: tuple[str, ...] = ()
        if document_ids is not None:  # by the documents' indexes, not the coder's every coding
            within = " AND {0}.document_id IN (SELECT value FROM json_each(?))"
            args = (json.dumps(sorted(document_ids)),)
        spans: dict[int, list[tuple[int, int]]] = {}
        for doc_id, start, end in self.db.execute(
            f'SELECT document_id, start, "end" FROM codings WHERE coder = ?{within.format("codings")}',
            (coder, *args),
        ):
            spans.setdefault(doc_id, []).append((start, end))
        reviewed: dict[int, set[int]] = {}
        for doc_id, start in self.db.execute(
            # CROSS JOIN keeps this order: a suggestion's review is looked up before its
            # sentence, which only a reviewed one needs
            "SELECT s.document_id, s.start FROM suggestions g "
            "CROSS JOIN suggestion_reviews r ON r.suggestion_id = g.id AND r.coder = ? "
            "CROSS JOIN segments s ON s.id = g.segment_id "
            f"WHERE s.kind = 'sentence'{within.format('g')} "
            "UNION SELECT s.document_id, s.start FROM segment_reviews m "
            "JOIN segments s ON s.id = m.segment_id "
            f"WHERE m.coder = ? AND s.kind = 'sentence'{within.format('s')}",
            (coder, *args, coder, *args),
        ):
            reviewed.setdefault(doc_id, set()).add(start)
        return spans, reviewed

    def _sentences_of(self, document_ids: set[int], ids: bool = False) -> dict[int, _Sentences]:
        """Each document's sentences in reading order."""
        found: dict[int, _Sentences] = {}
        rows = self.db.execute(
            f'SELECT document_id, start, "end"{", id" if ids else ""} FROM segments '
            "WHERE kind = 'sentence' AND document_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY document_id, start",
            (json.dumps(sorted(document_ids)),),
        )
        for doc_id, group in groupby(rows, key=itemgetter(0)):
            _doc, *columns = zip(*group, strict=True)
            found[doc_id] = _Sentences(*columns)
        return found

    def marked_reviewed(self, document_id: int, coder: str) -> set[str]:
        """The ids of this document's sentences ``coder`` marked reviewed."""
        rows = self.db.execute(
            "SELECT m.segment_id FROM segment_reviews m JOIN segments s ON s.id = m.segment_id "
            "WHERE s.document_id = ? AND m.coder = ?",
            (document_id, coder),
        )
        return {segment_id for (segment_id,) in rows}

    def mark_reviewed(
        self, segment_ids: Iterable[str], coder: str, *, about: str, reviewed: bool = True
    ) -> int:
        """Mark sentences reviewed by ``coder`` (or take the mark off), as one undoable action;
        ``about`` names them for the history ("1:3.2", "document 1"). Returns how many
        changed: a sentence already (un)marked is left as it is."""
        ids = list(dict.fromkeys(segment_ids))
        verb = Verb.MARK_REVIEWED if reviewed else Verb.UNMARK_REVIEWED
        with self.action(coder, verb, about, str(len(ids))):
            changed = 0
            for segment_id in ids:
                there = self._row("segment_reviews", (segment_id, coder)) is not None
                if reviewed and not there:
                    self._insert(
                        "segment_reviews", {"segment_id": segment_id, "coder": coder, "at": now()}
                    )
                    changed += 1
                elif not reviewed and there:
                    self._delete("segment_reviews", (segment_id, coder))
                    changed += 1
        return changed
