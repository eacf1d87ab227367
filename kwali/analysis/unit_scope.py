"""The units a table or a query counts after its ``where`` filter, and the group of each span.

A unit is a case where the speaker is linked to one, else the document
(:class:`kwali.app.units.Units`). ``where`` keeps a unit whose attributes (a case's over its
document's) match every ``key=value``; a span is in scope when its unit is. Groups by attribute
come from the same attributes, so a group interview's coach counts with the coaches and a
survey's respondents each in their own group, while a transcript without cases counts as it did.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kwali.analysis import reading
from kwali.analysis.table_data import value_groups
from kwali.app.document_filter import UnknownAttribute, kept_where, known_keys
from kwali.app.units import Unit, Units, counted_as
from kwali.errors import InputError
from kwali.i18n import _
from kwali.store import Project

UnitKey = tuple[str, int]


@dataclass(frozen=True, slots=True)
class _Filterable:
    number: int
    name: str
    attributes: Mapping[str, str]
    unit: Unit


def _filterable(unit: Unit) -> _Filterable:
    return _Filterable(unit.id, unit.name, unit.attributes, unit)


class UnitScope:
    """Units in scope, read once per table or query."""

    def __init__(
        self,
        project: Project,
        where: Sequence[tuple[str, str]] = (),
        error: type[InputError] = InputError,
    ) -> None:
        self.project = project
        self.error = error
        self.units = Units.load(project)
        self.linked = self.units.linked_documents()
        try:
            kept = kept_where(
                [_filterable(u) for u in self.units.all_units()],
                tuple(where),
                project.attribute_types() if where else None,
                nobody=self._nobody_template(),
                path=project.location,
            )
        except UnknownAttribute as exc:
            raise error(exc.message, path=exc.path, hint=exc.hint) from exc
        self.kept: dict[UnitKey, Unit] = {k.unit.key: k.unit for k in kept}
        self.filtered = bool(where)

    @property
    def counted(self) -> str:
        """What a count of these units counts, in words (``documenten``, ``cases``, …)."""
        return counted_as({kind for kind, _unused in self.kept})

    def document_ids(self) -> set[int]:
        """The documents with something in scope."""
        found: set[int] = set()
        for unit in self.kept.values():
            found |= self.units.documents_of(unit)
        return found

    def unit_of(self, document_id: int, start: int) -> Unit | None:
        """The unit of a span, or None when the filter leaves it out."""
        unit = (
            self.units.of(document_id, start)
            if document_id in self.linked
            else self.units.document(document_id)
        )
        return unit if unit.key in self.kept else None

    def key_of(self, span: tuple[int, int, int]) -> UnitKey:
        """The unit a span counts for (whether or not in scope): what "respondents" count."""
        document_id, start, _unused = span
        if document_id in self.linked:
            return self.units.of(document_id, start).key
        return ("document", document_id)

    def _nobody_template(self) -> str:
        if self.units.has_cases:
            return _("geen document of case heeft het kenmerk {key!r}")
        return _("geen document heeft het kenmerk {key!r}")

    def _nobody(self, key: str) -> str:
        return self._nobody_template().format(key=key)

    def groups(self, by: Sequence[str]) -> tuple[Callable[[int, int], str | None], list[str]]:
        """The group of each span (None: out of scope) and the groups in display order, by
        one attribute or two crossed (``Meedoen010 · man``)."""
        if not self.kept and not self.filtered:
            return (lambda _d, _s: None), []
        names: dict[UnitKey, str] = {}
        order: list[str] = []
        for i, key in enumerate(by):
            of, shown = self._group_names(key)
            if i == 0:
                names, order = dict(of), shown
            else:
                names = {u: f"{names[u]} · {of[u]}" for u in names}
                present = set(names.values())
                order = [f"{a} · {b}" for a in order for b in shown if f"{a} · {b}" in present]

        def group(document_id: int, start: int) -> str | None:
            unit = self.unit_of(document_id, start)
            return names.get(unit.key) if unit is not None else None

        return group, order

    def _group_names(self, by: str) -> tuple[dict[UnitKey, str], list[str]]:
        units = list(self.kept.values())
        if units and not any(by in u.attributes for u in units):
            known = sorted({k for u in units for k in u.attributes})
            raise self.error(self._nobody(by), path=self.project.path, hint=known_keys(known))
        return value_groups(self.project, by, {u.key: u.attributes.get(by) or "" for u in units})


def documents_in(scope: UnitScope) -> list[reading.DocumentInfo]:
    """The documents with something in scope, in number order."""
    ids = scope.document_ids()
    return [d for d in reading.documents(scope.project) if d.id in ids]
