"""The respondents overview of a project with cases: one row per case (its attributes, the
document:speaker labels that are it) and per document that still counts itself, saying so."""

from __future__ import annotations

import docx
import pandas as pd
from cases_helpers import add_group_interview, add_survey, add_turns_document

from kwali.export import export
from kwali.export.respondents import counted, respondents
from kwali.model import Code, Codebook, Document
from kwali.store import Project


def group_study(project: Project) -> tuple[Document, Document]:
    """groep_noord with coaches A and B linked to cases, and int2 (I and R) unlinked."""
    project.set_codebook(Codebook("t", (Code("dwang", "Dwang"),)))
    group = add_group_interview(project)
    single = add_turns_document(
        project,
        "int2",
        [("I", "interviewer", "Hoe gaat het?"), ("R", "respondent", "Goed, zo'n beetje.")],
        {"werkvorm": "individueel"},
    )
    project.import_cases(
        [(group.id, "Coach A", "coach_ans"), (group.id, "Coach B", "coach_bert")],
        {"coach_ans": {"team": "Noord", "rol": "coach"}, "coach_bert": {"team": "Zuid"}},
        "sprekers.csv",
    )
    for document, turn, coder in (
        (group, 0, "anna"),
        (group, 1, "anna"),
        (group, 1, "bram"),
        (group, 2, "anna"),
        (single, 1, "anna"),
    ):
        t = project.turns(document.id)[turn]
        project.add_coding(document.id, t.content_start, t.content_end, "dwang", coder)
    return group, single


def test_one_row_per_case_and_per_document_that_counts_itself(project):
    group_study(project)
    table = respondents(project)
    assert list(table.columns) == [
        "unit",
        "name",
        "documents",
        "speakers",
        "rol",
        "team",
        "werkvorm",
        "words",
        "turns",
        "duration",
        "codings",
        "codings anna",
        "codings bram",
    ]
    rows = table.to_dict("records")
    assert [(r["unit"], r["name"], r["speakers"]) for r in rows] == [
        ("case", "coach_ans", "1:Coach A"),
        ("case", "coach_bert", "1:Coach B"),
        ("document", "groep_noord", "1:I"),  # the interviewer has no case
        ("document", "int2", "2:I; 2:R"),
    ]
    # A case has its own attributes over its document's.
    assert [(r["rol"], r["team"], r["werkvorm"]) for r in rows] == [
        ("coach", "Noord", "groep"),
        ("", "Zuid", "groep"),
        ("", "", "groep"),
        ("", "", "individueel"),
    ]
    # Words: 8 + 8 of Coach A, 8 of Coach B, none of the interviewer, 3 of R.
    assert [r["words"] for r in rows] == [16, 8, 0, 3]
    assert [r["turns"] for r in rows] == [2, 1, 2, 2]
    assert [r["codings"] for r in rows] == [2, 1, 1, 1]
    assert [r["codings bram"] for r in rows] == [1, 0, 0, 0]
    assert counted(table) == "cases (gekoppelde sprekers) en documenten (de rest)"


def test_survey_respondents_are_the_rows_not_the_question_documents(project):
    add_survey(
        project,
        {
            "Q7": {"1023": "Voor het geld.", "1024": "", "1025": "Om mensen te zien."},
            "Q9": {"1023": "Nee.", "1025": "weet niet"},
        },
        attributes={
            "1023": {"aanpak": "Prestatie010"},
            "1024": {"aanpak": "Meedoen010"},
            "1025": {"aanpak": "Meedoen010"},
        },
    )
    table = respondents(project)
    rows = table.to_dict("records")
    # 1024 answered no open question: no speaker, still a respondent with its attributes.
    assert [(r["unit"], r["name"], r["documents"], r["speakers"]) for r in rows] == [
        ("case", "1023", "Q7; Q9", "1:1023; 2:1023"),
        ("case", "1024", "", ""),
        ("case", "1025", "Q7", "1:1025"),
    ]
    assert [r["aanpak"] for r in rows] == ["Prestatie010", "Meedoen010", "Meedoen010"]
    assert [r["words"] for r in rows] == [4, 0, 4] and [r["turns"] for r in rows] == [2, 0, 1]
    assert counted(table) == "cases"


def test_a_project_without_cases_counts_documents(project):
    add_turns_document(project, "int1", [("R", "respondent", "Ja.")])
    table = respondents(project)
    assert list(table.columns)[:2] == ["document", "document_name"]
    assert counted(table) == "documenten"


def test_word_table_and_csv_say_what_they_count(project, tmp_path):
    group_study(project)
    out = export(project, "respondents", tmp_path / "overzicht.docx", attributes=["rol"]).path
    document = docx.Document(str(out))
    (grid,) = document.tables
    rows = [[c.text.replace("\u200b", "") for c in row.cells] for row in grid.rows]
    assert rows[0] == ["Case of document", "Sprekers", "Rol", "Woorden", "Beurten", "Coderingen"]
    assert rows[1][:4] == ["coach_ans", "1:Coach A", "coach", "16"]
    assert rows[3][:2] == ["groep_noord (document)", "1:I"]
    assert rows[4][1].splitlines() == ["2:I", "2:R"]
    assert rows[5][0] == "Totaal (4)" and rows[5][3] == "27" and rows[5][5] == "5"
    note = document.paragraphs[-1].text
    assert note.startswith("Telt: cases (gekoppelde sprekers) en documenten (de rest).")
    csv = export(project, "respondents", tmp_path / "overzicht.csv").path
    read = pd.read_csv(csv, encoding="utf-8-sig", keep_default_na=False)
    assert list(read["name"]) == ["coach_ans", "coach_bert", "groep_noord", "int2"]


def test_a_combination_one_case_has_is_flagged(project, tmp_path):
    group_study(project)
    (message,) = export(
        project, "respondents", tmp_path / "o.csv", attributes=["rol", "team"]
    ).warnings
    assert "coach_ans (coach, Noord)" in message and "coach_bert (Zuid)" in message
