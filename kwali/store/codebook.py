"""The project's codebook: codes in a hierarchy, edited with undo."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from kwali.errors import ProjectError
from kwali.i18n import _, ngettext
from kwali.model import Code, Codebook
from kwali.store.actions import Verb
from kwali.store.codebook_base import CodebookBaseMixin, code_from_row, code_row


class CodebookMixin(CodebookBaseMixin):
    def codebook(self) -> Codebook:
        rows = self.db.execute("SELECT * FROM codes ORDER BY position, key").fetchall()
        meta = dict(
            self.db.execute("SELECT key, value FROM meta WHERE key LIKE 'codebook.%'").fetchall()
        )
        return Codebook(
            name=meta.get("codebook.name", ""),
            version=meta.get("codebook.version", ""),
            description=meta.get("codebook.description", ""),
            codes=tuple(code_from_row(r) for r in rows),
        )

    def code(self, key: str) -> Code | None:
        row = self.db.execute("SELECT * FROM codes WHERE key = ?", (key,)).fetchone()
        return code_from_row(row) if row else None

    def require_code(self, key: str) -> Code:
        code = self.code(key)
        if code is None:
            raise ProjectError(_("heeft geen code {key}").format(key=repr(key)), path=self.location)
        return code

    def set_codebook(self, codebook: Codebook, coder: str = "kwali") -> dict[str, int]:
        """Load a codebook: new codes are added, codes with a known key are updated.

        Codes missing from the new codebook are kept (they may carry codings); the result
        says how many were added, updated and left alone.
        """
        added = updated = 0
        with self.action(coder, Verb.LOAD_CODEBOOK, codebook.name):
            for position, code in enumerate(codebook.codes):
                row = code_row(code, position)
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
            self._record_base(codebook.codes)
        kept = len(self.codebook().codes) - len(codebook.codes)
        return {"added": added, "updated": updated, "kept": max(0, kept)}

    def import_codes(
        self,
        source: str,
        added: Sequence[Code],
        changed: Sequence[Code],
        base: Iterable[Code],
        coder: str,
        about: Codebook | None = None,
    ) -> None:
        """Apply a merge decided by :mod:`kwali.app.codebook_merge`, as one undoable action.

        ``added`` are new codes (in an order where a parent comes before its children),
        ``changed`` the project's codes as they are to become (same keys); no code is removed
        and no coding touched. ``base`` becomes what the next merge compares with; ``about``
        names the codebook where the project has no name, version or description yet.
        """
        position = int(
            self.db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM codes").fetchone()[0]
        )
        with self.action(coder, Verb.IMPORT_CODEBOOK, source):
            for offset, code in enumerate(added):
                if self.code(code.key):
                    raise ProjectError(
                        _("heeft al een code {key}").format(key=repr(code.key)), path=self.location
                    )
                self._insert("codes", code_row(code, position + offset))
            for code in changed:
                before = self.db.execute(
                    "SELECT * FROM codes WHERE key = ?", (code.key,)
                ).fetchone()
                if before is None:
                    raise ProjectError(
                        _("heeft geen code {key}").format(key=repr(code.key)), path=self.location
                    )
                row = code_row(code, before["position"])
                changes = {k: v for k, v in row.items() if before[k] != v}
                if changes:
                    self._update("codes", (code.key,), changes)
            self._record_base(base)
            if about is not None:  # fill in only: what the project calls its codebook stays
                for key, value in (
                    ("name", about.name),
                    ("version", about.version),
                    ("description", about.description),
                ):
                    self.db.execute(
                        "INSERT OR IGNORE INTO meta VALUES (?, ?)", (f"codebook.{key}", value)
                    )
                    self.db.execute(
                        "UPDATE meta SET value = ? WHERE key = ? AND value = ''",
                        (value, f"codebook.{key}"),
                    )

    def code_use(self, key: str) -> dict[str, int]:
        """What hangs on a code: its codings (any coder or status), subcodes, memos and
        suggestions, as deleting it would have to say."""
        self.require_code(key)
        queries = {
            "codings": ("SELECT COUNT(*) FROM codings WHERE code_key = ?", (key,)),
            "children": ("SELECT COUNT(*) FROM codes WHERE parent = ?", (key,)),
            "memos": (
                "SELECT COUNT(*) FROM memos WHERE target_kind = 'code' AND target_id = ?",
                (key,),
            ),
            "suggestions": ("SELECT COUNT(*) FROM suggestions WHERE code_key = ?", (key,)),
        }
        use = {name: int(self.db.execute(*q).fetchone()[0]) for name, q in queries.items()}
        # codings waiting to be placed after a replaced transcript are codings too
        use["waiting"] = len(self._waiting_codings(key))
        use["codings"] += use["waiting"]
        return use

    def _waiting_codings(self, key: str) -> list[tuple[int, dict]]:
        """Codings of ``key`` waiting to be placed after a replaced transcript (by the key
        they had, followed through renames and merges since, as placing them does)."""
        history = self.code_history()
        found = []
        for waiting_id, text in self.db.execute(
            "SELECT id, row FROM unplaced WHERE kind = 'coding' ORDER BY id"
        ).fetchall():
            row = json.loads(text)
            if history.current_key(str(row.get("code_key", ""))) == key:
                found.append((waiting_id, row))
        return found

    def delete_code(self, key: str, coder: str, move_to: str | None = None) -> int:
        """Remove a code from the codebook as one undoable action; returns the codings moved.

        A code with codings is refused unless ``move_to`` names the code they go to (a coding
        is never dropped); its memos go along to that code. Subcodes move up to the deleted
        code's parent, so nothing below it is lost. Its suggestions go with it.
        """
        code = self.require_code(key)
        if move_to == key:
            raise ProjectError(
                _("kan de coderingen van {key} niet naar {key} zelf verplaatsen").format(
                    key=repr(key)
                )
            )
        if move_to is not None:
            self.require_code(move_to)
        ids = [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM codings WHERE code_key = ? ORDER BY id", (key,)
            )
        ]
        waiting = self._waiting_codings(key)
        if (ids or waiting) and move_to is None:
            n = len(ids) + len(waiting)
            raise ProjectError(
                ngettext(
                    "kan code {key} niet verwijderen: die heeft {n} codering",
                    "kan code {key} niet verwijderen: die heeft {n} coderingen",
                    n,
                ).format(key=repr(key), n=n),
                path=self.location,
                hint=_("verplaats ze eerst naar een andere code (--move-to CODE)"),
            )
        with self.action(coder, Verb.DELETE_CODE, key):
            for coding_id in ids:
                self._update("codings", (coding_id,), {"code_key": move_to})
            for waiting_id, row in waiting:  # not placed yet: they go along, placed later
                row["code_key"] = move_to
                self._update(
                    "unplaced", (waiting_id,), {"row": json.dumps(row, ensure_ascii=False)}
                )
            for (child,) in self.db.execute(
                "SELECT key FROM codes WHERE parent = ?", (key,)
            ).fetchall():
                self._update("codes", (child,), {"parent": code.parent})
            memos = self.db.execute(
                "SELECT id FROM memos WHERE target_kind = 'code' AND target_id = ?", (key,)
            ).fetchall()
            for (memo_id,) in memos:
                if move_to is None:
                    self._delete("memos", (memo_id,))
                else:
                    self._update("memos", (memo_id,), {"target_id": move_to})
            suggestions = self.db.execute(
                "SELECT id FROM suggestions WHERE code_key = ?", (key,)
            ).fetchall()
            for (suggestion_id,) in suggestions:  # audited, so undo brings the reviews back too
                for (reviewer,) in self.db.execute(
                    "SELECT coder FROM suggestion_reviews WHERE suggestion_id = ?", (suggestion_id,)
                ).fetchall():
                    self._delete("suggestion_reviews", (suggestion_id, reviewer))
                self._delete("suggestions", (suggestion_id,))
            self._delete("codes", (key,))
        return len(ids)

    def add_code(self, code: Code, coder: str) -> Code:
        if self.code(code.key):
            raise ProjectError(
                _("heeft al een code {key}").format(key=repr(code.key)), path=self.location
            )
        if code.parent:
            self.require_code(code.parent)
        position = int(
            self.db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM codes").fetchone()[0]
        )
        with self.action(coder, Verb.ADD_CODE, code.key):
            self._insert("codes", code_row(code, position))
        return code

    def update_code(
        self, code_key: str, coder: str, *, seen: Code | None = None, **changes: object
    ) -> Code:
        """Change a code's fields; a new ``key`` renames it (codings follow by cascade).
        ``seen``: the code as the editor saw it; changed since by another coder, the edit is
        refused (reason ``conflict``)."""
        key = code_key
        self.require_code(key)
        new_key = changes.get("key")
        if new_key and new_key != key and self.code(str(new_key)):
            raise ProjectError(
                _("heeft al een code {key}").format(key=repr(new_key)), path=self.location
            )
        if "parent" in changes and changes["parent"]:
            self._check_parent(key, str(changes["parent"]))
        if "examples" in changes:
            examples = changes["examples"]
            if isinstance(examples, str) or not isinstance(examples, Iterable):
                raise ProjectError(_("de voorbeelden van een code zijn een lijst van teksten"))
            changes["examples"] = json.dumps(list(examples), ensure_ascii=False)
        with self.action(coder, Verb.CHANGE_CODE, key):
            self._refuse_if_changed("codes", (key,), seen, self.code(key))
            self._update("codes", (key,), changes)
        return self.require_code(str(new_key or key))

    def _check_parent(self, key: str, parent: str) -> None:
        self.require_code(parent)
        node: str | None = parent
        while node:
            if node == key:
                raise ProjectError(
                    _("kan {key} niet onder zijn eigen subcode {parent} plaatsen").format(
                        key=repr(key), parent=repr(parent)
                    )
                )
            node = self.require_code(node).parent

    def merge_codes(self, source: str, target: str, coder: str) -> int:
        """Recode every coding of ``source`` as ``target`` and remove ``source``; undoable."""
        if source == target:
            raise ProjectError(_("kan een code niet met zichzelf samenvoegen"))
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
