"""Exports warn when a role + gender attribution belongs to a single interview."""

from __future__ import annotations

import pytest

from kwali.export import export
from kwali.model import Code, Codebook

from helpers import add_coded_answer


@pytest.fixture
def study(project):  # type: ignore[no-untyped-def]
    project.set_codebook(Codebook("t", (Code("dwang", "Dwang"),)))
    add_coded_answer(project, "een", {"rol": "werkzoekende", "geslacht": "vrouw"})
    add_coded_answer(project, "twee", {"rol": "werkzoekende", "geslacht": "vrouw"})
    add_coded_answer(project, "drie", {"rol": "klantmanager", "geslacht": "man"})
    return project


def test_a_unique_attribution_is_warned_about(study, tmp_path):
    messages = export(study, "quotes", tmp_path / "q.csv").warnings
    assert len(messages) == 1 and "(klantmanager, man) hoort bij maar 1 interview " in messages[0]


def test_attributions_common_to_several_interviews_are_not(study, tmp_path):
    add_coded_answer(study, "vier", {"rol": "klantmanager", "geslacht": "vrouw"})
    assert not export(study, "quotes", tmp_path / "q.csv", attribution=("rol",)).warnings
