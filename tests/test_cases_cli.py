"""``kwali cases import|list|link``: what a researcher types, and one-line errors that change nothing."""

from __future__ import annotations

import hashlib

import pytest
from cases_helpers import add_group_interview

from kwali.cli import cli
from kwali.store import Project


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        add_group_interview(project)
        add_group_interview(project, "groep_zuid")
        project.set_attribute_type("leeftijd", "number")
    return path


def _digest(path) -> str:
    with Project.open(path, readonly=True) as project:
        state = (
            [(c.name, sorted(c.attributes.items())) for c in project.cases()],
            sorted((d, sorted(s.items())) for d, s in project.speaker_cases().items()),
            len(project.history(limit=1000)),
        )
    return hashlib.sha256(repr(state).encode()).hexdigest()


def test_import_list_link_and_unlink(study, tmp_path, runner):
    table = tmp_path / "sprekers.csv"
    table.write_text(
        "document,speaker,case,team,leeftijd\n"
        "1,Coach A,coach_ans,Noord,41\n"
        "groep_noord,Coach B,coach_bert,Noord,38\n",
        encoding="utf-8",
    )
    p = ["-p", str(study)]
    result = runner.invoke(cli, ["cases", "import", *p, str(table), "--coder", "anna"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "2 rijen van sprekers.csv gelezen: 2 nieuwe cases, 2 sprekers gekoppeld, "
        "4 kenmerkwaarden gewijzigd.\n"
    )
    result = runner.invoke(cli, ["cases", "link", *p, "groep_zuid", "Coach A", "coach_ans"])
    assert result.exit_code == 0, result.output
    assert "Coach A van document 2 (groep_zuid) gekoppeld aan case coach_ans." in result.output
    result = runner.invoke(cli, ["cases", "list", *p])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "coach_ans  1:Coach A, 2:Coach A  [leeftijd=41, team=Noord]",
        "coach_bert  1:Coach B  [leeftijd=38, team=Noord]",
        "2 cases, 3 gekoppelde sprekers.",
    ]
    result = runner.invoke(cli, ["cases", "link", *p, "1", "Coach B", "--unlink"])
    assert result.exit_code == 0, result.output
    assert "Coach B van document 1 (groep_noord) ontkoppeld" in result.output
    listed = runner.invoke(cli, ["cases", "list", *p]).output
    assert "coach_bert  geen sprekers  [leeftijd=38, team=Noord]" in listed


def test_list_of_a_project_without_cases(study, runner):
    result = runner.invoke(cli, ["cases", "list", "-p", str(study)])
    assert result.exit_code == 0 and "heeft nog geen cases" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["link", "9", "Coach A", "x"], "heeft geen document '9'"),
        (["link", "1", "Coach C", "x"], "heeft geen spreker 'Coach C'"),
        (
            ["link", "1", "Coach A", "--unlink"],
            "'Coach A' van document 1 is aan geen case gekoppeld",
        ),
        (["import", "TABLE"], "rij 2: document 1 (groep_noord) heeft geen spreker 'R1'"),
        (["import", "MISSING"], "No such file or directory"),
    ],
)
def test_errors_are_one_line_exit_1_and_change_nothing(study, tmp_path, runner, args, message):
    table = tmp_path / "bad.csv"
    table.write_text("document,speaker,case\n1,R1,x\n", encoding="utf-8")
    args = [
        str(table) if a == "TABLE" else str(tmp_path / "nee.csv") if a == "MISSING" else a
        for a in args
    ]
    before = _digest(study)
    result = runner.invoke(cli, ["cases", args[0], "-p", str(study), *args[1:]])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kwali: fout: ") and message in lines[0]
    assert _digest(study) == before


def test_link_needs_a_case_or_unlink(study, runner):
    result = runner.invoke(cli, ["cases", "link", "-p", str(study), "1", "Coach A"])
    assert result.exit_code == 2 and "noem een CASE, of geef --unlink" in result.output


def test_a_group_interview_read_from_text_end_to_end(tmp_path, runner):
    """kwali import reads the speakers of a group interview; the table links them by file
    name and label; the respondents overview then lists the coaches as cases."""
    import pandas as pd

    path = tmp_path / "studie.kwali"
    interview = tmp_path / "groep.txt"
    interview.write_text(
        "I: Hoe werken jullie samen?\n\nCoach A: Ik bel ze elke week.\n\n"
        "Coach B: Bij ons eerst een intake.\n\nI: En de gemeente?\n\n"
        "Coach A: Die stuurt een brief.\n",
        encoding="utf-8",
    )
    assert runner.invoke(cli, ["init", str(path)]).exit_code == 0
    result = runner.invoke(cli, ["import", "-p", str(path), str(interview)])
    assert result.exit_code == 0, result.output
    table = tmp_path / "sprekers.csv"
    table.write_text(
        "document,speaker,case,team\ngroep.txt,Coach A,ans,Noord\ngroep.txt,Coach B,bert,Zuid\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["cases", "import", "-p", str(path), str(table)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "respondenten.csv"
    result = runner.invoke(cli, ["export", "respondents", "-p", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    read = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert list(zip(read["unit"], read["name"], read["speakers"], read["words"], strict=True)) == [
        ("case", "ans", "1:Coach A", 9),
        ("case", "bert", "1:Coach B", 5),
        ("document", "groep", "1:I", 0),
    ]
