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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--codebook", type=Path, default=ROOT / "codebooks" / "tegenprestatie.yaml")
    parser.add_argument("--transcripts", type=int, default=200, help="0 skips the project run")
    args = parser.parse_args()

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
