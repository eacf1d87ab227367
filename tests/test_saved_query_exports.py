"""`kwali export quotes --query NAME`: a saved query's quotations in the quote table, as
Atlas.ti's smart codes appear in its Query/Report output."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from query_project import build_query_project

from kwali.analysis import Scope, run_query, save_query
from kwali.cli import cli
from kwali.store import Project


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        build_query_project(project, seed=7, documents=5)
        save_query(project, "druk", "(dwang OR sanctie) AND NOT contact", "anna")
        save_query(project, "samen", "dwang OVERLAPS leren", "anna")
    return path


def kwali(runner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _spans(project: Project, name: str, coders: tuple[str, ...] | None = None) -> list[tuple]:
    result = run_query(project, f"@{name}", Scope(coders=coders))
    return [(q.document, q.start, q.end, q.text) for q in result.quotations]


def test_the_quote_table_holds_exactly_the_querys_quotations(runner, study, tmp_path):
    out = tmp_path / "druk.csv"
    done = kwali(runner, "export", "quotes", "-p", str(study), "-o", str(out), "--query", "druk")
    assert done.exit_code == 0, done.output
    rows = _rows(out)
    with Project.open(study, readonly=True) as project:
        expected = _spans(project, "druk")
    assert expected  # the study has such quotations: the test can fail
    assert [(int(r["document"]), int(r["start"]), int(r["end"]), r["text"]) for r in rows] == (
        expected
    )
    # @druk, as in `kwali table`; CSV keeps a cell starting with @ from being a formula
    assert {r["code"] for r in rows} == {"'@druk"} and {r["origin"] for r in rows} == {"query"}
    # cited by sentence, as a code's quotations and the query's own references are
    with Project.open(study, readonly=True) as project:
        references = [q.reference for q in run_query(project, "@druk", Scope()).quotations]
    pairs = [(r["quotation"], ref) for r, ref in zip(rows, references, strict=True)]
    assert any("." in ref for _, ref in pairs)
    # a span that touches no sentence (a speaker's label) is cited by its turn there
    assert all(mine == ref for mine, ref in pairs if "." in ref)


def test_codes_and_queries_together_and_the_coder_filter(runner, study, tmp_path):
    out = tmp_path / "beide.csv"
    args = ["--code", "contact", "--query", "@druk,samen", "--coder", "anna"]
    done = kwali(runner, "export", "quotes", "-p", str(study), "-o", str(out), *args)
    assert done.exit_code == 0, done.output
    rows = _rows(out)
    with Project.open(study, readonly=True) as project:
        contact = [c for c in project.codings(coders=["anna"]) if c.code_key == "contact"]
        druk, samen = _spans(project, "druk", ("anna",)), _spans(project, "samen", ("anna",))
    assert [r["code"] for r in rows] == (
        ["contact"] * len(contact) + ["'@druk"] * len(druk) + ["'@samen"] * len(samen)
    )
    everyone = tmp_path / "iedereen.csv"
    kwali(runner, "export", "quotes", "-p", str(study), "-o", str(everyone), "--query", "druk")
    assert len([r for r in rows if r["code"] == "'@druk"]) < len(_rows(everyone))


def test_workbook_and_word(runner, study, tmp_path):
    import docx
    import openpyxl

    with Project.open(study, readonly=True) as project:
        expected = _spans(project, "druk")
    book = tmp_path / "druk.xlsx"
    assert kwali(runner, "export", "quotes", "-p", str(study), "-o", str(book), "--query", "druk")
    sheet = openpyxl.load_workbook(book)["citaten"]
    header = [c.value for c in sheet[1]]
    texts = [row[header.index("text")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert texts == [text for *_, text in expected]
    word = tmp_path / "druk.docx"
    done = kwali(runner, "export", "quotes", "-p", str(study), "-o", str(word), "--query", "druk")
    assert done.exit_code == 0, done.output
    document = docx.Document(str(word))
    cells = [row.cells[0].text for table in document.tables for row in table.rows[1:]]
    assert cells == ["@druk"] * len(expected)  # one table, the code column names the query


def test_an_unknown_query_and_another_export_are_refused(runner, study, tmp_path):
    out = tmp_path / "x.csv"
    unknown = kwali(runner, "export", "quotes", "-p", str(study), "-o", str(out), "--query", "nee")
    assert unknown.exit_code == 1
    assert "geen opgeslagen zoekvraag 'nee'" in unknown.output and "@druk" in unknown.output
    assert not out.exists()
    matrix = kwali(runner, "export", "matrix", "-p", str(study), "-o", str(out), "--query", "druk")
    assert matrix.exit_code == 2 and "--query hoort bij de export quotes" in matrix.output
    assert not out.exists()
