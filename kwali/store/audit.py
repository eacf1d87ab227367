"""The history of user actions, and undo/redo replayed from the audit log.

Undo applies the before-images of the coder's latest action in reverse order, as a new
action, so it survives a restart and can itself be redone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.store.actions import ActionRecord, Verb, parse_description, verb_of
from kwali.store.base import StoreBase, key_columns, last_id, now

_COLUMNS = "id, at, coder, kind, description, undone_by, target"


def _record(row: Sequence, target: ActionRecord | None) -> ActionRecord:
    action_id, at, coder, kind, description, undone_by, _target, verb, subject = row
    if verb is None:  # a file opened read-only is not migrated: its actions have no verb yet
        structured = parse_description(description)
    else:
        structured = verb_of(verb), tuple(json.loads(subject))
    return ActionRecord(
        action_id, at, coder, kind, description, undone_by is not None, *structured, target
    )


class AuditMixin(StoreBase):
    # -- reading the history ------------------------------------------------------------------
    def _select_actions(self) -> str:
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(actions)")}
        verbs = "verb, subject" if "verb" in columns else "NULL, NULL"
        return f"SELECT {_COLUMNS}, {verbs} FROM actions"

    def _records(self, where: str, args: tuple) -> list[ActionRecord]:
        """Actions as records, each undo or redo with the action it reverted (and so on)."""
        select = self._select_actions()
        records = []
        for row in self.db.execute(f"{select} {where}", args).fetchall():
            chain = [row]
            # a loop, not recursion: undo, redo, undo, ... of one action can nest deeply
            while chain[-1][6] is not None:
                found = self.db.execute(f"{select} WHERE id = ?", (chain[-1][6],)).fetchone()
                if found is None:
                    break
                chain.append(found)
            record: ActionRecord | None = None
            for link in reversed(chain):
                record = _record(link, record)
            assert record is not None
            records.append(record)
        return records

    def history(self, coder: str | None = None, limit: int = 50) -> list[ActionRecord]:
        where, args = ("WHERE coder = ?", (coder,)) if coder else ("", ())
        return self._records(f"{where} ORDER BY id DESC LIMIT ?", (*args, limit))

    def _last_do(self, coder: str) -> int:
        row = self.db.execute(
            "SELECT MAX(id) FROM actions WHERE coder = ? AND kind = 'do' AND undoable = 1", (coder,)
        ).fetchone()
        return int(row[0] or 0)

    def undo_target(self, coder: str) -> ActionRecord | None:
        """The action ``undo`` would revert for this coder, if any."""
        found = self._records(
            "WHERE coder = ? AND undoable = 1 AND kind IN ('do', 'redo') AND undone_by IS NULL "
            "ORDER BY id DESC LIMIT 1",
            (coder,),
        )
        return found[0] if found else None

    def redo_target(self, coder: str) -> ActionRecord | None:
        """The undo that ``redo`` would revert; a new action clears the redo stack."""
        found = self._records(
            "WHERE coder = ? AND kind = 'undo' AND undone_by IS NULL AND id > ? "
            "ORDER BY id DESC LIMIT 1",
            (coder, self._last_do(coder)),
        )
        return found[0] if found else None

    # -- undo / redo ------------------------------------------------------------------------
    def undo(self, coder: str) -> ActionRecord | None:
        """Revert the coder's latest action; returns it, or None when there is nothing to undo."""
        return self._revert(coder, self.undo_target(coder), Verb.UNDO)

    def redo(self, coder: str) -> ActionRecord | None:
        """Re-apply the coder's latest undone action; returns the undo it reverted (whose
        ``target`` is the action done again), or None when there is nothing to redo."""
        return self._revert(coder, self.redo_target(coder), Verb.REDO)

    def _revert(self, coder: str, target: ActionRecord | None, verb: Verb) -> ActionRecord | None:
        if target is None:
            return None
        rows = self.db.execute(
            "SELECT tbl, row_key, before, after FROM audit WHERE action_id = ? ORDER BY id DESC",
            (target.id,),
        ).fetchall()
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO actions (at, coder, kind, description, target, verb, subject) "
                "VALUES (?, ?, ?, ?, ?, ?, '[]')",
                (
                    now(),
                    coder,
                    verb.value,
                    f"{verb.value}: {target.description}",
                    target.id,
                    verb.value,
                ),
            )
            self._action_id = last_id(cursor)
            try:
                for tbl, row_key, before, after in rows:
                    self._restore(tbl, tuple(json.loads(row_key)), before, after)
                self.db.execute(
                    "UPDATE actions SET undone_by = ? WHERE id = ?", (self._action_id, target.id)
                )
            finally:
                self._action_id = None
        return target

    def _restore(self, tbl: str, key: tuple, before: str | None, after: str | None) -> None:
        """Put one row back in its before-state, refusing if it changed since."""
        before_row = json.loads(before) if before else None
        after_row = json.loads(after) if after else None
        current_key = tuple(after_row[c] for c in key_columns(tbl)) if after_row else key
        current = self._row(tbl, current_key)
        if current != after_row:
            raise ProjectError(
                _(
                    "kan niet ongedaan maken: wat deze actie veranderde, is sindsdien weer veranderd"
                ),
                hint=_("maak eerst de latere wijziging ongedaan"),
            )
        if after_row is not None and before_row is None:
            self._delete(tbl, current_key)
        elif after_row is None and before_row is not None:
            self._insert(tbl, before_row)
        elif before_row is not None:
            self._update(tbl, current_key, before_row)
