"""The project file under stress: a full disk, a plain copy while kwali is open, a file that
carries SQL of its own, and two processes of one coder adding the same coding.

The disk-full tests fill a real small filesystem where the test may mount one (tmpfs, as
root), and otherwise cap the file with SQLite's ``max_page_count``; both end in the same
SQLITE_FULL that a full disk gives.
"""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_project import build_project, check_project, problems

from kwali.errors import ProjectError
from kwali.store import Project

pytestmark = pytest.mark.sqlite_only  # crashes, a full disk and the WAL of the file


def _sentences(project: Project) -> list:
    return [s for d in project.document_ids() for s in project.segments(d, kind="sentence")]


def _code_until_full(project: Project) -> tuple[set[int], ProjectError]:
    """Confirm a new coding on every sentence, then on spans inside them, until one fails."""
    acknowledged: set[int] = set()
    sentences = _sentences(project)
    for width in range(40, 1, -1):
        for s in sentences:
            for code in ("dwang", "sanctie", "plezier", "brief", "geld"):
                try:
                    coding = project.add_coding(
                        s.document_id, s.start, min(s.end, s.start + width), code, "anna"
                    )
                except ProjectError as exc:
                    return acknowledged, exc
                acknowledged.add(coding.id)
    raise AssertionError("the disk never filled up")


def _assert_intact(path: Path, acknowledged: set[int]) -> None:
    check = check_project(path, acknowledged)
    assert problems(check) == []
    assert check["codings"] == len(acknowledged)  # and the failed one is not half there


