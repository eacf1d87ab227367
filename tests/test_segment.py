"""Segmentation: offsets always point at the stored text, ids are stable, lines citable."""

from __future__ import annotations

from kwali.io.turns import detect_turns
from kwali.nlp import segment_transcript
from kwali.nlp.segment import line_number, line_starts

TEXT = (
    "FICTIEF — voorbeeld\n\n"
    "[00:00:03] I: Wat doet u (…) op dit moment?\n\n"
    "[00:00:09] R: Nou… ik doe vrijwilligerswerk bij [naam buurthuis]. Mijn zoon helpen mij met de brieven!\n"
    "Dat moet van de gemeente, zeg maar. Ik vind dat niet eerlijk\n"
    "want het was vroeger betaald werk.\n"
)


def test_every_segment_text_equals_the_stored_text_at_its_offsets(nlp):
    segments = segment_transcript(nlp, TEXT, detect_turns(TEXT), document_id=7, uid="abc")
    assert segments
    for segment in segments:
        assert TEXT[segment.start : segment.end] == segment.text
        assert segment.document_id == 7
        assert segment.text == segment.text.strip()


def test_sentences_split_inside_turns_and_at_line_breaks(nlp):
    segments = segment_transcript(nlp, TEXT, detect_turns(TEXT), document_id=1, uid="abc")
    answer = [s.text for s in segments if s.kind == "sentence" and s.turn_number == 3]
    assert answer == [
        "Nou… ik doe vrijwilligerswerk bij [naam buurthuis].",
        "Mijn zoon helpen mij met de brieven!",
        "Dat moet van de gemeente, zeg maar.",
        "Ik vind dat niet eerlijk",
        "want het was vroeger betaald werk.",
    ]
    # learner Dutch, placeholders and (…) are untouched
    assert "(…)" in segments[2].text and "[naam buurthuis]" in answer[0]


def test_ids_are_stable_across_runs_and_references_citable(nlp):
    first = segment_transcript(nlp, TEXT, detect_turns(TEXT), document_id=1, uid="abc")
    second = segment_transcript(nlp, TEXT, detect_turns(TEXT), document_id=1, uid="abc")
    assert [s.id for s in first] == [s.id for s in second]
    assert len({s.id for s in first}) == len(first)
    sentence = next(s for s in first if s.text.startswith("Dat moet"))
    assert sentence.id == "abc:3.3"
    assert sentence.reference(4) == "4:3.3"
    assert sentence.line == 6
    assert sentence.speaker == "R" and sentence.timestamp == 9.0


def test_line_numbers():
    starts = line_starts("a\nbb\n\nc")
    assert [line_number(starts, i) for i in (0, 2, 5, 6)] == [1, 2, 3, 4]


def test_opening_brackets_and_quotes_start_the_next_sentence(nlp):
    text = 'R: Ja. (lacht) Ik dacht het al. "Dat moet", zei ze. [Stilte] Oké.'
    segments = segment_transcript(nlp, text, detect_turns(text), document_id=1, uid="u")
    assert [s.text for s in segments if s.kind == "sentence"] == [
        "Ja.",
        "(lacht) Ik dacht het al.",
        '"Dat moet", zei ze.',
        "[Stilte] Oké.",
    ]


def test_f4_marks_closing_paragraphs_inside_a_turn_are_not_speech(nlp):
    text = "Werkzoekende (man): Eerste alinea. #00:06:00-9#\nTweede alinea. #00:06:30-1#\n"
    segments = segment_transcript(nlp, text, detect_turns(text), document_id=1, uid="u")
    assert [s.text for s in segments if s.kind == "sentence"] == [
        "Eerste alinea.",
        "Tweede alinea.",
    ]


def test_ordinary_words_ending_a_sentence_are_not_abbreviations(nlp):
    text = "R: Dank u. Nou, ik dacht het al. Dat is bv. zo. Toen ging ik."
    segments = segment_transcript(nlp, text, detect_turns(text), document_id=1, uid="u")
    assert [s.text for s in segments if s.kind == "sentence"] == [
        "Dank u.",
        "Nou, ik dacht het al.",
        "Dat is bv. zo.",
        "Toen ging ik.",
    ]
