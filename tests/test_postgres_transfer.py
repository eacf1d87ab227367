"""``kwali push`` and ``kwali pull`` on a real PostgreSQL server (issue 19): a project that fills
every table goes SQLite → PostgreSQL → SQLite with every row identical both ways, ids, rowids
and floats bit for bit; what cannot cross unchanged, or would overwrite something, is refused
in one line and leaves the target as it was. The server is the one ``.ci/postgres start`` makes
(``KWALI_TEST_POSTGRES``); without one these tests skip."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from postgres_helpers import AWKWARD, build_team_project, postgres_rows, run_on, sqlite_rows

from kwali.cli import cli
from kwali.store import Project
from kwali.store.transfer import project_tables, pull, push

pytestmark = pytest.mark.sqlite_only  # copies between a file and the server (its own server tests)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, nlp) -> Path:  # noqa: ANN001
    folder = tmp_path_factory.mktemp("team")
    return build_team_project(folder / "team.kwali", nlp, folder)


@pytest.fixture
def source(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built project (a test may change its copy)."""
    copy = tmp_path / "team.kwali"
    shutil.copyfile(built, copy)
    return copy


def _tables(path: Path) -> list:
    db = sqlite3.connect(path)
    try:
        return project_tables(db)
    finally:
        db.close()


