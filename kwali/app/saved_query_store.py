"""Where saved queries (Atlas.ti's smart codes) are kept: the ``meta`` row ``saved_queries``,
``{name: expression}`` as JSON. The query language lives in ``kwali.analysis``, above this
layer; here only the row, so that the .qdpx import (in kwali.app) can merge the queries a
kwali file carries, in the import's own action."""

from __future__ import annotations

import json
from collections.abc import Mapping

from kwali.i18n import _
from kwali.store import Project

SAVED_QUERIES = "saved_queries"  # the meta key (kwali.analysis.reading reads the same row)


def stored_queries(project: Project) -> dict[str, str]:
    """The project's saved queries, by name."""
    row = project.db.execute("SELECT value FROM meta WHERE key = ?", (SAVED_QUERIES,)).fetchone()
    return dict(json.loads(row[0])) if row else {}


def write_queries(project: Project, saved: Mapping[str, str]) -> None:
    """Replace the row; the caller holds the audited action (saving one, or an import)."""
    project._delete("meta", (SAVED_QUERIES,))
    project._insert(
        "meta",
        {
            "key": SAVED_QUERIES,
            "value": json.dumps(dict(sorted(saved.items())), ensure_ascii=False),
        },
    )


def merge_queries(
    project: Project, found: Mapping[str, str], *, theirs: bool = False
) -> tuple[int, list[str]]:
    """Add a file's saved queries by name, inside the caller's action: a name the project has
    with another expression keeps the project's (one warning each) unless ``theirs``.
    Returns how many were added or replaced, and the warnings."""
    saved = stored_queries(project)
    merged = dict(saved)
    warnings: list[str] = []
    for name, expression in sorted(found.items()):
        if saved.get(name, expression) == expression or theirs:
            if theirs and name in saved and saved[name] != expression:
                warnings.append(
                    _(
                        "opgeslagen zoekvraag @{name}: die van het bestand ({expression!r}) "
                        "vervangt die van het project"
                    ).format(name=name, expression=expression)
                )
            merged[name] = expression
        else:
            warnings.append(
                _(
                    "opgeslagen zoekvraag @{name}: die van het project ({ours!r}) gehouden, niet "
                    "die van het bestand ({theirs!r}); --theirs neemt die van het bestand"
                ).format(name=name, ours=saved[name], theirs=expression)
            )
    changed = sum(1 for name, value in merged.items() if saved.get(name) != value)
    if changed:
        write_queries(project, merged)
    return changed, warnings
