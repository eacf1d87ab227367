"""TUI speed at scale: open time and keypress latency on 1,000 transcripts of ~10,000 words.

Builds a synthetic project straight through ``Project.add_document`` with a cheap regex
sentence splitter (no spaCy: the UI only needs turns, segments and offsets), adds a codebook,
suggestions for every document and codings, then drives ``KwaliApp`` with Textual's pilot.

    .venv/bin/python benchmarks/ui_bench.py              # 1,000 transcripts (builds in ~1-2 min)
    .venv/bin/python benchmarks/ui_bench.py --docs 50    # quick look
    .venv/bin/python benchmarks/ui_bench.py --keep /tmp/groot.kwali   # reuse a built project
    .venv/bin/python benchmarks/ui_bench.py --full /tmp/werk --docs 1000   # run(), as JSON

``run(work, n)`` (#18) is what the benchmark step calls: a project of ``n`` transcripts every
one of which three coders coded (~105 codings each per transcript, as the issue's 301,807 at
N = 1,000; built once and cached in ``work``: ~6 min at N = 1,000, 0.5 GB), opened by anna and by
bert coding blind: ``tui_open_s`` (median of three opens), ``tui_keypress_ms`` (median of every
key on the documents and the coding screen; ``_documents``/``_coding`` apart, per key in
``tui_keys_median_ms``; the blind figures end in ``_blind``), and the command line's start-up
to first output on that project: ``startup_status_s``, ``startup_show_s``, ``startup_export_s``
(export quotes to .docx; stopped once it has said what it writes).

``run_postgres(work, n, server)`` (#19) is the same UI with the project on PostgreSQL: the
cached project file of ``run`` is pushed (``kwali push``) into a fresh database on ``server``
(a libpq URL, default ``KWALI_TEST_POSTGRES``; dropped afterwards) and opened as
``postgresql://…``; the figures end in ``_pg`` (``tui_open_pg_s``, ``tui_keypress_pg_ms``, …,
bert blind in ``_pg_blind``), with the file's in ``_file`` measured in the same run, side by
side; ``tui_pg_push_s`` is the push.

    .venv/bin/python benchmarks/ui_bench.py --full /tmp/werk --postgres [URL]   # as JSON
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import peak_memory_mb, synthetic_texts  # noqa: E402

from kwali.io.turns import detect_turns  # noqa: E402
from kwali.model import Code, Codebook, Evidence, Segment, Suggestion, Transcript  # noqa: E402
from kwali.store import Project, Verb  # noqa: E402

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
    coders: Sequence[str] = ("anna",),
    reviews: int = 0,
) -> dict[str, int]:
    """Build the project: a suggestion on every ``suggest_every``-th segment; in the first
    ``coded`` documents each of ``coders`` makes about ``codings`` codings (see
    :func:`code_document`) and reviews ``reviews`` suggestions (half accepted)."""
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
            for index, coder in enumerate(coders):
                code_document(project, document.id, sentences, number, coder, index, codings)
            if reviews:
                review_suggestions(project, document.id, coders, reviews)
        if number % 100 == 0 and not quiet:
            print(f"  built {number} documents ({time.perf_counter() - t0:.0f} s)", flush=True)
    counts = project.counts()
    counts["codings"] = sum(project.coder_counts().values())
    project.close()
    if quiet:
        return counts
    print(
        f"built {counts['documents']} documents, {counts['sentences']:,} sentences, "
        f"{counts['characters']:,} characters, {counts['suggestions']:,} suggestions, "
        f"{counts['codings']:,} codings in {time.perf_counter() - t0:.0f} s; "
        f"file {path.stat().st_size / 1e6:.0f} MB"
    )
    return counts


def code_document(
    project: Project,
    document_id: int,
    segments: list[Segment],
    number: int,
    coder: str,
    index: int,
    codings: int,
) -> None:
    """About ``codings`` codings by ``coder`` spread over the document, as one action (one
    transaction: the bulk path of the public API). The coders mostly agree: every coder
    codes the same places with the same code, except that every fourth coding of the
    second and third coder picks another code and every fifth another sentence; one in five
    codings spans two sentences, one in seven only the first words of a sentence."""
    sentences = [s for s in segments if s.kind == "sentence"]
    if not sentences:
        return
    step = max(1, len(sentences) // codings)
    with project.action(coder, Verb.CODE, "bench"):
        for k in range(min(codings, len(sentences))):
            at = k * step + (index if k % 5 == 0 else 0)
            first = sentences[min(at, len(sentences) - 1)]
            last = sentences[min(at + 1, len(sentences) - 1)] if k % 5 == 1 else first
            end = last.end
            if k % 7 == 3 and " " in first.text:  # the first words only
                end = first.start + first.text.rfind(" ")
            key = CODES[(k + number + (index if k % 4 == 0 else 0)) % len(CODES)][0]
            if end > first.start:
                project.add_coding(document_id, first.start, end, key, coder)


def review_suggestions(
    project: Project, document_id: int, coders: Sequence[str], reviews: int
) -> None:
    """Each coder accepts the first half of ``reviews`` suggestions and rejects the rest."""
    found = project.suggestions(document_id=document_id)[:reviews]
    for coder in coders:
        with project.action(coder, Verb.ACCEPT, "bench"):
            for i, suggestion in enumerate(found):
                assert suggestion.id is not None
                if i < reviews // 2:
                    project.accept_suggestion(suggestion.id, coder)
                else:
                    project.reject_suggestion(suggestion.id, coder)


@dataclass
class UiFigures:
    rows: int  # documents listed
    open_ms: float  # project file opened until the documents screen is drawn
    open_transcript_ms: float = float("nan")
    back_ms: float = float("nan")  # escape from the transcript until the documents are drawn
    keys: dict[str, list[float]] = field(default_factory=dict)  # key -> ms per press
    # presses that changed nothing on screen within a second (left out of ``keys``)
    unchanged: dict[str, int] = field(default_factory=dict)


async def measure(
    path: Path | str, presses: int, coder: str = "anna", blind: bool = False
) -> UiFigures:
    """Open time, and per key the time from the key event to the next frame on screen;
    ``presses=0`` only opens. ``path`` is a project file or a ``postgresql://`` address."""
    from kwali.ui.app import KwaliApp

    frames: list[float] = []
    drawn: dict[str, float] = {}  # screen class -> first frame showing it
    screens: list[str] = []  # the screen of each frame
    t0 = time.perf_counter()
    project = Project.open(path)
    app = KwaliApp(project, coder, blind=blind)
    original = app._display

    def display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        original(screen, renderable)  # in headless mode the frame is composed, not written
        if renderable is not None:
            frames.append(time.perf_counter())
            screens.append(type(screen).__name__)
            drawn.setdefault(screens[-1], frames[-1])

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
        keys["documents: pagedown/pageup"] = await back_and_forth(
            "pagedown", "pageup", presses // 2
        )
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
        await pilot.pause()
        seen, t2 = len(frames), time.perf_counter()
        await pilot.press("escape")  # the documents screen reads the project again
        while "DocumentsScreen" not in screens[seen:]:
            await asyncio.sleep(0.001)
        result.back_ms = (frames[screens.index("DocumentsScreen", seen)] - t2) * 1000
        result.keys = {name: [v for v in values if v == v] for name, values in keys.items()}
        result.unchanged = {name: sum(v != v for v in values) for name, values in keys.items()}
    project.close()
    return result