def _file_rows(path: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    try:
        rows = {t.name: sqlite_rows(db, t.name, t.rowid) for t in project_tables(db)}
        rows["sentence_search"] = [
            tuple(r) for r in db.execute("SELECT rowid, text FROM sentence_search ORDER BY rowid")
        ]
        return rows
    finally:
        db.close()


def _everything_fills(rows: dict[str, list[tuple]]) -> None:
    empty = {t for t, r in rows.items() if not r} - {"unplaced"}  # needs a replaced transcript
    assert not empty, f"the test project leaves {sorted(empty)} empty"


def test_a_project_goes_to_postgresql_and_back_with_every_row_identical(
    postgres_dsn: str, source: Path, tmp_path: Path
) -> None:
    before = _file_rows(source)
    _everything_fills(before)

    pushed = push(source, postgres_dsn)
    assert pushed.rows == {t: len(r) for t, r in before.items() if t != "sentence_search"}
    for table in _tables(source):  # SQLite → PostgreSQL: row by row, rowids and all
        columns = list(table.pg_columns())
        order = "rowid" if table.rowid else _key(source, table.name)
        assert postgres_rows(postgres_dsn, table.name, columns, order) == before[table.name], (
            table.name
        )

    back = tmp_path / "terug.kwali"
    pulled = pull(postgres_dsn, back)
    assert pulled.rows == pushed.rows
    assert _file_rows(back) == before  # PostgreSQL → SQLite, the sentence index rebuilt alike
    assert source.read_bytes() != b""  # the source is untouched (read only)

    with Project.open(source, readonly=True) as a, Project.open(back) as b:
        assert b.document_summaries() == a.document_summaries()
        assert b.codings() == a.codings()
        assert b.memos() == a.memos()
        assert [r.description for r in b.history(limit=1000)] == [
            r.description for r in a.history(limit=1000)
        ]
        assert b.replacements() == a.replacements()  # in the order they were made
        # the pulled file works: undo there undoes what anna did last, a new coding is next
        b.undo("anna")
        document = b.document_ids()[0]
        added = b.add_coding(document, 0, 3, "dwang", "carla")
        assert added.id == max(c.id for c in a.codings()) + 1


def _key(path: Path, table: str) -> str:
    db = sqlite3.connect(path)
    try:
        return next(r[1] for r in db.execute(f'PRAGMA table_info("{table}")') if r[5])
    finally:
        db.close()


def test_texts_and_floats_cross_exactly(postgres_dsn: str, source: Path) -> None:
    push(source, postgres_dsn)
    memo = run_on(postgres_dsn, "SELECT memo FROM codings WHERE coder = 'bram' LIMIT 1")
    assert memo == [(AWKWARD,)]
    scores = run_on(postgres_dsn, "SELECT score FROM suggestions ORDER BY id")
    assert sorted(s for (s,) in scores) == sorted(
        (0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308, -2.5e-310, float("inf"))
    )
    assert run_on(
        postgres_dsn, "SELECT count(*) FROM suggestion_sources WHERE rules_score IS NULL"
    ) == [(4,)]


def test_the_sequences_continue_past_the_largest_id(postgres_dsn: str, source: Path) -> None:
    push(source, postgres_dsn)
    (largest,) = run_on(postgres_dsn, "SELECT max(id) FROM actions")[0]
    (made,) = run_on(
        postgres_dsn,
        "INSERT INTO actions (at, coder, kind, description) VALUES ('nu', 'x', 'do', 'x') RETURNING id",
    )[0]
    (rowid,) = run_on(
        postgres_dsn, "INSERT INTO meta (key, value) VALUES ('nieuw', '') RETURNING rowid"
    )[0]
    assert made == largest + 1
    assert rowid == len(_file_rows(source)["meta"]) + 1


def test_a_value_postgresql_would_change_is_refused_and_nothing_is_written(
    postgres_dsn: str, source: Path
) -> None:
    from kwali.errors import ProjectError

    db = sqlite3.connect(source)
    db.execute("UPDATE memos SET text = ? WHERE id = 2", ("voor\x00na",))
    db.commit()
    db.close()
    with pytest.raises(ProjectError, match="tabel memos, rij 2, kolom text: een NUL-teken"):
        push(source, postgres_dsn)
    assert _tables_in(postgres_dsn) == []

    db = sqlite3.connect(source)
    db.execute("UPDATE memos SET text = 'gewoon' WHERE id = 2")
    db.execute("UPDATE turns SET timestamp = 'kwart over drie' WHERE rowid = 3")
    db.commit()
    db.close()
    with pytest.raises(
        ProjectError, match="kolom timestamp: een waarde van het type text waar real"
    ):
        push(source, postgres_dsn)
    assert _tables_in(postgres_dsn) == []


def test_a_push_that_fails_at_the_commit_leaves_the_database_empty(
    postgres_dsn: str, source: Path
) -> None:
    from kwali.errors import ProjectError

    db = sqlite3.connect(source)  # foreign keys are off in a plain connection: a broken file
    db.execute("UPDATE codings SET document_id = 999 WHERE id = 1")
    db.commit()
    db.close()
    with pytest.raises(ProjectError, match="er is niets gekopieerd"):
        push(source, postgres_dsn)
    assert _tables_in(postgres_dsn) == []


def test_a_nan_in_postgresql_is_refused_on_pull_and_no_file_is_left(
    postgres_dsn: str, source: Path, tmp_path: Path
) -> None:
    from kwali.errors import ProjectError

    push(source, postgres_dsn)
    run_on(
        postgres_dsn,
        "UPDATE suggestions SET score = 'NaN' WHERE id = (SELECT min(id) FROM suggestions)",
    )
    with pytest.raises(ProjectError, match="NaN"):
        pull(postgres_dsn, tmp_path / "terug.kwali")
    assert not [p for p in tmp_path.iterdir() if "terug" in p.name]  # nor its temporary file


def _tables_in(url: str) -> list[str]:
    return [
        r[0] for r in run_on(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    ]


# -- the commands ------------------------------------------------------------------------------------
def _one_line_error(result, *names: str, warned: bool = False) -> str:  # noqa: ANN001
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    if warned:  # a warning first, on its own line
        assert len(lines) == 2 and lines[0].startswith("kwali: let op: "), result.stderr
        lines = lines[1:]
    assert len(lines) == 1 and lines[0].startswith("kwali: fout: "), result.stderr
    for name in names:
        assert name in lines[0]
    return lines[0]


def test_push_and_pull_say_what_they_copied(
    runner, postgres_dsn: str, source: Path, tmp_path: Path
) -> None:  # noqa: ANN001
    from kwali.store.postgres import shown

    result = runner.invoke(cli, ["push", str(source), postgres_dsn])
    assert result.exit_code == 0, result.output
    assert f"{source} gekopieerd naar {shown(postgres_dsn)}: " in result.stdout
    assert "passfile" not in result.output
    back = tmp_path / "terug.kwali"
    result = runner.invoke(cli, ["--lang", "en", "pull", postgres_dsn, str(back)])
    assert result.exit_code == 0, result.output
    assert back.is_file() and str(back) in result.stdout


def test_push_refuses_a_database_that_is_not_empty(runner, postgres_dsn: str, source: Path) -> None:  # noqa: ANN001
    from kwali.store.postgres import shown

    run_on(
        postgres_dsn, "CREATE TABLE notities (tekst text); INSERT INTO notities VALUES ('blijft')"
    )
    line = _one_line_error(
        runner.invoke(cli, ["push", str(source), postgres_dsn]), shown(postgres_dsn), "notities"
    )
    assert "niet leeg" in line
    assert run_on(postgres_dsn, "SELECT tekst FROM notities") == [("blijft",)]
    assert _tables_in(postgres_dsn) == ["notities"]


def test_a_second_push_into_the_same_database_is_refused(
    runner, postgres_dsn: str, source: Path
) -> None:  # noqa: ANN001
    assert runner.invoke(cli, ["push", str(source), postgres_dsn]).exit_code == 0
    before = run_on(postgres_dsn, "SELECT count(*) FROM codings")
    _one_line_error(runner.invoke(cli, ["push", str(source), postgres_dsn]), "niet leeg")
    assert run_on(postgres_dsn, "SELECT count(*) FROM codings") == before


def test_pull_refuses_an_existing_file(
    runner, postgres_dsn: str, source: Path, tmp_path: Path
) -> None:  # noqa: ANN001
    push(source, postgres_dsn)
    there = tmp_path / "bestaat.kwali"
    there.write_bytes(b"van iemand anders")
    _one_line_error(
        runner.invoke(cli, ["pull", postgres_dsn, str(there)]), str(there), "bestaat al"
    )
    assert there.read_bytes() == b"van iemand anders"


def test_pull_refuses_a_database_without_a_project(
    runner, postgres_dsn: str, tmp_path: Path
) -> None:  # noqa: ANN001
    target = tmp_path / "niets.kwali"
    _one_line_error(runner.invoke(cli, ["pull", postgres_dsn, str(target)]), "geen kwali-project")
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_push_of_a_missing_file_names_it(runner, postgres_dsn: str, tmp_path: Path) -> None:  # noqa: ANN001
    missing = tmp_path / "weg.kwali"
    _one_line_error(runner.invoke(cli, ["push", str(missing), postgres_dsn]), str(missing))
    assert _tables_in(postgres_dsn) == []


# These need no server: a refused connection, and what is no address at all.
def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_server_is_one_line_and_the_password_is_never_shown(runner, coded: Path) -> None:  # noqa: ANN001
    pytest.importorskip("psycopg")
    url = f"postgresql://anna:GeHeIm-42@127.0.0.1:{_closed_port()}/studie?sslmode=disable&password=ooknietdit"
    result = runner.invoke(cli, ["push", str(coded), url])
    line = _one_line_error(result, "postgresql://anna@127.0.0.1:", warned=True)
    assert "geen verbinding" in line
    assert "GeHeIm" not in result.output and "ooknietdit" not in result.output
    assert "bevat een wachtwoord" in result.stderr  # and it stays in the shell's history


def test_an_address_that_is_no_postgresql_url_is_a_usage_error(
    runner, coded: Path, tmp_path: Path
) -> None:  # noqa: ANN001
    result = runner.invoke(cli, ["push", str(coded), str(tmp_path / "ander.kwali")])
    assert result.exit_code == 2 and "geen PostgreSQL-adres" in result.output
    result = runner.invoke(cli, ["pull", "host=db dbname=studie", str(tmp_path / "x.kwali")])
    assert result.exit_code == 2 and not (tmp_path / "x.kwali").exists()


def test_kwali_help_and_a_file_command_never_load_psycopg(coded: Path) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from kwali.cli import cli\n"
        "for args in (['--help'], ['push', '--help'], ['status', '-p', sys.argv[1]]):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0, args\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'psycopg']\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code, str(coded)], check=True, timeout=120)


@pytest.mark.parametrize(
    "address",
    [
        "postgresql://anna:ge%zzHEIM@127.0.0.1:{port}/studie",  # libpq quotes what it cannot read
        "postgresql://127.0.0.1:{port}/studie?password=ge%zzHEIM",
        "postgresql://anna:ge/HEIM@127.0.0.1:{port}/studie",  # libpq reads host anna, port ge
    ],
)
def test_a_password_libpq_cannot_read_is_not_quoted_back(runner, coded: Path, address: str) -> None:  # noqa: ANN001
    pytest.importorskip("psycopg")
    result = runner.invoke(cli, ["pull", address.format(port=_closed_port()), str(coded) + "2"])
    _one_line_error(result, warned=True)
    assert "HEIM" not in result.output and "ge%zz" not in result.output
