"""Analysis across the whole study: queries over codes, groups and text (issue #14).

``query(project, "dwang AND NOT ontheffing", where={"aanpak": "Meedoen010"})`` gives a
pandas table of quotations; :func:`run_query` the same as plain objects (the CLI and the UI
use it, without pandas); :func:`save_query` keeps an expression under a name that other
queries use as ``@name``. The language is in :mod:`kwali.analysis.grammar` and docs/query.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kwali.analysis.engine import QueryResult, Quotation, Scope, run_query
from kwali.analysis.grammar import QueryError, parse
from kwali.analysis.saved import save_query, saved_queries

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "QueryError",
    "QueryResult",
    "Quotation",
    "Scope",
    "parse",
    "query",
    "run_query",
    "save_query",
    "saved_queries",
]


def query(*args: Any, **kwargs: Any) -> pd.DataFrame:
    """:func:`kwali.analysis.frame.query`; pandas loads only when this is called."""
    from kwali.analysis.frame import query as _query

    return _query(*args, **kwargs)
