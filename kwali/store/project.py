"""Open, create and guard a ``.kwali`` project file (SQLite).

Every change runs inside :meth:`Project.action` (see :mod:`kwali.store.base`), committed
before the call returns. WAL mode with ``synchronous=FULL`` keeps that true across crashes and
lets a second kwali read while the first writes; a checkpoint after every commit (and a full
one on close) puts each action in NAME.kwali itself, so a plain copy of that file is complete.
A file whose schema holds SQL kwali did not write is refused on open (:mod:`kwali.store.guard`).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from pathlib import Path

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.store.audit import AuditMixin
from kwali.store.base import BUSY_TIMEOUT_S, is_storage_error, now
from kwali.store.cases import CasesMixin
from kwali.store.codebook import CodebookMixin
from kwali.store.codings import CodingsMixin
from kwali.store.documents import DocumentsMixin
from kwali.store.groups import GroupsMixin
from kwali.store.guard import check_schema
from kwali.store.memos import MemosMixin
from kwali.store.postgres import is_postgres_url
from kwali.store.postgres.engine import PostgresEngine
from kwali.store.progress import ProgressMixin
from kwali.store.replacements import ReplacementsMixin
from kwali.store.replacing import ReplacingMixin
from kwali.store.schema import APPLICATION_ID, MIGRATIONS, MIGRATIONS_TABLE, SCHEMA_VERSION
from kwali.store.search_index import SearchIndexMixin
from kwali.store.summaries import SummariesMixin
from kwali.store.surveys import SurveysMixin

SUFFIX = ".kwali"


def is_writable(path: Path) -> bool:
    """Whether this process may write ``path`` (checked before opening it for writing)."""
    return os.access(path, os.W_OK)


class Project(
    SearchIndexMixin,  # first: it follows every change of a document's sentences
    GroupsMixin,  # before DocumentsMixin: a removed document takes its groups and links
    ReplacingMixin,  # before DocumentsMixin: a removed document takes its unplaced codings
    SurveysMixin,
    SummariesMixin,
    CasesMixin,
    DocumentsMixin,
    CodingsMixin,
    CodebookMixin,
    ProgressMixin,
    ReplacementsMixin,
    AuditMixin,
    MemosMixin,
):
    """A project file. Use :meth:`create` or :meth:`open`, ideally as a context manager.

    Each mixin is a :class:`~kwali.store.base.StoreBase`, which holds the connection;
    codings build on the codebook (a coding needs its code), so that mixin comes first.
    """

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path) -> Project:
        """Create a new project readable and writable by its owner only (mode 0600); given a
        ``postgresql://`` address, make the project in that (empty) database."""
        if isinstance(path, str) and is_postgres_url(path):
            return PostgresProject.open_url(path, create=True)
        path = Path(path)
        if path.exists():
            raise ProjectError(
                _("bestaat al"), path=path, hint=_("open het, of kies een andere naam")
            )
        if not path.parent.exists():
            raise ProjectError(_("de map ervan bestaat niet"), path=path)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise ProjectError(
                _("kan niet worden gemaakt ({why})").format(why=exc.strerror), path=path
            ) from exc
        os.close(fd)
        os.chmod(path, 0o600)  # the umask may have narrowed it further, never widened it
        project = None
        try:
            project = cls._connect(path, readonly=False)
            project._migrate()
        except BaseException as exc:
            if project is not None:
                project.db.close()
            for made in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))):
                made.unlink(missing_ok=True)
            if is_storage_error(exc):  # a full disk, say
                raise ProjectError(
                    _("kan niet worden gemaakt ({why})").format(why=exc), path=path
                ) from exc
            raise
        return project

    @classmethod
    def open(cls, path: str | Path, readonly: bool = False) -> Project:
        """Open an existing project; migrate it if it was made by an older kwali. A
        ``postgresql://`` address opens the project in that database (:mod:`kwali.store.postgres`)."""
        if isinstance(path, str) and is_postgres_url(path):
            return PostgresProject.open_url(path, readonly=readonly)
        path = Path(path)
        if not path.exists():
            raise ProjectError(
                _("dit projectbestand bestaat niet"),
                path=path,
                hint=_("maak er een met `kwali init`"),
            )
        if path.is_dir():
            raise ProjectError(_("is een map, geen projectbestand"), path=path)
        with open(path, "rb") as handle:
            header = handle.read(100)
        if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
            raise ProjectError(_("is geen kwali-project"), path=path)
        if not readonly and not is_writable(path):
            raise ProjectError(
                _("is alleen-lezen"),
                path=path,
                hint=_("maak het schrijfbaar, of werk in een kopie"),
                reason="readonly",
            )
        project = cls._connect(path, readonly=readonly)
        try:
            project._check_identity()
            check_schema(project.db, path, project.schema_version)
        except BaseException:
            project.close()
            raise
        if not readonly and project.schema_version < SCHEMA_VERSION:
            project._migrate()
        project.checkpoint()  # what a crashed kwali left in the WAL goes into the file now
        return project

    def _check_identity(self) -> None:
        """Read the ids through SQLite: with WAL, the file header may lag behind."""
        try:
            app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
            version = self.schema_version
        except sqlite3.DatabaseError as exc:
            raise ProjectError(
                _("is geen kwali-project ({why})").format(why=exc), path=self.path
            ) from exc
        if app_id != APPLICATION_ID:
            raise ProjectError(_("is een SQLite-database, maar geen kwali-project"), path=self.path)
        if version > SCHEMA_VERSION:
            raise ProjectError(
                _(
                    "is gemaakt door een nieuwere kwali (schema {version}, deze kwali kent {known})"
                ).format(version=version, known=SCHEMA_VERSION),
                path=self.path,
                hint=_("werk kwali bij om het te openen"),
            )

    @classmethod
    def in_memory(cls) -> Project:
        """A throwaway project for tests and previews."""
        db = sqlite3.connect(":memory:", isolation_level=None)
        project = cls(db, None)
        project._configure()
        project._migrate()
        return project

    @classmethod
    def _connect(cls, path: Path, readonly: bool) -> Project:
        uri = f"file:{path.resolve()}?mode={'ro' if readonly else 'rw'}"
        try:
            db = sqlite3.connect(
                uri,
                uri=True,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_S,
                check_same_thread=False,
            )
            project = cls(db, path, readonly=readonly)
            project._configure()
        except sqlite3.DatabaseError as exc:
            raise ProjectError(
                _("kan niet worden geopend ({why})").format(why=exc), path=path
            ) from exc
        return project

    def _configure(self) -> None:
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        # defence in depth behind guard.check_schema: SQL stored in the file may not call
        # functions with side effects
        self.db.execute("PRAGMA trusted_schema = OFF")
        if self.path is not None and not self.readonly:
            mode = self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise ProjectError(
                    _("kan niet overschakelen op write-ahead logging (WAL)"), path=self.path
                )
            self.db.execute("PRAGMA synchronous = FULL")

    def _migrate(self) -> None:
        self.db.execute(MIGRATIONS_TABLE)
        applied = {row[0] for row in self.db.execute("SELECT name FROM _migrations")}
        for number, (name, func) in enumerate(MIGRATIONS, start=1):
            if name in applied:
                continue
            with self.transaction():
                func(self.db)
                self.db.execute("INSERT INTO _migrations VALUES (?, ?)", (name, now()))
                self.db.execute(f"PRAGMA user_version = {number}")
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def close(self) -> None:
        """Close, first folding the WAL into the file so it is complete on its own.

        TRUNCATE waits for another kwali's readers, so only briefly: they will fold it later."""
        if self.path is not None and not self.readonly:
            with suppress(sqlite3.Error):  # closed already, or busy: the WAL keeps it all
                self.db.execute("PRAGMA busy_timeout = 200")
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        self.db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def data_version(self) -> int:
        """Changes when another connection commits: the UI polls it to refresh."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])


class PostgresProject(PostgresEngine, Project):
    """A project in a PostgreSQL database (issue 19): the same store over the engine of
    :mod:`kwali.store.postgres.engine`; psycopg loads only when one is opened."""
