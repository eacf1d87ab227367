"""Pilot tests for the cases screen (C): link a speaker to a new case and to an existing
one, unlink it, and undo brings each step back."""

from __future__ import annotations

from pathlib import Path

import pytest
from cases_helpers import add_group_interview, add_turns_document
from textual.widgets import Input

from kwali.store import Project
from kwali.ui.app import KwaliApp
from kwali.ui.screens.cases import CasesScreen
from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.codebook_modals import FormModal
from kwali.ui.widgets.document_table import DocumentTable

from ui_helpers import ScreenApp, notifications


@pytest.fixture
def group_project(tmp_path: Path):
    path = tmp_path / "groep.kwali"
    with Project.create(path) as project:
        add_turns_document(
            project, "int1", [("I", "interviewer", "Hoe gaat het?"), ("R", "respondent", "Goed.")]
        )
        document = add_group_interview(project)
        project.import_cases(
            [], {"coach_bert": {"team": "Zuid"}}, "sprekers.csv"
        )  # a case nobody is linked to yet
        assert document.number == 2
    with Project.open(path) as project:
        yield project


def links(project: Project) -> dict[str, str]:
    names = {c.id: c.name for c in project.cases()}
    return {s: names[c] for s, c in project.speaker_cases().get(2, {}).items()}


def rows(screen: CasesScreen, table: str) -> list[list[str]]:
    grid = screen.query_one(table, DocumentTable)
    return [grid.row_text(i) for i in range(grid.row_count)]


async def test_link_new_existing_unlink_and_undo(group_project) -> None:
    project = group_project
    app = ScreenApp(lambda: CasesScreen(project, "anna"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CasesScreen)
        # The first document with speakers (int1) is shown; d picks another.
        assert [r[0] for r in rows(screen, "#speakers")] == ["I", "R"]
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("down", "enter")  # 2: groep_noord
        await pilot.pause()
        assert [r[0] for r in rows(screen, "#speakers")] == ["I", "Coach A", "Coach B"]
        assert rows(screen, "#speakers")[1][1] == "— telt voor het document"

        # Coach A → a new case.
        await pilot.press("down", "k")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("enter")  # "+ nieuwe case…" comes first
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        app.screen.query_one(Input).value = "coach_ans"
        await pilot.press("enter")
        await pilot.pause()
        assert links(project) == {"Coach A": "coach_ans"}
        assert rows(screen, "#speakers")[1] == ["Coach A", "coach_ans"]
        assert ["coach_ans", "2:Coach A", ""] in rows(screen, "#cases")

        # Coach B → the existing case coach_bert (options: new, coach_ans, coach_bert).
        await pilot.press("down", "k")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert links(project) == {"Coach A": "coach_ans", "Coach B": "coach_bert"}
        assert ["coach_bert", "2:Coach B", "team=Zuid"] in rows(screen, "#cases")

        # Unlink Coach B: it counts for the document again.
        await pilot.press("o")
        await pilot.pause()
        assert links(project) == {"Coach A": "coach_ans"}
        assert "Coach B ontkoppeld: telt weer voor het document." in [
            n.message for n in notifications(app)
        ]

        # Undo brings each step back, newest first.
        await pilot.press("u")
        await pilot.pause()
        assert links(project) == {"Coach A": "coach_ans", "Coach B": "coach_bert"}
        assert rows(screen, "#speakers")[2] == ["Coach B", "coach_bert"]
        await pilot.press("u")
        await pilot.pause()
        assert links(project) == {"Coach A": "coach_ans"}
        await pilot.press("u")
        await pilot.pause()
        assert links(project) == {}
        assert project.case_named("coach_ans") is None  # the new case went with its link
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert links(project) == {"Coach A": "coach_ans"}


async def test_unlinking_a_speaker_without_case_says_so(group_project) -> None:
    app = ScreenApp(lambda: CasesScreen(group_project, "anna"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert "I is aan geen case gekoppeld." in [n.message for n in notifications(app)]
        assert links(group_project) == {}


async def test_c_opens_it_from_the_app(group_project) -> None:
    app = KwaliApp(group_project, "anna")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CasesScreen)


async def test_the_case_a_label_has_elsewhere_comes_first_survey_respondents_last(
    tmp_path: Path,
) -> None:
    from cases_helpers import add_survey

    path = tmp_path / "gemengd.kwali"
    with Project.create(path) as project:
        add_survey(project, {"Q7": {"1001": "Geld.", "1002": "Mensen."}})
        noord = add_group_interview(project)
        add_group_interview(project, "groep_zuid")
        project.import_cases([(noord.id, "Coach B", "coach_bert")], {"aaron": {}}, "s.csv")
    with Project.open(path) as project:
        app = ScreenApp(lambda: CasesScreen(project, "anna"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CasesScreen)
            assert screen.document_id == noord.id  # a group interview before a survey question
            await pilot.press("d", "down", "down", "enter")  # 3: groep_zuid
            await pilot.pause()
            await pilot.press("down", "down", "k")  # its Coach B
            await pilot.pause()
            modal = app.screen
            assert isinstance(modal, ChoiceModal)
            assert [item for item, _ in modal.items][1:] == ["coach_bert", "aaron", "1001", "1002"]
