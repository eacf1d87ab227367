"""A coded transcript as rows and margin marks: what the Word export draws, as plain data.

The rows follow kwali's lines (the stored text's lines: the ``r. 45`` of every quote, memo
and screen), so a reference in a quotes export is found at that number in the transcript.
A line is cut into several rows where a coding starts or ends inside it, so a margin bar
spans exactly the coded sentences and not the whole paragraph; only a line's first row
shows its number. Each coding becomes a :class:`Mark` spanning its rows, in a *lane* (a
margin column) no overlapping mark of the same margin uses: greedy interval colouring in
order of the first row, which needs no more lanes than codings overlap at one row.

With ``per_coder`` every coder gets a margin of their own; otherwise one margin holds all
coders, and the same code on the same span by several coders is one mark naming them all.

Anonymising per row could miss a name a row boundary cuts in two ("Sanne | de Vries"); a
line whose rows anonymise differently from the line as a whole is kept as one row.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from kwali.model import Coding, Turn

# What a turn label starts with when it carries a time: "[00:01:21] ", "00:01:21 ", "(1:21) ".
_TIME = re.compile(r"\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?\s*")


@dataclass(frozen=True, slots=True)
class Fragment:
    """A run of a row's text: ``time`` and ``speaker`` (a turn's label, as written) or ``text``."""

    text: str
    kind: str = "text"


@dataclass(frozen=True, slots=True)
class Row:
    """A piece of one line: the whole line, or the part between two coding boundaries."""

    line: int  # kwali's line number, 1-based
    start: int  # character offsets into the document's text, half-open
    end: int
    first: bool  # the line's first row: the one that shows the number
    fragments: tuple[Fragment, ...]

    @property
    def text(self) -> str:
        return "".join(f.text for f in self.fragments)


@dataclass(frozen=True, slots=True)
class Mark:
    """One bar in a margin: a code on a span, by one coder or (merged) by several."""

    code_key: str
    coders: tuple[str, ...]
    start: int
    end: int
    first_row: int  # index into Layout.rows, inclusive
    last_row: int
    lane: int  # 0 is the lane next to the text

    def covers(self, row: int) -> bool:
        return self.first_row <= row <= self.last_row


@dataclass(frozen=True, slots=True)
class Margin:
    """The marks of one coder (``per_coder``) or of everyone (``coder`` is None)."""

    coder: str | None
    marks: tuple[Mark, ...]
    lanes: int

    def at(self, row: int, lane: int) -> Mark | None:
        """The mark drawn in ``lane`` at ``row``, if any."""
        return next((m for m in self.marks if m.lane == lane and m.covers(row)), None)

    def starting(self, row: int) -> list[Mark]:
        """The marks whose label goes beside ``row``: those starting there, by lane."""
        return sorted((m for m in self.marks if m.first_row == row), key=lambda m: m.lane)

    def grid(self, rows: int) -> list[list[Mark | None]]:
        """``grid[row][lane]``: :meth:`at` for every cell at once (a long transcript has
        thousands of rows and hundreds of marks)."""
        cells: list[list[Mark | None]] = [[None] * self.lanes for _unused in range(rows)]
        for mark in self.marks:
            for row in range(mark.first_row, min(mark.last_row + 1, rows)):
                cells[row][mark.lane] = mark
        return cells


@dataclass(frozen=True, slots=True)
class Layout:
    rows: tuple[Row, ...]
    margins: tuple[Margin, ...]

    def lines(self) -> int:
        return self.rows[-1].line if self.rows else 0


def label_rows(
    marks: Sequence[Mark], heights: Sequence[float], needs: Mapping[Mark, float]
) -> dict[int, list[Mark]]:
    """The row beside which each mark's label stands: its first row, or further down its bar
    when the labels above still fill the margin there.

    A label cell reaches from its row down to the next row with labels, so labels that start
    on neighbouring rows would stretch the first row to fit. ``heights`` are the rows' heights
    and ``needs`` each label's, in any one unit: a label moves down, within its own bar, to the
    first row the labels above it leave free; marks starting on one row share its cell.
    """
    placed: dict[int, list[Mark]] = {}
    at, load = -1, 0.0  # the last label cell: its row and the height its labels need
    for mark in sorted(marks, key=lambda m: (m.first_row, m.lane)):
        if mark.first_row == at or (at > mark.first_row and at <= mark.last_row):
            placed[at].append(mark)  # its row's cell, or the cell already moved onto its bar
            load += needs.get(mark, 0.0)
            continue
        free, room = max(at, 0), 0.0  # the first row below the last cell's labels
        if at >= 0:
            while free < len(heights) and room < load - 1e-9:
                room += heights[free]
                free += 1
        row = max(mark.first_row, free)
        if row > mark.last_row:  # no room beside its bar: its own row, and that row grows
            row = mark.first_row
        placed.setdefault(row, []).append(mark)
        at, load = row, needs.get(mark, 0.0)
    return placed


def line_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line, without its line break; line n is item n - 1."""
    spans, start = [], 0
    for part in text.split("\n"):
        spans.append((start, start + len(part)))
        start += len(part) + 1
    return spans


