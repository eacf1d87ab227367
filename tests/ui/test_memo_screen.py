"""Pilot tests for the memo screen (`w`) and the code memo (`m` on the codebook screen)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Input, TextArea

from kwali.app import memos as memo_app
from kwali.store import Project
from kwali.ui.screens.codebook import CodebookScreen
from kwali.ui.screens.coding import CodingScreen
from kwali.ui.screens.memo import MemoModal
from kwali.ui.screens.memos import MemosScreen

from ui_helpers import notifications

SENTENCE = "Ik kreeg een brief van de gemeente."


@pytest.fixture
def with_memos(open_project: Callable) -> Project:
    """anna: a project memo and a memo on a sentence of document 1; bram: a code memo."""
    project = open_project()
    sentence = next(s for s in project.segments() if s.text == SENTENCE)
    project.add_memo("project", "", "Methode: open coderen.", "anna")
    project.add_memo("segment", sentence.id, "De toon van de brief valt op.", "anna")
    project.add_memo("code", "dwang", "Bram: vooral angst.", "bram")
    return project


async def open_memos(app, pilot) -> MemosScreen:
    await pilot.pause()
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(app.screen, MemosScreen)
    return app.screen


async def test_lists_every_memo_with_what_it_is_about(make_app, with_memos) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_memos(app, pilot)
        about = [e.target.about for e in screen.shown]
        assert about == ["Project", "code Gevoel van dwang", "1:3.1"]
        assert {e.coder for e in screen.shown} == {"anna", "bram"}


async def test_filter_then_enter_opens_the_transcript_at_the_sentence(make_app, with_memos) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_memos(app, pilot)
        await pilot.press("slash", *"zin toon", "enter")
        await pilot.pause()
        assert [e.first_line for e in screen.shown] == ["De toon van de brief valt op."]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        coding = app.screen
        assert isinstance(coding, CodingScreen)
        assert coding.segment is not None and coding.segment.text == SENTENCE


async def test_enter_on_a_code_memo_opens_the_codebook_at_that_code(make_app, with_memos) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_memos(app, pilot)
        screen.query_one("#memos-filter", Input).value = "code"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert app.screen.current_code_key == "dwang"


async def test_blind_coder_does_not_see_another_coders_memo(make_app, with_memos) -> None:
    app = make_app(coder="anna", blind=True)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_memos(app, pilot)
        assert {e.coder for e in screen.shown} == {"anna"}
        assert all("Bram" not in e.text for e in screen.shown)


async def test_another_coders_memo_is_not_edited(make_app, with_memos) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_memos(app, pilot)
        screen.query_one("#memos-filter", Input).value = "@bram"
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, MemoModal)
        assert any("van bram" in n.message for n in notifications(app))


async def test_edit_then_undo_restores_the_memo(make_app, with_memos, open_project) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await open_memos(app, pilot)  # the project memo is first
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, MemoModal)
        app.screen.query_one("#memo-text", TextArea).text = "Methode: thematisch."
        await pilot.press("ctrl+s")
        await pilot.pause()
        check = open_project()
        assert [m.text for m in check.memos("project")] == ["Methode: thematisch."]
        await pilot.press("u")
        await pilot.pause()
        assert [m.text for m in check.memos("project")] == ["Methode: open coderen."]


async def test_a_project_memo_is_written_with_p_and_removed_by_emptying_it(
    make_app, open_project
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_memos(app, pilot)
        await pilot.press("p", *"Eerste indruk", "ctrl+s")
        await pilot.pause()
        assert [e.text for e in screen.shown] == ["Eerste indruk"]
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#memo-text", TextArea).text = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.shown == []
        assert open_project().memos() == []


async def test_m_on_the_codebook_saves_a_memo_on_the_highlighted_code(
    make_app, open_project
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        codebook = app.screen
        assert isinstance(codebook, CodebookScreen)
        key = codebook.current_code_key
        assert key is not None
        await pilot.press("m", *"Wat hier telt", "ctrl+s")
        await pilot.pause()
        check = open_project()
        assert [(m.text, m.coder) for m in check.memos("code", key)] == [("Wat hier telt", "anna")]
        # `m` again opens the same memo to edit, not a second one
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.query_one("#memo-text", TextArea).text == "Wat hier telt"
        await pilot.press("escape")
        entry = memo_app.own_memo(check, "anna", "code", key)
        assert entry is not None and entry.target.about.startswith("code ")
