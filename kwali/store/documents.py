"""Documents, their attributes, turns and segments in the project file."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.model import Document, Segment, Transcript, Turn
from kwali.store.actions import Verb
from kwali.store.attributes import AttributesMixin
from kwali.store.base import last_id, now


def content_hash(text: str) -> str:
    """sha256 of the stored (normalised) text: the identity of a document across projects."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A document without its text, for lists of many documents."""

    id: int
    number: int
    name: str
    source_name: str
    format: str
    length: int
    attributes: Mapping[str, str]
    turns: int
    segments: int


_SEGMENT_COLUMNS = """
    SELECT s.id, s.document_id, s.kind, s.turn_number, s.sentence_number, s.start, s."end",
           s.line, t.speaker, t.role, t.timestamp{text}
    FROM segments s
    JOIN turns t ON t.document_id = s.document_id AND t.number = s.turn_number
"""
# one segment: its text cut out by SQLite
_SEGMENT_SQL = (
    _SEGMENT_COLUMNS.format(text=', substr(d.text, s.start + 1, s."end" - s.start)')
    + "    JOIN documents d ON d.id = s.document_id\n"
)
# many: the text of each document read once and cut in Python (substr per row re-reads the
# whole text each time: 12 times slower on long transcripts)
_SEGMENTS_SQL = _SEGMENT_COLUMNS.format(text="")


def _segment(row: Sequence[Any]) -> Segment:
    return Segment(
        id=row[0],
        document_id=row[1],
        kind=row[2],
        turn_number=row[3],
        sentence_number=row[4],
        start=row[5],
        end=row[6],
        line=row[7],
        speaker=row[8],
        role=row[9],
        timestamp=row[10],
        text=row[11],
    )


