"""A speed change keeps the suggestions byte for byte: the golden file of the sample transcripts.

tests/data/suggest_golden/expected.jsonl holds every segment, every stored rules and learned
suggestion, and what ``suggest_segments`` (with and without context) and ``suggest_texts``
return, with a pinned codebook. A deliberate change of scoring regenerates it:
``.venv/bin/python benchmarks/suggest_golden.py --write``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import suggest_golden  # noqa: E402


def _compare(made: list[str]) -> None:
    expected = suggest_golden.EXPECTED.read_text(encoding="utf-8").splitlines()
    for number, (ours, theirs) in enumerate(zip(made, expected, strict=False), 1):
        assert ours == theirs, f"line {number} differs"
    assert len(made) == len(expected)


@pytest.mark.parametrize("workers", [1, 2], ids=["one process", "process pool"])
def test_suggestions_are_the_golden_ones(tmp_path, workers):
    _compare(suggest_golden.lines(tmp_path, workers))
