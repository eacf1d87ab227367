"""Pilot tests for deleting a code in the codebook screen (d): it asks, Enter says no, a
code with codings first has them moved to a code the coder picks, and u brings it all back."""

from __future__ import annotations

import pytest

from kwali.model import Code
from kwali.ui.screens.code_picker import CodePickerModal
from kwali.ui.screens.codebook import CodebookScreen
from kwali.ui.screens.confirm import ConfirmModal

from codebook_helpers import build_project, highlight, labels
from ui_helpers import ScreenApp


@pytest.fixture
def codebook_project():
    """dwang (anna 1, bram 2 codings), sanctie (anna 1), contact (anna 1)."""
    project, _ = build_project()
    yield project


def _body(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one(".confirm-body").render())


async def test_delete_an_unused_code_asks_enter_is_no_j_is_yes(codebook_project):
    codebook_project.add_code(Code("leeg", "Leeg", parent="begeleiding"), "anna")
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await highlight(pilot, "leeg")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "Ongedaan maken kan met u." in _body(app)
        await pilot.press("enter")  # the safe answer has the focus
        await pilot.pause()
        assert codebook_project.code("leeg") is not None
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert codebook_project.code("leeg") is None
        assert "leeg" not in labels(app.screen)
        assert ("Verwijderd: Leeg", "information") in app.notes
        await pilot.press("u")
        await pilot.pause()
        assert codebook_project.code("leeg") is not None
        assert "leeg" in labels(app.screen)


async def test_a_code_with_codings_offers_to_move_them_then_deletes(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await highlight(pilot, "sanctie")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, CodePickerModal)
        await pilot.press(*"contact", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        body = _body(app)
        assert "1 codering gaat naar Contact met de klantmanager (contact)" in body
        await pilot.press("j")
        await pilot.pause()
        assert codebook_project.code("sanctie") is None
        assert len(codebook_project.codings(code_key="contact")) == 2
        note = "Verwijderd: Sancties; 1 coderingen naar Contact met de klantmanager"
        assert (note, "information") in app.notes
        await pilot.press("u")
        await pilot.pause()
        assert codebook_project.code("sanctie") is not None
        assert len(codebook_project.codings(code_key="sanctie")) == 1


async def test_escape_in_the_picker_deletes_nothing(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await highlight(pilot, "dwang")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, CodePickerModal)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert len(codebook_project.codings(code_key="dwang", status=None)) == 3


async def test_blind_coder_is_not_told_how_many_codings_the_others_made(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"), blind=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await highlight(pilot, "dwang")
        await pilot.press("d")
        await pilot.pause()
        title = str(app.screen.query_one(".dialog-title").render())
        assert "Ervaren dwang: jouw 1 en andere coderingen verplaatsen naar" in title
        assert "3" not in title


async def test_deleting_a_category_moves_its_codes_up(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await highlight(pilot, "begeleiding")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)  # no codings of its own: no picker
        assert "1 subcode(s) komen op het bovenste niveau." in _body(app)
        await pilot.press("j")
        await pilot.pause()
        assert codebook_project.code("begeleiding") is None
        assert codebook_project.code("contact").parent is None
        assert len(codebook_project.codings(code_key="contact")) == 1
