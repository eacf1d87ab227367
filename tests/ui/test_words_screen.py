"""Pilot tests for the words screen: a code's lemmas and keyness, switching the target, the
interviewers' words on request, and blind mode (only the coder's own codings)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kwali.analysis import lemmas
from kwali.analysis.words import keywords
from kwali.store import Project
from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.quotes import QuotesScreen
from kwali.ui.screens.words import WordsScreen
from kwali.ui.widgets.document_table import DocumentTable

from ui_helpers import ScreenApp

ANNA = "Ik kreeg een brief van de gemeente."
BRAM = "Ik kook elke vrijdag voor de buurt."


@pytest.fixture
def coded(open_project: Callable) -> Project:
    """dwang: anna on the letter from the municipality, bram on the cooking."""
    lemmas.clear_cache()
    project = open_project()
    doc = project.require_document("werkzoekende_buurthuis")
    by_text = {s.text: s for s in project.segments(doc.id)}
    for text, coder in ((ANNA, "anna"), (BRAM, "bram")):
        project.add_coding(doc.id, by_text[text].start, by_text[text].end, "dwang", coder)
    return project


def rows(screen: WordsScreen) -> dict[str, list[str]]:
    table = screen.query_one(DocumentTable)
    return {table.row_text(i)[0]: table.row_text(i) for i in range(table.row_count)}


async def counted(app, pilot) -> WordsScreen:  # noqa: ANN001 - Textual app and pilot
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, WordsScreen)
    return app.screen


async def test_f_in_the_quotes_screen_shows_the_codes_words(coded: Project) -> None:
    app = ScreenApp(lambda: QuotesScreen(coded, "anna", "dwang"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        screen = await counted(app, pilot)
        assert screen.target.code == "dwang"
        # the screen shows at least two occurrences by default: one sentence each has none
        assert rows(screen) == {}
        assert "minstens 2 keer" in str(screen.query_one("#words-status").render())


async def test_a_codes_lemmas_with_their_keyness_and_other_targets(coded: Project) -> None:
    app = ScreenApp(lambda: WordsScreen(coded, "anna", code="dwang", min_count=1))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await counted(app, pilot)
        expected = keywords(coded, code="dwang")
        shown = rows(screen)
        assert list(shown) == [k.lemma for k in expected.keywords]
        assert {"brief", "gemeente", "koken", "vrijdag", "buurt"} <= set(shown)
        brief = next(k for k in expected.keywords if k.lemma == "brief")
        assert shown["brief"][1:5] == [
            "1",
            f"{brief.target_per_10k:.1f}".replace(".", ","),
            str(brief.reference),
            f"{brief.ll:.2f}".replace(".", ","),
        ]
        assert "code dwang" in str(screen.query_one("#words-title").render())

        await pilot.press("a")  # the whole project: frequencies, no reference
        screen = await counted(app, pilot)
        whole = rows(screen)
        assert "gemeente" in whole and len(whole["gemeente"]) == 3
        assert "hoe" not in whole  # a stop word
        assert "begeleiden" not in whole  # only the interviewer asks "Hoe begeleidt u"

        await pilot.press("i")  # the interviewers' words too
        screen = await counted(app, pilot)
        assert "begeleiden" in rows(screen)

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("down", "enter")  # the second document: the klantmanager
        screen = await counted(app, pilot)
        assert screen.target.document == coded.require_document("klantmanager_zuid").id
        assert "gesprek" in rows(screen) and "brief" not in rows(screen)


async def test_blind_mode_counts_only_the_coders_own_codings(coded: Project) -> None:
    app = ScreenApp(lambda: WordsScreen(coded, "anna", code="dwang", blind=True, min_count=1))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await counted(app, pilot)
        shown = rows(screen)
        assert {"brief", "gemeente"} <= set(shown)
        assert "koken" not in shown and "vrijdag" not in shown  # bram's coding
        assert "blind" in str(screen.query_one("#words-title").render())


async def test_shift_w_opens_the_words_screen_from_the_app(make_app, coded: Project) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("W")
        screen = await counted(app, pilot)
        assert screen.target.code is None  # the documents screen has no code at the cursor
        assert "het hele project" in str(screen.query_one("#words-title").render())
        assert list(rows(screen)) == ["gesprek"]  # the only lemma said twice by respondents
        await pilot.press("W")  # pressed again: no second copy
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, WordsScreen)
