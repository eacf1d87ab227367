"""Stored evidence keeps its bytes when written without dataclasses.asdict (#18)."""

from __future__ import annotations

import json
from dataclasses import asdict

from kwali.model import Evidence
from kwali.store.base import evidence_json


def test_evidence_is_stored_as_asdict_wrote_it():
    evidence = (
        Evidence(0, 7, "Sanctie", "name:sanctie", 0.7),
        Evidence(12, 24, "coördinator “ja”", "lemma:coördinator", 0.6),
        Evidence(0, 0, "klantmanager", "speaker:klantmanager", 0.45),
        Evidence(3, 3, "", "learned", 1.0),
    )
    assert evidence_json(evidence) == json.dumps([asdict(e) for e in evidence], ensure_ascii=False)
    assert evidence_json(()) == "[]"
