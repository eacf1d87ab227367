"""Removing memos, and the codings that carry one (read by :mod:`kwali.app.memos`).

A memo lives in ``memos`` (on the project, a document, a code, a sentence or a coding) or, for
a coder's note on their own coding, in ``codings.memo``; both are removed as one undoable action.
"""

from __future__ import annotations

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.model import Coding
from kwali.store.actions import Verb
from kwali.store.base import StoreBase, now
from kwali.store.codings import _CODING_COLUMNS, _coding


class MemosMixin(StoreBase):
    def remove_memo(self, memo_id: int, coder: str, about: str = "") -> None:
        """Remove one memo; ``about`` is what it was on, as the history names it."""
        row = self.db.execute("SELECT target_kind FROM memos WHERE id = ?", (memo_id,)).fetchone()
        if row is None:
            raise ProjectError(_("heeft geen memo {id}").format(id=memo_id), path=self.location)
        with self.action(coder, Verb.REMOVE_MEMO, about or row[0]):
            self._delete("memos", (memo_id,))

    def remove_coding_memo(self, coding_id: int, coder: str, about: str = "") -> None:
        """Empty the memo a coder wrote on their coding (the coding itself stays)."""
        if self.db.execute("SELECT 1 FROM codings WHERE id = ?", (coding_id,)).fetchone() is None:
            raise ProjectError(
                _("heeft geen codering {id}").format(id=coding_id), path=self.location
            )
        with self.action(coder, Verb.REMOVE_MEMO, about or "coding"):
            self._update("codings", (coding_id,), {"memo": "", "changed": now()})

    def codings_with_memo(self) -> list[Coding]:
        """Every coding (of any status) whose coder wrote a memo on it."""
        rows = self.db.execute(
            f"SELECT {_CODING_COLUMNS} FROM codings WHERE memo != '' ORDER BY document_id, start, id"
        )
        return [_coding(r) for r in rows]
