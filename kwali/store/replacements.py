"""The project's anonymisation list: names and what to print instead of them on export.

Stored as rows ``anonymize.<name> = replacement`` in the ``meta`` table. The list is project
settings rather than coding work, so changes are plain transactions, not undoable actions.
"""

from __future__ import annotations

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.store.base import StoreBase

_PREFIX = "anonymize."


class ReplacementsMixin(StoreBase):
    def replacements(self) -> dict[str, str]:
        """``{name: replacement}``, in the order the names were added."""
        rows = self.db.execute(
            "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ? ORDER BY rowid",
            (len(_PREFIX), _PREFIX),
        )
        return {key[len(_PREFIX) :]: value for key, value in rows}

    def set_replacement(self, name: str, replacement: str, coder: str = "kwali") -> None:
        """Add or change the replacement for ``name`` (``coder`` is kept for symmetry)."""
        name = " ".join(name.split())
        if not name:
            raise ProjectError(_("een te vervangen naam kan niet leeg zijn"))
        if replacement.strip().casefold() == name.casefold():
            raise ProjectError(
                _("de vervanging van {name} is de naam zelf").format(name=repr(name))
            )
        with self.transaction():
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (_PREFIX + name, replacement),
            )

    def remove_replacement(self, name: str, coder: str = "kwali") -> bool:
        """Forget ``name``; False when it was not in the list."""
        name = " ".join(name.split())
        with self.transaction():
            cursor = self.db.execute("DELETE FROM meta WHERE key = ?", (_PREFIX + name,))
        return cursor.rowcount > 0
