"""Align an old transcript text with its corrected version, and say where a span went.

A corrected transcript differs from the coded one by typos, names replaced by ``[naam]``,
passages removed and paragraphs moved. :func:`align` finds the characters both texts share:
first word by word in text order (rapidfuzz's LCS, already a dependency of kwali, bit-parallel
C++: a 50,000-character interview aligns in milliseconds, where difflib's SequenceMatcher
slows down on the thousands of equal space and comma tokens or, with autojunk, ignores them),
then letter by letter inside small changed places (a typo), then passages that left their
place and turn up elsewhere (a moved paragraph). :meth:`Alignment.place` maps a span of the
old text to the new one:

- ``exact``: the same text at the aligned place;
- ``moved``: the text changed, but at least :data:`MIN_ALIGNED` of it aligns: the span where
  that part went (to be checked by a coder);
- ``gone``: too little of it is left to say where it is.

Pure: no database, no spaCy; the store applies what the app plans with it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Indel

MIN_ALIGNED = 0.5
"""The share of a span's characters that must align for it to be placed (moved) at all."""
SMALL_CHANGE = 64
"""Changed places up to this many characters on both sides are aligned letter by letter."""
MIN_LETTERS = 3
"""Letters shared inside a changed word count only from this many in a row: two texts share
single letters everywhere, and a coding must not follow an 'a' into a new word."""
MIN_MOVED_CHARS = 20
MIN_MOVED_TOKENS = 5
"""A passage counts as moved from this size on: shorter runs recur by chance."""
REPLACED_WORDS = 2
"""A changed place of up to this many words on both sides is a replacement (a name by
``[naam]``, a misheard word): a span on it goes to what replaced it. More was rewritten."""
EDGE_SLACK = 200
"""How far (in characters) two aligned pieces of one span may drift apart and still be one
place; pieces further apart went to different places."""

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"\w")
_WORDS = re.compile(r"\w+")

Kind = Literal["exact", "moved", "gone"]


