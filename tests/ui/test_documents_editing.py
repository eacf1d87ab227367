"""Documents screen: rename (n), remove with a question (d), edit attributes (e), memo (m),
each one undoable action that `u` takes back; typed attributes are checked in the form."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static, TextArea

from kwali.app.backups import list_backups
from kwali.ui.screens.codebook_modals import FormModal
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.document_modals import AttributesModal
from kwali.ui.screens.documents import DocumentsScreen
from kwali.ui.widgets.document_table import DocumentTable

from ui_helpers import notifications

SIZE = (140, 30)


def _names(app) -> list[str]:
    table = app.screen.query_one(DocumentTable)
    return [table.row_text(i)[1] for i in range(table.row_count)]


def _told(app) -> str:
    return notifications(app)[-1].message if notifications(app) else ""


async def _replace(pilot, text: str) -> None:
    await pilot.press("end", "ctrl+u", *text)


async def test_rename_the_highlighted_document_and_undo(make_app, open_project):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        await _replace(pilot, "Interview Anna")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DocumentsScreen)
        assert _names(app)[0] == "Interview Anna"
        assert "heet nu Interview Anna" in _told(app)
        assert open_project(readonly=True).require_document(1).name == "Interview Anna"
        await pilot.press("u")
        await pilot.pause()
        assert _names(app)[0] == "werkzoekende_buurthuis"
        assert "Ongedaan gemaakt" in _told(app)


async def test_rename_to_a_taken_name_stays_in_the_form(make_app, open_project):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await _replace(pilot, "klantmanager_zuid")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)  # the form stays, with the reason
        assert "heeft al een document met de naam" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert _names(app) == ["werkzoekende_buurthuis", "klantmanager_zuid"]


@pytest.mark.sqlite_only  # the rolling backup of the file
async def test_remove_asks_enter_keeps_j_removes_undo_brings_back(
    make_app, open_project, project_path
):
    other = open_project()
    doc = other.require_document("werkzoekende_buurthuis")
    segment = other.segments(doc.id)[0]
    other.add_coding(doc.id, segment.start, segment.end, "plezier", "anna")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        body = str(app.screen.query_one(".confirm-body", Static).render())
        assert "werkzoekende_buurthuis gaat weg, met 1 codering," in body
        assert "Enter = nee, j = ja" in body
        await pilot.press("enter")  # the safe answer has the focus
        await pilot.pause()
        assert isinstance(app.screen, DocumentsScreen)
        assert len(_names(app)) == 2
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert _names(app) == ["klantmanager_zuid"]
        assert "verwijderd, met 1 codering" in _told(app)
        assert [b.reason for b in list_backups(project_path)] == ["remove"]
        await pilot.press("u")
        await pilot.pause()
        assert _names(app) == ["werkzoekende_buurthuis", "klantmanager_zuid"]
    again = open_project(readonly=True)
    assert [c.code_key for c in again.codings(coders=["anna"])] == ["plezier"]


async def test_edit_attributes_as_one_action_then_filter(make_app, open_project):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = len(open_project(readonly=True).history(limit=100))
        await pilot.press("e")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, AttributesModal)
        keys = [str(label.render()) for label in modal.query(".kw-attribute-key")]
        assert sorted(keys) == ["gender", "groep", "rol"]
        modal.query_one(f"#value-{keys.index('gender')}", Input).value = "man"  # changed
        modal.query_one(f"#value-{keys.index('groep')}", Input).value = ""  # removed
        modal.query_one("#new-key", Input).value = "leeftijd"
        modal.query_one("#new-value", Input).value = "34"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DocumentsScreen)
        assert "Kenmerken van document 1 opgeslagen" in _told(app)
        project = open_project(readonly=True)
        assert project.require_document(1).attributes == {
            "gender": "man",
            "leeftijd": "34",
            "rol": "werkzoekende",
        }
        assert len(project.history(limit=100)) == before + 1  # one undoable action
        await pilot.press("f", *"leeftijd=34")
        await pilot.pause()
        assert _names(app) == ["werkzoekende_buurthuis"]
        await pilot.press("escape")  # the filter field: back to the table
        await pilot.press("u")
        await pilot.pause()
        assert open_project(readonly=True).require_document(1).attributes["groep"] == "noord"


async def test_a_bad_number_is_refused_in_the_form_and_nothing_is_saved(make_app, open_project):
    setup = open_project()
    setup.set_attribute(1, "leeftijd", "34")
    setup.set_attribute_type("leeftijd", "number", "anna")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        actions = len(setup.history(limit=100))
        await pilot.press("e")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, AttributesModal)
        keys = [str(label.render()) for label in modal.query(".kw-attribute-key")]
        field = modal.query_one(f"#value-{keys.index('leeftijd (getal)')}", Input)
        field.value = "vierendertig"
        gender = modal.query_one(f"#value-{keys.index('gender')}", Input)
        gender.value = "man"  # a good change in the same form
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal  # still open, with what was typed
        error = str(modal.query_one("#error", Static).render())
        assert error == "leeftijd: ‘vierendertig’ is geen getal (bijv. 34 of 3,5)."
        assert open_project(readonly=True).require_document(1).attributes["gender"] == "vrouw"
        assert len(open_project(readonly=True).history(limit=100)) == actions
        field.value = "34,5"  # the Dutch way is fine, and stored as 34.5
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DocumentsScreen)
        assert open_project(readonly=True).require_document(1).attributes["leeftijd"] == "34.5"


async def test_numbers_sort_by_size_in_the_table(make_app, open_project):
    setup = open_project()
    setup.set_attribute(1, "leeftijd", "100")
    setup.set_attribute(2, "leeftijd", "9")
    setup.set_attribute_type("leeftijd", "number", "anna")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DocumentsScreen)
        headers = [c.label for c in screen.query_one(DocumentTable).columns]
        assert "Leeftijd" in headers
        while screen.sorts[screen.sort_index][0] != "leeftijd":
            await pilot.press("s")
        assert _names(app) == ["klantmanager_zuid", "werkzoekende_buurthuis"]  # 9 before 100


async def test_m_writes_a_memo_on_the_highlighted_document(make_app, open_project):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "m")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "Respondent wil anoniem blijven."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DocumentsScreen)
    memos = open_project(readonly=True).memos()
    assert [(m.target_kind, m.target_id, m.text) for m in memos] == [
        ("document", "2", "Respondent wil anoniem blijven.")
    ]


async def test_blind_the_question_counts_only_the_coder_s_own_codings(make_app, open_project):
    other = open_project()
    doc = other.require_document("werkzoekende_buurthuis")
    first, second = other.segments(doc.id)[:2]
    other.add_coding(doc.id, first.start, first.end, "plezier", "anna")
    other.add_coding(doc.id, second.start, second.end, "plezier", "bram")
    app = make_app(blind=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        body = str(app.screen.query_one(".confirm-body", Static).render())
        assert "1 codering van jou" in body and "niet geteld" in body
        assert "2 coderingen" not in body
        await pilot.press("n")
        await pilot.pause()
        assert len(_names(app)) == 2
