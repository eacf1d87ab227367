"""``kwali import --survey`` and ``kwali survey list``: the summary, one-line errors with exit
1 and nothing changed, and the survey's documents going through suggest and export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from survey_data import survey_project, write_survey

from kwali.cli import cli
from kwali.store import Project

SURVEY = ["--survey", "--id", "respnr", "--text", "Q7,Q9,Q12"]


def _run(runner, *args: str):
    return runner.invoke(cli, [str(a) for a in args])


def _rows(path: Path) -> list[tuple]:
    with Project.open(path, readonly=True) as project:
        return [
            tuple(r)
            for t in ("cases", "case_attributes", "documents", "survey_answers", "actions")
            for r in project.db.execute(f"SELECT * FROM {t}")
        ]


def test_import_prints_the_summary_and_survey_list_the_counts(tmp_path: Path, runner) -> None:
    source = write_survey(tmp_path / "enquete.sav", 40)
    project = tmp_path / "p.kwali"
    done = _run(
        runner,
        "import",
        "-p",
        project,
        source,
        *SURVEY,
        "--attributes",
        "aanpak,geslacht,leeftijd",
        "--create",
    )
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert (
        lines[0]
        == "Enquête 'enquete' geïmporteerd uit enquete.sav: 40 respondenten (id-kolom respnr)"
    )
    with Project.open(project, readonly=True) as opened:
        survey = opened.surveys()[0]
        counts = {q.name: opened.survey_status_counts(survey.id, q.name) for q in survey.questions}
    q7 = next(line for line in lines if line.strip().startswith("Q7 "))
    assert f"beantwoord {counts['Q7']['answered']:>5}" in q7
    assert f"weet niet {counts['Q7']['weet_niet']:>5}" in q7
    assert "Waarom doet u mee" in q7
    assert "  cases gemaakt 40, bijgewerkt 0" in lines
    assert "  kenmerken: aanpak (text), geslacht (text), leeftijd (number)" in lines
    listed = _run(runner, "survey", "list", "-p", project)
    assert listed.exit_code == 0, listed.output
    assert listed.output.startswith("enquete  (enquete.sav, id-kolom respnr, 40 respondenten")
    assert f"leeg {counts['Q9']['empty']:>5}" in listed.output
    again = _run(runner, "import", "-p", project, source, *SURVEY)
    assert again.exit_code == 0
    assert "al geïmporteerd als enquête 'enquete'; er is niets veranderd" in again.output


def test_survey_list_without_surveys(tmp_path: Path, runner) -> None:
    Project.create(tmp_path / "p.kwali").close()
    done = _run(runner, "survey", "list", "-p", tmp_path / "p.kwali")
    assert done.exit_code == 0 and "Geen enquêtes" in done.output


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--survey", "--id", "nr", "--text", "Q7"], "heeft geen id-kolom 'nr'"),
        (["--survey", "--id", "respnr", "--text", "Q7,Q70"], "heeft geen vraagkolom 'Q70'"),
        ([*SURVEY, "--attributes", "regio"], "heeft geen kenmerkkolom 'regio'"),
        ([*SURVEY, "--attributes", "aanpak", "--all-other-columns"], "gaan niet samen"),
    ],
)
def test_bad_options_exit_1_in_one_line_and_change_nothing(
    tmp_path: Path, runner, options: list[str], words: str
) -> None:
    project = tmp_path / "p.kwali"
    first = _run(
        runner, "import", "-p", project, write_survey(tmp_path / "a.csv", 5), *SURVEY, "--create"
    )
    assert first.exit_code == 0, first.output
    before = _rows(project)
    done = _run(runner, "import", "-p", project, write_survey(tmp_path / "b.csv", 8), *options)
    assert done.exit_code == 1
    errors = [line for line in done.output.splitlines() if line.startswith("kwali: fout:")]
    assert len(errors) == 1 and "b.csv" in errors[0] and words in errors[0], done.output
    assert _rows(project) == before


def test_a_sav_that_is_not_one_exits_1(tmp_path: Path, runner) -> None:
    fake = tmp_path / "enquete.sav"
    fake.write_bytes(b"$FL2 not really SPSS" * 10)
    Project.create(tmp_path / "p.kwali").close()
    done = _run(runner, "import", "-p", tmp_path / "p.kwali", fake, *SURVEY)
    assert done.exit_code == 1
    assert "enquete.sav: is geen SPSS-bestand (.sav)" in done.output
    assert "Traceback" not in done.output


def test_survey_options_need_survey_and_one_file(tmp_path: Path, runner) -> None:
    Project.create(tmp_path / "p.kwali").close()
    source = write_survey(tmp_path / "e.csv", 5)
    alone = _run(runner, "import", "-p", tmp_path / "p.kwali", source, "--id", "respnr")
    assert alone.exit_code == 2 and "hoort bij --survey" in alone.output
    two = _run(runner, "import", "-p", tmp_path / "p.kwali", source, source, *SURVEY)
    assert two.exit_code == 2 and "één enquêtebestand" in two.output
    bare = _run(runner, "import", "-p", tmp_path / "p.kwali", source, "--survey")
    assert bare.exit_code == 2 and "--id KOLOM en --text" in bare.output


def test_attributes_file_still_works_for_transcripts(tmp_path: Path, runner) -> None:
    transcript = tmp_path / "interview.txt"
    transcript.write_text("I: Hoe gaat het?\nR: Goed, ik moet van de gemeente.\n", "utf-8")
    table = tmp_path / "kenmerken.csv"
    table.write_text("file,aanpak\ninterview.txt,Meedoen010\n", encoding="utf-8")
    project = tmp_path / "p.kwali"
    done = _run(runner, "import", "-p", project, transcript, "--attributes", table, "--create")
    assert done.exit_code == 0, done.output
    with Project.open(project, readonly=True) as opened:
        assert opened.require_document(1).attributes == {"aanpak": "Meedoen010"}


def test_suggest_and_export_quotes_work_on_survey_answers(tmp_path: Path, runner, nlp) -> None:
    project = survey_project(tmp_path, respondents=60, nlp=nlp)
    done = _run(runner, "suggest", "-p", project)
    assert done.exit_code == 0, done.output
    with Project.open(project) as opened:
        survey_docs = opened.survey_document_ids()
        suggestions = opened.suggestions()
        assert {opened.segment(s.segment_id).document_id for s in suggestions} == survey_docs
        for suggestion in suggestions[:10]:
            segment = opened.segment(suggestion.segment_id)
            opened.add_coding(
                segment.document_id, segment.start, segment.end, suggestion.code_key, "anna"
            )
        speakers = {opened.segment(s.segment_id).speaker for s in suggestions[:10]}
        aanpak = {c.name: c.attributes["aanpak"] for c in opened.cases()}
    out = tmp_path / "citaten.csv"
    done = _run(runner, "export", "quotes", "-p", project, "-o", out)
    assert done.exit_code == 0, done.output
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 10
    assert {r["speaker"] for r in rows} == speakers
    assert all(r["aanpak"] == aanpak[r["speaker"]] for r in rows)  # the case's attribute
