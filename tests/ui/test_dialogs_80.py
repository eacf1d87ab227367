"""Every dialog of the coding and codebook screens at 80×24: its whole question (or its list,
scrolling), its buttons and the line saying which key confirms are on the screen."""

from __future__ import annotations

import pytest
from textual.widget import Widget
from textual.widgets import Button, Label, OptionList, Static

from kwali.model import Code, Codebook
from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.code_picker import CodePickerModal
from kwali.ui.screens.codebook_modals import Field, FormModal
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.document_modals import AttributesModal
from kwali.ui.screens.memo import MemoModal, MemoTarget

SIZE = (80, 24)
LONG_LABEL = "Verplichting, handhaving en de angst voor een korting op de uitkering"
DELETE = f"Code “{LONG_LABEL}” en zijn 37 coderingen verwijderen? (u maakt het ongedaan)"


def on_screen(widget: Widget) -> bool:
    """Drawn, and wholly inside the 80×24 screen."""
    region = widget.region
    return (
        region.width > 0
        and region.height > 0
        and region.x >= 0
        and region.y >= 0
        and region.right <= SIZE[0]
        and region.bottom <= SIZE[1]
    )


def shown_text(widget: Widget) -> str:
    return str(widget.render())


def big_codebook() -> Codebook:
    codes = [Code("thema", "Thema", kind="category")]
    codes += [
        Code(f"code{n}", f"Code {n} {LONG_LABEL[:30]}", parent="thema", definition=LONG_LABEL)
        for n in range(40)
    ]
    return Codebook("groot", tuple(codes))


async def _open(make_app, modal):  # type: ignore[no-untyped-def]
    app = make_app()
    pilot_cm = app.run_test(size=SIZE)
    pilot = await pilot_cm.__aenter__()
    await pilot.pause()
    app.push_screen(modal)
    await pilot.pause()
    await pilot.pause()
    return app, pilot, pilot_cm


async def test_delete_confirmation_shows_the_whole_question_keys_and_buttons(make_app):
    modal = ConfirmModal(DELETE, yes="Verwijderen")
    app, pilot, cm = await _open(make_app, modal)
    try:
        question = modal.query_one(".confirm-question", Static)
        assert on_screen(question)
        assert question.region.height >= 2  # wrapped, not cut at the dialog's edge
        assert shown_text(question) == DELETE
        keys = modal.query_one(".confirm-keys", Label)
        assert on_screen(keys) and shown_text(keys) == "j: ja, verwijderen · n/Esc: nee"
        assert on_screen(modal.query_one("#yes", Button))
        assert on_screen(modal.query_one("#no", Button))
        await pilot.press("j")
        await pilot.pause()
        assert app.screen is not modal
    finally:
        await cm.__aexit__(None, None, None)


async def test_a_long_explanation_scrolls_and_the_buttons_stay(make_app):
    body = " ".join([f"Zin {n} van een lange uitleg over wat er gebeurt." for n in range(40)])
    modal = ConfirmModal("12 codes samenvoegen?", body)
    app, pilot, cm = await _open(make_app, modal)
    try:
        assert on_screen(modal.query_one("#confirm-text"))
        assert modal.query_one("#confirm-text").max_scroll_y > 0  # the rest scrolls
        assert on_screen(modal.query_one(".confirm-keys", Label))
        assert on_screen(modal.query_one("#yes", Button))
        assert on_screen(modal.query_one("#no", Button))
    finally:
        await cm.__aexit__(None, None, None)


async def test_memo_dialog_shows_how_to_save_and_its_buttons(make_app):
    targets = [
        MemoTarget("segment", "s1", "Memo bij zin 1:3.2"),
        MemoTarget("coding", "1", f"Memo bij code {LONG_LABEL}"),
    ]
    modal = MemoModal(targets)
    app, pilot, cm = await _open(make_app, modal)
    try:
        keys = modal.query_one(".memo-keys", Label)
        assert on_screen(keys) and "ctrl+s opslaan" in shown_text(keys)
        assert on_screen(modal.query_one("#save", Button))
        assert on_screen(modal.query_one("#cancel", Button))
        assert modal.query_one("#memo-text").region.height >= 3  # still room to write
        await pilot.press(*"let op", "ctrl+s")
        await pilot.pause()
        assert app.screen is not modal
    finally:
        await cm.__aexit__(None, None, None)


@pytest.mark.parametrize("kind", ["choice", "picker"])
async def test_long_lists_scroll_and_the_hint_stays(make_app, kind):
    if kind == "choice":
        modal = ChoiceModal(
            "Welke code verwijderen?", [(str(n), f"{LONG_LABEL} {n}") for n in range(30)]
        )
        list_id = "#choices"
    else:
        modal = CodePickerModal(big_codebook(), None, "Code toevoegen aan 1:3.2")
        list_id = "#codes"
    app, pilot, cm = await _open(make_app, modal)
    try:
        options = modal.query_one(list_id, OptionList)
        assert on_screen(options) and options.max_scroll_y > 0
        hint = modal.query(".dialog-hint").last(Label)
        assert on_screen(hint) and "Esc: annuleren" in shown_text(hint)
        assert "Enter" in shown_text(hint)
    finally:
        await cm.__aexit__(None, None, None)


async def test_a_form_with_many_fields_keeps_its_keys_line(make_app):
    fields = [Field(f"f{n}", f"Veld {n}", multiline=n % 3 == 0) for n in range(10)]
    modal = FormModal("Code bewerken", fields)
    app, pilot, cm = await _open(make_app, modal)
    try:
        hint = modal.query_one(".kw-hint", Static)
        assert on_screen(hint) and "ctrl+s: opslaan" in shown_text(hint)
        assert on_screen(modal.query_one("#form-fields"))
        assert modal.focused is not None and modal.focused.id == "field-f0"
    finally:
        await cm.__aexit__(None, None, None)


async def test_attributes_form_keeps_its_keys_line(make_app):
    attributes = {f"kenmerk_{n}": f"waarde {n}" for n in range(20)}
    modal = AttributesModal("Kenmerken van 1. interview", attributes, {}, lambda edit: None)
    app, pilot, cm = await _open(make_app, modal)
    try:
        hint = modal.query_one(".kw-hint", Static)
        assert on_screen(hint) and "ctrl+s: opslaan" in shown_text(hint)
        assert on_screen(modal.query_one("#new-key"))
    finally:
        await cm.__aexit__(None, None, None)
