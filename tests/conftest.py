"""Shared fixtures: a session-wide Dutch pipeline, in-memory projects, transcript files.

Studies that several test modules build are plain functions in helpers.py; a module that needs
a project with data gives that fixture its own name rather than redefining ``project``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ["KWALI_LANG"] = "nl"  # the default a user gets; tests of English set it themselves


@pytest.fixture(autouse=True)
def dutch_again() -> Iterator[None]:
    """Each test starts in Dutch: a run with ``--lang en`` sets the process's language."""
    from kwali.i18n import set_language

    set_language("nl")
    yield


@pytest.fixture
def english() -> Iterator[None]:
    """kwali speaks English for this test (texts made at run time: messages, errors, exports)."""
    from kwali.i18n import set_language

    set_language("en")
    try:
        yield
    finally:
        set_language("nl")


@pytest.fixture(scope="session")
def nlp():
    from kwali.nlp import make_nlp

    return make_nlp()


@pytest.fixture
def project() -> Iterator:
    from kwali.store import Project

    with Project.in_memory() as project:
        yield project


@pytest.fixture
def runner():
    """Runs kwali's command line in-process (click's CliRunner)."""
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def coded(tmp_path: Path) -> Path:
    """A project file on disk: one interview coded by anna and bram."""
    from kwali.store import Project

    from helpers import code_two_coders

    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        code_two_coders(project)
    return path


@pytest.fixture
def write_docx(tmp_path: Path) -> Callable[..., Path]:
    """Write paragraphs into a .docx in tmp_path (no binary fixtures in the repo)."""

    def write(name: str, paragraphs: list[str]) -> Path:
        import docx

        document = docx.Document()
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        path = tmp_path / name
        document.save(str(path))
        return path

    return write


# -- PostgreSQL (issue 19): a fresh, empty database per test on the server .ci/run starts ---------
NO_POSTGRES = "no PostgreSQL server: set KWALI_TEST_POSTGRES, as .ci/run does"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The server named by ``KWALI_TEST_POSTGRES`` (a libpq connection string, as
    ``.ci/postgres start`` writes it), checked once; the test skips when there is none."""
    dsn = os.environ.get("KWALI_TEST_POSTGRES", "")
    if not dsn:
        pytest.skip(NO_POSTGRES)
    try:
        import psycopg
    except ImportError:
        pytest.skip(f"{NO_POSTGRES} (and install psycopg: make install-test)")
    try:
        psycopg.connect(dsn, autocommit=True, connect_timeout=5).close()
    except psycopg.Error as exc:
        pytest.skip(f"{NO_POSTGRES} (it cannot be reached: {' '.join(str(exc).split())})")
    return dsn


@pytest.fixture
def postgres_dsn(postgres_server: str) -> Iterator[str]:
    """A postgresql:// address of a new, empty UTF8 database, dropped after the test."""
    import secrets
    from urllib.parse import urlencode, urlsplit

    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    name = f"kwali_test_{secrets.token_hex(6)}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(name)
            )
        )
    if postgres_server.startswith(("postgresql://", "postgres://")):
        url = urlsplit(postgres_server)._replace(path=f"/{name}").geturl()
    else:  # key=value form: every parameter fits a URL's query
        params = {k: v for k, v in conninfo_to_dict(postgres_server).items() if k != "dbname"}
        url = f"postgresql:///{name}?{urlencode(params)}"
    try:
        yield url
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


from engines import postgres_databases, projects_on_postgres  # noqa: E402, F401
