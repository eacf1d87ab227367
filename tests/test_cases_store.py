"""Cases in the project file: linking speakers, typed case attributes, and undo."""

from __future__ import annotations

import pytest

from kwali.errors import ProjectError
from kwali.model import Transcript, Turn
from kwali.store import Project

TEXT = "I: Hoe gaat het?\nCoach A: Goed.\nCoach B: Druk.\n"


def _group(project: Project) -> int:
    turns, start = [], 0
    for number, line in enumerate(TEXT.splitlines(keepends=True), start=1):
        speaker = line.split(":", 1)[0]
        label = len(speaker) + 2
        turns.append(
            Turn(
                number, start, start + len(line) - 1, start + label, start + len(line) - 1, speaker
            )
        )
        start += len(line)
    document, _ = project.add_document(
        Transcript(TEXT, tuple(turns), "groep.txt", "txt"), lambda i, u: []
    )
    return document.id


def test_linking_speakers_is_one_undoable_action(project: Project) -> None:
    doc = _group(project)
    made, linked, changed = project.import_cases(
        [(doc, "Coach A", "a"), (doc, "Coach B", "b")],
        {"a": {"leeftijd": "34"}, "b": {"leeftijd": "51"}},
        "sprekers.csv",
        "anna",
    )
    assert (made, linked, changed) == (2, 2, 2)
    assert project.speaker_cases() == {doc: {"Coach A": 1, "Coach B": 2}}
    project.undo("anna")
    assert project.speaker_cases() == {} and project.cases() == []
    project.redo("anna")
    assert [c.name for c in project.cases()] == ["a", "b"]


def test_a_speaker_the_document_lacks_is_refused_and_nothing_changes(project: Project) -> None:
    doc = _group(project)
    with pytest.raises(ProjectError, match="heeft geen spreker 'Coach C'; er is niets veranderd"):
        project.import_cases([(doc, "Coach A", "a"), (doc, "Coach C", "c")], {}, "s.csv", "anna")
    assert project.cases() == [] and project.speaker_cases() == {}


def test_an_attribute_type_checks_and_rewrites_case_values_too(project: Project) -> None:
    doc = _group(project)
    project.import_cases([(doc, "Coach A", "a")], {"a": {"leeftijd": "3,5"}}, "s.csv", "anna")
    assert project.set_attribute_type("leeftijd", "number", "anna") == 1
    assert project.case_named("a").attributes["leeftijd"] == "3.5"  # type: ignore[union-attr]
    project.set_case_attributes("b", {"team": "Noord"}, "anna")
    project.set_case_attributes("b", {"datum": "gisteren"}, "anna")
    with pytest.raises(ProjectError, match="case b heeft datum='gisteren', en dat is geen datum"):
        project.set_attribute_type("datum", "date", "anna")
    assert "datum" not in project.attribute_types()


def test_removing_a_document_takes_its_links_and_undo_brings_them_back(project: Project) -> None:
    doc = _group(project)
    project.import_cases([(doc, "Coach A", "a")], {}, "s.csv", "anna")
    project.remove_document(doc, "anna")
    assert project.speaker_cases() == {} and [c.name for c in project.cases()] == ["a"]
    project.undo("anna")
    assert project.speaker_cases() == {doc: {"Coach A": 1}}
