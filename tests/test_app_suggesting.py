"""Suggesting over a project: incremental, respondent turns only, never a coding by itself."""

from __future__ import annotations

import pytest

from kwali.app.importing import import_files
from kwali.app.suggesting import suggest_project

from helpers import SUGGESTING_CODEBOOK, add_teaching_interview


def test_suggestions_skip_the_interviewer_and_run_incrementally(project, tmp_path):
    path = tmp_path / "int.txt"
    path.write_text(
        "Kop: verplicht gekort verplicht\n\nI: Is het verplicht, denkt u?\n\nR: Ja, het is verplicht. Anders word je gekort.\n",
        encoding="utf-8",
    )
    import_files(project, [path])
    first = suggest_project(project, codebook=SUGGESTING_CODEBOOK)
    assert first.documents == 1 and first.suggestions >= 2
    suggestions = project.suggestions()
    assert {s.code_key for s in suggestions} >= {"dwang", "sanctie"}
    roles = {project.segment(s.segment_id).role for s in suggestions}
    assert roles == {"respondent"}
    assert project.codings() == []  # nothing is applied without a person confirming it
    again = suggest_project(project)
    assert again.documents == 0
    with_interviewer = suggest_project(project, redo_all=True, include_interviewer=True)
    assert with_interviewer.suggestions > first.suggestions


def test_training_examples_are_what_the_coder_read(project, tmp_path):
    from kwali.app.suggesting import training_examples

    add_teaching_interview(project, tmp_path)
    examples = training_examples(project)
    texts = [e.text for e in examples]
    assert not any("nog niet gelezen" in t for t in texts)  # after anna's last coding
    assert not any(t.startswith("Wat doet") for t in texts)  # the interviewer's
    coded = [e for e in examples if e.codes]
    assert len(coded) == 5 and all(e.codes == {"dwang"} for e in coded)
    assert any(e.text.startswith("Mijn rug") and not e.codes for e in examples)
    assert training_examples(project, coders=["bob"]) == []


def test_learning_suggests_what_the_team_taught_and_replaces_the_rules_run(project, tmp_path):
    from kwali.errors import ProjectError

    document, sentences = add_teaching_interview(project, tmp_path)
    unread = next(s for s in sentences if "nog niet" in s.text)
    assert not project.suggestions(segment_id=unread.id)  # no signal of the codebook fires
    result = suggest_project(project, learn=True)
    assert "+learned." in result.suggester and result.learned_codings == 5
    assert {s.suggester for s in project.suggestions()} == {result.suggester}  # one generation
    [learned] = project.suggestions(segment_id=unread.id)
    assert learned.code_key == "dwang"
    assert any(e.rule == "learned:bladblazer" for e in learned.evidence)
    # What anna already coded is not put to her again.
    coded = {c.start for c in project.codings(coder="anna")}
    assert all(s.start not in coded for s in project.suggestions(open_for="anna"))
    with pytest.raises(ProjectError, match="geen bevestigde coderingen om van te leren"):
        suggest_project(project, learn=True, learn_from=["bob"])


def test_suggest_command_learns_from_one_coder(tmp_path):
    from click.testing import CliRunner

    from kwali.cli import cli
    from kwali.store import Project

    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        add_teaching_interview(project, tmp_path)
    result = CliRunner().invoke(
        cli, ["suggest", "-p", str(path), "--learn-from", "anna"]
    )  # implies --learn
    assert result.exit_code == 0, result.output
    assert "Geleerd van 5 bevestigde coderingen" in result.output and "+learned." in result.output
    nobody = CliRunner().invoke(cli, ["suggest", "-p", str(path), "--learn-from", "bob"])
    assert nobody.exit_code == 1 and "Traceback" not in nobody.output
    errors = [line for line in nobody.output.splitlines() if line.startswith("kwali: fout:")]
    assert len(errors) == 1 and "geen bevestigde coderingen om van te leren" in errors[0]


def test_who_said_it_reaches_the_project_suggestions(project, tmp_path):
    from kwali.io.codebook import parse_codebook

    book = parse_codebook(
        """
name: t
codes:
  - key: begeleiding
    label: Contact
    signals: {lemmas: [coach], speakers: [klantmanager]}
  - key: zelfregie
    label: Zelf
    signals: {lemmas: [coach]}
"""
    )
    path = tmp_path / "km.txt"
    path.write_text("I: Hoe gaat het?\n\nR: Ik ben zelf coach geweest.\n", encoding="utf-8")
    import_files(project, [path])
    [document_id] = project.document_ids()
    suggest_project(project, codebook=book)
    plain = {s.code_key: s for s in project.suggestions()}
    project.set_attributes(document_id, {"rol": "klantmanager"})
    suggest_project(project, redo_all=True)
    said = {s.code_key: s for s in project.suggestions()}
    # the klantmanager's rol lifts begeleiding a little, with the evidence shown
    assert said["begeleiding"].score > plain["begeleiding"].score
    assert "speaker:klantmanager" in {e.rule for e in said["begeleiding"].evidence}
    assert said["zelfregie"].score == plain["zelfregie"].score