def report(result: UiFigures) -> None:
    print(
        f"open: project file + documents screen ({result.rows} rows) drawn: {result.open_ms:.0f} ms"
    )
    print(f"open a transcript (enter) until drawn: {result.open_transcript_ms:.0f} ms")
    print(f"back to the documents (escape) until drawn: {result.back_ms:.0f} ms")
    for name, values in result.keys.items():
        values = sorted(values)
        if not values:  # nothing changed on screen (e.g. paging past the end)
            continue
        p95 = values[int(0.95 * (len(values) - 1))]
        print(
            f"{name:<38} median {statistics.median(values):6.1f} ms   p95 {p95:6.1f} ms   "
            f"max {values[-1]:6.1f} ms"
        )


# -- the fully coded project (#18) and what the lead's benchmark step records -------------------
CODERS = ("anna", "bert", "carla")
WORDS = 10_000  # ~58,000 characters and ~1,100 sentences a transcript
PER_CODER = 100  # codings per coder per transcript (the 301,807 at N = 1,000)
REVIEWS = 10  # suggestions each coder reviewed per transcript (half accepted)
BUILD = 1  # raise when the build changes, so that a cached project is built again


def fully_coded(work: Path, n: int, words: int = WORDS) -> tuple[Path, float | None]:
    """The project of ``n`` transcripts every one of which the three coders coded, built once
    per ``work`` folder; ``(path, build seconds or None when it was there)``."""
    path = work / f"tui-full-{n}-{words}w-v{BUILD}.kwali"
    if path.exists():
        return path, None
    partial = path.with_name(path.stem + "-partial.kwali")  # a broken build is never reused
    for leftover in work.glob(partial.name + "*"):
        leftover.unlink()
    start = time.perf_counter()
    build(partial, n, words, coded=n, codings=PER_CODER, coders=CODERS, reviews=REVIEWS, quiet=True)
    partial.rename(path)
    return path, time.perf_counter() - start


