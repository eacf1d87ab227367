"""The full-text index of sentences (migration ``m005``), kept in step with the segments.

SQLite's FTS5 finds the sentences holding a word or a phrase among millions in milliseconds,
ignoring case and accents. A trigger cannot keep the index in step (SQLite refuses a virtual
table in a trigger while ``trusted_schema`` is off, as kwali opens every file), so this mixin
does, at the few places the store changes a document's sentences: a new document's segments
(``_store_segments``) and every audited insert, update and delete of a segment or of a
document's text, which is what removing, replacing, undo and redo are made of. The index
changes in the same transaction as the segments, so it is right after any action, undone or
not. :meth:`rebuild_search_index` builds it again from the segments (per document or all).

A file opened read-only before ``m005`` has no index: :meth:`has_search_index` says so and
the search reads the sentences themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from kwali.model import Segment, Suggestion
from kwali.store.actions import Verb
from kwali.store.base import evidence_json, now
from kwali.store.documents import DocumentsMixin
from kwali.store.schema import SENTENCE_SEARCH

# The sentences to index, a document at a time; their text is sliced from the document's
# in Python: SQLite's substr() counts characters from the start of the transcript for every
# sentence, which made indexing a long transcript quadratic.
_TO_INDEX = (
    'SELECT s.rowid, s.document_id, s.start, s."end" FROM segments s '
    "WHERE s.kind = 'sentence' AND {where} ORDER BY s.document_id"
)
_UNINDEX = f"DELETE FROM {SENTENCE_SEARCH} WHERE rowid IN (SELECT rowid FROM segments WHERE "

# The sentences the index says match; the sort keys need no transcript text.
_MATCHES = f"""
    FROM {SENTENCE_SEARCH} f JOIN segments s ON s.rowid = f.rowid
    WHERE f.text MATCH ? AND s.kind = 'sentence'
"""
_HITS = f"""
    SELECT s.id, s.document_id, s.turn_number, s.sentence_number, s.start, s."end", f.text
    FROM (SELECT s.rowid AS found {_MATCHES} {{where}}
          ORDER BY (SELECT number FROM documents WHERE id = s.document_id), s.start
          LIMIT ?) h
    JOIN segments s ON s.rowid = h.found
    JOIN {SENTENCE_SEARCH} f ON f.rowid = h.found
    ORDER BY (SELECT number FROM documents WHERE id = s.document_id), s.start
