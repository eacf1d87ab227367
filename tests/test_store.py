"""The project file: permissions, migrations, guards, codings, undo across restarts."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from kwali.errors import ProjectError
from kwali.model import Code, Codebook, Transcript, Turn
from kwali.store import SCHEMA_VERSION, Project
from kwali.store import schema as schema_module

TEXT = "I: Wat vindt u ervan?\nR: Het moet van de gemeente en anders word je gekort."
TURNS = (
    Turn(1, 0, 21, 3, 21, "I", "interviewer"),
    Turn(2, 22, len(TEXT), 25, len(TEXT), "R", "respondent"),
)
CODEBOOK = Codebook(
    "test",
    (
        Code("verplichting", "Verplichting", kind="category"),
        Code("dwang", "Ervaren verplichting", parent="verplichting"),
        Code("sanctie", "Sancties", parent="verplichting"),
    ),
)


def add_sample(project: Project):
    document, _ = project.add_document(Transcript(TEXT, TURNS, "a.txt", "txt"), lambda i, u: [])
    project.set_codebook(CODEBOOK)
    return document


@pytest.mark.sqlite_only
def test_new_project_is_private_and_versioned(tmp_path):
    path = tmp_path / "p.kwali"
    with Project.create(path) as project:
        assert project.schema_version == SCHEMA_VERSION
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with pytest.raises(ProjectError, match="bestaat al"):
        Project.create(path)


@pytest.mark.sqlite_only
def test_non_projects_and_newer_projects_are_refused(tmp_path):
    text = tmp_path / "notes.kwali"
    text.write_text("hello")
    with pytest.raises(ProjectError, match="notes.kwali: is geen kwali-project"):
        Project.open(text)
    other = tmp_path / "other.kwali"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(ProjectError, match="SQLite-database, maar geen kwali-project"):
        Project.open(other)
    newer = tmp_path / "newer.kwali"
    Project.create(newer).close()
    db = sqlite3.connect(newer)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(ProjectError, match="gemaakt door een nieuwere kwali"):
        Project.open(newer)


@pytest.mark.sqlite_only
def test_read_only_project_is_refused_for_writing_but_readable(tmp_path):
    path = tmp_path / "p.kwali"
    with Project.create(path) as project:
        add_sample(project)
    os.chmod(path, 0o400)
    try:
        if os.access(path, os.W_OK):
            pytest.skip("running as a user who can write read-only files")
        with pytest.raises(ProjectError, match="is alleen-lezen") as refused:
            Project.open(path)
        assert refused.value.reason == "readonly"
        with Project.open(path, readonly=True) as project:
            assert project.counts()["documents"] == 1
    finally:
        os.chmod(path, 0o600)


@pytest.mark.sqlite_only
def test_read_only_file_is_refused_even_for_root(tmp_path, monkeypatch):
    path = tmp_path / "p.kwali"
    Project.create(path).close()
    monkeypatch.setattr("kwali.store.project.is_writable", lambda path: False)
    with pytest.raises(ProjectError, match="p.kwali: is alleen-lezen") as refused:
        Project.open(path)
    assert refused.value.reason == "readonly"


def test_readonly_connection_cannot_write(tmp_path):
    path = tmp_path / "p.kwali"
    with Project.create(path) as project:
        document = add_sample(project)
    with (
        Project.open(path, readonly=True) as project,
        pytest.raises(ProjectError, match="alleen-lezen") as refused,
    ):
        project.add_coding(document.id, 25, 32, "dwang", "anna")
    assert refused.value.reason == "readonly"


@pytest.mark.sqlite_only
def test_migrations_apply_in_order_once_and_roll_back_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "p.kwali"
    Project.create(path).close()

    def m002_broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    real = [name for name, _ in schema_module.MIGRATIONS]
    monkeypatch.setattr(
        schema_module, "MIGRATIONS", [*schema_module.MIGRATIONS, ("m999_broken", m002_broken)]
    )
    monkeypatch.setattr("kwali.store.project.MIGRATIONS", schema_module.MIGRATIONS)
    monkeypatch.setattr("kwali.store.project.SCHEMA_VERSION", len(real) + 1)
    with pytest.raises(RuntimeError):
        Project.open(path)
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    applied = [r[0] for r in db.execute("SELECT name FROM _migrations")]
    assert "half_done" not in tables and applied == real
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(real)
    db.close()


def test_reimport_is_detected_by_content(project):
    first, created = project.add_document(Transcript(TEXT, TURNS, "a.txt", "txt"), lambda i, u: [])
    again, created_again = project.add_document(
        Transcript(TEXT, TURNS, "copy.txt", "txt"), lambda i, u: []
    )
    assert created and not created_again and again.id == first.id
    assert project.counts()["documents"] == 1


def test_codings_are_on_disk_when_the_call_returns(tmp_path):
    path = tmp_path / "p.kwali"
    with Project.create(path) as project:
        document = add_sample(project)
        coding = project.add_coding(document.id, 25, 48, "dwang", "anna", memo="drang")
        # a second connection, as another kwali process would have, sees it at once
        with Project.open(path) as other:
            assert other.codings(coder="anna") == [coding]


def test_undo_and_redo_survive_a_restart(tmp_path):
    path = tmp_path / "p.kwali"
    with Project.create(path) as project:
        document = add_sample(project)
        project.add_coding(document.id, 25, 48, "dwang", "anna")
        project.add_coding(document.id, 52, len(TEXT), "sanctie", "anna")
        project.add_coding(document.id, 25, 48, "sanctie", "bram")
    with Project.open(path) as project:
        undone = project.undo("anna")
        assert undone.description == "code sanctie"
        assert [c.code_key for c in project.codings(coder="anna")] == ["dwang"]
        assert len(project.codings(coder="bram")) == 1  # another coder's work is untouched
    with Project.open(path) as project:
        assert project.redo("anna").description == "undo: code sanctie"
        assert [c.code_key for c in project.codings(coder="anna")] == ["dwang", "sanctie"]
        assert project.redo("anna") is None


def test_a_new_action_clears_redo(project):
    document = add_sample(project)
    project.add_coding(document.id, 25, 48, "dwang", "anna")
    project.undo("anna")
    project.add_coding(document.id, 52, 60, "sanctie", "anna")
    assert project.redo_target("anna") is None


def test_merge_recodes_and_undo_restores(project):
    document = add_sample(project)
    project.add_coding(document.id, 25, 48, "dwang", "anna")
    assert project.merge_codes("dwang", "sanctie", "anna") == 1
    assert project.code("dwang") is None
    assert [c.code_key for c in project.codings()] == ["sanctie"]
    project.undo("anna")
    assert project.code("dwang") is not None
    assert [c.code_key for c in project.codings()] == ["dwang"]


def test_rename_carries_codings_along(project):
    document = add_sample(project)
    project.add_coding(document.id, 25, 48, "dwang", "anna")
    project.update_code("dwang", "anna", key="drang", label="Drang")
    assert project.codings()[0].code_key == "drang"
    with pytest.raises(ProjectError, match="eigen subcode"):
        project.update_code("verplichting", "anna", parent="drang")


def test_spans_outside_the_text_and_unknown_codes_are_refused(project):
    document = add_sample(project)
    with pytest.raises(ProjectError, match="buiten het document"):
        project.add_coding(document.id, 10, 10_000, "dwang", "anna")
    with pytest.raises(ProjectError, match="geen code 'nope'"):
        project.add_coding(document.id, 1, 5, "nope", "anna")
    assert project.codings() == []


def test_undo_refuses_when_the_row_changed_since(project):
    document = add_sample(project)
    coding = project.add_coding(document.id, 25, 48, "dwang", "anna")
    project.set_coding_memo(coding.id, "eerste", "anna")
    project.set_coding_memo(coding.id, "tweede", "bram")  # e.g. during consensus
    with pytest.raises(ProjectError, match="sindsdien weer veranderd"):
        project.undo("anna")
    assert project.coding(coding.id).memo == "tweede"


def test_every_change_is_in_the_audit_log(project):
    document = add_sample(project)
    coding = project.add_coding(document.id, 25, 48, "dwang", "anna")
    project.remove_coding(coding.id, "anna")
    history = project.history("anna")
    assert [a.description for a in history][:2] == ["remove dwang", "code dwang"]
    rows = project.db.execute(
        "SELECT tbl, before IS NULL, after IS NULL FROM audit WHERE tbl = 'codings'"
    ).fetchall()
    assert [tuple(r) for r in rows] == [("codings", 1, 0), ("codings", 0, 1)]


def test_an_older_project_is_migrated_on_open(tmp_path, monkeypatch):
    path = tmp_path / "old.kwali"
    first = schema_module.MIGRATIONS[:1]
    monkeypatch.setattr("kwali.store.project.MIGRATIONS", first)
    monkeypatch.setattr("kwali.store.project.SCHEMA_VERSION", 1)
    Project.create(path).close()
    monkeypatch.undo()
    with Project.open(path) as project:
        assert project.schema_version == SCHEMA_VERSION > 1
        applied = [r[0] for r in project.db.execute("SELECT name FROM _migrations ORDER BY rowid")]
        assert applied == [name for name, _ in schema_module.MIGRATIONS]


@pytest.mark.sqlite_only
def test_a_second_writer_is_told_the_project_is_busy_and_nothing_is_half_written(
    tmp_path, monkeypatch
):
    monkeypatch.setattr("kwali.store.project.BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "p.kwali"
    with Project.create(path) as project:
        document = add_sample(project)
    first, second = Project.open(path), Project.open(path)
    try:
        second.db.execute("BEGIN IMMEDIATE")  # another kwali in the middle of a write
        with pytest.raises(ProjectError, match="is bezet: een andere kwali schrijft erin"):
            first.add_coding(document.id, 25, 48, "dwang", "anna")
        second.db.execute("ROLLBACK")
        first.add_coding(document.id, 25, 48, "dwang", "anna")  # and works once it is free
        assert [c.coder for c in second.codings()] == ["anna"]
        assert [a.description for a in first.history("anna")] == ["code dwang"]
    finally:
        first.close()
        second.close()