def kwali_command() -> list[str]:
    """``kwali`` as a user starts it: the console script next to this Python."""
    script = Path(sys.executable).with_name("kwali")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kwali.cli"]


def first_output_s(args: list[str], cwd: Path) -> float:
    """Seconds from starting ``kwali ARGS`` until its first byte of output, on a terminal
    (a pseudo-terminal, as a user sees it: a progress line may only show there); the
    command is stopped once it has said something."""
    import os
    import pty
    import select
    import subprocess

    leader, follower = pty.openpty()
    start = time.perf_counter()
    process = subprocess.Popen(
        kwali_command() + args, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL, cwd=cwd
    )
    os.close(follower)
    try:
        ready, _, _ = select.select([leader], [], [], 120)
        took = time.perf_counter() - start
        if not ready:
            raise RuntimeError(f"kwali {' '.join(args)} said nothing in 120 s")
        os.read(leader, 1024)
        return took
    finally:
        process.kill()
        process.wait()
        os.close(leader)


def startup(path: Path, work: Path, repeat: int = 3) -> dict[str, float]:
    """Start-up to first output of status, show and export quotes (best of ``repeat``)."""
    out = work / "startup-quotes.docx"
    commands = {
        "startup_status_s": ["status", "-p", str(path)],
        "startup_show_s": ["show", "-p", str(path), "1"],
        "startup_export_s": ["export", "quotes", "-p", str(path), "-o", str(out), "--force"],
    }
    figures = {
        key: min(first_output_s(args, work) for _ in range(repeat))
        for key, args in commands.items()
    }
    out.unlink(missing_ok=True)
    return figures


def _keys_figures(result: UiFigures, suffix: str = "") -> dict[str, object]:
    every = [v for values in result.keys.values() for v in values]
    documents = [v for name, vs in result.keys.items() if name.startswith("documents") for v in vs]
    coding = [v for name, vs in result.keys.items() if name.startswith("coding") for v in vs]
    return {
        f"tui_keypress{suffix}_ms": statistics.median(every),
        f"tui_keypress_documents{suffix}_ms": statistics.median(documents),
        f"tui_keypress_coding{suffix}_ms": statistics.median(coding),
        f"tui_keypress_max{suffix}_ms": max(every),
        f"tui_open_transcript{suffix}_ms": result.open_transcript_ms,
        f"tui_back{suffix}_ms": result.back_ms,
        f"tui_keys{suffix}_median_ms": {
            name: statistics.median(values) for name, values in result.keys.items() if values
        },
        f"tui_unchanged_presses{suffix}": sum(result.unchanged.values()),
    }


