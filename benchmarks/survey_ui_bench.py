"""The survey screen at scale: opening it on the first question of the generated survey of
N respondents (5,000 by default) and the keypress latency of moving and coding, with Textual's
pilot at 200×50.

The project is built as a user builds it: tests/survey_data.py's survey written as .sav,
imported with ``kwali.app.survey_import.import_survey`` (3 open questions, the closed ones as
case attributes) and suggested for with ``kwali.app.suggesting.suggest_project``. Then V, and
each key is timed from the key event to the next frame on screen; a coding key until the
frame that shows it, so the commit to disk is inside the figure.

    .venv/bin/python benchmarks/survey_ui_bench.py                  # 5,000 respondents
    .venv/bin/python benchmarks/survey_ui_bench.py --respondents 505
    .venv/bin/python benchmarks/survey_ui_bench.py --keep /tmp/enquete.kwali   # reuse a build
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from survey_data import CLOSED, ID_COLUMN, QUESTIONS, write_survey  # noqa: E402

from kwali.store import Project  # noqa: E402

CODEBOOK = ROOT / "codebooks" / "tegenprestatie.yaml"
RESPONDENTS = 5_000


def build(path: Path, respondents: int = RESPONDENTS) -> Path:
    """Import the generated survey into a new project with the sample codebook and suggest."""
    from kwali.app.suggesting import suggest_project
    from kwali.app.survey_import import import_survey
    from kwali.io.codebook import load_codebook

    source = write_survey(path.with_suffix(".sav"), respondents)
    with Project.create(path) as project:
        project.set_codebook(load_codebook(CODEBOOK))
        import_survey(project, source, id_column=ID_COLUMN, questions=QUESTIONS, attributes=CLOSED)
        suggest_project(project)
    return path


async def measure(path: Path, presses: int = 20) -> dict[str, object]:
    """Open time of the survey screen (V until drawn) and per key the ms to the next frame."""
    from kwali.ui.app import KwaliApp
    from kwali.ui.screens.survey import SurveyScreen

    frames: list[float] = []
    project = Project.open(path)
    app = KwaliApp(project, "anna")
    original = app._display

    def display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        original(screen, renderable)
        if renderable is not None:
            frames.append(time.perf_counter())

    app._display = display  # type: ignore[method-assign]
    figures: dict[str, object] = {}
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        seen = len(frames)
        start = time.perf_counter()
        await pilot.press("V")
        while not isinstance(app.screen, SurveyScreen) or len(frames) == seen:
            await asyncio.sleep(0.001)
        await pilot.pause()
        figures["open_ms"] = (frames[-1] - start) * 1000
        screen = app.screen
        assert isinstance(screen, SurveyScreen)
        figures["answers"] = len(screen.shown)
        figures["question"] = screen.answers.question.name if screen.answers else ""

        async def timed(*keys: str) -> float:
            await pilot.pause()
            for key in keys[:-1]:
                await pilot.press(key)
            await pilot.pause()
            seen = len(frames)
            start = time.perf_counter()
            await pilot.press(keys[-1])
            while len(frames) == seen and time.perf_counter() - start < 2:
                await asyncio.sleep(0.001)
            return (frames[seen] - start) * 1000 if len(frames) > seen else float("nan")

        keys: dict[str, list[float]] = {}
        keys["down/up"] = [await timed("up" if i % 2 else "down") for i in range(presses)]
        keys["n/p"] = [await timed("p" if i % 2 else "n") for i in range(presses)]
        keys["pagedown"] = [await timed("pagedown") for _ in range(presses // 2)]
        keys["1 (code the answer, committed)"] = [await timed("enter", "1") for _ in range(presses)]
        keys["space ×3 then 2 (three answers, one action)"] = [
            await timed("enter", "space", "space", "2") for _ in range(presses // 2)
        ]
        keys["a (accept the top suggestion)"] = [
            await timed("enter", "a") for _ in range(presses // 2)
        ]
        keys["enter (next uncoded)"] = [await timed("enter") for _ in range(presses)]
        keys["u (undo the last coding)"] = [await timed("u") for _ in range(presses // 2)]
        keys["o (filter: every answer again)"] = [await timed("o") for _ in range(6)]
        figures["keys"] = {
            name: {
                "median_ms": statistics.median([v for v in values if v == v]),
                "max_ms": max(v for v in values if v == v),
                "presses": len(values),
            }
            for name, values in keys.items()
        }
        everyday = [
            v
            for name in ("down/up", "n/p", "1 (code the answer, committed)", "enter (next uncoded)")
            for v in keys[name]
            if v == v
        ]
        figures["keypress_ms"] = statistics.median(everyday)
    project.close()
    return figures


def run(path: Path, scratch: Path, presses: int = 20) -> dict[str, object]:
    """Measure on a copy: the keys code answers, and a kept build should stay uncoded."""
    copy = scratch / "measured.kwali"
    shutil.copy(path, copy)
    try:
        return asyncio.run(measure(copy, presses))
    finally:
        for leftover in scratch.glob("measured.kwali*"):
            leftover.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=RESPONDENTS)
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="build here (or reuse if it exists)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "enquete.kwali"
        if not path.exists():
            t0 = time.perf_counter()
            build(path, args.respondents)
            print(f"built {args.respondents} respondents in {time.perf_counter() - t0:.1f} s")
        figures = run(path, Path(tmp), args.presses)
    print(f"open the survey screen ({figures['answers']} answers): {figures['open_ms']:.0f} ms")
    for name, values in figures["keys"].items():  # type: ignore[attr-defined]
        print(f"{name:<46} median {values['median_ms']:6.1f} ms   max {values['max_ms']:6.1f} ms")
    print(f"keypress (move, code, next uncoded) median {figures['keypress_ms']:.1f} ms")


if __name__ == "__main__":
    main()
