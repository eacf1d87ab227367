"""Move a whole project between a ``.kwali`` file and a PostgreSQL database, losslessly:
``kwali push`` and ``kwali pull``.

Every table, every row, every value crosses as it is: ids and SQLite's hidden rowids are kept
(see :mod:`kwali.store.postgres.schema`), texts are the same code points, floats the same doubles (binary COPY),
NULLs stay NULL; the audit log and the applied migrations travel with the rest, so undo and the
history read the same on the other side. A value that the other engine would change is refused
with its table, row and column rather than altered (a NUL character in a text, a value of the
wrong type in a loosely typed SQLite column).

Each direction is one transaction on its target, which must be new: ``push`` refuses a database
holding any table and makes the schema, copies and sets the sequences in one transaction (on any
error PostgreSQL keeps none of it); ``pull`` fills a private temporary file next to the target in
one SQLite transaction, rebuilds the sentence index, checks it like any project it opens and only
then gives it the target's name, never over an existing file. The source is read in one snapshot
(a read transaction), so a project in use elsewhere is copied as it was at one moment.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.store.backup import _fsync, check_copy
from kwali.store.postgres import schema as pg_schema
from kwali.store.postgres import shown
from kwali.store.postgres.connection import connect, one_line
from kwali.store.project import Project
from kwali.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, SENTENCE_SEARCH

if TYPE_CHECKING:
    import psycopg

_KINDS = {"INTEGER": int, "REAL": float, "TEXT": str}
_SQLITE_TYPEOF = {int: "integer", float: "real", str: "text"}
_PG_TYPES = {int: "int8", float: "float8", str: "text"}
_PG_DATA_TYPES = {"bigint": int, "double precision": float, "text": str}
_BATCH = 2000


@dataclass(frozen=True)
class Table:
    """A project table as both engines hold it (read from a SQLite project's catalogue)."""

    name: str
    columns: tuple[str, ...]
    kinds: tuple[type, ...]
    rowid: bool
    """Whether SQLite gives it a hidden rowid (no integer key): on PostgreSQL, a column."""

    def pg_columns(self) -> tuple[str, ...]:
        return ((pg_schema.ROWID,) if self.rowid else ()) + self.columns

    def pg_kinds(self) -> tuple[type, ...]:
        return ((int,) if self.rowid else ()) + self.kinds


@dataclass
class Copied:
    """What a push or pull copied: rows per table, in the order they were copied."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _is_search_index(name: str) -> bool:
    """The FTS5 index of sentences and its shadow tables: derived data, rebuilt on a pull."""
    return name == SENTENCE_SEARCH or name.startswith(SENTENCE_SEARCH + "_")


def project_tables(db: sqlite3.Connection) -> list[Table]:
    """Every table of a SQLite project but the sentence index, in the order they were made."""
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\' ORDER BY rowid"
        )
    ]
    tables = []
    for name in names:
        if _is_search_index(name):
            continue
        info = db.execute(f'PRAGMA table_info("{name}")').fetchall()
        keys = [row for row in info if row[5]]
        integer_key = len(keys) == 1 and str(keys[0][2]).upper() == "INTEGER"
        tables.append(
            Table(
                name,
                tuple(str(row[1]) for row in info),
                tuple(_KINDS[str(row[2]).upper()] for row in info),
                rowid=not integer_key,
            )
        )
    return tables


# -- push: a .kwali file into an empty PostgreSQL database ---------------------------------------
def push(source: str | Path, url: str) -> Copied:
    """Copy the project file ``source`` into the empty database at ``url``."""
    source = Path(source)
    with Project.open(source, readonly=True) as project:
        if project.schema_version < SCHEMA_VERSION:
            raise ProjectError(
                _(
                    "heeft een ouder schema (versie {version}); open het eerst één keer met "
                    "deze kwali (bijvoorbeeld kwali status -p {path}) en probeer het opnieuw"
                ).format(version=project.schema_version, path=source),
                path=source,
            )
        db = project.db
        db.execute("BEGIN")  # one snapshot of the file, whatever another kwali writes
        try:
            tables = project_tables(db)
            for table in tables:
                _check_values(db, table, source)
            with connect(url) as pg:
                try:
                    return _push_into(pg, db, tables, url)
                except _postgres_errors() as exc:
                    raise ProjectError(
                        _(
                            "kan niet worden geschreven ({why}); er is niets gekopieerd, de "
                            "database is ongewijzigd"
                        ).format(why=one_line(exc)),
                        path=shown(url),
                    ) from exc
        except sqlite3.Error as exc:
            raise ProjectError(
                _("kan niet worden gelezen ({why})").format(why=exc), path=source
            ) from exc
        finally:
            if db.in_transaction:
                db.execute("ROLLBACK")


def _check_values(db: sqlite3.Connection, table: Table, source: Path) -> None:
    """Refuse a value PostgreSQL would store otherwise: SQLite lets a column hold any type
    (a text in an INTEGER column), and a text may hold NUL, which PostgreSQL's cannot."""
    tests = []
    for column, kind in zip(table.columns, table.kinds, strict=True):
        tests.append(f"typeof(\"{column}\") NOT IN ('{_SQLITE_TYPEOF[kind]}', 'null')")
        if kind is str:
            tests.append(f"instr(CAST(\"{column}\" AS BLOB), x'00') > 0")  # i18n: keep (SQL)
    columns = ", ".join(f'"{c}"' for c in table.columns)
    row = db.execute(
        f'SELECT rowid, {columns} FROM "{table.name}" WHERE {" OR ".join(tests)} LIMIT 1'
    ).fetchone()
    if row is None:
        return
    column, problem = next(
        (c, p)
        for c, k, v in zip(table.columns, table.kinds, tuple(row)[1:], strict=True)
        if (p := _problem(v, k))
    )
    raise ProjectError(
        _(
            "tabel {table}, rij {row}, kolom {column}: {problem}; PostgreSQL kan dat niet "
            "ongewijzigd bewaren, er is niets gekopieerd"
        ).format(table=table.name, row=row[0], column=column, problem=problem),
        path=source,
    )


def _problem(value: object, kind: type) -> str:
    """What keeps ``value`` from crossing into a column of ``kind`` unchanged ("" if nothing)."""
    if value is not None and type(value) is not kind:
        found = _SQLITE_TYPEOF.get(type(value), "blob")
        return _("een waarde van het type {found} waar {wanted} hoort").format(
            found=found, wanted=_SQLITE_TYPEOF[kind]
        )
    if isinstance(value, str) and "\x00" in value:
        return _("een NUL-teken in de tekst")
    return ""


def _push_into(
    pg: psycopg.Connection, db: sqlite3.Connection, tables: list[Table], url: str
) -> Copied:
    from psycopg import sql

    copied = Copied()
    with pg.transaction():
        # two pushes into one new database: the second waits, then finds it not empty
        pg.execute("SELECT pg_advisory_xact_lock(%s)", (APPLICATION_ID,))
        _refuse_unusable(pg, url)
        pg_schema.create_schema(pg)
        _check_columns(pg, tables, url)
        pg.execute("SET CONSTRAINTS ALL DEFERRED")  # rows may point to rows copied later
        reader = db.cursor()
        reader.row_factory = None
        for table in tables:
            order = "rowid"  # in SQLite, the integer key is the rowid
            columns = ", ".join(f'"{c}"' for c in table.columns)
            selected = f"rowid, {columns}" if table.rowid else columns
            rows = reader.execute(f'SELECT {selected} FROM "{table.name}" ORDER BY {order}')
            statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
                sql.Identifier(table.name),
                sql.SQL(", ").join(map(sql.Identifier, table.pg_columns())),
            )
            count = 0
            with pg.cursor().copy(statement) as copy:
                copy.set_types([_PG_TYPES[k] for k in table.pg_kinds()])
                for row in rows:
                    copy.write_row(row)
                    count += 1
            copied.rows[table.name] = count
        _set_sequences(pg)
        # the planner's statistics now, not when autovacuum gets round to it: the first
        # screens read per-document counts from a million sentences
        pg.execute("ANALYZE")
    return copied


