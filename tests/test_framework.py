"""The framework matrix (kwali.app.framework) and `kwali cases summary`: counts checked by
hand on a group interview whose coaches are cases (tests/framework_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from framework_helpers import FRAMEWORK_CODEBOOK, build_framework_study

from kwali.app.framework import default_codes, find_unit, framework
from kwali.cli import cli
from kwali.errors import ProjectError
from kwali.store import Project


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "kader.kwali"
    with Project.create(path) as project:
        build_framework_study(project, tmp_path)
    return path


def _counts(grid) -> dict[str, list[int]]:
    return {u.name: [grid.quote_count(u, c.key) for c in grid.codes] for u in grid.units}


def test_quote_counts_by_hand(study: Path) -> None:
    with Project.open(study, readonly=True) as project:
        grid = framework(project)
    # Columns: the top-level codes (the category ervaring counts dwang and plezier).
    assert [c.key for c in grid.codes] == ["ervaring", "gezondheid"]
    # coach-a: "Ze komen elke week." (bram) and "Sommigen moeten ..." (anna); "Veel rugklachten."
    # coach-b: "Ik zie vooral plezier." (anna and bram: one quote) and "Het werk ...".
    # groep: the interviewer's question coded gezondheid counts for the document;
    # interview: no cases, its dwang counts; its consensus coding never does.
    assert _counts(grid) == {
        "coach-a": [2, 1],
        "coach-b": [2, 0],
        "groep": [0, 1],
        "interview": [1, 0],
    }
    assert [u.kind for u in grid.units] == ["case", "case", "document", "document"]
    assert grid.counted_as == "cases (gekoppelde sprekers) en documenten (de rest)"


def test_quotes_carry_reference_speaker_and_coders(study: Path) -> None:
    with Project.open(study, readonly=True) as project:
        grid = framework(project)
    coach_b = grid.units[1]
    quotes = grid.cell(coach_b, "ervaring").quotes
    assert [(q.reference, q.speaker, q.codes, q.coders, q.text) for q in quotes] == [
        ("1:3.1", "Coach B", ("plezier",), ("anna", "bram"), "Ik zie vooral plezier."),
        ("1:3.2", "Coach B", ("plezier",), ("anna",), "Het werk geeft structuur."),
    ]
    assert quotes[0].who.startswith("Coach B")


def test_chosen_codes_and_blind_coder(study: Path) -> None:
    with Project.open(study, readonly=True) as project:
        grid = framework(project, ["Dwang", "plezier"], coders=["anna"])
    assert [c.key for c in grid.codes] == ["dwang", "plezier"]
    # Only anna's codings: bram's "Ze komen elke week." is gone; groep shows no row (nothing
    # of anna's counts for it on these codes, and its coaches are cases).
    assert _counts(grid) == {"coach-a": [1, 0], "coach-b": [0, 2], "interview": [1, 0]}


def test_default_codes_of_a_flat_codebook_are_all_codes() -> None:
    from kwali.model import Code, Codebook

    flat = Codebook("f", (Code("a", "A"), Code("b", "B")))
    assert [c.key for c in default_codes(flat)] == ["a", "b"]
    assert [c.key for c in default_codes(FRAMEWORK_CODEBOOK)] == ["ervaring", "gezondheid"]


def test_summaries_per_coder_and_blind(study: Path) -> None:
    with Project.open(study) as project:
        case = find_unit(project, "coach-a")
        project.write_summary("case", case.id, "ervaring", "Ziet vooral plicht.", "anna")
        project.write_summary("case", case.id, "ervaring", "Komt trouw.", "bram")
        everyone = framework(project).cell(case, "ervaring")
        blind = framework(project, coders=["anna"]).cell(case, "ervaring")
    assert [(s.coder, s.text) for s in everyone.summaries] == [
        ("anna", "Ziet vooral plicht."),
        ("bram", "Komt trouw."),
    ]
    assert [(s.coder, s.text) for s in blind.summaries] == [("anna", "Ziet vooral plicht.")]
    assert everyone.summary_of("bram") is not None and blind.summary_of("bram") is None


def test_find_unit(study: Path) -> None:
    with Project.open(study, readonly=True) as project:
        assert find_unit(project, "coach-b").kind == "case"
        assert find_unit(project, "document:2").name == "interview"
        assert find_unit(project, "document:groep").kind == "document"
        with pytest.raises(ProjectError, match="heeft geen case 'coach-z'"):
            find_unit(project, "coach-z")
        with pytest.raises(ProjectError, match="heeft geen document '9'"):
            find_unit(project, "document:9")


# -- kwali cases summary ---------------------------------------------------------------------
def test_cli_summary_writes_and_undo_removes(runner, study: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "cases",
            "summary",
            "-p",
            str(study),
            "--coder",
            "anna",
            "coach-a",
            "Ervaring",
            "Moet komen.",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "De samenvatting van case coach-a bij Ervaring is opgeslagen" in result.output
    )  # the label
    with Project.open(study) as project:
        case = find_unit(project, "coach-a")
        assert project.summary("case", case.id, "ervaring", "anna").text == "Moet komen."
    with Project.open(study) as project:  # `u` in kwali tui
        assert project.undo("anna") is not None
        assert project.summaries() == []


def test_cli_summary_of_a_document_and_removal(runner, study: Path) -> None:
    args = ["cases", "summary", "-p", str(study), "--coder", "anna", "document:2", "dwang"]
    assert runner.invoke(cli, [*args, "Moest van de gemeente."]).exit_code == 0
    with Project.open(study, readonly=True) as project:
        [summary] = project.summaries()
        assert (summary.unit_kind, summary.code_key, summary.text) == (
            "document",
            "dwang",
            "Moest van de gemeente.",
        )
    result = runner.invoke(cli, [*args, ""])
    assert (
        result.exit_code == 0 and "is verwijderd (ongedaan maken brengt hem terug)" in result.output
    )
    with Project.open(study, readonly=True) as project:
        assert project.summaries() == []


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("unit", "code", "said"),
    [
        ("coach-z", "dwang", "heeft geen case 'coach-z'"),
        ("coach-a", "onbekend", "heeft geen code 'onbekend'"),
        ("document:7", "dwang", "heeft geen document '7'"),
    ],
)
def test_cli_summary_bad_input_one_line_nothing_changed(
    runner, study: Path, unit: str, code: str, said: str
) -> None:
    before = study.read_bytes()
    result = runner.invoke(
        cli, ["cases", "summary", "-p", str(study), "--coder", "anna", unit, code, "tekst"]
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and said in lines[0] and str(study) in lines[0], result.output
    assert study.read_bytes() == before