# -- a full disk ------------------------------------------------------------------------------
class CommitFailsOnFullDisk:
    """A connection whose COMMIT fails as it does on a full disk: by the time the error
    arrives, SQLite has already rolled the transaction back."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql == "COMMIT":
            self._db.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")
        return self._db.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._db, name)


def test_a_commit_that_fails_on_a_full_disk_says_so_in_one_line(tmp_path):
    path = build_project(tmp_path / "p.kwali")
    with Project.open(path) as project:
        s = _sentences(project)[0]
        kept = project.add_coding(s.document_id, s.start, s.end, "dwang", "anna")
        real = project.db
        project.db = CommitFailsOnFullDisk(real)  # type: ignore[assignment]
        with pytest.raises(ProjectError) as failed:
            project.add_coding(s.document_id, s.start, s.end, "sanctie", "anna")
        project.db = real
        message = failed.value.one_line()
        assert message.startswith(f"{path}: kan niet worden geschreven: de schijf is vol")
        assert "van deze actie is niets opgeslagen" in message and "\n" not in message
        assert "cannot rollback" not in message
        assert not real.in_transaction
        # the project goes on: the next action is saved as usual
        again = project.add_coding(s.document_id, s.start, s.end, "sanctie", "anna")
    _assert_intact(path, {kept.id, again.id})


def test_a_file_capped_by_max_page_count_fills_up_with_one_clear_line(tmp_path):
    path = build_project(tmp_path / "p.kwali")
    with Project.open(path) as project:
        pages = project.db.execute("PRAGMA page_count").fetchone()[0]
        project.db.execute(f"PRAGMA max_page_count = {pages + 3}")
        acknowledged, failure = _code_until_full(project)
    assert failure.one_line().startswith(f"{path}: kan niet worden geschreven: de schijf is vol")
    assert acknowledged
    _assert_intact(path, acknowledged)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs mounted for this test (root only), else skip: the max_page_count test
    covers the same failure everywhere."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
    )
    if done.returncode:
        pytest.skip("cannot mount a small filesystem here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_loses_nothing_acknowledged(small_disk):
    path = build_project(small_disk / "p.kwali")
    filler = small_disk / "filler"
    with open(filler, "wb") as out:  # leave ~100 KB free
        out.write(b"\0" * (shutil.disk_usage(small_disk).free - 100_000))
    with Project.open(path) as project:
        acknowledged, failure = _code_until_full(project)
    assert failure.one_line().startswith(f"{path}: kan niet worden geschreven: de schijf is vol")
    assert len(acknowledged) > 20  # real work was saved before the disk filled (~100 KB)
    filler.unlink()  # the researcher makes room and opens the project again
    _assert_intact(path, acknowledged)


# -- a plain copy while kwali is open ------------------------------------------------------------
def test_a_plain_copy_of_an_open_project_holds_every_confirmed_coding(tmp_path):
    path = build_project(tmp_path / "p.kwali")
    copy = tmp_path / "kopie.kwali"
    with Project.open(path) as project:
        sentences = _sentences(project)
        made = [
            project.add_coding(s.document_id, s.start, s.end, "dwang", "anna").id
            for s in sentences[:20]
        ]
        shutil.copyfile(path, copy)  # the .kwali only, not NAME.kwali-wal
    with Project.open(copy) as opened:
        assert sorted(c.id for c in opened.codings(coder="anna")) == sorted(made)
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # closing folds the WAL in


def test_opening_folds_in_what_a_crashed_kwali_left_in_the_wal(tmp_path):
    path = build_project(tmp_path / "p.kwali")
    crashed = sqlite3.connect(path, isolation_level=None)  # never checkpoints, never closes
    crashed.execute("PRAGMA wal_autocheckpoint = 0")
    crashed.execute("INSERT INTO meta VALUES ('laatste', 'werk')")
    copy = tmp_path / "kopie.kwali"
    with Project.open(path):
        shutil.copyfile(path, copy)
    crashed.close()
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'laatste'").fetchall() == [("werk",)]


# -- a file that carries its own SQL ---------------------------------------------------------------
def _tamper(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path)
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


TAMPERINGS = {
    "trigger": (
        "CREATE TRIGGER wis AFTER INSERT ON codings BEGIN DELETE FROM codings; END",
        "triggers die kwali niet heeft gemaakt (wis)",
    ),
    "view": (
        "DROP TABLE codings;\n"
        "CREATE VIEW codings AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        "SELECT i AS id, 1 AS document_id, 0 AS start, 1 AS \"end\", 'dwang' AS code_key, "
        "'anna' AS coder, 'confirmed' AS status FROM n",
        "views die kwali niet heeft gemaakt (codings)",
    ),
    "table": (
        "CREATE TABLE verzameld (tekst TEXT)",
        "tabellen die kwali niet heeft gemaakt (verzameld)",
    ),
    "index": (
        "CREATE INDEX traag ON documents (length(text))",
        "indexen die kwali niet heeft gemaakt (traag)",
    ),
}


@pytest.mark.parametrize("kind", list(TAMPERINGS))
def test_a_project_file_with_sql_kwali_did_not_make_is_refused(tmp_path, kind):
    path = build_project(tmp_path / "p.kwali")
    statements, named = TAMPERINGS[kind]
    _tamper(path, *statements.split(";\n"))
    for readonly in (False, True):
        with pytest.raises(ProjectError) as refused:
            Project.open(path, readonly=readonly)
        message = refused.value.one_line()
        assert message.startswith(f"{path}: bevat {named}; er is mogelijk mee geknoeid")
        assert "\n" not in message


def test_the_cli_refuses_a_tampered_project_in_one_line(tmp_path):
    from click.testing import CliRunner

    from kwali.cli import cli

    path = build_project(tmp_path / "p.kwali")
    _tamper(path, TAMPERINGS["view"][0].split(";\n")[0], TAMPERINGS["view"][0].split(";\n")[1])
    result = CliRunner().invoke(cli, ["status", "-p", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"kwali: fout: {path}: bevat views die kwali niet heeft gemaakt (codings); er is mogelijk "
        "mee geknoeid (kwali opent het niet; gebruik een kopie die u vertrouwt of een back-up)"
    ]


def test_a_project_kwali_made_opens_and_a_missing_table_is_refused(tmp_path):
    path = build_project(tmp_path / "p.kwali")
    with Project.open(path, readonly=True) as project:
        assert project.counts()["documents"] == 3
    _tamper(path, "DROP TABLE memos")
    with pytest.raises(ProjectError, match=r"mist een deel van kwali's schema \(memos"):
        Project.open(path)


# -- one coder, two processes, the same coding ------------------------------------------------------
def _add_the_same_codings(path: Path, barrier, spans: list[tuple[int, int, int]]) -> None:
    with Project.open(path) as project:
        for document_id, start, end in spans:
            barrier.wait(timeout=30)  # all processes add this coding at the same moment
            project.add_coding(document_id, start, end, "dwang", "anna")


def test_processes_racing_to_add_one_coding_make_exactly_one_row(tmp_path):
    path = build_project(tmp_path / "p.kwali")
    with Project.open(path, readonly=True) as project:
        spans = [(s.document_id, s.start, s.end) for s in _sentences(project)[:30]]
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(3)
    racers = [
        context.Process(target=_add_the_same_codings, args=(path, barrier, spans)) for _ in range(3)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=120)
    assert [racer.exitcode for racer in racers] == [0, 0, 0]
    with Project.open(path, readonly=True) as project:
        codings = project.codings(coder="anna")
    assert sorted((c.document_id, c.start, c.end) for c in codings) == sorted(spans)
    assert problems(check_project(path, {c.id for c in codings})) == []
