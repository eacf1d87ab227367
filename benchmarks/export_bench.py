"""Time ``kwali export quotes`` to .docx and .xlsx at study scale (issue 18).

Builds (or reuses) a project of N synthetic transcripts of ~10,000 words (~58k characters)
with ~300 codings each by three coders (a third of the spans coded by two of them, so the
merged quote rows are exercised), then exports every quote to Word and to Excel, each in a
fresh subprocess so its peak resident memory is the export's own.

Run: .venv/bin/python benchmarks/export_bench.py [--n 10 100 1000] [--work DIR]
The lead's steps call ``run(work, n)``.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import peak_memory_mb, synthetic_texts  # noqa: E402

CODERS = ("anna", "bram", "cees")
CODED_SENTENCES = 100  # per coder and document: ~300 codings a document
WORDS = 10_000


def project_path(work: Path, n: int) -> Path:
    return work / f"export-{n}.kwali"


def build(path: Path, n: int, words: int = WORDS) -> int:
    """The coded project, through kwali.store's API; one transaction per document."""
    from ui_bench import CODES, cheap_segments

    from kwali.io.turns import detect_turns
    from kwali.model import Code, Codebook, Transcript
    from kwali.store import Project

    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    codings = 0
    with Project.create(partial) as project:
        project.set_codebook(Codebook("bench", tuple(Code(k, lab) for k, lab in CODES)), "kwali")
        for number, text in enumerate(synthetic_texts(n, words), start=1):
            turns = detect_turns(text)
            transcript = Transcript(
                text=text, turns=turns, source_name=f"synthetisch_{number:04d}.txt", format="txt"
            )
            document, _unused = project.add_document(
                transcript,
                lambda doc_id, uid, t=text, tr=turns: cheap_segments(t, tr, doc_id, uid),
                attributes={"rol": "werkzoekende" if number % 3 else "klantmanager"},
            )
            sentences = [s for s in project.segments(document.id) if s.kind == "sentence"]
            with project.transaction():
                for index, coder in enumerate(CODERS):
                    # coder k codes sentences k*50 .. k*50+100: the next coder shares half
                    for seg in sentences[index * 50 : index * 50 + CODED_SENTENCES]:
                        key = CODES[(seg.start + number) % len(CODES)][0]
                        project.add_coding(document.id, seg.start, seg.end, key, coder)
                        codings += 1
    partial.rename(path)
    return codings


def _measure(project: Path, fmt: str, out: Path) -> dict[str, float]:
    """One export in this process (called in a fresh subprocess by :func:`run`)."""
    from kwali.export import export
    from kwali.store import Project

    with Project.open(project, readonly=True) as opened:
        start = time.perf_counter()
        cpu = time.process_time()
        export(opened, "quotes", out, force=True)
        return {
            "s": time.perf_counter() - start,
            "cpu_s": time.process_time() - cpu,
            "peak_rss_mb": peak_memory_mb(),
            "file_mb": out.stat().st_size / 2**20,
        }


def _fresh(project: Path, fmt: str, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--one", fmt, "--project", str(project), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(work: Path, n: int, formats: tuple[str, ...] = ("docx", "xlsx")) -> dict[str, object]:
    """Build (or reuse) the project of ``n`` documents and export its quotes in each format,
    each in a fresh process: ``{fmt}_s`` (wall), ``{fmt}_cpu_s``, ``{fmt}_peak_rss_mb``
    (the whole process: opening the project and the quote table included), ``{fmt}_mb``."""
    work.mkdir(parents=True, exist_ok=True)
    path = project_path(work, n)
    figures: dict[str, object] = {"documents": n}
    if not path.exists():
        start = time.perf_counter()
        figures["build_codings"] = build(path, n)
        figures["build_s"] = time.perf_counter() - start
    for fmt in formats:
        measured = _fresh(path, fmt, work / f"quotes-{n}.{fmt}")
        figures[f"{fmt}_s"] = measured["s"]
        figures[f"{fmt}_cpu_s"] = measured["cpu_s"]
        figures[f"{fmt}_peak_rss_mb"] = measured["peak_rss_mb"]
        figures[f"{fmt}_mb"] = measured["file_mb"]
    return figures


def exponent(sizes: list[int], values: list[float]) -> float:
    """Least-squares slope of log(value) on log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(v) for v in values]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/kwali-export-bench"))
    parser.add_argument("--formats", nargs="+", default=["docx", "xlsx"])
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_measure(args.project, args.one, args.out)))
        return
    if args.build_only:
        for n in args.n:
            args.work.mkdir(parents=True, exist_ok=True)
            if not project_path(args.work, n).exists():
                print(n, build(project_path(args.work, n), n), flush=True)
        return
    results = {}
    for n in args.n:
        results[n] = run(args.work, n, tuple(args.formats))
        print(json.dumps({str(n): results[n]}), flush=True)
    if len(results) > 1:
        sizes = sorted(results)
        for fmt in args.formats:
            for key in (f"{fmt}_s", f"{fmt}_cpu_s"):
                print(key, "exponent", round(exponent(sizes, [results[s][key] for s in sizes]), 3))


if __name__ == "__main__":
    main()
