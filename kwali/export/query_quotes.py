"""Saved queries in the quote table: a row per quotation a query finds, as Atlas.ti's smart
codes appear in its Query/Report output.

A saved query is no code: its rows carry ``@name`` in the code columns, no coding id, and the
coders of the codings the quotation was found from. It runs with the export's coders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from kwali.analysis.engine import Scope, run_query
from kwali.analysis.reading import saved_queries
from kwali.app.attribution import ATTRIBUTION, attribution
from kwali.errors import ExportError
from kwali.export.tables import QUOTE_COLUMNS, _context, _Documents
from kwali.i18n import _
from kwali.io.turns import format_timestamp
from kwali.store import Project

QUERY_MARK = "@"
ORIGIN = "query"


def query_names(project: Project, names: Sequence[str]) -> list[str]:
    """``names`` without a leading ``@``, each a saved query; an unknown one is refused."""
    saved = saved_queries(project)
    out = []
    for raw in names:
        name = raw.strip().removeprefix(QUERY_MARK)
        if name not in saved:
            known = ", ".join(f"@{n}" for n in sorted(saved)) or _("geen")
            raise ExportError(
                _("heeft geen opgeslagen zoekvraag {name} (opgeslagen: {known})").format(
                    name=repr(name), known=known
                ),
                path=project.location,
            )
        out.append(name)
    return list(dict.fromkeys(out))


def query_quotes(
    project: Project,
    names: Sequence[str],
    *,
    coders: Sequence[str] | None = None,
    attributes: Sequence[str] | None = None,
    attribution_keys: Sequence[str] = ATTRIBUTION,
    context: int = 0,
    anonymize: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """The quote table's rows for these saved queries, in query, document and text order."""
    docs = _Documents(project)
    shown = (
        list(attributes)
        if attributes is not None
        else sorted(
            {k for s in project.document_summaries() for k in s.attributes}
            | set(project.case_attribute_keys())
        )
    )
    clean = anonymize or (lambda text: text)
    scope = Scope(coders=tuple(coders) if coders else None)
    rows = []
    for name in query_names(project, names):
        for found in run_query(project, f"{QUERY_MARK}{name}", scope).quotations:
            info = docs[found.document_id]
            document, turn = info.document, info.turn_at(found.start)
            line = document.text.count("\n", 0, found.start) + 1
            before, after = _context(info, found.start, found.end, context)
            row: dict[str, object] = {
                "coding_id": None,
                "code": f"@{name}",
                "code_label": f"@{name}",
                "code_path": f"@{name}",
                "category": "",
                "document": document.number,
                "document_name": clean(document.name),
                "reference": info.cite(line, turn),
                "quotation": info.quotation(found.start, found.end, turn),
                "line": line,
                "turn": turn.number if turn else 0,
                "timestamp": format_timestamp(turn.timestamp if turn else None),
                "speaker": clean((turn.speaker or "") if turn else ""),
                "respondent": clean(attribution(info.carried(turn), turn, attribution_keys)),
                "text": clean(document.text[found.start : found.end]),
                "context_before": clean(before),
                "context_after": clean(after),
                "coder": ", ".join(found.coders),
                "memo": "",
                "origin": ORIGIN,
                "start": found.start,
                "end": found.end,
            }
            carried = info.carried(turn)
            for key in shown:
                value = clean(carried.get(key, ""))
                row[key if key not in row else f"attribute {key}"] = value
            rows.append(row)
    columns = QUOTE_COLUMNS + [k if k not in QUOTE_COLUMNS else f"attribute {k}" for k in shown]
    return pd.DataFrame(rows, columns=columns)
