"""The agreement screen at 80×24 and 200×50: codes by label, and every figure within reach.

At 80 columns the statistics do not fit beside the code names: the tables scroll sideways
(←/→ after Tab to the statistics) with the name column fixed. Snapshots:
``pytest tests/test_code_names_agreement_screen.py --snapshot-update``, then look at them.
"""

from __future__ import annotations

import pytest
from test_code_names import NAMES_CODEBOOK
from test_code_names_cli import study  # noqa: F401 - the fixture: anna and bram, NAMES_CODEBOOK
from textual.widgets import DataTable, Input, SelectionList

from kwali.store import Project
from kwali.ui.screens.agreement import AgreementScreen

from ui_helpers import notifications

SIZES = {"80x24": (80, 24), "200x50": (200, 50)}


@pytest.fixture(autouse=True)
def still(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same screenshot every run: no blinking cursor, kwali's theme."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setenv("KWALI_THEME", "kwali")


@pytest.fixture
def make_app(study):  # noqa: F811 - the fixture imported above
    from kwali.ui.app import KwaliApp

    opened: list[Project] = []

    def make() -> KwaliApp:
        opened.append(Project.open(study))
        return KwaliApp(opened[-1], "anna")

    yield make
    for project in opened:
        project.close()


async def _agreement(pilot) -> AgreementScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("g")
    await pilot.pause()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AgreementScreen), notifications(pilot.app)
    return screen


async def _scrolled(pilot) -> None:  # type: ignore[no-untyped-def]
    screen = await _agreement(pilot)
    screen.query_one("#agree-stats", DataTable).focus()
    await pilot.press(*["right"] * 100)
    await pilot.pause()


async def test_at_80_columns_every_figure_is_reached_with_the_names_fixed(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _agreement(pilot)
        stats = screen.query_one("#agree-stats", DataTable)
        assert stats.fixed_columns == 1 and screen.query_one("#agree-diffs").fixed_columns == 1
        assert stats.max_scroll_x > 0  # the figures are off to the right at first
        names = [str(stats.get_row_at(i)[0]) for i in range(stats.row_count)]
        assert names[:2] == ["Taal", "Overig (overig_persoon)"]  # labels; a shared one keyed
        await pilot.press("tab")  # from the disagreements to the statistics
        await pilot.pause()
        assert app.focused is stats
        await pilot.press(*["right"] * 100)
        await pilot.pause()
        assert stats.scroll_x == stats.max_scroll_x > 0  # the right edge: Gwet AC1 on screen
        assert stats.fixed_columns == 1  # and the names still at the left


async def test_at_200_columns_everything_fits(make_app):
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _agreement(pilot)
        stats = screen.query_one("#agree-stats", DataTable)
        assert stats.max_scroll_x == 0
        diffs = screen.query_one("#agree-diffs", DataTable)
        cells = [str(c) for c in diffs.get_row_at(0)]
        assert cells[:3] == ["1:2.1", "Taal", "—"]
        await pilot.press("p")  # pick the agreed codes: by label, by path where shared
        await pilot.pause()
        picker = app.screen.query_one(SelectionList)
        prompts = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert prompts[:2] == ["Taal", "Persoonlijke situatie > Overig"]
        assert "Ervaren effecten > Overig" in prompts and "Gezin en combineren" in prompts


@pytest.mark.parametrize("size", SIZES)
def test_agreement_screen(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=_agreement)


def test_agreement_screen_scrolled_at_80(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZES["80x24"], run_before=_scrolled)


async def test_with_one_coder_the_screen_says_why_in_dutch(tmp_path):
    from helpers import add_interview, code_units
    from ui_helpers import ScreenApp

    project = Project.in_memory()
    sentences = [s for s in add_interview(project, "buurthuis") if s.kind == "sentence"]
    project.set_codebook(NAMES_CODEBOOK, "kwali")
    code_units(project, sentences, "anna", "taal", [0])
    app = ScreenApp(lambda: AgreementScreen(project, "anna"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        title = str(app.screen.query_one("#agree-title").render())
        assert "minstens twee codeurs met coderingen nodig" in title and "anna" in title
        assert "agreement needs" not in title  # no English in the Dutch UI
    project.close()


async def _picking(pilot) -> None:  # type: ignore[no-untyped-def]
    await _agreement(pilot)
    await pilot.press("p")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_pick_codes_dialog(snap_compare, make_app, size):
    """The keys line ("v: vaststellen") stays in the dialog however long the codebook."""
    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=_picking)
