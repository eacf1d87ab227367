"""Backups of a project: a copy on request, rolling backups before risky operations, restore.

Rolling backups live in a folder beside the project, ``NAME.kwali-backups/`` (mode 0700), as
``NAME-YYYYmmdd-HHMMSS-<reason>.kwali`` (mode 0600; the time in UTC, so that names sort in
the order taken across a change of summer time). The newest
:data:`BACKUPS_KEPT` are kept. One is taken before an import, before a codebook is loaded over
an existing one and before a restore — not on every coding: a coding is saved the moment it
is confirmed, and undo takes it back. When nothing changed since the newest backup, none is
taken.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.store import Project
from kwali.store.backup import (
    backup_file,
    backup_project,
    check_copy,
    fingerprint,
    has_work,
    restore_project,
)

BACKUPS_KEPT = 10
"""How many rolling backups are kept per project; the oldest beyond this are removed."""
FOLDER_SUFFIX = "-backups"
STALE_TEMP_S = 3600
"""A temporary file of a backup this old was left by a kwali that was killed: it goes."""
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True, slots=True)
class Backup:
    """One rolling backup: when it was taken, before what, and how big it is."""

    path: Path
    taken: datetime  # UTC
    reason: str
    size: int


def backup_folder(project_path: Path) -> Path:
    """``NAME.kwali-backups`` beside ``NAME.kwali``."""
    project_path = Path(project_path)
    return project_path.with_name(project_path.name + FOLDER_SUFFIX)


def _pattern(project_path: Path) -> re.Pattern[str]:
    stem = re.escape(Path(project_path).stem)
    return re.compile(rf"{stem}-(\d{{8}}-\d{{6}})-([a-z]+)(?:-(\d+))?\.kwali")


def list_backups(project_path: Path) -> list[Backup]:
    """The rolling backups of a project, oldest first (files kwali did not name are ignored)."""
    folder = backup_folder(project_path)
    if not folder.is_dir():
        return []
    pattern = _pattern(project_path)
    found: list[tuple[tuple[str, int], Backup]] = []
    for entry in folder.iterdir():
        match = pattern.fullmatch(entry.name)
        if match is None or not entry.is_file() or entry.is_symlink():
            continue
        stamp, reason, nth = match.groups()
        taken = datetime.strptime(stamp, _STAMP).replace(tzinfo=timezone.utc)
        found.append(((stamp, int(nth or 1)), Backup(entry, taken, reason, entry.stat().st_size)))
    return [backup for _unused, backup in sorted(found, key=lambda pair: pair[0])]


def _reason_words() -> dict[str, str]:
    """What a backup was taken before, in the reader's language (its code names the file)."""
    return {
        "import": _("het importeren"),
        "codebook": _("het inlezen van het codeboek"),
        "replace": _("het vervangen"),
        "survey": _("het importeren van de enquête"),
        "remove": _("het verwijderen"),
        "delete": _("het verwijderen"),
        "restore": _("het terugzetten"),
    }


def _folder(project_path: Path) -> Path:
    folder = backup_folder(project_path)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ProjectError(_("is geen map die kwali maakte; zet hem opzij"), path=folder)
    if not folder.exists():
        try:
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)  # mkdir's mode passes through the umask
        except OSError as exc:
            raise ProjectError(
                _("kan niet gemaakt worden ({why})").format(why=exc.strerror or exc), path=folder
            ) from exc
    return folder


def _new_name(project_path: Path, reason: str) -> Path:
    """A name that sorts after every backup there: within one second they count up (-2, -3),
    never reusing a number that pruning freed."""
    folder = _folder(project_path)
    stamp = time.strftime(_STAMP, time.gmtime())
    base = f"{Path(project_path).stem}-{stamp}-{reason}"
    pattern = _pattern(project_path)
    same_second = [
        int(m.group(3) or 1)
        for m in (pattern.fullmatch(entry.name) for entry in folder.iterdir())
        if m is not None and m.group(1) == stamp
    ]
    nth = max(same_second, default=0) + 1
    name = folder / (f"{base}.kwali" if nth == 1 else f"{base}-{nth}.kwali")
    while name.exists():
        nth += 1
        name = folder / f"{base}-{nth}.kwali"
    return name


def _prune(project_path: Path, spare: Path | None = None) -> None:
    backups = [b for b in list_backups(project_path) if spare is None or b.path != spare]
    for old in backups[: max(0, len(backups) - BACKUPS_KEPT)]:
        old.path.unlink(missing_ok=True)
    # A backup killed half-way leaves its temporary file; an hour on, no backup is still
    # writing it (another kwali's, this minute, may be).
    folder = backup_folder(project_path)
    if not folder.is_dir() or folder.is_symlink():
        return
    stale = time.time() - STALE_TEMP_S
    prefix = f".{Path(project_path).stem}-"
    for entry in folder.iterdir():
        if entry.name.startswith(prefix) and ".tmp" in entry.name and entry.is_file():
            with contextlib.suppress(OSError):
                if entry.lstat().st_mtime < stale:
                    entry.unlink()


def _unchanged_since(project: Project, newest: Backup) -> bool:
    try:
        with Project.open(newest.path, readonly=True) as previous:
            before = fingerprint(previous)
    except ProjectError:
        return False
    return before is not None and before == fingerprint(project)


def rolling_backup(project: Project, reason: str) -> Path | None:
    """Take a rolling backup before ``reason`` (e.g. "import"); the new file, or None when none
    was needed (an in-memory or read-only project, no work yet, nothing changed since the last).

    A backup that cannot be taken stops the operation: one line, nothing changed.
    """
    if project.path is None or project.readonly or not has_work(project):
        return None
    existing = list_backups(project.path)
    if existing and _unchanged_since(project, existing[-1]):
        return None
    try:
        target = _new_name(project.path, reason)
        backup_project(project, target)
    except ProjectError as exc:
        raise ProjectError(
            _(
                "er kon geen reservekopie gemaakt worden vóór {what} ({why}); er is niets veranderd"
            ).format(what=_reason_words().get(reason, reason), why=exc.one_line()),
            path=project.location,
        ) from exc
    _prune(project.path)
    return target


def copy_project(project_path: Path, target: Path, *, overwrite: bool = False) -> int:
    """``kwali backup -o``: a complete, checked copy; its size in bytes."""
    return backup_file(Path(project_path), Path(target), overwrite=overwrite)


def restore(project_path: Path, source: Path) -> Path | None:
    """Replace the project by the copy ``source``; the current project is kept first as a
    rolling backup (returned), so the restore can be undone by restoring that file."""
    project_path, source = Path(project_path), Path(source)
    check_copy(source)  # before the backup folder is made for it
    keep = _new_name(project_path, "restore") if project_path.exists() else None
    restore_project(source, project_path, keep_current=keep)
    _prune(project_path, spare=source)
    return keep
