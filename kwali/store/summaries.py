"""Summaries: one coder's short text per unit (a case, or a document without cases) and code,
the cells of a framework matrix (NVivo) or summary grid (MAXQDA). Schema m007.

Each summary is its coder's own (a blind coder sees only theirs); writing one is an undoable
action; an empty text removes it. A removed case or document takes its summaries with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.store.actions import Verb
from kwali.store.base import now
from kwali.store.cases import CasesMixin
from kwali.store.codebook import CodebookMixin


@dataclass(frozen=True, slots=True)
class Summary:
    unit_kind: str  # "case" or "document"
    unit_id: int
    code_key: str
    coder: str
    text: str
    changed: str = ""


class SummariesMixin(CasesMixin, CodebookMixin):
    def _dependent_keys(self, document_id: int) -> dict[str, list[tuple]]:
        keys = super()._dependent_keys(document_id)
        rows = self.db.execute(
            "SELECT unit_kind, unit_id, code_key, coder FROM summaries "
            "WHERE unit_kind = 'document' AND unit_id = ?",
            (document_id,),
        )
        return {"summaries": [tuple(r) for r in rows], **keys}

    def summaries(
        self, coders: Iterable[str] | None = None, code_keys: Iterable[str] | None = None
    ) -> list[Summary]:
        """Every summary (of ``coders``, on ``code_keys``), by unit, code and coder."""
        rows = self.db.execute(
            "SELECT unit_kind, unit_id, code_key, coder, text, changed FROM summaries "
            "ORDER BY unit_kind, unit_id, code_key, coder"
        ).fetchall()
        wanted_coders = None if coders is None else set(coders)
        wanted_codes = None if code_keys is None else set(code_keys)
        return [
            Summary(*r)
            for r in rows
            if (wanted_coders is None or r[3] in wanted_coders)
            and (wanted_codes is None or r[2] in wanted_codes)
        ]

    def summary(self, unit_kind: str, unit_id: int, code_key: str, coder: str) -> Summary | None:
        row = self.db.execute(
            "SELECT unit_kind, unit_id, code_key, coder, text, changed FROM summaries "
            "WHERE unit_kind = ? AND unit_id = ? AND code_key = ? AND coder = ?",
            (unit_kind, unit_id, code_key, coder),
        ).fetchone()
        return Summary(*row) if row else None

    def _unit_name(self, unit_kind: str, unit_id: int) -> str:
        table = "cases" if unit_kind == "case" else "documents"
        row = self.db.execute(f"SELECT name FROM {table} WHERE id = ?", (unit_id,)).fetchone()
        if row is None:
            what = _("case") if unit_kind == "case" else _("document")
            raise ProjectError(
                _("heeft geen {kind} {id}").format(kind=what, id=unit_id), path=self.location
            )
        return str(row[0])

    def write_summary(
        self, unit_kind: str, unit_id: int, code_key: str, text: str, coder: str
    ) -> bool:
        """Write (or, with an empty text, remove) ``coder``'s summary of a unit on a code, as
        one undoable action; whether anything changed."""
        if unit_kind not in ("case", "document"):
            raise ProjectError(
                _("een samenvatting is van een case of een document, niet van {kind}").format(
                    kind=repr(unit_kind)
                )
            )
        if self.code(code_key) is None:
            raise ProjectError(
                _("heeft geen code {key}").format(key=repr(code_key)), path=self.location
            )
        name = self._unit_name(unit_kind, unit_id)
        text = text.strip()
        current = self.summary(unit_kind, unit_id, code_key, coder)
        if (current.text if current else "") == text:
            return False
        with self.action(coder, Verb.SUMMARY, name, code_key):
            key = (unit_kind, unit_id, code_key, coder)
            if current is not None:
                self._delete("summaries", key)
            if text:
                self._insert(
                    "summaries",
                    {
                        "unit_kind": unit_kind,
                        "unit_id": unit_id,
                        "code_key": code_key,
                        "coder": coder,
                        "text": text,
                        "changed": now(),
                    },
                )
        return True
