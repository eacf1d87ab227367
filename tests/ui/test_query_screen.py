"""Pilot tests for the query screen (`z`): live results, problems, speaker filter, blind mode,
and Enter into the transcript."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Input, Static

from kwali.analysis import Scope, run_query, saved_queries
from kwali.store import Project
from kwali.ui.screens.coding import CodingScreen
from kwali.ui.screens.query import DELAY, QueryScreen

BANG = "Ik was echt bang voor een korting op mijn uitkering."
LEUK = "Nu vind ik het leuk."
VRAAG = "En hoe is het nu?"


@pytest.fixture
def coded(open_project: Callable) -> Project:
    """anna: dwang on the fear of a cut, plezier on 'leuk'; bram: plezier on the question."""
    project = open_project()
    doc = project.require_document("werkzoekende_buurthuis")
    by_text = {s.text: s for s in project.segments(doc.id)}
    for text, code, coder in ((BANG, "dwang", "anna"), (LEUK, "plezier", "anna")):
        project.add_coding(doc.id, by_text[text].start, by_text[text].end, code, coder)
    project.add_coding(doc.id, by_text[VRAAG].start, by_text[VRAAG].end, "plezier", "bram")
    return project


async def open_query(app, pilot) -> QueryScreen:
    await pilot.pause()
    await pilot.press("z")
    await pilot.pause()
    assert isinstance(app.screen, QueryScreen)
    return app.screen


async def type_query(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.pause(DELAY + 0.2)  # the query runs once typing rests


def texts(screen: QueryScreen) -> list[str]:
    assert screen.result is not None
    return [q.text for q in screen.result.quotations]


async def test_results_follow_the_typing_and_enter_opens_the_transcript(make_app, coded):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_query(app, pilot)
        await type_query(pilot, "ervaring")  # a category: every code under it
        assert texts(screen) == [q.text for q in run_query(coded, "ervaring").quotations]
        assert set(texts(screen)) == {BANG, LEUK, VRAAG}
        await pilot.press(*" EN NIET plezier")
        await pilot.pause(DELAY + 0.2)
        assert texts(screen) == [BANG]
        status = str(screen.query_one("#status", Static).render())
        assert "1 citaat in 1 van 2 documenten" in status
        await pilot.press("enter", "enter")  # to the results, then into the transcript
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.segment.text == BANG


async def test_a_bad_expression_is_shown_under_it_and_the_results_stay(make_app, coded):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_query(app, pilot)
        await type_query(pilot, "dwang")
        assert texts(screen) == [BANG]
        await type_query(pilot, " EN EN")
        problem = str(screen.query_one("#query-problem", Static).render())
        assert "Onverwacht 'EN' bij kolom 10." in problem
        assert problem.index("^") == 9  # under the second EN, as the field shows it
        assert texts(screen) == [BANG]
        field = screen.query_one("#query-expression", Input)
        field.value = "dwnag"
        await pilot.pause(DELAY + 0.2)
        problem = str(screen.query_one("#query-problem", Static).render())
        assert "Geen code 'dwnag'; bedoelt u dwang?" in problem


async def test_r_chooses_the_speaker(make_app, coded):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_query(app, pilot)
        await type_query(pilot, "plezier")
        await pilot.press("enter")  # to the table, where r is a key
        assert set(texts(screen)) == {LEUK, VRAAG}
        await pilot.press("r")
        await pilot.pause()
        assert screen.role == "respondent" and texts(screen) == [LEUK]
        await pilot.press("r")
        await pilot.pause()
        assert screen.role == "interviewer" and texts(screen) == [VRAAG]
        expected = run_query(coded, "plezier", Scope(role="interviewer")).quotations
        assert texts(screen) == [q.text for q in expected]
        await pilot.press("r")
        await pilot.pause()
        assert screen.role is None and len(texts(screen)) == 2


async def test_blind_mode_searches_only_your_own_codings(make_app, coded):
    app = make_app(coder="anna", blind=True)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_query(app, pilot)
        await type_query(pilot, "plezier")
        assert texts(screen) == [LEUK]  # bram's coding of the question is not shown
        assert screen.result is not None
        assert all(q.coders == ("anna",) for q in screen.result.quotations)


async def test_s_saves_the_expression_and_l_picks_a_saved_one(make_app, coded):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_query(app, pilot)
        await type_query(pilot, "dwang OF plezier")
        await pilot.press("enter", "s")
        await pilot.pause()
        await pilot.press(*"druk", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert saved_queries(coded) == {"druk": "dwang OF plezier"}
        field = screen.query_one("#query-expression", Input)
        await pilot.press("slash")  # back to the expression
        field.value = "dwang"
        await pilot.pause(DELAY + 0.2)
        await pilot.press("enter", "s")
        await pilot.pause()
        await pilot.press(*"druk", "enter")
        await pilot.pause()
        error = str(app.screen.query_one("#error", Static).render())
        assert error == "Er is al een zoekvraag @druk; kies een andere naam."
        await pilot.press("escape")
        await pilot.pause()
        assert saved_queries(coded) == {"druk": "dwang OF plezier"}  # nothing overwritten
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(DELAY + 0.2)
        assert field.value == "@druk"
        assert set(texts(screen)) == {BANG, LEUK, VRAAG}
