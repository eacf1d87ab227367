"""The store's SQL on PostgreSQL: a connection that reads like :mod:`sqlite3`'s.

The store (and the analysis that reads it) writes SQLite's SQL with ``?`` marks. Rather than
two copies of every query, this thin dialect layer rewrites each statement once (cached) into
PostgreSQL's, and hands back rows that read like :class:`sqlite3.Row` (by position, by name,
``dict(row)``). psycopg 3 directly, not SQLAlchemy Core: kwali's ~250 statements are plain SQL
already, the rewrites are few and mechanical (below), and one small module is easier to audit
than a second query language through the whole store.

What is rewritten:

- ``?`` → ``%s`` (and a literal ``%`` doubled);
- ``x IN (SELECT value FROM json_each(?))`` → ``x = ANY(%s)`` with the JSON list decoded;
- ``INSERT OR IGNORE`` / ``INSERT OR REPLACE`` → ``ON CONFLICT (key) DO NOTHING / UPDATE``;
- an INSERT into a table with an integer ``id`` gets ``RETURNING id`` (``cursor.lastrowid``);
- ``INSERT INTO t VALUES`` names its columns (here the hidden rowid is a real column, which
  ``SELECT *`` leaves out again);
- ``sqlite_master`` and ``PRAGMA table_info`` read ``information_schema``;
- ``CAST(x AS REAL)`` → ``DOUBLE PRECISION`` (PostgreSQL's REAL is single precision);
- SQLite's unary ``+column`` (no index) dropped; ``CROSS JOIN t ON`` → ``JOIN t ON``;
- ``substr``, ``json_each`` and ``json_extract`` are functions the schema adds
  (:data:`.schema.COMPATIBLE_FUNCTIONS`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.store.postgres import shown, without_password
from kwali.store.postgres.schema import ROWID

if TYPE_CHECKING:
    import psycopg

_JSON_MARK = "\x00"  # a parameter whose JSON list becomes an array


class Table(NamedTuple):
    columns: tuple[str, ...]
    key: tuple[str, ...]  # the primary key
    has_id: bool  # an integer identity ``id``, as SQLite's INTEGER PRIMARY KEY


Catalogue = dict[str, Table]


class Translated(NamedTuple):
    sql: str
    json_params: tuple[int, ...]
    returns_id: bool
    hides_rowid: bool


_IN_JSON = re.compile(
    r"(\bNOT\s+)?\bIN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\s*\?\s*\)\s*\)", re.I
)
_INSERT = re.compile(r"^\s*INSERT\s+(?:OR\s+(IGNORE|REPLACE)\s+)?INTO\s+(\w+)\s*", re.I)
_PRAGMA_INFO = re.compile(r"^\s*PRAGMA\s+table_info\((\w+)\)\s*$", re.I)
_MASTER = re.compile(r"\bsqlite_master\b", re.I)
_TABLES = (
    "(SELECT table_name AS name, 'table' AS type FROM information_schema.tables "
    "WHERE table_schema = current_schema()) AS sqlite_master"
)
# SQLite's unary plus (``+code_key``: do not use an index) after an operator or keyword
_UNARY_PLUS = re.compile(
    r"((?:^|[(,=<>]|\b(?:AND|OR|WHERE|ON|BY|SELECT|NOT))\s*)\+(?=[A-Za-z_\"])", re.I
)
_STAR = re.compile(r"\bSELECT\s+(?:\w+\.)?\*", re.I)


def _split_literals(sql: str) -> list[tuple[bool, str]]:
    """``sql`` cut into (is a quoted literal, text) parts: rewrites touch code only."""
    parts: list[tuple[bool, str]] = []
    i = 0
    while i < len(sql):
        quote = min((p for p in (sql.find("'", i), sql.find('"', i)) if p >= 0), default=-1)
        if quote < 0:
            parts.append((False, sql[i:]))
            break
        if quote > i:
            parts.append((False, sql[i:quote]))
        mark = sql[quote]
        end = quote + 1
        while True:
            end = sql.find(mark, end)
            if end < 0:
                end = len(sql)
                break
            if end + 1 < len(sql) and sql[end + 1] == mark:  # '' inside a literal
                end += 2
                continue
            break
        parts.append((True, sql[quote : end + 1]))
        i = end + 1
    return parts


def _insert_columns(rest: str) -> list[str] | None:
    match = re.match(r"\(([^)]*)\)\s*(VALUES|SELECT)", rest, re.I)
    if not match:
        return None
    return [c.strip().strip('"') for c in match.group(1).split(",")]


def translate(sql: str, catalogue: Catalogue) -> Translated:
    info = _PRAGMA_INFO.match(sql)
    if info:
        sql = (
            "SELECT ordinal_position - 1, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = "
            f"'{info.group(1)}' AND column_name <> '{ROWID}' ORDER BY ordinal_position"
        )
    sql = _MASTER.sub(_TABLES, sql)
    returns_id = False
    conflict = ""
    insert = _INSERT.match(sql)
    if insert:
        how, name = (insert.group(1) or "").upper(), insert.group(2)
        rest = sql[insert.end() :]
        table = catalogue.get(name)
        columns = _insert_columns(rest)
        if table is not None and columns is None and re.match(r"(VALUES|SELECT)\b", rest, re.I):
            columns = [c for c in table.columns if c != ROWID]
            rest = "(" + ", ".join(f'"{c}"' for c in columns) + ") " + rest
        sql = f"INSERT INTO {name} {rest}"
        if how == "IGNORE":
            conflict = " ON CONFLICT DO NOTHING"
        elif how == "REPLACE" and table is not None and columns is not None:
            changed = [c for c in columns if c not in table.key]
            sets = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in changed)
            target = ", ".join(f'"{c}"' for c in table.key)
            conflict = f" ON CONFLICT ({target}) " + (
                f"DO UPDATE SET {sets}" if sets else "DO NOTHING"
            )
        returns_id = (
            table is not None
            and table.has_id
            and (columns is None or "id" not in columns)
            and "RETURNING" not in sql.upper()
        )
    code: list[str] = []
    for quoted, text in _split_literals(sql.rstrip().rstrip(";")):
        if quoted:
            code.append(text.replace("%", "%%"))
            continue
        text = text.replace("%", "%%")
        text = _IN_JSON.sub(
            lambda m: ("<> ALL(" if m.group(1) else "= ANY(") + _JSON_MARK + ")", text
        )
        text = re.sub(r"\bAS\s+REAL\b", "AS DOUBLE PRECISION", text, flags=re.I)
        text = _UNARY_PLUS.sub(r"\1", text)
        # SQLite's CROSS JOIN … ON (an inner join in a fixed order) is a plain JOIN here
        text = re.sub(r"\bCROSS\s+JOIN\s+(\w+(?:\s+\w+)?)\s+ON\b", r"JOIN \1 ON", text, flags=re.I)
        code.append(text)
    joined = "".join(code) + conflict + (" RETURNING id" if returns_id else "")
    json_params: list[int] = []
    out: list[str] = []
    number = 0
    quoted_parts = _split_literals(joined)
    for quoted, text in quoted_parts:
        if quoted:
            out.append(text)
            continue
        for char in text:
            if char == "?":
                out.append("%s")  # i18n: keep (SQL)
                number += 1
            elif char == _JSON_MARK:
                out.append("%s")  # i18n: keep (SQL)
                json_params.append(number)
                number += 1
            else:
                out.append(char)
    return Translated("".join(out), tuple(json_params), returns_id, bool(_STAR.search(sql)))


class Row(tuple):
    """A row read by position or by column name, as :class:`sqlite3.Row` is."""

    __slots__ = ()
    _index: dict[str, int] = {}
    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type(
        "Row",
        (Row,),
        {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}, "_names": names},
    )


class Cursor:
    """What the store uses of :class:`sqlite3.Cursor`."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.row_factory: object | None = Row  # None: plain tuples, as in sqlite3
        self.lastrowid: int | None = None
        self.rowcount = -1
        self._rows: list[Any] = []
        self._at = 0
        self.description: Any = None

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Cursor:
        translated = self._connection.translated(sql)
        values = list(params)
        for i in translated.json_params:
            values[i] = json.loads(values[i])
        with self._connection.pg.cursor() as cur:
            try:
                cur.execute(translated.sql, values)
            except Exception as exc:
                raise self._connection.error(exc) from exc
            self.rowcount = cur.rowcount
            self.description = cur.description
            rows = cur.fetchall() if cur.description is not None else []
        if translated.returns_id:
            self.lastrowid = rows[0][0] if rows else None
            rows, self.description = [], None
        self._rows = self._shaped(rows, translated.hides_rowid)
        self._at = 0
        return self

    def _shaped(self, rows: list[Any], hides_rowid: bool) -> list[Any]:
        if self.description is None:
            return []
        names = tuple(c.name for c in self.description)
        if hides_rowid and ROWID in names:
            keep = [i for i, n in enumerate(names) if n != ROWID]
            names = tuple(names[i] for i in keep)
            rows = [tuple(r[i] for i in keep) for r in rows]
            self.description = [c for c in self.description if c.name != ROWID]
        if self.row_factory is None:
            return rows
        cls = _row_class(names)
        return [cls(r) for r in rows]

    def executemany(self, sql: str, seq: Any) -> Cursor:
        translated = self._connection.translated(sql)
        rows = [list(p) for p in seq]
        for values in rows:
            for i in translated.json_params:
                values[i] = json.loads(values[i])
        statement = translated.sql
        if translated.returns_id:
            statement = statement.removesuffix(" RETURNING id")
        if rows:
            with self._connection.pg.cursor() as cur:
                try:
                    cur.executemany(statement, rows)
                except Exception as exc:
                    raise self._connection.error(exc) from exc
                self.rowcount = cur.rowcount
        self._rows = []
        return self

    def fetchone(self) -> Any:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list[Any]:
        rest = self._rows[self._at :]
        self._at = len(self._rows)
        return rest

    def fetchmany(self, size: int = 1) -> list[Any]:
        part = self._rows[self._at : self._at + size]
        self._at += len(part)
        return part

    def __iter__(self) -> Iterator[Any]:
        while self._at < len(self._rows):
            self._at += 1
            yield self._rows[self._at - 1]

    def close(self) -> None:
        self._rows = []


