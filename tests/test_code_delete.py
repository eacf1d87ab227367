"""Deleting a code: refused while it has codings unless they move to another code; subcodes
move up to its parent; one undoable action that gives everything back."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwali.cli import cli
from kwali.errors import ProjectError
from kwali.model import Code
from kwali.store import Project

from helpers import STUDY_CODEBOOK, add_interview


def _sentences(project: Project):
    return [s for s in add_interview(project, "buurthuis") if s.kind == "sentence"]


@pytest.fixture
def study(project):
    project.set_codebook(STUDY_CODEBOOK, "kwali")
    sentences = _sentences(project)
    for s in sentences[:3]:
        project.add_coding(s.document_id, s.start, s.end, "sanctie", "anna")
    project.add_coding(
        sentences[0].document_id, sentences[0].start, sentences[0].end, "dwang", "bram"
    )
    project.add_memo("code", "sanctie", "Scherper afbakenen.", "anna")
    return project


def test_a_code_with_codings_is_refused_and_nothing_changes(study):
    before = study.codebook().codes
    with pytest.raises(ProjectError, match="die heeft 3 coderingen") as caught:
        study.delete_code("sanctie", "anna")
    assert "--move-to" in caught.value.one_line()
    assert study.codebook().codes == before
    assert len(study.codings(code_key="sanctie")) == 3


def test_move_to_moves_the_codings_and_memos_and_undo_restores(study):
    before = study.codebook().codes
    moved = study.delete_code("sanctie", "anna", move_to="dwang")
    assert moved == 3
    assert study.code("sanctie") is None
    assert len(study.codings(code_key="dwang")) == 4
    assert [m.text for m in study.memos("code", "dwang")] == ["Scherper afbakenen."]
    assert study.history(limit=1)[0].description == "delete code sanctie"
    study.undo("anna")
    assert study.codebook().codes == before
    assert len(study.codings(code_key="sanctie")) == 3
    assert len(study.codings(code_key="dwang")) == 1
    assert [m.text for m in study.memos("code", "sanctie")] == ["Scherper afbakenen."]


def test_subcodes_move_up_to_the_deleted_codes_parent(study):
    study.add_code(Code("brief", "Brieven", parent="taal"), "anna")
    study.delete_code("persoon", "anna")  # a category without codings of its own
    assert study.code("gezondheid").parent is None
    study.delete_code("taal", "anna")
    assert study.code("brief").parent is None
    study.undo("anna")
    study.undo("anna")
    assert study.code("gezondheid").parent == "persoon"
    assert study.code("brief").parent == "taal"


def test_the_codes_suggestions_go_with_it_and_come_back_on_undo(study):
    sentence = _sentences(study)[0]
    study.db.execute(
        'INSERT INTO suggestions (segment_id, document_id, start, "end", code_key, score, '
        "evidence, suggester, created) VALUES (?, ?, ?, ?, 'taal', 0.9, '[]', 't', 'nu')",
        (sentence.id, sentence.document_id, sentence.start, sentence.end),
    )
    assert study.code_use("taal")["suggestions"] == 1
    study.delete_code("taal", "anna")
    count = "SELECT COUNT(*) FROM suggestions WHERE code_key = 'taal'"
    assert study.db.execute(count).fetchone()[0] == 0
    study.undo("anna")
    assert study.db.execute(count).fetchone()[0] == 1


def test_unknown_codes_and_moving_onto_itself_are_refused(study):
    with pytest.raises(ProjectError, match="heeft geen code 'geen'"):
        study.delete_code("geen", "anna")
    with pytest.raises(ProjectError, match="heeft geen code 'geen'"):
        study.delete_code("sanctie", "anna", move_to="geen")
    with pytest.raises(ProjectError, match="zelf"):
        study.delete_code("sanctie", "anna", move_to="sanctie")


# -- the command ---------------------------------------------------------------------------
@pytest.fixture
def study_file(tmp_path: Path) -> Path:
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(STUDY_CODEBOOK, "kwali")
        for s in _sentences(project)[:2]:
            project.add_coding(s.document_id, s.start, s.end, "sanctie", "anna")
    return path


def test_cli_refuses_with_the_number_of_codings(study_file, runner):
    result = runner.invoke(cli, ["codebook", "delete", "-p", str(study_file), "sanctie", "--yes"])
    assert result.exit_code == 1
    assert "die heeft 2 coderingen" in result.output and "--move-to" in result.output
    assert len(result.output.strip().splitlines()) == 1
    with Project.open(study_file, readonly=True) as project:
        assert project.code("sanctie") is not None


def test_cli_moves_counts_and_asks(study_file, runner):
    args = ["codebook", "delete", "-p", str(study_file), "sanctie", "--move-to", "dwang"]
    result = runner.invoke(cli, [*args, "--coder", "anna"], input="n\n")
    assert (
        "de 2 coderingen en 0 memo's ervan gaan naar Ervaren verplichting (dwang)" in result.output
    )
    assert "Er is niets verwijderd." in result.output
    result = runner.invoke(cli, [*args, "--coder", "anna", "--yes"])
    assert result.exit_code == 0, result.output
    assert (
        "Code Sancties (sanctie) verwijderd; 2 coderingen verplaatst naar Ervaren verplichting (dwang)"
        in result.output
    )
    with Project.open(study_file) as project:
        assert project.code("sanctie") is None
        assert len(project.codings(code_key="dwang")) == 2
        project.undo("anna")
        assert len(project.codings(code_key="sanctie")) == 2


def test_cli_deletes_an_unused_code(study_file, runner):
    args = ["codebook", "delete", "-p", str(study_file), "taal", "--yes"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    with Project.open(study_file, readonly=True) as project:
        assert project.code("taal") is None
