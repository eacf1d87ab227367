"""Replacing a document's text by a corrected version, and what waits for a coder after it.

:meth:`ReplacingMixin.replace_document_text` applies what :mod:`kwali.app.replacing` planned
as ONE audited action: the document keeps its id, number, name and attributes; its text,
turns and sentences are the new ones; codings and sentence memos are carried over (moved ones
keep their old text in ``moved_from``), and what has no place any more waits in ``unplaced``
with the row as it was. Undo restores every row exactly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.model import Coding, Memo, Segment, Turn
from kwali.store.actions import Verb
from kwali.store.base import now
from kwali.store.codings import _CODING_COLUMNS, CodingsMixin, _coding
from kwali.store.documents import DocumentsMixin, content_hash


@dataclass(frozen=True, slots=True)
class NewText:
    """A corrected transcript, segmented, with the segment ids it is to keep."""

    text: str
    source_name: str
    format: str
    encoding: str | None
    removed_cr: tuple[int, ...]
    segmenter: str
    turns: Sequence[Turn]
    segments: Sequence[Segment]


@dataclass(frozen=True, slots=True)
class Unplace:
    """A coding or memo with no place in the new text: its text and where it was."""

    old_text: str
    reference: str


@dataclass(frozen=True, slots=True)
class Replacement:
    """Everything that changes when a document's text is replaced (made by the app).

    ``codings``: coding id -> (start, end, moved_from); moved_from None for an exact one.
    ``memos``: sentence memo id -> (segment id, moved_from). ``suggestions``: id -> (segment
    id, start, end, evidence JSON) for those kept; ``drop_suggestions`` go with their reviews.
    """

    document_id: int
    file_name: str
    new: NewText
    codings: Mapping[int, tuple[int, int, str | None]] = field(default_factory=dict)
    unplaced_codings: Mapping[int, Unplace] = field(default_factory=dict)
    memos: Mapping[int, tuple[str, str | None]] = field(default_factory=dict)
    unplaced_memos: Mapping[int, Unplace] = field(default_factory=dict)
    suggestions: Mapping[int, tuple[str, int, int, str]] = field(default_factory=dict)
    drop_suggestions: Sequence[int] = ()
    links: Mapping[int, Mapping[str, int]] = field(default_factory=dict)  # id -> new ends
    drop_links: Sequence[int] = ()  # an end's text is gone: listed in the report


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A coding or memo waiting to be placed again after its transcript was replaced."""

    id: int
    document_id: int
    kind: str  # "coding" or "memo"
    item_id: int  # its id before the replace
    row: Mapping[str, Any]  # the codings or memos row as it was
    old_text: str
    reference: str
    replaced: str

    @property
    def code_key(self) -> str:
        return str(self.row.get("code_key", ""))

    @property
    def coder(self) -> str:
        return str(self.row.get("coder", ""))


def _unplaced(row: Sequence) -> Unplaced:
    return Unplaced(row[0], row[1], row[2], row[3], json.loads(row[4]), *row[5:8])


