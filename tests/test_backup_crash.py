"""A restore killed at any moment leaves the old project or the new one, never a mix.

A child process restores a large copy over a project and is killed with SIGKILL at a random
moment of the restore; the project then opens, passes ``integrity_check`` and holds exactly
the codings of one of the two, also when first opened read-only.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kwali.model import Segment, Transcript, Turn
from kwali.store import Project

from helpers import code_two_coders

KILLS = 20

RESTORER = """
import sys
from kwali.app.backups import restore
print("go", flush=True)
restore(sys.argv[1], sys.argv[2])
print("done", flush=True)
"""


def _big_document(project: Project, sentences: int = 80_000) -> None:
    """A long interview, segmented by hand: many pages for the restore to write."""
    text, spans = "", []
    for i in range(sentences):
        spans.append((len(text), len(text) + 30))
        text += f"Zin {i:06d} van een lang gesprek. "
    turn = Turn(1, 0, len(text), 0, len(text), speaker="R", role="respondent")

    def segments(document_id: int, uid: str) -> list[Segment]:
        return [
            Segment(f"{uid}:1.{k}", document_id, "sentence", 1, k, a, b, 1, "")
            for k, (a, b) in enumerate(spans, start=1)
        ]

    project.add_document(Transcript(text, (turn,), "lang.txt", "txt"), segments)


def _codings(path: Path) -> list[tuple]:
    with Project.open(path, readonly=True) as project:
        return sorted((c.start, c.end, c.code_key, c.coder) for c in project.codings())


@pytest.mark.slow
def test_a_killed_restore_leaves_one_whole_project(tmp_path):
    copy = tmp_path / "kopie.kwali"
    with Project.create(copy) as project:
        code_two_coders(project)
        _big_document(project)
    new = _codings(copy)
    rng = random.Random(11)
    outcomes = {"old": 0, "new": 0}
    for round_ in range(KILLS):
        target = tmp_path / f"studie{round_}.kwali"
        with Project.create(target) as project:
            code_two_coders(project)
            segment = project.segments()[0]
            project.add_coding(segment.document_id, segment.start, segment.end, "plezier", "carla")
        old = _codings(target)
        child = subprocess.Popen(
            [sys.executable, "-c", RESTORER, str(target), str(copy)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "go"
        time.sleep(rng.uniform(0.0, 0.5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        got = _codings(target)  # read-only first, as `kwali status` and `kwali backup` read
        with Project.open(target) as project:
            verdict = project.db.execute("PRAGMA integrity_check").fetchone()[0]
        assert verdict == "ok" and _codings(target) == got
        assert got in (old, new)
        outcomes["old" if got == old else "new"] += 1
        db = sqlite3.connect(target)
        assert db.execute("PRAGMA application_id").fetchone()[0] != 0
        db.close()
    print(f"{KILLS} killed restores: {outcomes}")
