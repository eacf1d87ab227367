"""Undo and redo from the coding screen, within a session and after a restart."""

from __future__ import annotations

from kwali.ui.screens.coding import CodingScreen

from ui_helpers import notifications


async def test_undo_and_redo_in_one_session(make_app, open_document, open_project):
    app = make_app()
    check = open_project()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        doc_id = screen.state.document.id
        await pilot.press("a")
        assert len(check.codings(document_id=doc_id, coder="anna")) == 1
        await pilot.press("u")
        assert check.codings(document_id=doc_id, coder="anna") == []
        assert screen.state.open_count == 4  # the suggestion is open again
        assert screen.last_saved.startswith("ongedaan")
        await pilot.press("ctrl+r")
        assert len(check.codings(document_id=doc_id, coder="anna")) == 1
        assert screen.state.open_count == 3


async def test_undo_after_restart(make_app, open_document, open_project):
    first = make_app()
    async with first.run_test(size=(140, 36)) as pilot:
        screen = await open_document(first, pilot)
        doc_id = screen.state.document.id
        await pilot.press("c", *"plezier", "enter")
        await pilot.pause()
        await pilot.press("q")
    first.project.close()  # the session ends; only the file remembers
    check = open_project()
    assert [c.code_key for c in check.codings(document_id=doc_id, coder="anna")] == ["plezier"]

    second = make_app()
    async with second.run_test(size=(140, 36)) as pilot:
        screen = await open_document(second, pilot)
        await pilot.press("u")
        assert check.codings(document_id=doc_id, coder="anna") == []
        await pilot.press("u")  # nothing left of anna's: said, not crashed
        assert isinstance(second.screen, CodingScreen)
        assert any("Niets om ongedaan" in n.message for n in notifications(second))


async def test_undo_refused_when_changed_since_is_a_notification(
    make_app, open_document, open_project
):
    app = make_app()
    other = open_project()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        await pilot.press("a")
        coding = other.codings(document_id=screen.state.document.id, coder="anna")[0]
        other.set_coding_memo(coding.id, "door bram aangepast", "bram")
        await pilot.press("u")
        assert isinstance(app.screen, CodingScreen)
        assert any("kan niet ongedaan maken" in n.message for n in notifications(app))
        assert other.coding(coding.id) is not None
