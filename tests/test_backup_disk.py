"""Backups on a full disk: one line, nothing half-written left behind, the project intact."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kwali.app.backups import backup_folder, list_backups
from kwali.cli import cli
from kwali.store import Project

from helpers import code_two_coders

pytestmark = pytest.mark.sqlite_only  # backups of the file on a full disk


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 512 KB tmpfs, where the machine lets the test mount one (root on Linux)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mount = ["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", str(disk)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("this machine does not let the test mount a tmpfs")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path) -> Path:
    """Fill ``disk`` to its last byte; the filler's path, to free the space again."""
    filler = disk / "vulsel"
    with open(filler, "wb", buffering=0) as handle:
        for size in (65536, 4096, 1):
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return filler


def _codings(path: Path) -> list[tuple]:
    with Project.open(path, readonly=True) as project:
        return sorted((c.start, c.end, c.code_key, c.coder) for c in project.codings())


def test_a_copy_onto_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, small_disk):
    project = tmp_path / "studie.kwali"
    with Project.create(project) as p:
        code_two_coders(p)
    expected = _codings(project)
    filler = _fill(small_disk)
    copy = small_disk / "kopie.kwali"
    result = CliRunner().invoke(cli, ["backup", "-p", str(project), "-o", str(copy)])
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.startswith(f"kwali: fout: {copy}: ") and "full" in line
    assert sorted(p.name for p in small_disk.iterdir()) == ["vulsel"]
    assert _codings(project) == expected
    filler.unlink()  # with room again, the same command works
    again = CliRunner().invoke(cli, ["backup", "-p", str(project), "-o", str(copy)])
    assert again.exit_code == 0, again.output
    assert _codings(copy) == expected


def test_an_import_stops_when_its_backup_does_not_fit(tmp_path, small_disk):
    built = tmp_path / "studie.kwali"
    with Project.create(built) as p:
        code_two_coders(p)
    project = small_disk / "studie.kwali"
    shutil.copyfile(built, project)
    expected = _codings(project)
    interview = tmp_path / "int02.txt"
    interview.write_text("I: Hoe gaat het?\nR: Ik moest komen.\n", encoding="utf-8")
    with Project.open(project):  # the -wal and -shm take their room before the disk is full
        _fill(small_disk)
        result = CliRunner().invoke(cli, ["import", "-p", str(project), str(interview)])
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert "er kon geen reservekopie gemaakt worden vóór het importeren" in line
    assert line.endswith("er is niets veranderd")
    assert list_backups(project) == []
    assert [p.name for p in backup_folder(project).iterdir()] == []  # no temp file left
    assert _codings(project) == expected
    with Project.open(project, readonly=True) as p:
        assert len(p.document_ids()) == 1
