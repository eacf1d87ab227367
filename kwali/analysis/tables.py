"""Code tables you can click into: code × document, code × attribute value (one attribute, or
two crossed) and code × code co-occurrence, as Atlas.ti's Code-Document and Code
Co-occurrence tables.

Each cell keeps what it counts (its quotations, or for co-occurrence its pairs of overlapping
quotations), so :meth:`CodeTable.spans` lists exactly the quotes behind a number, and the
counts are read off those members:

- ``codings``: distinct coded spans (quotations) of the row's code; two coders who coded
  the same text count once;
- ``documents``: the documents those spans are in;
- ``respondents``: who said it: the speaker's case where one is linked (a survey respondent,
  a coach in a group interview), else the document (:mod:`kwali.analysis.unit_scope`).

A category row counts the spans of every code below it, each span once: it is a subtotal,
not a sum of its rows. Every total is counted the same way, over the union of what it
covers, so nothing is ever counted twice. Percentages are of the row's or the column's total.

The c-coefficient of two codes is ``n12 / (n1 + n2 - n12)`` as Atlas.ti reports it: n12 the
co-occurrences in the cell, n1 and n2 the codes' own counts (the diagonal).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kwali.analysis.table_data import (
    Span,
    TableError,
    code_path,
    coded_rows,
    crossed_groups,
    select_codes,
    spans_by_cell,
    total_label,
)
from kwali.analysis.table_pairs import overlapping, own_spans, same_turn
from kwali.analysis.unit_scope import UnitScope, documents_in
from kwali.app.units import Counted, counted_kind, counted_words
from kwali.i18n import _
from kwali.model import Codebook
from kwali.store import Project

if TYPE_CHECKING:
    import pandas as pd

COUNTS = ("codings", "documents", "respondents")
PERCENTS = ("row", "column")
TOTAL = "Totaal"  # the total column's key (a data key, like a group name); shown: total_label()


# What one member of a cell (a span, or a pair of spans) counts as, per count kind.
Member = Hashable
UNITS: dict[str, Callable[[Span], Hashable]] = {
    "codings": lambda span: span,
    "documents": lambda span: span[0],
    "respondents": lambda span: span[0],  # a table's ``unit_of`` knows the cases
}


@dataclass(frozen=True, slots=True)
class Row:
    """A table row: a code (a category's row is a subtotal of the codes below it)."""

    key: str
    label: str  # the code's path of labels, ``Houding > Dwang``
    depth: int  # 0 for a root
    category: bool  # has codes below it in the table


@dataclass
class CodeTable:
    """A table of rows × columns whose cells know their quotations."""

    kind: str  # "document", an attribute, "attr1 × attr2", or "cooccurrence"
    count: str
    rows: list[Row]
    columns: list[str]  # column labels (for co-occurrence: the row keys)
    members: dict[tuple[str, str], set]  # (row key, column) -> spans, or pairs of spans
    column_of: dict[int, str] = field(default_factory=dict)  # document id -> column
    pairs: bool = False  # members are pairs of overlapping spans (co-occurrence)
    coders: tuple[str, ...] | None = None  # whose codings (None: all but the consensus layer)
    own: dict[str, set[Span]] = field(default_factory=dict)  # co-occurrence: each row's spans
    # what a respondent is: the span's case where its speaker is linked, else its document
    unit_of: Callable[[Span], Hashable] | None = None
    counted_kind: Counted = "documents"  # what a respondent count counts (a code)
    _rows: dict[str, set] = field(default_factory=dict, init=False, repr=False, compare=False)
    _all: set | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def counted(self) -> str:
        """What a respondent count counts, in words (``documenten``, ``cases`` …)."""
        return counted_words(self.counted_kind)

    def _unit(self, member: Member) -> Hashable:
        if self.pairs and self.count == "codings":
            return member  # a pair of quotations counts as one co-occurrence
        span: Span = member[0] if self.pairs else member  # type: ignore[index,assignment]  # a pair, or a span
        return self._unit_of_span(span)

    def _unit_of_span(self, span: Span) -> Hashable:
        if self.count == "respondents" and self.unit_of is not None:
            return self.unit_of(span)
        return UNITS[self.count](span)

    def _tally(self, members: Iterable[Member]) -> int:
        if self.count == "codings" and not self.pairs and isinstance(members, set):
            return len(members)  # the members are the distinct quotations already
        return len({self._unit(m) for m in members})

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        keys = ", ".join(r.key for r in self.rows[:5])
        raise TableError(
            _("de tabel heeft geen rij {key!r}").format(key=key),
            hint=_("de rijen zijn codes: {keys}, …").format(keys=keys),
        )

    def column(self, name: str) -> str:
        """A column by its label (or, for co-occurrence, a code key), case ignored."""
        if name in self.columns:
            return name
        folded = {c.casefold(): c for c in self.columns}
        if name.casefold() in folded:
            return folded[name.casefold()]
        raise TableError(
            _("de tabel heeft geen kolom {name!r}").format(name=name),
            hint=_("kolommen: {columns}").format(columns=", ".join(self.columns)),
        )

    def value(self, row: str, column: str) -> int:
        if self.pairs and row == column:
            return self.row_total(row)
        return self._tally(self.members.get((row, column), ()))

    def row_total(self, row: str) -> int:
        """The row's units over all columns (for co-occurrence: the code's own count)."""
        if self.pairs:
            return len({self._unit_of_span(span) for span in self.own.get(row, ())})
        return self._tally(self._row_members(row))

    def _row_members(self, row: str) -> set:
        """Every member of the row (made once: the screen asks per row, totals per table)."""
        if row not in self._rows:
            found: set = set()
            for column in self.columns:
                found |= self.members.get((row, column), set())
            self._rows[row] = found
        return self._rows[row]

    def column_total(self, column: str) -> int:
        """The column's units over every row, each once (a span under several codes too)."""
        found: set = set()
        for row in self.rows:
            found |= self.members.get((row.key, column), set())
        return self._tally(found)

    def grand_total(self) -> int:
        if self.pairs:
            spans = set().union(*self.own.values()) if self.own else set()
            return len({self._unit_of_span(span) for span in spans})
        if self._all is None:
            self._all = set().union(*(self._row_members(row.key) for row in self.rows))
        return self._tally(self._all)

    def percent(self, row: str, column: str, of: str) -> float | None:
        """The cell as a percentage of its row's (``of="row"``) or column's total; None when
        that total is 0."""
        if of not in PERCENTS:
            raise TableError(_("onbekend percentage {of!r} (kies row of column)").format(of=of))
        whole = self.row_total(row) if of == "row" else self.column_total(column)
        return 100.0 * self.value(row, column) / whole if whole else None

    def c_coefficient(self, a: str, b: str) -> float | None:
        """Atlas.ti's c-coefficient of two codes; None on the diagonal or with no codings."""
        if not self.pairs:
            raise TableError(_("de c-coëfficiënt hoort bij de tabel van samen voorkomende codes"))
        if a == b:
            return None
        n12, n1, n2 = self.value(a, b), self.row_total(a), self.row_total(b)
        return n12 / (n1 + n2 - n12) if n1 + n2 - n12 else None

    def spans(self, row: str, column: str | None = None) -> list[Span]:
        """The quotations behind a cell (``column`` None: the whole row), in document and text
        order; for co-occurrence both quotations of every overlapping pair."""
        if column in (TOTAL, total_label()):
            column = None
        if self.pairs and (column is None or column == row):
            found = set(self.own.get(row, ()))
        elif column is None:
            found = set(self._row_members(row))
        else:
            members = self.members.get((row, column), set())
            found = {s for pair in members for s in pair} if self.pairs else set(members)
        return sorted(found)

    def frame(self, percent: str | None = None, c: bool = False) -> pd.DataFrame:
        """The table as pandas: a row per code (``code``, ``code_path``, ``category``), a
        column per group and ``total``; ``percent`` gives percentages instead of counts;
        ``c`` (co-occurrence) the c-coefficients."""
        import pandas as pd

        out = []
        for row in self.rows:
            line: dict[str, object] = {
                "code": row.key,
                "code_path": row.label,
                "category": row.category,
            }
            for column in self.columns:
                if c:
                    line[column] = self.c_coefficient(row.key, column)
                elif percent:
                    line[column] = self.percent(row.key, column, percent)
                else:
                    line[column] = self.value(row.key, column)
            if not self.pairs:
                line["total"] = self.row_total(row.key)
            out.append(line)
        extra = [] if self.pairs else ["total"]
        return pd.DataFrame(out, columns=["code", "code_path", "category", *self.columns, *extra])


# -- making tables -----------------------------------------------------------------------------
def _rows(project: Project, codes: Iterable[str] | None) -> tuple[list[Row], Codebook]:
    codebook = project.codebook()
    chosen = select_codes(codebook, codes, project.path)
    keys = {c.key for c in chosen}
    parents = {c.parent for c in chosen if c.parent in keys}
    rows = [
        Row(
            c.key,
            code_path(codebook, c.key),
            len(codebook.path(c.key)) - 1,
            c.key in parents or c.kind == "category",
        )
        for c in chosen
    ]
    return rows, codebook


def _check(count: str) -> None:
    if count not in COUNTS:
        raise TableError(
            _("onbekende telling {count!r} (kies {choices})").format(
                count=count, choices=", ".join(COUNTS)
            )
        )


def code_table(
    project: Project,
    by: str | Sequence[str] = "document",
    *,
    count: str = "codings",
    codes: Iterable[str] | None = None,
    coders: Sequence[str] | None = None,
    where: Sequence[tuple[str, str]] = (),
    consensus_layer: bool = False,
    queries: Sequence[str] = (),
    code_groups: Sequence[str] = (),
) -> CodeTable:
    """Code × document (``by="document"``) or code × attribute value (``by="aanpak"``, or two
    attributes crossed: ``by=("aanpak", "geslacht")``), over the documents ``where`` keeps.

    ``coders``: whose confirmed codings (None: everyone's but the consensus layer, which
    ``consensus_layer=True`` adds; ``("consensus",)`` is the settled layer alone).
    ``queries`` names saved queries (Atlas.ti's smart codes) that get a row each, after the
    codes: their quotations in the same scope; ``code_groups`` names code groups that get a
    row each (key ``group:NAME``): every quotation of a code in the group, each once."""
    _check(count)
    attributes = [by] if isinstance(by, str) else list(by)
    if not 1 <= len(attributes) <= 2 or ("document" in attributes and len(attributes) > 1):
        raise TableError(_("een tabel is per document, per kenmerk of per twee kenmerken"))
    rows, codebook = _rows(project, codes)
    scope = UnitScope(project, where, error=TableError)
    documents = documents_in(scope)
    span_group: Callable[[int, int], str | None] | None = None
    if attributes == ["document"]:
        groups, order = crossed_groups(project, attributes, documents)
        if scope.filtered and scope.linked:  # a case of a document may be out of scope
            span_group = lambda doc, start: (  # noqa: E731
                groups.get(doc) if scope.unit_of(doc, start) is not None else None
            )
    elif scope.linked:
        groups = {d.id: "" for d in documents}  # the documents to read; spans say the group
        span_group, order = scope.groups(attributes)
    else:
        groups, order = crossed_groups(project, attributes, documents)
    in_groups = _group_rows(project, code_groups)
    members = spans_by_cell(
        project,
        codebook,
        [r.key for r in rows],
        coders,
        groups,
        filtered=bool(where),
        consensus_layer=consensus_layer,
        groups={key: codes for key, (_row, codes) in in_groups.items()},
        span_group=span_group,
    )
    rows += [row for row, _codes in in_groups.values()]
    for name in queries:
        row, found = _query_row(project, name, coders, where)
        rows.append(row)
        for span in found:
            group = span_group(span[0], span[1]) if span_group else groups.get(span[0])
            if group is not None:
                members.setdefault((row.key, group), set()).add(span)
    return CodeTable(
        " × ".join(attributes),
        count,
        rows,
        order,
        members,
        groups if span_group is None else {},
        coders=tuple(coders) if coders is not None else None,
        unit_of=scope.key_of if scope.linked else None,
        counted_kind=counted_kind({k for k, _n in scope.kept}) if scope.linked else "documents",
    )


def _group_rows(project: Project, names: Sequence[str]) -> dict[str, tuple[Row, tuple[str, ...]]]:
    """Code groups as rows: key ``group:NAME`` → the row and the group's codes."""
    from kwali.app.code_groups import expand_code_groups

    found = {}
    for name in names:
        name = name.strip().lstrip("@")
        codes = expand_code_groups(project, [f"@{name}"])
        key = f"group:{name}"
        found[key] = (Row(key, _("groep {name}").format(name=name), 0, True), codes)
    return found


def _query_row(
    project: Project,
    name: str,
    coders: Sequence[str] | None,
    where: Sequence[tuple[str, str]],
) -> tuple[Row, list[Span]]:
    """A saved query as a table row: its quotations with the table's coders and filter."""
    from kwali.analysis.engine import Scope, run_query

    name = name.strip().lstrip("@")
    scope = Scope(where=tuple(where), coders=tuple(coders) if coders is not None else None)
    result = run_query(project, f"@{name}", scope)
    spans = [(q.document_id, q.start, q.end) for q in result.quotations]
    return Row(f"@{name}", f"@{name}", 0, False), spans


def cooccurrence_table(
    project: Project,
    *,
    count: str = "codings",
    codes: Iterable[str] | None = None,
    coders: Sequence[str] | None = None,
    where: Sequence[tuple[str, str]] = (),
    consensus_layer: bool = False,
    unit: str = "overlap",
) -> CodeTable:
    """Code × code: how often two codes sit on overlapping text (sharing a character). A cell
    counts the pairs of overlapping quotations (``codings``) or the documents with such a
    pair; the diagonal is each code's own count. ``unit="turn"`` pairs quotations that start
    in the same speaker turn instead of overlapping ones. A category and a code below it share their
    spans by construction: that is no co-occurrence, so their cell stays empty."""
    _check(count)
    if unit not in ("overlap", "turn"):
        raise TableError(_("onbekende eenheid {unit!r} (kies overlap of turn)").format(unit=unit))
    rows, codebook = _rows(project, codes)
    scope = UnitScope(project, where, error=TableError)
    ids = None if not where else sorted(scope.document_ids())
    keys = [r.key for r in rows]
    above, found = coded_rows(project, codebook, keys, coders, ids, consensus_layer)
    coded = list(found)
    if where and scope.linked:  # a linked speaker's case may be out of scope
        coded = [c for c in coded if scope.unit_of(c[0], c[1]) is not None]
    lines = {key: {c.key for c in codebook.path(key)} for key in keys}

    def related(a: str, b: str) -> bool:
        return a in lines[b] or b in lines[a]

    if unit == "overlap":
        members = overlapping(coded, above, related)
    else:
        members = same_turn(project, coded, above, related)
    return CodeTable(
        "cooccurrence",
        count,
        rows,
        keys,
        members,
        pairs=True,
        coders=tuple(coders) if coders is not None else None,
        own=own_spans(coded, above),
        unit_of=scope.key_of if scope.linked else None,
        counted_kind=counted_kind({k for k, _n in scope.kept}) if scope.linked else "documents",
    )
