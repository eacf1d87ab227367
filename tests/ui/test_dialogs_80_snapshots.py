"""Snapshots of the coding screen and of each of its dialogs at 80×24 and 200×50 (update only
after looking at them: ``pytest tests/ui/test_dialogs_80_snapshots.py --snapshot-update``).

At 80×24 every dialog shows its whole question, its keys line and its buttons; at 200×50 the
side panel and the margin grow, and a sentence with three codes shows all three in both."""

from __future__ import annotations

import pytest

from kwali.model import Code, Codebook
from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.code_picker import CodePickerModal
from kwali.ui.screens.codebook_modals import Field, FormModal
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.document_modals import AttributesModal
from kwali.ui.screens.memo import MemoModal, MemoTarget

SIZES = {"80x24": (80, 24), "200x50": (200, 50)}
LONG = "Verplichting, handhaving en de angst voor een korting op de uitkering"


async def _coded(pilot) -> None:  # type: ignore[no-untyped-def]
    """The first open sentence with three codes of anna (one accepted, two added)."""
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("a")
    await pilot.press("c", *"plezier", "enter")
    await pilot.press("c", *"dwang", "enter")
    await pilot.pause()
    screen = pilot.app.screen
    screen.last_saved = "opgeslagen"  # the real one carries the clock time
    screen.show()
    await pilot.pause()


def _dialogs() -> dict:
    codebook = Codebook(
        "groot",
        (
            Code("thema", "Thema", kind="category"),
            *(Code(f"code{n}", f"Code {n}", parent="thema", definition=LONG) for n in range(30)),
        ),
    )
    return {
        "delete": lambda: ConfirmModal(
            f"Code “{LONG}” en zijn 37 coderingen verwijderen? (u maakt het ongedaan)",
            yes="Verwijderen",
        ),
        "memo": lambda: MemoModal(
            [
                MemoTarget("segment", "s", "Memo bij zin 1:2.1"),
                MemoTarget("coding", "1", "Memo bij code Gevoel van dwang"),
            ]
        ),
        "choice": lambda: ChoiceModal(
            "Welke code verwijderen?",
            [(str(n), f"Code {n} — 'Ik kreeg een brief'") for n in range(25)],
        ),
        "picker": lambda: CodePickerModal(codebook, None, "Code toevoegen aan 1:2.1"),
        "form": lambda: FormModal(
            "Nieuwe code",
            [
                Field("key", "Sleutel"),
                Field("label", "Label"),
                Field("definition", "Definitie", multiline=True),
                Field("example", "Voorbeeld", multiline=True),
                Field("colour", "Kleur", placeholder="#e15759"),
            ],
        ),
        "attributes": lambda: AttributesModal(
            "Kenmerken van 1. werkzoekende_buurthuis",
            {f"kenmerk_{n}": f"waarde {n}" for n in range(14)},
            {},
            lambda edit: None,
        ),
    }


@pytest.mark.parametrize("size", SIZES)
def test_coding_screen(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=_coded)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dialog", list(_dialogs()))
def test_dialog(snap_compare, make_app, size, dialog):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _coded(pilot)
        pilot.app.push_screen(_dialogs()[dialog]())
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=run_before)
