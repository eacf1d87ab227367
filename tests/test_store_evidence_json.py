"""Stored evidence keeps the bytes ``dataclasses.asdict`` once wrote, field for field (#18)."""

from __future__ import annotations

import json

import numpy

from kwali.model import Evidence
from kwali.store.base import evidence_json


def test_evidence_is_stored_as_asdict_wrote_it():
    evidence = (
        Evidence(0, 7, "Sanctie", "name:sanctie", 0.7),
        Evidence(12, 24, "coördinator “ja”", "lemma:coördinator", 0.6),
        Evidence(0, 0, "klantmanager", "speaker:klantmanager", 0.45),
        Evidence(3, 3, "", "learned", 1.0),
        Evidence(5, 9, 'a "quote"\\ and\na tab\t', "regex:\\bx\\b", 1),
        Evidence(1, 2, "x", "learned", numpy.float64(0.123456789)),
        Evidence(4, 6, "x", "learned", float("nan")),
        Evidence(True, 6, "x", "learned", 0.25),
    )
    as_before = [
        {"start": e.start, "end": e.end, "text": e.text, "rule": e.rule, "weight": e.weight}
        for e in evidence
    ]
    assert evidence_json(evidence) == json.dumps(as_before, ensure_ascii=False)
    assert evidence_json(evidence).startswith(
        '[{"start": 0, "end": 7, "text": "Sanctie", "rule": "name:sanctie", "weight": 0.7}'
    )
    assert evidence_json(()) == "[]"
