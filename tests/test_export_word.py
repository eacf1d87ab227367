"""Word exports, opened again with python-docx: quote tables, the report, the codebook appendix."""

from __future__ import annotations

import docx
import pytest

from kwali.export import QuoteOptions, export
from kwali.model import Code

from helpers import build_study


@pytest.fixture
def study(project, nlp, tmp_path):
    return build_study(project, nlp, tmp_path)


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def _has_field(part_element, name: str) -> bool:
    return any(
        name in (t.text or "")
        for t in part_element.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instrText"
        )
    )


def test_quote_tables_one_per_code_with_a_row_per_quote(study, tmp_path):
    out = export(study, "quotes", tmp_path / "citaten.docx").path
    document = docx.Document(str(out))
    assert _headings(document)[:3] == [
        "1 Verplichting & handhaving",
        "1.1 Ervaren verplichting",
        "1.2 Sancties",
    ]
    assert "2.2 Taal" in _headings(document)
    tables = document.tables
    n_codes_with_codings = len({c.code_key for c in study.codings()})
    assert len(tables) == n_codes_with_codings
    rows = sum(len(t.rows) - 1 for t in tables)
    # a quote once, however many coders coded it (#16: the coders are joined in its row)
    assert rows == len({(c.code_key, c.document_id, c.start, c.end) for c in study.codings()})
    text = _text(document)
    assert "Mijn rug doet pijn (…) maar [naam coach] belde elke week." in text
    assert "interview 1, r. " in text and "werkzoekende, vrouw" in text
    assert "Geen gecodeerde fragmenten." in text  # 'taal' has none and still shows
    assert tables[0].rows[0].cells[0].text == "Citaat"
    assert "Memo" in [c.text for c in tables[0].rows[0].cells]  # anna's memo on 'sanctie'
    assert _has_field(document.sections[0].footer._element, "PAGE")
    assert tables[0].style.name == "Light Grid Accent 1"


def test_consensus_one_table_and_skipping_empty_codes(study, tmp_path):
    options = QuoteOptions(coders=["consensus"], one_table=True)
    document = docx.Document(
        str(export(study, "quotes", tmp_path / "c.docx", options=options).path)
    )
    assert len(document.tables) == 1
    table = document.tables[0]
    assert table.rows[0].cells[0].text == "Code"
    assert len(table.rows) - 1 == len(study.codings(coder="consensus"))
    # one coder in the export: no coder column unless asked (#16)
    assert "Codeur" not in [c.text for c in table.rows[0].cells]
    asked = export(study, "quotes", tmp_path / "a.docx", options=options, coder_column=True)
    table = docx.Document(str(asked.path)).tables[0]
    assert {row.cells[4].text for row in table.rows[1:]} == {"consensus"}
    skipped = docx.Document(str(export(study, "quotes", tmp_path / "s.docx", skip_empty=True).path))
    assert "2.2 Taal" not in _headings(skipped)


def test_long_quotes_dutch_text_and_control_characters(study, tmp_path):
    document = study.require_document("2")
    study.add_code(Code("lang", "Lange citaten"), "anna")
    study.add_coding(
        document.id, 0, len(document.text), "lang", "anna", memo="Één memo met \x0b verticale tab"
    )
    out = export(study, "quotes", tmp_path / "lang.docx", codes=["lang"], context=2).path
    exported = docx.Document(str(out))
    quote_cell = exported.tables[0].rows[1].cells[0].text
    assert quote_cell == document.text  # the whole interview, line breaks and "Eén" intact
    text = _text(exported)
    assert "Één memo met  verticale tab" in text


def test_report_has_contents_chapters_counts_and_attributed_quotes(study, tmp_path):
    out = export(
        study, "report", tmp_path / "rapport.docx", coders=["consensus"], group_by="aanpak"
    ).path
    document = docx.Document(str(out))
    assert _has_field(document.element.body, "TOC")
    paragraphs = [p.text for p in document.paragraphs]
    contents = paragraphs.index("Inhoud")
    assert (
        paragraphs[contents + 1] == "1 Verplichting & handhaving"
    )  # readable before fields update
    assert "1.1 Ervaren verplichting" in _headings(document)
    assert "Hoe de plicht wordt beleefd." in paragraphs  # the definition comes first
    quote = next(p for p in paragraphs if p.startswith("“Ik kreeg een brief"))
    assert quote.endswith("(werkzoekende, vrouw; 1:2.1)")  # cited by sentence (#16)
    assert "Nog geen gecodeerde fragmenten." in paragraphs
    counts = [
        t
        for t in document.tables
        if t.rows[0].cells[0].text == "aanpak" and t.rows[-1].cells[0].text == "respondenten"
    ]
    header = [c.text for c in counts[0].rows[0].cells]
    assert header == ["aanpak", "Meedoen010", "Prestatie010", "Totaal"]
    assert _has_field(document.sections[0].footer._element, "PAGE")


def test_report_merges_coders_on_the_same_span(study, tmp_path):
    document = docx.Document(str(export(study, "report", tmp_path / "r.docx").path))
    quotes = [p.text for p in document.paragraphs if p.text.startswith("“Ik kreeg een brief")]
    assert len(quotes) == 1  # three coders, one quote


def test_codebook_appendix(study, tmp_path):
    document = docx.Document(str(export(study, "codebook", tmp_path / "codeboek.docx").path))
    assert document.paragraphs[0].text == "Bijlage: codeboek Tegenprestatie"
    assert _headings(document)[1] == "1.1 Ervaren verplichting"
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "dwang")
    rows = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
    assert rows["Definitie"] == "Het gevoel te moeten."
    assert rows["Wel coderen"] == "oproepbrieven" and rows["Niet coderen"] == "een straf → sanctie"
    assert rows["Voorbeelden"] == "“Ik moest komen.”"
    assert rows["Fragmenten"] == "3"
