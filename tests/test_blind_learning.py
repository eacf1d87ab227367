"""Blind coding stays blind when kwali learns: a coder sees a learned suggestion only when it
learned from their own codings; one that another coder's codings taught shows as the rules
alone made it, or not at all. And learning waits for enough codings of a code."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kwali.app.importing import import_files
from kwali.app.reviewing import open_suggestions
from kwali.app.suggesting import suggest_project
from kwali.cli import cli
from kwali.errors import ProjectError
from kwali.model import LEARNED_KIND, Suggestion
from kwali.store import Project
from kwali.ui.screens.coding_state import DocumentState

from helpers import SUGGESTING_CODEBOOK as BOOK

# Invented sentences. No signal fires on "bladblazer": only a model taught by the coders'
# codings suggests dwang there. "verplicht" is the rules' own evidence for dwang.
INTERVIEW = (
    "I: Wat doet u daar?\n\n"
    "R: Ik sta met een bladblazer in het park. Mijn rug doet pijn. De bladblazer is zwaar. "
    "Daarna drinken we koffie. Ik werk met een bladblazer op straat. De bus was laat. "
    "Weer die bladblazer vandaag. Mijn buurvrouw belde nog. "
    "Met de bladblazer doe ik het werk van de gemeente.\n\n"
    "I: Nog iets?\n\n"
    "R: Het is verplicht, ik moet wel met die bladblazer. "
    "Een nieuwe bladblazer kwam vanmorgen. Het is verplicht om te komen.\n"
)
TAUGHT = 5  # anna codes the first five bladblazer sentences as dwang
MIXED = "Het is verplicht, ik moet wel met die bladblazer."  # rules and learning both fire
LEARNED_ONLY = "Een nieuwe bladblazer kwam vanmorgen."  # only learning fires


def _build(project: Project, folder: Path) -> tuple[int, dict[str, str]]:
    """The interview, the rules' suggestions, anna's codings; (document id, text -> segment id)."""
    path = folder / "park.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    [imported] = import_files(project, [path])
    assert imported.document is not None
    document = imported.document.id
    suggest_project(project, codebook=BOOK)
    sentences = project.segments(document, kind="sentence")
    taught = [s for s in sentences if "bladblazer" in s.text][:TAUGHT]
    for sentence in taught:
        project.add_coding(document, sentence.start, sentence.end, "dwang", "anna")
    # bob has read on too (his last coding lies past every sentence), leaving the rest uncoded
    last = sentences[-1]
    project.add_coding(document, last.start, last.end, "dwang", "bob")
    return document, {s.text: s.id for s in sentences}


def _on(suggestions: list[Suggestion], segment_id: str) -> dict[str, Suggestion]:
    return {s.code_key: s for s in suggestions if s.segment_id == segment_id}


def _learned(suggestion: Suggestion) -> bool:
    return any(e.kind == LEARNED_KIND for e in suggestion.evidence)


def test_a_blind_coder_sees_what_others_taught_only_as_the_rules_made_it(project, tmp_path):
    document, ids = _build(project, tmp_path)
    rules = _on(project.suggestions(document_id=document), ids[MIXED])["dwang"]
    result = suggest_project(project, learn=True, learn_from=["anna"], min_codings=TAUGHT)
    assert result.learned_codings >= TAUGHT and not result.too_few

    # Not blind, bob sees what anna's codings taught, with the learned words as evidence.
    seen = open_suggestions(project, document, "bob", blind=False)
    assert _learned(_on(seen, ids[LEARNED_ONLY])["dwang"])
    assert _learned(_on(seen, ids[MIXED])["dwang"])

    # Blind, bob sees no trace of anna's decisions: the learned-only one is gone, the mixed
    # one is the rules' own, with the rules' score and evidence; in the coding screen too.
    blind = open_suggestions(project, document, "bob", blind=True)
    assert not any(_learned(s) for s in blind)
    assert "dwang" not in _on(blind, ids[LEARNED_ONLY])
    shown = _on(blind, ids[MIXED])["dwang"]
    assert (shown.score, shown.evidence) == (rules.score, rules.evidence)
    state = DocumentState(project, document, "bob", blind=True)
    assert state.open.get(ids[LEARNED_ONLY], []) == []
    assert [s.evidence for s in state.open[ids[MIXED]]] == [rules.evidence]

    # anna taught it herself: blind, she sees all of it.
    hers = open_suggestions(project, document, "anna", blind=True)
    assert _learned(_on(hers, ids[LEARNED_ONLY])["dwang"])
    assert _learned(DocumentState(project, document, "anna", blind=True).open[ids[MIXED]][0])


def test_learned_from_everyone_no_blind_coder_sees_the_learning(project, tmp_path):
    document, ids = _build(project, tmp_path)
    suggest_project(project, learn=True, min_codings=TAUGHT)  # anna's and bob's codings
    for coder in ("anna", "bob", "carla"):
        blind = open_suggestions(project, document, coder, blind=True)
        assert blind and not any(_learned(s) for s in blind), coder
    assert any(_learned(s) for s in open_suggestions(project, document, "carla", blind=False))


def test_a_learned_suggestion_of_unknown_origin_stays_hidden_when_blind(project, tmp_path):
    """One stored before kwali noted where suggestions come from: whose it is is unknown."""
    document, ids = _build(project, tmp_path)
    suggest_project(project, learn=True, learn_from=["anna"], min_codings=TAUGHT)
    project.db.execute("DELETE FROM suggestion_sources")
    blind = open_suggestions(project, document, "anna", blind=True)
    assert not any(_learned(s) for s in blind) and "dwang" not in _on(blind, ids[MIXED])


def test_a_rules_run_after_learning_shows_everything_blind_again(project, tmp_path):
    document, ids = _build(project, tmp_path)
    suggest_project(project, learn=True, min_codings=TAUGHT)
    suggest_project(project)  # the rules alone again: nobody's decisions in them
    blind = open_suggestions(project, document, "bob", blind=True)
    assert blind == open_suggestions(project, document, "bob", blind=False)
    assert "dwang" in _on(blind, ids[MIXED])


def test_learning_waits_for_enough_codings_of_a_code(project, tmp_path):
    document, ids = _build(project, tmp_path)
    # four of anna's codings were enough before; now five of one code are needed by default
    first = project.codings(coder="anna")[0]
    project.remove_coding(first.id, "anna")
    with pytest.raises(ProjectError, match="geen code heeft er 5 of meer"):
        suggest_project(project, learn=True, learn_from=["anna"])
    result = suggest_project(project, learn=True, learn_from=["anna"], min_codings=4)
    assert result.learned_codings >= 4 and result.too_few == {}


def test_suggest_command_names_the_codes_with_too_few_codings(tmp_path):
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        document, ids = _build(project, tmp_path)
        for text in (MIXED, LEARNED_ONLY):
            segment = project.segment(ids[text])
            project.add_coding(document, segment.start, segment.end, "sanctie", "anna")
    result = CliRunner().invoke(cli, ["suggest", "-p", str(path), "--learn-from", "anna"])
    assert result.exit_code == 0, result.output
    assert "Niet geleerd, minder dan 5 bevestigde coderingen (--min-codings): sanctie (2)." in (
        result.output
    )
    # a blind bob, through the CLI's run and the coding screen's reading, sees none of it
    with Project.open(path) as project:
        state = DocumentState(project, document, "bob", blind=True)
        assert "dwang" not in {s.code_key for s in state.open.get(ids[LEARNED_ONLY], [])}
        assert not any(_learned(s) for items in state.open.values() for s in items)
    higher = CliRunner().invoke(cli, ["suggest", "-p", str(path), "--learn", "--min-codings", "50"])
    assert higher.exit_code == 1 and "Traceback" not in higher.output
    errors = [line for line in higher.output.splitlines() if line.startswith("kwali: fout:")]
    assert len(errors) == 1 and "geen code heeft er 50 of meer" in errors[0]
    zero = CliRunner().invoke(cli, ["suggest", "-p", str(path), "--learn", "--min-codings", "0"])
    assert zero.exit_code == 2 and "--min-codings" in zero.output


def test_the_survey_screen_reads_blind_answers_the_same_way(tmp_path):
    from survey_data import survey_project

    from kwali.app.survey_coding import QuestionAnswers, questions

    path = survey_project(tmp_path, respondents=80, suffix=".csv")
    with Project.open(path) as project:
        suggest_project(project)
        question = questions(project)[0]
        seen: set[str] = set()
        for suggestion in project.suggestions(document_id=question.document_id):
            if suggestion.segment_id not in seen:  # anna accepts the best of each answer
                seen.add(suggestion.segment_id)
                assert suggestion.id is not None
                project.accept_suggestion(suggestion.id, "anna")
        suggest_project(project, learn=True, learn_from=["anna"], min_codings=3)

        def learned_in(answers: QuestionAnswers) -> int:
            return sum(_learned(s) for a in answers.answers for s in a.suggestions)

        assert learned_in(QuestionAnswers(project, question, "bob", blind=False)) > 0
        blind = QuestionAnswers(project, question, "bob", blind=True)
        assert learned_in(blind) == 0

        def shown() -> list[tuple[str, str, float]]:
            return sorted(
                (s.segment_id, s.code_key, s.score) for a in blind.answers for s in a.suggestions
            )

        loaded = shown()
        blind.refresh(blind.answers)  # what a change in one answer re-reads: the same view
        assert learned_in(blind) == 0 and shown() == loaded and loaded
        assert learned_in(QuestionAnswers(project, question, "anna", blind=True)) > 0
