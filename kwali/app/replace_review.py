"""What a replaced transcript leaves for a coder to check, and how it is cited: the moved
codings and memos and those not placed (``kwali documents review``), shortened for a line."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from kwali.i18n import _
from kwali.model import Segment
from kwali.store import Project


def shorten(text: str, width: int = 50) -> str:
    """One line of at most ``width`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


class References:
    """Where an offset of the old text was, as a person cites it (``3:12.4``)."""

    def __init__(self, number: int, segments: Sequence[Segment]) -> None:
        self.number = number
        self.sentences = [s for s in segments if s.kind == "sentence"]
        self.turns = [s for s in segments if s.kind == "turn"]
        self._starts = [s.start for s in self.sentences]
        self._turn_starts = [s.start for s in self.turns]

    def __call__(self, offset: int) -> str:
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return self.sentences[i].reference(self.number)
        j = bisect_right(self._turn_starts, offset) - 1
        if j >= 0:
            return self.turns[j].reference(self.number)
        return str(self.number)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One thing a replace left for a coder: ``item`` is what ``kwali documents place`` takes
    (c12: a moved coding, m4: a moved memo, u3: not placed)."""

    item: str
    state: str  # "moved" or "not placed"
    reference: str  # where it is now (moved) or was (not placed)
    what: str  # the code's label, or "memo"
    coder: str
    old_text: str
    new_text: str = ""


def around_change(old: str, new: str, width: int = 40) -> tuple[str, str]:
    """Both texts shortened around where they first differ, so the change shows."""
    old, new = " ".join(old.split()), " ".join(new.split())
    same = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), 0)
    start = max(0, min(same, len(old), len(new)) - width // 3)
    lead = "…" if start else ""
    return lead + shorten(old[start:], width), lead + shorten(new[start:], width)


def review_items(project: Project, document_id: int | None = None) -> list[ReviewItem]:
    """What replaces left to check, of one document or all: moved codings and memos (with
    where they are now), then what is not placed (with where it was)."""
    labels = project.codebook().labels()
    documents = {d.id: d for d in project.document_summaries()}
    items: list[ReviewItem] = []
    for coding, old in project.moved_codings(document_id):
        text = project.require_document(coding.document_id).text[coding.start : coding.end]
        inside = project.segments(coding.document_id, kind=None)
        number = documents[coding.document_id].number
        items.append(
            ReviewItem(
                f"c{coding.id}",
                "moved",
                References(number, inside)(coding.start),
                labels.get(coding.code_key, coding.code_key),
                coding.coder,
                old,
                text,
            )
        )
    for memo, old in project.moved_memos(document_id):
        segment = project.segment(memo.target_id)
        where = ""
        if segment is not None:
            where = segment.reference(documents[segment.document_id].number)
        text = segment.text if segment is not None else ""
        items.append(ReviewItem(f"m{memo.id}", "moved", where, _("memo"), memo.coder, old, text))
    for waiting in project.unplaced(document_id):
        what = (
            labels.get(waiting.code_key, waiting.code_key)
            if waiting.kind == "coding"
            else _("memo")
        )
        items.append(
            ReviewItem(
                f"u{waiting.id}",
                "not placed",
                waiting.reference,
                what,
                waiting.coder,
                waiting.old_text,
            )
        )
    return items
