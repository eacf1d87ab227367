"""`kwali import --dry-run FILE.qdpx|FILE.qdc`: the import's summary (per source what would
come in and what would be left out, and the codebook merge's decisions), and nothing changed:
every table of the project file as it was, no backup, no action."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from exchange_helpers import SANCTIE, first_text, make_study, qdc, qdpx

from kwali.app.exchange import import_exchange
from kwali.cli import cli
from kwali.store import Project

from helpers import shared_path

pytestmark = pytest.mark.sqlite_only  # a dry run works on a copy of the file


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return make_study(tmp_path)


NEW_TEXT = "Interviewer: Hoe gaat het?\nRespondent: Ik werd gekort op mijn uitkering.\n"


def tables(path: Path) -> dict[str, list[str]]:
    """Every row of every table of the project file, read straight from SQLite."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: sorted(map(repr, db.execute(f'SELECT * FROM "{n}"'))) for n in names}
    finally:
        db.close()


def files(folder: Path) -> list[str]:
    """What is in the project's folder (a backup would show here), leaving out SQLite's own
    -wal/-shm companions and the files the test writes."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if not p.name.endswith(("-wal", "-shm", ".qdpx", ".qdc"))
    )


def dry_run(runner, project: Path, *args: object):
    before, listing = tables(project), files(project.parent)
    result = runner.invoke(cli, ["import", "-p", str(project), "--dry-run", *map(str, args)])
    assert tables(project) == before
    assert files(project.parent) == listing
    return result


def test_a_qdpx_dry_run_shows_the_summary_and_changes_nothing(study, tmp_path, runner):
    with Project.open(study) as project:
        project.delete_code("ontheffing", "anna")
        project.update_code("sanctie", "anna", definition="Onze definitie.")
    text = first_text(study)
    quote = text.split("R: ")[1].split(".")[0]
    file = qdpx(
        tmp_path / "atlas.qdpx",
        text,
        [(quote, "Sancties"), (quote, "Ontheffing"), (quote, "Nieuw")],
        ["Sancties", "Ontheffing", "Nieuw"],
    )
    result = dry_run(runner, study, file)
    assert result.exit_code == 0, result.output
    out = result.output
    assert (
        "atlas.qdpx (geschreven door ATLAS.ti 23.2): zou toevoegen: 0 nieuwe documenten, "
        "1 al aanwezig" in out
    )
    assert (
        "Codeboek atlas.qdpx: 1 toegevoegd, 1 van het project gehouden, 2 niet in het bestand, "
        "1 verwijderd in het project." in out
    )
    assert "Sancties (sanctie) [bestand: sancties]: het bestand heeft er geen" in out
    assert "verwijderd in het project (niet teruggezet):\n      Ontheffing (ontheffing)" in out
    assert "bron 'buurthuis' → document 1: 2 coderingen" in out
    assert (
        "1 codering van code 'ontheffing' weggelaten: het project heeft die code verwijderd" in out
    )
    assert out.rstrip().endswith("Niets veranderd (--dry-run).")
    with Project.open(study, readonly=True) as project:
        assert project.code("nieuw") is None
        assert project.code("sanctie") == replace(SANCTIE, definition="Onze definitie.")


def test_with_theirs_the_dry_run_shows_what_theirs_would_take(study, tmp_path, runner):
    with Project.open(study) as project:
        project.update_code("sanctie", "anna", definition="Onze definitie.")
    file = qdc(tmp_path / "hun.qdc", ("Sancties", "Hun definitie."))
    plain = dry_run(runner, study, file)
    assert "conflict (die van het project gehouden):" in plain.output
    theirs = dry_run(runner, study, file, "--theirs")
    assert theirs.exit_code == 0, theirs.output
    assert "boven de wijziging in het project: definition" in theirs.output
    with Project.open(study, readonly=True) as project:
        assert project.code("sanctie") == replace(SANCTIE, definition="Onze definitie.")


def test_a_qdc_dry_run_lists_the_decisions_and_changes_nothing(study, tmp_path, runner):
    file = qdc(tmp_path / "maxqda.qdc", ("Sancties", ""), ("Nieuw thema", "Iets nieuws."))
    result = dry_run(runner, study, file)
    assert result.exit_code == 0, result.output
    assert "maxqda.qdc: een codeboek van 2 codes" in result.output
    assert "toegevoegd:\n      Nieuw thema (nieuw_thema)" in result.output
    assert "die van het project gehouden:" in result.output


def test_the_preview_counts_what_the_import_then_does(study, tmp_path):
    text = first_text(study)
    quotes = [part.split(".")[0] for part in text.split("R: ")[1:3]]
    file = qdpx(
        tmp_path / "atlas.qdpx",
        text,
        [(quotes[0], "Sancties"), (quotes[1], "Nieuw"), (quotes[1], "Nieuw")],
        ["Sancties", "Nieuw"],
    )

    def counts(report):
        return (
            report.documents,
            report.existing_documents,
            report.codes_added,
            report.codings,
            report.codings_existing,
            report.memos,
            report.attributes,
            [(s.name, s.document_number, s.codings, s.left_out) for s in report.sources],
        )

    with Project.open(study) as project:
        preview = import_exchange(project, file, dry_run=True)
        done = import_exchange(project, file)
        again = import_exchange(project, file, dry_run=True)
    assert preview.dry_run and not done.dry_run
    assert counts(preview) == counts(done)
    assert (again.codings, again.codings_existing, again.codes_added) == (0, 3, 0)


def test_a_dry_run_into_a_project_not_made_yet_creates_nothing(tmp_path, runner):
    file = qdpx(tmp_path / "nieuw.qdpx", NEW_TEXT, [("gekort", "Sancties")], ["Sancties"])
    target = tmp_path / "nog-niet.kwali"
    result = runner.invoke(cli, ["import", "-p", str(target), "--dry-run", "--create", str(file)])
    assert result.exit_code == 0, result.output
    assert "zou toevoegen: 1 nieuw document" in result.output
    assert "bron 'buurthuis' → een nieuw document: 1 codering" in result.output
    assert not target.exists()


def test_a_file_that_cannot_be_imported_is_one_line_and_exit_1(study, tmp_path, runner):
    bad = tmp_path / "kapot.qdpx"
    bad.write_bytes(b"not a zip")
    result = dry_run(runner, study, bad)
    assert result.exit_code == 1
    assert "kwali: fout:" in result.output and "kapot.qdpx" in result.output


def test_folders_still_list_what_would_be_imported(study, tmp_path, runner):
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "int1.txt").write_text(NEW_TEXT, encoding="utf-8")
    (folder / "lees mij.csv").write_text("a,b\n", encoding="utf-8")
    qdc(folder / "boek.qdc", ("Nieuw", ""))
    result = dry_run(runner, study, folder)
    assert result.exit_code == 0, result.output
    assert "Zou 2 bestanden importeren in" in result.output
    assert "boek.qdc: een codeboek van 1 code" in result.output


def test_a_dry_run_does_not_load_spacy(tmp_path):
    file = qdpx(tmp_path / "nieuw.qdpx", NEW_TEXT, [("gekort", "Sancties")], ["Sancties"])
    target = tmp_path / "p.kwali"
    Project.create(target).close()
    script = (
        "import sys\n"
        "from kwali.cli import cli\n"
        f"cli(['import', '-p', {str(target)!r}, '--dry-run', {str(file)!r}],"
        " standalone_mode=False)\n"
        "print('spacy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().endswith("False"), done.stdout


def test_a_shared_fixture_dry_run_changes_nothing(tmp_path, runner, nlp):
    file = shared_path("refi", "qc132_line-selections.qdpx")
    target = tmp_path / "p.kwali"
    Project.create(target).close()
    result = dry_run(runner, target, file)
    assert result.exit_code == 0, result.output
    with Project.open(target) as project:
        preview = import_exchange(project, file, dry_run=True)
        done = import_exchange(project, file, nlp=nlp)
        again = import_exchange(project, file, dry_run=True)
    assert (preview.documents, preview.codes_added, preview.codings, preview.memos) == (
        done.documents,
        done.codes_added,
        done.codings,
        done.memos,
    )
    assert preview.documents > 0 and preview.codings > 0
    assert (again.documents, again.codings, again.codings_existing) == (0, 0, done.codings)
