"""`kwali memo add|list|edit|remove`: memos on every target from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwali.cli import cli
from kwali.store import Project

from helpers import code_two_coders


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        code_two_coders(project)
    return path


def memo(runner, study: Path, *args: str, input: str | None = None):
    command, rest = args[0], args[1:]
    return runner.invoke(cli, ["memo", command, "-p", str(study), *rest], input=input)


def test_add_on_every_kind_of_target(runner, study: Path) -> None:
    with Project.open(study, readonly=True) as project:
        coding = project.codings(coder="anna", code_key="dwang")[0]
    for target in (
        ["--project"],
        ["--document", "buurthuis"],
        ["--code", "dwang"],
        ["--segment", "1:2.1"],
        ["--coding", str(coding.id)],
    ):
        result = memo(runner, study, "add", "--coder", "anna", *target, f"over {target[0]}")
        assert result.exit_code == 0, result.output
        assert "opgeslagen (ongedaan maken verwijdert hem)" in result.output
    listed = memo(runner, study, "list")
    assert listed.exit_code == 0
    for about in ("Project", "document 1 · buurthuis", "code Dwang", "1:2.1", "codering Dwang"):
        assert about in listed.output
    assert listed.output.strip().endswith("5 memo's.")
    with Project.open(study, readonly=True) as project:
        assert project.require_coding(coding.id).memo == "over --coding"


def test_add_reads_standard_input_for_a_dash(runner, study: Path) -> None:
    text = "Eerste regel.\nTweede regel."
    result = memo(runner, study, "add", "--coder", "anna", "--project", "-", input=text)
    assert result.exit_code == 0, result.output
    with Project.open(study, readonly=True) as project:
        assert [m.text for m in project.memos("project")] == [text]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (["--document", "99"], "heeft geen document '99'"),
        (["--code", "onbekend"], "heeft geen code 'onbekend'"),
        (["--segment", "1:42.1"], "heeft geen zin 1:42.1"),
        (["--coding", "9999"], "heeft geen codering '9999'"),
    ],
)
def test_an_unknown_target_is_one_line_and_changes_nothing(
    runner, study: Path, target: list[str], message: str
) -> None:
    result = memo(runner, study, "add", "--coder", "anna", *target, "tekst")
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    with Project.open(study, readonly=True) as project:
        assert project.memos() == []


def test_add_needs_exactly_one_target(runner, study: Path) -> None:
    result = memo(runner, study, "add", "--coder", "anna", "--project", "--code", "dwang", "x")
    assert result.exit_code == 2
    assert "een van --project" in result.output


def test_list_filters_and_blind_hides_other_coders(runner, study: Path) -> None:
    memo(runner, study, "add", "--coder", "anna", "--code", "dwang", "Angst voor korting")
    memo(runner, study, "add", "--coder", "bram", "--code", "Dwang", "Bram zijn memo")
    memo(runner, study, "add", "--coder", "anna", "--segment", "1:1.1", "Brief")
    by_kind = memo(runner, study, "list", "--kind", "segment")
    assert "Brief" in by_kind.output and "Angst" not in by_kind.output
    searched = memo(runner, study, "list", "--search", "KORTING")
    assert "Angst voor korting" in searched.output and "1 memo." in searched.output
    blind = memo(runner, study, "list", "--coder", "anna", "--blind")
    assert "Bram zijn memo" not in blind.output and "2 memo's." in blind.output
    by_code = memo(runner, study, "list", "--code", "dwang")
    assert "Bram zijn memo" in by_code.output and "Brief" not in by_code.output


def test_edit_only_by_its_author(runner, study: Path) -> None:
    memo(runner, study, "add", "--coder", "bram", "--project", "Van bram")
    refused = memo(runner, study, "edit", "--coder", "anna", "1", "Van anna")
    assert refused.exit_code == 1
    assert "geschreven door bram" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    done = memo(runner, study, "edit", "--coder", "bram", "1", "Van bram, herzien")
    assert done.exit_code == 0, done.output
    with Project.open(study, readonly=True) as project:
        assert [m.text for m in project.memos()] == ["Van bram, herzien"]


def test_remove_asks_and_undo_brings_it_back(runner, study: Path) -> None:
    memo(runner, study, "add", "--coder", "anna", "--document", "1", "Weg ermee")
    kept = memo(runner, study, "remove", "--coder", "anna", "1", input="n\n")
    assert "Er is niets verwijderd." in kept.output
    gone = memo(runner, study, "remove", "--coder", "anna", "1", "--yes")
    assert gone.exit_code == 0, gone.output
    with Project.open(study) as project:
        assert project.memos() == []
        project.undo("anna")
        assert [m.text for m in project.memos()] == ["Weg ermee"]