@dataclass(frozen=True, slots=True)
class Block:
    """``length`` characters equal in both texts, from ``old`` and ``new``."""

    old: int
    new: int
    length: int

    @property
    def old_end(self) -> int:
        return self.old + self.length

    @property
    def new_end(self) -> int:
        return self.new + self.length


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a span of the old text is in the new one (``start``/``end`` are 0 when gone)."""

    kind: Kind
    start: int = 0
    end: int = 0
    aligned: float = 0.0  # the share of the span's characters that align


def _tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def _equal_runs(
    old: str, new: str, old_spans: list[tuple[int, int]], new_spans: list[tuple[int, int]]
) -> list[tuple[int, int, int, int]]:
    """Equal token runs as (old token start, old token end, new token start, new token end)."""
    ids: dict[str, int] = {}
    a = [ids.setdefault(old[s:e], len(ids)) for s, e in old_spans]
    b = [ids.setdefault(new[s:e], len(ids)) for s, e in new_spans]
    # a run of only spaces and punctuation is what any two texts share: no anchor
    return [
        (op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Indel.opcodes(a, b)
        if op.tag == "equal"
        and any(_WORD.search(old[s:e]) for s, e in old_spans[op.src_start : op.src_end])
    ]


def _words(text: str, start: int, end: int) -> int:
    return len(_WORDS.findall(text, start, end))


def _letters(old: str, new: str, o0: int, o1: int, n0: int, n1: int) -> list[Block]:
    """Equal letters of a small changed place, :data:`MIN_LETTERS` in a row or more."""
    return [
        Block(o0 + op.src_start, n0 + op.dest_start, op.src_end - op.src_start)
        for op in Indel.opcodes(old[o0:o1], new[n0:n1])
        if op.tag == "equal" and op.src_end - op.src_start >= MIN_LETTERS
    ]


def _gaps(blocks: list[Block], size: int, new_side: bool) -> list[tuple[int, int]]:
    """The unaligned ranges of one text, given blocks sorted along that text."""
    gaps, pos = [], 0
    for block in blocks:
        start = block.new if new_side else block.old
        if start > pos:
            gaps.append((pos, start))
        pos = max(pos, block.new_end if new_side else block.old_end)
    if pos < size:
        gaps.append((pos, size))
    return gaps


def _moved(old: str, new: str, blocks: list[Block]) -> list[Block]:
    """Passages of the old text's unaligned places found in the new text's unaligned places."""
    by_new = sorted(blocks, key=lambda b: b.new)
    old_gaps = [g for g in _gaps(blocks, len(old), False) if g[1] - g[0] >= MIN_MOVED_CHARS]
    new_gaps = [g for g in _gaps(by_new, len(new), True) if g[1] - g[0] >= MIN_MOVED_CHARS]
    candidates: list[Block] = []
    for o0, o1 in old_gaps:
        old_spans = [(s + o0, e + o0) for s, e in _tokens(old[o0:o1])]
        for n0, n1 in new_gaps:
            new_spans = [(s + n0, e + n0) for s, e in _tokens(new[n0:n1])]
            for a0, a1, b0, _b1 in _equal_runs(old, new, old_spans, new_spans):
                start, end = old_spans[a0][0], old_spans[a1 - 1][1]
                if a1 - a0 >= MIN_MOVED_TOKENS and end - start >= MIN_MOVED_CHARS:
                    candidates.append(Block(start, new_spans[b0][0], end - start))
    # the longest first; a place in either text is used once
    chosen: list[Block] = []
    for block in sorted(candidates, key=lambda b: (-b.length, b.old, b.new)):
        if all(
            (block.old_end <= c.old or c.old_end <= block.old)
            and (block.new_end <= c.new or c.new_end <= block.new)
            for c in chosen
        ):
            chosen.append(block)
    return chosen


def _merge(blocks: list[Block]) -> list[Block]:
    """Adjacent blocks that continue each other in both texts become one."""
    merged: list[Block] = []
    for block in sorted(blocks, key=lambda b: b.old):
        if block.length <= 0:
            continue
        last = merged[-1] if merged else None
        if last is not None and last.old_end == block.old and last.new_end == block.new:
            merged[-1] = Block(last.old, last.new, last.length + block.length)
        else:
            merged.append(block)
    return merged


@dataclass(frozen=True, slots=True)
class _Piece:
    """Part of a span: old ``[old, old_end)`` is at new ``[new, new_end)``."""

    old: int
    old_end: int
    new: int
    new_end: int


class Alignment:
    """The characters an old and a new text share, and where spans of the old one went.

    ``replaced`` are small places changed in both texts between two aligned words (a name
    replaced by ``[naam]``): a span there goes to what replaced it, as a coder would expect.
    """

    def __init__(
        self,
        old: str,
        new: str,
        blocks: list[Block],
        replaced: list[tuple[int, int, int, int]] | None = None,
    ) -> None:
        self.old = old
        self.new = new
        self.blocks = _merge(blocks)  # sorted along the old text, never overlapping there
        self.replaced = sorted(replaced or [])
        self._old_starts = [b.old for b in self.blocks]
        self._by_new = sorted(self.blocks, key=lambda b: b.new)
        self._new_ends = [b.new_end for b in self._by_new]
        self._new_starts = [b.new for b in self._by_new]

    @property
    def aligned_chars(self) -> int:
        return sum(b.length for b in self.blocks)

    def _pieces(self, start: int, end: int) -> list[_Piece]:
        """The parts of ``[start, end)`` that align or were replaced, in old-text order."""
        first = max(0, bisect_right(self._old_starts, start) - 1)
        pieces = []
        for block in self.blocks[first:]:
            if block.old >= end:
                break
            lo, hi = max(start, block.old), min(end, block.old_end)
            if lo < hi:
                shift = block.new - block.old
                pieces.append(_Piece(lo, hi, lo + shift, hi + shift))
        for o0, o1, n0, n1 in self.replaced:
            lo, hi = max(start, o0), min(end, o1)
            if lo < hi:
                scale = (n1 - n0) / (o1 - o0)
                pieces.append(
                    _Piece(lo, hi, n0 + round((lo - o0) * scale), n0 + round((hi - o0) * scale))
                )
        return sorted(pieces, key=lambda p: p.old)

    def _aligned_between(self, start: int, end: int) -> bool:
        """Whether other old text aligns to new ``[start, end)``: a span does not swallow it."""
        i = bisect_right(self._new_ends, start)
        return i < len(self._by_new) and self._by_new[i].new < end

    def _free_before(self, position: int) -> int:
        """Unaligned new characters right before ``position``."""
        i = bisect_right(self._new_ends, position)
        previous_end = self._new_ends[i - 1] if i else 0
        return max(0, position - previous_end)

    def _free_after(self, position: int) -> int:
        """Unaligned new characters right after ``position``."""
        i = bisect_left(self._new_starts, position)
        next_start = self._new_starts[i] if i < len(self._new_starts) else len(self.new)
        return max(0, next_start - position)

    def place(self, start: int, end: int) -> Placement:
        """Where the old text's ``[start, end)`` is in the new text."""
        if not 0 <= start < end <= len(self.old):
            return Placement("gone")
        # pieces that stay together in the new text form one place; the biggest one wins
        groups: list[list[_Piece]] = []
        for piece in self._pieces(start, end):
            group = groups[-1] if groups else None
            if (
                group is not None
                and piece.new >= group[-1].new_end
                and piece.new - group[-1].new_end <= piece.old - group[-1].old_end + EDGE_SLACK
                and not self._aligned_between(group[-1].new_end, piece.new)
            ):
                group.append(piece)
            else:
                groups.append([piece])
        if not groups:
            return Placement("gone")
        best = max(groups, key=lambda g: sum(p.old_end - p.old for p in g))
        share = min(1.0, sum(p.old_end - p.old for p in best) / (end - start))
        first, last = best[0], best[-1]
        # what changed at the edges (a typo in the first word) is taken along where the new
        # text has changed letters there too; a deleted edge is not replaced by other text
        new_start = first.new - min(first.old - start, self._free_before(first.new))
        new_end = last.new_end + min(end - last.old_end, self._free_after(last.new_end))
        old_text = self.old[start:end]
        # the whole span may be there though an edge aligned elsewhere (a full stop that the
        # text it left behind took)
        lo, hi = first.new - (first.old - start), last.new_end + (end - last.old_end)
        if 0 <= lo and self.new[lo:hi] == old_text:
            return Placement("exact", lo, hi, 1.0)
        if self.new[new_start:new_end] == old_text:
            return Placement("exact", new_start, new_end, 1.0)
        if share < MIN_ALIGNED:
            return Placement("gone", aligned=share)
        # a coding starts and ends on text, as the coder made it
        while new_start < new_end and self.new[new_start].isspace() and not old_text[0].isspace():
            new_start += 1
        while (
            new_end > new_start and self.new[new_end - 1].isspace() and not old_text[-1].isspace()
        ):
            new_end -= 1
        if new_start >= new_end:
            return Placement("gone", aligned=share)
        return Placement("moved", new_start, new_end, share)


