"""Pilot tests for the codebook screen: edits go to the store, undo restores them."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea, Tree

from kwali.codekeys import key_from_label
from kwali.errors import ProjectError
from kwali.model import Code, Codebook
from kwali.ui.screens.code_picker import CodePickerModal
from kwali.ui.screens.codebook import (
    CodebookScreen,
    subtree_counts,
)
from kwali.ui.screens.codebook_modals import FormModal
from kwali.ui.screens.confirm import ConfirmModal

from codebook_helpers import build_project, highlight, labels
from ui_helpers import ScreenApp


@pytest.fixture
def codebook_project():
    """One document; anna codes dwang, sanctie and contact, bram codes dwang twice."""
    project, _ = build_project()
    yield project
    project.close()


async def test_tree_shows_hierarchy_with_counts(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        shown = labels(app.screen)
        assert shown["dwang"].startswith("● Ervaren dwang") and shown["dwang"].endswith("3")
        assert shown["verplichting"].endswith("4")  # category counts its subcodes
        tree = app.screen.query_one(Tree)
        assert [n.data for n in tree.root.children] == ["verplichting", "begeleiding"]
        await highlight(pilot, "dwang")
        detail = str(app.screen.query_one("#code-detail").render())
        assert "Hoe de plicht voelt." in detail and "Wel" in detail and "een straf" in detail


async def test_blind_counts_only_this_coder(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"), blind=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        assert labels(app.screen)["dwang"].endswith("1")
        assert "bram" not in str(app.screen.query_one("#codebook-title").render())


async def test_add_code_under_highlighted_category(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await highlight(pilot, "sanctie")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        await pilot.press(*"Geen tijd")
        await pilot.press("enter")  # to the key field, left empty: made from the label
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#field-definition", TextArea).text = "Zegt geen tijd te hebben."
        await pilot.press("ctrl+s")
        await pilot.pause()
        code = codebook_project.code("geen_tijd")
        assert code is not None and code.parent == "verplichting"
        assert code.definition == "Zegt geen tijd te hebben." and code.colour == "#d95f02"
        assert "geen_tijd" in labels(app.screen)
        assert ("Opgeslagen: code Geen tijd", "information") in app.notes
        await pilot.press("u")
        await pilot.pause()
        assert codebook_project.code("geen_tijd") is None and "geen_tijd" not in labels(app.screen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert codebook_project.code("geen_tijd") is not None


async def test_add_refuses_an_existing_key_in_the_form(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#field-label", Input).value = "Nog een dwang"
        app.screen.query_one("#field-key", Input).value = "dwang"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)  # stays open with the problem shown
        assert "al een code" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert codebook_project.code("dwang").label == "Ervaren dwang"


async def test_rename_moves_codings_and_undo_restores(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await highlight(pilot, "dwang")
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#field-label", Input).value = "Druk"
        app.screen.query_one("#field-key", Input).value = "druk"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert codebook_project.code("dwang") is None
        assert codebook_project.code("druk").label == "Druk"
        assert len(codebook_project.codings(code_key="druk")) == 3
        assert app.screen.highlighted().key == "druk"
        await pilot.press("u")
        await pilot.pause()
        assert codebook_project.code("dwang").label == "Ervaren dwang"
        assert len(codebook_project.codings(code_key="dwang")) == 3
        assert any(note.startswith("Ongedaan gemaakt") for note, _ in app.notes)


async def test_edit_description(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await highlight(pilot, "contact")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-include", TextArea).text = "klantmanager, coach"
        app.screen.query_one("#field-exclude", TextArea).text = "zelfregie"
        await pilot.press("ctrl+s")
        await pilot.pause()
        code = codebook_project.code("contact")
        assert (code.include, code.exclude, code.definition) == (
            "klantmanager, coach",
            "zelfregie",
            "",
        )
        assert "klantmanager, coach" in str(app.screen.query_one("#code-detail").render())


async def test_merge_asks_then_recodes_and_undo_restores(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await highlight(pilot, "sanctie")
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, CodePickerModal)
        await pilot.press(*"ervdw", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "1 codering (van alle codeurs) wordt omgezet" in str(
            app.screen.query_one(".confirm-body").render()
        )
        await pilot.press("y")
        await pilot.pause()
        assert codebook_project.code("sanctie") is None
        assert len(codebook_project.codings(code_key="dwang")) == 4
        assert ("Samengevoegd: 1 coderingen omgezet", "information") in app.notes
        assert "sanctie" not in labels(app.screen)
        await pilot.press("u")
        await pilot.pause()
        assert codebook_project.code("sanctie") is not None
        assert len(codebook_project.codings(code_key="sanctie")) == 1


@pytest.mark.parametrize(
    ("answer", "merged"),
    [
        (("n",), False),
        (("enter",), False),  # the safe answer has the focus: Enter never merges
        (("tab", "enter"), True),
    ],
)
async def test_how_the_merge_question_is_answered(codebook_project, answer, merged):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await highlight(pilot, "sanctie")
        await pilot.press("M")
        await pilot.pause()
        await pilot.press(*"dwang", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert app.screen.focused is app.screen.query_one("#no")
        await pilot.press(*answer)
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert (codebook_project.code("sanctie") is None) == merged
        assert len(codebook_project.codings(code_key="sanctie")) == (0 if merged else 1)


async def test_move_under_another_parent_and_to_top(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await highlight(pilot, "contact")
        await pilot.press("v")
        await pilot.pause()
        await pilot.press(*"verpl", "enter")
        await pilot.pause()
        assert codebook_project.code("contact").parent == "verplichting"
        tree = app.screen.query_one(Tree)
        assert "contact" in [n.data for n in tree.root.children[0].children]
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("enter")  # the first option: no parent
        await pilot.pause()
        assert codebook_project.code("contact").parent is None


async def test_store_error_is_a_notification_not_a_crash(codebook_project, monkeypatch):
    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise ProjectError(
            "is busy: another kwali is writing to it; try again in a moment", path="x.kwali"
        )

    monkeypatch.setattr(codebook_project, "merge_codes", refuse)
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await highlight(pilot, "sanctie")
        await pilot.press("M")
        await pilot.pause()
        await pilot.press(*"dwang", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert (
            "x.kwali: is busy: another kwali is writing to it; try again in a moment",
            "error",
        ) in app.notes
        assert codebook_project.code("sanctie") is not None


async def test_nothing_to_undo_and_escape_goes_back(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "carla"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert ("Niets om ongedaan te maken", "information") in app.notes
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CodebookScreen)


def test_helpers():
    assert key_from_label("  Geen tijd / zin ") == "geen_tijd_zin"
    codebook = Codebook(
        "t",
        (Code("a", "A", kind="category"), Code("b", "B", parent="a"), Code("c", "C", parent="b")),
    )
    assert subtree_counts(codebook, {"b": 2, "c": 3}) == {"a": 5, "b": 5, "c": 3}


async def test_blind_merge_tells_only_own_count(codebook_project):
    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"), blind=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await highlight(pilot, "dwang")
        await pilot.press("M")
        await pilot.pause()
        await pilot.press(*"sancties", "enter")
        await pilot.pause()
        body = str(app.screen.query_one(".confirm-body").render())
        assert "Jouw 1 codering en die van andere codeurs" in body and "3" not in body
        await pilot.press("y")
        await pilot.pause()
        assert ("Samengevoegd: 1 van jouw coderingen omgezet", "information") in app.notes
        assert len(codebook_project.codings(code_key="sanctie")) == 4


async def test_reloads_when_another_kwali_changed_the_project(codebook_project):
    from kwali.ui.messages import ProjectChanged

    app = ScreenApp(lambda: CodebookScreen(codebook_project, "anna"))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        codebook_project.add_code(Code("taal", "Taal", parent="begeleiding"), "bram")
        app.screen.post_message(ProjectChanged())
        await pilot.pause()
        assert "taal" in labels(app.screen)
