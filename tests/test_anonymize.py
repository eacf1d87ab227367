"""Anonymisation on export: the project's replacement list, whole-word case-preserving swaps, deduce."""

from __future__ import annotations

import importlib.util

import pytest

from kwali.errors import ExportError, ProjectError
from kwali.export.anonymize import Anonymizer, anonymize_text, propose
from kwali.store import Project

from helpers import build_study


def test_whole_words_only_and_case_is_kept():
    swap = Anonymizer({"Fatima": "[naam buurvrouw]", "de Vries": "mevrouw X"})
    assert (
        swap("Fatima zei het. FATIMA! fatima?")
        == "[naam buurvrouw] zei het. [NAAM BUURVROUW]! [naam buurvrouw]?"
    )
    assert swap("De Fatimazaal en Fatima's tas") == "De Fatimazaal en [naam buurvrouw]'s tas"
    assert swap("mevrouw De Vries en de  Vries") == "mevrouw Mevrouw X en mevrouw X"


def test_longest_name_wins_and_verbatim_marks_survive():
    text = "Sanne de Wit (…) zei: [naam coach] en Sanne (lacht)."
    replaced = anonymize_text(text, {"Sanne": "[coach]", "Sanne de Wit": "[klantmanager]"})
    assert replaced == "[klantmanager] (…) zei: [naam coach] en [coach] (lacht)."


def test_empty_list_changes_nothing():
    assert not Anonymizer({})
    assert Anonymizer({})("Fatima") == "Fatima"


def test_replacement_list_is_stored_in_the_project(tmp_path):
    path = tmp_path / "p.kwali"
    with Project.create(path) as project:
        project.set_replacement("Fatima  el Amrani", "[naam]", "anna")
        project.set_replacement("Rotterdam-Zuid", "[wijk]", "anna")
        project.set_replacement(
            "Fatima el Amrani", "[buurvrouw]", "bram"
        )  # changes, not duplicates
        with pytest.raises(ProjectError):
            project.set_replacement("  ", "[x]", "anna")
        with pytest.raises(ProjectError, match="de naam zelf"):
            project.set_replacement("Jan", "jan", "anna")
    with Project.open(path) as project:
        assert project.replacements() == {
            "Fatima el Amrani": "[buurvrouw]",
            "Rotterdam-Zuid": "[wijk]",
        }
        assert project.remove_replacement("Rotterdam-Zuid", "anna")
        assert not project.remove_replacement("Rotterdam-Zuid", "anna")
        assert project.replacements() == {"Fatima el Amrani": "[buurvrouw]"}
        assert project.codebook().name == ""  # other meta rows untouched


def test_anonymized_export_needs_a_list(nlp, tmp_path):
    from kwali.export import export

    with Project.in_memory() as project:
        _export_anonymized(build_study(project, nlp, tmp_path), tmp_path, export)


def _export_anonymized(study, tmp_path, export):
    with pytest.raises(ExportError, match="geen namen om te vervangen"):
        export(study, "quotes", tmp_path / "q.csv", anonymize=True)
    study.set_replacement("Fatima", "[buurvrouw]", "anna")
    out = export(study, "quotes", tmp_path / "q.csv", anonymize=True, context=1).path
    text = out.read_text(encoding="utf-8-sig")
    assert "Fatima" not in text and "[buurvrouw]" in text
    assert "Fatima" in study.require_document("1").text  # the transcript itself is untouched


@pytest.mark.skipif(
    importlib.util.find_spec("deduce") is None, reason="optional extra 'deduce' not installed"
)
def test_deduce_proposes_names_places_and_phone_numbers():
    messages = []
    found = propose(
        [
            "Mijn buurvrouw Fatima de Vries belde me op 06-12345678. [naam coach] woont in Rotterdam.",
            "Toen zei Fatima de Vries: kom maar.",
        ],
        known=["Rotterdam"],
        progress=messages.append,
    )
    by_text = {p.text: p for p in found}
    assert by_text["Fatima de Vries"].kind == "persoon" and by_text["Fatima de Vries"].count == 2
    assert by_text["06-12345678"].suggestion == "[telefoonnummer]"
    assert "Rotterdam" not in by_text  # already in the list
    assert not any("naam coach" in t for t in by_text)  # the transcriber's placeholder stays
    assert messages and "deduce" in messages[0]


def test_without_deduce_the_error_says_how_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_deduce(name, *args, **kwargs):
        if name == "deduce":
            raise ImportError("No module named 'deduce'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_deduce)
    with pytest.raises(ExportError, match="deidentify"):
        propose(["tekst"])
