"""The PostgreSQL schema is the SQLite schema (issue 19): the same migrations by name, and, in a
real database, the same tables, columns in order, types, NOT NULLs, defaults, keys, foreign keys
with their actions, unique constraints, indexes and checks. A SQLite migration added without its
PostgreSQL twin fails here. (SQLite's hidden rowid is an explicit ``rowid`` column there, and
the FTS5 sentence index has no PostgreSQL table yet.)"""

from __future__ import annotations

import sqlite3

import pytest

from kwali.store.postgres import schema as pg_schema
from kwali.store.schema import MIGRATIONS, MIGRATIONS_TABLE
from kwali.store.transfer import project_tables

_TYPES = {"INTEGER": "bigint", "REAL": "double precision", "TEXT": "text"}
_ACTIONS = {"NO ACTION": "a", "CASCADE": "c", "SET NULL": "n", "RESTRICT": "r", "SET DEFAULT": "d"}


def test_every_sqlite_migration_has_its_postgresql_twin_by_name() -> None:
    assert [name for name, _sql in pg_schema.MIGRATIONS] == [name for name, _m in MIGRATIONS]


@pytest.fixture(scope="module")
def sqlite_db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute(MIGRATIONS_TABLE)
    for _name, migrate in MIGRATIONS:
        migrate(db)
    return db


@pytest.fixture
def pg(postgres_dsn: str):
    import psycopg

    with psycopg.connect(postgres_dsn) as pg:
        with pg.transaction():
            pg_schema.create_schema(pg)
        yield pg


def _sqlite(db: sqlite3.Connection) -> dict[str, dict[str, object]]:
    shape = {}
    for table in project_tables(db):
        name = table.name
        info = db.execute(f'PRAGMA table_info("{name}")').fetchall()
        keys = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
        columns = [
            # an integer key is NOT NULL in effect (the rowid); SQLite lists it as nullable
            (r[1], _TYPES[r[2]], bool(r[3]) or r[1] in keys, r[4])
            for r in info
        ]
        foreign = {}
        for r in db.execute(f'PRAGMA foreign_key_list("{name}")'):
            entry = foreign.setdefault(r[0], [r[2], [], [], r[5], r[6]])
            entry[1].append(r[3])
            entry[2].append(r[4])
        unique, indexes = set(), {}
        for _seq, index, is_unique, origin, _partial in db.execute(f'PRAGMA index_list("{name}")'):
            cols = tuple(r[2] for r in db.execute(f'PRAGMA index_info("{index}")'))
            if origin == "u":
                unique.add(cols)
            elif origin == "c":
                indexes[index] = (cols, bool(is_unique))
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
        shape[name] = {
            "rowid": table.rowid,
            "columns": columns,
            "key": keys,
            "foreign": sorted(
                (t, tuple(f), tuple(to), _ACTIONS[u], _ACTIONS[d])
                for t, f, to, u, d in foreign.values()
            ),
            "unique": unique,
            "indexes": indexes,
            "checks": sql.upper().count("CHECK ("),
        }
    return shape


def _postgres(pg) -> dict[str, dict[str, object]]:
    shape: dict[str, dict[str, object]] = {}
    columns: dict[str, list] = {}
    for table, column, data_type, nullable, default, identity in pg.execute(
        "SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity "
        "FROM information_schema.columns WHERE table_schema = current_schema() "
        "ORDER BY table_name, ordinal_position"
    ):
        columns.setdefault(table, []).append(
            (column, data_type, nullable == "NO", default, identity)
        )
    for table, cols in columns.items():
        rowid = cols[0][0] == pg_schema.ROWID
        if rowid:
            assert cols[0][1:] == ("bigint", True, None, "YES"), table
            cols = cols[1:]
        constraints = pg.execute(
            "SELECT c.contype, c.conname, "
            "ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o) "
            "      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), "
            "f.relname, "
            "ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o) "
            "      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o), "
            "c.confupdtype, c.confdeltype, c.condeferrable, c.condeferred "
            "FROM pg_constraint c LEFT JOIN pg_class f ON f.oid = c.confrelid "
            "WHERE c.conrelid = %s::regclass",
            (table,),
        ).fetchall()
        foreign = []
        for (
            kind,
            _name,
            cols_,
            target,
            target_cols,
            on_update,
            on_delete,
            deferrable,
            deferred,
        ) in constraints:
            if kind == "f":
                assert deferrable and not deferred, (table, cols_)  # acts as SQLite's do
                foreign.append((target, tuple(cols_), tuple(target_cols), on_update, on_delete))
        key = [list(c[2]) for c in constraints if c[0] == "p"]
        unique = {tuple(c[2]) for c in constraints if c[0] == "u"} - {(pg_schema.ROWID,)}
        indexes = {
            name: (tuple(cols_), is_unique)
            for name, cols_, is_unique in pg.execute(
                "SELECT i.relname, ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(n, o) "
                "JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o), "
                "x.indisunique FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                (table,),
            )
        }
        shape[table] = {
            "rowid": rowid,
            "columns": [
                (name, data_type, not_null, _sqlite_default(default))
                for name, data_type, not_null, default, _i in cols
            ],
            "key": key[0] if key else [],
            "foreign": sorted(foreign),
            "unique": unique,
            "indexes": indexes,
            "checks": sum(1 for c in constraints if c[0] == "c"),
        }
    return shape


def _sqlite_default(default: str | None) -> str | None:
    """PostgreSQL's spelling of a default (``'code'::text``) as SQLite's (``'code'``)."""
    if default is None or default.startswith("nextval("):
        return None
    return default.removesuffix("::text")


def test_the_postgresql_schema_is_the_sqlite_schema(sqlite_db: sqlite3.Connection, pg) -> None:
    sqlite_shape, postgres_shape = _sqlite(sqlite_db), _postgres(pg)
    assert sorted(postgres_shape) == sorted(sqlite_shape)  # every table but the search index
    for table, shape in sqlite_shape.items():
        assert postgres_shape[table] == shape, table


def test_ids_and_rowids_are_identities_that_a_new_row_takes_from(pg) -> None:
    pg.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
    row = pg.execute("SELECT rowid FROM meta").fetchone()
    made = pg.execute(
        "INSERT INTO documents (number, name, source_name, format, sha256, text, imported_at) "
        "VALUES (1, 'a', 'a.txt', 'txt', 'x', 'tekst', 'nu') RETURNING id"
    ).fetchone()
    assert row == (1,) and made == (1,)
