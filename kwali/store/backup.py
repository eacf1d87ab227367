"""Copies of a project file through SQLite's online backup API, and restoring one in place.

A plain copy of ``NAME.kwali`` can miss work still in ``NAME.kwali-wal``; the backup API reads
through SQLite, so a copy holds every committed action, even while another kwali writes (in
WAL mode a reader never blocks a writer). A copy is filled as a private temporary file next to
its target, checked with ``PRAGMA integrity_check`` and only then given its name.

Restoring writes the copy *into* the project file through the same API, in one transaction
through the WAL, under an exclusive lock: SQLite makes it all or nothing (a killed restore
leaves the old project, which read-only opens still read), and no other kwali can have the
file open meanwhile. Renaming a new file over the project would be simpler, but a kwali that
had the old file open could then write a ``-wal`` that SQLite replays onto the new one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from pathlib import Path

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.store.project import Project

LOCK_WAIT_S = 1.0
"""How long a restore waits for another kwali's transaction before saying the file is busy."""


def fingerprint(project: Project) -> tuple[int, ...] | None:
    """Changes whenever a researcher's work changes: every such change is a recorded action;
    suggestions (made by a machine) are counted apart. Cheap: a few indexed lookups.
    None when it cannot be read (then nothing can be said to be unchanged)."""
    try:
        row = project.db.execute(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM actions), (SELECT COUNT(*) FROM actions), "
            "(SELECT COUNT(*) FROM suggestions), (SELECT COUNT(*) FROM suggestion_runs)"
        ).fetchone()
        return (project.schema_version, *(int(v) for v in row))
    except sqlite3.Error:
        return None


def has_work(project: Project) -> bool:
    """Whether anything was ever done in the project (a new, empty one needs no backup)."""
    try:
        return project.db.execute("SELECT 1 FROM actions LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return True


def backup_project(project: Project, target: Path, *, overwrite: bool = False) -> int:
    """Copy an open project to ``target`` (mode 0600); returns the copy's size in bytes.

    Refuses an existing ``target`` unless ``overwrite``; on any error nothing is left behind.
    """
    if project.db.in_transaction:  # the copy would hold the half-done action
        raise RuntimeError("backup_project inside a transaction")
    target = Path(target)
    _check_target(project, target, overwrite)
    tmp = _private_temp(target)
    try:
        _fill(project.db, tmp, target)
        _publish(tmp, target, overwrite)
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    return target.stat().st_size


def backup_file(path: Path, target: Path, *, overwrite: bool = False) -> int:
    """Copy the project file at ``path`` (opened read-only, checked like any open)."""
    with Project.open(path, readonly=True) as project:
        return backup_project(project, target, overwrite=overwrite)


def _check_target(project: Project, target: Path, overwrite: bool) -> None:
    if target.is_dir():
        raise ProjectError(_("is een map; geef de bestandsnaam van de kopie"), path=target)
    if not target.parent.is_dir():
        raise ProjectError(_("de map ervan bestaat niet"), path=target)
    if project.path is not None and target.exists() and target.samefile(project.path):
        raise ProjectError(
            _("is het project zelf; geef een ander bestand voor de kopie"), path=target
        )
    if target.exists() and not overwrite:
        raise ProjectError(_("bestaat al"), path=target, hint=_("vervang het met --force"))


def _private_temp(target: Path) -> Path:
    """A fresh file next to ``target``, mode 0600, never someone's planted symlink."""
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        os.close(os.open(tmp, flags, 0o600))
    except OSError as exc:
        raise ProjectError(
            _("kan niet worden geschreven ({why})").format(why=exc.strerror or exc), path=target
        ) from exc
    os.chmod(tmp, 0o600)
    return tmp


def _fill(source: sqlite3.Connection, tmp: Path, target: Path) -> None:
    """Copy every page in one step (one consistent snapshot), as a single self-contained file."""
    try:
        copy = sqlite3.connect(tmp, isolation_level=None)
    except sqlite3.Error as exc:
        raise ProjectError(
            _("kan niet worden geschreven ({why})").format(why=exc), path=target
        ) from exc
    try:
        source.backup(copy)
        # The source is in WAL mode; a copy to keep or mail is one file without a -wal.
        copy.execute("PRAGMA journal_mode = DELETE")
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise ProjectError(
                _("de kopie doorstond de controle niet ({why}); er is geen kopie gemaakt").format(
                    why=verdict
                ),
                path=target,
            )
    except sqlite3.Error as exc:
        raise ProjectError(
            _(
                "kan niet worden geschreven ({why}); er is geen kopie gemaakt, het project is "
                "ongewijzigd"
            ).format(why=exc),
            path=target,
        ) from exc
    finally:
        copy.close()
    _fsync(tmp)


def _publish(tmp: Path, target: Path, overwrite: bool) -> None:
    try:
        if overwrite:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)  # fails if the name appeared meanwhile: never overwrites
    except FileExistsError as exc:
        raise ProjectError(_("bestaat al"), path=target, hint=_("vervang het met --force")) from exc
    except OSError as exc:
        raise ProjectError(
            _("kan niet worden geschreven ({why})").format(why=exc.strerror or exc), path=target
        ) from exc
    _fsync(target.parent)


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):  # some filesystems cannot sync a folder; the data is
        fd = os.open(path, os.O_RDONLY)  # still written, only its rename may lag a power cut
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def check_copy(path: Path) -> None:
    """Refuse what is not a sound kwali project: Project.open's checks plus integrity_check."""
    with Project.open(path, readonly=True) as copy:
        try:
            verdict = copy.db.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise ProjectError(_("is beschadigd ({why})").format(why=exc), path=path) from exc
        if verdict != "ok":
            raise ProjectError(_("is beschadigd ({why})").format(why=verdict), path=path)


