"""Segments read in bulk carry the same text as one segment read alone (#18: the bulk read
cuts each document's text once in Python instead of SQLite's substr per row)."""

from __future__ import annotations

from kwali.model import Segment, Transcript, Turn

TEXT = "I: Hoe gaat het? 😀\nR: Café één, naïef — “goed”. Tweede zin hier.\n"


def _add(project, name: str, text: str):
    turns = (
        Turn(1, 0, text.index("\n"), 3, text.index("\n"), "I", "interviewer"),
        Turn(2, text.index("R:"), len(text) - 1, text.index("R:") + 3, len(text) - 1, "R"),
    )
    first = text.index("Café")
    second = text.index("Tweede")

    def segments(document_id: int, uid: str) -> list[Segment]:
        return [
            Segment(f"{uid}:1.1", document_id, "sentence", 1, 1, 3, text.index("\n"), 1, ""),
            Segment(f"{uid}:2.1", document_id, "sentence", 2, 1, first, second - 1, 2, ""),
            Segment(f"{uid}:2.2", document_id, "sentence", 2, 2, second, len(text) - 1, 2, ""),
        ]

    document, _unused = project.add_document(Transcript(text, turns, name, "txt"), segments)
    return document


def test_bulk_and_single_reads_give_the_same_text_with_wide_characters(project) -> None:
    one = _add(project, "een.txt", TEXT)
    two = _add(project, "twee.txt", TEXT.replace("Hoe", "Wat"))
    every = project.segments()  # all documents at once
    assert len(every) == 6
    for segment in every:
        alone = project.segment(segment.id)
        assert alone is not None and alone.text == segment.text
        text = TEXT if segment.document_id == one.id else TEXT.replace("Hoe", "Wat")
        assert segment.text == text[segment.start : segment.end]
    assert [s.text for s in project.segments(two.id)] == [
        "Wat gaat het? 😀",
        "Café één, naïef — “goed”.",
        "Tweede zin hier.",
    ]
    assert project.segments(document_id=10_000) == []
