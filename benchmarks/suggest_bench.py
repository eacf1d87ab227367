"""Suggester throughput: synthetic sentences, and a 200-transcript project.

First on synthetic Dutch sentences built from the codebook's own signals; then
``kwali suggest`` end to end on a project of 200 synthetic transcripts reshuffled from the
sample interviews (benchmarks/corpus.py), as a researcher would run it.

Each sentence mixes filler with zero to three signal words or phrases, so the matchers see
both hits and misses in roughly interview-like proportions. Deterministic (fixed seed).

Run: .venv/bin/python benchmarks/suggest_bench.py [--sentences 20000] [--transcripts 200]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from kwali.io.codebook import load_codebook  # noqa: E402
from kwali.model import Codebook, Segment  # noqa: E402
from kwali.nlp import make_nlp  # noqa: E402
from kwali.tagging.suggest import Suggester  # noqa: E402

FILLER = [
    "ik weet het eigenlijk niet zo goed",
    "nou ja, dat was in het begin",
    "zeg maar",
    "toen ben ik daar naartoe gegaan",
    "dat vond ik wel lastig",
    "en toen zei ze",
    "we hebben het er nog over gehad",
    "het ging eigenlijk best goed",
    "hè, dat snap je wel",
    "elke dinsdagochtend",
    "bij ons in de wijk",
    "dat duurde een tijdje",
    "van, ja",
    "ik had er eerst geen idee van",
    "mijn buurman ook trouwens",
    "het is een beetje raar",
]


def sentences(codebook: Codebook, count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    signals = [w for code in codebook for w in (*code.signals.lemmas, *code.signals.phrases)]
    out = []
    for _ in range(count):
        parts = rng.sample(FILLER, rng.randint(1, 3))
        parts += rng.sample(signals, rng.choice((0, 0, 1, 1, 2, 3)))
        rng.shuffle(parts)
        text = ", ".join(parts)
        out.append(text[0].upper() + text[1:] + ".")
    return out


def project_run(codebook: Codebook, transcripts: int) -> None:
    """Import the synthetic corpus, then time suggest_project over it (store writes included)."""
    import tempfile

    from corpus import write_corpus

    from kwali.app.importing import import_files
    from kwali.app.suggesting import suggest_project
    from kwali.store import Project

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(Path(tmp) / "corpus", transcripts)
        with Project.create(Path(tmp) / "bench.kwali") as project:
            import_files(project, paths)
            sentences = project.counts()["sentences"]
            start = time.perf_counter()
            result = suggest_project(project, codebook=codebook)
            seconds = time.perf_counter() - start
    print(
        f"project: {transcripts} transcripts, {sentences:,} sentences, {result.suggestions:,} suggestions "
        f"in {seconds:.2f} s"
    )
    print(
        f"{sentences / seconds:,.0f} sentences/s  {result.suggestions / seconds:,.0f} suggestions/s "
        "(interviewer turns skipped, suggestions stored)"
    )


def run(work: Path, n: int, words: int = 500) -> dict[str, object]:
    """Import + suggest (rules) over ``n`` synthetic transcripts, as steps.py's ``pipeline``
    runs them, with the suggest step's wall and CPU time on one process and on every core
    (``suggest_1_s``/``suggest_pool_s``; CPU of this process and of its workers), and where
    the time goes: import, suggest, spaCy's bare tokenizer on the same texts.

    Keys for benchmarks/latest.json's pipeline step: ``pipeline_vs_tokenizer`` (pool),
    ``pipeline_vs_tokenizer_1`` (one process), ``import_s``, ``suggest_pool_s``,
    ``suggest_1_s``, ``workers``; and in CPU seconds (all processes), which a loaded machine
    disturbs less: ``pipeline_vs_tokenizer_cpu``, ``import_cpu_s``, ``suggest_pool_cpu_s``.
    """
    import resource

    import spacy
    from corpus import best_of, sample_files, write_corpus

    from kwali.app.importing import import_files
    from kwali.app.parallel import default_workers
    from kwali.app.suggesting import suggest_project
    from kwali.store import Project

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    work.mkdir(parents=True, exist_ok=True)
    paths = write_corpus(work / f"suggest-corpus-{n}", n, words)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    codebook = load_codebook(ROOT / "codebooks" / "tegenprestatie.yaml")
    make_nlp()
    warm = work / f"suggest-warm-{n}.kwali"
    warm.unlink(missing_ok=True)
    with Project.create(warm) as project:
        import_files(project, sample_files()[:1])
        suggest_project(project, codebook=codebook)
    figures: dict[str, object] = {"documents": n, "chars": sum(len(t) for t in texts)}
    path = work / f"suggest-{n}.kwali"
    path.unlink(missing_ok=True)
    with Project.create(path) as project:
        before, start = cpu(), time.perf_counter()
        import_files(project, paths)
        figures["import_s"] = time.perf_counter() - start
        figures["import_cpu_s"] = cpu() - before
        suggest_project(project, codebook=codebook, workers=1)  # the codebook merge, once
        for label, workers in (("1", 1), ("pool", None)):
            before, start = cpu(), time.perf_counter()
            result = suggest_project(project, redo_all=True, workers=workers)
            figures[f"suggest_{label}_s"] = time.perf_counter() - start
            figures[f"suggest_{label}_cpu_s"] = cpu() - before
            figures["suggestions"] = result.suggestions
    figures["workers"] = default_workers()
    nlp = spacy.blank("nl")
    nlp(texts[0])
    tokenizer_s = best_of(3, lambda: [nlp(t) for t in texts])
    figures["tokenizer_s"] = tokenizer_s
    # CPU seconds too: on a machine other work keeps busy, wall time says more about the load
    cpu_times = []
    for _ in range(3):
        before = time.process_time()
        [nlp(t) for t in texts]
        cpu_times.append(time.process_time() - before)
    figures["tokenizer_cpu_s"] = min(cpu_times)
    figures["pipeline_vs_tokenizer_cpu"] = min(cpu_times) / (
        figures["import_cpu_s"] + figures["suggest_pool_cpu_s"]  # type: ignore[operator]
    )
    for label in ("1", "pool"):
        total = figures["import_s"] + figures[f"suggest_{label}_s"]  # type: ignore[operator]
        key = "pipeline_vs_tokenizer" + ("_1" if label == "1" else "")
        figures[key] = tokenizer_s / total
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--codebook", type=Path, default=ROOT / "codebooks" / "tegenprestatie.yaml")
    parser.add_argument("--transcripts", type=int, default=200, help="0 skips the project run")
    parser.add_argument(
        "--pipeline", type=int, default=0, help="N: run(work, N) instead (import + suggest)"
    )
    args = parser.parse_args()
    if args.pipeline:
        import json
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(run(Path(tmp), args.pipeline)))
        return

    codebook = load_codebook(args.codebook)
    nlp = make_nlp()
    start = time.perf_counter()
    suggester = Suggester(codebook, nlp)
    build = time.perf_counter() - start
    texts = sentences(codebook, args.sentences)
    position, segments = 0, []
    for number, text in enumerate(texts, start=1):
        segments.append(
            Segment(
                f"bench:{number}",
                1,
                "sentence",
                number,
                1,
                position,
                position + len(text),
                number,
                text,
            )
        )
        position += len(text) + 1
    start = time.perf_counter()
    suggestions = suggester.suggest_segments(segments)
    seconds = time.perf_counter() - start
    chars = sum(len(t) for t in texts)
    print(
        f"suggester {suggester.id}: {suggester.patterns.pattern_count} patterns, built in {build:.2f} s"
    )
    print(
        f"{len(texts):,} sentences  {chars:,} chars  {len(suggestions):,} suggestions  {seconds:.2f} s"
    )
    print(
        f"{len(texts) / seconds:,.0f} sentences/s  {len(suggestions) / seconds:,.0f} suggestions/s  "
        f"{chars / seconds:,.0f} chars/s"
    )
    if args.transcripts:
        project_run(codebook, args.transcripts)
    from corpus import peak_memory_mb

    print(f"peak memory {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
