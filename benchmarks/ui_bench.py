"""TUI speed at scale: open time and keypress latency on 1,000 transcripts of ~10,000 words.

Builds a synthetic project straight through ``Project.add_document`` with a cheap regex
sentence splitter (no spaCy: the UI only needs turns, segments and offsets), adds a codebook,
suggestions for every document and some codings, then drives ``KwaliApp`` with Textual's pilot.

    .venv/bin/python benchmarks/ui_bench.py              # 1,000 transcripts (builds in ~1-2 min)
    .venv/bin/python benchmarks/ui_bench.py --docs 50    # quick look
    .venv/bin/python benchmarks/ui_bench.py --keep /tmp/groot.kwali   # reuse a built project
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import peak_memory_mb, synthetic_texts  # noqa: E402

from kwali.io.turns import detect_turns  # noqa: E402
from kwali.model import Code, Codebook, Evidence, Segment, Suggestion, Transcript  # noqa: E402
from kwali.store import Project  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.?!…])\s+")
CODES = [
    ("werk", "Werk en re-integratie"),
    ("vrijwilligerswerk", "Vrijwilligerswerk"),
    ("ontheffing", "Ontheffing"),
    ("klantmanager", "Contact met klantmanager"),
    ("taal", "Taal en inburgering"),
    ("zorg", "Zorg en mantelzorg"),
    ("geld", "Geld en rondkomen"),
    ("dwang", "Gevoel van dwang"),
    ("waardering", "Waardering"),
    ("sociaal", "Sociale contacten"),
]


def cheap_segments(text: str, turns, document_id: int, uid: str) -> list[Segment]:
    """Turn segments and regex sentences, shaped like the real segmenter's output."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out: list[Segment] = []
    for turn in turns:
        if turn.content_end <= turn.content_start:
            continue
        common = dict(
            document_id=document_id,
            turn_number=turn.number,
            speaker=turn.speaker,
            role=turn.role,
            timestamp=turn.timestamp,
        )
        out.append(
            Segment(
                id=f"{uid}:{turn.number}",
                kind="turn",
                sentence_number=0,
                start=turn.content_start,
                end=turn.content_end,
                line=bisect_right(starts, turn.content_start),
                text=text[turn.content_start : turn.content_end],
                **common,
            )
        )
        content = text[turn.content_start : turn.content_end]
        pos, number = 0, 0
        for piece in SENTENCE_END.split(content):
            found = content.find(piece, pos)
            if not piece.strip() or found < 0:
                continue
            pos = found + len(piece)
            number += 1
            start = turn.content_start + found
            out.append(
                Segment(
                    id=f"{uid}:{turn.number}.{number}",
                    kind="sentence",
                    sentence_number=number,
                    start=start,
                    end=start + len(piece),
                    line=bisect_right(starts, start),
                    text=piece,
                    **common,
                )
            )
    return out


def build(
    path: Path,
    docs: int,
    words: int,
    coded: int = 20,
    codings: int = 40,
    suggest_every: int = 7,
    quiet: bool = False,
) -> dict[str, int]:
    """Build the project: a suggestion on every ``suggest_every``-th segment; the first
    ``coded`` documents carry ``codings`` codings each (by "anna")."""
    t0 = time.perf_counter()
    project = Project.create(path)
    project.set_codebook(Codebook("bench", tuple(Code(k, label) for k, label in CODES)), "kwali")
    for number, text in enumerate(synthetic_texts(docs, words), start=1):
        turns = detect_turns(text)
        transcript = Transcript(
            text=text, turns=turns, source_name=f"synthetisch_{number:04d}.txt", format="txt"
        )
        attributes = {
            "rol": "werkzoekende" if number % 3 else "klantmanager",
            "gender": "vrouw" if number % 2 else "man",
            "groep": f"groep {number % 5 + 1}",
        }
        document, _ = project.add_document(
            transcript,
            lambda doc_id, uid, t=text, tr=turns: cheap_segments(t, tr, doc_id, uid),
            attributes=attributes,
        )
        sentences = project.segments(document.id)
        suggestions = []
        for i, seg in enumerate(sentences[::suggest_every]):
            key = CODES[(i + number) % len(CODES)][0]
            word = seg.text.split(" ", 1)[0]
            suggestions.append(
                Suggestion(
                    seg.id,
                    document.id,
                    seg.start,
                    seg.end,
                    key,
                    0.5 + (i % 5) / 10,
                    (Evidence(seg.start, seg.start + len(word), word, "lemma"),),
                    "bench",
                )
            )
        project.replace_suggestions(document.id, "bench", suggestions)
        if number <= coded:  # finished work for the progress column
            for seg in sentences[:codings]:
                project.add_coding(
                    document.id, seg.start, seg.end, CODES[number % len(CODES)][0], "anna"
                )
        if number % 100 == 0 and not quiet:
            print(f"  built {number} documents ({time.perf_counter() - t0:.0f} s)", flush=True)
    counts = project.counts()
    project.close()
    if quiet:
        return counts
    print(
        f"built {counts['documents']} documents, {counts['sentences']:,} sentences, "
        f"{counts['characters']:,} characters, {counts['suggestions']:,} suggestions "
        f"in {time.perf_counter() - t0:.0f} s; file {path.stat().st_size / 1e6:.0f} MB"
    )
    return counts


