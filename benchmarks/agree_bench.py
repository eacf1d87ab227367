"""``kwali agree`` at a department's scale: N transcripts of ~58,500 characters, three coders.

Builds (and caches in the work folder) a project of N synthetic transcripts (corpus.py's
reshuffled sample turns, 10,000 words each), regex sentences (ui_bench.cheap_segments, no
spaCy, no suggest run), 30 codes, and about 100 codings per coder and
document (≈300 per document, issue #18's 301,807 at N = 1,000) that follow a shared "truth"
with noise, a third of them a phrase rather than a whole sentence. Then it times
``kwali.app.agreeing.agreement_report`` as ``kwali agree`` calls it (all coders, all codes,
1,000 resamples, seed 2007) at the default unit and at ``--unit char``, each in a fresh
subprocess, with that subprocess's peak RSS.

    .venv/bin/python benchmarks/agree_bench.py --n 100 --work /tmp/agree
    .venv/bin/python benchmarks/agree_bench.py --n 10 100 1000 --work /tmp/agree

``run(work, n)`` returns ``documents``, ``codings``, ``characters``, ``build_s`` (0 when the
project was cached), ``sentence_s``, ``sentence_peak_rss_mb``, ``char_s`` and
``char_peak_rss_mb``. ``KWALI_AGREE_SOURCE`` (a folder holding a ``kwali`` package) makes
the measuring subprocess import that copy instead: how the "before" figures were taken.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

WORDS = 10_000  # per transcript: ~58,500 characters, the size
CODERS = ("anna", "bram", "cees")
TRUTH_PER_DOCUMENT = 90  # (sentence, code) pairs all coders are meant to find
KEEP = 0.9  # chance a coder finds one of them
EXTRA = 19  # codings per coder and document the others did not make
PHRASE = 0.3  # share of codings that mark a phrase, not the whole sentence
CODES = 30  # plain codes (no signals), so the project opens with older kwali code as well
UNITS = ("sentence", "char")


def project_path(work: Path, n: int) -> Path:
    return work / f"agree-{n}.kwali"


def build(path: Path, n: int, seed: int = 18) -> float:
    """The coded project of ``n`` transcripts at ``path``; seconds it took."""
    from corpus import synthetic_texts
    from ui_bench import cheap_segments

    from kwali.io.turns import detect_turns
    from kwali.model import Code, Codebook, Transcript
    from kwali.store import Project, Verb

    started = time.perf_counter()
    rng = random.Random(seed)
    partial = path.with_suffix(".building")
    partial.unlink(missing_ok=True)
    rows: list[tuple[int, int, int, str, str]] = []
    with Project.create(partial) as project:
        keys = [f"code{k:02d}" for k in range(CODES)]
        codebook = Codebook("archief", tuple(Code(k, f"Code {k[4:]}") for k in keys))
        project.set_codebook(codebook, "kwali")
        for number, text in enumerate(synthetic_texts(n, WORDS), start=1):
            transcript = Transcript(text, detect_turns(text), f"archief_{number:04d}.txt", "txt")
            made = cheap_segments(text, transcript.turns, 0, "")
            sentences = [
                (s.start, s.end)
                for s in made
                if s.kind == "sentence" and s.role != "interviewer" and s.end - s.start > 2
            ]
            stored, _ = project.add_document(
                transcript,
                lambda doc_id, uid, t=transcript, x=text: cheap_segments(x, t.turns, doc_id, uid),
            )
            truth = {
                (rng.randrange(len(sentences)), rng.choice(keys)) for _ in range(TRUTH_PER_DOCUMENT)
            }
            for coder in CODERS:
                found = {pair for pair in truth if rng.random() < KEEP}
                found |= {(rng.randrange(len(sentences)), rng.choice(keys)) for _ in range(EXTRA)}
                for u, key in sorted(found):
                    a, b = sentences[u]
                    if rng.random() < PHRASE:
                        a = rng.randint(a, b - 2)
                        b = rng.randint(a + 1, b)
                    rows.append((stored.id, a, b, key, coder))
        with project.action("kwali", Verb.OTHER, "build the agreement benchmark", undoable=False):
            project.db.executemany(
                'INSERT INTO codings (document_id, start, "end", code_key, coder, created, '
                "changed) VALUES (?, ?, ?, ?, ?, '', '')",
                rows,
            )
    partial.replace(path)
    return time.perf_counter() - started


def measure(path: Path, unit: str) -> dict[str, float]:
    """One agreement report as ``kwali agree`` makes it; runs inside the fresh subprocess."""
    from corpus import peak_memory_mb

    from kwali.app.agreeing import agreement_report
    from kwali.store import Project

    start = time.perf_counter()
    with Project.open(path, readonly=True) as project:
        report = agreement_report(project, [], unit, [], domains=[], resamples=1000, seed=2007)
        json.dumps(report.to_dict())
    return {"seconds": time.perf_counter() - start, "peak_rss_mb": peak_memory_mb()}


def _use_source(source: str) -> None:
    """Import kwali from ``source``: the editable install's finder would win over sys.path."""
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in type(f).__module__]
    sys.path.insert(0, source)


def _measure_in_subprocess(path: Path, unit: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(path), "--unit", unit],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(work: Path, n: int) -> dict[str, object]:
    """Build (or reuse) the project of ``n`` transcripts and time both units in subprocesses."""
    from kwali.store import Project

    work.mkdir(parents=True, exist_ok=True)
    path = project_path(work, n)
    build_s = 0.0 if path.exists() else build(path, n)
    with Project.open(path, readonly=True) as project:
        counts = project.counts()
        codings = len(project.codings())
    figures: dict[str, object] = {
        "documents": counts["documents"],
        "characters": counts["characters"],
        "codings": codings,
        "build_s": build_s,
    }
    for unit in UNITS:
        measured = _measure_in_subprocess(path, unit)
        figures[f"{unit}_s"] = measured["seconds"]
        figures[f"{unit}_peak_rss_mb"] = measured["peak_rss_mb"]
        figures[f"{unit}_source"] = measured.get("source", "")
    return figures


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log time on log N."""
    x = [math.log(s) for s in sizes]
    y = [math.log(t) for t in seconds]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    return sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sum(
        (a - mx) ** 2 for a in x
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--work", type=Path, default=Path("/tmp/agree_bench"))
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--unit", choices=UNITS, default="sentence", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        if os.environ.get("KWALI_AGREE_SOURCE"):
            _use_source(os.environ["KWALI_AGREE_SOURCE"])
        figures = measure(args.measure, args.unit)
        import kwali

        figures["source"] = str(Path(kwali.__file__).parent)
        print(json.dumps(figures))
        return 0
    results = {}
    for n in args.n:
        results[n] = run(args.work, n)
        print(json.dumps({"n": n, **results[n]}), flush=True)
    if len(results) > 1:
        sizes = sorted(results)
        for unit in UNITS:
            slope = exponent(sizes, [float(results[s][f"{unit}_s"]) for s in sizes])
            print(f"{unit}: exponent {slope:.2f} over N = {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
