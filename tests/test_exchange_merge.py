"""Importing a .qdc or .qdpx into a project that already has codes merges them by the
codebook merge's rule: nothing of the project's overwritten without --theirs, every decision
reported, and the file's codings land on the project's code."""

from __future__ import annotations

from pathlib import Path

import pytest
from exchange_helpers import BOOK, SANCTIE, codebook_of, first_text, make_study, qdc, qdpx

from kwali.app.exchange import import_exchange
from kwali.app.importing import import_files
from kwali.cli import cli
from kwali.io.qdc import read_qdc
from kwali.model import Code, Codebook, Signals
from kwali.store import Project

from helpers import shared_path


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return make_study(tmp_path)


# -- .qdc ---------------------------------------------------------------------------------------


def test_the_report_is_worded_in_english_when_asked(study, tmp_path, english):
    file = qdc(tmp_path / "maxqda.qdc", ("Sancties", ""), ("Nieuw thema", "Iets nieuws."))
    with Project.open(study) as project:
        (result,) = import_files(project, [file])
    lines = result.report.lines()
    assert lines[0] == "maxqda.qdc: a codebook of 2 codes"
    text = "\n".join(lines)
    assert "Codebook maxqda.qdc: 1 added" in text and "matched by label 'Sancties'" in text


def test_a_qdc_sanctie_keeps_the_projects_code_and_says_so(study, tmp_path):
    file = qdc(tmp_path / "maxqda.qdc", ("Sancties", ""), ("Nieuw thema", "Iets nieuws."))
    with Project.open(study) as project:
        (result,) = import_files(project, [file])
        sanctie = project.code("sanctie")
        assert project.code("nieuw_thema").definition == "Iets nieuws."
    assert result.ok, result.error
    assert sanctie == SANCTIE  # parent, definition, include rule and signals all kept
    lines = result.report.lines()
    assert lines[0] == "maxqda.qdc: een codeboek van 2 codes"
    text = "\n".join(lines)
    assert "1 toegevoegd" in text and "Nieuw thema (nieuw_thema)" in text
    assert (
        "Sancties (sanctie) [bestand: sancties]: het bestand heeft er geen, die van het project "
        "gehouden: parent, definition, include, signals; gevonden op label 'Sancties'"
    ) in text
    assert "codes (0 nieuw)" not in text


def test_a_conflict_keeps_the_projects_edit_and_theirs_takes_the_files(study, tmp_path):
    with Project.open(study) as project:
        project.update_code("sanctie", "anna", definition="Onze eigen definitie.")
    file = qdc(tmp_path / "ander.qdc", ("Sancties", "Hun definitie."))
    with Project.open(study) as project:
        report = import_exchange(project, file, coder="anna")
        assert project.code("sanctie").definition == "Onze eigen definitie."
        assert report.merge is not None and report.merge.count("conflict") == 1
        assert any("conflict" in line and "definition" in line for line in report.lines())
        report = import_exchange(project, file, coder="anna", theirs=True)
        now = project.code("sanctie")
    assert now.definition == "Hun definitie."
    assert (now.parent, now.signals, now.include) == (
        SANCTIE.parent,
        SANCTIE.signals,
        SANCTIE.include,
    )
    assert any("boven de wijziging in het project: definition" in line for line in report.lines())


def test_undo_of_a_qdc_import_restores_the_codebook(study, tmp_path):
    before = codebook_of(study)
    file = qdc(tmp_path / "ander.qdc", ("Sancties", "Hun definitie."), ("Nieuw", ""))
    with Project.open(study) as project:
        import_exchange(project, file, coder="bram")
        assert project.code("nieuw") is not None
        assert project.code("sanctie").definition == "Hun definitie."  # changed in the file only
        assert project.undo("bram") is not None
    assert codebook_of(study) == before