class Connection:
    """A psycopg connection in autocommit mode: the store says BEGIN and COMMIT itself, as it
    does on SQLite, so ``in_transaction`` means the same on both."""

    dialect = "postgresql"

    def __init__(self, pg: psycopg.Connection, url: str) -> None:
        self.pg = pg
        self.url = url
        self.row_factory: object = Row
        self._catalogue: Catalogue | None = None
        self._translations: dict[str, Translated] = {}

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = read_catalogue(self.pg)
        return self._catalogue

    def forget_catalogue(self) -> None:
        """After a migration the tables have changed."""
        self._catalogue = None
        self._translations.clear()

    def translated(self, sql: str) -> Translated:
        found = self._translations.get(sql)
        if found is None:
            found = self._translations[sql] = translate(sql, self.catalogue)
        return found

    def cursor(self) -> Cursor:
        return Cursor(self)

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Cursor:
        return Cursor(self).execute(sql, params)

    def executemany(self, sql: str, seq: Any) -> Cursor:
        return Cursor(self).executemany(sql, seq)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.pg.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.pg.close()

    def error(self, exc: Exception) -> Exception:
        """A lost connection names the server (never its password); SQL errors stay errors."""
        import psycopg

        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            role = self.pg.info.user
            return ProjectError(
                _(
                    "de server staat dit de rol {role} niet toe: een codeur schrijft alleen "
                    "zijn eigen coderingen ({why})"
                ).format(role=role, why=one_line(exc)),
                path=shown(self.url),
                reason="not_yours",
            )
        if isinstance(exc, psycopg.DataError):  # a NUL character, say: nothing was written
            return ProjectError(
                _("de server kan dit niet bewaren ({why}); er is niets veranderd").format(
                    why=one_line(exc)
                ),
                path=shown(self.url),
            )
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            return ProjectError(
                _("is bezet: een andere kwali schrijft erin; probeer het zo opnieuw"),
                path=shown(self.url),
                reason="busy",
            )
        if isinstance(exc, psycopg.OperationalError) and self.pg.closed:
            why = without_password(one_line(exc), self.url)
            return ProjectError(
                _("de verbinding met de server is verbroken ({why})").format(why=why),
                path=shown(self.url),
                reason="disconnected",
            )
        return exc


