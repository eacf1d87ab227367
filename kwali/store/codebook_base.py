"""What a codebook merge needs to know of the project's past (see kwali.app.codebook_merge).

The *base* is the codebook as it was last loaded or imported from a file: a merge compares the
file and the project with it, to tell a change in the file from an edit made in the project.
It is kept in ``meta`` (key ``codebook_base``) as the last few snapshots, each tied to the
action that loaded it; an undone load no longer counts, so undo needs no extra bookkeeping.
Projects made before the base was kept have none: for them :meth:`code_history` says which
codes the project edited, renamed or removed, read from the audit trail.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from kwali.model import Code, Codebook, Signals
from kwali.store.actions import Verb
from kwali.store.base import StoreBase

BASE_META_KEY = "codebook_base"
_KEEP = 3  # snapshots kept: enough to fall back to the one before an undone import
# Actions in which the project itself (not a file) changed a code.
_EDITS = (Verb.ADD_CODE, Verb.CHANGE_CODE, Verb.MERGE_CODES, Verb.DELETE_CODE)


def code_row(code: Code, position: int) -> dict:
    return {
        "key": code.key,
        "label": code.label,
        "parent": code.parent,
        "kind": code.kind,
        "definition": code.definition,
        "include": code.include,
        "exclude": code.exclude,
        "examples": json.dumps(list(code.examples), ensure_ascii=False),
        "colour": code.colour,
        "signals": json.dumps(
            {k: list(v) for k, v in asdict(code.signals).items() if v}, ensure_ascii=False
        ),
        "position": position,
    }


def code_from_row(row: sqlite3.Row | Mapping[str, Any]) -> Code:
    signals = json.loads(row["signals"] or "{}")
    return Code(
        key=row["key"],
        label=row["label"],
        parent=row["parent"],
        kind=row["kind"],
        definition=row["definition"],
        include=row["include"],
        exclude=row["exclude"],
        examples=tuple(json.loads(row["examples"] or "[]")),
        colour=row["colour"],
        signals=Signals(**{k: tuple(v) for k, v in signals.items()}),
    )


@dataclass(frozen=True, slots=True)
class CodeHistory:
    """What the project did to its codes, from the audit trail."""

    renamed: dict[str, str]  # a key a code had before -> its key now (changed keys only)
    edited: frozenset[str]  # keys (as now) of codes added, changed or merged in the project
    removed: frozenset[str]  # keys of codes merged away or deleted in the project

    def current_key(self, key: str) -> str:
        return self.renamed.get(key, key)


class CodebookBaseMixin(StoreBase):
    def codebook_base(self) -> Codebook | None:
        """The codebook as last loaded from a file (by a load not undone), or None."""
        for snapshot in reversed(self._base_snapshots()):
            if self._in_effect(int(snapshot.get("action", 0))):
                codes = tuple(code_from_row(row) for row in snapshot.get("codes", []))
                return Codebook(name="", codes=codes)
        return None

    def _base_snapshots(self) -> list[dict]:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (BASE_META_KEY,)).fetchone()
        try:
            data = json.loads(row[0]) if row else []
        except ValueError:  # a damaged snapshot only costs the merge its base
            return []
        return [s for s in data if isinstance(s, dict)] if isinstance(data, list) else []

    def _record_base(self, codes: Iterable[Code]) -> None:
        """Keep ``codes`` as the base, tied to the running action (call inside an action)."""
        if self._action_id is None:
            raise RuntimeError("a codebook base is recorded inside an action")
        snapshot = {"action": self._action_id, "codes": [code_row(c, 0) for c in codes]}
        kept = [*self._base_snapshots()[-(_KEEP - 1) :], snapshot]
        self.db.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            (BASE_META_KEY, json.dumps(kept, ensure_ascii=False)),
        )

    def _in_effect(self, action_id: int) -> bool:
        """Whether an action still holds: not undone, or undone and redone (and so on)."""
        flips = 0
        current: int | None = action_id
        while current is not None:
            row = self.db.execute(
                "SELECT undone_by FROM actions WHERE id = ?", (current,)
            ).fetchone()
            if row is None:
                return flips % 2 == 1  # the first action unknown: not in effect
            current = row[0]
            flips += current is not None
        return flips % 2 == 0

    def code_history(self) -> CodeHistory:
        """Renames, edits and removals of codes, as the audit trail records them."""
        rows = self.db.execute(
            "SELECT au.before, au.after, ac.verb FROM audit au "
            "JOIN actions ac ON ac.id = au.action_id WHERE au.tbl = 'codes' ORDER BY au.id"
        ).fetchall()
        renamed: dict[str, str] = {}
        touched: set[str] = set()
        gone: set[str] = set()
        edits = {verb.value for verb in _EDITS}
        for before, after, verb in rows:
            old = json.loads(before)["key"] if before else None
            new = json.loads(after)["key"] if after else None
            if old and new and old != new:
                for was, now in renamed.items():
                    if now == old:
                        renamed[was] = new
                renamed[old] = new
            if verb in edits:
                touched |= {k for k in (old, new) if k}
                if old and not new:
                    gone.add(old)
        renamed = {was: now for was, now in renamed.items() if was != now}
        present = {r[0] for r in self.db.execute("SELECT key FROM codes")}
        return CodeHistory(
            renamed=renamed,
            edited=frozenset(renamed.get(k, k) for k in touched) & present,
            removed=frozenset(k for k in gone if renamed.get(k, k) not in present),
        )