@dataclass
class UiFigures:
    rows: int  # documents listed
    open_ms: float  # project file opened until the documents screen is drawn
    open_transcript_ms: float = float("nan")
    keys: dict[str, list[float]] = field(default_factory=dict)  # key -> ms per press
    # presses that changed nothing on screen within a second (left out of ``keys``)
    unchanged: dict[str, int] = field(default_factory=dict)


async def measure(path: Path, presses: int) -> UiFigures:
    """Open time, and per key the time from the key event to the next frame on screen;
    ``presses=0`` only opens."""
    from kwali.ui.app import KwaliApp

    frames: list[float] = []
    drawn: dict[str, float] = {}  # screen class -> first frame showing it
    t0 = time.perf_counter()
    project = Project.open(path)
    app = KwaliApp(project, "anna")
    original = app._display

    def display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        original(screen, renderable)  # in headless mode the frame is composed, not written
        if renderable is not None:
            frames.append(time.perf_counter())
            drawn.setdefault(type(screen).__name__, frames[-1])

    app._display = display  # type: ignore[method-assign]
    async with app.run_test(size=(200, 50)) as pilot:
        while "DocumentsScreen" not in drawn:
            await asyncio.sleep(0.001)
        result = UiFigures(
            app.screen.query_one("#documents").row_count, (drawn["DocumentsScreen"] - t0) * 1000
        )
        if not presses:
            project.close()
            return result

        async def timed(key: str) -> float:
            await pilot.pause()
            seen = len(frames)
            start = time.perf_counter()
            await pilot.press(key)
            while len(frames) == seen and time.perf_counter() - start < 1:
                await asyncio.sleep(0.001)
            if len(frames) == seen:  # nothing changed on screen (e.g. paging at the end)
                return float("nan")
            return (frames[seen] - start) * 1000

        async def back_and_forth(forth: str, back: str, count: int) -> list[float]:
            """Alternate two keys, so that short transcripts never run out of places to go."""
            return [await timed(back if i % 2 else forth) for i in range(count)]

        keys = {"documents: down/up": await back_and_forth("down", "up", presses)}
        t1 = time.perf_counter()
        await pilot.press("enter")
        while "CodingScreen" not in drawn:
            await asyncio.sleep(0.001)
        result.open_transcript_ms = (drawn["CodingScreen"] - t1) * 1000
        keys["coding: down/up (sentence)"] = await back_and_forth("down", "up", presses)
        keys["coding: n/p (open suggestion)"] = await back_and_forth("n", "p", presses)
        keys["coding: pagedown/pageup"] = await back_and_forth("pagedown", "pageup", presses // 2)
        accepts = []
        for _ in range(presses // 2):
            await pilot.press("n")
            accepts.append(await timed("a"))
        keys["coding: a (accept, committed to disk)"] = accepts
        keys["coding: u (undo)"] = [await timed("u") for _ in range(presses // 2)]
        result.keys = {name: [v for v in values if v == v] for name, values in keys.items()}
        result.unchanged = {name: sum(v != v for v in values) for name, values in keys.items()}
    project.close()
    return result


def report(result: UiFigures) -> None:
    print(
        f"open: project file + documents screen ({result.rows} rows) drawn: {result.open_ms:.0f} ms"
    )
    print(f"open a transcript (enter) until drawn: {result.open_transcript_ms:.0f} ms")
    for name, values in result.keys.items():
        values = sorted(values)
        if not values:  # nothing changed on screen (e.g. paging past the end)
            continue
        p95 = values[int(0.95 * (len(values) - 1))]
        print(
            f"{name:<38} median {statistics.median(values):6.1f} ms   p95 {p95:6.1f} ms   "
            f"max {values[-1]:6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="build here (or reuse if it exists)")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.kwali"
        if not path.exists():
            build(path, args.docs, args.words)
        if not args.build_only:
            report(asyncio.run(measure(path, args.presses)))
            print(f"peak memory {peak_memory_mb():.0f} MB (build and UI in one process)")


if __name__ == "__main__":
    main()
