"""Issue 19: on a team server each coder connects as their own database role, and the server
itself (row-level security) keeps a coder from writing anyone else's codings; undo undoes only
your own actions. Real server, no mocks: skipped without one (``KWALI_TEST_POSTGRES``)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from kwali.cli import cli
from kwali.errors import ProjectError
from kwali.store import Project

from helpers import AGREEMENT_CODEBOOK, add_interview


@pytest.fixture
def roles(postgres_server: str, postgres_dsn: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Two login roles with passwords that only a password file (0600) holds; dropped after
    the test with what they were granted in the test's database."""
    import psycopg

    names = {who: f"{who}_{secrets.token_hex(3)}" for who in ("anna", "bram")}
    passwords = {who: secrets.token_urlsafe(12) for who in names}
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        for who, role in names.items():
            admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{passwords[who]}'")
    parts = urlsplit(postgres_server) if "://" in postgres_server else None
    if parts is None or parts.hostname is None:
        pytest.skip("the role test signs in over TCP (a postgresql://host:port address)")
    passfile = tmp_path / "pgpass"
    passfile.write_text(
        "".join(f"{parts.hostname}:{parts.port}:*:{names[w]}:{passwords[w]}\n" for w in names)
    )
    os.chmod(passfile, 0o600)
    try:
        yield {**names, "passfile": str(passfile)}
    finally:
        with psycopg.connect(postgres_dsn, autocommit=True) as there:
            for role in names.values():
                there.execute(f"DROP OWNED BY {role} CASCADE")
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            for role in names.values():
                admin.execute(f"DROP ROLE {role}")


def as_role(url: str, role: str, passfile: str) -> str:
    """``url`` signed in as ``role``; the password comes from the password file, not the URL."""
    parts = urlsplit(url)
    host = f"{parts.hostname}:{parts.port}"
    return parts._replace(netloc=f"{role}@{host}", query=urlencode({"passfile": passfile})).geturl()


@pytest.fixture
def team(postgres_dsn: str, roles: dict[str, str], runner) -> dict[str, str]:  # noqa: ANN001
    with Project.create(postgres_dsn) as project:
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
        add_interview(project, "buurthuis")
    result = runner.invoke(cli, ["grant", "-p", postgres_dsn, roles["anna"], roles["bram"]])
    assert result.exit_code == 0, result.output
    assert f"{roles['anna']} codeert nu in" in result.output
    return {w: as_role(postgres_dsn, roles[w], roles["passfile"]) for w in ("anna", "bram")} | {
        "roles": roles,  # type: ignore[dict-item]
        "lead": postgres_dsn,
    }


def test_a_coder_writes_own_codings_and_the_server_refuses_anothers(team) -> None:  # noqa: ANN001
    anna, bram = team["roles"]["anna"], team["roles"]["bram"]
    with Project.open(team["anna"]) as project:
        assert project.server_role() == anna
        sentence = project.segments(1)[0]
        mine = project.add_coding(1, sentence.start, sentence.end, "dwang", anna)
        with pytest.raises(ProjectError) as refused:
            project.add_coding(1, sentence.start, sentence.end, "brief", bram)
        assert refused.value.reason == "not_yours"
        assert "://" in str(refused.value) and team["roles"]["passfile"] not in str(refused.value)
    with Project.open(team["bram"]) as project:
        theirs = project.add_coding(1, sentence.start, sentence.end, "dwang", bram)
        # through kwali: refused, whole action rolled back
        for attempt in (
            lambda: project.remove_coding(mine.id, bram),
            lambda: project.set_coding_memo(mine.id, "van bram", bram),
        ):
            with pytest.raises(ProjectError) as refused:
                attempt()
            assert refused.value.reason == "not_yours"
        # around kwali, in plain SQL: the server's rule still holds
        pg = project.db.pg  # type: ignore[attr-defined]
        changed = pg.execute("UPDATE codings SET memo = 'x' WHERE coder <> current_user")
        assert changed.rowcount == 0
        assert pg.execute("DELETE FROM codings WHERE coder <> current_user").rowcount == 0
        counts = {c.coder: c.memo for c in project.codings()}
    assert counts == {anna: "", bram: ""}
    assert theirs.coder == bram
    history = Project.open(team["anna"], readonly=True)
    try:
        assert [a.coder for a in history.history()].count(bram) == 1  # the refused left none
    finally:
        history.close()


def test_undo_undoes_only_your_own_action(team) -> None:  # noqa: ANN001
    anna, bram = team["roles"]["anna"], team["roles"]["bram"]
    a, b = Project.open(team["anna"]), Project.open(team["bram"])
    try:
        first, second = a.segments(1)[:2]
        a.add_coding(1, first.start, first.end, "dwang", anna)
        b.add_coding(1, second.start, second.end, "brief", bram)  # bram acted last
        undone = a.undo(anna)
        assert undone is not None and undone.coder == anna
        assert [(c.coder, c.code_key) for c in b.codings()] == [(bram, "brief")]
    finally:
        a.close()
        b.close()


@pytest.mark.sqlite_only
def test_grant_is_for_team_projects_only(runner, coded: Path) -> None:  # noqa: ANN001
    result = runner.invoke(cli, ["grant", "-p", str(coded), "anna"])
    assert result.exit_code == 1
    assert "teamproject op PostgreSQL" in result.output


def test_a_coder_opening_a_project_that_needs_an_upgrade_hears_who_can(team) -> None:  # noqa: ANN001
    import psycopg

    from kwali.store.postgres.schema import MIGRATIONS

    with psycopg.connect(team["lead"], autocommit=True) as pg:  # as an older kwali left it
        assert MIGRATIONS[-1][0] == "m009_suggestion_sources"
        pg.execute("DELETE FROM _migrations WHERE name = %s", (MIGRATIONS[-1][0],))
        pg.execute("DROP TABLE suggestion_sources")
    with pytest.raises(ProjectError) as refused:
        Project.open(team["anna"])
    assert "laat de eigenaar van het project het eenmaal openen" in str(refused.value)
    with Project.open(team["lead"]) as project:  # the owner's open upgrades it
        assert project.schema_version == len(MIGRATIONS)
