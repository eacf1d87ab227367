"""What the exports say (#16): labels and written values, not keys and raw values; a quote
once however many coders coded it; sentence references; Dutch counts; the report's
subtotals, its tables without zeros, and its charts in the chapters they belong to."""

from __future__ import annotations

import docx
import pandas as pd
import pytest
from click.testing import CliRunner

from kwali.cli import cli
from kwali.export import export
from kwali.store import Project

from helpers import STUDY_CODINGS, build_study

SPANS = {(number, text, code) for number, text, code, _ in STUDY_CODINGS}


@pytest.fixture
def study(project, nlp, tmp_path):
    build_study(project, nlp, tmp_path)
    project.set_attribute(2, "rol", "ontvangende_organisatie")  # as a spreadsheet wrote it
    return project


@pytest.fixture(scope="module")
def study_file(tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("content")
    path = folder / "studie.kwali"
    with Project.create(path) as project:
        build_study(project, nlp, folder)
        project.set_attribute(2, "rol", "ontvangende_organisatie")
    return path


def _paragraphs(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def _cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[cell.text for cell in row.cells] for row in table.rows]


# -- the quote table ---------------------------------------------------------------------------
def test_a_merged_projects_quote_is_listed_once_with_its_coders_joined(study, tmp_path):
    table = pd.read_csv(export(study, "quotes", tmp_path / "q.csv").path)
    assert len(table) == len(SPANS)  # not one row per coder's coding
    brief = table[table["text"] == "Ik kreeg een brief dat ik moest komen."].iloc[0]
    assert brief["coder"] == "anna, bram, consensus"
    threat = table[table["code"] == "sanctie"].iloc[0]
    assert threat["coder"] == "anna, bram" and threat["memo"] == "mooi citaat (anna)"
    per_coder = pd.read_csv(export(study, "quotes", tmp_path / "p.csv", per_coder=True).path)
    assert len(per_coder) == len(study.codings())


def test_the_quotation_reference_is_the_sentence_the_ui_shows(study, tmp_path):
    table = pd.read_csv(export(study, "quotes", tmp_path / "q.csv").path)
    health = table[table["text"].str.startswith("Mijn rug")].iloc[0]
    assert health["quotation"] == "1:4.1"  # interview 1, turn 4, its first sentence
    assert health["reference"].startswith("interview 1, r. ")  # the line reference stays
    later = table[table["text"].str.startswith("Ik moet van de gemeente")].iloc[0]
    assert later["quotation"] == "1:4.2"


def test_attribute_values_are_shown_as_written_words_unless_keys_are_asked(study, tmp_path):
    table = pd.read_csv(export(study, "quotes", tmp_path / "q.csv").path)
    assert "ontvangende organisatie, man" in set(table["respondent"])
    assert "ontvangende organisatie" in set(table["rol"])
    raw = pd.read_csv(export(study, "quotes", tmp_path / "k.csv", keys=True).path)
    assert "ontvangende_organisatie, man" in set(raw["respondent"])


def test_the_matrix_and_frequencies_show_groups_as_words_and_keep_the_code_column(study, tmp_path):
    matrix = pd.read_csv(export(study, "matrix", tmp_path / "m.csv", by="rol").path)
    assert "ontvangende organisatie" in matrix.columns
    assert "ontvangende_organisatie" not in matrix.columns
    assert list(matrix.columns[:2]) == ["code", "code_path"]  # the machine's key column stays
    assert "Persoonlijke situatie > Gezondheid" in set(matrix["code_path"])
    frequencies = pd.read_csv(export(study, "frequencies", tmp_path / "f.csv", by="rol").path)
    assert set(frequencies["rol"]) == {"ontvangende organisatie", "werkzoekende"}
    keyed = pd.read_csv(export(study, "matrix", tmp_path / "k.csv", by="rol", keys=True).path)
    assert "ontvangende_organisatie" in keyed.columns


def test_the_respondents_overview_shows_values_as_words(study, tmp_path):
    out = export(study, "respondents", tmp_path / "r.docx").path
    cells = [c for t in docx.Document(str(out)).tables for row in _cells(t) for c in row]
    assert "ontvangende organisatie" in cells
    assert not any("ontvangende_" in c for c in cells)
    assert "2 interviews" in _paragraphs(out)[1]


# -- Dutch counts ------------------------------------------------------------------------------
def test_one_quote_one_memo_one_interview_are_singular(study, tmp_path):
    quotes = export(study, "quotes", tmp_path / "q.docx", codes=["sanctie"])
    assert " · 1 citaat · " in _paragraphs(quotes.path)[1]
    study.add_memo("project", "", "Eén memo.", "bram")
    memos = export(study, "memos", tmp_path / "m.docx", coders=["bram"])
    assert _paragraphs(memos.path)[1].endswith(" · 1 memo")


def test_the_memo_table_has_a_coder_column_only_with_more_than_one_coder(study, tmp_path):
    study.add_memo("project", "", "Van anna.", "anna")
    one = export(study, "memos", tmp_path / "a.docx", coders=["anna"]).path
    assert "Codeur" not in _cells(docx.Document(str(one)).tables[0])[0]
    asked = export(study, "memos", tmp_path / "b.docx", coders=["anna"], coder_column=True).path
    assert "Codeur" in _cells(docx.Document(str(asked)).tables[0])[0]
    study.add_memo("code", "dwang", "Van bram.", "bram")
    two = export(study, "memos", tmp_path / "c.docx").path
    tables = docx.Document(str(two)).tables
    assert all("Codeur" in _cells(t)[0] for t in tables)
    code_row = next(row for t in tables for row in _cells(t) if row[1] == "Van bram.")
    assert code_row[2] == "Verplichting & handhaving > Ervaren verplichting"  # not 'dwang'


# -- the report --------------------------------------------------------------------------------
def _report(study, tmp_path, name: str = "r.docx", **options):  # type: ignore[no-untyped-def]
    return export(study, "report", tmp_path / name, group_by="rol", **options).path


def test_a_category_counts_its_codes_with_a_bold_subtotal_and_no_empty_rows(study, tmp_path):
    document = docx.Document(str(_report(study, tmp_path)))
    tables = [t for t in document.tables if _cells(t)[-1][0].startswith("Subtotaal ")]
    plicht = next(t for t in tables if _cells(t)[-1][0] == "Subtotaal Verplichting & handhaving")
    assert _cells(plicht) == [
        ["rol", "ontvangende organisatie", "werkzoekende", "Totaal"],
        ["Ervaren verplichting", "1", "2", "3"],
        ["Sancties", "0", "1", "1"],
        ["Ontheffing", "1", "0", "1"],
        # each fragment once: "Ik moet van de gemeente" has dwang and sanctie
        ["Subtotaal Verplichting & handhaving", "2", "2", "4"],
    ]
    assert all(run.bold for run in plicht.rows[-1].cells[0].paragraphs[0].runs)
    assert not any(run.bold for run in plicht.rows[1].cells[0].paragraphs[0].runs)
    # a category's table is not its code's: a code's own table counts fragments and
    # respondents; a category of one coded code (Persoonlijke situatie) has none, its code's
    # chapter says it all, and Taal (nothing coded) is no row anywhere
    assert all("respondenten" not in [r[0] for r in _cells(t)] for t in tables)
    assert [_cells(t)[-1][0] for t in tables] == ["Subtotaal Verplichting & handhaving"]
    every = docx.Document(str(_report(study, tmp_path, "all.docx", all_codes=True)))
    persoon = next(t for t in every.tables if _cells(t)[-1][0] == "Subtotaal Persoonlijke situatie")
    assert [r[0] for r in _cells(persoon)[1:]] == [
        "Gezondheid",
        "Taal",
        "Subtotaal Persoonlijke situatie",
    ]
    assert _cells(persoon)[2][1:] == ["0", "0", "0"]


def test_the_report_cites_by_sentence_or_by_line_when_asked(study, tmp_path):
    quote = next(
        p for p in _paragraphs(_report(study, tmp_path)) if p.startswith("“Ik kreeg een brief")
    )
    assert quote.endswith("(werkzoekende, vrouw; 1:2.1)")
    by_line = _paragraphs(_report(study, tmp_path, "l.docx", cite="line"))
    quote = next(p for p in by_line if p.startswith("“Ik kreeg een brief"))
    assert quote.endswith("(werkzoekende, vrouw; interview 1, r. 2)")


def test_the_reports_facts_count_quotes_once_and_name_the_coders(study, tmp_path):
    document = docx.Document(str(_report(study, tmp_path)))
    facts = dict((r[0], r[1]) for r in _cells(document.tables[0])[1:])
    assert facts["Gecodeerde fragmenten"] == str(len(SPANS))
    assert facts["Codeurs"] == "anna, bram, consensus"
    assert facts["Interviews"] == "2"


def test_keys_only_when_asked(study, tmp_path):
    plain = _paragraphs(_report(study, tmp_path))
    assert "1.1 Ervaren verplichting" in plain and not any("[dwang]" in p for p in plain)
    keyed = _paragraphs(_report(study, tmp_path, "k.docx", keys=True))
    assert "1.1 Ervaren verplichting [dwang]" in keyed


def test_each_chart_stands_in_the_chapter_it_belongs_to(study, tmp_path):
    paragraphs = _paragraphs(_report(study, tmp_path, charts=True))
    overview = paragraphs.index("Overzicht in beeld")
    assert paragraphs[overview + 2] == "Figuur 1. Gecodeerde fragmenten per code en rol"
    paragraphs[:overview] = [""] * overview  # the contents list the chapters' titles too
    category = paragraphs.index("1 Verplichting & handhaving")
    chapter = paragraphs.index("1.1 Ervaren verplichting")
    following = paragraphs.index("1.2 Sancties")
    figure = next(
        i for i, p in enumerate(paragraphs) if "Ervaren verplichting: gecodeerde fragmenten" in p
    )
    assert chapter < figure < following
    assert (
        category
        < next(
            i
            for i, p in enumerate(paragraphs)
            if p.startswith("Figuur") and "Verplichting & handhaving: gecodeerde" in p
        )
        < chapter
    )
    assert not any("Taal:" in p for p in paragraphs)  # nothing coded: no chart


# -- the command -------------------------------------------------------------------------------
def test_the_command_takes_a_label_and_the_new_options(study_file, tmp_path):
    out = tmp_path / "q.csv"
    result = CliRunner().invoke(
        cli,
        ["export", "quotes", "-p", str(study_file), "-o", str(out), "--code", "Sancties"]
        + ["--per-coder", "--keys"],
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert set(table["code"]) == {"sanctie"} and len(table) == 2  # anna's and bram's
    report = tmp_path / "r.docx"
    result = CliRunner().invoke(
        cli,
        ["export", "report", "-p", str(study_file), "-o", str(report), "--group-by", "rol"]
        + ["--all-codes", "--cite", "line"],
    )
    assert result.exit_code == 0, result.output
    assert any(p.endswith("interview 1, r. 2)") for p in _paragraphs(report))


def test_a_document_argument_is_refused_by_an_export_without_documents(study_file, tmp_path):
    out = tmp_path / "q.csv"
    result = CliRunner().invoke(
        cli, ["export", "quotes", "3", "-p", str(study_file), "-o", str(out)]
    )
    assert result.exit_code == 2 and "DOCUMENT hoort bij de export transcript, niet bij quotes" in (
        result.output
    )
    assert not out.exists()
