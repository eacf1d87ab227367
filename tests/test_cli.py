"""The kwali command as a researcher uses it: clear one-line errors, nothing lost."""

from __future__ import annotations

import sqlite3

import pytest

from kwali.cli import cli
from kwali.store import SCHEMA_VERSION, Project

INTERVIEW = (
    "FICTIEF — voorbeeld\n\n[00:00:02] I: Wat doet u nu als tegenprestatie?\n\n"
    "[00:00:07] R: Vrijwilligerswerk in de kringloop. Dat moet van de gemeente.\n"
)


@pytest.fixture
def setup(tmp_path, runner):
    project = tmp_path / "studie.kwali"
    interview = tmp_path / "int01.txt"
    interview.write_text(INTERVIEW, encoding="utf-8")
    assert runner.invoke(cli, ["init", str(project)]).exit_code == 0
    result = runner.invoke(
        cli, ["import", "-p", str(project), str(interview), "--attr", "rol=werkzoekende"]
    )
    assert result.exit_code == 0, result.output
    return project, tmp_path


def test_import_status_show(setup, runner):
    project, _ = setup
    status = runner.invoke(cli, ["status", "-p", str(project)])
    assert status.exit_code == 0
    assert "documenten         1" in status.output and "rol=werkzoekende" in status.output
    show = runner.invoke(cli, ["show", "-p", str(project), "1"])
    assert show.exit_code == 0
    assert (
        "1:3" in show.output
        and "00:00:07" in show.output
        and "Vrijwilligerswerk in de kringloop" in show.output
    )


def test_reimport_is_reported_not_duplicated(setup, runner):
    project, tmp = setup
    result = runner.invoke(cli, ["import", "-p", str(project), str(tmp / "int01.txt")])
    assert result.exit_code == 0
    assert "staat al in het project als document 1" in result.output
    with Project.open(project) as p:
        assert p.counts()["documents"] == 1


def _bad_inputs(tmp):
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    (tmp / "latin.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D] * 40))
    (tmp / "folder").mkdir()
    return {
        "missing.txt": "dit bestand bestaat niet",
        "folder": "is een map",
        "empty.txt": "het bestand is leeg",
        "binary.txt": "lijkt een binair bestand",
        "broken.docx": "is geen geldig Word (.docx)-bestand",
        "latin.txt": "kan niet zeggen welke tekstcodering dit is",
    }


def test_every_bad_file_gets_one_line_and_nothing_is_lost(setup, runner):
    project, tmp = setup
    for name, message in _bad_inputs(tmp).items():
        result = runner.invoke(cli, ["import", "-p", str(project), str(tmp / name)])
        assert result.exit_code == 1, name
        errors = [line for line in result.output.splitlines() if line.startswith("kwali: fout:")]
        assert len(errors) == 1 and name in errors[0] and message in errors[0], result.output
        assert "Traceback" not in result.output
    with Project.open(project) as p:
        assert p.counts()["documents"] == 1


@pytest.mark.sqlite_only
def test_bad_project_files(setup, runner, tmp_path, monkeypatch):
    project, tmp = setup
    notes = tmp / "notes.kwali"
    notes.write_text("geen project")
    newer = tmp / "newer.kwali"
    Project.create(newer).close()
    db = sqlite3.connect(newer)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    cases = {
        notes: "is geen kwali-project",
        newer: "is gemaakt door een nieuwere kwali",
        tmp / "nope.kwali": "dit projectbestand bestaat niet",
    }
    for path, message in cases.items():
        result = runner.invoke(cli, ["import", "-p", str(path), str(tmp / "int01.txt")])
        assert result.exit_code == 1
        assert f"kwali: fout: {path}: {message}" in result.output
    monkeypatch.setattr("kwali.store.project.is_writable", lambda path: False)
    result = runner.invoke(cli, ["import", "-p", str(project), str(tmp / "int01.txt")])
    assert result.exit_code == 1 and "is alleen-lezen" in result.output


def test_usage_errors_exit_2_and_help_everywhere(runner):
    assert runner.invoke(cli, ["import"]).exit_code == 2
    for command in cli.commands:
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Gebruik" in result.output
        assert cli.commands[command].help, f"{command} has no help text"


def test_attribute_table(tmp_path, runner):
    (tmp_path / "a.txt").write_text("R: ja, dat klopt.\n", encoding="utf-8")
    table = tmp_path / "attrs.csv"
    table.write_text("file,rol,geslacht\na.txt,werkzoekende,vrouw\n", encoding="utf-8")
    project = tmp_path / "p.kwali"
    result = runner.invoke(
        cli,
        [
            "import",
            "-p",
            str(project),
            "--create",
            "--attributes",
            str(table),
            str(tmp_path / "a.txt"),
        ],
    )
    assert result.exit_code == 0, result.output
    with Project.open(project) as p:
        assert p.document(1).attributes == {"geslacht": "vrouw", "rol": "werkzoekende"}
