"""Names in a query: a code by key or label (a category with everything under it), and a
saved query by ``@name``, replaced by what they stand for before the query runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kwali.analysis import reading
from kwali.analysis.grammar import Bool, CodeRef, Near, Node, Not, QueryError, SavedRef, parse
from kwali.app.code_names import matching, nearest
from kwali.model import Codebook
from kwali.store import Project


@dataclass(frozen=True, slots=True)
class Codes:
    """A code reference resolved: the keys it stands for (a category: with all below it)."""

    name: str
    keys: frozenset[str]


def _find_code(codebook: Codebook, ref: CodeRef, expression: str) -> str:
    if codebook.get(ref.name) is not None:
        return ref.name
    folded = ref.name.casefold()
    by_key = [c.key for c in codebook if c.key.casefold() == folded]
    # quoted: a label or a path, as every command takes them (kwali.app.code_names)
    by_label = [c.key for c in matching(codebook, ref.name)] if ref.quoted else []
    found = by_key or by_label
    if len(found) == 1:
        return found[0]
    if found:
        raise QueryError(
            f"query: {ref.name!r} at column {ref.column} is the label of several codes "
            f"({', '.join(found)}); write the key instead",
            expression=expression,
            column=ref.column,
            dutch=f"{ref.name!r} is het label van meer codes ({', '.join(found)}): "
            "gebruik de sleutel.",
        )
    keys = [c.key for c in nearest(codebook, ref.name)]
    hint = f"; closest: {', '.join(keys)}" if keys else "; see `kwali codes`"
    raise QueryError(
        f"query: no code {ref.name!r} (column {ref.column}){hint}",
        expression=expression,
        column=ref.column,
        dutch=f"Geen code {ref.name!r}" + (f"; bedoel je {' of '.join(keys)}?" if keys else "."),
    )


def _below(codebook: Codebook) -> dict[str, set[str]]:
    """Each key with every key at or below it."""
    below: dict[str, set[str]] = {c.key: set() for c in codebook}
    for code in codebook:
        for ancestor in codebook.path(code.key):
            below.setdefault(ancestor.key, set()).add(code.key)
    return below


def resolve(
    project: Project,
    expression: str,
    *,
    saved: Mapping[str, str] | None = None,
    _stack: tuple[str, ...] = (),
) -> Node:
    """The tree of ``expression`` with every code and saved query resolved (QueryError for
    an unknown code or saved query, naming it, or a saved query that uses itself)."""
    codebook = project.codebook()
    below = _below(codebook)
    saved = reading.saved_queries(project) if saved is None else saved

    def visit(node: Node) -> Node:
        if isinstance(node, CodeRef):
            key = _find_code(codebook, node, expression)
            return Codes(node.name, frozenset(below.get(key, {key})))  # type: ignore[return-value]  # Codes stands in for a resolved CodeRef
        if isinstance(node, SavedRef):
            if node.name not in saved:
                known = ", ".join(f"@{n}" for n in sorted(saved)) or "none yet"
                raise QueryError(
                    f"query: no saved query @{node.name} (column {node.column}; saved: {known})",
                    expression=expression,
                    column=node.column,
                    dutch=f"Geen opgeslagen zoekvraag @{node.name}.",
                )
            if node.name in _stack:
                raise QueryError(
                    f"query: saved query @{node.name} uses itself",
                    dutch=f"De opgeslagen zoekvraag @{node.name} gebruikt zichzelf.",
                )
            return resolve(project, saved[node.name], saved=saved, _stack=(*_stack, node.name))
        if isinstance(node, Not):
            return Not(visit(node.operand))
        if isinstance(node, Bool):
            return Bool(node.op, visit(node.left), visit(node.right))
        return Near(node.op, visit(node.left), visit(node.right), node.n)

    return visit(parse(expression))
