"""Saved queries (Atlas.ti's smart codes): a name for an expression, kept in the project.

They live in the ``meta`` table under ``saved_queries`` as ``{name: expression}``, written
as one audited action, so saving is undoable and survives a restart. Another query uses one
as ``@name``; it is evaluated with that query's filters, as a code would be.
"""

from __future__ import annotations

from kwali.analysis.grammar import QueryError
from kwali.analysis.reading import saved_queries
from kwali.analysis.resolving import resolve
from kwali.app.saved_query_store import write_queries
from kwali.codekeys import is_valid_key
from kwali.i18n import _
from kwali.store import Project, Verb

__all__ = ["save_query", "saved_queries"]


def _action(project: Project, coder: str, name: str):  # noqa: ANN202 - the store's context
    """The audited action of saving ``name``."""
    return project.action(coder, Verb.SAVE_QUERY, name)


def save_query(
    project: Project, name: str, expression: str, coder: str, *, replace: bool = False
) -> None:
    """Keep ``expression`` under ``name``. The expression must run (its codes and saved
    queries exist, it does not use itself); an existing name is only overwritten when
    ``replace`` is given."""
    name = name.strip().lstrip("@")
    if not is_valid_key(name):
        raise QueryError(
            _("{name!r} kan geen naam zijn: letters, cijfers, _ . en -, zonder spaties.").format(
                name=name
            )
        )
    saved = saved_queries(project)
    if saved.get(name) == expression:
        return  # saved already: no action to undo
    if name in saved and not replace:
        raise QueryError(
            _("Er is al een zoekvraag @{name}; kies een andere naam.").format(name=name),
            hint=_("nu: {expression}; of vervang hem met --replace").format(expression=saved[name]),
        )
    resolve(project, expression, saved={**saved, name: expression}, _stack=(name,))
    saved[name] = expression
    with _action(project, coder, name):
        write_queries(project, saved)  # the one writer of the row (an import merges there too)
