"""What the coding screen knows about one open document, read from the store.

Plain Python (no Textual), so navigation is easy to test. The text, turns and segments
are read once; codings and open suggestions are re-read after every change, with indexed
per-document queries, which keeps a keypress well under the 50 ms budget.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from kwali.app.reviewing import open_suggestions
from kwali.model import Codebook, Coding, Segment, Suggestion
from kwali.store import Project
from kwali.ui.widgets.colours import code_colours

Span = tuple[int, int]
WORD = re.compile(r"\w[\w'’-]*")


class DocumentState:
    """One document, its segments, and the coder's view of codings and suggestions."""

    def __init__(self, project: Project, document_id: int, coder: str, blind: bool) -> None:
        self.coder = coder
        self.blind = blind
        self.document = project.require_document(document_id)
        self.turns = project.turns(document_id)
        self.segments: list[Segment] = project.segments(
            document_id, kind="sentence"
        ) or project.segments(document_id, kind="turn")
        self.starts = [s.start for s in self.segments]
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.document.text)]
        self.codebook = Codebook("", ())
        self.colours: dict[str, str] = {}
        self.codings: list[Coding] = []
        self.open: dict[str, list[Suggestion]] = {}
        self.marked: set[str] = set()  # sentences this coder marked reviewed (`r`)
        self.reload_codebook(project)
        self.reload(project)

    # -- reading -----------------------------------------------------------------------------
    def reload_codebook(self, project: Project) -> None:
        self.codebook = project.codebook()
        self.colours = code_colours(self.codebook)

    def reload(self, project: Project) -> None:
        """Re-read codings and open suggestions (after a change here or elsewhere)."""
        doc_id = self.document.id
        self.codings = project.codings(document_id=doc_id, coder=self.coder if self.blind else None)
        self.open = {}
        # blind: none that carries another coder's judgement (kwali.app.reviewing)
        for suggestion in open_suggestions(project, doc_id, self.coder, self.blind):
            self.open.setdefault(suggestion.segment_id, []).append(suggestion)
        for items in self.open.values():
            items.sort(key=lambda s: -s.score)
        self.marked = project.marked_reviewed(doc_id, self.coder)

    def label(self, code_key: str) -> str:
        code = self.codebook.get(code_key)
        return code.label if code else code_key

    def reference(self, segment: Segment) -> str:
        return segment.reference(self.document.number)

    def line_of(self, offset: int) -> int:
        return bisect_right(self._line_starts, offset)

    @property
    def open_count(self) -> int:
        return sum(len(v) for v in self.open.values())

    # -- per segment -----------------------------------------------------------------------------
    def segment_at(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def codings_on(self, start: int, end: int, mine_only: bool = False) -> list[Coding]:
        return [
            c
            for c in self.codings
            if c.start < end and c.end > start and (not mine_only or c.coder == self.coder)
        ]

    def is_marked(self, index: int) -> bool:
        return bool(self.segments) and self.segments[index].id in self.marked

    def suggestions_for(self, index: int) -> list[Suggestion]:
        if not self.segments:
            return []
        return self.open.get(self.segments[index].id, [])

    # -- navigation ---------------------------------------------------------------------------------
    def matches_filter(self, index: int, code_key: str) -> bool:
        segment = self.segments[index]
        if any(s.code_key == code_key for s in self.suggestions_for(index)):
            return True
        return any(c.code_key == code_key for c in self.codings_on(segment.start, segment.end))

    def next_open(self, index: int, step: int, code_key: str | None = None) -> int | None:
        """The next segment (in ``step`` direction) with open suggestions, or with the filter code."""
        i = index + step
        while 0 <= i < len(self.segments):
            if code_key is not None:
                if self.matches_filter(i, code_key):
                    return i
            elif self.suggestions_for(i):
                return i
            i += step
        return None

    def next_open_around(
        self, index: int, step: int, code_key: str | None = None
    ) -> tuple[int | None, bool]:
        """Like :meth:`next_open`, but past the end it goes on from the other end: the segment
        found (None when there is none at all) and whether it went round."""
        found = self.next_open(index, step, code_key)
        if found is not None:
            return found, False
        found = self.next_open(-1 if step > 0 else len(self.segments), step, code_key)
        return found, found is not None

    def first_from(self, offset: int) -> int:
        """The first segment starting at or after ``offset`` (the last one if none does)."""
        index = self.segment_at(offset)
        if self.segments and self.segments[index].start < offset:
            index = min(index + 1, len(self.segments) - 1)
        return index

    def focus_spans(self, code_key: str) -> list[Span]:
        """Where the filter code is (codings and open suggestions): the text kept bright."""
        spans = [(c.start, c.end) for c in self.codings if c.code_key == code_key]
        spans += [
            (s.start, s.end)
            for items in self.open.values()
            for s in items
            if s.code_key == code_key
        ]
        return sorted(spans)

    def find(self, query: str) -> list[Span]:
        """Case-insensitive matches of ``query`` in the text."""
        if not query:
            return []
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        return [(m.start(), m.end()) for m in pattern.finditer(self.document.text)]

    # -- span selection ---------------------------------------------------------------------------
    def move_edge(self, span: Span, edge: str, step: int) -> Span:
        """Move the start or the end of a selection by one word, keeping it non-empty."""
        text = self.document.text
        start, end = span
        if edge == "end" and step > 0:
            match = WORD.search(text, end)
            end = match.end() if match else len(text)
        elif edge == "end":
            ends = [m.end() for m in WORD.finditer(text, start, end) if m.end() < end]
            end = ends[-1] if ends and ends[-1] > start else end
        elif step < 0:
            starts = [m.start() for m in WORD.finditer(text, max(0, start - 200), start)]
            start = starts[-1] if starts else start
        else:
            starts = [m.start() for m in WORD.finditer(text, start, end) if m.start() > start]
            start = starts[0] if starts else start
        return (start, end)

    def extend_by_segment(self, span: Span, step: int) -> Span:
        """Grow (or shrink) a selection's end by a whole segment."""
        start, end = span
        index = self.segment_at(max(start, end - 1))
        if step > 0 and index + 1 < len(self.segments):
            return (start, self.segments[index + 1].end)
        if step < 0 and index > 0 and self.segments[index - 1].end > start:
            return (start, self.segments[index - 1].end)
        return span
