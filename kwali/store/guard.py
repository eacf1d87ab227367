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
from kwali.i18n import _
from kwali.store.schema import MIGRATIONS, MIGRATIONS_TABLE

# Tables SQLite itself may add (AUTOINCREMENT, ANALYZE): they hold no SQL that runs.
_SQLITE_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}


def _plural(kind: str) -> str:
    """A kind of schema object, in the plural, as the refusal names it."""
    words = {
        "table": _("tabellen"),
        "view": _("views"),
        "trigger": _("triggers"),
        "index": _("indexen"),
    }
    return words.get(kind, kind)


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
        for _name, migrate in MIGRATIONS[:version]:
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
        kinds = "/".join(dict.fromkeys(_plural(kind) for kind, _name in foreign))
        names = ", ".join(name for _kind, name in foreign[:8]) + (", …" if len(foreign) > 8 else "")
        raise ProjectError(
            _(
                "bevat {kinds} die kwali niet heeft gemaakt ({names}); er is mogelijk mee geknoeid"
            ).format(kinds=kinds, names=names),
            path=path,
            hint=_("kwali opent het niet; gebruik een kopie die u vertrouwt of een back-up"),
        )
    missing = sorted({obj[1] for obj in expected} - {obj[1] for obj in found})
    if missing:
        raise ProjectError(
            _(
                "mist een deel van kwali's schema ({names}); het is beschadigd of er is mee "
                "geknoeid"
            ).format(names=", ".join(missing[:8])),
            path=path,
            hint=_("gebruik een kopie die u vertrouwt of een back-up"),
        )
