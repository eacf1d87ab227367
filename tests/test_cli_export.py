"""`kwali export` and `kwali anonymize` as a researcher runs them."""

from __future__ import annotations

import hashlib

import docx
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from kwali.cli import cli
from kwali.store import Project

from helpers import build_study


@pytest.fixture(scope="module")
def study_file(tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("study")
    path = folder / "studie.kwali"
    with Project.create(path) as project:
        build_study(project, nlp, folder)
    return path


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_format_of_the_quote_table(study_file, tmp_path):
    for name in ("q.docx", "q.xlsx", "q.csv"):
        result = run("export", "quotes", "-p", study_file, "-o", tmp_path / name, "--consensus")
        assert result.exit_code == 0, result.output
        assert f"Geschreven: {tmp_path / name}" in result.output
    rows = len(pd.read_csv(tmp_path / "q.csv", encoding="utf-8-sig"))
    sheet = openpyxl.load_workbook(tmp_path / "q.xlsx")["citaten"]
    tables = docx.Document(str(tmp_path / "q.docx")).tables
    assert rows == sheet.max_row - 1 == sum(len(t.rows) - 1 for t in tables) == 4


def test_options_reach_the_tables(study_file, tmp_path):
    out = tmp_path / "q.csv"
    result = run(
        "export",
        "quotes",
        "-p",
        study_file,
        "-o",
        out,
        "--code",
        "dwang,sanctie",
        "--coder",
        "anna",
        "--attribute",
        "aanpak",
        "--attribution",
        "rol",
        "--context",
        "1",
        "--sort",
        "document",
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert set(table["code"]) == {"dwang", "sanctie"} and set(table["coder"]) == {"anna"}
    assert set(table["respondent"]) == {"werkzoekende"} and "geslacht" not in table.columns
    assert table["context_before"].str.len().gt(0).all()


def test_counts_to_excel_and_csv(study_file, tmp_path):
    assert (
        run(
            "export", "matrix", "-p", study_file, "-o", tmp_path / "m.xlsx", "--by", "aanpak"
        ).exit_code
        == 0
    )
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    assert book.sheetnames == ["fragmenten", "respondenten"]
    header = [c.value for c in book["fragmenten"][1]]
    assert header == ["code", "code_path", "kind", "Meedoen010", "Prestatie010", "total"]
    result = run(
        "export",
        "frequencies",
        "-p",
        study_file,
        "-o",
        tmp_path / "f.csv",
        "--by",
        "geslacht",
        "--sep",
        ";",
    )
    assert result.exit_code == 0, result.output
    frequencies = pd.read_csv(tmp_path / "f.csv", sep=";", encoding="utf-8-sig")
    assert set(frequencies["geslacht"]) == {"man", "vrouw"}
    result = run(
        "export", "cooccurrence", "-p", study_file, "-o", tmp_path / "c.csv", "--unit", "turn"
    )
    assert result.exit_code == 0, result.output
    co = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig", index_col="code")
    assert (co.values == co.values.T).all()
    assert run("export", "report", "-p", study_file, "-o", tmp_path / "r.docx").exit_code == 0
    assert run("export", "codebook", "-p", study_file, "-o", tmp_path / "cb.xlsx").exit_code == 0


def test_bad_targets_give_one_line_and_leave_the_project_alone(study_file, tmp_path):
    before = _digest(study_file)
    missing = tmp_path / "nergens" / "q.docx"
    result = run("export", "quotes", "-p", study_file, "-o", missing)
    assert result.exit_code == 1
    assert result.output.strip() == f"kwali: fout: {missing}: de map bestaat niet"
    existing = tmp_path / "q.docx"
    existing.write_text("oud")
    result = run("export", "quotes", "-p", study_file, "-o", existing)
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert str(existing) in result.output and "--force" in result.output
    (tmp_path / ".~lock.q.docx#").write_text("")
    result = run("export", "quotes", "-p", study_file, "-o", existing, "--force")
    assert result.exit_code == 1 and "geopend in een ander programma" in result.output
    assert existing.read_text() == "oud"
    (tmp_path / ".~lock.q.docx#").unlink()
    assert run("export", "quotes", "-p", study_file, "-o", existing, "--force").exit_code == 0
    assert docx.Document(str(existing)).tables
    result = run("export", "report", "-p", study_file, "-o", tmp_path / "r.csv")
    assert result.exit_code == 1 and "kan niet als csv geschreven worden" in result.output
    result = run("export", "quotes", "-p", study_file, "-o", tmp_path / "x.docx", "--code", "onzin")
    assert result.exit_code == 1 and "geen code 'onzin'" in result.output
    assert _digest(study_file) == before


def test_anonymize_commands_and_anonymized_export(study_file, tmp_path):
    assert run("anonymize", "add", "-p", study_file, "Fatima", "[buurvrouw]").exit_code == 0
    listed = run("anonymize", "list", "-p", study_file)
    assert "Fatima\t[buurvrouw]" in listed.output
    out = tmp_path / "q.xlsx"
    assert (
        run(
            "export", "quotes", "-p", study_file, "-o", out, "--anonymize", "--context", "1"
        ).exit_code
        == 0
    )
    cells = [
        c.value or "" for row in openpyxl.load_workbook(out)["citaten"].iter_rows() for c in row
    ]
    assert not any("Fatima" in str(v) for v in cells) and any(
        "[buurvrouw]" in str(v) for v in cells
    )
    assert run("anonymize", "remove", "-p", study_file, "Fatima").exit_code == 0
    again = run("anonymize", "remove", "-p", study_file, "Fatima")
    assert again.exit_code == 1 and "geen vervanging voor 'Fatima'" in again.output


def test_the_command_offers_every_export():
    from kwali.cli.exporting import export as command
    from kwali.export import EXPORTERS

    (what,) = [p for p in command.params if p.name == "what"]
    assert tuple(what.type.choices) == tuple(EXPORTERS)
