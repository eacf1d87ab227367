"""Concurrent writers, proven: two store API processes of one coder, the coding screen of
another (Textual's pilot) and a ``kwali settle`` loop write at once; every acknowledged write
is there exactly once, and a busy file is a reported outcome, not a crash (the workload is in
reliability_workload.py)."""

from __future__ import annotations

import pytest
from reliability_workload import concurrency_run


@pytest.mark.slow
def test_four_writers_at_once_lose_and_duplicate_nothing(tmp_path):
    figures = concurrency_run(tmp_path, seconds=10.0)
    assert figures["problems"] == []
    assert figures["lost"] == 0 and figures["duplicated"] == 0
    assert all(figures["acknowledged_by"].values())  # every kind of writer got to write
