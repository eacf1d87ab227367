"""Cases, their attributes, and the speakers linked to them (schema m007).

A case is whom the study counts: a survey respondent, one speaker of a group interview. A
speaker label of a document (``R1``, ``Coach A``, a respondent's id in a survey question) is
linked to at most one case. Attribute values go through the same types as document
attributes (one ``attribute_types`` registry: ``leeftijd`` is a number wherever it is set).
Every change is one audited action, so undo brings cases, values and links back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.model import Case
from kwali.store.actions import Verb
from kwali.store.base import now
from kwali.store.documents import DocumentsMixin

CaseLink = tuple[int, str, str]
"""(document id, speaker label, case name)."""


class CasesMixin(DocumentsMixin):
    def _dependent_keys(self, document_id: int) -> dict[str, list[tuple]]:
        """A removed document takes its speakers' links (undo brings them back); the cases
        stay, with their attributes and other documents' links."""
        keys = super()._dependent_keys(document_id)
        rows = self.db.execute(
            "SELECT document_id, speaker FROM case_speakers WHERE document_id = ?", (document_id,)
        )
        return {"case_speakers": [tuple(r) for r in rows], **keys}

    # -- reading ----------------------------------------------------------------------------
    def cases(self, ids: Iterable[int] | None = None) -> list[Case]:
        """Every case (or those of ``ids``) with its attributes, by name."""
        args: tuple = ()
        where = ""
        if ids is not None:
            where = " WHERE id IN (SELECT value FROM json_each(?))"
            args = (json.dumps(sorted(set(ids))),)
        rows = self.db.execute(f"SELECT id, name FROM cases{where} ORDER BY name", args).fetchall()
        values = self.case_attribute_values([r[0] for r in rows] if ids is not None else None)
        return [Case(r[0], r[1], values.get(r[0], {})) for r in rows]

    def case_named(self, name: str) -> Case | None:
        row = self.db.execute("SELECT id, name FROM cases WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        return Case(row[0], row[1], self.case_attribute_values([row[0]]).get(row[0], {}))

    def case_attribute_values(self, ids: Iterable[int] | None = None) -> dict[int, dict[str, str]]:
        """``{case id: {key: value}}``: every case's, or those of ``ids``."""
        sql = "SELECT case_id, key, value FROM case_attributes"
        args: tuple = ()
        if ids is not None:
            sql += " WHERE case_id IN (SELECT value FROM json_each(?))"
            args = (json.dumps(sorted(set(ids))),)
        found: dict[int, dict[str, str]] = {}
        for case_id, key, value in self.db.execute(sql + " ORDER BY key", args):
            found.setdefault(case_id, {})[key] = value
        return found

    def case_attribute_keys(self) -> list[str]:
        return [
            r[0] for r in self.db.execute("SELECT DISTINCT key FROM case_attributes ORDER BY 1")
        ]

    def speaker_cases(self, document_ids: Iterable[int] | None = None) -> dict[int, dict[str, int]]:
        """``{document id: {speaker label: case id}}`` for documents with linked speakers."""
        sql = "SELECT document_id, speaker, case_id FROM case_speakers"
        args: tuple = ()
        if document_ids is not None:
            sql += " WHERE document_id IN (SELECT value FROM json_each(?))"
            args = (json.dumps(sorted(set(document_ids))),)
        found: dict[int, dict[str, int]] = {}
        for document_id, speaker, case_id in self.db.execute(sql, args):
            found.setdefault(document_id, {})[speaker] = case_id
        return found

    def has_cases(self) -> bool:
        return self.db.execute("SELECT 1 FROM case_speakers LIMIT 1").fetchone() is not None

    def document_speakers(self, document_id: int) -> list[str]:
        """The speaker labels of a document's turns, in order of first turn."""
        rows = self.db.execute(
            "SELECT speaker FROM turns WHERE document_id = ? AND speaker IS NOT NULL "
            "GROUP BY speaker ORDER BY MIN(number)",
            (document_id,),
        )
        return [r[0] for r in rows]

    # -- writing (call inside an action, or through the public methods below) ---------------
    def _ensure_case(self, name: str) -> int:
        name = name.strip()
        if not name:
            raise ProjectError(_("een case heeft een naam nodig"), path=self.location)
        row = self.db.execute("SELECT id FROM cases WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return int(row[0])
        return int(self._insert("cases", {"name": name, "created": now()})[0])

    def _put_case_attributes(self, case_id: int, values: Mapping[str, str]) -> list[str]:
        """Set the values that differ; the keys that changed."""
        current = self.case_attribute_values([case_id]).get(case_id, {})
        changed = [k for k, v in values.items() if current.get(k) != v]
        for key in changed:
            self._delete("case_attributes", (case_id, key))
            self._insert("case_attributes", {"case_id": case_id, "key": key, "value": values[key]})
        return changed

    def _link_speaker(self, document_id: int, speaker: str, case_id: int) -> bool:
        row = self.db.execute(
            "SELECT case_id FROM case_speakers WHERE document_id = ? AND speaker = ?",
            (document_id, speaker),
        ).fetchone()
        if row is not None and row[0] == case_id:
            return False
        self._delete("case_speakers", (document_id, speaker))
        self._insert(
            "case_speakers", {"document_id": document_id, "speaker": speaker, "case_id": case_id}
        )
        return True

    # -- public changes ---------------------------------------------------------------------
    def import_cases(
        self,
        links: Iterable[CaseLink],
        attributes: Mapping[str, Mapping[str, str]],
        source: str,
        coder: str = "kwali",
    ) -> tuple[int, int, int]:
        """Speakers linked to cases and case attributes (``{case name: values}``), as ONE
        undoable action. A speaker a document does not have, or a value not of its key's
        type, is refused naming it, and nothing changes. ``(cases made, links set, values
        changed)``."""
        links = list(links)
        for document_id, speaker, _case in links:
            if speaker not in self.document_speakers(document_id):
                raise ProjectError(
                    _("document {name} heeft geen spreker {speaker}; er is niets veranderd").format(
                        name=self._document_name(document_id), speaker=repr(speaker)
                    ),
                    path=source,
                )
        typed = {
            name: self.typed_attributes(values, source, _("case {name}: ").format(name=name))
            for name, values in attributes.items()
        }
        before = self.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
        linked = changed = 0
        with self.action(coder, Verb.IMPORT_CASES, source.rsplit("/", 1)[-1]):
            for name in dict.fromkeys([*(c for _doc, _speaker, c in links), *typed]):
                case_id = self._ensure_case(name)
                changed += len(self._put_case_attributes(case_id, typed.get(name, {})))
            for document_id, speaker, name in links:
                linked += self._link_speaker(document_id, speaker, self._ensure_case(name))
        made = self.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] - before
        return made, linked, changed

    def link_speaker(
        self, document_id: int, speaker: str, case_name: str | None, coder: str = "kwali"
    ) -> None:
        """Link one speaker of a document to a case (made if new), or unlink it (``None``),
        as one undoable action."""
        if speaker not in self.document_speakers(document_id):
            raise ProjectError(
                _("document {name} heeft geen spreker {speaker}").format(
                    name=self._document_name(document_id), speaker=repr(speaker)
                ),
                path=self.location,
            )
        with self.action(coder, Verb.LINK_CASE, speaker, case_name or ""):
            if case_name is None:
                self._delete("case_speakers", (document_id, speaker))
            else:
                self._link_speaker(document_id, speaker, self._ensure_case(case_name))

    def set_case_attributes(
        self, case_name: str, values: Mapping[str, str], coder: str = "kwali"
    ) -> list[str]:
        """Set attributes of one case (made if new) as one undoable action; the keys changed."""
        typed = self.typed_attributes(values, self.path, f"case {case_name}: ")
        case = self.case_named(case_name)
        if case is not None and all(case.attributes.get(k) == v for k, v in typed.items()):
            return []
        with self.action(coder, Verb.SET_CASE_ATTRIBUTE, ", ".join(typed), case_name):
            return self._put_case_attributes(self._ensure_case(case_name), typed)
