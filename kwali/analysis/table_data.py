"""What the code tables read: the coded spans in scope (one SQL statement), the codes chosen
as rows, and the groups documents fall in (columns).

Moved down from kwali.export.tables so the exports, the CLI and the Tables screen count alike.
A span is ``(document id, start, end)``: a *quotation*, so two coders who coded the same text
with the same code count once.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from kwali.analysis import reading
from kwali.app.document_filter import known_keys
from kwali.errors import InputError
from kwali.i18n import _
from kwali.model import Code, Codebook
from kwali.store import Project
from kwali.store.attribute_types import dutch, sort_key

NO_VALUE = "(onbekend)"  # the group of an owner without a value, as the default language says it


def total_label() -> str:
    """The total column's heading, in the reader's language (its key stays ``Totaal``)."""
    return _("Totaal")


CONSENSUS = reading.CONSENSUS
Span = tuple[int, int, int]  # document id, start, end


class TableError(InputError):
    """A table cannot be made as asked (unknown code, attribute, count or cell)."""


def code_path(codebook: Codebook, key: str, sep: str = " > ") -> str:
    return sep.join(code.label or code.key for code in codebook.path(key))


def select_codes(
    codebook: Codebook, codes: Iterable[str] | None, path: Path | None = None
) -> list[Code]:
    """Codes in codebook order; naming a category selects everything below it too."""
    if not codes:
        return list(codebook.in_tree_order())
    wanted: set[str] = set()
    for key in codes:
        if codebook.get(key) is None:
            raise TableError(
                _("heeft geen code {key!r}").format(key=key),
                path=path,
                hint=_("zie `kwali codes`"),
            )
        wanted.add(key)
    return [
        c for c in codebook.in_tree_order() if any(p.key in wanted for p in codebook.path(c.key))
    ]


def coded_rows(
    project: Project,
    codebook: Codebook,
    rows: Sequence[str],
    coders: Sequence[str] | None,
    document_ids: Iterable[int] | None,
    consensus_layer: bool,
    groups: Mapping[str, Iterable[str]] | None = None,
) -> tuple[dict[str, list[str]], Iterable[tuple[int, int, int, str]]]:
    """Each code with the rows it counts in (the row codes at or above it, and the ``groups``
    rows, by key, with a member at or above it), and the confirmed codings in scope."""
    wanted = set(rows)
    members = {key: set(codes) for key, codes in (groups or {}).items()}
    above: dict[str, list[str]] = {}
    for code in codebook:
        path = {c.key for c in codebook.path(code.key)}
        hits = [c.key for c in codebook.path(code.key) if c.key in wanted]
        hits += [key for key, codes in members.items() if codes & path]
        if hits:
            above[code.key] = hits
    # most of the codebook: one scan of the table beats an index lookup per coding (the ``+``
    # keeps SQLite off the code index); a few codes: the index
    column = "+code_key" if 2 * len(above) > len(codebook) else "code_key"
    clauses = ["status = 'confirmed'", f"{column} IN (SELECT value FROM json_each(?))"]
    args: list[object] = [json.dumps(sorted(above))]
    if coders is not None:
        clauses.append("coder IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(list(coders)))
    elif not consensus_layer:
        clauses.append("coder != ?")
        args.append(CONSENSUS)
    if document_ids is not None:
        clauses.append("document_id IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(sorted(set(document_ids))))
    # no DISTINCT: the sets below make spans distinct without SQLite sorting 100,000 rows
    sql = 'SELECT document_id, start, "end", code_key FROM codings WHERE ' + " AND ".join(clauses)
    cursor = project.db.cursor()
    cursor.row_factory = None  # plain tuples: sqlite3.Row costs a third more per coding
    return above, cursor.execute(sql, args)


def spans_by_code(
    project: Project,
    codebook: Codebook,
    rows: Sequence[str],
    coders: Sequence[str] | None,
    document_ids: Iterable[int] | None,
    *,
    consensus_layer: bool = False,
) -> dict[str, set[Span]]:
    """Per row code: the distinct spans of its confirmed codings in scope, a category's
    including every code below it (each span once, however many codes below carry it).

    ``coders`` None: every coder, without the consensus layer unless ``consensus_layer``."""
    above, found = coded_rows(project, codebook, rows, coders, document_ids, consensus_layer)
    spans: dict[str, set[Span]] = {key: set() for key in rows}
    for doc, start, end, key in found:
        for row in above[key]:
            spans[row].add((doc, start, end))
    return spans


def spans_by_cell(
    project: Project,
    codebook: Codebook,
    rows: Sequence[str],
    coders: Sequence[str] | None,
    group_of: Mapping[int, str],
    *,
    filtered: bool = False,
    consensus_layer: bool = False,
    groups: Mapping[str, Iterable[str]] | None = None,
    span_group: Callable[[int, int], str | None] | None = None,
) -> dict[tuple[str, str], set[Span]]:
    """Per (row code, group): the distinct spans in scope, in one pass over the codings
    (``filtered``: only the documents ``group_of`` names are read). ``span_group`` gives the
    group of a span instead (a case's, where speakers are linked to cases)."""
    ids = list(group_of) if filtered else None
    above, found = coded_rows(project, codebook, rows, coders, ids, consensus_layer, groups)
    cells: defaultdict[tuple[str, str], set[Span]] = defaultdict(set)
    for doc, start, end, key in found:
        group = span_group(doc, start) if span_group is not None else group_of.get(doc)
        if group is not None:
            span = (doc, start, end)
            for row in above[key]:
                cells[row, group].add(span)
    return dict(cells)


def group_names(
    project: Project, by: str, documents: Sequence[reading.DocumentInfo]
) -> tuple[dict[int, str], list[str]]:
    """Document id → group, and the groups in display order. ``by`` is ``document`` or an
    attribute; a number or date attribute orders its groups by size or time (9 before 10),
    and a number reads the Dutch way (3,5)."""
    if by == "document":
        return {d.id: d.name for d in documents}, [d.name for d in documents]
    if documents and not any(by in d.attributes for d in documents):
        known = sorted({k for d in documents for k in d.attributes})
        raise TableError(
            _("geen document heeft het kenmerk {key!r}").format(key=by),
            path=project.location,
            hint=known_keys(known),
        )
    return value_groups(project, by, {d.id: d.attributes.get(by) or "" for d in documents})


K = TypeVar("K", bound=Hashable)


def value_groups(
    project: Project, by: str, values: Mapping[K, str]
) -> tuple[dict[K, str], list[str]]:
    """Each owner's group (its value of ``by`` as a Dutch reader expects it; ``(onbekend)``
    without one) and the groups in display order: the order the source gave the values (an
    SPSS variable's labels, by code), else by size, time or alphabet as the key's type says."""
    kind = project.attribute_types().get(by, "text")
    given = {v: i for i, v in enumerate(project.attribute_orders().get(by, ()))}
    order = sorted(
        {v for v in values.values() if v},
        key=lambda v: (given.get(v, len(given)), sort_key(v, kind)),
    )
    unknown = _("(onbekend)")
    groups = {i: dutch(v, kind) if v else unknown for i, v in values.items()}
    shown = [dutch(v, kind) for v in order]
    return groups, shown + ([unknown] if unknown in groups.values() else [])


def crossed_groups(
    project: Project, by: Sequence[str], documents: Sequence[reading.DocumentInfo]
) -> tuple[dict[int, str], list[str]]:
    """One attribute's groups, or two crossed (``Meedoen010 · man``: the combinations some
    document has, in the order of the first attribute, then the second)."""
    if len(by) == 1:
        return group_names(project, by[0], documents)
    first, first_order = group_names(project, by[0], documents)
    second, second_order = group_names(project, by[1], documents)
    groups = {i: f"{first[i]} · {second[i]}" for i in first}
    present = set(groups.values())
    order = [f"{a} · {b}" for a in first_order for b in second_order if f"{a} · {b}" in present]
    return groups, order


def turn_starts(
    project: Project, document_ids: Iterable[int]
) -> dict[int, tuple[list[int], list[int]]]:
    """Per document: its turns' starts and numbers, in order (for the turn a span starts in)."""
    found: dict[int, tuple[list[int], list[int]]] = {}
    rows = project.db.execute(
        "SELECT document_id, start, number FROM turns "
        "WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY document_id, start",
        (json.dumps(sorted(set(document_ids))),),
    )
    for doc, start, number in rows:
        starts, numbers = found.setdefault(doc, ([], []))
        starts.append(start)
        numbers.append(number)
    return found
