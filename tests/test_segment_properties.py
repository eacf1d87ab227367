"""Property: whatever the transcript looks like, segments point exactly at the stored text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwali.io.encoding import normalise_newlines
from kwali.io.turns import detect_turns
from kwali.nlp import segment_transcript

WORDS = st.sampled_from(
    [
        "ja",
        "nou",
        "ik",
        "moest",
        "vrijwilligerswerk",
        "doen.",
        "Dat",
        "is",
        "verplicht!",
        "(…)",
        "[naam",
        "coach]",
        "al.",
        "u.",
        "…",
        "“zo",
        "gaat",
        "het”",
        "#00:01:02-3#",
        "Let",
        "op:",
        "bv.",
        "(lacht)",
        "één",
        "café",
        "😀",
        "?",
        "e.d.",
    ]
)
LABELS = st.sampled_from(
    ["I: ", "R: ", "[00:00:05] I: ", "00:01:10 R: ", "Sanne: ", "Werkzoekende (man): ", ""]
)
LINE = st.builds(lambda label, words: label + " ".join(words), LABELS, st.lists(WORDS, max_size=14))
BREAK = st.sampled_from(["\n", "\n\n", "\r\n", "\r\n\r\n", "\r"])


@st.composite
def transcripts(draw) -> str:  # type: ignore[no-untyped-def]
    lines = draw(st.lists(LINE, min_size=1, max_size=12))
    breaks = [draw(BREAK) for _ in lines]
    return "".join(line + brk for line, brk in zip(lines, breaks, strict=True))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=transcripts())
def test_segments_always_match_the_stored_text(nlp, raw):
    text, _ = normalise_newlines(raw)
    turns = detect_turns(text)
    for turn in turns:
        assert 0 <= turn.start <= turn.content_start <= turn.content_end <= turn.end <= len(text)
    segments = segment_transcript(nlp, text, turns, document_id=1, uid="p")
    ids = [s.id for s in segments]
    assert len(ids) == len(set(ids))
    for segment in segments:
        assert text[segment.start : segment.end] == segment.text
        assert segment.text.strip() == segment.text and segment.text
        turn = turns[segment.turn_number - 1]
        assert turn.content_start <= segment.start <= segment.end <= turn.content_end
    again = segment_transcript(nlp, text, detect_turns(text), document_id=1, uid="p")
    assert [(s.id, s.start, s.end) for s in again] == [(s.id, s.start, s.end) for s in segments]
