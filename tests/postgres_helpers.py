"""Builders for the PostgreSQL tests (issue 19): a project that fills every table, with values
that are easy to lose (any Unicode, NULLs, floats at the edges, gaps in ids, an order kept only
by SQLite's rowid), and readers of every row on both engines.

The database itself comes from the ``postgres_dsn`` fixture (conftest.py).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from kwali.model import Evidence, Suggestion
from kwali.store import Project
from kwali.store.groups import Group, Link

from helpers import STUDY_CODEBOOK

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTS = ROOT / "transcripts"

# Texts a copy could damage: combining marks, astral planes, right-to-left, separators, controls.
AWKWARD = (
    "Zo’n “citaat” — ünïcödé é (e + \u0301), 😀👩🏽‍🌾, עברית, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, 中文, "
    "tab\there, line\nbreak, crlf\r\n, \u2028 \u00a0 \ufeff \U0010ffff \x7f end"
)
FLOATS = (0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308, -2.5e-310, float("inf"))


def build_team_project(path: Path, nlp: Any, folder: Path) -> Path:
    """Two transcripts of transcripts/ imported as a user would, plus codings by three coders,
    memos, attributes, suggestions and their reviews, groups, a link, cases, a survey, a summary,
    reviewed sentences, anonymisation rules, an undo and a redo, and a removed coding."""
    from kwali.app.importing import import_files, read_attribute_table
    from kwali.app.survey_import import import_survey
    from kwali.store.base import SuggestionRow
    from kwali.store.suggestion_sources import record_sources

    with Project.create(path) as project:
        import_files(
            project,
            [
                TRANSCRIPTS / "01_werkzoekende_vrouw_buurthuis.txt",
                TRANSCRIPTS / "02_werkzoekende_man_ontheffing.docx",
            ],
            attribute_table=read_attribute_table(TRANSCRIPTS / "attributes.csv"),
            workers=1,
        )
        project.set_codebook(STUDY_CODEBOOK)
        first, second = project.document_ids()
        sentences = [s for s in project.segments(first) if s.kind == "sentence"]
        later = [s for s in project.segments(second) if s.kind == "sentence"]
        for s in sentences[:4]:
            project.add_coding(first, s.start, s.end, "dwang", "anna")
        for s in sentences[2:5]:
            project.add_coding(first, s.start, s.end, "sanctie", "bram", memo=AWKWARD)
        project.add_coding(second, later[0].start, later[0].end, "ontheffing", "consensus")
        gone = project.add_coding(second, later[1].start, later[1].end, "gezondheid", "anna")
        project.remove_coding(gone.id, "anna")  # a gap in the ids, to be kept as it is
        project.add_coding(second, later[2].start, later[2].end, "gezondheid", "anna")
        project.undo("anna")
        project.redo("anna")
        project.add_coding(first, sentences[5].start, sentences[5].end, "taal", "anna")
        project.undo("anna")  # undone, not redone: its row is gone, its history stays

        project.add_memo("document", str(first), AWKWARD, "anna")
        project.add_memo("code", "dwang", "Leeg? Nee: ''", "bram")
        project.add_memo("project", "", "", "anna")
        project.set_attribute(first, "opmerking", AWKWARD)
        project.set_attribute_type("leeftijdsgroep", "text")
        for name, replacement in (
            ("Zeynep", "[naam]"),
            ("Anouk", "[naam 2]"),
            ("Buurthuis", "[plek]"),
        ):
            project.set_replacement(name, replacement)  # kept in the order they were made

        suggestions = [
            Suggestion(
                s.id,
                second,
                s.start,
                s.end,
                "dwang",
                score,
                (Evidence(s.start, s.end, "moet", "woord:moet", score),),
                "kwali-rules@1",
            )
            for s, score in zip(later[3:], FLOATS, strict=False)
        ]
        project.replace_suggestions(second, "kwali-rules@1", suggestions)
        stored = project.suggestions(document_id=second)
        project.accept_suggestion(stored[0].id, "anna")
        project.reject_suggestion(stored[1].id, "bram")
        rules = {
            (s.segment_id, s.code_key): SuggestionRow(
                s.segment_id, s.start, s.end, s.code_key, 0.75, "[]"
            )
            for s in suggestions[:2]
        }
        record_sources(project, second, "kwali-rules@1", ["anna", "bram"], rules)  # NULLs too

        project.import_groups(
            [
                Group("document", "Werkzoekenden", AWKWARD, (first, second)),
                Group("code", "Verplichting", "", ("dwang", "sanctie")),
            ],
            [
                Link(
                    (first, sentences[0].start, sentences[0].end),
                    (second, later[0].start, later[0].end),
                    name="zie ook",
                    coder="anna",
                )
            ],
            "anna",
            "handmatig",
        )
        speaker = project.document_speakers(first)[0]
        project.link_speaker(first, speaker, "Respondent 7")
        project.set_case_attributes("Respondent 7", {"woonplaats": "Rotterdam-Zuid"})
        case = project.case_named("Respondent 7")
        assert case is not None
        project.write_summary("case", case.id, "dwang", AWKWARD, "anna")
        project.mark_reviewed([sentences[6].id, sentences[7].id], "bram", about="1")

        survey = folder / "enquete.csv"
        # respondents out of order: only the rowid keeps the order they were given in
        survey.write_text(
            "respnr;leeftijd;Q7\n9;40;Ik moet wel, anders word ik gekort.\n2;31;weet niet\n"
            "5;58;\n3;22;Het buurthuis is gezellig 😀.\n",
            encoding="utf-8",
        )
        import_survey(
            project, survey, id_column="respnr", questions=["Q7"], attributes=["leeftijd"], nlp=nlp
        )
    return path


def sqlite_rows(db: sqlite3.Connection, table: str, rowid: bool) -> list[tuple]:
    """Every row of ``table`` with its rowid, in rowid order."""
    columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
    selected = ", ".join(
        ["rowid", *(f'"{c}"' for c in columns)] if rowid else (f'"{c}"' for c in columns)
    )
    return [comparable(r) for r in db.execute(f'SELECT {selected} FROM "{table}" ORDER BY rowid')]


def postgres_rows(url: str, table: str, columns: list[str], order: str) -> list[tuple]:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url) as pg:
        rows = pg.execute(
            sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
                sql.SQL(", ").join(map(sql.Identifier, columns)),
                sql.Identifier(table),
                sql.Identifier(order),
            )
        ).fetchall()
    return [comparable(r) for r in rows]


def comparable(row: Any) -> tuple:
    """A row whose floats compare bit for bit (0.0 and -0.0 differ, as in the file)."""
    return tuple((float.hex(v), type(v)) if isinstance(v, float) else (v, type(v)) for v in row)


def run_on(url: str, statement: str) -> list[tuple]:
    """One statement on the database at ``url``, committed; its rows, if any."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as pg:
        cursor = pg.execute(statement)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []
