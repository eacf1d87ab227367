"""The suggester: codes from compounds and phrases, evidence at the right characters, scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwali.io.codebook import load_codebook
from kwali.model import Code, Codebook, Segment, Signals, Suggestion
from kwali.tagging.suggest import Suggester, codebook_hash, noisy_or

SHIPPED = Path(__file__).resolve().parents[1] / "codebooks" / "tegenprestatie.yaml"


@pytest.fixture(scope="module")
def suggester(nlp) -> Suggester:
    return Suggester(load_codebook(SHIPPED), nlp)


def codes_of(suggester: Suggester, text: str, min_score: float = 0.5) -> dict[str, float]:
    [ranked] = suggester.suggest_texts([text])
    return {s.code_key: s.score for s in ranked if s.score >= min_score}


@pytest.mark.parametrize(
    "text, code",
    [
        ("Dat is gewoon werkverdringing.", "verdringing"),
        ("Het verdringingseffect is groot.", "verdringing"),
        ("Ik kreeg een uitkeringskorting van honderd euro.", "sanctie"),
        ("Ze hebben me gekort.", "sanctie"),
        ("Als stok achter de deur werkt dat wel.", "dwang"),
        ("Ik doe nu een taalcursus.", "taal"),
        ("Door de coronacrisis lag alles stil.", "corona"),
        ("Ik zorg voor mijn zieke moeder.", "mantelzorg"),
    ],
)
def test_compounds_words_and_phrases_hit_their_code(suggester, text, code):
    assert code in codes_of(suggester, text)


def test_a_neutral_sentence_gets_no_suggestion(suggester):
    assert codes_of(suggester, "Het regende gisteren en de tram was laat.") == {}


def test_exclusion_cancels_the_evidence_it_covers(suggester):
    assert "welbevinden" not in codes_of(suggester, "Ik werk bij een welzijnsorganisatie.", 0.0)
    assert "welbevinden" in codes_of(suggester, "Het is goed voor mijn welzijn.")


def test_exclusion_elsewhere_lowers_the_score(nlp):
    book = Codebook("t", (Code("x", "X", signals=Signals(lemmas=("boete",), exclude=("grapje",))),))
    plain, excluded = Suggester(book, nlp).suggest_texts(["Een boete.", "Een boete, grapje."])
    assert excluded[0].score < plain[0].score


def test_evidence_points_at_the_right_characters(suggester):
    text = "Mijn klantmanager dreigde met een uitkeringskorting, dat voelde als dwang."
    [ranked] = suggester.suggest_texts([text])
    seen = {}
    for scored in ranked:
        for ev in scored.evidence:
            assert text[ev.start : ev.end] == ev.text
            seen[(scored.code_key, ev.text)] = ev.rule
    assert seen[("sanctie", "uitkeringskorting")] == "compound:korting"
    assert seen[("dwang", "dwang")] == "name:dwang"  # the theme named outright
    assert seen[("begeleiding", "klantmanager")] == "lemma:klantmanager"


def test_scores_are_in_unit_interval_ranked_and_grow_with_evidence(suggester):
    one = codes_of(suggester, "Ik kreeg een sanctie.")["sanctie"]
    more = codes_of(suggester, "Ik kreeg een sanctie, een boete en een aangetekende brief.")[
        "sanctie"
    ]
    assert 0 < one < more <= 1
    [ranked] = suggester.suggest_texts(["Sanctie, boete, korting, en mijn klantmanager belde."])
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)


def test_noisy_or():
    assert noisy_or([]) == 0
    assert noisy_or([0.5, 0.5]) == pytest.approx(0.75)
    assert noisy_or([1.0, 0.2]) == 1.0


def test_segments_get_suggestions_in_document_coordinates(suggester):
    document = "I: Hoe gaat het?\nR: Ik vind werkverdringing echt een probleem.\n"
    start = document.index("Ik vind")
    end = document.index("\n", start)
    segment = Segment(
        id="abc:2.1",
        document_id=7,
        kind="sentence",
        turn_number=2,
        sentence_number=1,
        start=start,
        end=end,
        line=2,
        text=document[start:end],
    )
    suggestions = suggester.suggest_segments([segment])
    [hit] = [s for s in suggestions if s.code_key == "verdringing"]
    assert isinstance(hit, Suggestion) and hit.suggester == suggester.id
    assert (hit.segment_id, hit.document_id, hit.start, hit.end) == ("abc:2.1", 7, start, end)
    [ev] = hit.evidence
    assert document[ev.start : ev.end] == "werkverdringing" == ev.text
    assert all(s.score >= 0.5 for s in suggestions)


def test_suggester_id_changes_with_the_codebook(nlp):
    book = Codebook("t", (Code("x", "X", signals=Signals(lemmas=("boete",))),))
    changed = Codebook("t", (Code("x", "X", signals=Signals(lemmas=("boete", "straf"))),))
    first, second = Suggester(book, nlp), Suggester(changed, nlp)
    assert first.id.startswith("kwali-rules@") and first.id != second.id
    assert Suggester(book, nlp).id == first.id
    assert codebook_hash(book) != codebook_hash(changed)
    assert Suggester(book, nlp, weights={"lemma": 0.9}).id != first.id


def test_suggest_command_stores_suggestions_not_codings(tmp_path):
    from click.testing import CliRunner

    from kwali.cli import cli
    from kwali.store import Project

    project, interview = tmp_path / "studie.kwali", tmp_path / "int01.txt"
    interview.write_text(
        "FICTIEF\n\nI: Hoe gaat het?\n\nR: Ze dreigden met een uitkeringskorting. Het regende.\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["import", "--create", "-p", str(project), str(interview)]).exit_code
        == 0
    )
    result = runner.invoke(cli, ["suggest", "-p", str(project), "--codebook", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    with Project.open(project) as opened:
        suggestions = opened.suggestions()
        assert any(s.code_key == "sanctie" for s in suggestions)
        assert all(s.suggester.startswith("kwali-rules@") for s in suggestions)
        assert opened.codings() == []
        text = opened.document(1).text
        for s in suggestions:
            for ev in s.evidence:
                assert text[ev.start : ev.end] == ev.text
    again = runner.invoke(cli, ["suggest", "-p", str(project)])
    assert again.exit_code == 0 and "in 0 documenten" in again.output


def test_codebook_neighbours_rank_but_are_not_suggested(nlp):
    book = Codebook(
        "t",
        (
            Code("cat", "Cat", kind="category"),
            Code("a", "A", parent="cat", signals=Signals(lemmas=("boete",))),
            Code("b", "B", parent="cat", signals=Signals(lemmas=("werkgever",))),
            Code("c", "C", exclude="Een straf → a.", signals=Signals(lemmas=("kinderopvang",))),
        ),
    )
    [ranked] = Suggester(book, nlp).suggest_texts(["Ik kreeg een boete."])
    scores = {s.code_key: s for s in ranked}
    assert scores["a"].score >= 0.5
    assert 0 < scores["b"].score < 0.5 and 0 < scores["c"].score < 0.5  # sibling; pointer
    assert scores["b"].evidence[0].rule == "related:a"
    text = "Ik kreeg een boete."
    segment = Segment(
        id="s:1.1",
        document_id=1,
        kind="sentence",
        turn_number=1,
        sentence_number=1,
        start=0,
        end=len(text),
        line=1,
        text=text,
    )
    stored = Suggester(book, nlp).suggest_segments([segment])
    assert [s.code_key for s in stored] == ["a"]  # neighbours stay below the display score


def test_compound_heads_are_evidence(suggester):
    text = "Een jeugdhulpverlener kwam langs."
    [ranked] = suggester.suggest_texts([text])
    assert "head:hulpverlener" in {e.rule for s in ranked for e in s.evidence}
    assert "begeleiding" in codes_of(suggester, text)
