"""The overview of respondents: one row per interview, read back from the written file."""

from __future__ import annotations

import stat

import docx
import openpyxl
import pandas as pd
from click.testing import CliRunner

from kwali.cli import cli
from kwali.export import export
from kwali.export.respondents import count_words, respondents
from kwali.model import Code, Codebook, Transcript, Turn
from kwali.store import Project

# The respondents say 6, 5 and 5 words ("zo'n" and "e-mail" are one word); the interviewer 4 and 3.
ONE = "[00:00:05] I: Hoe gaat het nu?\n[00:01:05] R: Goed, zo'n beetje als altijd eigenlijk.\n"
TWO = "I: En de gemeente?\nR: Ik kreeg een e-mail, vrouw.\n"


def _turns(text: str, timed: bool) -> tuple[Turn, ...]:
    lines = text.splitlines(keepends=True)
    turns, start = [], 0
    for number, (line, role) in enumerate(
        zip(lines, ("interviewer", "respondent"), strict=True), start=1
    ):
        label = line.index(": ") + 2
        stamp = (5.0, 65.0)[number - 1] if timed else None
        end = start + len(line.rstrip("\n"))
        turns.append(
            Turn(number, start, end, start + label, end, "IR"[number - 1], role, None, stamp)
        )
        start += len(line)
    return tuple(turns)


def study(project):  # type: ignore[no-untyped-def]
    """Interviews 1 and 2 share role and gender; interview 3 (the klantmanager) does not."""
    project.set_codebook(Codebook("t", (Code("dwang", "Ervaren verplichting"),)))
    people = [
        (ONE, True, {"rol": "werkzoekende", "geslacht": "vrouw", "leeftijdsgroep": "45-54"}),
        (TWO, False, {"rol": "werkzoekende", "geslacht": "vrouw", "aanpak": "Meedoen010"}),
        (TWO.replace("vrouw", "man"), False, {"rol": "klantmanager", "geslacht": "man"}),
    ]
    documents = []
    for number, (text, timed, attributes) in enumerate(people, start=1):
        document, _ = project.add_document(
            Transcript(text, _turns(text, timed), f"int{number}.txt", "txt"),
            lambda i, u: [],
            attributes=attributes,
        )
        documents.append(document)
    first = documents[0]
    answer = first.text.index("Goed")
    project.add_coding(first.id, answer, answer + 4, "dwang", "anna")
    project.add_coding(first.id, answer, answer + 4, "dwang", "bram")
    project.add_coding(documents[1].id, 0, 5, "dwang", "anna")
    return documents


def test_count_words_counts_what_a_reader_counts():
    assert count_words("Goed, zo'n beetje — als altijd (lacht) e-mail 2019…") == 8
    assert count_words("  ") == 0


def test_one_row_per_interview_with_attributes_words_turns_duration_codings(project):
    study(project)
    table = respondents(project)
    assert list(table.columns) == [
        "document",
        "document_name",
        "rol",
        "geslacht",
        "aanpak",
        "leeftijdsgroep",
        "words",
        "turns",
        "duration",
        "codings",
        "codings anna",
        "codings bram",
    ]
    assert list(table["document"]) == [1, 2, 3]
    assert list(table["document_name"]) == ["int1", "int2", "int3"]
    assert list(table["rol"]) == ["werkzoekende", "werkzoekende", "klantmanager"]
    assert list(table["aanpak"]) == ["", "Meedoen010", ""]
    assert list(table["words"]) == [6, 5, 5]  # the interviewer's words are not counted
    assert list(table["turns"]) == [2, 2, 2]
    assert list(table["duration"]) == ["00:01:05", "", ""]
    assert list(table["codings"]) == [2, 1, 0]
    assert list(table["codings anna"]) == [1, 1, 0] and list(table["codings bram"]) == [1, 0, 0]
    one_coder = respondents(project, attributes=["geslacht"], coders=["anna"])
    assert list(one_coder.columns) == [
        "document",
        "document_name",
        "geslacht",
        "words",
        "turns",
        "duration",
        "codings",
    ]
    assert list(one_coder["codings"]) == [1, 1, 0]


def test_a_transcript_without_speakers_is_all_respondent(project):
    text = "Eerste alinea met vijf woorden.\nEn nog drie."
    turns = (Turn(1, 0, 31, 0, 31), Turn(2, 32, len(text), 32, len(text)))
    project.add_document(Transcript(text, turns, "notes.txt", "txt"), lambda i, u: [])
    assert list(respondents(project)["words"]) == [8]


def test_csv_and_xlsx_are_private_and_read_back(project, tmp_path):
    study(project)
    shown = ["rol", "geslacht"]
    csv = export(project, "respondents", tmp_path / "overzicht.csv", attributes=shown).path
    xlsx = export(project, "respondents", tmp_path / "overzicht.xlsx", attributes=shown).path
    for path in (csv, xlsx):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    table = pd.read_csv(csv, encoding="utf-8-sig", keep_default_na=False)
    assert list(table["words"]) == [6, 5, 5] and list(table["rol"])[2] == "klantmanager"
    sheet = openpyxl.load_workbook(xlsx)["respondenten"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("document", "document_name", "rol", "geslacht") and len(rows) == 4
    assert rows[1][rows[0].index("duration")] == "00:01:05"


def test_word_table_reads_back(project, tmp_path):
    study(project)
    out = export(
        project,
        "respondents",
        tmp_path / "overzicht.docx",
        attributes=["rol", "geslacht"],
        title="Tabel 1",
    ).path
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == "Tabel 1"
    (table,) = document.tables
    rows = [[cell.text.replace("\u200b", "") for cell in row.cells] for row in table.rows]
    assert rows[0] == [
        "Nr.",
        "Interview",
        "Rol",
        "Geslacht",
        "Woorden",
        "Beurten",
        "Duur",
        "Coderingen",
    ]
    assert rows[1][:7] == ["1", "int1", "werkzoekende", "vrouw", "6", "2", "00:01:05"]
    assert rows[1][7].splitlines() == ["2", "anna 1 · bram 1"]
    assert rows[3][:4] == ["3", "int3", "klantmanager", "man"]
    assert rows[4][1] == "Totaal (3)" and rows[4][4] == "16" and rows[4][7] == "3"
    assert "zonder de interviewer" in document.paragraphs[-1].text


def test_a_combination_of_one_interview_is_flagged(project, tmp_path):
    study(project)
    (message,) = export(
        project, "respondents", tmp_path / "o.csv", attributes=["rol", "geslacht"]
    ).warnings
    assert "interview 3 (klantmanager, man)" in message and "(werkzoekende" not in message


def test_cli_refuses_an_existing_file_without_force(tmp_path):
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        study(project)
    existing = tmp_path / "overzicht.docx"
    existing.write_text("oud")
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "respondents", "-p", str(path), "-o", str(existing)])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert str(existing) in result.output and "--force" in result.output
    assert existing.read_text() == "oud"
    result = runner.invoke(
        cli,
        [
            "export",
            "respondents",
            "-p",
            str(path),
            "-o",
            str(existing),
            "--force",
            "--attribute",
            "rol,geslacht",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "interview 3 (klantmanager, man)" in result.output
        and f"Geschreven: {existing}" in result.output
    )
    assert docx.Document(str(existing)).tables
