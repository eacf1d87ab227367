"""Writers to kill and to race, and the check of what they leave: the crash and concurrency
proofs (tests/test_crash.py, tests/test_concurrency.py) and the benchmark step
``reliability`` (benchmarks/steps.py, which imports this file by path) share this code.

A child process writes through kwali as a user would and prints a line for each write only
after the call returned (so only what kwali acknowledged):

    python tests/reliability_workload.py api PROJECT CODER SEED [SECONDS]   # "ack CODING_ID"
    python tests/reliability_workload.py ui PROJECT CODER [SECONDS]         # "saved SUGGESTION_ID"
    python tests/reliability_workload.py cli PROJECT CODER SEED SECONDS     # "settled UNIT CODE"

A writer told the file is busy prints "busy" and goes on: that is an allowed outcome.
``reliability_project.check_project`` then opens the file as kwali would and lists what is
wrong.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from reliability_project import CODES, build_project, check_project, problems, unsettled

ROOT = Path(__file__).resolve().parents[1]


# -- the children ---------------------------------------------------------------------------
def emit(line: str) -> None:
    """One line to the parent, straight to the pipe (Textual may redirect sys.stdout)."""
    os.write(1, f"{line}\n".encode())


def api_writer(path: Path, coder: str, seed: int, seconds: float = 0.0) -> None:
    """Code random sentences and spans (and now and then accept a suggestion) through the
    store API, until killed or for ``seconds``."""
    from kwali.errors import ProjectError
    from kwali.store import Project

    rng = random.Random(seed)
    project = Project.open(path)
    sentences = [s for d in project.document_ids() for s in project.segments(d, kind="sentence")]
    emit("ready")
    deadline = time.monotonic() + seconds if seconds else float("inf")
    while time.monotonic() < deadline:
        try:
            if rng.random() < 0.2:
                document = rng.choice(sentences).document_id
                open_ = project.suggestions(document_id=document, open_for=coder)
                if not open_:
                    continue
                chosen = rng.choice(open_)
                assert chosen.id is not None
                coding = project.accept_suggestion(chosen.id, coder)
            else:
                # whole sentences, where writers race for the same coding, or random spans
                # inside one, which are nearly always new rows
                s = rng.choice(sentences)
                start, end = s.start, s.end
                if rng.random() < 0.5:
                    start = rng.randrange(s.start, s.end)
                    end = rng.randrange(start, s.end) + 1
                coding = project.add_coding(s.document_id, start, end, rng.choice(CODES), coder)
        except ProjectError as exc:
            if "busy" not in exc.message:
                raise
            emit("busy")
            continue
        emit(f"ack {coding.id}")
    project.close()
    emit("done")


def ui_writer(path: Path, coder: str, seconds: float = 0.0) -> None:
    """Accept suggestions in the coding screen with Textual's pilot, document after document,
    until killed or for ``seconds``; after each ``a``, report the suggestion once the screen
    says "opgeslagen"."""
    from kwali.store import Project
    from kwali.ui.app import KwaliApp
    from kwali.ui.screens.coding import CodingScreen

    deadline = time.monotonic() + seconds if seconds else float("inf")

    async def drive() -> None:
        project = Project.open(path)
        app = KwaliApp(project, coder)
        async with app.run_test(size=(120, 40)) as pilot:
            for number in range(len(project.document_ids())):
                await pilot.pause()
                await pilot.press(*["down"] * number, "enter")  # open the next document
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, CodingScreen)
                emit("ready")
                while time.monotonic() < deadline:
                    suggestion = screen.current_suggestion()
                    if suggestion is None:
                        await pilot.press("n")
                        await pilot.pause()
                        if screen.current_suggestion() is None:  # all accepted here
                            break
                        continue
                    screen.last_saved = ""
                    await pilot.press("a")
                    if screen.last_saved.startswith("opgeslagen"):
                        emit(f"saved {suggestion.id}")
                await pilot.press("escape")
            await asyncio.sleep(max(0.0, min(deadline - time.monotonic(), 3600)))
        project.close()
        emit("done")

    asyncio.run(drive())


def cli_writer(path: Path, coder: str, seed: int, seconds: float) -> None:
    """Settle random sentences with ``kwali settle``, one process per call, for ``seconds``."""
    from kwali.store import Project

    rng = random.Random(seed)
    with Project.open(path, readonly=True) as project:
        units = [
            f"{project.require_document(d).number}:{s.turn_number}.{s.sentence_number}"
            for d in project.document_ids()
            for s in project.segments(d, kind="sentence")
        ]
    kwali = [sys.executable, "-c", "from kwali.cli import main; main()"]
    emit("ready")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        unit, code = rng.choice(units), rng.choice(CODES)
        done = subprocess.run(
            [*kwali, "settle", "-p", str(path), unit, "--code", code, "--coder", coder],
            capture_output=True,
            text=True,
        )
        if done.returncode == 0:
            emit(f"settled {unit} {code}")
        elif done.returncode == 1 and "busy" in done.stderr and "\n" not in done.stderr.strip():
            emit("busy")
        else:
            emit(f"error {done.returncode} {json.dumps(done.stderr)}")
    emit("done")


# -- running children -----------------------------------------------------------------------
@dataclass
class Child:
    """A writer process whose lines are read as they come (so its pipe never fills)."""

    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    reader: threading.Thread | None = None

    def read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            if raw.endswith(b"\n"):  # a line cut by the kill was not acknowledged
                line = raw.decode().strip()
                self.lines.append(line)
                if line == "ready":
                    self.ready.set()
        self.ready.set()

    def words(self, first: str) -> list[list[str]]:
        return [line.split()[1:] for line in self.lines if line.split()[:1] == [first]]


def start(kind: str, *args: object) -> Child:
    command = [sys.executable, str(Path(__file__).resolve()), kind, *map(str, args)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=_env()
    )
    child = Child(process)
    child.reader = threading.Thread(target=child.read, daemon=True)
    child.reader.start()
    return child


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), KWALI_THEME="kwali")
    env.pop("KWALI_DEBUG", None)
    return env


def finish(child: Child, kill: bool, timeout: float = 60.0) -> str:
    """SIGKILL the child (or wait for it), read its last lines; returns its stderr."""
    if kill:
        child.process.send_signal(signal.SIGKILL)
    try:
        child.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.process.kill()
        child.process.wait()
    assert child.reader is not None and child.process.stderr is not None
    child.reader.join(timeout=10)
    return child.process.stderr.read().decode(errors="replace")


# -- the two proofs, as the tests and the benchmark run them ---------------------------------
def crash_run(work: Path, kills: int, ui_kills: int, seed: int = 11) -> dict[str, object]:
    """SIGKILL API writers ``kills`` times and UI writers ``ui_kills`` times at random moments,
    checking the file after each kill."""
    rng = random.Random(seed)
    path = build_project(work / "crash.kwali")
    acknowledged: set[int] = set()
    accepted: set[tuple[str, int]] = set()
    wrong: list[str] = []
    for k in range(kills + ui_kills):
        ui = k >= kills
        coder = f"ui{k}" if ui else "anna"
        child = start("ui", path, coder) if ui else start("api", path, coder, seed + k)
        if rng.random() < 0.9:  # now and then while it is still starting up
            child.ready.wait(timeout=60)
        time.sleep(rng.uniform(0.0, 1.5 if ui else 0.25))
        stderr = finish(child, kill=True)
        acknowledged |= {int(w[0]) for w in child.words("ack")}
        accepted |= {(coder, int(w[0])) for w in child.words("saved")}
        if child.process.returncode != -signal.SIGKILL:
            wrong.append(f"kill {k}: the writer ended by itself ({stderr.strip()[-300:]})")
        wrong += [f"kill {k}: {p}" for p in problems(check_project(path, acknowledged, accepted))]
    final = check_project(path, acknowledged, accepted)
    return {
        "kills": kills + ui_kills,
        "ui_kills": ui_kills,
        "acknowledged": len(acknowledged) + len(accepted),
        "lost": len(final["lost"]),  # type: ignore[arg-type]
        "duplicated": final["duplicated"],
        "problems": wrong,
    }


def concurrency_run(work: Path, seconds: float, seed: int = 11) -> dict[str, object]:
    """Two API writers of one coder, the coding screen of another and a ``kwali settle`` loop,
    at once for ``seconds``; then every acknowledged write must be there, once."""
    path = build_project(work / "concurrent.kwali")
    writers = [
        start("api", path, "anna", seed, seconds),
        start("api", path, "anna", seed + 1, seconds),
        start("ui", path, "bram", seconds),
        start("cli", path, "carla", seed + 3, seconds),
    ]
    wrong = []
    for child in writers:
        stderr = finish(child, kill=False, timeout=seconds + 120)
        if child.process.returncode != 0 or child.lines[-1:] != ["done"]:
            wrong.append(f"a writer failed ({child.process.returncode}): {stderr.strip()[-500:]}")
        wrong += [f"settle failed: {' '.join(w)}" for w in child.words("error")]
    acknowledged = {int(w[0]) for child in writers for w in child.words("ack")}
    accepted = {("bram", int(w[0])) for child in writers for w in child.words("saved")}
    settled = dict((unit, code) for child in writers for unit, code in child.words("settled"))
    check = check_project(path, acknowledged, accepted)
    wrong += problems(check)
    wrong += unsettled(path, settled)
    by = {
        "api": len(acknowledged),
        "ui": len(accepted),
        "cli": sum(len(c.words("settled")) for c in writers),
    }
    return {
        "writers": len(writers),
        "seconds": seconds,
        "acknowledged": sum(by.values()),
        "acknowledged_by": by,
        "lost": len(check["lost"]),  # type: ignore[arg-type]
        "duplicated": check["duplicated"],
        "busy": sum(len(c.words("busy")) for c in writers),
        "problems": wrong,
    }


def main(argv: list[str]) -> None:
    kind, path, coder, *rest = argv
    if kind == "api":
        api_writer(Path(path), coder, int(rest[0]), float(rest[1]) if len(rest) > 1 else 0.0)
    elif kind == "ui":
        ui_writer(Path(path), coder, float(rest[0]) if rest else 0.0)
    elif kind == "cli":
        cli_writer(Path(path), coder, int(rest[0]), float(rest[1]))
    else:
        raise SystemExit(f"unknown writer {kind!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
