"""Segment a transcript into turns and the sentences inside them.

Segments point into the stored text by offsets; the text itself is never changed, so
``text[segment.start:segment.end] == segment.text`` always holds. Ids are built from the
document's content hash and the turn/sentence numbers, so the same text segmented again
gets the same ids.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence

from spacy.language import Language

from kwali.model import Segment, Turn
from kwali.nlp.pipeline import BLANK_PIPES, OPENERS


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


# Each turn's sentences as (start, end) offsets into the document's text, by turn number.
SentenceBounds = dict[int, list[tuple[int, int]]]


def segment_many(
    nlp: Language, documents: Sequence[tuple[str, Sequence[Turn], int, str]]
) -> list[list[Segment]]:
    """Segment several documents in one ``nlp.pipe`` stream (much faster than one by one)."""
    bounds = sentence_bounds(nlp, [(text, turns) for text, turns, _id, _uid in documents])
    return [
        turn_segments(text, turns, found, document_id, uid)
        for (text, turns, document_id, uid), found in zip(documents, bounds, strict=True)
    ]


def sentence_bounds(
    nlp: Language, documents: Sequence[tuple[str, Sequence[Turn]]]
) -> list[SentenceBounds]:
    """Where the sentences of each document's turns are: the spaCy part of segmenting, as
    plain data (a worker process can send it back cheaply)."""
    jobs: list[tuple[int, Turn, int]] = []  # (document index, turn, piece offset)
    texts: list[str] = []
    for index, (text, turns) in enumerate(documents):
        for turn in turns:
            for offset, piece in _pieces(text, turn):
                jobs.append((index, turn, offset))
                texts.append(piece)

    found: list[SentenceBounds] = [{} for _ in documents]
    for (index, turn, offset), spans in zip(jobs, sentence_spans(nlp, texts), strict=True):
        bucket = found[index].setdefault(turn.number, [])
        bucket.extend((offset + start, offset + end) for start, end in spans)
    return found


def sentence_spans(nlp: Language, texts: Sequence[str]) -> Iterator[list[tuple[int, int]]]:
    """Each text's sentences as (start, end) offsets, without the space around them."""
    if tuple(nlp.pipe_names) == BLANK_PIPES:
        yield from _blank_sentence_spans(nlp, texts)
        return
    # Only the sentencizer is needed to find boundaries; lemmas are for tagging later.
    enabled = [
        name
        for name in ("sentencizer", "kwali_sentence_openers", "senter", "parser")
        if nlp.has_pipe(name)
    ]
    with nlp.select_pipes(enable=enabled):
        for text, doc in zip(texts, nlp.pipe(texts, batch_size=512), strict=True):
            spans = []
            for sent in doc.sents:
                local = text[sent.start_char : sent.end_char]
                stripped = local.strip()
                if not stripped:
                    continue
                start = sent.start_char + len(local) - len(local.lstrip())
                spans.append((start, start + len(stripped)))
            yield spans


def _blank_sentence_spans(nlp: Language, texts: Sequence[str]) -> Iterator[list[tuple[int, int]]]:
    """:func:`sentence_spans` on the built-in pipeline: its sentencizer and
    ``kwali_sentence_openers`` rules, worked on arrays of the tokens instead of Token objects
    (which cost more than the tokenizer itself)."""
    punct_chars = nlp.get_pipe("sentencizer").punct_chars  # type: ignore[attr-defined]
    strings = nlp.vocab.strings
    # per word form: (its text, in punct_chars, is punctuation, an opener)
    forms: dict[int, tuple[str, bool, bool, bool]] = {}
    for text in texts:
        doc = nlp.make_doc(text)
        rows = doc.to_array(["ORTH", "IS_PUNCT", "IDX", "SPACY"]).tolist()
        n = len(rows)
        if not n:
            yield []
            continue
        tokens = []
        for orth, is_punct, idx, space in rows:
            form = forms.get(orth)
            if form is None:
                word = strings[orth]
                form = forms[orth] = (word, word in punct_chars, bool(is_punct), word in OPENERS)
            tokens.append((form, idx, space))
        # The sentencizer: a sentence starts at the first token after sentence punctuation
        # that is not punctuation itself.
        starts = [False] * n
        starts[0] = True
        seen_period = False
        for i, ((_word, in_punct, is_punct, _opener), _idx, _space) in enumerate(tokens):
            if seen_period and not is_punct and not in_punct:
                starts[i] = True
                seen_period = False
            elif in_punct:
                seen_period = True
        # kwali_sentence_openers: an opening bracket or quote goes with what follows.
        for t in range(1, n):
            if not starts[t]:
                continue
            i = t
            while i > 1 and tokens[i - 1][0][3] and not tokens[i - 1][2] and tokens[i - 2][2]:
                i -= 1
            if i != t:
                starts[i] = True
                for moved in range(i + 1, t + 1):
                    starts[moved] = False
        begins = [i for i in range(n) if starts[i]]
        spans = []
        for first, after in zip(begins, [*begins[1:], n], strict=True):
            last = tokens[after - 1]
            start_char, end_char = tokens[first][1], last[1] + len(last[0][0])
            local = text[start_char:end_char]
            stripped = local.strip()
            if not stripped:
                continue
            start = start_char + len(local) - len(local.lstrip())
            spans.append((start, start + len(stripped)))
        yield spans


def turn_segments(
    text: str, turns: Sequence[Turn], bounds: SentenceBounds, document_id: int, uid: str
) -> list[Segment]:
    """Turn segments followed by their sentence segments, in text order."""
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
        for number, (start, end) in enumerate(bounds.get(turn.number, []), 1):
            # A sentence shares its turn's document, speaker, role and timestamp (made
            # directly: dataclasses.replace costs three times as much, per sentence).
            segments.append(
                Segment(
                    id=f"{uid}:{turn.number}.{number}",
                    document_id=document_id,
                    kind="sentence",
                    turn_number=turn.number,
                    sentence_number=number,
                    start=start,
                    end=end,
                    line=line_number(starts, start),
                    text=text[start:end],
                    speaker=turn.speaker,
                    role=turn.role,
                    timestamp=turn.timestamp,
                )
            )
    return segments
