"""A query as a pandas table, for notebooks: ``kwali.analysis.query(project, "dwang")``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from kwali.analysis.engine import QueryResult, Scope, run_query
from kwali.store import Project

COLUMNS = [
    "reference",
    "document",
    "document_name",
    "codes",
    "coders",
    "respondent",
    "case",
    "text",
    "start",
    "end",
]


def scope(
    where: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
    role: str | None = None,
    coder: str | Sequence[str] | None = None,
    consensus: bool = False,
) -> Scope:
    """The :class:`Scope` of the keyword arguments the CLI and :func:`query` share."""
    pairs = tuple(where.items()) if isinstance(where, Mapping) else tuple(where or ())
    coders: tuple[str, ...] | None = None
    if consensus:
        coders = ("consensus",)
    elif coder:
        coders = (coder,) if isinstance(coder, str) else tuple(coder)
    return Scope(pairs, role, coders)


def table(result: QueryResult) -> pd.DataFrame:
    """One row per quotation; codes and coders joined with ", "; the document attributes
    as further columns."""
    keys = sorted({k for d in result.documents for k in d.attributes})
    attributes = {d.id: d.attributes for d in result.documents}
    rows = []
    for q in result.quotations:
        row: dict[str, object] = {
            "reference": q.reference,
            "document": q.document,
            "document_name": q.document_name,
            "codes": ", ".join(q.codes),
            "coders": ", ".join(q.coders),
            "respondent": q.respondent,
            "case": q.case,
            "text": q.text,
            "start": q.start,
            "end": q.end,
        }
        for key in keys:
            row[key if key not in COLUMNS else f"attribute {key}"] = attributes[q.document_id].get(
                key, ""
            )
        rows.append(row)
    columns = COLUMNS + [k if k not in COLUMNS else f"attribute {k}" for k in keys]
    return pd.DataFrame(rows, columns=columns)


def counts(result: QueryResult, by: str | None = None) -> pd.DataFrame:
    """Quotations per document, or per value of attribute ``by`` (with the number of
    documents that have one, and of documents in the group; in a project with cases, of
    respondents: cases where a speaker is linked, documents otherwise)."""
    if by is None:
        return pd.DataFrame(
            [(d.number, d.name, n) for d, n in result.per_document()],
            columns=["document", "document_name", "quotations"],
        )
    units = "documents" if result.units is None else "respondents"
    return pd.DataFrame(result.per_group(by), columns=[by, "quotations", f"{units}_with", units])


def query(
    project: Project,
    expression: str,
    *,
    where: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
    role: str | None = None,
    coder: str | Sequence[str] | None = None,
    consensus: bool = False,
) -> pd.DataFrame:
    """The quotations ``expression`` finds, one row each (see docs/query.md)::

    query(project, "dwang AND NOT ontheffing", where={"aanpak": "Meedoen010"},
          role="respondent")
    """
    return table(run_query(project, expression, scope(where, role, coder, consensus)))
