"""Pilot tests for the agreement screen: figures per code, and settling disagreements."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, SelectionList

from kwali.app.agreeing_data import CONSENSUS
from kwali.store import Project
from kwali.ui.screens.agreement import AgreementScreen, PickCodesModal

from helpers import AGREEMENT_CODEBOOK, add_interview, code_two_coders, code_units
from ui_helpers import ScreenApp


@pytest.fixture
def agreement_project():
    """The agreement study: anna and bram disagree on dwang, agree on brief."""
    project = Project.in_memory()
    code_two_coders(project)
    yield project
    project.close()


def rows(screen, table_id: str) -> list[list[str]]:
    table = screen.query_one(table_id, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_statistics_and_disagreements_side_by_side(agreement_project):
    app = ScreenApp(lambda: AgreementScreen(agreement_project, "anna"))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        stats = rows(app.screen, "#agree-stats")
        assert [r[0] for r in stats] == ["Dwang", "Brieven", "Alle codes"]  # labels
        assert stats[0][:4] == ["Dwang", "10", "4", "3"]
        assert any(cell.startswith("0,35 [") for cell in stats[0])  # κ with its interval
        diffs = rows(app.screen, "#agree-diffs")
        assert [r[:4] for r in diffs] == [
            ["1:2.1", "Dwang", "—", ""],
            ["1:2.2", "Dwang", "—", ""],
            ["1:3.1", "—", "Dwang", ""],
        ]
        assert "Ik was bang" in str(app.screen.query_one("#agree-unit").render())
        await pilot.press("e")
        await pilot.pause()
        assert "eenheid: beurt" in str(app.screen.query_one("#agree-title").render())
        assert [r[0] for r in rows(app.screen, "#agree-diffs")] == ["1:2", "1:3"]


async def test_settling_writes_only_the_consensus_layer(agreement_project):
    before = {c: len(agreement_project.codings(coder=c)) for c in ("anna", "bram")}
    app = ScreenApp(lambda: AgreementScreen(agreement_project, "anna"))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("1")  # take anna's codes for 1:2.1
        await pilot.pause()
        screen = app.screen
        assert (
            screen.query_one("#agree-diffs", DataTable).cursor_row == 1
        )  # on to the next open unit
        await pilot.press("2")  # bram's codes for 1:2.2: none
        await pilot.pause()
        await pilot.press("p")  # pick for 1:3.1
        await pilot.pause()
        assert isinstance(app.screen, PickCodesModal)
        app.screen.query_one(SelectionList).select("plezier")
        await pilot.press("v")
        await pilot.pause()
        assert rows(app.screen, "#agree-diffs")[2][3] == "Plezier"
        assert "nog open: 0" in str(app.screen.query_one("#review-title").render())
    agreed = sorted((c.start, c.code_key) for c in agreement_project.codings(coder=CONSENSUS))
    assert [key for _, key in agreed] == ["dwang", "plezier"]
    assert {c: len(agreement_project.codings(coder=c)) for c in ("anna", "bram")} == before


async def test_blind_mode_shows_nothing_of_other_coders(agreement_project):
    app = ScreenApp(lambda: AgreementScreen(agreement_project, "anna", blind=True))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        assert "blinde modus" in str(app.screen.query_one("#agree-title").render())
        assert app.screen.query_one("#agree-diffs", DataTable).row_count == 0


async def test_one_coder_gives_a_message_not_a_crash(tmp_path):
    with Project.in_memory() as project:
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
        code_units(project, add_interview(project, "een"), "anna", "dwang", [0])
        app = ScreenApp(lambda: AgreementScreen(project, "anna"))
        async with app.run_test(size=(120, 35)) as pilot:
            await pilot.pause()
            title = str(app.screen.query_one("#agree-title").render())
            assert "minstens twee codeurs met coderingen nodig" in title  # Dutch in the UI


async def test_i_counts_the_interviewer_and_the_headers_too():
    """By default the interviewer's question anna coded is no unit; `i` makes it one, in the
    figures and in the list of differences alike."""
    from test_agree_intervals import study_project

    project = Project.in_memory()
    study_project(project)
    app = ScreenApp(lambda: AgreementScreen(project, "anna"))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "zonder interviewer (i)" in str(screen.query_one("#agree-title").render())
        assert rows(screen, "#agree-stats")[0][:4] == ["Dwang", "5", "2", "2"]
        assert [r[0] for r in rows(screen, "#agree-diffs")] == ["1:5.1", "1:7.1"]
        await pilot.press("i")
        await pilot.pause()
        assert "met interviewer (i)" in str(screen.query_one("#agree-title").render())
        assert rows(screen, "#agree-stats")[0][:4] == ["Dwang", "10", "3", "2"]
        assert [r[0] for r in rows(screen, "#agree-diffs")] == ["1:2.1", "1:5.1", "1:7.1"]
    project.close()