class DocumentsMixin(AttributesMixin):
    def find_document_by_hash(self, sha256: str) -> Document | None:
        row = self.db.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return self.document(row[0]) if row else None

    def add_document(
        self,
        transcript: Transcript,
        segments_for: SegmentFactory,
        *,
        name: str | None = None,
        attributes: Mapping[str, str] | None = None,
        coder: str = "kwali",
        segmenter: str = "",
    ) -> tuple[Document, bool]:
        """Store a transcript with its turns and segments; ``(document, created)``.

        Re-importing the same text returns the existing document and ``created=False``.
        ``segments_for(document_id, uid)`` builds the segments once the id is known.
        """
        sha = content_hash(transcript.text)
        existing = self.find_document_by_hash(sha)
        if existing is not None:
            return existing, False
        attributes = self.with_types(attributes or {}, transcript.source_name)
        with self.action(coder, Verb.IMPORT, transcript.source_name, undoable=False):
            number = 1 + int(
                self.db.execute("SELECT COALESCE(MAX(number), 0) FROM documents").fetchone()[0]
            )
            cursor = self.db.execute(
                "INSERT INTO documents (number, name, source_name, format, encoding, sha256, text, "
                "removed_cr, imported_at, segmenter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    number,
                    name or transcript.source_name.rsplit(".", 1)[0],
                    transcript.source_name,
                    transcript.format,
                    transcript.encoding,
                    sha,
                    transcript.text,
                    json.dumps(list(transcript.removed_cr)),
                    now(),
                    segmenter,
                ),
            )
            document_id = last_id(cursor)
            self._store_turns(document_id, transcript.turns)
            self._store_segments(segments_for(document_id, sha[:12]))
            for key, value in attributes.items():
                self.db.execute(
                    "INSERT INTO document_attributes VALUES (?, ?, ?)", (document_id, key, value)
                )
        document = self.document(document_id)
        assert document is not None
        return document, True

    def _store_turns(self, document_id: int, turns: Sequence[Turn]) -> None:
        self.db.executemany(
            'INSERT INTO turns (document_id, number, start, "end", content_start, content_end, '
            "speaker, role, gender, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    document_id,
                    t.number,
                    t.start,
                    t.end,
                    t.content_start,
                    t.content_end,
                    t.speaker,
                    t.role,
                    t.gender,
                    t.timestamp,
                )
                for t in turns
            ],
        )

    def _store_segments(self, segments: Iterable[Segment]) -> None:
        self.db.executemany(
            'INSERT INTO segments (id, document_id, kind, turn_number, sentence_number, start, "end", line) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    s.id,
                    s.document_id,
                    s.kind,
                    s.turn_number,
                    s.sentence_number,
                    s.start,
                    s.end,
                    s.line,
                )
                for s in segments
            ],
        )

    # -- reading ----------------------------------------------------------------------------
    def document(self, ref: int | str) -> Document | None:
        """By id (int), or by number, name or source file name (str)."""
        if isinstance(ref, int):
            row = self.db.execute("SELECT * FROM documents WHERE id = ?", (ref,)).fetchone()
        else:
            row = self.db.execute(
                "SELECT * FROM documents WHERE CAST(number AS TEXT) = ? OR name = ? OR source_name = ? "
                "ORDER BY number LIMIT 1",
                (ref, ref, ref),
            ).fetchone()
        if row is None:
            return None
        return Document(
            id=row["id"],
            number=row["number"],
            name=row["name"],
            source_name=row["source_name"],
            format=row["format"],
            sha256=row["sha256"],
            text=row["text"],
            encoding=row["encoding"],
            attributes=self._attributes(row["id"]),
            removed_cr=tuple(json.loads(row["removed_cr"])),
        )

    def require_document(self, ref: int | str) -> Document:
        document = self.document(ref)
        if document is None:
            raise ProjectError(
                _("heeft geen document {ref}").format(ref=repr(ref)), path=self.location
            )
        return document

    def document_summaries(self) -> list[DocumentSummary]:
        rows = self.db.execute(
            """
            SELECT d.id, d.number, d.name, d.source_name, d.format, length(d.text),
                   (SELECT COUNT(*) FROM turns t WHERE t.document_id = d.id),
                   (SELECT COUNT(*) FROM segments s WHERE s.document_id = d.id AND s.kind = 'sentence')
            FROM documents d ORDER BY d.number
            """
        ).fetchall()
        attributes: dict[int, dict[str, str]] = {}
        for doc_id, key, value in self.db.execute(
            "SELECT document_id, key, value FROM document_attributes"
        ):
            attributes.setdefault(doc_id, {})[key] = value
        return [
            DocumentSummary(
                r[0], r[1], r[2], r[3], r[4], r[5], attributes.get(r[0], {}), r[6], r[7]
            )
            for r in rows
        ]

    def document_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM documents ORDER BY number")]

    def last_document_id(self) -> int:
        """The largest document id (0 in an empty project): one index read, not every id."""
        return int(self.db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0])

    def document_hashes(self) -> frozenset[str]:
        """The content hash of every document (see :func:`content_hash`)."""
        return frozenset(r[0] for r in self.db.execute("SELECT sha256 FROM documents"))

    def turns(self, document_id: int) -> list[Turn]:
        rows = self.db.execute(
            'SELECT number, start, "end", content_start, content_end, speaker, role, gender, timestamp '
            "FROM turns WHERE document_id = ? ORDER BY number",
            (document_id,),
        )
        return [Turn(*row) for row in rows]

    def segments(
        self, document_id: int | None = None, kind: str | None = "sentence"
    ) -> list[Segment]:
        """Segments in text order, of one document or all, of one kind or both (kind=None)."""
        clauses: list[str] = []
        args: list[object] = []
        if document_id is not None:
            clauses.append("s.document_id = ?")
            args.append(document_id)
        if kind is not None:
            clauses.append("s.kind = ?")
            args.append(kind)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.execute(
            _SEGMENTS_SQL + where + " ORDER BY s.document_id, s.start, s.kind DESC", args
        ).fetchall()
        texts = self._texts({row[1] for row in rows})
        return [_segment((*row, texts[row[1]][row[5] : row[6]])) for row in rows]

    def _texts(self, document_ids: set[int]) -> dict[int, str]:
        """The full text of each document, read once."""
        return dict(
            self.db.execute(
                "SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(document_ids)),),
            ).fetchall()
        )

    def segment(self, segment_id: str) -> Segment | None:
        row = self.db.execute(_SEGMENT_SQL + " WHERE s.id = ?", (segment_id,)).fetchone()
        return _segment(row) if row else None

    # -- maintaining documents (each an undoable action) --------------------------------------
    def find_document(self, ref: str) -> Document:
        """By number, name or file name, as a researcher types it; one line if there is none."""
        document = self.document(ref.strip())
        if document is None:
            raise ProjectError(
                _("heeft geen document {ref}").format(ref=repr(ref)), path=self.location
            )
        return document

    def coding_counts_by_document(self) -> dict[int, dict[str, int]]:
        """``{document_id: {coder: confirmed codings}}``; documents without codings are absent."""
        counts: dict[int, dict[str, int]] = {}
        for doc_id, coder, n in self.db.execute(
            "SELECT document_id, coder, COUNT(*) FROM codings WHERE status = 'confirmed' "
            "GROUP BY document_id, coder ORDER BY document_id, coder"
        ):
            counts.setdefault(doc_id, {})[coder] = n
        return counts

    def rename_document(self, document_id: int, name: str, coder: str = "kwali") -> Document:
        """Give a document another name; a name another document has (or a bare number, which
        would read as a document number) is refused."""
        document = self.document(document_id)
        if document is None:
            raise ProjectError(
                _("heeft geen document {ref}").format(ref=document_id), path=self.location
            )
        name = " ".join(name.split())
        if not name:
            raise ProjectError(_("de naam van een document kan niet leeg zijn"), path=self.location)
        if name.isdigit():
            raise ProjectError(
                _(
                    "de naam van een document kan geen getal zijn ({name} leest als document {number})"
                ).format(name=repr(name), number=name),
                path=self.location,
            )
        taken = self.db.execute(
            "SELECT number FROM documents WHERE (name = ? OR source_name = ?) AND id != ?",
            (name, name, document_id),
        ).fetchone()
        if taken is not None:
            raise ProjectError(
                _("heeft al een document met de naam {name} ({number})").format(
                    name=repr(name), number=taken[0]
                ),
                path=self.location,
            )
        if name != document.name:
            with self.action(coder, Verb.RENAME_DOCUMENT, document.name, name):
                self._update("documents", (document_id,), {"name": name})
        renamed = self.document(document_id)
        assert renamed is not None
        return renamed

    def _dependent_keys(self, document_id: int) -> dict[str, list[tuple]]:
        """The keys of every row that goes with a document, children before parents: the
        order of removal (undo puts them back in the reverse order)."""
        one = lambda sql: [tuple(r) for r in self.db.execute(sql, (document_id,))]  # noqa: E731
        coding_ids = [str(k) for (k,) in one("SELECT id FROM codings WHERE document_id = ?")]
        segment_ids = [k for (k,) in one("SELECT id FROM segments WHERE document_id = ?")]
        memo_ids: list[tuple] = []
        for kind, targets in (
            ("document", [str(document_id)]),
            ("coding", coding_ids),
            ("segment", segment_ids),
        ):
            for i in range(0, len(targets), 500):
                chunk = targets[i : i + 500]
                marks = ", ".join("?" for _id in chunk)
                memo_ids += [
                    tuple(r)
                    for r in self.db.execute(
                        f"SELECT id FROM memos WHERE target_kind = ? AND target_id IN ({marks})",
                        (kind, *chunk),
                    )
                ]
        return {
            "memos": sorted(memo_ids),
            "suggestion_reviews": one(
                "SELECT r.suggestion_id, r.coder FROM suggestion_reviews r "
                "JOIN suggestions g ON g.id = r.suggestion_id WHERE g.document_id = ?"
            ),
            "codings": one("SELECT id FROM codings WHERE document_id = ?"),
            "suggestions": one("SELECT id FROM suggestions WHERE document_id = ?"),
            "suggestion_runs": one(
                "SELECT document_id, suggester FROM suggestion_runs WHERE document_id = ?"
            ),
            "segments": [(k,) for k in segment_ids],
            "turns": one("SELECT document_id, number FROM turns WHERE document_id = ?"),
            "document_attributes": one(
                "SELECT document_id, key FROM document_attributes WHERE document_id = ?"
            ),
        }

    def removal_counts(self, document_id: int) -> dict[str, int]:
        """What removing a document takes with it: codings, memos, suggestions, reviews."""
        keys = self._dependent_keys(document_id)
        return {
            "codings": len(keys["codings"]),
            "memos": len(keys["memos"]),
            "suggestions": len(keys["suggestions"]),
            "reviews": len(keys["suggestion_reviews"]),
        }

    def remove_document(self, document_id: int, coder: str = "kwali") -> dict[str, int]:
        """Remove a document with everything that goes with it, as one undoable action: every
        row is audited, so undo brings back the document, its turns, sentences (same ids),
        codings, memos and suggestions. Returns :meth:`removal_counts`."""
        document = self.document(document_id)
        if document is None:
            raise ProjectError(
                _("heeft geen document {ref}").format(ref=document_id), path=self.location
            )
        counts = self.removal_counts(document_id)
        with self.action(coder, Verb.REMOVE_DOCUMENT, document.name):
            for tbl, keys in self._dependent_keys(document_id).items():
                for key in keys:
                    self._delete(tbl, key)
            self._delete("documents", (document_id,))
        return counts

    def counts(self) -> dict[str, int]:
        one = lambda sql: int(self.db.execute(sql).fetchone()[0])  # noqa: E731
        return {
            "documents": one("SELECT COUNT(*) FROM documents"),
            "turns": one("SELECT COUNT(*) FROM turns"),
            "sentences": one("SELECT COUNT(*) FROM segments WHERE kind = 'sentence'"),
            "characters": one("SELECT COALESCE(SUM(length(text)), 0) FROM documents"),
            "codes": one("SELECT COUNT(*) FROM codes WHERE kind = 'code'"),
            "suggestions": one("SELECT COUNT(*) FROM suggestions"),
        }


class SegmentFactory(Protocol):
    """Builds a new document's segments once its id is known."""

    def __call__(self, document_id: int, uid: str) -> Sequence[Segment]: ...