class ReplacingMixin(DocumentsMixin, CodingsMixin):
    """Comes before :class:`DocumentsMixin` in :class:`Project`: removing a document takes
    its unplaced codings along (and undo brings them back)."""

    def _dependent_keys(self, document_id: int) -> dict[str, list[tuple]]:
        keys = super()._dependent_keys(document_id)
        waiting = [
            (r[0],)
            for r in self.db.execute(
                "SELECT id FROM unplaced WHERE document_id = ?", (document_id,)
            )
        ]
        return {"unplaced": waiting, **keys}

    # -- reading -----------------------------------------------------------------------------
    def _can_replace(self) -> bool:
        """Whether the file has m004 (one opened read-only is not migrated: nothing waits)."""
        found = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'unplaced'"
        ).fetchone()
        return found is not None

    def segment_ids_in_use(self) -> set[str]:
        """Every segment id a row still refers to: new sentences must take none of these."""
        ids = {r[0] for r in self.db.execute("SELECT id FROM segments")}
        ids |= {r[0] for r in self.db.execute("SELECT DISTINCT segment_id FROM suggestions")}
        ids |= {
            r[0]
            for r in self.db.execute("SELECT target_id FROM memos WHERE target_kind = 'segment'")
        }
        if not self._can_replace():
            return ids
        for (row,) in self.db.execute("SELECT row FROM unplaced WHERE kind = 'memo'"):
            target = json.loads(row)
            if target.get("target_kind") == "segment":
                ids.add(str(target.get("target_id")))
        return ids

    def suggestion_reviews_of(self, document_id: int) -> dict[int, int]:
        """``{suggestion id: number of coders who accepted or rejected it}`` in a document."""
        rows = self.db.execute(
            "SELECT r.suggestion_id, COUNT(*) FROM suggestion_reviews r JOIN suggestions s "
            "ON s.id = r.suggestion_id WHERE s.document_id = ? GROUP BY r.suggestion_id",
            (document_id,),
        )
        return dict(rows.fetchall())

    def unplaced(self, document_id: int | None = None) -> list[Unplaced]:
        if not self._can_replace():
            return []
        where, args = ("WHERE document_id = ?", (document_id,)) if document_id else ("", ())
        rows = self.db.execute(
            "SELECT id, document_id, kind, item_id, row, old_text, reference, replaced "
            f"FROM unplaced {where} ORDER BY document_id, id",
            args,
        )
        return [_unplaced(r) for r in rows]

    def moved_codings(self, document_id: int | None = None) -> list[tuple[Coding, str]]:
        """Codings moved by a replace that no coder has checked yet, with their old text."""
        if not self._can_replace():
            return []
        where = " AND document_id = ?" if document_id else ""
        rows = self.db.execute(
            f"SELECT {_CODING_COLUMNS}, moved_from FROM codings WHERE moved_from IS NOT NULL"
            f"{where} ORDER BY document_id, start, id",
            (document_id,) if document_id else (),
        )
        return [(_coding(r[:-1]), r[-1]) for r in rows]

    def moved_memos(self, document_id: int | None = None) -> list[tuple[Memo, str]]:
        """Sentence memos moved by a replace that no coder has checked yet."""
        if not self._can_replace():
            return []
        rows = self.db.execute(
            "SELECT m.id, m.target_kind, m.target_id, m.coder, m.text, m.created, m.changed, "
            "m.moved_from, s.document_id FROM memos m LEFT JOIN segments s ON s.id = m.target_id "
            "WHERE m.moved_from IS NOT NULL ORDER BY m.id"
        )
        return [(Memo(*r[:7]), r[7]) for r in rows if document_id is None or r[8] == document_id]

    # -- replacing -----------------------------------------------------------------------------
    def replace_document_text(self, plan: Replacement, coder: str = "kwali") -> None:
        """Apply a planned replacement as one undoable action (see the module's description)."""
        document = self.document(plan.document_id)
        if document is None:
            raise ProjectError(
                _("heeft geen document {ref}").format(ref=plan.document_id), path=self.location
            )
        new = plan.new
        sha = content_hash(new.text)
        other = self.db.execute(
            "SELECT number, name FROM documents WHERE sha256 = ? AND id != ?",
            (sha, document.id),
        ).fetchone()
        if other is not None:
            raise ProjectError(
                _(
                    "{file} heeft dezelfde tekst als document {number} ({name}); er is niets "
                    "veranderd"
                ).format(file=plan.file_name, number=other[0], name=other[1]),
                path=self.location,
            )
        stamp = now()
        with self.action(coder, Verb.REPLACE_DOCUMENT, document.name, plan.file_name):
            self._set_aside(plan, stamp)
            for suggestion_id in plan.drop_suggestions:
                for (who,) in self.db.execute(
                    "SELECT coder FROM suggestion_reviews WHERE suggestion_id = ?",
                    (suggestion_id,),
                ).fetchall():
                    self._delete("suggestion_reviews", (suggestion_id, who))
                self._delete("suggestions", (suggestion_id,))
            for suggestion_id, (segment_id, start, end, evidence) in plan.suggestions.items():
                self._update_changed(
                    "suggestions",
                    suggestion_id,
                    {"segment_id": segment_id, "start": start, "end": end, "evidence": evidence},
                )
            for coding_id, (start, end, moved_from) in plan.codings.items():
                changes: dict[str, Any] = {"start": start, "end": end}
                if moved_from is not None:
                    changes["moved_from"] = moved_from
                self._update_changed("codings", coding_id, changes)
            for memo_id, (segment_id, moved_from) in plan.memos.items():
                changes = {"target_id": segment_id}
                if moved_from is not None:
                    changes["moved_from"] = moved_from
                self._update_changed("memos", memo_id, changes)
            for link_id, ends in plan.links.items():
                self._update_changed("links", link_id, dict(ends))
            for link_id in plan.drop_links:
                self._delete("links", (link_id,))
            self._replace_segments(document.id, new)
            self._update(
                "documents",
                (document.id,),
                {
                    "source_name": new.source_name,
                    "format": new.format,
                    "encoding": new.encoding,
                    "sha256": sha,
                    "text": new.text,
                    "removed_cr": json.dumps(list(new.removed_cr)),
                    "segmenter": new.segmenter,
                },
            )

    def _update_changed(self, tbl: str, row_id: int, changes: dict[str, Any]) -> None:
        """Update only what differs: an exact carry-over leaves no audit row behind."""
        current = self._row(tbl, (row_id,))
        if current is None:
            raise ProjectError(
                _("rij {key} van {table} bestaat niet meer; er is niets veranderd").format(
                    key=row_id, table=tbl
                )
            )
        differs = {k: v for k, v in changes.items() if current[k] != v}
        if differs:
            self._update(tbl, (row_id,), differs)

    def _set_aside(self, plan: Replacement, stamp: str) -> None:
        """Codings and memos without a place go to ``unplaced``, the row as it was."""
        for tbl, kind, items in (
            ("codings", "coding", plan.unplaced_codings),
            ("memos", "memo", plan.unplaced_memos),
        ):
            for item_id, where in items.items():
                row = self._row(tbl, (item_id,))
                if row is None:
                    continue
                self._insert(
                    "unplaced",
                    {
                        "document_id": plan.document_id,
                        "kind": kind,
                        "item_id": item_id,
                        "row": json.dumps(row, ensure_ascii=False),
                        "old_text": where.old_text,
                        "reference": where.reference,
                        "replaced": stamp,
                    },
                )
                self._delete(tbl, (item_id,))

    def _replace_segments(self, document_id: int, new: NewText) -> None:
        old_segments = {
            r[0]: dict(r)
            for r in self.db.execute("SELECT * FROM segments WHERE document_id = ?", (document_id,))
        }
        keep = {s.id for s in new.segments} & set(old_segments)
        for segment_id in old_segments:
            if segment_id not in keep:
                self._delete("segments", (segment_id,))
        for (number,) in self.db.execute(
            "SELECT number FROM turns WHERE document_id = ? ORDER BY number", (document_id,)
        ).fetchall():
            self._delete("turns", (document_id, number))
        for t in new.turns:
            self._insert(
                "turns",
                {
                    "document_id": document_id,
                    "number": t.number,
                    "start": t.start,
                    "end": t.end,
                    "content_start": t.content_start,
                    "content_end": t.content_end,
                    "speaker": t.speaker,
                    "role": t.role,
                    "gender": t.gender,
                    "timestamp": t.timestamp,
                },
            )
        for s in new.segments:
            values = {
                "document_id": document_id,
                "kind": s.kind,
                "turn_number": s.turn_number,
                "sentence_number": s.sentence_number,
                "start": s.start,
                "end": s.end,
                "line": s.line,
            }
            if s.id in keep:
                before = old_segments[s.id]
                differs = {k: v for k, v in values.items() if before[k] != v}
                if differs:
                    self._update("segments", (s.id,), differs)
            else:
                self._insert("segments", {"id": s.id, **values})

    # -- what a coder does afterwards -------------------------------------------------------------
    def confirm_moved(self, kind: str, item_id: int, coder: str) -> None:
        """The new place of a moved coding or memo is right: its flag goes."""
        tbl = {"coding": "codings", "memo": "memos"}[kind]
        row = self._row(tbl, (item_id,))
        if row is None or row["moved_from"] is None:
            what = {"coding": _("codering"), "memo": _("memo")}[kind]
            raise ProjectError(
                _("heeft geen verplaatste {kind} {id} om te controleren").format(
                    kind=what, id=item_id
                ),
                path=self.location,
            )
        with self.action(coder, Verb.PLACE_CODING, str(row.get("code_key") or "memo")):
            self._update(tbl, (item_id,), {"moved_from": None})

    def flag_moved(self, coding_id: int, moved_from: str) -> None:
        """Flag a coding as moved by a replace and not checked yet (merging copies carries the
        flag over); only inside an action the caller holds."""
        self._update("codings", (coding_id,), {"moved_from": moved_from})

    def move_coding(self, coding_id: int, start: int, end: int, coder: str) -> Coding:
        """Put a moved coding where a coder says it belongs; its flag goes."""
        coding = self.require_coding(coding_id)
        self._check_span(coding.document_id, start, end)
        with self.action(coder, Verb.PLACE_CODING, coding.code_key):
            self._update(
                "codings",
                (coding_id,),
                {"start": start, "end": end, "moved_from": None, "changed": now()},
            )
        return self.require_coding(coding_id)

    def _check_span(self, document_id: int, start: int, end: int) -> None:
        length = self.db.execute(
            "SELECT length(text) FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if length is None or not 0 <= start < end <= length[0]:
            raise ProjectError(
                _("tekst {start}-{end} ligt buiten het document").format(start=start, end=end),
                path=self.location,
            )

    def place_unplaced(
        self, unplaced_id: int, coder: str, *, span: tuple[int, int], segment_id: str = ""
    ) -> int:
        """Place a waiting coding on ``span`` (its memos come along), or a waiting memo on the
        sentence ``segment_id``; one undoable action. Returns the new coding or memo id."""
        row = self.db.execute(
            "SELECT id, document_id, kind, item_id, row, old_text, reference, replaced "
            "FROM unplaced WHERE id = ?",
            (unplaced_id,),
        ).fetchone()
        if row is None:
            raise ProjectError(
                _("heeft niets dat wacht om geplaatst te worden als {id}").format(id=unplaced_id),
                path=self.location,
            )
        waiting = _unplaced(row)
        if waiting.kind == "memo":
            if not segment_id or self.segment(segment_id) is None:
                raise ProjectError(_("een memo wordt op een zin van zijn document geplaatst"))
            with self.action(coder, Verb.PLACE_CODING, "memo"):
                values = {k: v for k, v in waiting.row.items() if k != "id"}
                # a memo that waited with its coding, placed on its own, is on the sentence
                values.update(target_kind="segment", target_id=segment_id, moved_from=None)
                (memo_id,) = self._insert("memos", values)
                self._delete("unplaced", (unplaced_id,))
            return int(memo_id)
        self._check_span(waiting.document_id, *span)
        key = self.code_history().current_key(waiting.code_key)
        self.require_code(key)  # a code deleted since: one line, nothing placed
        with self.action(coder, Verb.PLACE_CODING, key):
            values = {k: v for k, v in waiting.row.items() if k != "id"}
            values["code_key"] = key
            (coding_id,) = self._insert(
                "codings",
                {**values, "start": span[0], "end": span[1], "moved_from": None, "changed": now()},
            )
            self._delete("unplaced", (unplaced_id,))
            # memos on the coding waited with it: they come back on it
            for other in self.unplaced(waiting.document_id):
                if (
                    other.kind == "memo"
                    and other.row.get("target_kind") == "coding"
                    and str(other.row.get("target_id")) == str(waiting.item_id)
                ):
                    values = {k: v for k, v in other.row.items() if k != "id"}
                    self._insert("memos", {**values, "target_id": str(coding_id)})
                    self._delete("unplaced", (other.id,))
        return int(coding_id)
