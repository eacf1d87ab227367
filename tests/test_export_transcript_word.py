"""The coded transcript in Word, as a supervisor gets it: the text with kwali's line numbers,
the bars in the code's colour beside the coded rows, the labels beside their first row, a
header with the document's facts; and the command line around it."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from kwali.cli import cli
from kwali.cli.exporting import export as export_command
from kwali.errors import ProjectError
from kwali.export import EXPORTERS
from kwali.export.transcript_word import TranscriptExporter
from kwali.io.turns import detect_turns
from kwali.model import Code, Codebook, Transcript
from kwali.store import Project

TEXT = (
    "[00:00:01] I: Hoe gaat het met u? Vertel eens.\n"
    "\n"
    "[00:00:05] R: Goed. Ik moest van Sanne de Vries naar de gemeente. Dat vond ik niet fijn.\n"
    "Daarna kreeg ik een brief."
)
CODEBOOK = Codebook(
    "studie",
    (
        Code("verplichting", "Verplichting", kind="category"),
        Code("dwang", "Ervaren verplichting", parent="verplichting", colour="#E74C3C"),
        Code("sanctie", "Sancties en dreiging", parent="verplichting", colour="#A93226"),
        Code("vertrouwen", "Vertrouwen en controle", colour="#edc948"),
    ),
)


def where(first: str, last: str | None = None) -> tuple[int, int]:
    start = TEXT.index(first)
    return start, (TEXT.index(last) + len(last)) if last else start + len(first)


MOEST = where("Ik moest", "gemeente.")


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """Two interviews; the first coded by anna and bram, overlapping and across a turn."""
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(CODEBOOK)
        for name, attributes, text in (
            ("01_werkzoekende", {"rol": "werkzoekende", "geslacht": "vrouw"}, TEXT),
            ("02_klantmanager", {"rol": "ontvangende_organisatie"}, TEXT.replace("brief", "mail")),
        ):
            project.add_document(
                Transcript(text, detect_turns(text), f"{name}.txt", "txt"),
                lambda i, u: [],
                attributes=attributes,
                name=name,
            )
        first = project.require_document("1").id
        for (start, end), key, coder in (
            (MOEST, "dwang", "anna"),
            (MOEST, "dwang", "bram"),
            (where("Ik moest", "niet fijn."), "sanctie", "anna"),
            (where("Vertel eens.", "Goed."), "vertrouwen", "bram"),
            (where("Daarna kreeg ik een brief."), "dwang", "bram"),
        ):
            project.add_coding(first, start, end, key, coder)
        project.set_replacement("Sanne de Vries", "[naam klantmanager]", "anna")
    return path


def body(path: Path, which: int = -1) -> list[list[tuple[str, str | None, str | None]]]:
    """A transcript table (the last: of the last document) below its header row: per row,
    per cell, (text, shading, vMerge)."""
    table = docx.Document(str(path)).tables[which]
    rows = []
    for tr in table._tbl.tr_lst[1:]:
        row = []
        for tc in tr.tc_lst:
            text = "\n".join("".join(t.text for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
            shading = tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
            merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            row.append(
                (
                    text,
                    shading.get(qn("w:fill")) if shading is not None else None,
                    (merge.get(qn("w:val")) or "continue") if merge is not None else None,
                )
            )
        rows.append(row)
    return rows


def header_texts(path: Path) -> list[str]:
    table = docx.Document(str(path)).tables[-1]
    return [cell.text for cell in table.rows[0].cells]


def write(study: Path, out: Path, **options: object) -> Path:
    with Project.open(study, readonly=True) as project:
        TranscriptExporter().write(project, out, **options)
    return out


def test_each_row_has_its_line_number_text_bars_and_the_labels_beside_its_first_row(
    study, tmp_path
):
    rows = body(write(study, tmp_path / "t.docx", documents=("1",)))
    numbers = [row[0][0] for row in rows]
    text = [row[1][0] for row in rows]
    assert numbers == ["1", "", "2", "3", "", "", "4"]
    assert text == [
        "[00:00:01] I: Hoe gaat het met u?",
        "Vertel eens.",
        "",
        "[00:00:05] R: Goed.",
        "Ik moest van Sanne de Vries naar de gemeente.",
        "Dat vond ik niet fijn.",
        "Daarna kreeg ik een brief.",
    ]
    lanes = [[fill for _, fill, _ in row[2:4]] for row in rows]
    assert lanes == [
        [None, None],
        ["EDC948", None],  # vertrouwen: from "Vertel eens." over the empty line to "Goed."
        ["EDC948", None],
        ["EDC948", None],
        ["A93226", "E74C3C"],  # sanctie next to the text, dwang (anna and bram) beside it
        ["A93226", None],
        ["E74C3C", None],
    ]
    labels = [(row[4][0], row[4][2]) for row in rows]
    assert labels == [
        ("", None),
        ("Vertrouwen en controle · bram", "restart"),
        ("", "continue"),
        ("", "continue"),
        ("Sancties en dreiging · anna\nErvaren verplichting · anna, bram", "restart"),
        ("", "continue"),
        ("Ervaren verplichting · bram", "restart"),
    ]
    assert header_texts(tmp_path / "t.docx")[:2] == ["Regel", "Tekst"]


def test_the_header_gives_the_documents_name_attributes_coders_and_date(study, tmp_path):
    out = write(study, tmp_path / "t.docx", documents=("01_werkzoekende",), coders=("anna",))
    document = docx.Document(str(out))
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Document"] == "1 · 01_werkzoekende"
    assert facts["Kenmerken"] == "geslacht: vrouw · rol: werkzoekende"
    assert facts["Codeurs"] == "anna"
    assert facts["Regels"] == "4"
    assert "Datum" in facts
    assert document.paragraphs[0].text == "Gecodeerd transcript: 01_werkzoekende"
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Gecodeerd transcript · 1 · 01_werkzoekende"
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer  # page numbers
    labels = "\n".join(row[4][0] for row in body(out))
    assert "bram" not in labels and "Vertrouwen" not in labels  # only anna's codings
    assert "Sancties en dreiging" in labels  # one coder: no name after the label


def test_per_coder_each_coder_has_lanes_and_labels_of_their_own(study, tmp_path):
    out = write(study, tmp_path / "t.docx", documents=("1",), per_coder=True)
    assert header_texts(out)[:2] == ["Regel", "Tekst"]
    assert [h for h in dict.fromkeys(header_texts(out)[2:])] == ["anna", "bram"]
    rows = body(out)
    # anna: two lanes and labels (columns 2-4); bram: one lane and labels (columns 5-6)
    assert [row[5][1] for row in rows] == [
        None,
        "EDC948",
        "EDC948",
        "EDC948",
        "E74C3C",
        None,
        "E74C3C",
    ]
    assert rows[4][4][0] == "Sancties en dreiging\nErvaren verplichting"
    assert rows[4][6][0] == "Ervaren verplichting"


def test_the_codes_option_keeps_only_those_codes_and_a_category_brings_its_codes(study, tmp_path):
    out = write(study, tmp_path / "t.docx", documents=("1",), codes=("verplichting",))
    labels = "\n".join(row[-1][0] for row in body(out))
    assert "Sancties en dreiging" in labels and "Vertrouwen" not in labels


def test_several_documents_in_one_file_each_from_a_new_page_with_its_own_header(study, tmp_path):
    out = write(study, tmp_path / "t.docx")
    document = docx.Document(str(out))
    assert len(document.sections) == 2
    assert [s.header.paragraphs[0].text for s in document.sections] == [
        "Gecodeerd transcript · 1 · 01_werkzoekende",
        "Gecodeerd transcript · 2 · 02_klantmanager",
    ]
    assert document.paragraphs[0].text == "Gecodeerde transcripten"
    facts = [t for t in document.tables if t.rows[0].cells[0].text == "Document"]
    assert "ontvangende organisatie" in facts[1].rows[1].cells[1].text  # shown, not raw


def test_each_writes_one_private_file_per_document_into_a_folder(study, tmp_path):
    folder = tmp_path / "bijlagen"
    folder.mkdir()
    with Project.open(study, readonly=True) as project:
        result = TranscriptExporter().write(project, folder, each=True)
    assert result.counts == {"documents": 2, "codings": 5}
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["01_werkzoekende.docx", "02_klantmanager.docx"]
    assert stat.S_IMODE((folder / files[0]).stat().st_mode) == 0o600


def test_unknown_document_or_coder_is_one_line_and_writes_nothing(study, tmp_path):
    with Project.open(study, readonly=True) as project:
        with pytest.raises(ProjectError, match="heeft geen document '9'"):
            TranscriptExporter().write(project, tmp_path / "t.docx", documents=("9",))
    assert not (tmp_path / "t.docx").exists()


# -- the command line --------------------------------------------------------------------
pytestmark_cli = pytest.mark.skipif(
    "transcript" not in EXPORTERS, reason="registered once the command has its DOCUMENT argument"
)


def run(runner, study: Path, *args: str):
    return runner.invoke(cli, ["export", "transcript", "-p", str(study), *args])


@pytestmark_cli
def test_the_command_writes_a_private_file_and_refuses_to_overwrite_it(runner, study, tmp_path):
    out = tmp_path / "t.docx"
    result = run(runner, study, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Geschreven: {out}: 2 documenten, 5 coderingen\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    again = run(runner, study, "-o", str(out))
    assert again.exit_code == 1
    assert again.stderr.strip().splitlines() == [
        f"kwali: fout: {out}: bestaat al (gebruik --force om het te overschrijven)"
    ]
    assert run(runner, study, "-o", str(out), "--force").exit_code == 0


@pytestmark_cli
def test_the_command_refuses_an_unknown_coder_in_one_line(runner, study, tmp_path):
    for coders in ("anna,cees", "cees"):
        result = run(runner, study, "-o", str(tmp_path / "t.docx"), "--coder", coders)
        assert result.exit_code == 1
        (line,) = result.stderr.strip().splitlines()
        assert "heeft geen codeur 'cees' (codeurs: anna, bram)" in line
        assert not (tmp_path / "t.docx").exists()


@pytestmark_cli
def test_the_command_anonymises_the_text(runner, study, tmp_path):
    out = tmp_path / "t.docx"
    result = run(runner, study, "-o", str(out), "--anonymize", "--coder", "anna")
    assert result.exit_code == 0, result.output
    texts = [row[1][0] for row in body(out, 1)]  # the first document's transcript
    assert "Ik moest van [naam klantmanager] naar de gemeente." in texts
    assert "Sanne" not in docx.Document(str(out)).element.xml


documents_argument = pytest.mark.skipif(
    "documents" not in {p.name for p in export_command.params} or "transcript" not in EXPORTERS,
    reason="kwali export has no DOCUMENT argument yet (requested from its owner)",
)


@documents_argument
def test_the_command_takes_documents_by_number_or_name(runner, study, tmp_path):
    out = tmp_path / "t.docx"
    result = run(runner, study, "02_klantmanager", "-o", str(out), "--per-coder")
    assert result.exit_code == 0, result.output
    assert docx.Document(str(out)).paragraphs[0].text == "Gecodeerd transcript: 02_klantmanager"
    missing = run(runner, study, "9", "-o", str(tmp_path / "x.docx"))
    assert missing.exit_code == 1
    assert (
        len(missing.stderr.strip().splitlines()) == 1
        and "heeft geen document '9'" in missing.stderr
    )


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice renders the file")
def test_libreoffice_prints_the_numbers_text_and_labels_on_one_page(study, tmp_path):
    out = write(study, tmp_path / "t.docx", documents=("1",))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "t.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = text.splitlines()
    moest = next(line for line in lines if "Ik moest van Sanne" in line)
    assert "Sancties en dreiging" in moest  # the label on the line of its first row
    assert any(line.split()[:2] == ["4", "Daarna"] for line in lines if line.strip())
    assert "Ervaren verplichting · anna, bram" in text


def test_a_margin_too_wide_for_portrait_turns_that_document_landscape(study, tmp_path):
    with Project.open(study) as project:
        first = project.require_document("1").id
        for coder in ("cees", "dirk"):
            project.add_coding(first, *where("Goed.", "fijn."), "vertrouwen", coder)
            project.add_coding(first, *MOEST, "sanctie", coder)
    out = write(study, tmp_path / "t.docx", documents=("1", "2"), per_coder=True)
    document = docx.Document(str(out))
    landscape = [s.page_width > s.page_height for s in document.sections]
    assert landscape == [True, False]  # four coders' margins; the second has no codings
    assert list(dict.fromkeys(header_texts(out)[2:])) == ["Codes"]  # no coder: one empty margin
    rows = body(out, 1)
    assert {cell[0] for row in rows for cell in row[2:]} >= {"Vertrouwen en controle"}


def test_a_quotes_line_reference_is_the_line_its_bar_starts_on(study):
    """A quote's line (``interview 1, r. 3``) is the number its bar starts at."""
    from kwali.export.tables import quotes
    from kwali.export.transcript_word import TranscriptOptions, transcript_parts

    with Project.open(study, readonly=True) as project:
        table = quotes(project)
        (part,) = transcript_parts(project, TranscriptOptions(documents=("1",), per_coder=True))
    starts = {
        (margin.coder, mark.code_key, mark.start): part.layout.rows[mark.first_row].line
        for margin in part.layout.margins
        for mark in margin.marks
    }
    for _, quote in table.iterrows():
        if quote["document"] == 1:
            assert starts[(quote["coder"], quote["code"], quote["start"])] == quote["line"]


def test_the_command_writes_one_file_per_document_with_each(runner, study, tmp_path):
    folder = tmp_path / "bijlagen"
    folder.mkdir()
    result = run(runner, study, "2", "1", "-o", str(folder), "--each", "--coder", "bram")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "01_werkzoekende.docx",
        "02_klantmanager.docx",
    ]
    again = run(runner, study, "1", "-o", str(folder), "--each")
    assert again.exit_code == 1 and "bestaat al" in again.stderr  # no --force
    not_a_folder = run(runner, study, "1", "-o", str(tmp_path / "t.docx"), "--each")
    assert not_a_folder.exit_code == 1
    assert "is geen map (met --each noemt -o een map)" in not_a_folder.stderr