"""

SentenceRow = tuple[str, int, int, int, int, int, str]
"""(segment id, document id, turn number, sentence number, start, end, text)."""


class SearchIndexMixin(DocumentsMixin):
    """Keeps ``sentence_search`` in step with ``segments`` and asks it for sentences."""

    def has_search_index(self) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                (SENTENCE_SEARCH,),
            ).fetchone()
            is not None
        )

    # -- keeping it in step (inside the store's own transactions) --------------------------------
    def _store_segments(self, segments: Iterable[Segment]) -> None:
        segments = list(segments)
        super()._store_segments(segments)
        for document_id in sorted({s.document_id for s in segments}):
            self._index_where("s.document_id = ?", (document_id,))

    def _insert(self, tbl: str, values: dict[str, Any]) -> tuple:
        key = super()._insert(tbl, values)
        if tbl == "segments" and values.get("kind") == "sentence":
            self._index_where("s.id = ?", key)
        return key

    def _update(self, tbl: str, key: tuple, changes: dict[str, Any]) -> None:
        super()._update(tbl, key, changes)
        if tbl == "segments":
            new_key = (changes.get("id", key[0]),)
            self._unindex_where("id = ?", new_key)
            self._index_where("s.id = ?", new_key)
        elif tbl == "documents" and "text" in changes:
            # a replaced transcript: its sentences read differently, even those kept as they were
            self._unindex_where("document_id = ?", key)
            self._index_where("s.document_id = ?", key)

    def _delete(self, tbl: str, key: tuple) -> None:
        if tbl == "segments" and self._has_index():
            self._unindex_where("id = ?", key)
        super()._delete(tbl, key)

    def _has_index(self) -> bool:
        # read once per connection: the schema only grows (the migration runs on open)
        known = getattr(self, "_search_index_known", None)
        if not known:
            known = self.has_search_index()
            self._search_index_known = known
        return known

    def _index_where(self, where: str, args: tuple) -> None:
        if not self._has_index():
            return
        rows = self.db.execute(_TO_INDEX.format(where=where), args).fetchall()
        for document_id, sentences in groupby(rows, key=itemgetter(1)):
            (text,) = self.db.execute(
                "SELECT text FROM documents WHERE id = ?", (document_id,)
            ).fetchone()
            self.db.executemany(
                f"INSERT INTO {SENTENCE_SEARCH} (rowid, text) VALUES (?, ?)",
                [(rowid, text[start:end]) for rowid, _doc, start, end in sentences],
            )

    def _unindex_where(self, where: str, args: tuple) -> None:
        if self._has_index():
            self.db.execute(f"{_UNINDEX}{where})", args)

    def rebuild_search_index(self, document_id: int | None = None) -> None:
        """Index one document's sentences again, or all (not a user action: the index holds
        nothing but what the segments already say)."""
        with self.transaction():
            if document_id is None:
                self.db.execute(f"DELETE FROM {SENTENCE_SEARCH}")
                self._index_where("1", ())
            else:
                self._unindex_where("document_id = ?", (document_id,))
                # rows of segments gone without the store knowing (none, unless edited by hand)
                self.db.execute(
                    f"DELETE FROM {SENTENCE_SEARCH} WHERE rowid NOT IN (SELECT rowid FROM segments)"
                )
                self._index_where("s.document_id = ?", (document_id,))

    def sentence_rows(self, document_id: int) -> tuple[str, list[SentenceRow]]:
        """A document's text and its sentences in text order, each sliced from the text read
        once (``segments()`` reads the whole transcript again for every sentence)."""
        row = self.db.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            return "", []
        text = row[0]
        rows = self.db.execute(
            'SELECT id, turn_number, sentence_number, start, "end" FROM segments '
            "WHERE document_id = ? AND kind = 'sentence' ORDER BY start",
            (document_id,),
        )
        return text, [(r[0], document_id, r[1], r[2], r[3], r[4], text[r[3] : r[4]]) for r in rows]

    def document_text(self, document_id: int) -> str:
        row = self.db.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row[0] if row else ""

    def sentence_at(self, document_id: int, offset: int, text: str) -> SentenceRow | None:
        """The sentence of a document (whose ``text`` is given) that holds ``offset``."""
        row = self.db.execute(
            'SELECT id, turn_number, sentence_number, start, "end" FROM segments '
            "WHERE document_id = ? AND kind = 'sentence' AND start <= ? "
            "ORDER BY start DESC LIMIT 1",
            (document_id, offset),
        ).fetchone()
        if row is None or offset >= row[4]:
            return None
        return (row[0], document_id, row[1], row[2], row[3], row[4], text[row[3] : row[4]])

    def document_names(self) -> dict[int, tuple[int, str]]:
        """``{document id: (number, name)}``, without reading any transcript."""
        rows = self.db.execute("SELECT id, number, name FROM documents ORDER BY number")
        return {r[0]: (r[1], r[2]) for r in rows}

    # -- asking it ------------------------------------------------------------------------------
    def search_index_rows(self) -> list[tuple[str, str]]:
        """``(segment id, indexed text)`` of every indexed sentence, for checks."""
        return [
            (r[0], r[1])
            for r in self.db.execute(
                f"SELECT s.id, f.text FROM {SENTENCE_SEARCH} f "
                "LEFT JOIN segments s ON s.rowid = f.rowid ORDER BY s.id"
            )
        ]

    def matching_sentences(
        self, match: str, document_ids: Sequence[int] | None = None, limit: int | None = None
    ) -> list[SentenceRow]:
        """Sentences matching an FTS5 ``match`` expression, in document and text order (the
        first ``limit``). A row whose indexed text is not the transcript's is left out: the
        index is out of step with the file there (:meth:`rebuild_search_index` mends it)."""
        where, args = self._documents_clause(document_ids)
        rows = self.db.execute(_HITS.format(where=where), (match, *args, limit or -1)).fetchall()
        texts: dict[int, str] = {}
        found = []
        for r in rows:
            document_id, start, end = r[1], r[4], r[5]
            if document_id not in texts:  # each transcript read once, only where there are hits
                texts[document_id] = self.db.execute(
                    "SELECT text FROM documents WHERE id = ?", (document_id,)
                ).fetchone()[0]
            if texts[document_id][start:end] == r[6]:
                found.append((r[0], r[1], r[2], r[3], r[4], r[5], r[6]))
        return found

    def matching_counts(
        self, match: str, document_ids: Sequence[int] | None = None
    ) -> dict[int, int]:
        """``{document id: sentences matching}``, only documents with a match."""
        where, args = self._documents_clause(document_ids)
        rows = self.db.execute(
            f"SELECT s.document_id, COUNT(*) {_MATCHES}{where} GROUP BY s.document_id",
            (match, *args),
        )
        return {r[0]: r[1] for r in rows}

    @staticmethod
    def _documents_clause(document_ids: Sequence[int] | None) -> tuple[str, tuple[int, ...]]:
        if document_ids is None:
            return "", ()
        ids = tuple(document_ids)
        return f" AND s.document_id IN ({', '.join('?' for _ in ids) or 'NULL'})", ids

    # -- the hits as suggestions ----------------------------------------------------------------
    def add_search_suggestions(self, suggestions: Sequence[Suggestion], coder: str) -> int:
        """Store a search's hits as suggestions, one undoable action of ``coder`` (undo takes
        them all back). A sentence that has the suggestion already keeps it as it is, with any
        review. Returns how many are new."""
        if not suggestions:
            return 0
        first = suggestions[0]
        fresh = [
            s
            for s in suggestions
            if not self.db.execute(
                "SELECT 1 FROM suggestions WHERE segment_id = ? AND code_key = ? AND suggester = ?",
                (s.segment_id, s.code_key, s.suggester),
            ).fetchone()
        ]
        if not fresh:
            return 0
        stamp = now()
        with self.action(coder, Verb.SUGGEST_SEARCH, first.code_key, first.suggester):
            for s in fresh:
                self._insert(
                    "suggestions",
                    {
                        "segment_id": s.segment_id,
                        "document_id": s.document_id,
                        "start": s.start,
                        "end": s.end,
                        "code_key": s.code_key,
                        "score": s.score,
                        "evidence": evidence_json(s.evidence),
                        "suggester": s.suggester,
                        "created": stamp,
                    },
                )
        return len(fresh)
