"""Names in a query: a code by key or label (a category with everything under it), and a
saved query by ``@name``, replaced by what they stand for before the query runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kwali.analysis import reading
from kwali.analysis.grammar import Bool, CodeRef, Near, Node, Not, QueryError, SavedRef, parse
from kwali.app.code_names import matching, nearest
from kwali.i18n import _
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
            _("{name!r} is het label van meer codes ({keys}): gebruik de sleutel.").format(
                name=ref.name, keys=", ".join(found)
            ),
            expression=expression,
            column=ref.column,
        )
    keys = [c.key for c in nearest(codebook, ref.name)]
    raise QueryError(
        _("Geen code {name!r}; bedoelt u {keys}?").format(name=ref.name, keys=_(" of ").join(keys))
        if keys
        else _("Geen code {name!r}.").format(name=ref.name),
        expression=expression,
        column=ref.column,
        hint="" if keys else _("zie `kwali codes`"),
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
                known = ", ".join(f"@{n}" for n in sorted(saved)) or _("nog geen")
                raise QueryError(
                    _("Geen opgeslagen zoekvraag @{name}.").format(name=node.name),
                    expression=expression,
                    column=node.column,
                    hint=_("opgeslagen: {known}").format(known=known),
                )
            if node.name in _stack:
                raise QueryError(
                    _("De opgeslagen zoekvraag @{name} gebruikt zichzelf.").format(name=node.name)
                )
            return resolve(project, saved[node.name], saved=saved, _stack=(*_stack, node.name))
        if isinstance(node, Not):
            return Not(visit(node.operand))
        if isinstance(node, Bool):
            return Bool(node.op, visit(node.left), visit(node.right))
        return Near(node.op, visit(node.left), visit(node.right), node.n)

    return visit(parse(expression))
