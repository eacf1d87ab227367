"""Attribute types from a REFI-QDA project's Variables, after its documents are stored.

kwali writes a number attribute as ``typeOfVariable="Float"`` and a date as ``"Date"``; other
tools do the same (MAXQDA, QualCoder) or use ``Integer``. A key the project has not typed yet
takes that type, so a kwali → .qdpx → kwali round trip keeps ``leeftijd`` a number. Only
when every value the key has in the project is already in that type's stored form: typing
then rewrites no value (also none a researcher typed before the import). Otherwise the key
stays text, said in one line; a type the project already has is never changed by an import.
"""

from __future__ import annotations

from kwali.errors import KwaliError
from kwali.i18n import _
from kwali.io.qdpx import RefiProject
from kwali.store import Project
from kwali.store.attribute_types import TYPE_WORDS, BadValue, canonical

TYPES = {"integer": "number", "float": "number", "date": "date"}


def apply_variable_types(project: Project, refi: RefiProject, coder: str) -> list[str]:
    """Type the file's Integer, Float and Date variables in ``project``; returns warnings.
    Call inside the import's action (each type joins it)."""
    warnings: list[str] = []
    have = project.attribute_types()
    values: dict[str, list[str]] = {}
    for document_id in project.document_ids():
        for key, value in project.require_document(str(document_id)).attributes.items():
            values.setdefault(key, []).append(value)
    for variable in refi.variables:
        key, kind = variable.name.strip(), TYPES.get(variable.type.strip().lower())
        if not kind or key in have or key not in values:
            continue
        have[key] = kind
        try:
            odd = next((v for v in values[key] if canonical(key, v, kind) != v), None)
        except BadValue as exc:
            warnings.append(_("kenmerk {key!r} blijft tekst: {why}").format(key=key, why=exc))
            continue
        if odd is not None:
            warnings.append(
                _(
                    "kenmerk {key!r} blijft tekst: het type {type} zou {value!r} herschrijven"
                ).format(key=key, type=TYPE_WORDS.get(kind, kind), value=odd)
            )
            continue
        try:
            project.set_attribute_type(key, kind, coder)
        except KwaliError as exc:  # checked before anything changes: the key stays text
            warnings.append(
                _("kenmerk {key!r} blijft tekst: {why}").format(key=key, why=exc.message)
            )
    return warnings
