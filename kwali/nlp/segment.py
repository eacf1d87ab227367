"""Segment a transcript into turns and the sentences inside them.

Segments point into the stored text by offsets; the text itself is never changed, so
``text[segment.start:segment.end] == segment.text`` always holds. Ids are built from the
document's content hash and the turn/sentence numbers, so the same text segmented again
gets the same ids.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import replace

from spacy.language import Language

from kwali.model import Segment, Turn


def line_starts(text: str) -> list[int]:
    """Offsets at which each line starts (line 1 starts at 0)."""
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts


def line_number(starts: Sequence[int], offset: int) -> int:
    """1-based line of ``offset``."""
    return bisect_right(starts, offset)


# An f4/f5 time mark closing a paragraph inside a turn (the reader already keeps the one
# closing the turn out of its content); it is metadata, not speech.
_PARAGRAPH_TIME_MARK = re.compile(r"\s*#(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d+)?(?:-\d+)?#\s*$")


def _pieces(text: str, turn: Turn) -> Iterable[tuple[int, str]]:
    """Paragraphs inside a turn's content: a line break always ends a sentence."""
    pos = turn.content_start
    for raw in text[turn.content_start : turn.content_end].split("\n"):
        piece = _PARAGRAPH_TIME_MARK.sub("", raw)
        if piece.strip():
            yield pos, piece
        pos += len(raw) + 1


def segment_transcript(
    nlp: Language, text: str, turns: Sequence[Turn], document_id: int, uid: str
) -> list[Segment]:
    """Turn segments followed by their sentence segments, in text order."""
    return segment_many(nlp, [(text, turns, document_id, uid)])[0]


def segment_many(
    nlp: Language, documents: Sequence[tuple[str, Sequence[Turn], int, str]]
) -> list[list[Segment]]:
    """Segment several documents in one ``nlp.pipe`` stream (much faster than one by one)."""
    jobs: list[tuple[int, Turn, int]] = []  # (document index, turn, piece offset)
    texts: list[str] = []
    for index, (text, turns, _doc_id, _uid) in enumerate(documents):
        for turn in turns:
            for offset, piece in _pieces(text, turn):
                jobs.append((index, turn, offset))
                texts.append(piece)

    sentences: dict[tuple[int, int], list[tuple[int, int]]] = {}
    # Only the sentencizer is needed to find boundaries; lemmas are for tagging later.
    enabled = [
        name
        for name in ("sentencizer", "kwali_sentence_openers", "senter", "parser")
        if nlp.has_pipe(name)
    ]
    with nlp.select_pipes(enable=enabled):
        for (index, turn, offset), doc in zip(jobs, nlp.pipe(texts, batch_size=512), strict=False):
            bucket = sentences.setdefault((index, turn.number), [])
            for sent in doc.sents:
                local = sent.text
                stripped = local.strip()
                if not stripped:
                    continue
                lead = len(local) - len(local.lstrip())
                start = offset + sent.start_char + lead
                bucket.append((start, start + len(stripped)))

    results: list[list[Segment]] = []
    for index, (text, turns, document_id, uid) in enumerate(documents):
        starts = line_starts(text)
        segments: list[Segment] = []
        for turn in turns:
            if turn.content_end <= turn.content_start:
                continue
            turn_segment = Segment(
                id=f"{uid}:{turn.number}",
                document_id=document_id,
                kind="turn",
                turn_number=turn.number,
                sentence_number=0,
                start=turn.content_start,
                end=turn.content_end,
                line=line_number(starts, turn.content_start),
                text=text[turn.content_start : turn.content_end],
                speaker=turn.speaker,
                role=turn.role,
                timestamp=turn.timestamp,
            )
            segments.append(turn_segment)
            for number, (start, end) in enumerate(sentences.get((index, turn.number), []), 1):
                # A sentence shares its turn's document, speaker, role and timestamp.
                segments.append(
                    replace(
                        turn_segment,
                        id=f"{uid}:{turn.number}.{number}",
                        kind="sentence",
                        sentence_number=number,
                        start=start,
                        end=end,
                        line=line_number(starts, start),
                        text=text[start:end],
                    )
                )
        results.append(segments)
    return results
