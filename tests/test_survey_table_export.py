"""The survey table as files: Word (a real table for a report), Excel (numbers as numbers),
CSV and the bar chart; private, and never over an existing file without --force."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from openpyxl import load_workbook
from survey_table_helpers import SURVEY_CODEBOOK, build_survey, survey_file

from kwali.analysis.survey_tables import multiple_note, survey_table
from kwali.cli import cli
from kwali.export.survey_tables import survey_bar_figure, write_survey_table
from kwali.model import Code, Codebook
from kwali.store import Project


@pytest.fixture
def table(project: Project):
    build_survey(project)
    return survey_table(project, "Q7", by=["aanpak"])


def _rows(document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def test_word_is_a_table_for_a_report(tmp_path, table):
    out = write_survey_table(table, tmp_path / "q7.docx")
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == "Q7. Waarom doet u mee?"
    assert document.sections[0].orientation == WD_ORIENT.PORTRAIT
    rows = _rows(document)
    # the groups over two cells each, then n under each group
    assert rows[0] == [
        "",
        *(g for g in ("Meedoen010", "Prestatie010", "(onbekend)", "Totaal") for _ in "12"),
    ]
    assert rows[1][1::2] == ["n = 2", "n = 3", "n = 1", "n = 6"]
    grid = document.tables[0]
    for header in grid.rows[:2]:  # both header rows repeat on every page
        properties = header._tr.trPr
        assert properties is not None and properties.find(qn("w:tblHeader")) is not None
    by_label = {row[0]: row[1:] for row in rows[2:]}
    assert by_label["Geld"] == ["0", "0,0%", "2", "66,7%", "0", "0,0%", "2", "33,3%"]
    assert by_label["Motieven"] == ["0", "0,0%", "2", "66,7%", "1", "100,0%", "3", "50,0%"]
    assert by_label["Geen code"] == ["1", "50,0%", "0", "0,0%", "0", "0,0%", "1", "16,7%"]
    # leeg and weet niet: below their own line, counts without percentages
    labels = [row[0] for row in rows]
    assert labels[-3:] == ["Geen antwoord (niet in n):", "leeg", "weet niet"]
    assert by_label["leeg"] == ["0", "", "1", "", "0", "", "1", ""]
    geld = next(row for row in grid.rows if row.cells[0].text == "Geld")
    assert all(c.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for c in geld.cells[1:])
    assert geld.cells[0].paragraphs[0].paragraph_format.left_indent > 0  # under Motieven
    notes = [p.text for p in document.paragraphs]
    assert multiple_note() + "." in notes
    assert "Leeg en weet niet tellen niet mee in n." in notes


def test_a_wide_table_turns_the_page(tmp_path, project):
    build_survey(project)
    crossed = survey_table(project, "Q7", by=["aanpak", "geslacht"])
    document = docx.Document(str(write_survey_table(crossed, tmp_path / "q7.docx")))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert _rows(document)[0][7] == "Prestatie010 · vrouw"


def test_excel_keeps_numbers_and_shows_percentages(tmp_path, table):
    out = write_survey_table(table, tmp_path / "q7.xlsx")
    sheet = load_workbook(out).active
    assert sheet is not None and sheet.title == "Q7"
    assert sheet["A1"].value == "Q7. Waarom doet u mee?"
    rows = {r[0].value: r for r in sheet.iter_rows() if r[0].value}
    assert [c.value for c in rows["n"][1:9:2]] == [2, 3, 1, 6]
    geld = rows["Geld"]
    assert [c.value for c in geld[1:9:2]] == [0, 2, 0, 2]
    assert geld[4].value == pytest.approx(2 / 3) and geld[4].number_format == "0.0%"
    assert geld[0].alignment.indent == 1
    assert [c.value for c in rows["weet niet"][1:9]] == [1, None, 0, None, 0, None, 1, None]
    assert multiple_note() + "." in rows


def test_excel_and_csv_keep_a_formula_like_label_as_text(tmp_path, project):
    build_survey(project)
    project.set_codebook(
        Codebook(SURVEY_CODEBOOK.name, (*SURVEY_CODEBOOK.codes, Code("som", "=1+1")))
    )
    document = project.require_document("Q7")
    turn = project.turns(document.id)[4]  # 106
    project.add_coding(document.id, turn.content_start, turn.content_end, "som", "anna")
    made = survey_table(project, "Q7")
    sheet = load_workbook(write_survey_table(made, tmp_path / "q7.xlsx")).active
    assert sheet is not None
    cell = next(r[0] for r in sheet.iter_rows() if r[0].value == "=1+1")
    assert cell.data_type == "s" and cell.quotePrefix
    with open(write_survey_table(made, tmp_path / "q7.csv"), encoding="utf-8-sig") as f:
        assert any(row[2] == "'=1+1" for row in csv.reader(f))


def test_csv_rows_and_columns(tmp_path, table):
    out = write_survey_table(table, tmp_path / "q7.csv")
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:5] == ["soort", "code", "label", "Meedoen010 aantal", "Meedoen010 %"]
    assert rows[0][-2:] == ["Totaal aantal", "Totaal %"]
    assert rows[1][:3] == ["n", "", "n"] and rows[1][3::2] == ["2", "3", "1", "6"]
    geld = next(r for r in rows if r[1] == "geld")
    assert geld[3:] == ["0", "0.0", "2", "66.7", "0", "0.0", "2", "33.3"]
    assert [r[0] for r in rows[-3:]] == ["geen code", "niet in n", "niet in n"]
    assert rows[-1][2:] == ["weet niet", "1", "", "0", "", "0", "", "1", ""]


def test_bar_chart_one_bar_per_group_in_percentages(table):
    figure = survey_bar_figure(table)
    ax = figure.axes[0]
    assert len(ax.containers) == 3  # Meedoen010, Prestatie010, (onbekend)
    labels = [t.get_text().strip() for t in ax.get_yticklabels()]
    assert labels == [
        "Motieven",
        "Werk vinden",
        "Geld",
        "Verplichting",
        "Moeten van de gemeente",
        "Sociale contacten",
        "Geen code",
    ]
    # headings get no bar: per group a bar for werk, geld, dwang, contact and Geen code
    prestatie = [bar.get_width() for bar in ax.containers[1]]
    assert prestatie == pytest.approx([100 / 3, 200 / 3, 100 / 3, 0, 0])
    legend_box = ax.get_legend()
    assert legend_box is not None
    legend = [t.get_text() for t in legend_box.get_texts()]
    assert legend == ["Meedoen010 (n = 2)", "Prestatie010 (n = 3)", "(onbekend) (n = 1)"]
    assert any(multiple_note() in t.get_text() for t in figure.texts)


def test_chart_files_are_pictures_and_the_same_each_time(tmp_path, table):
    png = write_survey_table(table, tmp_path / "q7.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    first = write_survey_table(table, tmp_path / "a.svg").read_bytes()
    second = write_survey_table(table, tmp_path / "b.svg").read_bytes()
    assert first.startswith(b"<?xml") and first == second


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".csv", ".png", ".svg"])
def test_files_are_private_and_need_force_to_overwrite(runner, tmp_path, suffix):
    path = survey_file(tmp_path)
    out = tmp_path / f"q7{suffix}"
    args = ["survey", "table", "-p", str(path), "-q", "Q7", "--by", "aanpak", "-o", str(out)]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    written = out.read_bytes()
    again = runner.invoke(cli, args)
    assert again.exit_code == 1
    assert (
        again.output.strip()
        == f"kwali: fout: {out}: bestaat al (gebruik --force om het te overschrijven)"
    )
    assert out.read_bytes() == written
    forced = runner.invoke(cli, [*args, "--force"])
    assert forced.exit_code == 0 and out.exists()


def test_write_refuses_an_unknown_extension(tmp_path, table):
    from kwali.errors import ExportError

    with pytest.raises(ExportError, match="kan .pdf niet schrijven"):
        write_survey_table(table, Path(tmp_path / "q7.pdf"))