def _refuse_unusable(pg: psycopg.Connection, url: str) -> None:
    """A database with tables, or one that cannot hold every text, is not written into."""
    found = pg.execute(
        "SELECT n.nspname || '.' || c.relname FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') "
        "AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
        "ORDER BY 1 LIMIT 4"
    ).fetchall()
    if found:
        names = ", ".join(row[0] for row in found[:3]) + (", …" if len(found) > 3 else "")
        raise ProjectError(
            _(
                "is niet leeg (er zijn al tabellen: {names}); kwali push schrijft alleen in een "
                "nieuwe, lege database"
            ).format(names=names),
            path=shown(url),
            hint=_("maak een nieuwe database, of kies een andere"),
        )
    encoding = pg.execute("SHOW server_encoding").fetchone()
    if encoding is None or encoding[0] != "UTF8":
        raise ProjectError(
            _("heeft tekenset {encoding}; kwali heeft UTF8 nodig om elke tekst te bewaren").format(
                encoding=encoding[0] if encoding else "?"
            ),
            path=shown(url),
            hint=_("maak de database met ENCODING 'UTF8'"),
        )


def _check_columns(pg: psycopg.Connection, tables: list[Table], url: str) -> None:
    """The database's tables are the project's: the same columns, in order, of the same kinds."""
    held: dict[str, list[tuple[str, Any]]] = {}
    for table, column, data_type in pg.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
    ):
        held.setdefault(table, []).append((column, _PG_DATA_TYPES.get(data_type)))
    for table in tables:
        wanted = list(zip(table.pg_columns(), table.pg_kinds(), strict=True))
        if held.get(table.name) != wanted:
            raise ProjectError(
                _("wijkt af van kwali's schema (tabel {table}); er is niets gekopieerd").format(
                    table=table.name
                ),
                path=shown(url),
            )


