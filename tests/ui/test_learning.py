"""`l`: suggest again with a model learned from the confirmed codings, in a background thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kwali.store import Project
from kwali.ui.app import KwaliApp
from kwali.ui.screens import learning
from kwali.ui.screens.coding import CodingScreen
from kwali.ui.screens.documents import DocumentsScreen
from kwali.ui.widgets.segment_panel import PanelData, SuggestionItem, render_panel

from helpers import UNREAD, add_teaching_interview
from ui_helpers import notifications, panel_text

# helpers.add_teaching_interview: no codebook signal fires on "bladblazer"; anna codes it as
# dwang by hand, so only a learned model can suggest it in the last, UNREAD sentence.


def _build(path: Path, teach: bool) -> Path:
    """A project file with the interview and the rules' suggestions; with ``teach``, anna's codes."""
    with Project.create(path) as project:
        add_teaching_interview(project, path.parent, coded=teach)
    return path


@pytest.fixture
def opened():
    projects: list[Project] = []

    def open_(path: Path, readonly: bool = False) -> Project:
        projects.append(Project.open(path, readonly=readonly))
        return projects[-1]

    yield open_
    for project in projects:
        project.close()


def _messages(app: KwaliApp) -> list[str]:
    return [n.message for n in notifications(app)]


def _snapshot(project: Project) -> list[tuple[str, str, str]]:
    return sorted((s.segment_id, s.code_key, s.suggester) for s in project.suggestions())


async def _finish(app: KwaliApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the learning thread, then for the screens to reload."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def _record_threads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each learning run was off the main thread (it is over too soon to catch the worker)."""
    off_main: list[bool] = []
    real = learning.suggest_project

    def recording(project, **kwargs):  # type: ignore[no-untyped-def]
        off_main.append(threading.current_thread() is not threading.main_thread())
        return real(project, **kwargs)

    monkeypatch.setattr(learning, "suggest_project", recording)
    return off_main


async def test_learning_in_the_coding_screen_shows_learned_suggestions(
    tmp_path, opened, open_document, monkeypatch
):
    path = _build(tmp_path / "les.kwali", teach=True)
    off_main = _record_threads(monkeypatch)
    app = KwaliApp(opened(path), "anna")
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        assert screen.state.open_count == 0  # the codebook's rules find nothing here
        await pilot.press("l")
        assert "Leren van de bevestigde codes…" in _messages(app)
        await _finish(app, pilot)
        assert off_main == [True]
        done = [
            m for m in _messages(app) if m.startswith("Geleerd van")
        ]  # 5 of the 6 anna coded already
        assert done == ["Geleerd van 5 codes in 8 zinnen: 6 suggesties."]
        assert screen.state.open_count == 1  # the screen re-read the project
        await pilot.press("n")
        assert screen.segment.text == UNREAD
        [item] = screen.panel_data().suggestions
        assert (item.key, item.evidence, item.learned) == ("dwang", (), ("bladblazer",))
        assert "bewijs: “bladblazer” (geleerd)" in panel_text(screen)
        await pilot.press("a")  # the learned suggestion is an ordinary one to accept
    check = opened(path)
    assert "+learned." in check.suggestions()[0].suggester
    unread = [c for c in check.codings(coder="anna") if c.origin == "suggestion"]
    assert [c.code_key for c in unread] == ["dwang"]


async def test_learning_without_codings_is_an_error_and_changes_nothing(
    tmp_path, opened, open_document
):
    path = _build(tmp_path / "les.kwali", teach=False)
    before = _snapshot(opened(path))
    app = KwaliApp(opened(path), "anna")
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        await pilot.press("l")
        await _finish(app, pilot)
        assert isinstance(app.screen, CodingScreen)
        errors = [n for n in notifications(app) if n.severity == "error"]
        assert (
            len(errors) == 1
            and "heeft geen bevestigde coderingen om van te leren" in errors[0].message
        )
        assert not any(m.startswith("Geleerd") for m in _messages(app))
        assert screen.state.open_count == 0
    assert _snapshot(opened(path)) == before


