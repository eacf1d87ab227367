"""``kwali agree --unit answer``: each survey answer is one unit, checked by hand.

Six respondents answered Q7 (1007 left it empty, 1008 said "weet niet": no units). anna
codes geld on 1001, 1002, 1003; bram on 1001, 1002, 1004. They agree on 1001, 1002, 1005
and 1006: 4/6 = 66.7 %. Each coded 3 of 6, so chance agreement is 0.5·0.5 + 0.5·0.5 = 0.5
and Cohen's κ = (4/6 − 0.5) / (1 − 0.5) = 1/3. The group interview next to the survey,
which they coded differently, is no answer and does not count.
"""

from __future__ import annotations

import json

import pytest
from cases_helpers import add_group_interview, add_survey

from kwali.app.agreeing import agreement_report
from kwali.app.settling import disagreements, find_unit
from kwali.cli import cli
from kwali.model import Code, Codebook
from kwali.store import Project

ANSWERS = {
    "1001": "Omdat ik geld nodig had.",
    "1002": "Voor het geld en de mensen.",
    "1003": "Ik moest van de gemeente, anders geen uitkering.",
    "1004": "Het reiskostenvergoeding was fijn.",
    "1005": "Gezelligheid.",
    "1006": "Om iets te doen te hebben.",
    "1007": "",
    "1008": "weet niet",
}


def survey_study(project: Project) -> None:
    project.set_codebook(Codebook("enquête", (Code("geld", "Geld"), Code("plicht", "Plicht"))))
    (q7,) = add_survey(project, {"Q7": ANSWERS}).values()
    answers = {s.speaker: s for s in project.segments(q7.id, kind="turn")}
    for coder, which in (("anna", ["1001", "1002", "1003"]), ("bram", ["1001", "1002", "1004"])):
        for rid in which:
            project.add_coding(q7.id, answers[rid].start, answers[rid].end, "geld", coder)
    group = add_group_interview(project)
    turns = project.segments(group.id, kind="turn")
    project.add_coding(group.id, turns[1].start, turns[1].end, "plicht", "anna")
    project.add_coding(group.id, turns[2].start, turns[2].end, "geld", "bram")


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "enquete.kwali"
    with Project.create(path) as project:
        survey_study(project)
    return path


def test_answers_are_the_units_hand_checked(study):
    with Project.open(study, readonly=True) as project:
        report = agreement_report(project, ["anna", "bram"], "answer", ["geld"])
        turns = agreement_report(project, ["anna", "bram"], "turn", ["geld"])
        every = agreement_report(
            project, ["anna", "bram"], "turn", ["geld"], include_interviewer=True
        )
    (geld,) = report.codes
    assert geld.n_units == 6  # the empty answer and "weet niet" are no units
    assert geld.coded == {"anna": 3, "bram": 3}
    assert geld.percent == pytest.approx(4 / 6)
    assert geld.cohen_kappa == pytest.approx(1 / 3)
    assert report.documents == 1 and report.unit == "answer"
    # the turn unit also counts the group interview: its 3 coaches' turns, and with
    # include_interviewer its 2 interviewer's turns too
    assert turns.codes[0].n_units == 9 and every.codes[0].n_units == 11
    assert dict(turns.left_out) == {"interviewer": 2} and not every.left_out


def test_disagreements_name_the_question_and_respondent(study):
    with Project.open(study, readonly=True) as project:
        listed = disagreements(project, ["anna", "bram"], "answer", ["geld"])
    assert [(d.reference, dict(d.codes)) for d in listed] == [
        ("Q7 · 1003", {"anna": ("geld",), "bram": ()}),
        ("Q7 · 1004", {"anna": (), "bram": ("geld",)}),
    ]
    assert listed[0].text == ANSWERS["1003"]


