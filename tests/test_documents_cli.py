"""`kwali documents`: list, rename and remove documents; remove + undo gives everything back."""

from __future__ import annotations

import pytest

from kwali.app.history import action_text
from kwali.cli import cli
from kwali.model import Suggestion
from kwali.store import Project, Verb

from helpers import AGREEMENT_CODEBOOK, add_interview, code_units


@pytest.fixture
def study(tmp_path):
    """Two interviews; the first coded by anna and bram, with memos, a suggestion and a review."""
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
        first = [s for s in add_interview(project, "buurthuis") if s.kind == "sentence"]
        add_interview(project, "kringloop", ["Het is goed.", "Ik ga graag.", "Klaar."])
        document_id = first[0].document_id
        code_units(project, first, "anna", "dwang", [0, 1, 2])
        code_units(project, first, "bram", "plezier", [3])
        coding = project.codings(document_id=document_id, coder="anna")[0]
        project.add_memo("document", str(document_id), "over het buurthuis", "anna")
        project.add_memo("segment", first[1].id, "let op", "anna")
        project.add_memo("coding", str(coding.id), "twijfel", "bram")
        project.add_memo("project", "", "blijft staan", "anna")
        project.replace_suggestions(
            document_id,
            "kwali-rules@1",
            [
                Suggestion(
                    first[4].id, document_id, first[4].start, first[4].end, "brief", 0.8, (), "x"
                )
            ],
        )
        suggestion = project.suggestions(document_id=document_id)[0]
        assert suggestion.id is not None
        project.reject_suggestion(suggestion.id, "anna")
        project.set_attribute(document_id, "rol", "werkzoekende")
    return path


def _snapshot(project: Project) -> dict[str, list]:
    """Every row a document owns, in a comparable form."""
    tables = [
        "documents",
        "document_attributes",
        "turns",
        "segments",
        "codings",
        "memos",
        "suggestions",
        "suggestion_runs",
        "suggestion_reviews",
    ]
    return {t: sorted(tuple(r) for r in project.db.execute(f"SELECT * FROM {t}")) for t in tables}


def test_list_shows_numbers_names_attributes_turns_sentences_and_codings(study, runner):
    result = runner.invoke(cli, ["documents", "-p", str(study)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["1", "buurthuis"]
    assert "coderingen: anna 3, bram 1" in lines[0]
    assert "[rol=werkzoekende]" in lines[0]
    assert "zinnen" in lines[0] and "beurten" in lines[0]
    assert lines[1].split()[:2] == ["2", "kringloop"] and "coderingen: geen" in lines[1]
    assert lines[-1] == "2 documenten."


def test_list_needs_a_project(runner):
    result = runner.invoke(cli, ["documents"])
    assert result.exit_code != 0 and "--project" in result.output


def test_rename_by_number_and_by_name_and_undo(study, runner):
    result = runner.invoke(
        cli, ["documents", "rename", "-p", str(study), "1", "Buurthuis Zuid", "--coder", "anna"]
    )
    assert result.exit_code == 0, result.output
    assert "buurthuis heet nu Buurthuis Zuid" in result.output
    result = runner.invoke(
        cli, ["documents", "rename", "-p", str(study), "kringloop", "Kringloop", "--coder", "anna"]
    )
    assert result.exit_code == 0, result.output
    with Project.open(study) as project:
        assert [d.name for d in project.document_summaries()] == ["Buurthuis Zuid", "Kringloop"]
        undone = project.undo("anna")
        assert undone is not None and undone.verb is Verb.RENAME_DOCUMENT
        assert action_text(undone) == "document kringloop hernoemd tot Kringloop"
        project.undo("anna")
        assert [d.name for d in project.document_summaries()] == ["buurthuis", "kringloop"]


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1", "kringloop"], "heeft al een document met de naam 'kringloop'"),
        (["1", "kringloop.txt"], "heeft al een document met de naam 'kringloop.txt'"),
        (["1", "7"], "kan geen getal zijn"),
        (["1", "  "], "kan niet leeg zijn"),
        (["9", "nieuw"], "heeft geen document '9'"),
        (["onbekend", "nieuw"], "heeft geen document 'onbekend'"),
    ],
)
def test_rename_refuses_in_one_line_and_changes_nothing(study, runner, args, message):
    with Project.open(study) as project:
        before = _snapshot(project)
        actions = len(project.history(limit=1000))
    result = runner.invoke(cli, ["documents", "rename", "-p", str(study), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith(f"kwali: fout: {study}: ")
    with Project.open(study) as project:
        assert _snapshot(project) == before
        assert len(project.history(limit=1000)) == actions


def test_remove_says_what_goes_and_asks(study, runner):
    result = runner.invoke(cli, ["documents", "remove", "-p", str(study), "1"], input="n\n")
    assert result.exit_code == 0, result.output
    assert "gaat weg met 4 coderingen, 3 memo's en 1 suggestie" in result.output
    assert "Er is niets verwijderd." in result.output
    with Project.open(study) as project:
        assert len(project.document_summaries()) == 2
    result = runner.invoke(cli, ["documents", "remove", "-p", str(study), "buurthuis"], input="y\n")
    assert result.exit_code == 0, result.output
    assert "Document 1: buurthuis verwijderd" in result.output
    with Project.open(study) as project:
        assert [d.name for d in project.document_summaries()] == ["kringloop"]


def test_remove_then_undo_gives_back_everything_with_the_same_ids(study, runner):
    with Project.open(study) as project:
        before = _snapshot(project)
        sentence_ids = [s.id for s in project.segments(1)]
    result = runner.invoke(
        cli, ["documents", "remove", "-p", str(study), "1", "--yes", "--coder", "anna"]
    )
    assert result.exit_code == 0, result.output
    with Project.open(study) as project:
        after = _snapshot(project)
        assert [r[0] for r in after["documents"]] == [2]
        for table in ("codings", "suggestions", "suggestion_reviews", "document_attributes"):
            assert after[table] == [], table
        assert [r[1] for r in after["memos"]] == ["project"]  # the project memo stays
        assert {r[1] for r in after["segments"]} == {2} and {r[0] for r in after["turns"]} == {2}
        undone = project.undo("anna")
        assert undone is not None and action_text(undone) == "document buurthuis verwijderd"
        assert _snapshot(project) == before
        assert [s.id for s in project.segments(1)] == sentence_ids
        assert len(project.codings(document_id=1, coder="anna")) == 3
        # redo removes it again, and a second undo brings it back again
        assert project.redo("anna") is not None
        assert _snapshot(project) == after
        project.undo("anna")
        assert _snapshot(project) == before


@pytest.mark.sqlite_only
def test_remove_of_an_unknown_document_is_one_line(study, runner):
    result = runner.invoke(cli, ["documents", "remove", "-p", str(study), "12", "--yes"])
    assert result.exit_code == 1
    assert result.output == f"kwali: fout: {study}: heeft geen document '12'\n"
