"""A team on one PostgreSQL project (issue 19), proven on a real server, no mocks: two to four
coders' processes coding the same interview at once lose no acknowledged write, make no
duplicate and leave one audited action per write; a coder's process SIGKILLed inside an action
leaves nothing of it and no lock behind; another connection sees a commit within 2 s.

The coders are processes of their own, this file run as a script (as the tests run it):

    python tests/test_postgres_team.py code URL CODER SEED SECONDS LOG GO
    python tests/test_postgres_team.py hold URL CODER LOG

``code`` writes a line to LOG for each coding only after ``add_coding`` returned (only what
kwali acknowledged); ``hold`` codes a few sentences inside one action, says so, and sleeps in
it until it is killed. The tests skip without a server (the ``postgres_dsn`` fixture).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CODES = ("dwang", "plezier", "brief")  # of helpers.AGREEMENT_CODEBOOK
SECONDS = 2.0  # each coder codes this long


# -- the coders' processes ------------------------------------------------------------------------
def _emit(log: int, line: str) -> None:
    """One whole line, straight to the file: a line cut short was never acknowledged."""
    os.write(log, f"{line}\n".encode())


def code(url: str, coder: str, seed: int, seconds: float, log_path: str, go: str) -> None:
    """Code whole sentences (where the coders meet on the same sentence and code) and spans
    inside them (nearly always new rows) until ``seconds`` after the file ``go`` appears."""
    from kwali.store import Project

    rng = random.Random(seed)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    project = Project.open(url)
    sentences = [s for d in project.document_ids() for s in project.segments(d)]
    _emit(log, "ready")
    while not os.path.exists(go):
        time.sleep(0.01)
    mine: set[int] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        s = rng.choice(sentences)
        start, end = s.start, s.end
        if rng.random() < 0.5:
            start = rng.randrange(s.start, s.end)
            end = rng.randrange(start, s.end) + 1
        key = rng.choice(CODES)
        coding = project.add_coding(s.document_id, start, end, key, coder)
        # the same coder, span and code again returns that coding: no new row, no action
        _emit(log, f"{'again' if coding.id in mine else 'new'} {coding.id} {start} {end} {key}")
        mine.add(coding.id)
    project.close()
    _emit(log, "done")


def hold(url: str, coder: str, log_path: str) -> None:
    """Code five sentences inside one action, say so (with this connection's server process)
    while still inside its transaction, and wait there to be killed."""
    from kwali.store import Project
    from kwali.store.actions import Verb

    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    project = Project.open(url)
    sentences = project.segments(project.document_ids()[0])
    with project.action(coder, Verb.CODE, "dwang"):
        for s in sentences[:5]:
            project.add_coding(s.document_id, s.start, s.end, "dwang", coder)
        project.add_memo("project", "", "half af", coder)
        _emit(log, f"inside {project.db.pg.info.backend_pid}")  # type: ignore[attr-defined]
        time.sleep(120)
    _emit(log, "committed")  # never reached: killed first


def _start(*args: object) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), *map(str, args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _why(process: subprocess.Popen) -> str:
    return process.stderr.read().decode() if process.stderr else ""


def _lines(log: Path) -> list[list[str]]:
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    whole = text[: text.rfind("\n") + 1]
    return [line.split() for line in whole.splitlines()]


def _wait_for(predicate, seconds: float, what: str, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the child ended ({_why(process)})")
        time.sleep(0.02)
    raise AssertionError(f"{what}: not within {seconds} s")


# -- the project they share -----------------------------------------------------------------------
def _shared_project(url: str) -> None:
    """One interview of ten hand-segmented sentences and the agreement study's codebook."""
    from kwali.store import Project

    from helpers import AGREEMENT_CODEBOOK, add_interview

    with Project.create(url) as project:
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
        add_interview(project, "buurthuis")


def _rows(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as pg:
        return pg.execute(statement, params).fetchall()  # type: ignore[arg-type]


# -- a. two to four coders at once ----------------------------------------------------------------
@pytest.mark.parametrize(
    "clients", [2, pytest.param(3, marks=pytest.mark.slow), pytest.param(4, marks=pytest.mark.slow)]
)
def test_coders_at_once_lose_and_duplicate_nothing(postgres_dsn, tmp_path, clients):
    _shared_project(postgres_dsn)
    go = tmp_path / "go"
    coders = [f"coder{i}" for i in range(clients)]
    logs = {c: tmp_path / f"{c}.log" for c in coders}
    children = {
        c: _start("code", postgres_dsn, c, 100 + i, SECONDS, logs[c], go)
        for i, c in enumerate(coders)
    }
    try:
        for c in coders:
            _wait_for(lambda c=c: ["ready"] in _lines(logs[c]), 60, f"{c} ready", children[c])
        go.touch()  # all start coding together
        for child in children.values():
            assert child.wait(timeout=SECONDS + 60) == 0, _why(child)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.kill()
                child.wait()

    acknowledged: dict[str, dict[int, tuple]] = {}  # coder -> coding id -> (start, end, code)
    for c in coders:
        lines = _lines(logs[c])
        assert lines[-1] == ["done"], c
        new = {
            int(i): (int(a), int(b), k)
            for kind, i, a, b, k in (w for w in lines if len(w) == 5)
            if kind == "new"
        }
        again = [int(w[1]) for w in lines if w[0] == "again"]
        assert new, f"{c} wrote nothing"
        assert set(again) <= set(new), "an identical coding came back under a new id"
        acknowledged[c] = new
    assert len({i for new in acknowledged.values() for i in new}) == sum(
        len(new) for new in acknowledged.values()
    ), "two coders were told they made the same row"

    stored = {
        i: (coder, (start, end, key))
        for i, coder, start, end, key in _rows(
            postgres_dsn,
            "SELECT id, coder, start, \"end\", code_key FROM codings WHERE status = 'confirmed'",
        )
    }
    lost = [
        (c, i)
        for c, new in acknowledged.items()
        for i, row in new.items()
        if stored.get(i) != (c, row)
    ]
    assert lost == [], f"{len(lost)} acknowledged writes lost"
    # nothing written that no coder was told of, and no coding twice
    assert set(stored) == {i for new in acknowledged.values() for i in new}
    twice = Counter((coder, row) for coder, row in stored.values())
    assert [k for k, n in twice.items() if n > 1] == []
    # the coders met: the same sentence and code, coded by two of them, both kept
    met = Counter(row for _coder, row in stored.values())
    assert any(n >= 2 for n in met.values())

    # the audit log: one action per acknowledged write, each with the audit row of its coding
    for c, new in acknowledged.items():
        actions = _rows(
            postgres_dsn,
            "SELECT a.id, a.verb, array_agg(u.tbl), array_agg(u.row_key) FROM actions a "
            "LEFT JOIN audit u ON u.action_id = a.id WHERE a.coder = %s GROUP BY a.id, a.verb",
            (c,),
        )
        assert len(actions) == len(new), c
        assert {verb for _a, verb, _t, _k in actions} == {"code"}
        assert all(tables == ["codings"] for _a, _v, tables, _k in actions)
        assert sorted(int(keys[0].strip("[]")) for _a, _v, _t, keys in actions) == sorted(new)


# -- b. a coder killed inside an action -----------------------------------------------------------
WRITE_LOCK_HELD = (
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = %s "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


def test_a_coder_killed_inside_an_action_leaves_nothing_half_done(postgres_dsn, tmp_path):
    from kwali.store import Project
    from kwali.store.postgres.engine import WRITE_LOCK

    _shared_project(postgres_dsn)
    tables = ("codings", "memos", "actions", "audit")
    before = {t: _rows(postgres_dsn, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    log = tmp_path / "kim.log"
    child = _start("hold", postgres_dsn, "kim", log)
    try:
        [[_inside, pid]] = _wait_for(lambda: _lines(log), 60, "kim inside", child)
        pid = int(pid)
        # kim is inside the transaction, holding the write lock, with rows nobody else sees
        state = _rows(postgres_dsn, "SELECT state FROM pg_stat_activity WHERE pid = %s", (pid,))
        assert state == [("idle in transaction",)]
        assert _rows(postgres_dsn, WRITE_LOCK_HELD, (WRITE_LOCK,)) == [(pid,)]
        assert _rows(postgres_dsn, "SELECT count(*) FROM codings WHERE coder = 'kim'") == [(0,)]
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert _lines(log) == [["inside", str(pid)]]

    # the server ends kim's session, rolls the transaction back and frees the lock
    gone = "SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = %s"
    _wait_for(lambda: _rows(postgres_dsn, gone, (pid,))[0][0], 5, "kim's session gone")
    assert _rows(postgres_dsn, WRITE_LOCK_HELD, (WRITE_LOCK,)) == []
    after = {t: _rows(postgres_dsn, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    assert after == before
    for table in ("codings", "memos", "actions"):
        assert _rows(postgres_dsn, f"SELECT count(*) FROM {table} WHERE coder = 'kim'") == [(0,)]

    # the project opens and takes a new write at once
    with Project.open(postgres_dsn) as project:
        project.db.execute("SET lock_timeout = '5s'")  # a lock still held fails, not hangs
        sentence = project.segments(project.document_ids()[0])[0]
        started = time.monotonic()
        coding = project.add_coding(
            sentence.document_id, sentence.start, sentence.end, "dwang", "kim"
        )
        assert time.monotonic() - started < 5
        assert [h.coder for h in project.history(limit=1)] == ["kim"]
    assert _rows(postgres_dsn, "SELECT id FROM codings WHERE coder = 'kim'") == [(coding.id,)]


# -- c. another connection sees a commit ----------------------------------------------------------
def test_another_connection_sees_a_commit_within_two_seconds(postgres_dsn):
    from kwali.store import Project

    _shared_project(postgres_dsn)
    with Project.open(postgres_dsn) as a, Project.open(postgres_dsn) as b:
        sentences = a.segments(a.document_ids()[0])
        for round_, s in enumerate(sentences[:3]):
            seen = b.data_version()
            a.add_coding(s.document_id, s.start, s.end, "dwang", "anna")
            started = time.monotonic()
            while b.data_version() == seen:
                b.codings()  # b keeps reading, as a screen does, while a's signal arrives
                assert time.monotonic() - started < 2.0, f"round {round_}: b saw nothing in 2 s"
                time.sleep(0.01)
            assert [
                c.coder for c in b.codings(document_id=s.document_id, start=s.start, end=s.end)
            ] == ["anna"]

        # b's own commits do not move b's version (they do move a's)
        mine, theirs = b.data_version(), a.data_version()
        for s in sentences[3:6]:
            b.add_coding(s.document_id, s.start, s.end, "brief", "bram")
        time.sleep(0.3)  # time for a signal to arrive, were one sent to b
        assert b.data_version() == mine
        started = time.monotonic()
        while a.data_version() == theirs:
            assert time.monotonic() - started < 2.0, "a saw nothing of b's commits in 2 s"
            time.sleep(0.01)


if __name__ == "__main__":
    kind, *rest = sys.argv[1:]
    if kind == "code":
        url, coder, seed, seconds, log, go = rest
        code(url, coder, int(seed), float(seconds), log, go)
    elif kind == "hold":
        hold(*rest)
    else:
        raise SystemExit(f"unknown child: {kind}")


def test_a_writer_kept_waiting_hears_busy_and_its_connection_keeps_working(
    postgres_dsn, monkeypatch
):
    """As on a file: a write that waits longer than the busy timeout for another coder's
    action is refused as "busy", and that project stays usable (no aborted transaction)."""
    from kwali.errors import ProjectError
    from kwali.store import Project
    from kwali.store.actions import Verb

    monkeypatch.setattr("kwali.store.postgres.engine.BUSY_TIMEOUT_S", 0.3)
    _shared_project(postgres_dsn)
    a, b = Project.open(postgres_dsn), Project.open(postgres_dsn)
    try:
        sentence = a.segments(1)[0]
        with a.action("anna", Verb.CODE, "dwang"):
            with pytest.raises(ProjectError) as refused:
                b.add_coding(1, sentence.start, sentence.end, "dwang", "bram")
            assert refused.value.reason == "busy"
        assert b.codings() == []  # readable again at once
        assert b.add_coding(1, sentence.start, sentence.end, "dwang", "bram").coder == "bram"
    finally:
        a.close()
        b.close()


def test_an_action_that_changes_nothing_signals_nothing(postgres_dsn):
    """Another kwali's screen refreshes for a change, not for every commit: coding a sentence
    again with the same code (the store returns the coding already there) sends no signal."""
    from kwali.store import Project

    _shared_project(postgres_dsn)
    a, b = Project.open(postgres_dsn), Project.open(postgres_dsn)
    try:
        sentence = a.segments(1)[0]
        first = a.add_coding(1, sentence.start, sentence.end, "dwang", "anna")
        _wait_for(lambda: b.data_version() == 1, 2.0, "the first coding's signal")
        again = a.add_coding(1, sentence.start, sentence.end, "dwang", "anna")
        assert again.id == first.id
        time.sleep(0.3)
        assert b.data_version() == 1
    finally:
        a.close()
        b.close()
