"""The suite on PostgreSQL (issue 19): ``KWALI_TEST_ENGINE=postgresql`` (``make test-postgres``)
runs the tests with every project a test makes on the server ``KWALI_TEST_POSTGRES`` names.

``Project.in_memory()`` and ``Project.create(path)`` make a fresh database instead (a copy of a
template made once per session); ``Project.open(path)`` opens the database made for that path.
Tests about the file itself (its mode, its WAL, backups, a second process on it) are marked
``sqlite_only`` and skipped there.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ENGINE = os.environ.get("KWALI_TEST_ENGINE", "sqlite")
ON_POSTGRES = ENGINE == "postgresql"


def database_url(server: str, name: str) -> str:
    from urllib.parse import urlencode, urlsplit

    from psycopg.conninfo import conninfo_to_dict

    if server.startswith(("postgresql://", "postgres://")):
        return urlsplit(server)._replace(path=f"/{name}").geturl()
    params = {k: v for k, v in conninfo_to_dict(server).items() if k != "dbname"}
    return f"postgresql:///{name}?{urlencode(params)}"


class Databases:
    """Databases made for one session's projects, dropped at its end."""

    def __init__(self, server: str) -> None:
        import psycopg

        self.server = server
        self.admin = psycopg.connect(server, autocommit=True)
        self.template = f"kwali_template_{secrets.token_hex(4)}"
        self.made: list[str] = []
        self.by_path: dict[str, str] = {}
        self.names: dict[str, str] = {}  # url → the file name the test gave it
        self.admin.execute(f"CREATE DATABASE {self.template} ENCODING 'UTF8' TEMPLATE template0")
        from kwali.store.project import PostgresProject

        PostgresProject.open_url(database_url(server, self.template), create=True).close()

    def new(self) -> str:
        name = f"kwali_test_{secrets.token_hex(6)}"
        self.admin.execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        self.made.append(name)
        return database_url(self.server, name)

    def drop_made(self) -> None:
        for name in self.made:
            self.admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.made.clear()
        self.by_path.clear()
        self.names.clear()

    def close(self) -> None:
        self.drop_made()
        self.admin.execute(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
        self.admin.close()


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[Databases]:
    server = os.environ.get("KWALI_TEST_POSTGRES", "")
    if not server:
        pytest.exit("KWALI_TEST_ENGINE=postgresql needs KWALI_TEST_POSTGRES (.ci/postgres start)")
    databases = Databases(server)
    yield databases
    databases.close()


@pytest.fixture(autouse=True)
def projects_on_postgres(request: pytest.FixtureRequest) -> Iterator[None]:
    """On PostgreSQL: every project this test makes lives in a database of its own."""
    if not ON_POSTGRES:
        yield
        return
    if request.node.get_closest_marker("sqlite_only"):
        pytest.skip("about the .kwali file itself (sqlite only)")
    databases: Databases = request.getfixturevalue("postgres_databases")
    from kwali.store.project import PostgresProject, Project

    create, open_ = Project.create.__func__, Project.open.__func__  # type: ignore[attr-defined]

    def key(path: Any) -> str:
        return str(Path(path).resolve())

    def made(cls: Any, path: Any) -> Any:
        if isinstance(path, str) and path.startswith("postgres"):
            return create(cls, path)
        if key(path) in databases.by_path:  # made already (the CLI sees no file: it "creates")
            return PostgresProject.open_url(databases.by_path[key(path)])
        if Path(path).exists():
            return create(cls, path)  # the file's own refusal ("bestaat al")
        url = databases.new()
        databases.by_path[key(path)] = url
        databases.names[url] = Path(path).name
        return PostgresProject.open_url(url)

    def opened(cls: Any, path: Any, readonly: bool = False) -> Any:
        if not isinstance(path, str | Path) or key(path) not in databases.by_path:
            return open_(cls, path, readonly)
        return PostgresProject.open_url(databases.by_path[key(path)], readonly=readonly)

    def in_memory(cls: Any) -> Any:
        return PostgresProject.open_url(databases.new())

    shown_name = PostgresProject.display_name

    def display_name(self: Any) -> str:
        # a screen shows the name the test gave the project (snapshots stay the same)
        return databases.names.get(self.url) or shown_name.fget(self)  # type: ignore[attr-defined]

    patch = pytest.MonkeyPatch()
    patch.setattr(PostgresProject, "display_name", property(display_name))
    patch.setattr(Project, "create", classmethod(made))
    patch.setattr(Project, "open", classmethod(opened))
    patch.setattr(Project, "in_memory", classmethod(in_memory))
    try:
        yield
    finally:
        patch.undo()
        databases.drop_made()
