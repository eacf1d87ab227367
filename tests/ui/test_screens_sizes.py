"""Every screen (but coding and agreement, tested by their owners) at 80×24 and at 200×50.

At 80×24, the size many terminals open at, nothing the researcher needs may be cut: titles,
status lines and footers whole, tables scrolling sideways with their label column fixed. At
200×50 the panels grow with the terminal. The project is built here (two interviews, one
survey question with its respondents as cases, codings by two coders, a memo), so the
snapshots do not move when the sample changes. Update only after looking at the diff:
``pytest tests/ui/test_screens_sizes.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from survey_screen_helpers import add_survey_question

from kwali.store import Project

SIZES = {"80x24": (80, 24), "200x50": (200, 50)}
WHEN = "2026-03-02T10:00:00"


@pytest.fixture
def sized_project(project_path: Path) -> Path:
    """The UI tests' project, coded by anna and ben, with a survey question and a memo."""
    with Project.open(project_path) as project:
        first, second = (d.id for d in project.document_summaries())
        # a raw value with an underscore, shown as written ("ontvangende organisatie")
        project.set_attributes(second, {"rol": "ontvangende_organisatie"})
        sentences = project.segments(first)
        for index, code, coder in [
            (1, "brief", "anna"),
            (1, "brief", "ben"),
            (3, "dwang", "anna"),
            (3, "dwang", "ben"),
            (5, "plezier", "anna"),
            (6, "plezier", "anna"),
        ]:
            s = sentences[index]
            project.add_coding(first, s.start, s.end, code, coder, created=WHEN)
        for s in project.segments(second)[:2]:
            project.add_coding(second, s.start, s.end, "plezier", "anna", created=WHEN)
        project.add_memo(
            "code", "dwang", "Dwang komt vooral bij werkzoekenden voor.", "anna", created=WHEN
        )
        add_survey_question(project, suggested={})  # its codes are not in this codebook
    return project_path


async def _keys(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _press(*keys: str) -> Callable:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _keys(pilot, *keys)

    return run_before


async def _search_modal(pilot) -> None:  # type: ignore[no-untyped-def]
    from kwali.ui.screens.search import SearchModal

    await pilot.pause()
    pilot.app.push_screen(SearchModal("korting"))
    await pilot.pause()


# what each screen shows is in the name; the keys open it from the documents screen
SCREENS: dict[str, Callable] = {
    "documents": _press(),
    "codebook": _press("k", "down"),
    "quotes": _press("o", *"dwang", "enter"),
    "memos": _press("w"),
    "query": _press("z", *"plezier", "enter"),
    "charts": _press("b"),
    "tables": _press("t"),
    "cell_quotes": _press("t", "down", "down", "down", "right", "enter"),
    "words": _press("W"),
    "project_search": _press("slash", *"brief", "enter"),
    "search_modal": _search_modal,
    "help": _press("question_mark"),
    "survey": _press("V"),
    "cases": _press("C"),
    "framework": _press("F"),
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_at_size(snap_compare, make_app, sized_project, screen: str, size: str) -> None:  # type: ignore[no-untyped-def]
    """The screen whole at 80×24 (nothing cut that matters) and filling 200×50."""
    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=SCREENS[screen])
