"""The co-occurrence operators on the spans of one document: pure functions, no store.

A span is ``(start, end)`` in characters (or the characters of the sentences it touches, for
SAME SENTENCE and WITHIN); for SAME TURN and FOLLOWED BY a span carries its first and last
turn number instead.

Each test is a sort plus a binary search per left-hand span (a running maximum or minimum
over the sorted right-hand spans says whether any of them qualifies), so a document with
thousands of codings is not a product of its spans.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

Range = tuple[int, int]  # first and last index (sentence or turn) a span touches


def overlapping(xs: Sequence[tuple[int, int]], ys: Sequence[tuple[int, int]]) -> list[bool]:
    """For each x: does some y share a character with it?"""
    ordered = sorted(ys)
    starts = [y[0] for y in ordered]
    reach, most = [], -1
    for _unused, end in ordered:
        most = max(most, end)
        reach.append(most)  # the furthest end among the ys that start up to here
    found = []
    for start, end in xs:
        k = bisect_left(starts, end)  # ys that start before x ends
        found.append(k > 0 and reach[k - 1] > start)
    return found


def ranges_meet(xs: Sequence[Range], ys: Sequence[Range], n: int = 0) -> list[bool]:
    """For each x: does some y come within ``n`` units of it (0: they share a unit)?"""
    ordered = sorted(y for y in ys if y[0] <= y[1])
    firsts = [y[0] for y in ordered]
    reach, most = [], -1
    for _unused, last in ordered:
        most = max(most, last)
        reach.append(most)
    found = []
    for first, last in xs:
        if first > last:
            found.append(False)
            continue
        k = bisect_right(firsts, last + n)  # ys that begin no more than n units after x
        found.append(k > 0 and reach[k - 1] >= first - n)
    return found


def followed(
    xs: Sequence[tuple[int, int, int]], ys: Sequence[tuple[int, int]], turns: int = 1
) -> list[bool]:
    """For each x ``(start, end, last turn)``: does some y ``(start, first turn)`` start at
    or after x's end, in x's last turn or at most ``turns`` turns later?"""
    ordered = sorted(y for y in ys if y[1] >= 0)
    starts = [y[0] for y in ordered]
    earliest: list[int] = [0] * len(ordered)
    least = None
    for i in range(len(ordered) - 1, -1, -1):
        turn = ordered[i][1]
        least = turn if least is None else min(least, turn)
        earliest[i] = least  # the earliest turn among the ys that start here or later
    found = []
    for _unused, end, last_turn in xs:
        k = bisect_left(starts, end)
        found.append(last_turn >= 0 and k < len(ordered) and earliest[k] <= last_turn + turns)
    return found