def test_cli_agree_disagreements_and_settle_an_answer(study, runner):
    p = ["-p", str(study)]
    result = runner.invoke(cli, ["agree", *p, "--unit", "answer", "--codes", "geld", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["unit"] == "answer" and data["codes"]["geld"]["n_units"] == 6
    assert data["codes"]["geld"]["percent"] == pytest.approx(4 / 6)
    assert data["codes"]["geld"]["cohen_kappa"] == pytest.approx(1 / 3)
    table = runner.invoke(cli, ["agree", *p, "--unit", "answer", "--codes", "geld"]).output
    assert "66.7" in table and "0.33 [" in table  # κ with its interval
    out = study.parent / "overeenstemming.docx"
    written = runner.invoke(
        cli, ["agree", *p, "--unit", "answer", "--codes", "geld", "-o", str(out)]
    )
    assert written.exit_code == 0, written.output
    import docx

    cells = {c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells}
    assert any("Q7 · 1003" in c for c in cells), cells  # the disagreements, by answer
    listed = runner.invoke(cli, ["disagreements", *p, "--unit", "answer", "--codes", "geld"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines()[0] == "Q7 · 1003 anna: Geld | bram: -"  # the label
    assert listed.output.splitlines()[-1] == "2 eenheden verschillen"
    settled = runner.invoke(cli, ["settle", *p, "Q7 · 1003", "--code", "geld", "--coder", "anna"])
    assert settled.exit_code == 0, settled.output
    still = runner.invoke(
        cli, ["disagreements", *p, "--unit", "answer", "--codes", "geld", "--open"]
    )
    assert still.output.splitlines()[0].startswith("Q7 · 1004 ")
    with Project.open(study, readonly=True) as project:
        assert find_unit(project, "Q7:1004").text == ANSWERS["1004"]


@pytest.mark.sqlite_only
def test_a_respondent_without_an_answer_is_refused_in_one_line(study, runner):
    result = runner.invoke(
        cli, ["settle", "-p", str(study), "Q7 · 1007", "--none", "--coder", "anna"]
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"kwali: fout: {study}: vraag Q7 heeft geen antwoord van respondent '1007'"
    ]


def test_a_project_without_a_survey_refuses_the_answer_unit_in_one_line(tmp_path, runner):
    from helpers import code_two_coders

    path = tmp_path / "interviews.kwali"
    with Project.create(path) as project:
        code_two_coders(project)
    for command in ("agree", "disagreements"):
        result = runner.invoke(cli, [command, "-p", str(path), "--unit", "answer"])
        assert result.exit_code == 1, result.output
        (line,) = result.output.strip().splitlines()
        assert line.startswith("kwali: fout: ") and "heeft geen enquête" in line


def test_an_imported_survey_answers_are_units(tmp_path, nlp):
    """The importer's survey (tests/survey_data.py): answers cited by question and respondent,
    respondents overview with one row per respondent."""
    from survey_data import survey_project

    from kwali.export.respondents import counted, respondents

    path = survey_project(tmp_path, respondents=40, nlp=nlp)
    with Project.open(path) as project:
        (survey,) = project.surveys()
        q7 = next(q for q in survey.questions if q.name == "Q7")
        assert q7.document_id is not None
        answers = project.segments(q7.document_id, kind="turn")
        assert len(answers) == project.survey_status_counts(survey.id, "Q7")["answered"]
        key = project.codebook().codes[-1].key
        for coder, which in (("anna", answers[:4]), ("bram", answers[2:5])):
            for answer in which:
                project.add_coding(q7.document_id, answer.start, answer.end, key, coder)
        report = agreement_report(project, ["anna", "bram"], "answer", [key])
        listed = disagreements(project, ["anna", "bram"], "answer", [key])
        table = respondents(project)
    # Only the question both coded counts (as a document nobody coded does not for turns).
    assert report.codes[0].n_units == len(answers) and report.documents == 1
    assert report.codes[0].coded == {"anna": 4, "bram": 3}
    assert [d.reference for d in listed] == [
        f"Q7 · {answers[0].speaker}",
        f"Q7 · {answers[1].speaker}",
        f"Q7 · {answers[4].speaker}",
    ]
    assert len(table) == 40 and set(table["unit"]) == {"case"} and counted(table) == "cases"
