"""The transcript, drawn line by line: only the lines on screen are ever rendered.

A 10,000-word interview is ~1,500 screen lines; the widget keeps their offsets (see
:mod:`transcript_layout`) and styles a line only when Textual asks for it, so scrolling and
moving the current segment cost the same in a short and a very long transcript.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment as RichSegment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from kwali.i18n import _
from kwali.io.turns import format_timestamp
from kwali.model import Turn
from kwali.ui.messages import OffsetClicked, SpanDragged
from kwali.ui.widgets.frame_styled import FrameStyledView
from kwali.ui.widgets.transcript_layout import Line, LineIndex, layout

Span = tuple[int, int]
GUTTER = 7  # "  12.3 " : the reference of the sentence that starts on the line
BAR = 2  # a coloured bar when the line is coded, and a space


@dataclass(frozen=True, slots=True)
class Annotation:
    """A coding as the margin shows it."""

    start: int
    end: int
    label: str
    colour: str
    mine: bool = True


def _spans_in(spans: Sequence[Span], starts: Sequence[int], a: int, b: int) -> list[Span]:
    """Spans (sorted by start) that overlap ``[a, b)``; spans are short, so look back a bit."""
    out = []
    i = max(0, bisect_left(starts, a) - 8)
    while i < len(spans) and spans[i][0] < b:
        s, e = spans[i]
        if e > a and s < b:
            out.append(spans[i])
        i += 1
    return out


class TranscriptView(FrameStyledView, can_focus=True, inherit_bindings=False):
    """A virtualised transcript with a reference gutter and a code margin."""

    BINDINGS = [
        Binding("pageup", "page(-1)", _("Pagina omhoog"), show=False, id="transcript.page_up"),
        Binding("pagedown", "page(1)", _("Pagina omlaag"), show=False, id="transcript.page_down"),
        Binding("home", "jump(0)", _("Begin"), show=False, id="transcript.home"),
        Binding("end", "jump(1)", _("Einde"), show=False, id="transcript.end"),
    ]
    COMPONENT_CLASSES = {
        "transcript--ref",
        "transcript--speaker",
        "transcript--interviewer",
        "transcript--meta",
        "transcript--current",
        "transcript--selection",
        "transcript--evidence",
        "transcript--match",
        "transcript--dim",
        "transcript--other-coder",
    }

    class Paged(Message):
        """The view moved a page or to an end by a key: the screen moves its cursor along.

        ``offset`` is where the text on screen now starts; ``moved`` is False when the view
        was already at that end (so the cursor goes to the first or last sentence)."""

        def __init__(self, step: int, offset: int, moved: bool) -> None:
            super().__init__()
            self.step, self.offset, self.moved = step, offset, moved

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self.turns: list[Turn] = []
        self.lines: list[Line] = [Line("blank", 0, 0, -1)]
        self.index = LineIndex(self.lines)
        self._line_starts: list[int] = [0]
        self._refs: list[tuple[int, str]] = []
        self._ref_starts: list[int] = []
        self._annotations: list[Annotation] = []
        self._ann_starts: list[int] = []
        self._ann_longest = 0  # the longest annotation: how far back one can start and be here
        self.current: Span | None = None
        self.selection: Span | None = None
        self._evidence: list[Span] = []
        self._matches: list[Span] = []
        self._match_starts: list[int] = []
        self._focus_spans: list[Span] | None = None  # when filtering: what stays undimmed
        self._focus_starts: list[int] = []
        self._layout_width = -1
        self._drag_from: int | None = None

    # -- data from the screen -------------------------------------------------------------
    def show_document(
        self, text: str, turns: Sequence[Turn], refs: Sequence[tuple[int, str]]
    ) -> None:
        """A new document; ``refs`` are (offset, "12.3") for the segments the gutter names."""
        self.text = text
        self.turns = list(turns)
        self._refs = sorted(refs)
        self._ref_starts = [offset for offset, _ref in self._refs]
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._layout_width = -1
        self._relayout()
        self.scroll_to(y=0, animate=False)

    # -- what is shown (read-only; the screen sets it through the methods below) ---------------
    @property
    def annotations(self) -> tuple[Annotation, ...]:
        """The labels in the margin, in reading order."""
        return tuple(self._annotations)

    @property
    def evidence(self) -> tuple[Span, ...]:
        """The evidence words of the highlighted suggestion, underlined."""
        return tuple(self._evidence)

    @property
    def focus_spans(self) -> tuple[Span, ...] | None:
        """What stays undimmed while a code filter is on; None when nothing is dimmed."""
        return None if self._focus_spans is None else tuple(self._focus_spans)

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        self._annotations = sorted(annotations, key=lambda a: (a.start, -a.end))
        self._ann_starts = [a.start for a in self._annotations]
        self._ann_longest = max((a.end - a.start for a in self._annotations), default=0)
        self.refresh()

    def set_marks(
        self,
        *,
        current: Span | None,
        evidence: Sequence[Span] = (),
        selection: Span | None = None,
        matches: Sequence[Span] | None = None,
        focus: Sequence[Span] | None = None,
    ) -> None:
        """What to highlight; ``matches=None`` keeps the search matches, ``focus`` dims the rest."""
        self.current = current
        self.selection = selection
        self._evidence = sorted(evidence)
        if matches is not None:
            self._matches = sorted(matches)
            self._match_starts = [s for s, _end in self._matches]
        self._focus_spans = sorted(focus) if focus is not None else None
        self._focus_starts = [s for s, _end in self._focus_spans or ()]
        self.refresh()

    # -- geometry -------------------------------------------------------------------------
    @property
    def margin_width(self) -> int:
        """A fifth of a wide view (grows with the terminal), 16 columns at 80, none below 64."""
        width = self.size.width
        return max(24, width // 5) if width >= 110 else 16 if width >= 64 else 0

    @property
    def text_width(self) -> int:
        return max(
            10,
            self.size.width
            - 1
            - GUTTER
            - BAR
            - self.margin_width
            - (1 if self.margin_width else 0),
        )

    def _relayout(self) -> None:
        width = self.text_width
        if width == self._layout_width:
            return
        self._layout_width = width
        self.lines = (
            layout(self.text, self.turns, width) if self.text else [Line("blank", 0, 0, -1)]
        )
        self.index = LineIndex(self.lines)
        self.virtual_size = Size(self.size.width - 1, len(self.lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        if self.current:
            self.scroll_to_offset(self.current[0], self.current[1])

    def line_of(self, offset: int) -> int:
        return self.index.line_of(offset)

    def scroll_to_offset(self, start: int, end: int | None = None, jump: bool = False) -> None:
        """Bring ``[start, end)`` into view. Stepping scrolls as little as possible; a jump
        (next suggestion, search, click) puts the target a third down the screen."""
        top = self.line_of(start)
        bottom = self.line_of(max(start, (end or start) - 1))
        height = self.scrollable_content_region.height or self.size.height
        y = int(self.scroll_y)
        if top - 1 >= y and bottom + 1 < y + height:
            return
        if jump:
            self.scroll_to(y=max(0, top - height // 3), animate=False)
        elif top - 2 < y:
            self.scroll_to(y=max(0, top - 2), animate=False)
        else:
            self.scroll_to(y=max(0, min(top - 2, bottom + 3 - height)), animate=False)

    def offset_at(self, x: int, y: int) -> int | None:
        """The document offset under screen cell (x, y) of this widget."""
        row = y + int(self.scroll_y)
        if not 0 <= row < len(self.lines):
            return None
        line = self.lines[row]
        if line.kind != "text":
            return None
        column = x - GUTTER - BAR
        return line.start + min(max(column, 0), max(0, line.end - line.start - 1))

    def action_page(self, step: int) -> None:
        """Scroll a screenful at once: no animation, the text should not swim."""
        height = self.scrollable_content_region.height or self.size.height
        self._scroll_and_tell(step, max(0, self.scroll_y + step * max(1, height - 2)))

    def action_jump(self, end: int) -> None:
        self._scroll_and_tell(2 if end else -2, self.max_scroll_y if end else 0)

    def _scroll_and_tell(self, step: int, y: float) -> None:
        """Scroll to ``y`` and post :class:`Paged`; a jump to an end is a step of ±2."""
        before = int(self.scroll_y)
        target = int(min(max(0, y), self.max_scroll_y))
        self.scroll_to(y=target, animate=False, immediate=True)
        top = next(
            (line.start for line in self.lines[target:] if line.kind == "text"),
            len(self.text),
        )
        moved = target != before and abs(step) == 1
        self.post_message(self.Paged(step, top, moved))

    # -- mouse ------------------------------------------------------------------------------
    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._drag_from = self.offset_at(event.x, event.y)
        if self._drag_from is not None:
            self.capture_mouse()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        start = self._drag_from
        self._drag_from = None
        self.capture_mouse(False)
        end = self.offset_at(event.x, event.y)
        if start is None:
            return
        if end is None or abs(end - start) < 2:
            self.post_message(OffsetClicked(start))
        else:
            low, high = sorted((start, end))
            self.post_message(SpanDragged(low, high + 1))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is None or not event.button:
            return
        end = self.offset_at(event.x, event.y)
        if end is not None and abs(end - self._drag_from) >= 2:
            low, high = sorted((self._drag_from, end))
            self.selection = (low, high + 1)
            self.refresh()

    # -- drawing ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        base = self.frame_style
        row = y + int(self.scroll_y)
        width = self.size.width - 1
        if not 0 <= row < len(self.lines):
            return Strip.blank(width, base)
        line = self.lines[row]
        if line.kind == "head":
            segments = self._head(line)
        elif line.kind == "text":
            segments = self._text(line, row)
        else:
            segments = []
        return Strip(segments).adjust_cell_length(width, base).apply_style(base)

    def _overlapping(self, a: int, b: int) -> list[Annotation]:
        """The annotations over ``[a, b)`` (at least ``a``), in order: only those starting
        at most the longest annotation's length before ``a`` can reach it, so a line
        looks at its neighbourhood, not at every coding above it."""
        lo = bisect_left(self._ann_starts, a - self._ann_longest)
        hi = bisect_left(self._ann_starts, max(b, a + 1))
        return [x for x in self._annotations[lo:hi] if x.end > a]

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _head(self, line: Line) -> list[RichSegment]:
        turn = self.turns[line.turn]
        meta = self._style("transcript--meta")
        is_interviewer = (turn.role or "").startswith("interv") or turn.speaker in ("I", "INT")
        speaker_style = self._style(
            "transcript--interviewer" if is_interviewer else "transcript--speaker"
        )
        line_no = bisect_right(self._line_starts, turn.start)
        parts = [
            RichSegment(f"{turn.number:>5}  ", self._style("transcript--ref")),
            RichSegment(" " * BAR),
            RichSegment(turn.speaker or "—", speaker_style),
        ]
        # "R (respondent)" helps; "Werkzoekende (man) (werkzoekende)" only repeats the label.
        if turn.role and turn.role.lower() not in (turn.speaker or "").lower():
            parts.append(RichSegment(f" ({turn.role})", meta))
        stamp = format_timestamp(turn.timestamp)
        details = f"  ·  {stamp}" if stamp else ""
        parts.append(RichSegment(details + "  ·  " + _("regel {n}").format(n=line_no), meta))
        return parts

    def _text(self, line: Line, row: int) -> list[RichSegment]:
        a, b = line.start, line.end
        segments: list[RichSegment] = []
        # gutter: the reference of a sentence starting on this line
        i = bisect_left(self._ref_starts, a)
        ref = self._refs[i][1] if i < len(self._refs) and self._refs[i][0] < max(b, a + 1) else ""
        segments.append(RichSegment(f"{ref:>{GUTTER - 1}} ", self._style("transcript--ref")))
        here = self._overlapping(a, b)
        if here:
            segments.append(RichSegment("▌ ", Style(color=here[0].colour)))
        else:
            segments.append(RichSegment(" " * BAR))
        segments.extend(self._styled_text(a, b))
        if self.margin_width:
            segments.append(RichSegment(" " * (self.text_width - (b - a) + 1)))
            segments.extend(self._margin(row, here))
        return segments

    def _styled_text(self, a: int, b: int) -> list[RichSegment]:
        marks: list[tuple[int, int, Style]] = []
        if self._focus_spans is not None:
            kept = _spans_in(self._focus_spans, self._focus_starts, a, b)
            cuts = [a]
            for s, e in kept:
                cuts += [max(s, a), min(e, b)]
            cuts.append(b)
            dim = self._style("transcript--dim")
            marks += [
                (cuts[k], cuts[k + 1], dim) for k in range(0, len(cuts), 2) if cuts[k] < cuts[k + 1]
            ]
        if self.current and self.current[0] < b and self.current[1] > a:
            marks.append((self.current[0], self.current[1], self._style("transcript--current")))
        for s, e in _spans_in(self._matches, self._match_starts, a, b):
            marks.append((s, e, self._style("transcript--match")))
        for s, e in self._evidence:
            if s < b and e > a:
                marks.append((s, e, self._style("transcript--evidence")))
        if self.selection and self.selection[0] < b and self.selection[1] > a:
            marks.append(
                (self.selection[0], self.selection[1], self._style("transcript--selection"))
            )
        if not marks:
            return [RichSegment(self.text[a:b])]
        cuts = sorted({a, b, *(max(a, min(b, p)) for s, e, _style in marks for p in (s, e))})
        out = []
        for left, right in zip(cuts, cuts[1:], strict=False):
            style = Style()
            for s, e, mark in marks:
                if s <= left and e >= right:
                    style += mark
            out.append(RichSegment(self.text[left:right], style))
        return out

    def _labels_on(self, row: int) -> list[Annotation]:
        """The labels the margin of text line ``row`` shows: those of codings starting on it,
        after any that did not fit on the lines just above (each line holds what fits, the
        rest flows down), so every label is shown, on its line or close below it."""
        width = self.margin_width
        waiting: list[Annotation] = []
        shown: list[Annotation] = []
        for r in range(max(0, row - _MARGIN_LOOKBACK), row + 1):
            line = self.lines[r]
            if line.kind != "text":
                continue
            a, b = line.start, line.end
            lo = bisect_left(self._ann_starts, a)
            hi = bisect_left(self._ann_starts, max(b, a + 1))
            waiting += self._annotations[lo:hi]
            stripes = min(4, len(self._overlapping(a, b)))
            shown, waiting = _fit_labels(waiting, width - stripes - 1)
        return shown

    def _margin(self, row: int, here: list[Annotation]) -> list[RichSegment]:
        """Coloured stripes for every coding on the line, and the names of those starting here
        (or flowing down from the lines above)."""
        width = self.margin_width
        stripes = here[:4]
        out = [RichSegment("┃" if x.mine else "╎", Style(color=x.colour)) for x in stripes]
        used = len(stripes)
        labels = self._labels_on(row) if used < width - 2 else []
        if labels:
            out.append(RichSegment(" "))
            used += 1
            for x in labels:
                room = width - used
                if room <= 1:
                    break
                label = x.label if len(x.label) < room else x.label[: room - 1] + "…"
                style = Style(color=x.colour, bold=x.mine, italic=not x.mine)
                out.append(RichSegment(label, style))
                used += len(label)
                if used < width - 1:
                    out.append(RichSegment(" "))
                    used += 1
        return out


# how many lines above a line may still have a label waiting for room in its margin
_MARGIN_LOOKBACK = 12


def _fit_labels(waiting: list[Annotation], room: int) -> tuple[list[Annotation], list[Annotation]]:
    """The labels that fit in ``room`` columns (the first always, shortened if it must) and
    those that wait for the next line."""
    shown: list[Annotation] = []
    used = 0
    for n, x in enumerate(waiting):
        need = len(x.label) + (1 if shown else 0)
        if shown and used + need > room:
            return shown, waiting[n:]
        shown.append(x)
        used += need
    return shown, []
