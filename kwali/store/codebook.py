"""The project's codebook: codes in a hierarchy, edited with undo."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict

from kwali.errors import ProjectError
from kwali.model import Code, Codebook, Signals
from kwali.store.actions import Verb
from kwali.store.base import StoreBase


def _code_row(code: Code, position: int) -> dict:
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


def _code(row: sqlite3.Row) -> Code:
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


class CodebookMixin(StoreBase):
    def codebook(self) -> Codebook:
        rows = self.db.execute("SELECT * FROM codes ORDER BY position, key").fetchall()
        meta = dict(
            self.db.execute("SELECT key, value FROM meta WHERE key LIKE 'codebook.%'").fetchall()
        )
        return Codebook(
            name=meta.get("codebook.name", ""),
            version=meta.get("codebook.version", ""),
            description=meta.get("codebook.description", ""),
            codes=tuple(_code(r) for r in rows),
        )

    def code(self, key: str) -> Code | None:
        row = self.db.execute("SELECT * FROM codes WHERE key = ?", (key,)).fetchone()
        return _code(row) if row else None

    def require_code(self, key: str) -> Code:
        code = self.code(key)
        if code is None:
            raise ProjectError(f"has no code {key!r}", path=self.path)
        return code

    def set_codebook(self, codebook: Codebook, coder: str = "kwali") -> dict[str, int]:
        """Load a codebook: new codes are added, codes with a known key are updated.

        Codes missing from the new codebook are kept (they may carry codings); the result
        says how many were added, updated and left alone.
        """
        added = updated = 0
        with self.action(coder, Verb.LOAD_CODEBOOK, codebook.name):
            for position, code in enumerate(codebook.codes):
                row = _code_row(code, position)
                if self.db.execute("SELECT 1 FROM codes WHERE key = ?", (code.key,)).fetchone():
                    self._update("codes", (code.key,), row)
                    updated += 1
                else:
                    self._insert("codes", row)
                    added += 1
            for key, value in (
                ("name", codebook.name),
                ("version", codebook.version),
                ("description", codebook.description),
            ):
                self.db.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"codebook.{key}", value)
                )
        kept = len(self.codebook().codes) - len(codebook.codes)
        return {"added": added, "updated": updated, "kept": max(0, kept)}

    def add_code(self, code: Code, coder: str) -> Code:
        if self.code(code.key):
            raise ProjectError(f"already has a code {code.key!r}", path=self.path)
        if code.parent:
            self.require_code(code.parent)
        position = int(
            self.db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM codes").fetchone()[0]
        )
        with self.action(coder, Verb.ADD_CODE, code.key):
            self._insert("codes", _code_row(code, position))
        return code

    def update_code(self, code_key: str, coder: str, **changes: object) -> Code:
        """Change a code's fields; a new ``key`` renames it (codings follow by cascade)."""
        key = code_key
        self.require_code(key)
        new_key = changes.get("key")
        if new_key and new_key != key and self.code(str(new_key)):
            raise ProjectError(f"already has a code {new_key!r}", path=self.path)
        if "parent" in changes and changes["parent"]:
            self._check_parent(key, str(changes["parent"]))
        if "examples" in changes:
            examples = changes["examples"]
            if isinstance(examples, str) or not isinstance(examples, Iterable):
                raise ProjectError("a code's examples are a list of texts")
            changes["examples"] = json.dumps(list(examples), ensure_ascii=False)
        with self.action(coder, Verb.CHANGE_CODE, key):
            self._update("codes", (key,), changes)
        return self.require_code(str(new_key or key))

    def _check_parent(self, key: str, parent: str) -> None:
        self.require_code(parent)
        node: str | None = parent
        while node:
            if node == key:
                raise ProjectError(f"cannot move {key!r} under its own descendant {parent!r}")
            node = self.require_code(node).parent

    def merge_codes(self, source: str, target: str, coder: str) -> int:
        """Recode every coding of ``source`` as ``target`` and remove ``source``; undoable."""
        if source == target:
            raise ProjectError("cannot merge a code into itself")
        self.require_code(source)
        self.require_code(target)
        with self.action(coder, Verb.MERGE_CODES, source, target):
            ids = [
                r[0]
                for r in self.db.execute("SELECT id FROM codings WHERE code_key = ?", (source,))
            ]
            for coding_id in ids:
                self._update("codings", (coding_id,), {"code_key": target})
            for child in self.db.execute(
                "SELECT key FROM codes WHERE parent = ?", (source,)
            ).fetchall():
                self._update("codes", (child[0],), {"parent": target})
            self.db.execute("DELETE FROM suggestions WHERE code_key = ?", (source,))
            self._delete("codes", (source,))
        return len(ids)

    def code_counts(self, coder: str | None = None) -> dict[str, int]:
        """Confirmed codings per code (of one coder, or all)."""
        sql = "SELECT code_key, COUNT(*) FROM codings WHERE status = 'confirmed'"
        args: tuple = ()
        if coder:
            sql += " AND coder = ?"
            args = (coder,)
        return dict(self.db.execute(sql + " GROUP BY code_key", args).fetchall())
