"""Which quotations of two codes co-occur, for the co-occurrence table: one pass over the
codings in scope, not a product of codes × codes × spans.

The pass works on the codings' own codes; a pair found there counts for every row at or
above each of the two codes (a category's row holds the spans of the codes below it), except
for a code and a category above it, which share their spans by construction.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence

from kwali.analysis.table_data import Span, turn_starts
from kwali.store import Project

Coded = tuple[int, int, int, str]  # document id, start, end, code
Members = dict[tuple[str, str], set]  # (row, other row) -> pairs of spans


def own_spans(coded: Iterable[Coded], above: Mapping[str, Sequence[str]]) -> dict[str, set[Span]]:
    """Each row's distinct spans (the diagonal)."""
    own: dict[str, set[Span]] = {}
    for doc, start, end, code in coded:
        span = (doc, start, end)
        for row in above[code]:
            own.setdefault(row, set()).add(span)
    return own


def _add(
    members: Members,
    raw: Iterable[tuple[str, str, Span, Span]],
    above: Mapping[str, Sequence[str]],
    related: Callable[[str, str], bool],
) -> None:
    for code, other, span, other_span in raw:
        for a in above[code]:
            for b in above[other]:
                if a != b and not related(a, b):
                    members.setdefault((a, b), set()).add((span, other_span))
                    members.setdefault((b, a), set()).add((other_span, span))


def overlapping(
    coded: Sequence[Coded],
    above: Mapping[str, Sequence[str]],
    related: Callable[[str, str], bool],
) -> Members:
    """Pairs of spans that share a character: the codings sorted by document and start, a
    sweep keeps those still open; each newcomer pairs with the open ones of another code."""
    raw: list[tuple[str, str, Span, Span]] = []
    open_: list[tuple[int, str, Span]] = []
    here = None
    for doc, start, end, code in sorted(set(coded)):
        if doc != here:
            here, open_ = doc, []
        elif open_:
            open_ = [o for o in open_ if o[0] > start]
        span = (doc, start, end)
        for _unused, other, other_span in open_:
            if other != code:
                raw.append((code, other, span, other_span))
        open_.append((end, code, span))
    members: Members = {}
    _add(members, raw, above, related)
    return members


def same_turn(
    project: Project,
    coded: Sequence[Coded],
    above: Mapping[str, Sequence[str]],
    related: Callable[[str, str], bool],
) -> Members:
    """Pairs of spans that start in the same speaker turn."""
    unique = sorted(set(coded))
    starts = turn_starts(project, {c[0] for c in unique})
    buckets: dict[tuple[int, int], list[tuple[str, Span]]] = {}
    for doc, start, end, code in unique:
        turns = starts.get(doc, ([], []))
        i = bisect.bisect_right(turns[0], start) - 1
        turn = turns[1][i] if i >= 0 else 0
        buckets.setdefault((doc, turn), []).append((code, (doc, start, end)))
    raw = [
        (code, other, span, other_span)
        for items in buckets.values()
        for i, (code, span) in enumerate(items)
        for other, other_span in items[i + 1 :]
        if other != code
    ]
    members: Members = {}
    _add(members, raw, above, related)
    return members
