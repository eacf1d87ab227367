"""Crash safety, proven: writers killed with SIGKILL at random moments lose nothing kwali
acknowledged and never leave half an action (the workload and the checks are in
reliability_workload.py, which the benchmark step ``reliability`` runs too)."""

from __future__ import annotations

import pytest
from reliability_workload import crash_run


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_acknowledged_coding(tmp_path):
    # 50 kills of a store API writer, 10 of the coding screen driven by Textual's pilot
    figures = crash_run(tmp_path, kills=50, ui_kills=10)
    assert figures["problems"] == []
    assert figures["lost"] == 0 and figures["duplicated"] == 0
    # the proof means something only if the children got to write before they died (here
    # ~2,000; a slow disk's fsync makes it fewer)
    assert figures["acknowledged"] >= figures["kills"]