def test_the_cli_prints_every_decision_and_passes_theirs(study, tmp_path, runner):
    with Project.open(study) as project:
        project.update_code("sanctie", "anna", label="Straf en korting")
    file = qdc(tmp_path / "ander.qdc", ("Straf en korting", "Hun definitie."))
    args = ["import", "-p", str(study), str(file)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (
        "Straf en korting (sanctie) [bestand: straf_en_korting]: overgenomen: definition"
        in result.output
    )
    assert codebook_of(study).get("sanctie").parent == "verplichting"
    with Project.open(study) as project:
        project.update_code("sanctie", "anna", definition="Weer de onze.")
    result = runner.invoke(cli, [*args, "--theirs"])
    assert result.exit_code == 0, result.output
    assert "boven de wijziging in het project: definition" in result.output
    assert codebook_of(study).get("sanctie").definition == "Hun definitie."


def test_a_shared_qdc_imported_twice_changes_nothing_the_second_time(tmp_path):
    file = shared_path("refi", "taguette141_codebook.qdc")
    path = tmp_path / "p.kwali"
    with Project.create(path) as project:
        project.set_codebook(BOOK, "kwali")
        first = import_exchange(project, file)
        book = project.codebook()
        actions = len(project.history())
        second = import_exchange(project, file)
        assert project.codebook() == book
        assert len(project.history()) == actions
    assert first.merge.count("added") == len(read_qdc(file).codes)
    assert second.merge.count("added") == 0 and second.merge.count("unchanged") > 0


# -- .qdpx --------------------------------------------------------------------------------------


def test_a_qdpx_sanctie_keeps_the_code_and_its_codings_land_on_it(study, tmp_path):
    text = first_text(study)
    quote = text.split("R: ")[2].split(".")[0]
    file = qdpx(tmp_path / "atlas.qdpx", text, [(quote, "Sancties")], ["Sancties", "Nieuw"])
    with Project.open(study) as project:
        report = import_exchange(project, file)
        sanctie = project.code("sanctie")
        coded = sorted((c.code_key, c.coder) for c in project.codings())
        assert project.code("sancties") is None and project.code("nieuw") is not None
    assert sanctie == SANCTIE
    assert coded == [("sanctie", "Carla"), ("sanctie", "anna")]
    text_lines = "\n".join(report.lines())
    assert "gevonden op label 'Sancties'" in text_lines
    assert "1 toegevoegd" in text_lines
    assert report.codings == 1 and report.existing_documents == 1


def test_codings_of_a_code_the_project_deleted_are_left_out_and_said(study, tmp_path):
    with Project.open(study) as project:
        project.delete_code("ontheffing", "anna")
    text = first_text(study)
    quotes = [part.split(".")[0] for part in text.split("R: ")[1:3]]
    file = qdpx(
        tmp_path / "oud.qdpx",
        text,
        [(quotes[0], "Ontheffing"), (quotes[1], "Sancties")],
        ["Ontheffing", "Sancties"],
    )
    with Project.open(study) as project:
        report = import_exchange(project, file)
        assert project.code("ontheffing") is None
        assert sorted(c.code_key for c in project.codings()) == ["sanctie", "sanctie"]
    text_lines = "\n".join(report.lines())
    assert "verwijderd in het project (niet teruggezet)" in text_lines
    assert (
        "1 codering van code 'ontheffing' weggelaten: het project heeft die code verwijderd"
        in text_lines
    )
    with Project.open(study) as project:
        report = import_exchange(project, file, theirs=True)
        assert project.code("ontheffing") is not None
        assert sorted(c.code_key for c in project.codings()) == ["ontheffing", "sanctie", "sanctie"]
    assert not any("weggelaten" in line for line in report.lines())


def test_a_shared_qdpx_codebook_merges_onto_the_projects_code_by_label(tmp_path):
    file = shared_path("refi", "atlasti23-win_codebook-only.qdpx")
    mine = Code(
        "git_commits",
        "Commits",
        parent="bronnen",
        definition="Wat in de versiegeschiedenis staat.",
        signals=Signals(lemmas=("commit",)),
    )
    path = tmp_path / "p.kwali"
    with Project.create(path) as project:
        project.set_codebook(Codebook("eigen", (Code("bronnen", "Bronnen", kind="category"), mine)))
        report = import_exchange(project, file)
        book = project.codebook()
    assert book.get("git_commits") == mine  # the file's bare "Commits" empties nothing
    assert book.get("commits") is None
    children = [c for c in book.codes if c.parent == "git_commits"]
    assert len(children) == 2  # the file's subcodes under the project's code
    assert report.merge is not None and report.merge.count("added") == 2
    assert any("gevonden op label 'Commits'" in line for line in report.lines())
