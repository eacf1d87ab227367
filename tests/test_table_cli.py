"""`kwali table`: the printed table, percentages, a cell's quotes, files and errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from query_project import build_query_project

from kwali.analysis.table_quotes import cell_quotes
from kwali.analysis.tables import code_table, cooccurrence_table
from kwali.cli import cli
from kwali.store import Project


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        build_query_project(project, seed=7, documents=6)
    return path


def kwali(runner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def _line(output: str, label: str) -> list[str]:
    line = next(x.lstrip() for x in output.splitlines() if x.lstrip().startswith(label))
    return line[len(label) :].split()


def test_codes_by_attribute_prints_counts_and_totals(runner, study):
    with Project.open(study, readonly=True) as project:
        table = code_table(project, "aanpak")
    result = kwali(runner, "table", "-p", str(study), "codes-by", "aanpak")
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split()
    assert header == [*table.columns, "Totaal"]
    assert _line(result.output, "Ervaren verplichting") == [
        *(str(table.value("dwang", c)) for c in table.columns),
        str(table.row_total("dwang")),
    ]
    # a category is a subtotal: its line is shown apart (in capitals), counted once
    assert _line(result.output, "VERPLICHTING & HANDHAVING")[-1] == str(
        table.row_total("verplichting")
    )
    assert _line(result.output, "Totaal")[-1] == str(table.grand_total())
    assert "(coderingen geteld; de bevestigde coderingen van alle codeurs" in result.output


def test_percentages_two_attributes_and_filters(runner, study):
    with Project.open(study, readonly=True) as project:
        table = code_table(project, "geslacht", coders=("anna",), where=(("aanpak", "Meedoen010"),))
    result = kwali(
        runner, "table", "-p", str(study), "codes-by", "geslacht", "--percent", "row",
        "--coder", "anna", "--where", "aanpak=Meedoen010",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    expected = table.percent("dwang", table.columns[0], "row")
    shown = _line(result.output, "Ervaren verplichting")[0]
    assert shown == ("–" if expected is None else f"{expected:.1f}%")
    crossed = kwali(runner, "table", "-p", str(study), "codes-by", "aanpak", "geslacht")
    assert "Meedoen010 · vrouw" in crossed.output


def test_cell_lists_exactly_its_quotes(runner, study):
    with Project.open(study, readonly=True) as project:
        table = code_table(project, "aanpak")
        quotes = cell_quotes(project, table, "verplichting", "Prestatie010")
    result = kwali(
        runner,
        "table",
        "-p",
        str(study),
        "codes-by",
        "aanpak",
        "--cell",
        "verplichting,prestatie010",
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(quotes) == table.value("verplichting", "Prestatie010") > 0
    for q in quotes:
        assert any(line.startswith(q.reference) for line in lines)
    # the row by its label, the column as the table writes it
    assert f"{len(quotes)} citaten in Verplichting & handhaving × Prestatie010" in result.output


def test_cooccurrence_with_c_and_its_cell(runner, study):
    with Project.open(study, readonly=True) as project:
        table = cooccurrence_table(project)
        pair = next(
            (a.key, b.key) for a in table.rows for b in table.rows
            if not a.category and a.key != b.key and table.value(a.key, b.key)
        )  # fmt: skip
        quotes = cell_quotes(project, table, *pair)
    result = kwali(runner, "table", "-p", str(study), "cooccurrence", "--c")
    assert result.exit_code == 0, result.output
    label = table.row(pair[0]).label.rsplit(" > ", 1)[-1]
    assert f"{table.c_coefficient(*pair):.2f}" in _line(result.output, label)
    cell = kwali(runner, "table", "-p", str(study), "cooccurrence", "--cell", ",".join(pair))
    assert f"{len(quotes)} cita" in cell.output


def test_files(runner, study, tmp_path):
    out = tmp_path / "t.csv"
    result = kwali(runner, "table", "-p", str(study), "codes-by-document", "-o", str(out))
    assert result.exit_code == 0, result.output
    with Project.open(study, readonly=True) as project:
        table = code_table(project, "document")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["code"] for r in rows] == [r.key for r in table.rows]
    first = table.columns[0]
    assert [int(r[first]) for r in rows] == [table.value(r.key, first) for r in table.rows]
    book = tmp_path / "t.xlsx"
    kwali(runner, "table", "-p", str(study), "codes-by", "aanpak", "-o", str(book))
    assert load_workbook(book).sheetnames == ["Aantallen", "Rij %", "Kolom %"]
    again = kwali(runner, "table", "-p", str(study), "codes-by", "aanpak", "-o", str(book))
    assert again.exit_code == 1 and "bestaat al" in again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["codes-by", "regio"], "geen document heeft het kenmerk 'regio'"),
        (["codes-by", "aanpak", "--cell", "dwang,noord"], "geen kolom 'noord'"),
        (["codes-by", "aanpak", "--cell", "bestaatniet"], "heeft geen code 'bestaatniet' (--cell)"),
        (["codes-by", "aanpak", "--code", "bestaatniet"], "heeft geen code 'bestaatniet'"),
        (["codes-by", "aanpak", "-o", "t.docx"], "gebruik .csv of .xlsx"),
        (["codes-by"], "een of twee kenmerken"),
        (["cooccurrence", "--percent", "row"], "--percent hoort bij"),
        (["codes-by", "aanpak", "--coder", "anna", "--consensus"], "sluiten elkaar uit"),
    ],
)
def test_bad_input_is_one_line(runner, study, args, message):
    result = runner.invoke(cli, ["table", "-p", str(study), *args])
    assert result.exit_code != 0
    assert message in result.output


def test_a_saved_query_as_a_row(runner, study):
    kwali(runner, "query", "-p", str(study), "dwang OR sanctie", "--save", "druk")
    with Project.open(study, readonly=True) as project:
        table = code_table(project, "aanpak", queries=["druk"])
    result = kwali(runner, "table", "-p", str(study), "codes-by", "aanpak", "--query", "druk")
    assert result.exit_code == 0, result.output
    assert _line(result.output, "@druk")[-1] == str(table.row_total("@druk"))
    missing = runner.invoke(cli, ["table", "-p", str(study), "codes-by", "aanpak", "--query", "x"])
    assert missing.exit_code == 1 and "Geen opgeslagen zoekvraag @x" in missing.output


def test_a_code_group_as_a_row(runner, study):
    from kwali.store.groups import Group

    with Project.open(study) as project:
        project.import_groups([Group("code", "kern", "", ("dwang", "leren"))], [], "anna", "t")
        table = code_table(project, "aanpak", code_groups=["kern"])
    result = kwali(runner, "table", "-p", str(study), "codes-by", "aanpak", "--group", "kern")
    assert result.exit_code == 0, result.output
    assert _line(result.output, "GROEP KERN")[-1] == str(table.row_total("group:kern"))
    cell = kwali(
        runner, "table", "-p", str(study), "codes-by", "aanpak", "--group", "kern",
        "--cell", f"group:kern,{table.columns[0]}",
    )  # fmt: skip
    n = table.value("group:kern", table.columns[0])
    assert f"{n} {'citaat' if n == 1 else 'citaten'} in groep kern" in cell.output
    missing = runner.invoke(cli, ["table", "-p", str(study), "codes-by", "aanpak", "--group", "x"])
    assert missing.exit_code == 1 and "heeft geen codegroep 'x'" in missing.output
