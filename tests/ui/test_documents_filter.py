"""The documents screen's filter understands `kenmerk=waarde` and whole words."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from kwali.model import Transcript, Turn
from kwali.store import Project
from kwali.ui.screens.documents import FILTER_HINT, DocumentsScreen
from kwali.ui.widgets.document_table import DocumentTable

from ui_helpers import ScreenApp

PEOPLE = [
    ("interview_man_1", {"geslacht": "man", "rol": "werkzoekende"}),
    ("interview_vrouw", {"geslacht": "vrouw", "rol": "mantelzorger"}),
    ("interview_man_2", {"geslacht": "Man", "rol": "klantmanager"}),
    ("mantelzorg_noord", {"geslacht": "vrouw", "rol": "mantelzorger"}),
]


@pytest.fixture
def people():
    project = Project.in_memory()
    for name, attributes in PEOPLE:
        text = f"R: {name} vertelt."
        turn = Turn(1, 0, len(text), 3, len(text), "R", "respondent")
        project.add_document(
            Transcript(text, (turn,), f"{name}.txt", "txt"),
            lambda i, u: [],
            name=name,
            attributes=attributes,
        )
    yield project
    project.close()


def names(app) -> list[str]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one(DocumentTable)
    return [table.row_text(i)[1] for i in range(table.row_count)]


async def type_filter(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("escape", "f", *text)
    await pilot.pause()


async def test_key_value_filter_shows_only_the_men(people):
    app = ScreenApp(lambda: DocumentsScreen(people, "anna"))
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        assert len(names(app)) == 4
        await type_filter(pilot, "geslacht=man")
        assert names(app) == ["interview_man_1", "interview_man_2"]
        assert "2 van 4 documenten" in str(app.screen.query_one("#status").render())


async def test_words_are_whole_words_and_terms_combine(people):
    app = ScreenApp(lambda: DocumentsScreen(people, "anna"))
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        await type_filter(pilot, "man")  # not mantelzorg(er), not klantmanager
        assert names(app) == ["interview_man_1", "interview_man_2"]
        await type_filter(pilot, "mantelzorg")
        assert names(app) == ["mantelzorg_noord"]
        await type_filter(pilot, "geslacht=vrouw rol=mantelzorger")
        assert names(app) == ["interview_vrouw", "mantelzorg_noord"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(names(app)) == 4


async def test_filter_field_tells_about_kenmerk_waarde(people):
    app = ScreenApp(lambda: DocumentsScreen(people, "anna"))
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#documents-filter", Input)
        assert field.tooltip == FILTER_HINT
        assert "kenmerk=waarde" in FILTER_HINT
