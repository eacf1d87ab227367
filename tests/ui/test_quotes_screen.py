"""Pilot tests for the quotes screen: rows per coding, blind mode, jumping to context."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from kwali.model import Code, Codebook, Transcript, Turn
from kwali.store import Project
from kwali.ui.screens.code_picker import CodePickerModal
from kwali.ui.screens.quotes import QuotesScreen, choose_columns, trim

from ui_helpers import ScreenApp

LINES = [
    ("I", "interviewer", "Hoe gaat het met het vrijwilligerswerk in het buurthuis?"),
    ("R", "respondent", "Ik moet het doen, anders word ik gekort op mijn uitkering."),
    ("I", "interviewer", "En hoe is het contact met de klantmanager?"),
    ("R", "respondent", "Die luistert wel naar me, dat vind ik fijn."),
]


def add_document(
    project: Project, name: str, attributes: dict[str, str], repeat: int = 1
) -> list[Turn]:
    text, turns, offset, number = "", [], 0, 0
    for _ in range(repeat):
        for speaker, role, content in LINES:
            number += 1
            line = f"{speaker}: {content} ({name} {number})\n"
            turns.append(
                Turn(
                    number,
                    offset,
                    offset + len(line) - 1,
                    offset + len(speaker) + 2,
                    offset + len(line) - 1,
                    speaker=speaker,
                    role=role,
                )
            )
            text += line
            offset += len(line)
    project.add_document(
        Transcript(text, tuple(turns), f"{name}.txt", "txt"),
        lambda doc_id, uid: [],
        attributes=attributes,
    )
    return turns


@pytest.fixture
def quotes_project():
    """Two documents; anna and bram code dwang, anna codes sanctie once."""
    project = Project.in_memory()
    project.set_codebook(
        Codebook(
            "test",
            (
                Code("verplichting", "Verplichting", kind="category"),
                Code("dwang", "Ervaren dwang", parent="verplichting", colour="#d95f02"),
                Code("sanctie", "Sancties", parent="verplichting"),
            ),
        ),
        "kwali",
    )
    first = add_document(project, "buurthuis", {"rol": "werkzoekende", "geslacht": "vrouw"})
    second = add_document(project, "ontheffing", {"rol": "werkzoekende", "geslacht": "man"})
    doc1, doc2 = project.document_ids()
    project.add_coding(
        doc1, first[1].content_start, first[1].content_end, "dwang", "anna", memo="kern"
    )
    project.add_coding(doc1, first[1].content_start, first[1].content_end, "dwang", "bram")
    project.add_coding(doc2, second[3].content_start + 4, second[3].content_end, "dwang", "bram")
    project.add_coding(doc2, second[2].content_start, second[2].content_end, "sanctie", "anna")
    yield project
    project.close()


def table_rows(screen: QuotesScreen) -> list[dict[str, str]]:
    table = screen.query_one(DataTable)
    keys = [column.key.value for column in table.ordered_columns]
    return [
        dict(zip(keys, (str(cell) for cell in table.get_row_at(i)), strict=True))
        for i in range(table.row_count)
    ]


async def test_lists_every_coding_of_the_code(quotes_project):
    app = ScreenApp(lambda: QuotesScreen(quotes_project, "anna", code_key="dwang"))
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        rows = table_rows(app.screen)
        assert len(rows) == 3
        assert [r["coder"] for r in rows] == ["anna", "bram", "bram"]
        first = rows[0]
        assert first["ref"] == "1:2" and first["document"] == "buurthuis" and first["line"] == "2"
        assert (first["role"], first["gender"], first["speaker"], first["memo"]) == (
            "werkzoekende",
            "vrouw",
            "R",
            "kern",
        )
        assert first["quote"].startswith("Ik moet het doen")
        assert rows[2]["ref"] == "2:4" and rows[2]["quote"].startswith("luistert wel")
        title = str(app.screen.query_one("#quotes-title").render())
        assert "Ervaren dwang" in title and "3 coderingen in 2 documenten" in title


async def test_blind_mode_lists_only_own_codings_without_coder_column(quotes_project):
    app = ScreenApp(lambda: QuotesScreen(quotes_project, "anna", code_key="dwang", blind=True))
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        rows = table_rows(app.screen)
        assert len(rows) == 1 and "coder" not in rows[0]
        context = str(app.screen.query_one("#quote-context").render())
        assert "bram" not in context and "anna" not in context


async def test_context_pane_shows_the_quote_with_text_around_it(quotes_project):
    app = ScreenApp(lambda: QuotesScreen(quotes_project, "anna", code_key="dwang"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")
        await pilot.pause()
        context = str(app.screen.query_one("#quote-context").render())
        assert "luistert wel naar me" in context
        assert "klantmanager" in context  # the question before it
        assert "codeur: bram" in context


async def test_enter_jumps_to_the_coding_and_closes(quotes_project):
    app = ScreenApp(lambda: QuotesScreen(quotes_project, "anna", code_key="dwang"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        coding = quotes_project.codings(code_key="dwang")[2]
        assert app.jumps == [(coding.document_id, coding.start)]
        assert not isinstance(app.screen, QuotesScreen)


async def test_without_a_code_the_picker_opens(quotes_project):
    app = ScreenApp(lambda: QuotesScreen(quotes_project, "anna"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CodePickerModal)
        await pilot.press(*"sanc", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QuotesScreen)
        rows = table_rows(app.screen)
        assert len(rows) == 1 and rows[0]["ref"] == "2:3"
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"dwang", "enter")
        await pilot.pause()
        assert len(table_rows(app.screen)) == 3


async def test_many_codings_read_each_document_once(quotes_project, monkeypatch):
    turns = add_document(quotes_project, "lang", {}, repeat=400)
    doc = quotes_project.document_ids()[-1]
    with quotes_project.transaction():  # one transaction keeps building 1200 codings fast
        for turn in turns[:1200]:
            quotes_project.add_coding(doc, turn.content_start, turn.content_end, "sanctie", "anna")
    reads: list[int] = []
    original = quotes_project.require_document
    monkeypatch.setattr(
        quotes_project, "require_document", lambda ref: reads.append(ref) or original(ref)
    )
    app = ScreenApp(lambda: QuotesScreen(quotes_project, "anna", code_key="sanctie"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        for _ in range(50):
            if table.row_count == 1201:
                break
            await pilot.pause(0.02)
        assert table.row_count == 1201
        assert sorted(reads) == sorted(set(reads)) and len(reads) == 2


async def test_narrow_terminal_keeps_reference_and_quote(quotes_project):
    app = ScreenApp(lambda: QuotesScreen(quotes_project, "anna", code_key="dwang"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = [c.key.value for c in app.screen.query_one(DataTable).ordered_columns]
        assert keys[0] == "ref" and keys[-1] == "quote" and "coder" in keys
        assert "line" not in keys


def test_columns_and_trim():
    wide, quote_width = choose_columns(200, blind=False)
    assert {c.key for c in wide} >= {"ref", "document", "memo", "coder"} and quote_width >= 40
    narrow, quote_width = choose_columns(60, blind=True)
    assert "coder" not in {c.key for c in narrow} and quote_width >= 40
    assert trim("een  lange\nzin", 20) == "een lange zin"
    assert trim("een lange zin over niets", 10) == "een lange…"


async def test_reloads_when_another_kwali_added_a_coding(quotes_project):
    from kwali.ui.messages import ProjectChanged

    app = ScreenApp(lambda: QuotesScreen(quotes_project, "anna", code_key="sanctie"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        assert len(table_rows(app.screen)) == 1
        doc = quotes_project.document_ids()[0]
        quotes_project.add_coding(doc, 0, 5, "sanctie", "bram")
        app.screen.post_message(ProjectChanged())
        await pilot.pause()
        assert len(table_rows(app.screen)) == 2
