"""Bring a codebook file into a project: read it, merge it by the one rule
(:mod:`kwali.app.codebook_merge`) and apply the result as one undoable action."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kwali.app.backups import rolling_backup
from kwali.app.codebook_merge import plan_merge
from kwali.app.codebook_report import MergeReport
from kwali.errors import CodebookError
from kwali.i18n import _
from kwali.io.codebook import load_codebook
from kwali.io.qdc import read_qdc
from kwali.model import Codebook
from kwali.store import Project

YAML_SUFFIXES = (".yaml", ".yml")
REFI_SUFFIXES = (".qdc", ".qdpx", ".qde")


def read_codebook_file(path: Path) -> Codebook:
    """A kwali YAML codebook or a REFI-QDA .qdc (or the codebook of a .qdpx), by extension;
    a file that does not validate raises a CodebookError naming it."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return load_codebook(path)
    if suffix in REFI_SUFFIXES:
        return read_qdc(path)
    raise CodebookError(
        _("de extensie zegt niet welk formaat het is"),
        path=path,
        hint=_("geef NAAM.yaml (kwali) of NAAM.qdc (REFI-QDA)"),
    )


def plan_codebook_merge(
    project: Project, incoming: Codebook, *, source: str, theirs: bool = False
) -> MergeReport:
    """What merging ``incoming`` into the project would do; nothing is written."""
    history = project.code_history()
    return plan_merge(
        project.codebook(),
        incoming,
        project.codebook_base(),
        renamed=history.renamed,
        edited=history.edited,
        removed=history.removed,
        theirs=theirs,
        source=source,
    )


def merge_codebook(
    project: Project,
    incoming: Codebook,
    *,
    source: str,
    coder: str = "kwali",
    theirs: bool = False,
    dry_run: bool = False,
) -> MergeReport:
    """Merge ``incoming`` (from the file named ``source``) into the project's codebook.

    One action ``import_codebook`` (undoable; a rolling backup is made first when codes
    change), or ``load_codebook`` into an empty codebook; with ``dry_run`` only the report. No code is removed and no coding touched.
    """
    report = plan_codebook_merge(project, incoming, source=source, theirs=theirs)
    if dry_run:
        return report
    if not len(project.codebook()):
        # Into an empty codebook it is a plain load, as the history (and `make sample-rebuild`,
        # which tells a fresh sample from one worked in) has always called it.
        project.set_codebook(incoming, coder)
        return replace(report, applied=True)
    base = project.codebook_base()
    if not report.changes_anything and base is not None and set(base.codes) == set(report.base):
        return replace(report, applied=True)  # nothing to record: no empty step in the history
    if report.changes_anything and len(project.codebook()):
        rolling_backup(project, "codebook")
    project.import_codes(source, report.added, report.changed, report.base, coder, about=incoming)
    return replace(report, applied=True)
