"""Who speaks ranks a code, never suggests it: a codebook's ``speakers`` signals, the gold
file's ``speaker_role`` and the evaluation that reads it.

Sentences here are invented for the tests (general Dutch), never quotes from the dev set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kwali.io.codebook import dump_codebook, parse_codebook
from kwali.model import Segment
from kwali.tagging.evaluate import evaluate
from kwali.tagging.gold import load_gold
from kwali.tagging.speakers import role_key, speaker_codes
from kwali.tagging.suggest import BORROWED_CEILING, DEFAULT_MIN_SCORE, Suggester

BOOK = """
name: sprekers
categories:
  - key: contact
    label: Contact
    codes:
      - key: begeleiding
        label: Contact en bejegening
        signals:
          lemmas: [coach]
          speakers: [Activeringscoach, klantmanager]
      - key: nazorg
        label: Nazorg
        signals:
          lemmas: [nazorg]
  - key: werk
    label: Werk
    codes:
      - key: betaald_werk
        label: Betaald werk
        signals:
          lemmas: [salaris, baan]
      - key: ontvangende_organisatie
        label: Ontvangende organisatie
        signals:
          lemmas: [buurthuis]
          speakers: [ontvangende_organisatie]
"""


@pytest.fixture(scope="module")
def suggester(nlp) -> Suggester:
    return Suggester(parse_codebook(BOOK), nlp)


def _ranked(suggester: Suggester, text: str, *roles: str) -> dict[str, tuple]:
    [ranked] = suggester.suggest_texts([text], [roles])
    return {s.code_key: s for s in ranked}


def test_roles_are_one_role_however_spelled() -> None:
    table = speaker_codes(parse_codebook(BOOK))
    assert table["activeringscoach"] == ("begeleiding",)
    assert table["ontvangende organisatie"] == ("ontvangende_organisatie",)
    assert role_key("Ontvangende_Organisatie ") == role_key("ontvangende-organisatie")


def test_speakers_survive_a_save_and_a_load() -> None:
    book = parse_codebook(BOOK)
    again = parse_codebook(dump_codebook(book))
    assert again.get("begeleiding").signals.speakers == ("activeringscoach", "klantmanager")
    assert again.get("betaald_werk").signals.speakers == ()


def test_who_speaks_ranks_a_code_without_suggesting_it(suggester) -> None:
    text = "Ik zie hem elke week en we praten dan over zijn week."
    alone = _ranked(suggester, text)
    said = _ranked(suggester, text, "klantmanager")
    assert "begeleiding" not in alone
    code = said["begeleiding"]
    assert 0 < code.score < DEFAULT_MIN_SCORE
    assert [e.rule for e in code.evidence] == ["speaker:klantmanager"]
    # the evidence is about who said it, not a word in the text
    assert (code.evidence[0].start, code.evidence[0].end) == (0, 0)


def test_a_role_the_codebook_does_not_name_changes_nothing(suggester) -> None:
    text = "Het buurthuis zocht mensen, maar ik wil een baan met salaris."
    assert _ranked(suggester, text, "werkzoekende") == _ranked(suggester, text)


def test_speaker_and_neighbours_together_stay_below_a_suggestion(suggester) -> None:
    # nazorg is begeleiding's sibling; the coach named outright lends it the related weight,
    # and betaald_werk, suggested, lends ontvangende_organisatie its own: with the speaker
    # on top, a code with no words of its own still ranks below any suggestion.
    said = _ranked(suggester, "Ik wil een baan met salaris.", "ontvangende organisatie")
    assert said["betaald_werk"].score >= DEFAULT_MIN_SCORE
    host = said["ontvangende_organisatie"]
    assert {e.kind for e in host.evidence} == {"speaker", "related"}
    assert host.score <= BORROWED_CEILING < DEFAULT_MIN_SCORE


def test_the_speaker_lifts_a_code_with_words_of_its_own_a_little(suggester) -> None:
    text = "Mijn coach belde gisteren."
    alone, said = _ranked(suggester, text)["begeleiding"], _ranked(suggester, text, "klantmanager")
    assert alone.score < said["begeleiding"].score < alone.score + 0.15


def test_segments_carry_their_speaker_but_store_no_speaker_only_suggestion(suggester) -> None:
    texts = ["We praten over zijn week.", "Mijn coach belde."]
    segments, start = [], 0
    for number, text in enumerate(texts, start=1):
        # two turns, so neither sentence lends the other its words
        segments.append(
            Segment(f"s{number}", 1, "sentence", number, 1, start, start + len(text), 1, text)
        )
        start += len(text) + 1
    plain = suggester.suggest_segments(segments)
    said = suggester.suggest_segments(
        segments, speakers={"s1": ("klantmanager",), "s2": ("klantmanager",)}
    )
    assert {(s.segment_id, s.code_key) for s in plain} == {(s.segment_id, s.code_key) for s in said}
    [coach] = [s for s in said if s.segment_id == "s2"]
    [before] = [s for s in plain if s.segment_id == "s2"]
    assert coach.score > before.score
    speaker = next(e for e in coach.evidence if e.kind == "speaker")
    assert speaker.start == speaker.end == segments[1].start


def test_evaluation_reads_who_spoke_from_the_gold_file(tmp_path: Path, suggester) -> None:
    records = [
        {
            "text": "We praten over zijn week.",
            "themes": ["begeleiding"],
            "speaker_role": "klantmanager",
        },
        {"text": "Ik heb een baan met salaris.", "themes": ["betaald_werk"]},
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    items = load_gold(gold)
    assert [i.speaker for i in items] == ["klantmanager", ""]
    result = evaluate(items, suggester.codebook, suggester)
    assert result.scores.recall_at_k == 1.0  # begeleiding is in the first text's top three
    assert result.scores.micro_recall == 0.5  # but it is not suggested there