def restore_project(source: Path, target: Path, *, keep_current: Path | None = None) -> None:
    """Replace the project ``target`` by the copy ``source``, all or nothing.

    ``target`` must not be open in any other kwali (refused in one line). When
    ``keep_current`` is given, the current ``target`` is first copied there, under the same
    lock, so the restore can itself be undone.
    """
    source, target = Path(source), Path(target)
    check_copy(source)
    if target.exists() and target.samefile(source):
        raise ProjectError(_("is het project zelf; er is niets terug te zetten"), path=source)
    with Project.open(source, readonly=True) as copy:
        if not target.exists():
            _new_from(copy, target)
            return
        Project.open(target, readonly=True).close()  # a kwali project, not any file
        live = _lock(target)
        try:
            if keep_current is not None:
                backup_project(Project(live, target), keep_current)
            try:
                _write_into(copy.db, live, target)
                verdict = live.execute("PRAGMA integrity_check").fetchone()[0]
            except sqlite3.Error as exc:
                raise ProjectError(
                    _("kan niet worden teruggezet ({why}); het project is ongewijzigd").format(
                        why=exc
                    ),
                    path=target,
                ) from exc
            if verdict != "ok":  # cannot happen with a checked copy; say so loudly if it does
                raise ProjectError(
                    _("doorstond de controle na het terugzetten niet ({why})").format(why=verdict),
                    path=target,
                )
        finally:
            live.close()  # the last connection: SQLite copies the WAL in and removes it


def _new_from(copy: Project, target: Path) -> None:
    tmp = _private_temp(target)
    try:
        _fill(copy.db, tmp, target)
        _publish(tmp, target, overwrite=False)
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def _write_into(source: sqlite3.Connection, live: sqlite3.Connection, target: Path) -> None:
    """One transaction through the WAL: a restore killed half-way leaves frames without a
    commit, which SQLite ignores. The WAL needs the copy in the project's page size."""
    size = live.execute("PRAGMA page_size").fetchone()[0]
    if source.execute("PRAGMA page_size").fetchone()[0] == size:
        source.backup(live)
        return
    tmp = _private_temp(target)
    try:
        resized = sqlite3.connect(tmp, isolation_level=None)
        try:
            source.backup(resized)
            resized.execute("PRAGMA journal_mode = DELETE")
            resized.execute(f"PRAGMA page_size = {int(size)}")
            resized.execute("VACUUM")
            resized.backup(live)
        finally:
            resized.close()
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def _lock(target: Path) -> sqlite3.Connection:
    """A connection holding ``target`` exclusively, in WAL mode, its WAL folded in.

    Every kwali connection holds a shared lock on the file while open, so the exclusive lock
    doubles as the check that no other kwali has the project open. The exclusive locking
    mode keeps it until this connection closes (and keeps the WAL's index in this process).
    """
    busy = ProjectError(
        _("is open in een andere kwali (of bezet); sluit het daar eerst. Er is niets veranderd"),
        path=target,
    )
    try:
        live = sqlite3.connect(target, isolation_level=None, timeout=LOCK_WAIT_S)
    except sqlite3.Error as exc:
        raise ProjectError(
            _("kan niet worden geopend ({why})").format(why=exc), path=target
        ) from exc
    try:
        live.execute("PRAGMA locking_mode = EXCLUSIVE")
        live.execute("BEGIN EXCLUSIVE")
        live.execute("COMMIT")
        if str(live.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower() != "wal":
            raise busy
        live.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # a crashed session's work, kept
    except sqlite3.OperationalError as exc:
        live.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise busy from exc
        raise ProjectError(
            _("kan niet worden teruggezet ({why}); er is niets veranderd").format(why=exc),
            path=target,
        ) from exc
    except BaseException:
        live.close()
        raise
    return live
