"""Synthetic transcripts for benchmarks, made by reshuffling the sample interviews' turns.

Deterministic (fixed seed) so figures are comparable between runs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from kwali.io import read_transcript

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "transcripts"


def sample_files() -> list[Path]:
    return sorted(
        p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".vtt", ".srt", ".odt")
    )


def sample_turns() -> list[tuple[str, str]]:
    """(speaker, content) of every labelled turn in the samples."""
    turns = []
    for path in sample_files():
        transcript = read_transcript(path)
        for turn in transcript.turns:
            if turn.speaker:
                turns.append(
                    (turn.role or "R", transcript.text[turn.content_start : turn.content_end])
                )
    return turns


def synthetic_texts(count: int, words: int = 10_000, seed: int = 2026) -> list[str]:
    """``count`` I:/R: transcripts of about ``words`` words each."""
    rng = random.Random(seed)
    pool = sample_turns()
    texts = []
    for number in range(count):
        lines = [f"SYNTHETISCH INTERVIEW {number + 1} — gemaakt uit de fictieve voorbeelden", ""]
        total = 0
        minute = 0
        while total < words:
            role, content = rng.choice(pool)
            label = "I" if role == "interviewer" else "R"
            minute += 1
            lines.append(f"[{minute // 60:02d}:{minute % 60:02d}:00] {label}: {content}")
            lines.append("")
            total += len(content.split())
        texts.append("\n".join(lines))
    return texts


def write_corpus(folder: Path, count: int, words: int = 10_000) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, text in enumerate(synthetic_texts(count, words), start=1):
        path = folder / f"synthetisch_{number:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The shortest of ``repeat`` timed runs of ``work``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)
