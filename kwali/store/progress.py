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
from collections.abc import Iterable

from kwali.store.actions import Verb
from kwali.store.base import StoreBase, now

# The verbs of a mark; until kwali.store.actions has its own, an OTHER action with the
# Dutch words as its subject (requested in #16), so the history still says what happened.


class ProgressMixin(StoreBase):
    def progress(self, coders: Iterable[str]) -> dict[str, dict[int, int]]:
        """``{coder: {document_id: sentences done}}``; untouched documents are absent.

        Done: coded, a suggestion on it reviewed, or marked reviewed (:meth:`mark_reviewed`).
        """
        touched = {coder: self._touched(coder) for coder in dict.fromkeys(coders)}
        # each touched document's sentences read once for all coders, in one query
        sentences = self._sentences_of(
            {doc_id for spans, reviewed in touched.values() for doc_id in spans.keys() | reviewed}
        )
        result: dict[str, dict[int, int]] = {}
        for coder, (spans, reviewed) in touched.items():
            counts: dict[int, int] = {}
            for doc_id in spans.keys() | reviewed.keys():
                done = self._done(
                    sentences.get(doc_id, {}), spans.get(doc_id, ()), reviewed.get(doc_id, set())
                )
                if done:
                    counts[doc_id] = len(done)
            result[coder] = counts
        return result

    def unfinished_sentences(self, document_id: int, coder: str) -> list[str]:
        """The ids of the document's sentences not done by ``coder``, in reading order."""
        spans, reviewed = self._touched(coder, document_id)
        sentences = self._sentences_of({document_id}).get(document_id, {})
        done = self._done(sentences, spans.get(document_id, ()), reviewed.get(document_id, set()))
        return [segment_id for segment_id in sentences if segment_id not in done]

    def _touched(
        self, coder: str, document_id: int | None = None
    ) -> tuple[dict[int, list[tuple[int, int]]], dict[int, set[str]]]:
        """Per document the coder's coded spans, and the sentences they reviewed or marked."""
        where, args = ("", ()) if document_id is None else (" AND document_id = ?", (document_id,))
        spans: dict[int, list[tuple[int, int]]] = {}
        for doc_id, start, end in self.db.execute(
            f'SELECT document_id, start, "end" FROM codings WHERE coder = ?{where}', (coder, *args)
        ):
            spans.setdefault(doc_id, []).append((start, end))
        reviewed: dict[int, set[str]] = {}
        for doc_id, segment_id in self.db.execute(
            "SELECT g.document_id, g.segment_id FROM suggestion_reviews r "
            "JOIN suggestions g ON g.id = r.suggestion_id WHERE r.coder = ? "
            "UNION SELECT s.document_id, s.id FROM segment_reviews m "
            "JOIN segments s ON s.id = m.segment_id WHERE m.coder = ?",
            (coder, coder),
        ):
            if document_id is None or doc_id == document_id:
                reviewed.setdefault(doc_id, set()).add(segment_id)
        return spans, reviewed

    def _sentences_of(self, document_ids: set[int]) -> dict[int, dict[str, tuple[int, int]]]:
        """Each document's sentences (id -> start, end) in reading order."""
        found: dict[int, dict[str, tuple[int, int]]] = {}
        rows = self.db.execute(
            "SELECT document_id, id, start, \"end\" FROM segments WHERE kind = 'sentence' "
            "AND document_id IN (SELECT value FROM json_each(?)) ORDER BY document_id, start",
            (json.dumps(sorted(document_ids)),),
        )
        for doc_id, segment_id, start, end in rows:
            found.setdefault(doc_id, {})[segment_id] = (start, end)
        return found

    @staticmethod
    def _done(
        sentences: dict[str, tuple[int, int]],
        spans: Iterable[tuple[int, int]],
        reviewed: set[str],
    ) -> set[str]:
        """The ids of the sentences coded (overlapping a span) or in ``reviewed``."""
        ids = list(sentences)
        done = {segment_id for segment_id in ids if segment_id in reviewed}
        starts = [start for start, _ in sentences.values()]
        ends = sorted(end for _, end in sentences.values())
        for start, end in spans:
            # sentences never overlap each other, so those overlapping [start, end)
            # are a contiguous run: ends after `start`, starts before `end`
            first, last = bisect_right(ends, start), bisect_left(starts, end)
            done.update(ids[first:last])
        return done

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
