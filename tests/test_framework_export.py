"""`kwali cases framework`: the framework matrix in Word (a landscape table of summaries and
quote counts) and Excel (the grid and the quotes per cell), private and never over a file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from framework_helpers import build_framework_study

from kwali.cli import cli
from kwali.store import Project


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "kader.kwali"
    with Project.create(path) as project:
        build_framework_study(project, tmp_path)
        a = project.case_named("coach-a")
        b = project.case_named("coach-b")
        assert a is not None and b is not None
        project.write_summary("case", a.id, "ervaring", "Ziet vooral plicht.", "anna")
        project.write_summary("case", a.id, "ervaring", "Komt trouw elke week.", "bram")
        project.write_summary("case", b.id, "gezondheid", "=Geen klachten genoemd.", "anna")
        document = project.require_document("interview")
        project.write_summary("document", document.id, "ervaring", "Moest komen.", "anna")
    return path


def _export(runner, study: Path, out: Path, *extra: str):  # noqa: ANN001, ANN202
    return runner.invoke(cli, ["cases", "framework", "-p", str(study), "-o", str(out), *extra])


def _word_rows(path: Path) -> list[list[str]]:
    import docx

    document = docx.Document(str(path))
    return [[c.text for c in row.cells] for t in document.tables for row in t.rows]


def test_word_table_holds_the_summaries_and_counts(runner, study: Path, tmp_path: Path) -> None:
    out = tmp_path / "matrix.docx"
    result = _export(runner, study, out)
    assert result.exit_code == 0, result.output
    assert "4 rijen × 2 codes, 4 samenvattingen, 7 citaten" in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = _word_rows(out)
    assert rows[0] == ["Eenheid", "Ervaring", "Gezondheid"]
    by_unit = {r[0]: r[1:] for r in rows[1:]}
    assert by_unit["coach-a"] == [
        "anna: Ziet vooral plicht.\nbram: Komt trouw elke week.\n2 citaten",
        "1 citaat",
    ]
    assert by_unit["coach-b"] == ["2 citaten", "anna: =Geen klachten genoemd."]
    assert by_unit["interview (document)"] == ["anna: Moest komen.\n1 citaat", ""]
    import docx

    section = docx.Document(str(out)).sections[0]
    assert section.page_width > section.page_height  # landscape


def test_word_of_one_coder_without_counts(runner, study: Path, tmp_path: Path) -> None:
    out = tmp_path / "anna.docx"
    result = _export(runner, study, out, "--coder", "anna", "--no-counts", "--codes", "Dwang")
    assert result.exit_code == 0, result.output
    rows = _word_rows(out)
    assert rows[0] == ["Eenheid", "Dwang"]
    text = "\n".join("|".join(r) for r in rows)
    assert "bram" not in text and "Komt trouw" not in text and "citaat" not in text


def test_excel_grid_and_quotes(runner, study: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "matrix.xlsx"
    assert _export(runner, study, out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    book = load_workbook(out)
    assert book.sheetnames == ["Matrix", "Citaten"]
    grid = [[c.value for c in row] for row in book["Matrix"].iter_rows()]
    assert grid[0] == [
        "eenheid",
        "soort",
        "Ervaring",
        "Ervaring (citaten)",
        "Gezondheid",
        "Gezondheid (citaten)",
    ]
    assert grid[1] == [
        "coach-a",
        "case",
        "anna: Ziet vooral plicht.\n\nbram: Komt trouw elke week.",
        2,
        None,
        1,
    ]
    assert book["Matrix"]["E3"].value == "anna: =Geen klachten genoemd."
    quotes = [[c.value for c in row] for row in book["Citaten"].iter_rows()]
    assert quotes[0][:4] == ["eenheid", "soort", "code", "referentie"]
    assert len(quotes) == 1 + 7
    first = dict(zip(quotes[0], quotes[1], strict=True))
    assert first["eenheid"] == "coach-a" and first["referentie"] == "1:2.1"
    assert first["spreker"] == "Coach A" and first["citaat"] == "Ze komen elke week."


def test_a_summary_like_a_formula_stays_text(runner, study: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "anna.xlsx"
    assert _export(runner, study, out, "--coder", "anna").exit_code == 0
    cell = load_workbook(out)["Matrix"]["E3"]
    assert cell.value == "=Geen klachten genoemd." and cell.data_type == "s"


def test_refuses_to_overwrite_without_force(runner, study: Path, tmp_path: Path) -> None:
    out = tmp_path / "matrix.docx"
    out.write_bytes(b"eerder werk")
    result = _export(runner, study, out)
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "bestaat al" in result.output
    assert out.read_bytes() == b"eerder werk"
    assert _export(runner, study, out, "--force").exit_code == 0
    assert out.read_bytes() != b"eerder werk"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--codes", "onbekend"], "heeft geen code 'onbekend'"),
        (["--codes", ","], "--codes noemt geen code"),
    ],
)
def test_bad_codes_one_line_nothing_written(
    runner, study: Path, tmp_path: Path, args: list[str], said: str
) -> None:
    out = tmp_path / "matrix.xlsx"
    result = _export(runner, study, out, *args)
    assert result.exit_code == 1 and not out.exists()
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and said in lines[0], result.output


def test_other_extension_is_refused(runner, study: Path, tmp_path: Path) -> None:
    out = tmp_path / "matrix.csv"
    result = _export(runner, study, out)
    assert result.exit_code == 1 and not out.exists()
    assert "is geen .docx of .xlsx" in result.output
