"""Audited row changes, and undo/redo replayed from the audit log.

Every insert, update and delete of a researcher's work goes through ``_insert``,
``_update`` and ``_delete``, which store the row before and after in ``audit``. Undo applies
the before-images of the coder's latest action in reverse order, as a new action, so it
survives a restart and can itself be redone.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from kwali.errors import ProjectError

# Tables whose rows are keyed by a single column; value = key column.
_KEYS = {
    "codings": "id",
    "memos": "id",
    "codes": "key",
    "suggestion_reviews": ("suggestion_id", "coder"),
    "documents": "id",
    "document_attributes": ("document_id", "key"),
}


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """One entry in the project's history."""

    id: int
    at: str
    coder: str
    kind: str
    description: str
    undone: bool


def _key_columns(tbl: str) -> tuple[str, ...]:
    key = _KEYS[tbl]
    return key if isinstance(key, tuple) else (key,)


def _where(tbl: str) -> str:
    return " AND ".join(f'"{c}" = ?' for c in _key_columns(tbl))


class AuditMixin:
    db: sqlite3.Connection
    _action_id: int | None

    # -- recorded row changes (call inside Project.action) -------------------------------
    def _row(self, tbl: str, key: tuple) -> dict[str, Any] | None:
        row = self.db.execute(f"SELECT * FROM {tbl} WHERE {_where(tbl)}", key).fetchone()
        return dict(row) if row else None

    def _log(self, tbl: str, key: tuple, before: dict | None, after: dict | None) -> None:
        if self._action_id is None:
            raise RuntimeError("audited change outside Project.action()")
        self.db.execute(
            "INSERT INTO audit (action_id, tbl, row_key, before, after) VALUES (?, ?, ?, ?, ?)",
            (
                self._action_id,
                tbl,
                json.dumps(list(key)),
                json.dumps(before, ensure_ascii=False) if before is not None else None,
                json.dumps(after, ensure_ascii=False) if after is not None else None,
            ),
        )

    def _insert(self, tbl: str, values: dict[str, Any]) -> tuple:
        columns = ", ".join(f'"{c}"' for c in values)
        marks = ", ".join("?" for _ in values)
        cursor = self.db.execute(
            f"INSERT INTO {tbl} ({columns}) VALUES ({marks})", tuple(values.values())
        )
        cols = _key_columns(tbl)
        key = (
            (cursor.lastrowid,)
            if cols == ("id",) and "id" not in values
            else tuple(values[c] for c in cols)
        )
        self._log(tbl, key, None, self._row(tbl, key))
        return key

    def _update(self, tbl: str, key: tuple, changes: dict[str, Any]) -> None:
        before = self._row(tbl, key)
        if before is None:
            raise ProjectError(f"{tbl} row {key} no longer exists")
        sets = ", ".join(f'"{c}" = ?' for c in changes)
        self.db.execute(f"UPDATE {tbl} SET {sets} WHERE {_where(tbl)}", (*changes.values(), *key))
        new_key = tuple(changes.get(c, k) for c, k in zip(_key_columns(tbl), key, strict=False))
        self._log(tbl, key, before, self._row(tbl, new_key))

    def _delete(self, tbl: str, key: tuple) -> None:
        before = self._row(tbl, key)
        if before is None:
            return
        self.db.execute(f"DELETE FROM {tbl} WHERE {_where(tbl)}", key)
        self._log(tbl, key, before, None)

    # -- undo / redo ------------------------------------------------------------------------
    def history(self, coder: str | None = None, limit: int = 50) -> list[ActionRecord]:
        sql = "SELECT id, at, coder, kind, description, undone_by FROM actions"
        args: tuple = ()
        if coder:
            sql += " WHERE coder = ?"
            args = (coder,)
        rows = self.db.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [ActionRecord(r[0], r[1], r[2], r[3], r[4], r[5] is not None) for r in rows]

    def _last_do(self, coder: str) -> int:
        row = self.db.execute(
            "SELECT MAX(id) FROM actions WHERE coder = ? AND kind = 'do' AND undoable = 1", (coder,)
        ).fetchone()
        return int(row[0] or 0)

    def undo_target(self, coder: str) -> ActionRecord | None:
        """The action ``undo`` would revert for this coder, if any."""
        row = self.db.execute(
            "SELECT id, at, coder, kind, description FROM actions WHERE coder = ? AND undoable = 1 "
            "AND kind IN ('do', 'redo') AND undone_by IS NULL ORDER BY id DESC LIMIT 1",
            (coder,),
        ).fetchone()
        return ActionRecord(*row, False) if row else None

    def redo_target(self, coder: str) -> ActionRecord | None:
        """The undo that ``redo`` would revert; a new action clears the redo stack."""
        row = self.db.execute(
            "SELECT id, at, coder, kind, description FROM actions WHERE coder = ? AND kind = 'undo' "
            "AND undone_by IS NULL AND id > ? ORDER BY id DESC LIMIT 1",
            (coder, self._last_do(coder)),
        ).fetchone()
        return ActionRecord(*row, False) if row else None

    def undo(self, coder: str) -> ActionRecord | None:
        """Revert the coder's latest action; returns it, or None when there is nothing to undo."""
        return self._revert(coder, self.undo_target(coder), "undo")

    def redo(self, coder: str) -> ActionRecord | None:
        """Re-apply the coder's latest undone action."""
        return self._revert(coder, self.redo_target(coder), "redo")

    def _revert(self, coder: str, target: ActionRecord | None, kind: str) -> ActionRecord | None:
        if target is None:
            return None
        from kwali.store.project import now  # late import: project imports this module

        rows = self.db.execute(
            "SELECT tbl, row_key, before, after FROM audit WHERE action_id = ? ORDER BY id DESC",
            (target.id,),
        ).fetchall()
        with self.transaction():  # type: ignore[attr-defined]
            cursor = self.db.execute(
                "INSERT INTO actions (at, coder, kind, description, target) VALUES (?, ?, ?, ?, ?)",
                (now(), coder, kind, f"{kind}: {target.description}", target.id),
            )
            self._action_id = int(cursor.lastrowid)
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
        current_key = tuple(after_row[c] for c in _key_columns(tbl)) if after_row else key
        current = self._row(tbl, current_key)
        if current != after_row:
            raise ProjectError(
                "cannot undo: what this action changed has been changed again since",
                hint="undo the later change first",
            )
        if after_row is not None and before_row is None:
            self._delete(tbl, current_key)
        elif after_row is None and before_row is not None:
            self._insert(tbl, before_row)
        elif before_row is not None:
            self._update(tbl, current_key, before_row)
