"""Refuse a project file whose schema holds SQL kwali did not write.

A project file is a foreign file once it has been mailed around: a trigger in it runs on every
write kwali makes (one that deletes each new coding, say) and a view in a table's place runs on
every read (an endless recursive CTE hangs ``status``, exports and the UI). So on open, the
schema must be exactly what kwali's own migrations make for the file's schema version. The
expected schema is computed by running those migrations on an empty in-memory database, once
per version, so it cannot drift from them.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

from kwali.errors import ProjectError
from kwali.store.schema import MIGRATIONS, MIGRATIONS_TABLE

# Tables SQLite itself may add (AUTOINCREMENT, ANALYZE): they hold no SQL that runs.
_SQLITE_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}
_PLURAL = {"table": "tables", "view": "views", "trigger": "triggers", "index": "indexes"}

SchemaObject = tuple[str, str, str]
"""(type, name, its CREATE statement with whitespace collapsed)."""


def _objects(db: sqlite3.Connection) -> set[SchemaObject]:
    rows = db.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    return {(kind, name, " ".join((sql or "").split())) for kind, name, sql in rows}


@cache
def expected_schema(version: int) -> frozenset[SchemaObject]:
    """What kwali's first ``version`` migrations create."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        db.execute(MIGRATIONS_TABLE)
        for _, migrate in MIGRATIONS[:version]:
            migrate(db)
        return frozenset(_objects(db))
    finally:
        db.close()


def check_schema(db: sqlite3.Connection, path: Path | None, version: int) -> None:
    """Raise a :class:`ProjectError` if the file's schema is not the one kwali made."""
    expected = expected_schema(version)
    found = _objects(db)
    foreign = sorted(
        (kind, name)
        for kind, name, sql in found - expected
        if not (kind == "table" and name in _SQLITE_TABLES)
    )
    if foreign:
        kinds = "/".join(dict.fromkeys(_PLURAL.get(kind, kind) for kind, _ in foreign))
        names = ", ".join(name for _, name in foreign[:8]) + (", …" if len(foreign) > 8 else "")
        raise ProjectError(
            f"contains {kinds} kwali did not make ({names}); it may have been tampered with",
            path=path,
            hint="kwali will not open it; use a copy you trust or a backup",
        )
    missing = sorted({name for _, name, _ in expected} - {name for _, name, _ in found})
    if missing:
        raise ProjectError(
            f"lacks part of kwali's schema ({', '.join(missing[:8])}); it is damaged or was "
            "tampered with",
            path=path,
            hint="use a copy you trust or a backup",
        )
