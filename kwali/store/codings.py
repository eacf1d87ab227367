"""Codings, suggestions and their review, and memos.

A suggestion never becomes a coding by itself: :meth:`accept_suggestion` is the only path,
and it records who accepted it. Each call is one action, committed before it returns.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.model import Coding, Evidence, Memo, Suggestion
from kwali.store.actions import Verb
from kwali.store.base import SuggestionRow, now, stored_time, suggestion_row
from kwali.store.codebook import CodebookMixin

_CODING_COLUMNS = 'id, document_id, start, "end", code_key, coder, status, origin, created, changed, memo, suggestion_id'


def _coding(row: Sequence) -> Coding:
    return Coding(*row)


def _suggestion(row: sqlite3.Row) -> Suggestion:
    return Suggestion(
        id=row["id"],
        segment_id=row["segment_id"],
        document_id=row["document_id"],
        start=row["start"],
        end=row["end"],
        code_key=row["code_key"],
        score=row["score"],
        evidence=tuple(Evidence(**e) for e in json.loads(row["evidence"])),
        suggester=row["suggester"],
    )


class CodingsMixin(CodebookMixin):
    """Codings need their codes, so this part of the store builds on the codebook."""

    # -- codings ------------------------------------------------------------------------------
    def add_coding(
        self,
        document_id: int,
        start: int,
        end: int,
        code_key: str,
        coder: str,
        *,
        memo: str = "",
        origin: str = "manual",
        suggestion_id: int | None = None,
        created: str | None = None,
    ) -> Coding:
        """Apply a code to ``[start, end)``; an identical existing coding is returned as is.
        ``created``: when the coding was made elsewhere (an exchange file, a merged copy),
        kept as it was; else now."""
        if not coder:
            raise ProjectError(_("een codering heeft de naam van een coder nodig"))
        text_length = self.db.execute(
            "SELECT length(text) FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if text_length is None:
            raise ProjectError(
                _("heeft geen document met id {id}").format(id=document_id), path=self.location
            )
        if not 0 <= start < end <= text_length[0]:
            raise ProjectError(
                _("tekst {start}-{end} ligt buiten het document (0-{length})").format(
                    start=start, end=end, length=text_length[0]
                )
            )
        self.require_code(code_key)
        stamp = stored_time(created) or now()
        # The look for an identical coding runs inside the write transaction: BEGIN IMMEDIATE
        # serialises writers, so two kwalis of one coder cannot both find none and both insert.
        with self.transaction():
            existing = self.db.execute(
                f"SELECT {_CODING_COLUMNS} FROM codings WHERE document_id = ? AND start = ? "
                "AND \"end\" = ? AND code_key = ? AND coder = ? AND status = 'confirmed'",
                (document_id, start, end, code_key, coder),
            ).fetchone()
            if existing:
                return _coding(existing)
            with self.action(coder, Verb.CODE, code_key):
                (coding_id,) = self._insert(
                    "codings",
                    {
                        "document_id": document_id,
                        "start": start,
                        "end": end,
                        "code_key": code_key,
                        "coder": coder,
                        "status": "confirmed",
                        "origin": origin,
                        "suggestion_id": suggestion_id,
                        "created": stamp,
                        "changed": stamp,
                        "memo": memo,
                    },
                )
        return self.require_coding(coding_id)

    def coding(self, coding_id: int) -> Coding | None:
        row = self.db.execute(
            f"SELECT {_CODING_COLUMNS} FROM codings WHERE id = ?", (coding_id,)
        ).fetchone()
        return _coding(row) if row else None

    def require_coding(self, coding_id: int) -> Coding:
        coding = self.coding(coding_id)
        if coding is None:
            raise ProjectError(
                _("heeft geen codering {id}").format(id=coding_id), path=self.location
            )
        return coding

    def remove_coding(self, coding_id: int, coder: str) -> Coding:
        coding = self.require_coding(coding_id)
        with self.action(coder, Verb.REMOVE_CODING, coding.code_key):
            review = self.db.execute(
                "SELECT 1 FROM suggestion_reviews WHERE suggestion_id = ? AND coder = ?",
                (coding.suggestion_id, coding.coder),
            ).fetchone()
            if review:  # removing an accepted suggestion re-opens it for review
                self._delete("suggestion_reviews", (coding.suggestion_id, coding.coder))
            self._delete("codings", (coding_id,))
        return coding

    def set_coding_memo(
        self, coding_id: int, memo: str, coder: str, *, seen: str | None = None
    ) -> Coding:
        """``seen``: the memo as the editor saw it; changed since (the same coder on another
        machine), the edit is refused (reason ``conflict``)."""
        self.require_coding(coding_id)
        with self.action(coder, Verb.MEMO, "coding"):
            if seen is not None:
                self._refuse_if_changed(
                    "codings", (coding_id,), seen, self.require_coding(coding_id).memo
                )
            self._update("codings", (coding_id,), {"memo": memo, "changed": now()})
        return self.require_coding(coding_id)

    def codings(
        self,
        *,
        document_id: int | None = None,
        coder: str | None = None,
        coders: Iterable[str] | None = None,
        code_key: str | None = None,
        status: str | None = "confirmed",
        start: int | None = None,
        end: int | None = None,
    ) -> list[Coding]:
        """Codings filtered by document, coder(s), code and status; ``start``/``end`` keep
        only codings that overlap that range."""
        clauses: list[str] = []
        args: list[object] = []
        for column, value in (
            ("document_id", document_id),
            ("coder", coder),
            ("code_key", code_key),
            ("status", status),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        if coders is not None:
            coders = list(coders)
            clauses.append(f"coder IN ({', '.join('?' for _coder in coders)})")
            args.extend(coders)
        if start is not None and end is not None:
            clauses.append('start < ? AND "end" > ?')
            args.extend([end, start])
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.execute(
            f"SELECT {_CODING_COLUMNS} FROM codings{where} ORDER BY document_id, start, id", args
        )
        return [_coding(r) for r in rows]

    def coders(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT coder FROM codings ORDER BY coder")]

    def coder_counts(self) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT coder, COUNT(*) FROM codings WHERE status = 'confirmed' GROUP BY coder ORDER BY coder"
        )
        return dict(rows.fetchall())

    # -- suggestions ----------------------------------------------------------------------------
    def documents_needing_suggestions(self, suggester: str) -> list[int]:
        """Documents never run with this suggester, or whose text changed since."""
        rows = self.db.execute(
            "SELECT d.id FROM documents d LEFT JOIN suggestion_runs r "
            "ON r.document_id = d.id AND r.suggester = ? WHERE r.sha256 IS NULL OR r.sha256 != d.sha256 "
            "ORDER BY d.number",
            (suggester,),
        )
        return [r[0] for r in rows]

    def replace_suggestions(
        self, document_id: int, suggester: str, suggestions: Sequence[Suggestion]
    ) -> int:
        """Store one suggester's suggestions for a document, replacing its earlier runs.

        Earlier runs under the same name with another version (``kwali-rules@…``: an older
        codebook, or another learned model) are replaced too, so a coder never sees two
        generations of suggestions at once. Reviews of suggestions that come back (same
        segment and code) are kept.
        """
        return self.replace_suggestion_rows(
            document_id, suggester, [suggestion_row(s) for s in suggestions]
        )

    def replace_suggestion_rows(
        self, document_id: int, suggester: str, suggestions: Sequence[SuggestionRow]
    ) -> int:
        """:meth:`replace_suggestions` for suggestions already in their stored form
        (:func:`suggestion_row`, made where they were found: a worker process)."""
        family = suggester.split("@", 1)[0] + "@"
        with self.transaction():
            rows = self.db.execute(
                "SELECT id, segment_id, code_key FROM suggestions WHERE document_id = ? "
                "AND (suggester = ? OR substr(suggester, 1, ?) = ?) "
                # a reviewed one wins where an older file holds two generations of a suggestion
                "ORDER BY EXISTS (SELECT 1 FROM suggestion_reviews r WHERE r.suggestion_id = suggestions.id)",
                (document_id, suggester, len(family), family),
            ).fetchall()
            old = {(segment_id, code_key): id_ for id_, segment_id, code_key in rows}
            keep = {
                old[key] for key in ((s.segment_id, s.code_key) for s in suggestions) if key in old
            }
            # Stale ones go first: a kept one renamed to this version must not meet a twin.
            self.db.executemany(
                "DELETE FROM suggestions WHERE id = ?",
                [(row[0],) for row in rows if row[0] not in keep],
            )
            stamp = now()
            updated, added = [], []
            for s in suggestions:
                known = old.get((s.segment_id, s.code_key))
                if known is not None:
                    updated.append((s.start, s.end, s.score, s.evidence, suggester, known))
                else:
                    added.append(
                        (
                            s.segment_id,
                            document_id,
                            s.start,
                            s.end,
                            s.code_key,
                            s.score,
                            s.evidence,
                            suggester,
                            stamp,
                        )
                    )
            self.db.executemany(
                'UPDATE suggestions SET start = ?, "end" = ?, score = ?, evidence = ?, '
                "suggester = ? WHERE id = ?",
                updated,
            )
            self.db.executemany(
                'INSERT INTO suggestions (segment_id, document_id, start, "end", code_key, score, '
                "evidence, suggester, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                added,
            )
            sha = self.db.execute(
                "SELECT sha256 FROM documents WHERE id = ?", (document_id,)
            ).fetchone()[0]
            self.db.execute(
                "DELETE FROM suggestion_runs WHERE document_id = ? AND substr(suggester, 1, ?) = ?",
                (document_id, len(family), family),
            )
            self.db.execute(
                "INSERT OR REPLACE INTO suggestion_runs VALUES (?, ?, ?, ?)",
                (document_id, suggester, sha, stamp),
            )
        return len(suggestions)

    def suggestions(
        self,
        *,
        document_id: int | None = None,
        segment_id: str | None = None,
        open_for: str | None = None,
    ) -> list[Suggestion]:
        """Suggestions, best first within a segment.

        ``open_for`` drops those that coder reviewed, and those whose code the coder already
        confirmed on that text: there is nothing left for them to decide.
        """
        clauses: list[str] = []
        args: list[object] = []
        if document_id is not None:
            clauses.append("s.document_id = ?")
            args.append(document_id)
        if segment_id is not None:
            clauses.append("s.segment_id = ?")
            args.append(segment_id)
        if open_for is not None:
            clauses.append(
                "NOT EXISTS (SELECT 1 FROM suggestion_reviews r WHERE r.suggestion_id = s.id AND r.coder = ?)"
            )
            args.append(open_for)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.execute(
            f"SELECT s.* FROM suggestions s{where} ORDER BY s.document_id, s.start, s.score DESC, s.id",
            args,
        )
        found = [_suggestion(r) for r in rows]
        if open_for is None or not found:
            return found
        # The coder's confirmed codings read once, not looked up per suggestion: a correlated
        # subquery scanned half the document's codings for each one (15 ms a coding-screen
        # reload on a fully coded transcript).
        within, more = ("", ()) if document_id is None else (" AND document_id = ?", (document_id,))
        confirmed: dict[tuple[int, str], list[tuple[int, int]]] = {}
        for document, key, start, end in self.db.execute(
            'SELECT document_id, code_key, start, "end" FROM codings WHERE coder = ? '
            f"AND status = 'confirmed'{within}",
            (open_for, *more),
        ):
            confirmed.setdefault((document, key), []).append((start, end))
        return [
            s
            for s in found
            if not any(
                a < s.end and b > s.start for a, b in confirmed.get((s.document_id, s.code_key), ())
            )
        ]

    def suggestion(self, suggestion_id: int) -> Suggestion:
        row = self.db.execute("SELECT * FROM suggestions WHERE id = ?", (suggestion_id,)).fetchone()
        if row is None:
            raise ProjectError(
                _("heeft geen suggestie {id}").format(id=suggestion_id), path=self.location
            )
        return _suggestion(row)

    def accept_suggestion(self, suggestion_id: int, coder: str) -> Coding:
        """Confirm a suggestion as this coder's coding (one action: review + coding)."""
        suggestion = self.suggestion(suggestion_id)
        with self.action(coder, Verb.ACCEPT, suggestion.code_key):
            self._delete("suggestion_reviews", (suggestion_id, coder))
            self._insert(
                "suggestion_reviews",
                {
                    "suggestion_id": suggestion_id,
                    "coder": coder,
                    "verdict": "accepted",
                    "at": now(),
                },
            )
            return self.add_coding(
                suggestion.document_id,
                suggestion.start,
                suggestion.end,
                suggestion.code_key,
                coder,
                origin="suggestion",
                suggestion_id=suggestion_id,
            )

    def reject_suggestion(self, suggestion_id: int, coder: str) -> None:
        suggestion = self.suggestion(suggestion_id)
        with self.action(coder, Verb.REJECT, suggestion.code_key):
            self._delete("suggestion_reviews", (suggestion_id, coder))
            self._insert(
                "suggestion_reviews",
                {
                    "suggestion_id": suggestion_id,
                    "coder": coder,
                    "verdict": "rejected",
                    "at": now(),
                },
            )

    def reviewed_segments(self, coder: str) -> dict[int, int]:
        """Per document: sentences this coder has coded or whose suggestions they reviewed."""
        rows = self.db.execute(
            """
            SELECT s.document_id, COUNT(DISTINCT s.id) FROM segments s
            WHERE s.kind = 'sentence' AND (
                EXISTS (SELECT 1 FROM codings c WHERE c.document_id = s.document_id AND c.coder = ?
                        AND c.start < s."end" AND c."end" > s.start)
                OR EXISTS (SELECT 1 FROM suggestions g JOIN suggestion_reviews r ON r.suggestion_id = g.id
                           WHERE g.segment_id = s.id AND r.coder = ?)
                OR EXISTS (SELECT 1 FROM segment_reviews m WHERE m.segment_id = s.id AND m.coder = ?))
            GROUP BY s.document_id
            """,
            (coder, coder, coder),
        )
        return dict(rows.fetchall())

    # -- memos ----------------------------------------------------------------------------------
    def add_memo(
        self, target_kind: str, target_id: str, text: str, coder: str, created: str | None = None
    ) -> Memo:
        """A memo on a target; ``created`` keeps the time of a memo written elsewhere."""
        stamp = stored_time(created) or now()
        with self.action(coder, Verb.MEMO, target_kind):
            (memo_id,) = self._insert(
                "memos",
                {
                    "target_kind": target_kind,
                    "target_id": str(target_id),
                    "coder": coder,
                    "text": text,
                    "created": stamp,
                    "changed": stamp,
                },
            )
        return self.memos(target_kind, str(target_id), ids=[memo_id])[0]

    def update_memo(self, memo_id: int, text: str, coder: str, *, seen: str | None = None) -> None:
        """``seen``: the memo's text as the editor saw it (see :meth:`set_coding_memo`)."""
        with self.action(coder, Verb.EDIT_MEMO):
            if seen is not None:
                current = self.db.execute("SELECT text FROM memos WHERE id = ?", (memo_id,))
                row = current.fetchone()
                self._refuse_if_changed("memos", (memo_id,), seen, row[0] if row else None)
            self._update("memos", (memo_id,), {"text": text, "changed": now()})

    def memos(
        self,
        target_kind: str | None = None,
        target_id: str | None = None,
        coder: str | None = None,
        ids: Sequence[int] | None = None,
    ) -> list[Memo]:
        clauses: list[str] = []
        args: list[object] = []
        for column, value in (
            ("target_kind", target_kind),
            ("target_id", target_id),
            ("coder", coder),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        if ids is not None:
            clauses.append(f"id IN ({', '.join('?' for _id in ids)})")
            args.extend(ids)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.execute(
            f"SELECT id, target_kind, target_id, coder, text, created, changed FROM memos{where} ORDER BY id",
            args,
        )
        return [Memo(*r) for r in rows]
