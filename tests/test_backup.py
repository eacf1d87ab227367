"""`kwali backup` and `kwali restore`: a copy that holds everything, a restore that can be undone.

The copy goes through SQLite's online backup API, so it holds every acknowledged action even
while another kwali writes; restoring replaces the project all at once, never while another
kwali has it open, and keeps the project as it was as a rolling backup.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kwali.app.backups import backup_folder, list_backups
from kwali.cli import cli
from kwali.store import Project

from helpers import AGREEMENT_CODEBOOK

pytestmark = pytest.mark.sqlite_only  # kwali backup and restore copy the file

# A second kwali: opens the project and adds a memo at a time, printing "ack N" only after
# add_memo returned, until killed.
WRITER = """
import sys
from kwali.store import Project
from kwali.errors import ProjectError
with Project.open(sys.argv[1]) as project:
    i = 0
    while True:
        i += 1
        try:
            project.add_memo("project", "", f"notitie {i}", "bram")
        except ProjectError:
            continue
        print("ack", i, flush=True)
"""

# A second kwali that only holds the project open, as the UI does between actions.
HOLDER = """
import sys, time
from kwali.store import Project
with Project.open(sys.argv[1]) as project:
    project.counts()
    print("open", flush=True)
    time.sleep(60)
"""


def _codings(path: Path) -> list[tuple]:
    with Project.open(path, readonly=True) as project:
        return sorted(
            (c.document_id, c.start, c.end, c.code_key, c.coder) for c in project.codings()
        )


def _integrity(path: Path) -> str:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _child(script: str, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# -- kwali backup ---------------------------------------------------------------------------------
def test_backup_is_complete_checked_and_private(coded, tmp_path, runner):
    copy = tmp_path / "kopie.kwali"
    old_umask = os.umask(0o022)  # a permissive umask must not widen the copy
    try:
        result = runner.invoke(cli, ["backup", "-p", str(coded), "-o", str(copy)])
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.output
    assert "gecontroleerd" in result.output
    assert _mode(copy) == 0o600
    assert _integrity(copy) == "ok"
    assert _codings(copy) == _codings(coded) and len(_codings(copy)) > 0
    assert not Path(f"{copy}-wal").exists() and not Path(f"{copy}-journal").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left
    with Project.open(copy) as again:  # a kwali project that opens for writing too
        assert again.codebook().codes == AGREEMENT_CODEBOOK.codes


def test_backup_refuses_to_overwrite_without_force(coded, tmp_path, runner):
    copy = tmp_path / "kopie.kwali"
    copy.write_text("iets anders dat ik wil houden")
    result = runner.invoke(cli, ["backup", "-p", str(coded), "-o", str(copy)])
    assert result.exit_code == 1
    assert result.output.strip() == f"kwali: fout: {copy}: bestaat al (vervang het met --force)"
    assert copy.read_text() == "iets anders dat ik wil houden"
    forced = runner.invoke(cli, ["backup", "-p", str(coded), "-o", str(copy), "--force"])
    assert forced.exit_code == 0, forced.output
    assert _codings(copy) == _codings(coded)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("studie.kwali", "is het project zelf"),
        ("geen/map/kopie.kwali", "de map ervan bestaat niet"),
    ],
)
def test_backup_errors_are_one_line(coded, tmp_path, runner, target, message):
    before = coded.read_bytes()
    result = runner.invoke(cli, ["backup", "-p", str(coded), "-o", str(tmp_path / target)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kwali: fout: ") and message in lines[0]
    assert coded.read_bytes() == before


def test_backup_of_what_is_not_a_project_is_one_line(tmp_path, runner):
    junk = tmp_path / "foto.kwali"
    junk.write_bytes(os.urandom(4096))
    result = runner.invoke(cli, ["backup", "-p", str(junk), "-o", str(tmp_path / "k.kwali")])
    assert result.exit_code == 1
    assert result.output.startswith("kwali: fout: ") and result.output.count("\n") == 1
    assert not (tmp_path / "k.kwali").exists()


def test_backup_while_another_kwali_writes_holds_every_acknowledged_action(coded, tmp_path):
    from kwali.app.backups import copy_project

    writer = _child(WRITER, coded)
    try:
        assert writer.stdout is not None
        acked = 0
        for round_ in range(5):
            while acked < 20 * (round_ + 1):  # let the writer get ahead, then copy mid-stream
                acked = int(writer.stdout.readline().split()[1])
            copy = tmp_path / f"kopie{round_}.kwali"
            copy_project(coded, copy)
            assert _integrity(copy) == "ok"
            with Project.open(copy, readonly=True) as project:
                memos = {m.text for m in project.memos()}
            assert {f"notitie {i}" for i in range(1, acked + 1)} <= memos
        assert writer.poll() is None  # the writer was never stopped by a copy
    finally:
        writer.kill()
        writer.wait()


def test_backup_list_needs_a_project_and_one_of_the_two(coded, runner):
    neither = runner.invoke(cli, ["backup", "-p", str(coded)])
    assert neither.exit_code == 2 and "geef -o/--output BESTAND of --list" in neither.output
    empty = runner.invoke(cli, ["backup", "-p", str(coded), "--list"])
    assert empty.exit_code == 0 and "Nog geen reservekopieën" in empty.output
    missing = runner.invoke(cli, ["backup", "-p", str(coded.with_name("x.kwali")), "--list"])
    assert missing.exit_code == 1
    assert (
        missing.output
        == f"kwali: fout: {coded.with_name('x.kwali')}: dit projectbestand bestaat niet\n"
    )


# -- kwali restore --------------------------------------------------------------------------------
def _add_coding(path: Path, coder: str = "carla") -> None:
    with Project.open(path) as project:
        segment = project.segments()[0]
        project.add_coding(segment.document_id, segment.start, segment.end, "plezier", coder)


def test_restore_replaces_the_project_and_can_itself_be_undone(coded, tmp_path, runner):
    copy = tmp_path / "kopie.kwali"
    assert runner.invoke(cli, ["backup", "-p", str(coded), "-o", str(copy)]).exit_code == 0
    at_copy = _codings(coded)
    _add_coding(coded)
    later = _codings(coded)
    assert later != at_copy

    result = runner.invoke(cli, ["restore", "-p", str(coded), "--from", str(copy)])
    assert result.exit_code == 0, result.output
    assert _codings(coded) == at_copy
    assert _integrity(coded) == "ok" and _mode(coded) == 0o600
    assert not Path(f"{coded}-journal").exists()

    (kept,) = list_backups(coded)
    assert kept.reason == "restore" and str(kept.path) in result.output
    assert _codings(kept.path) == later and _mode(kept.path) == 0o600
    assert _mode(backup_folder(coded)) == 0o700

    undo = runner.invoke(cli, ["restore", "-p", str(coded), "--from", str(kept.path)])
    assert undo.exit_code == 0, undo.output
    assert _codings(coded) == later
    with Project.open(coded) as project:  # and it is a working project again
        project.add_memo("project", "", "verder", "anna")


def test_restore_refuses_while_another_kwali_has_the_project_open(coded, tmp_path, runner):
    copy = tmp_path / "kopie.kwali"
    assert runner.invoke(cli, ["backup", "-p", str(coded), "-o", str(copy)]).exit_code == 0
    _add_coding(coded)
    expected = _codings(coded)
    holder = _child(HOLDER, coded)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        result = runner.invoke(cli, ["restore", "-p", str(coded), "--from", str(copy)])
        assert result.exit_code == 1
        assert result.output.strip() == (
            f"kwali: fout: {coded}: is open in een andere kwali (of bezet); sluit het daar eerst. "
            "Er is niets veranderd"
        )
    finally:
        holder.kill()
        holder.wait()
    assert _codings(coded) == expected and _integrity(coded) == "ok"
    # the one that was open sees its project as before; nothing of the attempt is left
    assert not Path(f"{coded}-journal").exists()


def test_restore_refuses_a_copy_that_is_not_a_sound_project(coded, tmp_path, runner):
    expected = _codings(coded)
    junk = tmp_path / "junk.kwali"
    junk.write_bytes(b"SQLite format 3\x00" + os.urandom(8000))
    other = tmp_path / "other.kwali"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    for source in (junk, other, tmp_path / "missing.kwali"):
        result = runner.invoke(cli, ["restore", "-p", str(coded), "--from", str(source)])
        assert result.exit_code == 1, result.output
        assert result.output.startswith(f"kwali: fout: {source}: ")
        assert result.output.count("\n") == 1
    assert _codings(coded) == expected
    assert not backup_folder(coded).exists()


def test_restore_to_a_new_name_makes_the_project(coded, tmp_path, runner):
    copy = tmp_path / "kopie.kwali"
    assert runner.invoke(cli, ["backup", "-p", str(coded), "-o", str(copy)]).exit_code == 0
    fresh = tmp_path / "terug.kwali"
    result = runner.invoke(cli, ["restore", "-p", str(fresh), "--from", str(copy)])
    assert result.exit_code == 0, result.output
    assert _codings(fresh) == _codings(coded) and _mode(fresh) == 0o600
    assert "kept in" not in result.output


def test_a_restored_project_keeps_working_for_a_writer_started_after(coded, tmp_path):
    """After a restore, a new kwali writes normally and a copy still holds its work."""
    from kwali.app.backups import copy_project, restore

    copy = tmp_path / "kopie.kwali"
    copy_project(coded, copy)
    restore(coded, copy)
    writer = _child(WRITER, coded)
    try:
        assert writer.stdout is not None
        acked = 0
        deadline = time.monotonic() + 30
        while acked < 10 and time.monotonic() < deadline:
            acked = int(writer.stdout.readline().split()[1])
    finally:
        writer.kill()
        writer.wait()
    assert acked >= 10
    with Project.open(coded, readonly=True) as project:
        assert len(project.memos()) >= acked
    assert _integrity(coded) == "ok"


def test_restore_from_a_copy_in_another_page_size(coded, tmp_path, runner):
    """A copy some other SQLite tool rewrote with larger pages is converted, not refused."""
    copy = tmp_path / "kopie.kwali"
    assert runner.invoke(cli, ["backup", "-p", str(coded), "-o", str(copy)]).exit_code == 0
    db = sqlite3.connect(copy, isolation_level=None)
    db.execute("PRAGMA page_size = 8192")
    db.execute("VACUUM")
    assert db.execute("PRAGMA page_size").fetchone()[0] == 8192
    db.close()
    expected = _codings(copy)
    _add_coding(coded)
    result = runner.invoke(cli, ["restore", "-p", str(coded), "--from", str(copy)])
    assert result.exit_code == 0, result.output
    assert _codings(coded) == expected and _integrity(coded) == "ok"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
