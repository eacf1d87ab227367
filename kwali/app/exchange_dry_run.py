"""``kwali import --dry-run`` for REFI-QDA files: each .qdpx or .qdc's report, nothing changed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kwali.app.exchange import import_exchange
from kwali.app.exchange_report import ExchangeReport
from kwali.app.finding import EXCHANGE_SUFFIXES
from kwali.errors import KwaliError
from kwali.store import Project


def preview_files(
    project_path: Path, paths: Sequence[Path], *, theirs: bool = False
) -> list[tuple[Path, ExchangeReport | None, str]]:
    """For the .qdpx and .qdc among ``paths``: its report, or the one line saying why it
    cannot be imported. The project is opened read-only (a project not created yet is an
    empty one): no backup, no action, nothing written."""
    files = [p for p in paths if p.suffix.lower() in EXCHANGE_SUFFIXES]
    if not files:
        return []
    out: list[tuple[Path, ExchangeReport | None, str]] = []
    exists = Path(project_path).exists()
    with Project.open(project_path, readonly=True) if exists else Project.in_memory() as project:
        for path in files:
            try:
                report = import_exchange(project, path, theirs=theirs, dry_run=True)
            except KwaliError as exc:
                out.append((path, None, exc.one_line()))
            else:
                out.append((path, report, ""))
    return out
