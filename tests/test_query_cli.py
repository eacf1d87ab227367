"""`kwali query`: the table, the counts, the errors, saved queries and the output files."""

from __future__ import annotations

import csv
import getpass
from pathlib import Path

import pytest
from query_project import build_query_project

from kwali.analysis import Scope, run_query, saved_queries
from kwali.cli import cli
from kwali.store import Project


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        build_query_project(project, seed=7, documents=5)
    return path


def kwali(runner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_the_table_lists_references_codes_text_and_counts(runner, study):
    with Project.open(study, readonly=True) as project:
        found = run_query(project, "dwang OR sanctie")
        labels = project.codebook().labels()
    result = kwali(runner, "query", "-p", str(study), "dwang OR sanctie")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for q in found.quotations:  # the codes by label
        assert any(line.startswith(q.reference) and labels[q.codes[0]] in line for line in lines)
    documents = {q.document for q in found.quotations}
    assert (
        f"{len(found.quotations)} citaten in {len(documents)} van 5 documenten "
        "(alle bevestigde coderingen (zonder de consensuslaag))" in result.output
    )


def test_filters_and_groups(runner, study):
    with Project.open(study, readonly=True) as project:
        scope = Scope(where=(("aanpak", "Meedoen010"),), role="respondent", coders=("anna",))
        found = run_query(project, "verplichting", scope)
    result = kwali(
        runner,
        "query",
        "-p",
        str(study),
        "verplichting",
        "--where",
        "aanpak=Meedoen010",
        "--role",
        "respondent",
        "--coder",
        "anna",
        "--by",
        "geslacht",
    )
    assert result.exit_code == 0, result.output
    assert f"{len(found.quotations)} citat" in result.output
    assert "de bevestigde coderingen van anna; documenten met aanpak=Meedoen010" in result.output
    assert "geslacht" in result.output and "citaten" in result.output


def test_a_bad_expression_is_one_line_and_a_caret(runner, study):
    result = kwali(runner, "query", "-p", str(study), "dwang AND AND sanctie")
    assert result.exit_code == 1
    first, line, caret = result.output.splitlines()
    assert first == "kwali: fout: Onverwacht 'AND' bij kolom 11."
    assert caret.index("^") == line.index("AND AND") + 4


def test_an_unknown_code_names_the_closest(runner, study):
    result = kwali(runner, "query", "-p", str(study), "dwnag")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == ("kwali: fout: Geen code 'dwnag'; bedoelt u dwang?")


def test_bad_options_are_refused(runner, study, tmp_path):
    where = kwali(runner, "query", "-p", str(study), "dwang", "--where", "aanpak")
    assert (
        where.exit_code == 1
        and "--where 'aanpak' is niet van de vorm kenmerk=waarde" in where.output
    )
    unknown = kwali(runner, "query", "-p", str(study), "dwang", "--where", "regio=noord")
    assert unknown.exit_code == 1 and "geen document heeft het kenmerk 'regio'" in unknown.output
    both = kwali(runner, "query", "-p", str(study), "dwang", "--coder", "anna", "--consensus")
    assert both.exit_code == 2 and "sluiten elkaar uit" in both.output
    by = kwali(runner, "query", "-p", str(study), "dwang", "--by", "regio")
    assert by.exit_code == 1 and "geen document heeft het kenmerk 'regio'" in by.output
    pdf = kwali(runner, "query", "-p", str(study), "dwang", "-o", str(tmp_path / "x.pdf"))
    assert pdf.exit_code == 1 and "gebruik .csv, .xlsx of .docx" in pdf.output


def test_save_list_and_use_a_saved_query(runner, study):
    saved = kwali(runner, "query", "-p", str(study), "dwang OR sanctie", "--save", "druk")
    assert saved.exit_code == 0, saved.output
    assert "Opgeslagen als @druk." in saved.output
    listed = kwali(runner, "query", "-p", str(study), "--list")
    assert "@druk" in listed.output and "dwang OR sanctie" in listed.output
    used = kwali(runner, "query", "-p", str(study), "@druk AND NOT contact")
    inline = kwali(runner, "query", "-p", str(study), "(dwang OR sanctie) AND NOT contact")
    assert used.output == inline.output
    again = kwali(runner, "query", "-p", str(study), "contact", "--save", "druk")
    assert again.exit_code == 1 and "Er is al een zoekvraag @druk" in again.output
    replaced = kwali(runner, "query", "-p", str(study), "contact", "--save", "druk", "--replace")
    assert replaced.exit_code == 0
    with Project.open(study) as project:  # the login name's action: `u` in the TUI undoes it
        assert saved_queries(project) == {"druk": "contact"}
        project.undo(getpass.getuser())
        assert saved_queries(project) == {"druk": "dwang OR sanctie"}


def test_output_files(runner, study, tmp_path):
    with Project.open(study, readonly=True) as project:
        found = run_query(project, "verplichting")
    out = tmp_path / "citaten.csv"
    assert kwali(runner, "query", "-p", str(study), "verplichting", "-o", str(out)).exit_code == 0
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["reference"] for r in rows] == [q.reference for q in found.quotations]
    assert [r["text"] for r in rows] == [q.text for q in found.quotations]
    again = kwali(runner, "query", "-p", str(study), "verplichting", "-o", str(out))
    assert again.exit_code == 1 and "bestaat al" in again.output

    import openpyxl

    book = tmp_path / "citaten.xlsx"
    args = ["query", "-p", str(study), "verplichting", "--by", "aanpak", "-o", str(book)]
    assert kwali(runner, *args).exit_code == 0
    sheets = openpyxl.load_workbook(book).sheetnames
    assert sheets == ["Citaten", "Per document", "Per aanpak"]

    import docx

    word = tmp_path / "citaten.docx"
    assert kwali(runner, "query", "-p", str(study), "verplichting", "-o", str(word)).exit_code == 0
    table = docx.Document(str(word)).tables[0]
    assert len(table.rows) == len(found.quotations) + 1
    assert table.rows[1].cells[2].paragraphs[0].text == found.quotations[0].reference