def read_catalogue(pg: psycopg.Connection) -> Catalogue:
    """Every table of the current schema: its columns in order, its primary key, and whether
    ``id`` is an identity."""
    columns: dict[str, list[str]] = {}
    ids: set[str] = set()
    for table, column, identity in pg.execute(
        "SELECT table_name, column_name, is_identity FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
    ):
        columns.setdefault(table, []).append(column)
        if column == "id" and identity == "YES":
            ids.add(table)
    keys: dict[str, list[str]] = {}
    for table, column in pg.execute(
        "SELECT tc.table_name, k.column_name FROM information_schema.table_constraints tc "
        "JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name "
        "AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name "
        "WHERE tc.table_schema = current_schema() AND tc.constraint_type = 'PRIMARY KEY' "
        "ORDER BY tc.table_name, k.ordinal_position"
    ):
        keys.setdefault(table, []).append(column)
    return {t: Table(tuple(c), tuple(keys.get(t, ())), t in ids) for t, c in columns.items()}


def connect(url: str, **options: Any) -> psycopg.Connection:
    """Connect through libpq, which reads the service and password files and ``PG*`` as usual.

    psycopg is imported here and nowhere earlier: a command on a .kwali file never loads it."""
    try:
        import psycopg
    except ImportError as exc:
        raise ProjectError(
            _("kwali heeft voor PostgreSQL het pakket psycopg nodig"),
            path=shown(url),
            hint=_("installeer het met: pip install 'kwali[team]'"),
        ) from exc
    try:
        return psycopg.connect(
            url, client_encoding="UTF8", fallback_application_name="kwali", **options
        )
    except psycopg.Error as exc:
        if shown(url).endswith("…"):  # libpq read it otherwise than meant: quote none of it
            raise ProjectError(
                _("dit adres is onleesbaar"),
                path=shown(url),
                hint=_("schrijf bijzondere tekens als %XX, en een wachtwoord liever in ~/.pgpass"),
            ) from exc
        why = without_password(one_line(exc), url)
        raise ProjectError(_("geen verbinding ({why})").format(why=why), path=shown(url)) from exc


def one_line(exc: BaseException) -> str:
    """libpq's messages run over lines; an error line is one."""
    return " ".join(str(exc).split())
