"""Every Word export as LibreOffice lays it out: no word of a table is broken across lines.

A researcher pastes these tables into a report as they are; "Geslach/t" or "Prestatie01/0"
in a header or cell means retyping the table. Each export of a small study (two interviews
with the sample's attributes, three coders, a coded survey) is rendered to PDF once
(render_helpers) and every word of its tables must come back whole from the PDF's text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Length
from render_helpers import pdf_words, render_many
from survey_table_helpers import survey_file

from kwali.cli import cli
from kwali.model import Code
from kwali.store import Project

from helpers import build_study

# the sample's attributes: long values and keys with underscores, as the issue found them
ATTRIBUTES = {
    1: {
        "rol": "activeringscoach",
        "leeftijdsgroep": "45-54",
        "vorm_tegenprestatie": "vrijwilligerswerk",
        "interviewvorm": "face-to-face",
        "periode": "Prestatie010",
        "duur_uitkering": "korter dan 1 jaar",
        "leeftijd": "45",
    },
    2: {
        "rol": "ontvangende_organisatie",
        "leeftijdsgroep": "55-64",
        "vorm_tegenprestatie": "ontheffing",
        "interviewvorm": "telefonisch",
        "periode": "Taskforce",
        "duur_uitkering": "5 jaar of langer",
        "leeftijd": "64",
    },
}
ALL = (  # with the survey's, as in the sample: fifteen columns, too wide even for landscape
    "rol,geslacht,leeftijdsgroep,aanpak,vorm_tegenprestatie,interviewvorm,periode,duur_uitkering,leeftijd"
)
EXPORTS = {
    "quotes": ["export", "quotes"],
    "quotes_one_table": ["export", "quotes", "--one-table"],
    "report": ["export", "report"],
    "codebook": ["export", "codebook"],
    "memos": ["export", "memos"],
    "respondents": ["export", "respondents", "--attribute", ALL],
    "agreement": ["agree", "--coders", "anna,bram"],
    "framework": ["cases", "framework"],
    "words": ["words"],
    "transcript": ["export", "transcript"],
}
BREAK = "\u200b"  # a zero-width space: where an exporter allows a line break inside a word


def _has_transcript_export() -> bool:
    command = cli.get_command(None, "export")  # type: ignore[arg-type]
    choices = getattr(command.params[0].type, "choices", ()) if command else ()
    return "transcript" in choices


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, nlp) -> dict[str, Path | str]:
    """{export name: its .docx, with its PDF beside it, or why kwali could not write it}."""
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("layout")
    study = folder / "studie.kwali"
    with Project.create(study) as project:
        build_study(project, nlp, folder)
        for number, attributes in ATTRIBUTES.items():
            document = project.require_document(str(number))
            for key, value in attributes.items():
                project.set_attribute(document.id, key, value)
    runner = CliRunner()
    commands = {name: [*command, "-p", str(study)] for name, command in EXPORTS.items()}
    if not _has_transcript_export():
        del commands["transcript"]
    survey = ["survey", "table", "-p", str(survey_file(folder)), "-q", "Q7", "--by", "aanpak"]
    commands["survey"] = [*survey, "--by", "geslacht"]
    written: dict[str, Path | str] = {}
    for name, command in commands.items():
        out = folder / f"{name}.docx"
        result = runner.invoke(cli, [*command, "-o", str(out)])
        written[name] = out if result.exit_code == 0 else f"{result.output}{result.exception!r}"
    render_many([p for p in written.values() if isinstance(p, Path)])
    return written


def table_words(path: Path) -> Counter[str]:
    """Each word of every table cell (a merged cell once); a zero-width space stays in it."""
    document = docx.Document(str(path))
    words: Counter[str] = Counter()
    for table in document.element.body.iter(qn("w:tbl")):
        for cell in table.iter(qn("w:tc")):
            for paragraph in cell.iter(qn("w:p")):
                text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
                words.update(w for w in text.split() if len(w.replace(BREAK, "")) > 1)
    return words


def broken(path: Path) -> list[str]:
    """The table words the PDF shows fewer times whole than the tables hold them; a word may
    break where the exporter put a zero-width space (then its parts are on the page)."""
    shown = " ".join(pdf_words(path.with_suffix(".pdf")))
    whole = Counter(shown.replace(BREAK, "").split()) + Counter(shown.replace(BREAK, " ").split())
    return sorted(
        w.replace(BREAK, "")
        for w, n in table_words(path).items()
        if whole[w.replace(BREAK, "")] < n
        and not (BREAK in w and all(whole[part] >= n for part in w.split(BREAK) if part))
    )


@pytest.mark.parametrize("name", [*EXPORTS, "survey"])
def test_no_table_word_is_broken_across_lines(rendered, name):
    if name not in rendered:
        pytest.skip(f"kwali has no {name} export yet")
    path = rendered[name]
    assert isinstance(path, Path), f"kwali export {name} failed: {path}"
    assert table_words(path), f"{name}: the export holds no table to check"
    assert broken(path) == [], f"{name}: words broken across lines in {path.with_suffix('.pdf')}"


# -- without rendering: what fit_tables decides ----------------------------------------------
def _saved(doc, tmp_path: Path) -> docx.document.Document:
    from kwali.export.word import save

    save(doc, tmp_path / "t.docx")
    return docx.Document(str(tmp_path / "t.docx"))


def _widths(table) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in table._tbl.iter(qn("w:gridCol"))]


def test_a_table_whose_words_do_not_fit_portrait_gets_a_landscape_section(tmp_path):
    from docx.enum.section import WD_ORIENT

    from kwali.export.word import new_document, styled_table

    doc = new_document("Breed")
    doc.add_heading("Inleiding", level=1)
    doc.add_paragraph("Tekst voor de tabel.")
    doc.add_heading("Tabel", level=1)
    headers = [f"Krippendorffs{n}" for n in range(9)]  # nine long words: 9 x ~2.6 cm
    styled_table(doc, headers, [16.6 / 9] * 9)
    doc.add_heading("Daarna", level=1)
    saved = _saved(doc, tmp_path)
    assert [s.orientation for s in saved.sections] == [
        WD_ORIENT.PORTRAIT,
        WD_ORIENT.LANDSCAPE,
        WD_ORIENT.PORTRAIT,
    ]
    landscape = saved.sections[1]
    room = Length(landscape.page_width - landscape.left_margin - landscape.right_margin)
    assert sum(_widths(saved.tables[0])) <= room.twips + 1
    # the portrait pages end after the text: the table's heading goes with it
    ends = [
        p.text for p in saved.paragraphs if p._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    ]
    assert ends[0] == "Tekst voor de tabel."


def test_columns_get_their_longest_word_and_the_quotes_the_rest(tmp_path):
    from kwali.export.word import add_row, new_document, styled_table

    doc = new_document("Smal")
    grid = styled_table(doc, ["Citaat", "Gecodeerd", "Nr"], [5.0, 5.0, 6.6])
    cells = add_row(grid, [5.0, 5.0, 6.6])
    cells[0].text = "Ik moest komen van de gemeente, anders word ik gekort. " * 4
    cells[1].text, cells[2].text = "activeringscoach", "00:22:01"
    widths = _widths(_saved(doc, tmp_path).tables[0])
    assert sum(widths) == pytest.approx(16.6 * 1440 / 2.54, abs=3)
    assert widths[0] > widths[1] > widths[2]  # the quote takes the room the others don't need


def test_a_table_in_another_style_keeps_its_widths(tmp_path):
    from docx.shared import Cm

    from kwali.export.word import new_document

    doc = new_document("Transcript")
    table = doc.add_table(rows=1, cols=3)
    table.autofit = False
    for column, width in zip(table.columns, (0.8, 0.32, 15.48), strict=True):
        column.width = Cm(width)
    table.rows[0].cells[2].text = "Een regel van het transcript die zijn breedte houdt."
    assert _widths(_saved(doc, tmp_path).tables[0]) == _widths(table)


def test_quotes_without_the_coder_column(tmp_path):
    import pandas as pd

    from kwali.export.word import quote_document
    from kwali.model import Codebook

    codebook = Codebook("x", (Code("a", "Alfa"),))
    row = {
        "code": "a",
        "code_path": "Alfa",
        "text": "Ik moest komen.",
        "context_before": "",
        "context_after": "",
        "respondent": "werkzoekende",
        "reference": "interview 1, r. 2",
        "quotation": "1:2.1",
        "timestamp": "",
        "coder": "anna",
        "memo": "",
    }
    for one_table in (False, True):
        doc = quote_document(
            pd.DataFrame([row]),
            codebook,
            list(codebook),
            title="t",
            one_table=one_table,
            coder_column=False,
        )
        # the quote rows are streamed into the file on save: read them from the saved file
        saved = _saved(doc, tmp_path)
        header, first = ([c.text for c in r.cells] for r in saved.tables[0].rows)
        assert "Codeur" not in header and "anna" not in first
        assert first[header.index("Citaat")] == "Ik moest komen."


def test_a_table_of_contents_is_filled_when_word_opens_the_document(tmp_path):
    from kwali.export.word import add_field, new_document

    def update_fields(doc) -> list[str]:
        return [
            u.get(qn("w:val"))
            for u in _saved(doc, tmp_path).settings.element.iter(qn("w:updateFields"))
        ]

    plain = new_document("Zonder inhoudsopgave")  # PAGE in the footer needs no asking
    assert update_fields(plain) == []
    report = new_document("Rapport")
    add_field(report.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', "Inhoud")
    assert update_fields(report) == ["true"]


def test_a_table_too_wide_for_landscape_narrows_its_cell_margins_before_its_font(tmp_path):
    from kwali.export.word import new_document, styled_table, text_width

    doc = new_document("Zeer breed")
    headers = [f"Leeftijdsgroep{n}" for n in range(9)]  # 9 x (2.5 cm bold + margins) > 25.3
    styled_table(doc, headers, [1.0] * 9)
    saved = _saved(doc, tmp_path)
    table = saved.tables[0]
    margin = table._tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}/{qn('w:left')}")
    assert margin is not None and int(margin.get(qn("w:w"))) < 108
    section = saved.sections[0]
    room = section.page_width - section.left_margin - section.right_margin
    assert sum(_widths(table)) <= Length(room).twips + 1
    word = text_width(headers[0], 10.5, bold=True) * 1440 / 2.54
    assert min(_widths(table)) > word  # the font kept its size: each word still fits
    assert not list(table._tbl.iter(qn("w:sz")))