async def test_learning_from_the_documents_screen(tmp_path, opened):
    path = _build(tmp_path / "les.kwali", teach=True)
    app = KwaliApp(opened(path), "anna")
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DocumentsScreen)
        await pilot.press("l")
        await _finish(app, pilot)
        assert "Geleerd van 5 codes in 8 zinnen: 6 suggesties." in _messages(app)
        assert isinstance(app.screen, DocumentsScreen)
    check = opened(path)
    assert [
        (check.segment(s.segment_id).text, s.code_key) for s in check.suggestions(open_for="anna")
    ] == [(UNREAD, "dwang")]


@pytest.mark.sqlite_only  # a project in memory is a SQLite one
async def test_learning_an_in_memory_project_runs_in_place(tmp_path, monkeypatch):
    off_main = _record_threads(monkeypatch)
    with Project.in_memory() as project:
        add_teaching_interview(project, tmp_path)
        app = KwaliApp(project, "anna")
        async with app.run_test(size=(140, 36)) as pilot:
            await pilot.pause()
            await pilot.press("l")
            assert off_main == [False]
            assert "Geleerd van 5 codes in 8 zinnen: 6 suggesties." in _messages(app)
        assert len(project.suggestions(open_for="anna")) == 1


async def test_learning_refused_when_read_only(tmp_path, opened):
    path = _build(tmp_path / "les.kwali", teach=True)
    before = _snapshot(opened(path))
    app = KwaliApp(opened(path, readonly=True), "anna")
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert any("alleen-lezen" in m and "leren kan niet" in m for m in _messages(app))
        assert not any(w.group == learning.LEARN_GROUP for w in app.workers)
    assert _snapshot(opened(path)) == before


async def test_learning_refused_in_blind_mode(tmp_path, opened):
    """All coders see the same suggestions: learned ones would show a blind coder the others' choices."""
    path = _build(tmp_path / "les.kwali", teach=True)
    before = _snapshot(opened(path))
    app = KwaliApp(opened(path), "bram", blind=True)
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert any("blinde modus" in m for m in _messages(app))
        assert not any(w.group == learning.LEARN_GROUP for w in app.workers)
    assert _snapshot(opened(path)) == before


async def test_no_second_run_while_learning(tmp_path, opened, monkeypatch):
    path = _build(tmp_path / "les.kwali", teach=True)
    release, runs = threading.Event(), []
    real = learning.suggest_project

    def slow(project, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(threading.current_thread() is not threading.main_thread())
        release.wait(10)
        return real(project, **kwargs)

    monkeypatch.setattr(learning, "suggest_project", slow)
    app = KwaliApp(opened(path), "anna")
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("down", "l")  # the UI still answers keys, but will not learn twice
        await pilot.pause()
        assert "Er wordt al geleerd; even geduld." in _messages(app)
        release.set()
        await _finish(app, pilot)
    assert runs == [True]


def test_panel_marks_learned_evidence():
    def panel(*items: SuggestionItem) -> str:
        return render_panel(PanelData("1.2", "R", "", 3, suggestions=items)).plain

    both = SuggestionItem("Dwang", "dwang", "", 0.8, ("verplicht",), True, ("bladblazer", "park"))
    assert "bewijs: “verplicht”; “bladblazer”, “park” (geleerd)" in panel(both)
    only_learned = SuggestionItem("Dwang", "dwang", "", 0.6, (), False, ("bladblazer",))
    assert "bewijs: “bladblazer” (geleerd)" in panel(only_learned)
    rules = SuggestionItem("Dwang", "dwang", "", 0.6, ("verplicht",))
    assert "bewijs: “verplicht”\n" in panel(rules) and "geleerd" not in panel(rules)


def test_learned_message_counts_and_says_when_nothing_was_new():
    from kwali.app.suggesting import SuggestResult

    assert learning.learned_message(SuggestResult("r+learned.x", 2, 5, 7, 30)) == (
        "Geleerd van 7 codes in 30 zinnen: 5 suggesties."
    )
    assert learning.learned_message(SuggestResult("r+learned.x", 0, 0, 7, 30)) == (
        "Geleerd van 7 codes in 30 zinnen: de suggesties waren al bijgewerkt."
    )
