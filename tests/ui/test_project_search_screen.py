"""Pilot tests for the project search screen (`/` in the documents screen): the hits of every
transcript, Enter into the transcript, "alle treffers coderen" (suggestions, never codings,
asked first, undone with u) and a bad regular expression."""

from __future__ import annotations

import re
from collections.abc import Callable

from textual.widgets import Input, Static

from kwali.store import Project
from kwali.ui.screens.code_picker import CodePickerModal
from kwali.ui.screens.coding import CodingScreen
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.project_search import ProjectSearchScreen
from kwali.ui.widgets.document_table import DocumentTable


def scanned(project: Project, word: str) -> list[tuple[int, int, int]]:
    """The sentences holding ``word`` as a whole word, read straight from the segments."""
    pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
    return [
        (doc.id, s.start, s.end)
        for doc in project.document_summaries()
        for s in project.segments(doc.id)
        if pattern.search(s.text)
    ]


async def open_search(app, pilot) -> ProjectSearchScreen:  # noqa: ANN001 - Textual app, pilot
    await pilot.pause()
    await pilot.press("slash")
    await pilot.pause()
    assert isinstance(app.screen, ProjectSearchScreen)
    return app.screen


async def searched(app, pilot, text: str) -> ProjectSearchScreen:  # noqa: ANN001
    screen = await open_search(app, pilot)
    await pilot.press(*text, "enter")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def search_suggestions(project: Project) -> list:
    return [s for s in project.suggestions() if s.suggester.startswith("search:")]


async def test_slash_searches_every_transcript_and_enter_opens_the_sentence(
    make_app: Callable, open_project: Callable
) -> None:
    project = open_project()
    expected = scanned(project, "gesprek")
    assert len({doc for doc, _, _ in expected}) == 2  # a hit in each transcript
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await searched(app, pilot, "gesprek")
        assert screen.result is not None
        hits = [(h.document_id, h.start, h.end) for h in screen.result.hits]
        assert sorted(hits) == sorted(expected)
        assert screen.query_one(DocumentTable).row_count == len(expected)
        status = str(screen.query_one("#search-status", Static).render())
        assert "2 zinnen in 2 van 2 documenten" in status
        first = screen.result.hits[0]
        assert "«gesprek»" in first.marked()
        await pilot.press("enter")  # the table has the focus after a search
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.document_id == first.document_id
        assert app.screen.segment.start == first.start
        assert "gesprek" in app.screen.segment.text


async def test_f_still_filters_the_documents(make_app: Callable) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        assert app.screen.query_one("#documents-filter", Input).has_focus


async def code_all(app, pilot, answer: str) -> None:  # noqa: ANN001
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, CodePickerModal)
    await pilot.press(*"plezier", "enter")
    await pilot.pause()
    assert isinstance(app.screen, ConfirmModal)
    assert app.screen.question.startswith("2 suggesties van Plezier")
    await pilot.press(answer)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_code_all_hits_makes_suggestions_only_after_yes_and_u_takes_them_back(
    make_app: Callable, open_project: Callable
) -> None:
    project = open_project()
    codings_before = len(project.codings(status=None))
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await searched(app, pilot, "gesprek")
        await code_all(app, pilot, "enter")  # Enter is "nee"
        assert app.screen is screen
        assert search_suggestions(project) == []
        await code_all(app, pilot, "j")
        made = search_suggestions(project)
        assert sorted((s.document_id, s.start, s.end) for s in made) == sorted(
            scanned(project, "gesprek")
        )
        assert {s.code_key for s in made} == {"plezier"}
        assert {s.suggester for s in made} == {"search:gesprek@anna"}
        assert len(project.codings(status=None)) == codings_before  # never a coding
        await pilot.press("u")
        await pilot.pause()
        assert search_suggestions(project) == []
        assert len(project.codings(status=None)) == codings_before


async def test_a_bad_regex_is_shown_in_dutch_and_nothing_is_searched(make_app: Callable) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await searched(app, pilot, "gesprek")
        hits = screen.result.hits if screen.result else ()
        await pilot.press("slash", "ctrl+a", "ctrl+k")
        await pilot.press("ctrl+t", "ctrl+t")  # words → lemma → regex
        assert screen.mode == "regex"
        await pilot.press(*"(gesprek", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        problem = str(screen.query_one("#search-problem", Static).render())
        assert problem.startswith("Ongeldige reguliere expressie bij kolom 1")
        assert screen.result is not None and screen.result.hits == hits  # the last result stays
        assert not screen.busy


async def test_the_palette_offers_the_project_search(make_app: Callable) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Zoeken" in commands
        await commands["Zoeken"].callback()
        await pilot.pause()
        assert isinstance(app.screen, ProjectSearchScreen)
        app.action_help()  # `?` would be typed into the search field, which has the focus
        await pilot.pause()
        assert app.screen.title_text == "zoeken in het project"