def run(work: Path, n: int, presses: int = 20, words: int = WORDS) -> dict:
    """The UI on ``n`` fully coded transcripts (built and cached in ``work``), for coder anna
    and for bert coding blind: open time (median of three opens, the first pays Textual's
    one-off set-up), keypress latency on the documents and the coding screen; and the
    command line's start-up to first output on the same project."""
    work.mkdir(parents=True, exist_ok=True)
    path, build_s = fully_coded(work, n, words)
    figures: dict[str, object] = {"build_s": build_s, "file_mb": path.stat().st_size / 2**20}
    with Project.open(path, readonly=True) as project:
        counts = project.counts()
        figures["documents"] = counts["documents"]
        figures["sentences"] = counts["sentences"]
        figures["codings"] = sum(project.coder_counts().values())
    figures.update(ui_figures(path, presses))
    figures.update(startup(path, work))
    return figures


def ui_figures(target: Path | str, presses: int, engine: str = "") -> dict[str, object]:
    """Anna's and blind bert's open time (median of three opens, the first pays Textual's
    one-off set-up) and keypress latency on ``target``; each name carries ``engine`` (``""``,
    ``"_pg"``, ``"_file"``) and then ``"_blind"`` for bert."""
    figures: dict[str, object] = {}
    for coder, blind, suffix in (("anna", False, engine), ("bert", True, f"{engine}_blind")):
        opens = [asyncio.run(measure(target, 0, coder, blind)).open_ms for _ in range(2)]
        full = asyncio.run(measure(target, presses, coder, blind))
        opens.append(full.open_ms)
        figures[f"tui_open{suffix}_s"] = statistics.median(opens) / 1000
        figures[f"tui_opens{suffix}_s"] = [o / 1000 for o in opens]
        figures.update(_keys_figures(full, suffix))
    return figures


def run_postgres(
    work: Path, n: int, server: str = "", presses: int = 20, words: int = WORDS
) -> dict[str, object]:
    """``run``'s UI figures with the project on PostgreSQL (#19): the cached fully coded
    project of ``n`` transcripts pushed into a fresh database on ``server`` (dropped
    afterwards), and the same on the file in the same run for comparison."""
    from team_bench import fresh_database

    from kwali.store.transfer import push

    server = server or os.environ.get("KWALI_TEST_POSTGRES", "")
    if not server:
        raise SystemExit("no server: give a postgresql:// address or set KWALI_TEST_POSTGRES")
    work.mkdir(parents=True, exist_ok=True)
    path, build_s = fully_coded(work, n, words)
    figures: dict[str, object] = {"tui_pg_build_s": build_s}
    with Project.open(path, readonly=True) as project:
        counts = project.counts()
        figures["tui_pg_documents"] = counts["documents"]
        figures["tui_pg_sentences"] = counts["sentences"]
        figures["tui_pg_codings"] = sum(project.coder_counts().values())
    with fresh_database(server, "kwali_bench_ui") as url:
        started = time.perf_counter()
        push(path, url)
        figures["tui_pg_push_s"] = time.perf_counter() - started
        figures.update(ui_figures(url, presses, "_pg"))
    figures.update(ui_figures(path, presses, "_file"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=WORDS)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="build here (or reuse if it exists)")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument(
        "--full",
        type=Path,
        metavar="WORK",
        help="run(): the fully coded project (cached in WORK) for anna and blind bert, and the "
        "command line's start-up; prints the figures as JSON",
    )
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="",
        metavar="URL",
        help="with --full: run_postgres(), the project pushed into a fresh database on the "
        "server URL (default KWALI_TEST_POSTGRES)",
    )
    parser.add_argument("--coder", default="anna")
    parser.add_argument("--blind", action="store_true")
    args = parser.parse_args()
    if args.full:
        import json

        if args.postgres is not None:
            figures = run_postgres(args.full, args.docs, args.postgres, args.presses, args.words)
        else:
            figures = run(args.full, args.docs, args.presses, args.words)
        print(json.dumps(figures, indent=2))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.kwali"
        if not path.exists():
            build(path, args.docs, args.words)
        if not args.build_only:
            report(asyncio.run(measure(path, args.presses, args.coder, args.blind)))
            print(f"peak memory {peak_memory_mb():.0f} MB (build and UI in one process)")


if __name__ == "__main__":
    main()
