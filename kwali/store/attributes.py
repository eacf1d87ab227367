"""Document attributes and their types: set, unset, import, and the type of each key.

Each change is one audited, undoable action. A key's type (text, number or date; see
:mod:`kwali.store.attribute_types`) lives in the ``meta`` table as JSON under
``attribute_types``, so no migration was needed; a key without a type is text. Every value
that is stored goes through the key's type, so a number is always stored as ``3.5`` and a
date as ``2021-03-04``, whatever was typed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.store.actions import Verb
from kwali.store.attribute_types import TYPE_WORDS, BadValue, canonical, check_type
from kwali.store.base import StoreBase

TYPES_KEY = "attribute_types"
"""The ``meta`` row that holds ``{attribute key: type}`` for keys that are not text."""
ORDERS_KEY = "attribute_orders"
"""The ``meta`` row that holds ``{attribute key: [values]}``: the order a source gave a
category's values (an SPSS variable's value labels, by code), which tables follow."""


class AttributesMixin(StoreBase):
    # -- reading ----------------------------------------------------------------------------
    def _attributes(self, document_id: int) -> dict[str, str]:
        rows = self.db.execute(
            "SELECT key, value FROM document_attributes WHERE document_id = ? ORDER BY key",
            (document_id,),
        )
        return {k: v for k, v in rows}

    def attribute_types(self) -> dict[str, str]:
        """``{key: "number" | "date"}``; a key that is not listed is text."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (TYPES_KEY,)).fetchone()
        return dict(json.loads(row[0])) if row else {}

    def attribute_orders(self) -> dict[str, list[str]]:
        """``{key: [values in their source's order]}`` for keys whose values have one."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (ORDERS_KEY,)).fetchone()
        return {k: list(v) for k, v in json.loads(row[0]).items()} if row else {}

    def _put_attribute_orders(self, orders: Mapping[str, Sequence[str]]) -> None:
        """Merge value orders into the registry (inside an action: an import's)."""
        current = self.attribute_orders()
        merged = {**current, **{k: list(v) for k, v in orders.items() if v}}
        if merged == current:
            return
        self._delete("meta", (ORDERS_KEY,))
        self._insert("meta", {"key": ORDERS_KEY, "value": json.dumps(merged, ensure_ascii=False)})

    def attribute_keys(self) -> list[str]:
        """Every attribute key a document has, alphabetically."""
        return [
            r[0] for r in self.db.execute("SELECT DISTINCT key FROM document_attributes ORDER BY 1")
        ]

    def _document_name(self, document_id: int) -> str:
        row = self.db.execute("SELECT name FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row[0] if row else str(document_id)

    def _about_document(self, document_id: int) -> str:
        """What a refused value is of, before the problem: ``document int01: ``."""
        return _("document {name}: ").format(name=self._document_name(document_id))

    # -- types ------------------------------------------------------------------------------
    def set_attribute_type(self, key: str, type: str, coder: str = "kwali") -> int:
        """Make ``key`` a text, number or date attribute, as one undoable action. Every value
        it has is checked first: the first that does not fit is refused in one line naming
        its document, and nothing changes. Values that fit are rewritten in the stored form
        (``3,5`` becomes ``3.5``). Returns how many values were rewritten."""
        key = key.strip()
        try:
            type = check_type(type)
        except ValueError as exc:
            raise ProjectError(str(exc), path=self.location) from exc
        if not key:
            raise ProjectError(_("een kenmerk heeft een naam nodig"), path=self.location)
        rewrites = self._rewrites_for_type(
            key,
            type,
            _("document"),
            "SELECT a.document_id, d.name, a.value FROM document_attributes a "
            "JOIN documents d ON d.id = a.document_id WHERE a.key = ? ORDER BY d.number",
        )
        case_rewrites = self._rewrites_for_type(
            key,
            type,
            _("case"),
            "SELECT a.case_id, c.name, a.value FROM case_attributes a "
            "JOIN cases c ON c.id = a.case_id WHERE a.key = ? ORDER BY c.name",
        )
        types = self.attribute_types()
        if types.get(key, "text") == type and not rewrites and not case_rewrites:
            return 0
        if type == "text":
            types.pop(key, None)
        else:
            types[key] = type
        with self.action(coder, Verb.SET_ATTRIBUTE_TYPE, key, type):
            self._delete("meta", (TYPES_KEY,))
            if types:
                self._insert(
                    "meta", {"key": TYPES_KEY, "value": json.dumps(types, ensure_ascii=False)}
                )
            for document_id, value in rewrites:
                self._put_attributes(document_id, {key: value})
            for case_id, value in case_rewrites:
                self._delete("case_attributes", (case_id, key))
                self._insert("case_attributes", {"case_id": case_id, "key": key, "value": value})
        return len(rewrites) + len(case_rewrites)

    def _rewrites_for_type(
        self, key: str, type: str, owner: str, sql: str
    ) -> list[tuple[int, str]]:
        """``(owner id, stored form)`` of each value of ``key`` that ``type`` writes otherwise;
        the first value that is not a ``type`` is refused, naming its document or case."""
        rewrites: list[tuple[int, str]] = []
        for owner_id, name, value in self.db.execute(sql, (key,)).fetchall():
            try:
                stored = canonical(key, value, type)
            except BadValue as exc:
                raise ProjectError(
                    _(
                        "kan {key} geen {type} maken: {owner} {name} heeft {attribute}={value}, "
                        "en dat is geen {type}; er is niets veranderd"
                    ).format(
                        key=repr(key),
                        type=TYPE_WORDS.get(type, type),
                        owner=owner,
                        attribute=key,
                        name=name,
                        value=repr(value),
                    ),
                    path=self.location,
                ) from exc
            if stored != value:
                rewrites.append((owner_id, stored))
        return rewrites

    def typed_attributes(
        self, values: Mapping[str, str], where: str | Path | None = None, about: str = ""
    ) -> dict[str, str]:
        """Keys stripped and not empty, values in the stored form of their key's type; a value
        that does not fit is refused in one line naming ``where`` (the file) and ``about``
        (the document or row)."""
        types = self.attribute_types()
        checked = {}
        for key, value in values.items():
            if not key.strip():
                raise ProjectError(
                    _("een kenmerk heeft een naam nodig (waarde {value})").format(
                        value=repr(value)
                    ),
                    path=where,
                )
            type = types.get(key.strip(), "text")
            try:
                checked[key.strip()] = canonical(key.strip(), value, type)
            except BadValue as exc:
                raise ProjectError(
                    _("{about}{problem}; er is niets veranderd").format(about=about, problem=exc),
                    path=where,
                    hint=_hint(type),
                ) from exc
        return checked

    def with_types(self, values: Mapping[str, str], where: str | Path | None) -> dict[str, str]:
        """``values`` as given, those of typed keys in their stored form (an import's
        attributes of a new document); a value that does not fit is refused, naming ``where``."""
        types = self.attribute_types()
        typed = {k: v for k, v in values.items() if k.strip() in types}
        return {**values, **self.typed_attributes(typed, where)} if typed else dict(values)

    # -- values -----------------------------------------------------------------------------
    def set_attribute(self, document_id: int, key: str, value: str, coder: str = "kwali") -> None:
        """One attribute, as given (a typed key's value in its stored form)."""
        if key.strip() in self.attribute_types():
            about = self._about_document(document_id)
            value = self.typed_attributes({key: value}, self.path, about)[key.strip()]
        with self.action(coder, Verb.SET_ATTRIBUTE, key, str(document_id)):
            self._delete("document_attributes", (document_id, key))
            self._insert(
                "document_attributes", {"document_id": document_id, "key": key, "value": value}
            )

    def set_attributes(
        self, document_id: int, values: Mapping[str, str], coder: str = "kwali"
    ) -> None:
        """Set several attributes of one document as one undoable action; a value that is not
        of its key's type is refused, naming the document, and nothing is changed."""
        about = self._about_document(document_id)
        values = self.typed_attributes(values, self.path, about)
        current = self._attributes(document_id)
        changed = {k: v for k, v in values.items() if current.get(k) != v}
        if not changed:
            return
        with self.action(coder, Verb.SET_ATTRIBUTE, ", ".join(changed), str(document_id)):
            self._put_attributes(document_id, changed)

    def edit_attributes(
        self,
        document_id: int,
        values: Mapping[str, str],
        removed: Sequence[str] = (),
        coder: str = "kwali",
    ) -> bool:
        """Set ``values`` and remove ``removed`` of one document as ONE undoable action (the
        documents screen's attribute form); every value is checked before anything changes.
        Returns whether anything changed."""
        about = self._about_document(document_id)
        typed = self.typed_attributes(values, self.path, about)
        current = self._attributes(document_id)
        changed = {k: v for k, v in typed.items() if current.get(k) != v}
        gone = [k for k in dict.fromkeys(k.strip() for k in removed) if k in current]
        gone = [k for k in gone if k not in typed]
        if not changed and not gone:
            return False
        subject = ", ".join([*changed, *gone])
        with self.action(coder, Verb.SET_ATTRIBUTE, subject, str(document_id)):
            self._put_attributes(document_id, changed)
            for key in gone:
                self._delete("document_attributes", (document_id, key))
        return True

    def _put_attributes(self, document_id: int, values: Mapping[str, str]) -> None:
        for key, value in values.items():
            self._delete("document_attributes", (document_id, key))
            self._insert(
                "document_attributes", {"document_id": document_id, "key": key, "value": value}
            )

    def unset_attributes(self, document_id: int, keys: Sequence[str], coder: str = "kwali") -> None:
        """Remove attributes of one document as one undoable action; a key the document does
        not have is refused, naming it."""
        current = self._attributes(document_id)
        missing = [k for k in keys if k not in current]
        if missing:
            raise ProjectError(
                _("document {name} heeft geen kenmerk {keys}").format(
                    name=self._document_name(document_id), keys=", ".join(map(repr, missing))
                ),
                path=self.location,
            )
        keys = list(dict.fromkeys(keys))
        with self.action(coder, Verb.UNSET_ATTRIBUTE, ", ".join(keys), str(document_id)):
            for key in keys:
                self._delete("document_attributes", (document_id, key))

    def import_attributes(
        self, table: Mapping[str, Mapping[str, str]], source: str, coder: str = "kwali"
    ) -> dict[int, dict[str, str]]:
        """Attributes per file name (a document's file or name) for documents already in the
        project, as one undoable action. A file name no document has, or a value not of its
        key's type, is refused, naming it, and nothing is changed. Returns
        ``{document_id: attributes changed}``."""
        documents: dict[int, dict[str, str]] = {}
        unknown = []
        for file, values in table.items():
            row = self.db.execute(
                "SELECT id FROM documents WHERE source_name = ? OR name = ? "
                "ORDER BY source_name = ? DESC, number LIMIT 1",
                (file, file, file),
            ).fetchone()
            if row is None:
                unknown.append(file)
            else:
                typed = self.typed_attributes(values, source, _("rij {file}: ").format(file=file))
                documents.setdefault(row[0], {}).update(typed)
        if unknown:
            raise ProjectError(
                _(
                    "noemt bestanden die niet in het project staan: {files}; er is niets veranderd"
                ).format(files=", ".join(map(repr, unknown))),
                path=source,
            )
        changes = {}
        for document_id, values in documents.items():
            current = self._attributes(document_id)
            changed = {k: v for k, v in values.items() if current.get(k) != v}
            if changed:
                changes[document_id] = changed
        if changes:
            with self.action(coder, Verb.IMPORT_ATTRIBUTES, source.rsplit("/", 1)[-1]):
                for document_id, changed in changes.items():
                    self._put_attributes(document_id, changed)
        return changes


def _hint(type: str) -> str:
    """How to write a value of ``type`` (none for text)."""
    if type == "number":
        return _("schrijf een getal als 34, 3,5 of 3.5")
    if type == "date":
        return _("schrijf een datum als 4-3-2021 of 2021-03-04")
    return ""