def _set_sequences(pg: psycopg.Connection) -> None:
    """Every identity's next value past the largest id copied (1 in an empty table)."""
    from psycopg import sql

    identities = pg.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
    ).fetchall()
    for table, column in identities:
        pg.execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence({qualified}, {column}), "
                "COALESCE(MAX({ident}), 0) + 1, false) FROM {table}"
            ).format(
                qualified=sql.Literal(sql.Identifier(table).as_string(pg)),
                column=sql.Literal(column),
                ident=sql.Identifier(column),
                table=sql.Identifier(table),
            )
        )


# -- pull: a PostgreSQL database into a new .kwali file -------------------------------------------
def pull(url: str, target: str | Path) -> Copied:
    """Copy the project in the database at ``url`` into the new project file ``target``."""
    target = Path(target)
    if target.exists() or target.is_symlink():
        raise ProjectError(_("bestaat al"), path=target, hint=_("kies een andere naam"))
    if not target.parent.is_dir():
        raise ProjectError(_("de map ervan bestaat niet"), path=target)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        with connect(url) as pg:
            from psycopg import IsolationLevel

            pg.isolation_level = IsolationLevel.REPEATABLE_READ  # one snapshot of it all
            pg.read_only = True
            try:
                with pg.transaction():
                    _check_project(pg, url)
                    with Project.create(tmp) as project:
                        tables = project_tables(project.db)
                        _check_columns(pg, tables, url)
                        copied = _pull_into(pg, project, tables, url)
            except _postgres_errors() as exc:
                raise ProjectError(
                    _("kan niet worden gelezen ({why}); er is niets gemaakt").format(
                        why=one_line(exc)
                    ),
                    path=shown(url),
                ) from exc
        check_copy(tmp)
        _fsync(tmp)
        try:
            os.link(tmp, target)  # fails if the name appeared meanwhile: never overwrites
        except FileExistsError as exc:
            raise ProjectError(
                _("bestaat al"), path=target, hint=_("kies een andere naam")
            ) from exc
        except OSError as exc:
            raise ProjectError(
                _("kan niet worden geschreven ({why})").format(why=exc.strerror or exc), path=target
            ) from exc
        _fsync(target.parent)
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    return copied


