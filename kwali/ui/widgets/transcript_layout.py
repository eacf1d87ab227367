"""Wrap a transcript into screen lines that keep their document offsets.

The transcript view draws only the lines on screen, but it must know how many there are
(for the scrollbar) and where each offset lands (to follow the current segment). Wrapping
60,000 characters this way takes a few milliseconds, so it is redone on every resize.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from kwali.model import Turn

LineKind = Literal["head", "text", "blank"]


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line: ``text[start:end]`` of the document, or a turn's header, or a gap."""

    kind: LineKind
    start: int
    end: int
    turn: int  # index into the turns list, -1 for text outside any turn


def wrap(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text[start:end]`` as document offsets, one pair per line.

    A line break in the text always breaks the line; runs of empty lines show as one.
    """
    width = max(width, 8)
    out: list[tuple[int, int]] = []
    pos = start
    for raw in text[start:end].split("\n"):
        stop = pos + len(raw)
        a = pos
        while a < stop and text[a].isspace():
            a += 1
        b = stop
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            if out and out[-1][0] != out[-1][1]:
                out.append((a, a))
        while b - a > width:
            cut = text.rfind(" ", a, a + width + 1)
            if cut <= a:  # a word longer than the line: break it
                out.append((a, a + width))
                a += width
            else:
                out.append((a, cut))
                a = cut + 1
            while a < b and text[a] == " ":
                a += 1
        if a < b:
            out.append((a, b))
        pos = stop + 1
    if out and out[-1][0] == out[-1][1]:
        out.pop()
    return out


def _has_text(text: str, start: int, end: int) -> bool:
    return start < end and not text[start:end].isspace()


def layout(text: str, turns: Sequence[Turn], width: int) -> list[Line]:
    """Every screen line of the document: per turn a header, its wrapped text and a gap."""
    lines: list[Line] = []
    previous_end = 0
    for index, turn in enumerate(turns):
        if _has_text(text, previous_end, turn.start):  # text before or between turns
            lines.extend(
                Line("text", a, b, -1) for a, b in wrap(text, previous_end, turn.start, width)
            )
            lines.append(Line("blank", turn.start, turn.start, -1))
        if turn.speaker or turn.timestamp is not None:  # a header says who and when, else skip it
            lines.append(Line("head", turn.start, turn.start, index))
        lines.extend(
            Line("text", a, b, index)
            for a, b in wrap(text, turn.content_start, turn.content_end, width)
        )
        lines.append(Line("blank", turn.end, turn.end, index))
        previous_end = max(previous_end, turn.end)
    if _has_text(text, previous_end, len(text)):
        lines.extend(Line("text", a, b, -1) for a, b in wrap(text, previous_end, len(text), width))
    if not turns and not lines:
        lines.append(Line("blank", 0, 0, -1))
    return lines


class LineIndex:
    """Find the screen line that shows a document offset."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.text_lines = [i for i, line in enumerate(lines) if line.kind == "text"]
        self.starts = [lines[i].start for i in self.text_lines]

    def line_of(self, offset: int) -> int:
        """The text line containing ``offset`` (or the nearest one before it)."""
        if not self.text_lines:
            return 0
        position = max(0, bisect_right(self.starts, offset) - 1)
        return self.text_lines[position]
