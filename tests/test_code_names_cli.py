"""Every command that takes a code takes its key, its label or its path; a shared label or an
unknown name is one line, exit 1, and nothing changed. Agreement output shows labels."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pandas as pd
import pytest
from click.testing import CliRunner
from framework_helpers import build_framework_study
from survey_table_helpers import survey_file
from test_code_names import NAMES_CODEBOOK

from kwali.cli import cli
from kwali.store import Project

from helpers import add_interview, code_units


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def study(tmp_path) -> Path:
    """anna and bram code one interview: they differ on taal and on sentence 6."""
    path = tmp_path / "namen.kwali"
    with Project.create(path) as project:
        project.set_codebook(NAMES_CODEBOOK, "kwali")
        sentences = [s for s in add_interview(project, "buurthuis") if s.kind == "sentence"]
        code_units(project, sentences, "anna", "taal", [0, 1, 2, 3])
        code_units(project, sentences, "bram", "taal", [0, 1, 4])
        code_units(project, sentences, "anna", "overig_effect", [5])
        code_units(project, sentences, "bram", "overig_effect", [5])
        code_units(project, sentences, "anna", "overig_persoon", [7])
        code_units(project, sentences, "bram", "overig_persoon", [7])
        code_units(project, sentences, "anna", "reintegratie", [6])
        code_units(project, sentences, "bram", "welbevinden", [6])
    return path


def state(path: Path) -> tuple:
    """What a refused command must leave as it was."""
    with Project.open(path, readonly=True) as project:
        return (
            project.codebook().keys(),
            sorted((c.code_key, c.coder, c.start) for c in project.codings()),
            len(project.suggestions()),
            [(m.target_kind, m.target_id, m.text) for m in project.memos()],
        )


# -- a label, a path ----------------------------------------------------------------------------
def test_settle_takes_a_label_and_a_path_and_says_labels(study):
    done = run(
        "settle", "-p", study, "1:3.1", "--code", "Structuur en zingeving", "--coder", "anna"
    )
    assert done.exit_code == 0, done.output
    assert "1:3.1 vastgesteld: Structuur en zingeving" in done.output
    done = run(
        "settle", "-p", study, "1:1.1", "--code", "persoonlijke situatie > TAAL", "--coder", "anna"
    )
    assert done.exit_code == 0, done.output
    assert "1:1.1 vastgesteld: Taal (Taal toegevoegd)" in done.output
    with Project.open(study, readonly=True) as project:
        agreed = sorted(c.code_key for c in project.codings(coder="consensus"))
        memos = [m.text for m in project.memos("segment", coder="consensus")]
    assert agreed == ["taal", "welbevinden"]
    assert "Vastgesteld door anna: Structuur en zingeving" in memos  # the memo by label too


def test_agree_and_disagreements_take_labels_and_show_labels(study, tmp_path):
    data = json.loads(run("agree", "-p", study, "--codes", "Taal", "--json").output)
    assert list(data["codes"]) == ["taal"]  # machines read keys
    data = json.loads(
        run("agree", "-p", study, "--codes", "Ervaren effecten > Overig", "--json").output
    )
    assert list(data["codes"]) == ["overig_effect"]
    table = run("agree", "-p", study, "--domain", "Ervaren effecten")
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert any(line.startswith("Taal ") for line in lines)
    assert any(line.startswith("Reïntegratie ") for line in lines)
    # two rows share the label Overig: there the key keeps them apart
    assert any(line.startswith("Overig (overig_effect)") for line in lines)
    assert any(line.startswith("Overig (overig_persoon)") for line in lines)
    assert any(line.startswith("[Ervaren effecten]") for line in lines)
    assert not any(line.startswith(("taal", "welbevinden", "reintegratie")) for line in lines)
    listed = run("disagreements", "-p", study, "--codes", "Persoonlijke situatie")
    assert listed.exit_code == 0, listed.output
    assert "1:2.1     anna: Taal | bram: -" in listed.output
    listed = run("disagreements", "-p", study, "--codes", "reintegratie,Structuur en zingeving")
    assert "anna: Reïntegratie | bram: Structuur en zingeving" in listed.output


def test_the_agreement_report_and_csv_show_labels(study, tmp_path):
    out = tmp_path / "overeenstemming.docx"
    assert run("agree", "-p", study, "-o", out).exit_code == 0
    cells = [c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells]
    assert "Taal" in cells and "Structuur en zingeving" in cells and "Reïntegratie" in cells
    assert "taal" not in cells and "welbevinden" not in cells  # no keys in the tables
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "1 document is door minstens twee codeurs gecodeerd" in text
    csv = tmp_path / "o.csv"
    assert run("agree", "-p", study, "-o", csv).exit_code == 0
    frame = pd.read_csv(csv, encoding="utf-8-sig")
    row = frame[frame.code == "welbevinden"].iloc[0]  # the key for a machine, the label beside
    assert row.code_label == "Structuur en zingeving"


def test_table_takes_labels_for_rows_and_cells(study):
    shown = run("table", "-p", study, "codes-by-document", "--code", "Persoonlijke situatie")
    assert shown.exit_code == 0, shown.output
    assert "Taal" in shown.output and "Structuur" not in shown.output
    cell = run("table", "-p", study, "codes-by-document", "--cell", "taal")
    by_label = run("table", "-p", study, "codes-by-document", "--cell", "TAAL")
    by_path = run("table", "-p", study, "codes-by-document", "--cell", "persoon > Taal,buurthuis")
    assert cell.exit_code == by_label.exit_code == by_path.exit_code == 0, by_path.output
    assert "citaten in Taal" in by_label.output
    assert by_label.output == cell.output
    assert by_path.output.splitlines()[:-1] == cell.output.splitlines()[:-1]


def test_words_search_memo_and_codes_take_labels(study):
    words = run("words", "-p", study, "--code", "Taal", "--min", "1")
    assert words.exit_code == 0, words.output
    suggested = run(
        "search", "-p", study, "gemeente", "--suggest", "Gezin en combineren", "--coder", "anna"
    )
    assert suggested.exit_code == 0, suggested.output
    assert "1 nieuwe suggestie van Gezin en combineren voor anna" in suggested.output
    added = run("memo", "add", "-p", study, "--code", "Reintegratie", "Let op.", "--coder", "anna")
    assert added.exit_code == 0, added.output
    listed = run("memo", "list", "-p", study, "--code", "Ervaren effecten > Reïntegratie")
    assert listed.exit_code == 0 and "Let op." in listed.output
    codes = run("codes", "-p", study)
    assert codes.exit_code == 0
    assert "  Gezin en combineren" in codes.output and "gezin_combineren" in codes.output
    assert codes.output.splitlines()[-1] == "9 codes."


def test_codebook_delete_takes_a_label_and_a_path(study):
    done = run(
        "codebook", "delete", "-p", study, "Reintegratie",
        "--move-to", "Ervaren effecten > Structuur en zingeving", "--yes",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert (
        "Code Reïntegratie (reintegratie) verwijderd; 1 codering verplaatst naar Structuur en"
        in done.output
    )
    with Project.open(study, readonly=True) as project:
        assert project.code("reintegratie") is None
        assert len(project.codings(code_key="welbevinden")) == 2


def test_query_takes_a_quoted_label_without_accents_or_a_path(study):
    by_key = run("query", "-p", study, "reintegratie")
    by_label = run("query", "-p", study, '"Reintegratie"')
    by_path = run("query", "-p", study, '"Ervaren effecten > Reïntegratie"')
    assert by_key.exit_code == by_label.exit_code == by_path.exit_code == 0, by_path.output
    assert by_key.output == by_label.output == by_path.output
    assert "Schrijf vriendelijke brieven." in by_key.output
    assert "Structuur en zingeving" in by_key.output  # its codes by label, not welbevinden


def test_survey_table_takes_labels(tmp_path):
    path = survey_file(tmp_path)
    by_label = run("survey", "table", "-p", path, "-q", "Q7", "--code", "Werk vinden")
    by_path = run("survey", "table", "-p", path, "-q", "Q7", "--code", "Motieven > werk")
    assert by_label.exit_code == 0, by_label.output
    assert by_label.output == by_path.output and "Werk vinden" in by_label.output
    assert "Sociale contacten" not in by_label.output


def test_cases_summary_takes_a_path(tmp_path):
    path = tmp_path / "kader.kwali"
    with Project.create(path) as project:
        build_framework_study(project, tmp_path)
    done = run(
        "cases", "summary", "-p", path, "--coder", "anna", "coach-a", "Ervaring > Dwang", "Ja."
    )
    assert done.exit_code == 0, done.output
    assert "bij Dwang" in done.output


# -- a shared label, an unknown name: one line, exit 1, nothing changed -------------------------
COMMANDS = {
    "settle": ["settle", "1:2.1", "--code", "{}", "--coder", "anna"],
    "agree": ["agree", "--codes", "{}"],
    "agree --domain": ["agree", "--domain", "{}"],
    "disagreements": ["disagreements", "--codes", "{}"],
    "table": ["table", "codes-by-document", "--code", "{}"],
    "table --cell": ["table", "codes-by-document", "--cell", "{}"],
    "words": ["words", "--code", "{}"],
    "search --suggest": ["search", "gemeente", "--suggest", "{}", "--coder", "anna"],
    "codebook delete": ["codebook", "delete", "{}", "--yes"],
    "codebook delete --move-to": ["codebook", "delete", "taal", "--move-to", "{}", "--yes"],
    "memo add": ["memo", "add", "--code", "{}", "tekst", "--coder", "anna"],
    "memo list": ["memo", "list", "--code", "{}"],
}


def _with_project(args: list[str], path: Path, name: str) -> list[str]:
    filled = [a.replace("{}", name) for a in args]
    group = 2 if filled[0] in ("codebook", "memo") else 1
    return [*filled[:group], "-p", str(path), *filled[group:]]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("overig", "'overig' ({}) noemt 2 codes: overig_persoon ('Overig' onder "),
        (
            "Gezin en combineer",
            "heeft geen code 'Gezin en combineer' ({}) (het dichtst bij: 'Gezin en",
        ),
    ],
    ids=["shared label", "unknown"],
)
def test_a_wrong_name_is_one_line_exit_1_and_nothing_changed(study, command, name, says):
    before = state(study)
    result = run(*_with_project(COMMANDS[command], study, name))
    assert result.exit_code == 1, result.output
    flags = [a for a in COMMANDS[command] if a.startswith("--") and a != "--yes"]
    option = "CODE" if command == "codebook delete" else flags[0]
    assert result.output.startswith("kwali: fout: ")
    assert len(result.output.strip().splitlines()) == 1
    assert says.format(option) in result.output
    assert state(study) == before


def test_tables_show_values_as_written_and_take_them_back(study):
    with Project.open(study) as project:
        project.set_attribute(project.require_document("1").id, "rol", "ontvangende_organisatie")
    shown = run("table", "-p", study, "codes-by", "rol")
    assert shown.exit_code == 0, shown.output
    assert "ontvangende organis" in shown.output and "ontvangende_" not in shown.output
    cell = run("table", "-p", study, "codes-by", "rol", "--cell", "Taal,ontvangende organisatie")
    assert cell.exit_code == 0, cell.output
    assert "citaten in Taal × ontvangende organisatie" in cell.output
    pairs = run("table", "-p", study, "cooccurrence")
    assert pairs.exit_code == 0, pairs.output
    header = next(line for line in pairs.output.splitlines() if "Taal" in line)
    assert "Structuur en" in header and "welbevinden" not in header  # columns by label