def _check_project(pg: psycopg.Connection, url: str) -> None:
    """A kwali project, made by this kwali's schema: its migrations are this kwali's."""
    exists = pg.execute("SELECT to_regclass('_migrations') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        raise ProjectError(
            _("is geen kwali-project (er is geen tabel _migrations)"), path=shown(url)
        )
    applied = [row[0] for row in pg.execute("SELECT name FROM _migrations ORDER BY rowid")]
    known = [name for name, _migrate in MIGRATIONS]
    if applied != known:
        raise ProjectError(
            _(
                "is gemaakt door een andere versie van kwali (schema {version}, deze kwali "
                "kent {known})"
            ).format(version=len(applied), known=len(known)),
            path=shown(url),
            hint=_("gebruik dezelfde versie van kwali"),
        )


def _pull_into(pg: psycopg.Connection, project: Project, tables: list[Table], url: str) -> Copied:
    from psycopg import sql

    copied = Copied()
    db = project.db
    try:
        with project.transaction():
            db.execute("PRAGMA defer_foreign_keys = ON")  # until the commit, as on a push
            db.execute("DELETE FROM _migrations")  # the new file's own: the project's replace them
            for table in tables:
                _refuse_nan(pg, table, url)
                columns = table.pg_columns()
                key = pg_schema.ROWID if table.rowid else _integer_key(db, table)
                query = sql.SQL("COPY (SELECT {} FROM {} ORDER BY {}) TO STDOUT (FORMAT BINARY)")
                statement = query.format(
                    sql.SQL(", ").join(map(sql.Identifier, columns)),
                    sql.Identifier(table.name),
                    sql.Identifier(key),
                )
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" for _column in columns)
                insert = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
                count = 0
                with pg.cursor().copy(statement) as copy:
                    copy.set_types([_PG_TYPES[k] for k in table.pg_kinds()])
                    for batch in _batches(copy.rows()):
                        db.executemany(insert, batch)
                        count += len(batch)
                copied.rows[table.name] = count
            project.rebuild_search_index()
    except sqlite3.Error as exc:
        raise ProjectError(
            _("kan niet worden overgenomen ({why}); er is niets gemaakt").format(why=exc),
            path=shown(url),
        ) from exc
    return copied


def _integer_key(db: sqlite3.Connection, table: Table) -> str:
    return next(str(row[1]) for row in db.execute(f'PRAGMA table_info("{table.name}")') if row[5])


def _refuse_nan(pg: psycopg.Connection, table: Table, url: str) -> None:
    """SQLite stores NaN as NULL: a float that is not a number is refused, not changed."""
    from psycopg import sql

    floats = [c for c, k in zip(table.columns, table.kinds, strict=True) if k is float]
    if not floats:
        return
    test = sql.SQL(" OR ").join(
        sql.SQL("{} = 'NaN'::float8").format(sql.Identifier(c)) for c in floats
    )
    found = pg.execute(
        sql.SQL("SELECT 1 FROM {} WHERE {} LIMIT 1").format(sql.Identifier(table.name), test)
    ).fetchone()
    if found:
        raise ProjectError(
            _(
                "tabel {table} bevat NaN (geen getal), dat SQLite niet kan bewaren; er is niets "
                "gemaakt"
            ).format(table=table.name),
            path=shown(url),
        )


def _batches(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, _BATCH)):
        yield batch


# -- the connection ---------------------------------------------------------------------------------
def _postgres_errors() -> type[Exception]:
    import psycopg

    return psycopg.Error