def align(old: str, new: str) -> Alignment:
    """Align ``old`` with ``new`` (see the module's description)."""
    if old == new:
        return Alignment(old, new, [Block(0, 0, len(old))] if old else [])
    old_spans, new_spans = _tokens(old), _tokens(new)
    blocks: list[Block] = []
    replaced: list[tuple[int, int, int, int]] = []
    previous = (0, 0)  # end of the last equal run, in characters (old, new)
    runs = _equal_runs(old, new, old_spans, new_spans)
    for a0, a1, b0, b1 in [*runs, (len(old_spans), 0, len(new_spans), 0)]:
        o0 = old_spans[a0][0] if a0 < len(old_spans) else len(old)
        n0 = new_spans[b0][0] if b0 < len(new_spans) else len(new)
        po, pn = previous
        if 0 < o0 - po <= SMALL_CHANGE and 0 < n0 - pn <= SMALL_CHANGE:
            letters = _letters(old, new, po, o0, pn, n0)
            blocks += letters
            if _words(old, po, o0) <= REPLACED_WORDS and _words(new, pn, n0) <= REPLACED_WORDS:
                replaced += _between(letters, po, o0, pn, n0)
        if a1 > a0:  # not the closing sentinel
            o1, n1 = old_spans[a1 - 1][1], new_spans[b1 - 1][1]
            blocks.append(Block(o0, n0, o1 - o0))
            previous = (o1, n1)
    moved = _moved(old, new, blocks)
    # a moved passage landing where a word was replaced is the passage, not the replacement
    replaced = [
        r
        for r in replaced
        if not any(
            m.old < r[1] and r[0] < m.old_end or m.new < r[3] and r[2] < m.new_end for m in moved
        )
    ]
    return Alignment(old, new, blocks + moved, replaced)


def _between(
    letters: list[Block], o0: int, o1: int, n0: int, n1: int
) -> list[tuple[int, int, int, int]]:
    """The places of a small change that its shared letters leave, changed on both sides."""
    places, po, pn = [], o0, n0
    for block in [*letters, Block(o1, n1, 0)]:
        if block.old > po and block.new > pn:
            places.append((po, block.old, pn, block.new))
        po, pn = block.old_end, block.new_end
    return places
