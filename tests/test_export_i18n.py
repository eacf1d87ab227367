"""The exports speak the run's language: Dutch by default, English with ``--lang en``.

Each test writes the same export twice, once as a Dutch user gets it and once under the
``english`` fixture, and reads the file back: table headers, headings, notes and refusals follow
the language; the data (quotes, code labels, keys) stays as the project holds it.
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from kwali.errors import ExportError
from kwali.export import export
from kwali.export.chart_data import NOTHING, ChartRefusal, bar_data
from kwali.i18n import set_language
from kwali.store import Project

from helpers import STUDY_CODEBOOK, build_study


@pytest.fixture
def study(project, nlp, tmp_path):
    return build_study(project, nlp, tmp_path)


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _header(path: Path) -> list[str]:
    return [cell.text for cell in docx.Document(str(path)).tables[0].rows[0].cells]


def _language(path: Path) -> str:
    return docx.Document(str(path)).core_properties.language


def test_the_quote_tables_are_dutch_by_default(study, tmp_path):
    out = export(study, "quotes", tmp_path / "citaten.docx").path
    assert _header(out)[:3] == ["Citaat", "Respondent", "Bron"]
    text = _text(out)
    assert "citaten" in text and "codeurs:" in text and "interview 1, r. " in text
    assert "Geen gecodeerde fragmenten." in text  # 'taal' has none
    assert _language(out) == "nl-NL"


def test_the_quote_tables_are_english_under_english(study, tmp_path, english):
    out = export(study, "quotes", tmp_path / "quotes.docx").path
    assert _header(out)[:3] == ["Quote", "Respondent", "Source"]
    text = _text(out)
    assert "quotes" in text and "coders:" in text and "interview 1, l. " in text
    assert "No coded segments." in text
    assert "Citaat" not in text and "Geen gecodeerde" not in text and "codeurs" not in text
    assert _language(out) == "en-GB"
    assert "Ervaren verplichting" in text  # a code's label is the project's, not translated


def test_the_report_follows_the_language(study, tmp_path):
    dutch = _text(export(study, "report", tmp_path / "rapport.docx").path)
    set_language("en")
    try:
        english = _text(export(study, "report", tmp_path / "report.docx").path)
    finally:
        set_language("nl")
    assert "Inhoud" in dutch and "Gecodeerde fragmenten" in dutch and "Totaal" in dutch
    assert "Contents" in english and "Coded segments" in english and "Total" in english
    assert "Inhoud" not in english and "Totaal" not in english
    assert "Made with kwali on" in english and "Gemaakt met kwali op" in dutch


def test_the_codebook_appendix_and_the_workbooks_follow_the_language(study, tmp_path, english):
    text = _text(export(study, "codebook", tmp_path / "codebook.docx").path)
    assert "Appendix: codebook" in text and "Definition" in text and "Segments" in text
    assert "Bijlage" not in text and "Definitie" not in text
    book = export(study, "matrix", tmp_path / "matrix.xlsx").path
    assert openpyxl.load_workbook(book).sheetnames == ["segments", "respondents"]


def test_a_refusal_is_one_line_in_the_language_of_the_run(study, tmp_path):
    out = tmp_path / "citaten.csv"
    out.write_text("oud")
    with pytest.raises(ExportError) as dutch:
        export(study, "quotes", out)
    assert dutch.value.one_line() == f"{out}: bestaat al (gebruik --force om het te overschrijven)"
    set_language("en")
    try:
        with pytest.raises(ExportError) as english:
            export(study, "quotes", out)
    finally:
        set_language("nl")
    assert english.value.one_line() == f"{out}: already exists (use --force to overwrite it)"


def test_the_cli_refuses_in_dutch_and_in_english(nlp, tmp_path, runner):
    from kwali.cli import cli

    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        build_study(project, nlp, tmp_path)
    out = tmp_path / "uit.pdf"
    args = ["export", "quotes", "-p", str(path), "-o", str(out)]
    dutch = runner.invoke(cli, args)
    english = runner.invoke(cli, ["--lang", "en", *args])
    assert dutch.exit_code == english.exit_code == 1
    assert "het formaat is niet af te leiden uit de extensie '.pdf'" in dutch.output
    assert "cannot tell the format from the extension '.pdf'" in english.output
    assert not out.exists()


def test_a_chart_refusal_keeps_its_reason_whatever_the_language(project, english):
    """The chart screen tells the refusals apart by their reason, never by their wording."""
    project.set_codebook(STUDY_CODEBOOK)  # codes, and nothing coded
    with pytest.raises(ChartRefusal) as refused:
        bar_data(project, by="document")
    assert refused.value.reason == NOTHING
    assert "nothing to draw" in refused.value.message
