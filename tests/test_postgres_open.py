"""Issue 19: a project opens on PostgreSQL as a file does: made by `kwali init URL`, migrated
on open, refused in one line when the database is not (or not yet) a kwali project or was made
by a newer kwali, read-only when asked; commands take the address with -p or KWALI_PROJECT.
Real server, no mocks: skipped without one (``KWALI_TEST_POSTGRES``)."""

from __future__ import annotations

import pytest

from kwali.cli import cli
from kwali.errors import ProjectError
from kwali.store import Project
from kwali.store.postgres.schema import MIGRATIONS, MIGRATIONS_TABLE, migration_statements
from kwali.store.schema import SCHEMA_VERSION

from helpers import AGREEMENT_CODEBOOK, add_interview


def _sql(url: str, *statements: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as pg:
        rows: list[tuple] = []
        for statement in statements:
            cursor = pg.execute(statement)  # type: ignore[arg-type]
            rows = cursor.fetchall() if cursor.description else []
        return rows


def test_init_then_every_command_takes_the_address(postgres_dsn, runner, monkeypatch) -> None:  # noqa: ANN001
    made = runner.invoke(cli, ["init", postgres_dsn])
    assert made.exit_code == 0, made.output
    assert f"gemaakt (schema {SCHEMA_VERSION})" in made.output
    assert "passfile" not in made.output  # the address is shown without its parameters
    again = runner.invoke(cli, ["init", postgres_dsn])
    assert again.exit_code == 1 and "bestaat al" in again.output
    with Project.open(postgres_dsn) as project:
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
        sentences = add_interview(project, "buurthuis")
        project.add_coding(1, sentences[0].start, sentences[0].end, "dwang", "anna")
    status = runner.invoke(cli, ["status", "-p", postgres_dsn])
    assert status.exit_code == 0, status.output
    assert "anna" in status.output
    monkeypatch.setenv("KWALI_PROJECT", postgres_dsn)
    codes = runner.invoke(cli, ["codes"])
    assert codes.exit_code == 0, codes.output
    assert "dwang" in codes.output


def test_an_empty_or_foreign_database_is_refused_in_one_line(postgres_dsn, runner) -> None:  # noqa: ANN001
    empty = runner.invoke(cli, ["status", "-p", postgres_dsn])
    assert empty.exit_code == 1
    assert "deze database is leeg" in empty.output and "kwali init" in empty.output
    assert len(empty.output.strip().splitlines()) == 1 and "Traceback" not in empty.output
    _sql(postgres_dsn, "CREATE TABLE patients (id int)")
    foreign = runner.invoke(cli, ["status", "-p", postgres_dsn])
    assert foreign.exit_code == 1 and "geen kwali-project" in foreign.output
    assert _sql(postgres_dsn, "SELECT count(*) FROM patients") == [(0,)]  # left alone
    with pytest.raises(ProjectError, match="geen kwali-project"):
        Project.create(postgres_dsn)


def test_an_older_project_is_migrated_on_open_and_a_newer_one_refused(postgres_dsn) -> None:  # noqa: ANN001
    older = len(MIGRATIONS) - 2  # a project made by an older kwali
    statements = [MIGRATIONS_TABLE]
    for name, _script in MIGRATIONS[:older]:
        statements += migration_statements(name)
        statements.append(f"INSERT INTO _migrations (name, applied_at) VALUES ('{name}', 'x')")
    _sql(postgres_dsn, *statements)
    with Project.open(postgres_dsn, readonly=True) as project:
        assert project.schema_version == older  # read-only: not changed
    with Project.open(postgres_dsn) as project:
        assert project.schema_version == SCHEMA_VERSION
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")  # the new tables work
    _sql(postgres_dsn, "INSERT INTO _migrations (name, applied_at) VALUES ('m999_future', 'x')")
    with pytest.raises(ProjectError, match="nieuwere kwali"):
        Project.open(postgres_dsn)


def test_read_only_refuses_writes_and_reads(postgres_dsn) -> None:  # noqa: ANN001
    with Project.create(postgres_dsn) as project:
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
    with Project.open(postgres_dsn, readonly=True) as project:
        assert project.code("dwang") is not None
        with pytest.raises(ProjectError) as refused:
            project.update_code("dwang", "anna", definition="x")
        assert refused.value.reason == "readonly"


def test_a_password_in_the_address_is_warned_of_and_never_shown(postgres_dsn, runner) -> None:  # noqa: ANN001
    from urllib.parse import urlsplit

    parts = urlsplit(postgres_dsn)
    if parts.hostname is None:
        pytest.skip("needs a postgresql://host address")
    secret = "Geheim-wachtwoord-123"
    with_password = parts._replace(
        netloc=f"{parts.username}:{secret}@{parts.hostname}:{parts.port}"
    ).geturl()
    result = runner.invoke(cli, ["status", "-p", with_password])
    assert "bevat een wachtwoord" in result.output
    assert secret not in result.output


def test_backup_and_restore_point_a_team_project_to_the_server(
    postgres_dsn, runner, tmp_path
) -> None:  # noqa: ANN001
    Project.create(postgres_dsn).close()
    for args in (
        ["backup", "-p", postgres_dsn, "-o", str(tmp_path / "kopie.kwali")],
        ["restore", "-p", postgres_dsn, "--from", str(tmp_path / "kopie.kwali")],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1
        assert "kwali pull" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "kopie.kwali").exists()


def test_a_text_the_server_cannot_hold_is_one_line_and_nothing_changes(postgres_dsn) -> None:  # noqa: ANN001
    with Project.create(postgres_dsn) as project:
        before = len(project.history())
        with pytest.raises(ProjectError, match="kan dit niet bewaren"):
            project.add_memo("project", "", "een\x00memo", "anna")
        assert len(project.history()) == before and project.memos() == []
        project.add_memo("project", "", "een memo", "anna")  # and the project goes on
