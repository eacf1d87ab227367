"""Rolling backups before risky operations: imports, loading a codebook over one, restores.

Each sits in NAME.kwali-backups/ (0700) as NAME-YYYYmmdd-HHMMSS-<reason>.kwali (0600); the newest
BACKUPS_KEPT stay; none is taken for a project without work or when nothing changed since the
last; a backup that cannot be taken stops the operation before it changes anything.
"""

from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kwali.app import backups
from kwali.app.backups import backup_folder, list_backups, rolling_backup
from kwali.app.importing import import_files
from kwali.app.suggesting import suggest_project
from kwali.cli import cli
from kwali.errors import ProjectError
from kwali.store import Project

from helpers import SUGGESTING_CODEBOOK

pytestmark = pytest.mark.sqlite_only  # rolling backups are copies of the file


INTERVIEW = "I: Hoe kwam u bij het buurthuis?\nR: Ik kreeg een brief. Ik moest komen.\n"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _state(path: Path) -> tuple[int, int, int]:
    with Project.open(path, readonly=True) as project:
        return len(project.document_ids()), len(project.codings()), len(project.memos())


@pytest.fixture
def interview(tmp_path: Path) -> Path:
    path = tmp_path / "int02.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    return path


def test_an_import_keeps_the_project_as_it_was(coded, interview):
    before = _state(coded)
    with Project.open(coded) as project:
        (result,) = import_files(project, [interview])
    assert result.created
    (backup,) = list_backups(coded)
    assert backup.reason == "import" and backup.size == backup.path.stat().st_size > 0
    assert re.fullmatch(r"studie-\d{8}-\d{6}-import\.kwali", backup.path.name)
    assert backup.path.parent == coded.parent / "studie.kwali-backups"
    assert _mode(backup.path) == 0o600 and _mode(backup.path.parent) == 0o700
    assert _state(backup.path) == before != _state(coded)


def test_no_backup_of_an_empty_project_nor_twice_of_the_same_state(tmp_path, interview):
    path = tmp_path / "nieuw.kwali"
    with Project.create(path) as project:
        import_files(project, [interview])  # nothing to lose yet
        assert not backup_folder(path).exists()
        import_files(project, [interview])  # a re-import: the state before it is kept once
        import_files(project, [interview])  # nothing changed since that backup
        assert [b.reason for b in list_backups(path)] == ["import"]
        project.add_memo("project", "", "nieuw werk", "anna")
        import_files(project, [interview])
    assert len(list_backups(path)) == 2


def test_only_the_newest_are_kept(coded, monkeypatch):
    monkeypatch.setattr(backups, "BACKUPS_KEPT", 3)
    stray = backup_folder(coded) / "mijn-eigen-notities.txt"
    with Project.open(coded) as project:
        for i in range(5):  # all within a second or two: names then get -2, -3, ...
            assert rolling_backup(project, "import") is not None
            project.add_memo("project", "", f"memo {i}", "anna")
            if i == 0:
                stray.write_text("van mij")
    kept = list_backups(coded)
    assert len(kept) == 3
    assert [_state(b.path)[2] for b in kept] == [2, 3, 4]  # memos in each: the three newest
    assert stray.read_text() == "van mij"  # a file kwali did not name is never touched


def test_a_codebook_loaded_over_one_in_use_is_backed_up_first(coded, tmp_path):
    with Project.open(coded) as project:
        suggest_project(project, codebook=SUGGESTING_CODEBOOK)
    assert [b.reason for b in list_backups(coded)] == ["codebook"]
    fresh = tmp_path / "leeg.kwali"
    with Project.create(fresh) as project:
        project.add_memo("project", "", "nog geen codes", "anna")
        suggest_project(project, codebook=SUGGESTING_CODEBOOK)  # no codebook to lose
    assert list_backups(fresh) == []


def test_a_backup_that_cannot_be_taken_stops_the_import(coded, interview):
    backup_folder(coded).write_text("een bestand, geen map")
    before = _state(coded)
    with Project.open(coded) as project, pytest.raises(ProjectError) as caught:
        import_files(project, [interview])
    assert "er kon geen reservekopie gemaakt worden vóór het importeren" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert _state(coded) == before
    result = CliRunner().invoke(cli, ["import", "-p", str(coded), str(interview)])
    assert result.exit_code == 1 and result.output.startswith("kwali: fout: ")
    assert _state(coded) == before


def test_a_planted_symlink_folder_is_refused(coded, interview, tmp_path):
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    backup_folder(coded).symlink_to(elsewhere)
    with (
        Project.open(coded) as project,
        pytest.raises(ProjectError, match="is geen map die kwali maakte"),
    ):
        import_files(project, [interview])
    assert list(elsewhere.iterdir()) == []


def test_backup_list_shows_time_reason_and_size(coded, interview):
    runner = CliRunner()
    assert runner.invoke(cli, ["import", "-p", str(coded), str(interview)]).exit_code == 0
    result = runner.invoke(cli, ["backup", "-p", str(coded), "--list"])
    assert result.exit_code == 0, result.output
    (line,) = result.output.strip().splitlines()
    (backup,) = list_backups(coded)
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  import ", line)
    assert f"{backup.size:,} bytes" in line and str(backup.path) in line


def test_a_killed_backups_temporary_file_goes_once_it_is_old(coded):
    backup_folder(coded).mkdir(mode=0o700)
    killed = backup_folder(coded) / ".studie-20260101-000000-import.kwali.0a1b2c.tmp"
    running = backup_folder(coded) / ".studie-20260101-000001-import.kwali.3d4e5f.tmp"
    for temp in (killed, running):
        temp.write_bytes(b"half a backup")
    old = time.time() - backups.STALE_TEMP_S - 60
    os.utime(killed, (old, old))
    with Project.open(coded) as project:
        assert rolling_backup(project, "import") is not None
    assert not killed.exists() and running.exists()
