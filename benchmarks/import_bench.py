"""Import + segmentation throughput: the sample corpus and a 200-transcript synthetic corpus.

Run: make bench  (or .venv/bin/python benchmarks/import_bench.py [--count 200])
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import peak_memory_mb, sample_files, write_corpus  # noqa: E402

from kwali.app.importing import import_files  # noqa: E402
from kwali.nlp import make_nlp  # noqa: E402
from kwali.store import Project  # noqa: E402


def measure(label: str, paths: list[Path], folder: Path) -> None:
    project_path = folder / f"{label}.kwali"
    with Project.create(project_path) as project:
        start = time.perf_counter()
        results = import_files(project, paths)
        seconds = time.perf_counter() - start
        failed = [r for r in results if not r.ok]
        counts = project.counts()
    chars = counts["characters"]
    size = project_path.stat().st_size
    print(
        f"{label:<10} {len(paths):>4} files  {chars:>11,} chars  {counts['sentences']:>8,} sentences  "
        f"{seconds:7.2f} s  {chars / seconds:>10,.0f} chars/s  {counts['sentences'] / seconds:>8,.0f} sentences/s  "
        f"project {size / 2**20:6.1f} MB" + (f"  FAILED {len(failed)}" if failed else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--count", type=int, default=200, help="synthetic transcripts (default 200)"
    )
    parser.add_argument("--words", type=int, default=10_000, help="words per synthetic transcript")
    args = parser.parse_args()
    start = time.perf_counter()
    make_nlp()
    print(f"pipeline load {time.perf_counter() - start:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # The first run pays one-off costs (importing python-docx, webvtt); the second doesn't.
        measure("samples", sample_files(), folder)
        measure("samples2", sample_files(), folder)
        synthetic = write_corpus(folder / "synthetic", args.count, args.words)
        measure("synthetic", synthetic, folder)
    print(f"peak memory {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
