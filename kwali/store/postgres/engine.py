"""What a project on PostgreSQL does differently from a ``.kwali`` file: opening, transactions
and change signals. :class:`~kwali.store.project.PostgresProject` is this plus every mixin of
:class:`~kwali.store.project.Project`, over the dialect layer of :mod:`.connection`.

- Opening migrates the schema as a file is migrated (:mod:`.schema`, one migration one
  transaction), refusing a database made by a newer kwali.
- Every write transaction first takes one advisory lock for the project, so writers queue as
  they do on a file (``BEGIN IMMEDIATE``): a coder's action is one transaction, and two coders
  coding the same sentence at once each get theirs, in turn, never a half of both.
- Every commit that changed a row sends ``NOTIFY kwali``: the others' :meth:`data_version`
  moves at once, so a UI that watches it shows their work without reading the tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.store.base import BUSY_TIMEOUT_S, StoreBase, now
from kwali.store.postgres import ServerAddress, shown
from kwali.store.postgres.connection import Connection, connect, one_line
from kwali.store.postgres.schema import (
    COMPATIBLE_FUNCTIONS,
    MIGRATIONS,
    MIGRATIONS_TABLE,
    grant_statements,
    migration_statements,
    row_security_statements,
)

if TYPE_CHECKING:
    import sqlite3

    import psycopg

IDLE_IN_ACTION_S = 60
"""A client idle this long inside an action loses its connection and its lock: kwali never
waits for a person inside a transaction, so only a hung or cut-off client gets there."""

CHANNEL = "kwali"
"""The channel every commit notifies (``LISTEN kwali``)."""

WRITE_LOCK = 0x6B77616C  # 'kwal', as the file's application id
"""The advisory lock a write transaction holds: one writer at a time, as on a file."""


Engine = TypeVar("Engine", bound="PostgresEngine")


class PostgresEngine(StoreBase):
    """The engine half of a project in a PostgreSQL database. Open one with :meth:`open_url`
    (``Project.open`` does, given a ``postgresql://`` address)."""

    url: str = ""
    _changes = 0
    change_poll_s = 0.5  # asking is reading the notifications already on the socket, no query

    @classmethod
    def open_url(
        cls: type[Engine], address: str, readonly: bool = False, create: bool = False
    ) -> Engine:
        url = address.url if isinstance(address, ServerAddress) else address
        pg = connect(url, autocommit=True, **_keepalives(url))
        _numbers_as_sqlite_gives_them(pg)
        project = cls(cast("sqlite3.Connection", Connection(pg, url)), None, readonly=readonly)
        project.url = url
        try:
            empty = project._check_database(create)
            if empty or (not readonly and project.schema_version < len(MIGRATIONS)):
                project._migrate()
            if readonly:
                pg.execute("SET default_transaction_read_only = on")
            # a writer waits for another's action as long as on a file, then hears "busy"; a
            # client gone quiet inside an action (a laptop that lost the network) gives the
            # write lock back after IDLE_IN_ACTION_S, not after TCP's two hours
            pg.execute(f"SET lock_timeout = '{int(BUSY_TIMEOUT_S * 1000)}ms'")
            pg.execute(f"SET idle_in_transaction_session_timeout = '{IDLE_IN_ACTION_S}s'")
            pg.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            pg.close()
            raise
        return project

    @property
    def location(self) -> str:
        return shown(self.url)

    @property
    def address(self) -> ServerAddress:
        return ServerAddress(self.url)

    @property
    def display_name(self) -> str:
        return ServerAddress(self.url).name

    @property
    def _connection(self) -> Connection:
        return cast(Connection, self.db)

    def _check_database(self, create: bool) -> bool:
        """Whether the database is empty (and to be made a project); refuses what is not a
        kwali project, a project to be created anew, and a newer kwali's."""
        tables = self._table_names()
        if "_migrations" not in tables:
            if tables:
                raise ProjectError(
                    _("deze database heeft al tabellen, maar is geen kwali-project"),
                    path=self.location,
                )
            if not create:
                raise ProjectError(
                    _("deze database is leeg: er is nog geen kwali-project in"),
                    path=self.location,
                    hint=_("maak er een met `kwali init {address}`").format(address=self.location),
                )
            if self.readonly:
                raise ProjectError(
                    _("is alleen-lezen geopend"), path=self.location, reason="readonly"
                )
            return True
        if create:
            raise ProjectError(
                _("bestaat al"), path=self.location, hint=_("open het, of kies een andere naam")
            )
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise ProjectError(
                _(
                    "is gemaakt door een nieuwere kwali (schema {version}, deze kwali kent {known})"
                ).format(version=version, known=len(MIGRATIONS)),
                path=self.location,
                hint=_("werk kwali bij om het te openen"),
            )
        return False

    def _table_names(self) -> set[str]:
        return {
            r[0]
            for r in self._connection.pg.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        }

    # -- what differs from a file ---------------------------------------------------------------
    def _begin(self) -> None:
        self.db.execute("BEGIN")
        try:
            # waits at most lock_timeout (BUSY_TIMEOUT_S), as a file's busy timeout
            self.db.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
        except BaseException:
            # a failed wait (busy, a cancel, Ctrl+C) must not leave the connection inside an
            # aborted transaction: every later read would fail
            if self._connection.in_transaction and not self._connection.pg.closed:
                self._connection.pg.execute("ROLLBACK")
            raise

    def _before_commit(self) -> None:
        # sent at COMMIT (dropped on ROLLBACK), and only when the action changed a row: a
        # transaction that wrote nothing has no transaction id yet
        self.db.execute(
            f"SELECT pg_notify('{CHANNEL}', '') WHERE pg_current_xact_id_if_assigned() IS NOT NULL"
        )

    def checkpoint(self) -> None:
        """Nothing to fold: the server's own log keeps every commit."""

    def _migrate(self) -> None:
        import psycopg

        try:
            self._apply_migrations()
        except psycopg.Error as exc:  # a coder's role may not change tables: its owner may
            raise ProjectError(
                _(
                    "kan niet worden bijgewerkt voor deze kwali ({why}); laat de eigenaar van "
                    "het project het eenmaal openen"
                ).format(why=one_line(exc)),
                path=self.location,
            ) from exc

    def _apply_migrations(self) -> None:
        pg = self._connection.pg
        with self.transaction():
            if "_migrations" not in self._table_names():
                pg.execute(MIGRATIONS_TABLE)
            applied = {r[0] for r in pg.execute("SELECT name FROM _migrations")}
            for name, _script in MIGRATIONS:
                if name in applied:
                    continue
                for statement in migration_statements(name):
                    pg.execute(statement)  # our own DDL, never input
                pg.execute(
                    "INSERT INTO _migrations (name, applied_at) VALUES (%s, %s)", (name, now())
                )
            # new tables get the rule too; functions as this kwali writes them
            for statement in [*COMPATIBLE_FUNCTIONS, *row_security_statements()]:
                pg.execute(statement)
        self._connection.forget_catalogue()

    def close(self) -> None:
        self._connection.close()

    @property
    def schema_version(self) -> int:
        known = [name for name, _script in MIGRATIONS]
        applied = {r[0] for r in self._connection.pg.execute("SELECT name FROM _migrations")}
        return max((known.index(n) + 1 for n in applied if n in known), default=0) + len(
            applied - set(known)
        )

    def data_version(self) -> int:
        """Moves when another kwali has committed: counts the notifications that arrived (none
        of this connection's own), without a query."""
        pg = self._connection.pg
        if self._connection.in_transaction:
            return self._changes
        own = pg.info.backend_pid
        for notice in pg.notifies(timeout=0):
            if notice.pid != own:
                self._changes += 1
        return self._changes

    def grant_coder(self, role: str) -> None:
        """Let the database role ``role`` work in this project as a coder: it reads everything
        and writes its own codings only (:func:`.schema.row_security_statements`). Run by the
        project's owner; the role itself is made by research IT (``CREATE ROLE … LOGIN``)."""
        pg = self._connection.pg
        with self.transaction():
            schema = pg.execute("SELECT quote_ident(current_schema())").fetchone()[0]  # type: ignore[index]
            for statement in grant_statements(role):
                pg.execute(statement.format(schema=schema))

    def server_role(self) -> str:
        """The database role this connection signed in as."""
        return str(self._connection.pg.execute("SELECT current_user").fetchone()[0])  # type: ignore[index]


def _keepalives(url: str) -> dict[str, int]:
    """TCP keepalives, so a server that vanished is noticed in about a minute; settings the
    address gives itself are left as they are."""
    from psycopg.conninfo import conninfo_to_dict

    given = conninfo_to_dict(url)
    wanted = {
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
    }
    return {k: v for k, v in wanted.items() if k not in given}


def _numbers_as_sqlite_gives_them(pg: psycopg.Connection) -> None:
    """``SUM`` and ``AVG`` of integers are ``numeric`` on PostgreSQL, which psycopg reads as
    ``Decimal``; SQLite gives an int or a float, and the code reading them (JSON, formatting,
    arithmetic with floats) expects those."""
    from psycopg.adapt import Loader

    class NumericLoader(Loader):
        def load(self, data: Any) -> int | float:
            text = bytes(data).decode()
            return int(text) if text.lstrip("-").isdigit() else float(text)

    pg.adapters.register_loader("numeric", NumericLoader)
