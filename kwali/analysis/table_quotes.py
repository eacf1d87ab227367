"""The quotes behind a table cell, as the query lists its quotations (reference, codes,
coders, who said it, the text), so the Tables screen and ``kwali table --cell`` show them
as ``kwali query`` does."""

from __future__ import annotations

from collections.abc import Sequence

from kwali.analysis import reading
from kwali.analysis.engine import Quotation
from kwali.analysis.table_data import Span, total_label
from kwali.analysis.tables import TOTAL, CodeTable
from kwali.app.attribution import attribution
from kwali.app.units import Units
from kwali.store import Project


def quotations(
    project: Project, spans: Sequence[Span], coders: Sequence[str] | None = None
) -> list[Quotation]:
    """Each span as a :class:`Quotation`, in document and text order."""
    if not spans:
        return []
    info = {d.id: d for d in reading.documents(project)}
    spans = sorted(spans, key=lambda s: (info[s[0]].number, s[1], s[2]))
    places = reading.locate(project, spans)
    turns = reading.turns(
        project, {(s[0], p.first_turn) for s in spans if (p := places[s]) is not None}
    )
    on = reading.codes_on(project, spans, coders)
    texts = reading.texts(project, {s[0] for s in spans})
    units = Units.load(project, {s[0] for s in spans})
    order = {c.key: i for i, c in enumerate(project.codebook().in_tree_order())}
    found = []
    for span in spans:
        doc, start, end = span
        document, place, here = info[doc], places[span], on.get(span, [])
        turn = turns.get((doc, place.first_turn)) if place is not None else None
        reference = (
            f"{document.number}:{place.first_turn}.{place.first_sentence}"
            if place is not None
            else str(document.number)
        )
        found.append(
            Quotation(
                doc,
                document.number,
                document.name,
                start,
                end,
                reference,
                tuple(
                    sorted({c for c, _unused in here}, key=lambda c: (order.get(c, len(order)), c))
                ),
                tuple(sorted({coder for _unused, coder in here})),
                attribution((unit := units.of(doc, start)).attributes, turn),
                texts[doc][start:end],
                case=unit.name if unit.kind == "case" else "",
                unit=unit.key,
            )
        )
    return found


def cell_quotes(
    project: Project, table: CodeTable, row: str, column: str | None = None
) -> list[Quotation]:
    """The quotes a cell counts (``column`` None or ``Totaal``: the row's); for a
    co-occurrence cell both quotations of every overlapping pair."""
    table.row(row)
    if column is not None and column not in (TOTAL, total_label()):
        column = table.column(column)
    return quotations(project, table.spans(row, column), table.coders)
