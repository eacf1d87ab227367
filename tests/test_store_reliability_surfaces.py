"""A full disk as the researcher meets it: one line and exit 1 from the CLI, a notification
in the coding screen (which stays open), and the project intact up to the failure."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner
from reliability_project import build_project, check_project, problems

from kwali.cli import cli
from kwali.store import Project

from ui_helpers import notifications, record_notifications

pytestmark = pytest.mark.sqlite_only  # a full disk and a busy file


FULL = "kan niet worden geschreven: de schijf is vol; van deze actie is niets opgeslagen"


def cap_every_project(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every project opened from now on may not grow by a single page: a full disk."""
    configure = Project._configure

    def cap(self: Project) -> None:
        configure(self)
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        self.db.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(Project, "_configure", cap)


def test_the_cli_on_a_full_disk_prints_one_line_and_exits_1(tmp_path, monkeypatch):
    path = build_project(tmp_path / "p.kwali")
    cap_every_project(monkeypatch)
    runner = CliRunner()
    settled = []
    for turn in range(1, 13):  # the first settles may still fit on pages with room
        for sentence in (1, 2, 3):
            unit = f"1:{turn}.{sentence}"
            result = runner.invoke(
                cli, ["settle", "-p", str(path), unit, "--code", "dwang", "--coder", "anna"]
            )
            if result.exit_code:
                break
            settled.append(unit)
        if result.exit_code:
            break
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"kwali: fout: {path}: {FULL} (maak ruimte "
        "vrij en probeer het opnieuw; wat eerder is opgeslagen, is veilig)"
    ]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    monkeypatch.undo()
    check = check_project(path)
    assert problems(check) == []
    assert check["codings"] == len(settled)  # consensus codings: one per settle that succeeded


def test_a_sqlite_error_that_escapes_the_store_is_not_an_internal_error(tmp_path, monkeypatch):
    path = build_project(tmp_path / "p.kwali")

    def broken(self: Project) -> dict:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(Project, "counts", broken)
    result = CliRunner().invoke(cli, ["status", "-p", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "kwali: fout: het projectbestand kan niet gelezen of geschreven worden (database disk image is malformed)"
    ]


async def test_the_coding_screen_on_a_full_disk_says_so_and_stays_open(tmp_path, monkeypatch):
    from kwali.ui.app import KwaliApp
    from kwali.ui.screens.coding import CodingScreen

    record_notifications(monkeypatch)
    path = build_project(tmp_path / "p.kwali")
    app = KwaliApp(Project.open(path), "anna")
    saved = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        pages = app.project.db.execute("PRAGMA page_count").fetchone()[0]
        app.project.db.execute(f"PRAGMA max_page_count = {pages}")
        for _ in range(100):
            if screen.current_suggestion() is None:
                await pilot.press("n")
            screen.last_saved = ""
            await pilot.press("a")
            if not screen.last_saved.startswith("opgeslagen"):
                break
            saved += 1
        assert isinstance(app.screen, CodingScreen)  # no crash, no traceback
        errors = [n.message for n in notifications(app) if n.severity == "error"]
        # in the coder's language, on every screen alike (kwali.ui.problems)
        assert errors == [
            "De schijf is vol: van deze actie is niets opgeslagen. Maak ruimte vrij en "
            "probeer het opnieuw; wat eerder is opgeslagen, is veilig."
        ]
    app.project.close()
    check = check_project(path)
    assert problems(check) == []
    assert check["codings"] == saved


def test_a_project_that_cannot_be_created_on_a_full_disk_leaves_no_file(tmp_path, monkeypatch):
    cap_every_project(monkeypatch)
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "nieuw.kwali")])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"kwali: fout: {tmp_path / 'nieuw.kwali'}: kan niet worden gemaakt"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_busy_project_is_said_in_one_line_on_the_command_line_and_by_reason_on_screen(
    tmp_path, monkeypatch
):
    """Another kwali holds the write lock: the store says so in one line (reason "busy"),
    which the CLI prints as is and a screen words by its reason (kwali.ui.problems)."""
    from kwali.errors import ProjectError
    from kwali.store import project as project_module
    from kwali.ui.problems import problem_text

    path = tmp_path / "p.kwali"
    Project.create(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(project_module, "BUSY_TIMEOUT_S", 0.1)
    try:
        with Project.open(path) as project:
            with pytest.raises(ProjectError) as caught:
                project.set_replacement("Fatima", "[naam]", "anna")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert caught.value.reason == "busy"
    assert "is bezet: een andere kwali schrijft erin" in caught.value.one_line()
    assert problem_text(caught.value).startswith("Een andere kwali schrijft net in dit project")
