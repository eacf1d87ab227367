"""Snapshots of the survey screen (V) at 80×24 and 140×30 (update only after looking at the
diff: ``pytest tests/ui/test_survey_snapshots.py --snapshot-update``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from survey_screen_helpers import build_survey_project

from kwali.store import Project
from kwali.ui.app import KwaliApp


@pytest.fixture
def survey_app(tmp_path: Path) -> Iterator[KwaliApp]:
    project = Project.open(build_survey_project(tmp_path / "enquete.kwali"))
    yield KwaliApp(project, "anna")
    project.close()


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[KwaliApp]:
    project = Project.create(tmp_path / "leeg.kwali")
    yield KwaliApp(project, "anna")
    project.close()


async def _open(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("V")
    await pilot.pause()


def test_survey_wide(snap_compare, survey_app: KwaliApp) -> None:  # type: ignore[no-untyped-def]
    """Counts with leeg and weet niet; respondent, aanpak, answer, codes and top suggestion;
    the numbered codes; the first answer with its suggestion's evidence word."""
    assert snap_compare(survey_app, terminal_size=(140, 30), run_before=_open)


def test_survey_narrow_after_coding_marked(snap_compare, survey_app: KwaliApp) -> None:  # type: ignore[no-untyped-def]
    """At 80×24 the group and suggestion columns give way; two marked answers coded with 2
    show the code; the footer keeps Esc in view."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _open(pilot)
        await pilot.press("space", "space", "2", "space")
        await pilot.pause()
        screen = pilot.app.screen
        screen.last_saved = "opgeslagen — Sociaal contact op 2 antwoorden"  # without the clock
        screen.draw()

    assert snap_compare(survey_app, terminal_size=(80, 24), run_before=run_before)


def test_survey_group_picker(snap_compare, survey_app: KwaliApp) -> None:  # type: ignore[no-untyped-def]
    """f lists every value of the attributes that make groups, with their respondents."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _open(pilot)
        await pilot.press("f")
        await pilot.pause()

    assert snap_compare(survey_app, terminal_size=(80, 24), run_before=run_before)


def test_no_surveys(snap_compare, empty_app: KwaliApp) -> None:  # type: ignore[no-untyped-def]
    """A project without a survey: one Dutch line, nothing else."""
    assert snap_compare(empty_app, terminal_size=(80, 24), run_before=_open)
