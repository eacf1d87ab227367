"""Every memo in one table or Word document, read back from the written file."""

from __future__ import annotations

import docx
import openpyxl

from kwali.export import export
from kwali.export.memos import memos
from kwali.model import Code, Codebook, Transcript, Turn

TEXT = "I: Hoe was dat?\nR: Sanne zei dat het moest van de gemeente, anders word je gekort."


def study(project):  # type: ignore[no-untyped-def]
    turns = (
        Turn(1, 0, 15, 3, 15, "I", "interviewer"),
        Turn(2, 16, len(TEXT), 19, len(TEXT), "R", "respondent"),
    )
    document, _ = project.add_document(Transcript(TEXT, turns, "int.txt", "txt"), lambda i, u: [])
    project.set_codebook(Codebook("t", (Code("dwang", "Ervaren verplichting"),)))
    coding = project.add_coding(document.id, 19, 55, "dwang", "anna", memo="drang, niet dwang?")
    project.add_memo("document", str(document.id), "Sanne is de klantmanager.", "anna")
    project.add_memo("code", "dwang", "Scheiden van sanctie.", "bram")
    return document, coding


def test_memos_table_has_every_kind_with_what_it_is_about(project):
    study(project)
    table = memos(project)
    assert list(table["kind"]) == ["interview", "code", "codering (Ervaren verplichting)"]
    assert table.iloc[0]["reference"] == "interview 1"
    assert table.iloc[2]["about"].startswith("Sanne zei dat het moest")
    assert table.iloc[2]["reference"] == "1:2"  # no sentences here: the turn, as the UI shows
    assert memos(project, cite="line").iloc[2]["reference"] == "interview 1, r. 2"
    assert list(memos(project, coders=["bram"])["text"]) == ["Scheiden van sanctie."]


def test_memos_export_to_word_and_excel_read_back(project, tmp_path):
    study(project)
    project.set_replacement("Sanne", "[naam klantmanager]", "anna")
    word = export(project, "memos", tmp_path / "memos.docx", anonymize=True).path
    text = "\n".join(
        cell.text
        for table in docx.Document(str(word)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "[naam klantmanager] is de klantmanager." in text and "Sanne" not in text
    assert "drang, niet dwang?" in text
    sheet = openpyxl.load_workbook(export(project, "memos", tmp_path / "memos.xlsx").path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("kind", "about") and len(rows) == 4


def test_a_sentence_and_a_coding_are_cited_as_the_coding_screen_shows_them(project):
    """3:12.2, the sentence, as quotes and the report cite; by line only when asked."""
    from helpers import add_interview

    sentences = add_interview(project, "buurthuis")  # turns of two sentences
    project.set_codebook(Codebook("t", (Code("dwang", "Ervaren verplichting"),)))
    second = sentences[3]  # turn 2, sentence 2
    project.add_memo("segment", second.id, "Korting: angst of ervaring?", "anna")
    project.add_coding(second.document_id, second.start, second.end, "dwang", "anna", memo="ja")
    table = memos(project)
    assert list(table["reference"]) == ["1:2.2", "1:2.2"]
    by_line = memos(project, cite="line")
    assert list(by_line["reference"]) == ["interview 1, r. 2", "interview 1, r. 2"]