def layout(
    text: str,
    turns: Sequence[Turn],
    codings: Iterable[Coding],
    *,
    per_coder: bool = False,
    coders: Sequence[str] = (),
    order: Mapping[str, int] | None = None,
    anonymize: Callable[[str], str] | None = None,
) -> Layout:
    """The rows of ``text`` and the marks of ``codings`` in their margins.

    ``coders`` orders the margins of ``per_coder`` (a coder named there without codings
    still gets an empty margin); ``order`` (code key → position) orders marks that start
    on the same row, as the codebook does; ``anonymize`` is applied to the text of rows.
    """
    codings = list(codings)
    rank = order or {}
    starts = {c.start for c in codings}
    cuts = sorted(starts | {c.end for c in codings})
    labels = [(t.start, t.content_start) for t in turns if t.content_start > t.start]
    rows: list[Row] = []
    spans = line_spans(text)
    across = _names_across_lines(text, spans, anonymize) if anonymize else {}
    for number, (start, end) in enumerate(spans, start=1):
        if number in across:  # the whole text's anonymisation, as one row
            rows.append(Row(number, start, end, True, (Fragment(across[number]),)))
            continue
        rows.extend(_line_rows(text, number, start, end, cuts, starts, labels, anonymize))
    row_starts = [r.start for r in rows]

    def span(coding: Coding) -> tuple[int, int] | None:
        """First and last row the coding covers; None if it covers no text."""
        covered = []
        for i in range(max(0, bisect.bisect_right(row_starts, coding.start) - 1), len(rows)):
            if rows[i].start >= coding.end:
                break
            if _covers(rows[i], coding):
                covered.append(i)
        return (covered[0], covered[-1]) if covered else None

    groups: dict[str | None, dict[tuple[str, int, int], list[str]]] = {}
    for name in coders if per_coder else ():
        groups.setdefault(name, {})
    for coding in codings:
        merged = groups.setdefault(coding.coder if per_coder else None, {})
        merged.setdefault((coding.code_key, coding.start, coding.end), []).append(coding.coder)
    margins = []
    for coder, merged in groups.items():
        placed = []
        for (key, start, end), who in merged.items():
            rows_of = span(Coding(0, 0, start, end, key, who[0]))
            if rows_of is not None:
                placed.append((rows_of, key, tuple(sorted(set(who))), start, end))
        margins.append(_in_lanes(coder, placed, rank))
    if not margins:
        margins.append(Margin(None, (), 0))
    return Layout(tuple(rows), tuple(margins))


