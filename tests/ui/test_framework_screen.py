"""Pilot tests for the framework screen (`F`): a summary written next to a cell's quotes is
stored only on ctrl+s, survives reopening, undo removes it; blind mode hides another coder's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from framework_helpers import build_framework_study
from textual.widgets import DataTable, Static, TextArea

from kwali.store import Project
from kwali.ui.app import KwaliApp
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.framework import FrameworkScreen

from ui_helpers import notifications


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "kader.kwali"
    with Project.create(path) as project:
        build_framework_study(project, tmp_path)
    return path


@pytest.fixture
def make_app(study: Path) -> Iterator[Callable[..., KwaliApp]]:
    opened: list[Project] = []

    def make(coder: str = "anna", blind: bool = False) -> KwaliApp:
        project = Project.open(study)
        opened.append(project)
        return KwaliApp(project, coder, blind=blind)

    yield make
    for project in opened:
        project.close()


async def open_framework(app: KwaliApp, pilot) -> FrameworkScreen:  # noqa: ANN001
    await pilot.pause()
    await pilot.press("F")
    await pilot.pause()
    assert isinstance(app.screen, FrameworkScreen)
    return app.screen


def cell_text(screen: FrameworkScreen, row: int, column: int) -> str:
    table = screen.query_one("#framework-grid", DataTable)
    return str(table.get_cell_at((row, column)))


def summaries(study: Path) -> list[tuple[str, str, str, str]]:
    with Project.open(study, readonly=True) as project:
        names = {c.id: c.name for c in project.cases()}
        return [(names[s.unit_id], s.code_key, s.coder, s.text) for s in project.summaries()]


async def test_grid_shows_the_quote_counts(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_framework(app, pilot)
        counts = [[cell_text(screen, r, c).split()[0] for c in (1, 2)] for r in range(4)]
        assert counts == [["2", "1"], ["2", "·"], ["·", "1"], ["1", "·"]]
        quotes = str(screen.query_one("#framework-quotes-body", Static).render())
        assert "coach-a × Ervaring · 2 citaten" in quotes
        assert "1:2.1 · Coach A" in quotes and "Ze komen elke week." in quotes


async def test_summary_is_saved_survives_reopening_and_undo_removes_it(make_app, study) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_framework(app, pilot)
        await pilot.press("down")  # coach-b × Ervaring
        await pilot.press("e")
        await pilot.press(*"Plezier en structuur.")
        assert summaries(study) == []  # nothing is stored before ctrl+s
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert summaries(study) == [("coach-b", "ervaring", "anna", "Plezier en structuur.")]
        assert any("opgeslagen" in n.message for n in notifications(app))
        assert "Plezier en structuur." in cell_text(screen, 1, 1)
        assert screen.query_one("#framework-summary", TextArea).read_only

    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_framework(app, pilot)
        await pilot.press("down")
        await pilot.pause()
        area = screen.query_one("#framework-summary", TextArea)
        assert area.text == "Plezier en structuur."
        await pilot.press("u")
        await pilot.pause()
        assert summaries(study) == []
        assert "Plezier" not in cell_text(screen, 1, 1)
        assert area.text == ""


async def test_enter_edits_and_escape_asks_before_dropping(make_app, study) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_framework(app, pilot)
        await pilot.press("enter")
        await pilot.press(*"Half af")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # keep writing
        await pilot.pause()
        assert app.screen is screen and screen.editing is not None
        await pilot.press(*" en meer")
        assert screen.query_one("#framework-summary", TextArea).text == "Half af en meer"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("j")  # drop it
        await pilot.pause()
        assert app.screen is screen and screen.editing is None
        assert summaries(study) == []
        assert screen.query_one("#framework-summary", TextArea).text == ""
        assert not any(
            "opgeslagen" in n.message and "niet" not in n.message for n in notifications(app)
        )


async def test_blind_mode_hides_another_coders_summary(make_app, study) -> None:
    with Project.open(study) as project:
        case = project.case_named("coach-a")
        assert case is not None
        project.write_summary("case", case.id, "ervaring", "Bram zijn lezing.", "bram")
    app = make_app(coder="anna", blind=True)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_framework(app, pilot)
        assert "Bram" not in cell_text(screen, 0, 1)
        assert "Bram" not in str(screen.query_one("#framework-others", Static).render())
        # only anna's codings: bram's "Ze komen elke week." is not counted
        assert cell_text(screen, 0, 1).split()[0] == "1"
    app = make_app(coder="anna")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_framework(app, pilot)
        assert "bram: Bram zijn lezing." in cell_text(screen, 0, 1)
        assert "Bram zijn lezing." in str(screen.query_one("#framework-others", Static).render())


async def test_c_lists_the_quotes_and_enter_opens_the_transcript(make_app) -> None:
    from kwali.ui.screens.coding import CodingScreen

    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await open_framework(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)


async def test_r_shows_only_rows_with_quotes_or_summaries(make_app, study) -> None:
    with Project.open(study) as project:  # a case without a word in the transcript
        project.set_case_attributes("coach-z", {"rol": "coach"}, coder="anna")
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_framework(app, pilot)
        assert [u.name for u in screen.units] == [
            "coach-a",
            "coach-b",
            "coach-z",
            "groep",
            "interview",
        ]
        await pilot.press("r")
        await pilot.pause()
        assert [u.name for u in screen.units] == ["coach-a", "coach-b", "groep", "interview"]
        assert "4 van 5 rijen" in str(screen.query_one("#framework-title", Static).render())
        await pilot.press("down", "down", "down", "e", *"Tekst", "ctrl+s")
        await pilot.pause()
        assert summaries_of(study) == [("interview", "ervaring", "anna", "Tekst")]


def summaries_of(study: Path) -> list[tuple[str, str, str, str]]:
    with Project.open(study, readonly=True) as project:
        return [
            (project.require_document(s.unit_id).name, s.code_key, s.coder, s.text)
            for s in project.summaries()
            if s.unit_kind == "document"
        ]