def _names_across_lines(
    text: str, spans: Sequence[tuple[int, int]], anonymize: Callable[[str], str]
) -> dict[int, str]:
    """Lines whose anonymisation differs from the whole text's: a name that runs over a line
    break ("Fatima el" / "Amrani"), which no single line holds. Those lines show the whole
    text's replacement, which has a line fewer: the text moves up, the last line stays empty.
    ``{line number: text to show}``; empty when every line anonymises as the whole does."""
    each = [anonymize(text[a:b]) for a, b in spans]
    whole = anonymize(text).split("\n")
    if whole == each:
        return {}
    shown: dict[int, str] = {}
    matcher = difflib.SequenceMatcher(None, each, whole, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        replaced = whole[j1:j2]
        for k in range(i1, i2):
            at = k - i1
            last = k == i2 - 1
            shown[k + 1] = " ".join(replaced[at:] if last else replaced[at : at + 1])
    return shown


def _covers(row: Row, coding: Coding) -> bool:
    if row.start == row.end:  # an empty line: covered by a coding running across it
        return coding.start < row.start < coding.end
    return coding.start < row.end and coding.end > row.start


def _in_lanes(
    coder: str | None,
    placed: list[tuple[tuple[int, int], str, tuple[str, ...], int, int]],
    rank: Mapping[str, int],
) -> Margin:
    """Marks in the fewest lanes: each goes to the first lane free at its first row."""
    placed.sort(key=lambda p: (p[0][0], -p[0][1], rank.get(p[1], len(rank)), p[1], p[2]))
    lane_ends: list[int] = []  # the last row each lane is taken up to
    marks = []
    for (first, last), key, who, start, end in placed:
        lane = next((i for i, taken in enumerate(lane_ends) if taken < first), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(last)
        lane_ends[lane] = last
        marks.append(Mark(key, who, start, end, first, last, lane))
    return Margin(coder, tuple(marks), len(lane_ends))


def _between_words(text: str, cut: int, opens: bool, start: int, end: int) -> int:
    """A cut inside a word moved to the word's edge: back to its start where a coding
    starts, on to its end where one ends, so a row never begins mid-word and a bar still
    covers every word its coding touches."""
    if opens:
        while cut > start and not text[cut - 1].isspace() and not text[cut].isspace():
            cut -= 1
    else:
        while cut < end and not text[cut - 1].isspace() and not text[cut].isspace():
            cut += 1
    return cut


def _line_rows(
    text: str,
    number: int,
    start: int,
    end: int,
    cuts: Sequence[int],
    starts: set[int],
    labels: Sequence[tuple[int, int]],
    anonymize: Callable[[str], str] | None,
) -> list[Row]:
    inside = sorted(
        {
            _between_words(text, cut, cut in starts, start, end)
            for cut in cuts[bisect.bisect_right(cuts, start) : bisect.bisect_left(cuts, end)]
            if not any(a < cut <= b for a, b in labels if a < end and b > start)
        }  # a turn's label stays with what was said after it
        - {start, end}
    )
    bounds = _no_blank_pieces(text, [start, *inside, end])
    clean = anonymize or (lambda s: s)
    whole = clean(text[start:end])
    for attempt in (bounds, [start, end]):  # fewer cuts if they cut a name in two
        pairs = list(zip(attempt, attempt[1:], strict=False))
        pieces = [_fragments(text, a, b, labels, clean) for a, b in pairs]
        if anonymize is None or "".join(f.text for p in pieces for f in p) == whole:
            return [
                Row(number, a, b, i == 0, _trimmed(piece, left=i > 0, right=len(pairs) > 1))
                for i, ((a, b), piece) in enumerate(zip(pairs, pieces, strict=True))
            ]
    return [Row(number, start, end, True, (Fragment(whole),))]  # the label's style gives way


def _trimmed(fragments: tuple[Fragment, ...], left: bool, right: bool) -> tuple[Fragment, ...]:
    """A row cut from a line starts at its first word and ends at its last, without the
    spaces between it and its neighbours."""
    if not fragments:
        return fragments
    parts = list(fragments)
    if left:
        parts[0] = Fragment(parts[0].text.lstrip(), parts[0].kind)
    if right:
        parts[-1] = Fragment(parts[-1].text.rstrip(), parts[-1].kind)
    return tuple(parts)


def _no_blank_pieces(text: str, bounds: list[int]) -> list[int]:
    """Drop cuts that would leave a row of only spaces (between two sentences): the
    spaces join the next row, or the last row when they end the line."""
    kept = [bounds[0]]
    for cut in bounds[1:-1]:
        if text[kept[-1] : cut].strip():
            kept.append(cut)
    if len(kept) > 1 and not text[kept[-1] : bounds[-1]].strip():
        kept.pop()
    return [*kept, bounds[-1]]


def _fragments(
    text: str,
    start: int,
    end: int,
    labels: Sequence[tuple[int, int]],
    clean: Callable[[str], str],
) -> tuple[Fragment, ...]:
    """The row's text, its turn label (time, then speaker) apart from what was said."""
    fragments: list[Fragment] = []
    at = start
    index = bisect.bisect_right(labels, (end, end)) - 1
    if index >= 0:
        label_start, label_end = labels[index]
        a, b = max(start, label_start), min(end, label_end)
        if a < b:
            if at < a:
                fragments.append(Fragment(clean(text[at:a])))
            label = text[a:b]
            time = _TIME.match(label) if a == label_start else None
            if time and time.end() > 0 and time.group().strip():
                fragments.append(Fragment(clean(label[: time.end()]), "time"))
                label = label[time.end() :]
            if label:
                fragments.append(Fragment(clean(label), "speaker"))
            at = b
    if at < end:
        fragments.append(Fragment(clean(text[at:end])))
    return tuple(fragments)
