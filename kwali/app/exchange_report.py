"""What a REFI-QDA import did, or would do (``--dry-run``): one screen per file.

Per source what came in and what was left out and why; the codebook merge's decisions
(:class:`~kwali.app.codebook_report.MergeReport`) in short: every code that was changed, kept
or in conflict by name, long lists cut with a count.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kwali.app.codebook_report import KINDS, MergeReport

SHOWN = 20  # decisions or issues listed per kind before "… and N more"
SHOWN_ADDED = 5  # new codes need no reading one by one: the count says it, a few name them


@dataclass(frozen=True, slots=True)
class SourceReport:
    """What happened to one source: its document, the offset reading and any drift."""

    name: str
    status: str  # "new", "existing" (merged into a document kwali had) or "skipped"
    document_number: int | None = None  # None: a new document (in a dry run)
    selections: int = 0
    codings: int = 0
    reading: str = ""
    reading_label: str = ""
    edge_fit: int = 0
    checked: int = 0  # selections whose line number or text in the file matched
    agreeing: tuple[str, ...] = ()  # other readings giving the very same offsets
    issues: tuple[str, ...] = ()
    reason: str = ""  # why it was skipped, or why its selections were left out
    left_out: tuple[str, ...] = ()  # codings (and memos) left out, e.g. of a deleted code


@dataclass(frozen=True, slots=True)
class ExchangeReport:
    """Counts of what an import added, and every warning about what it could not keep."""

    path: Path
    origin: str = ""
    documents: int = 0
    existing_documents: int = 0
    codes: int = 0
    codes_added: int = 0
    codings: int = 0
    codings_existing: int = 0
    users: tuple[str, ...] = ()  # every User in the file, as coder names
    coders: tuple[tuple[str, int], ...] = ()  # (coder, new codings)
    memos: int = 0
    attributes: int = 0
    sources: tuple[SourceReport, ...] = ()
    warnings: tuple[str, ...] = ()
    merge: MergeReport | None = None  # what the file's codes did to the project's codebook
    codebook_only: bool = False  # a .qdc
    dry_run: bool = False  # what the import would do; nothing was changed
    groups: str = ""  # what came in of the file's Sets and Links (kwali.app.exchange_sets)

    def lines(self) -> list[str]:
        """A short human summary, one fact per line (the CLI prints these)."""
        origin = f" (written by {self.origin})" if self.origin else ""
        would = "would add " if self.dry_run else ""
        if self.codebook_only:
            out = [f"{self.path.name}{origin}: a codebook of {self.codes} codes"]
        else:
            out = [
                f"{self.path.name}{origin}: {would}{self.documents} new documents"
                + (
                    f", {self.existing_documents} already present (merged)"
                    if self.existing_documents
                    else ""
                )
                + f", {self.codes} codes ({self.codes_added} new), {self.codings} codings"
                + (f" ({self.codings_existing} already present)" if self.codings_existing else "")
                + f", {len(self.users)} users, {self.memos} memos, {self.attributes} attributes"
            ]
        if self.merge is not None:
            out += merge_lines(self.merge)
        if self.groups:
            out.append(f"  {self.groups}")
        if self.users:
            counts = dict(self.coders)
            out.append(
                "  users: " + ", ".join(f"{u} ({counts.get(u, 0)} codings)" for u in self.users)
            )
        for s in self.sources:
            out += _source_lines(s)
        return out


def merge_lines(merge: MergeReport) -> list[str]:
    """The merge in short, indented: its summary, then each kind's codes by name (the codes
    the file lacks and those unchanged only counted, as the summary has them)."""
    out = ["  " + merge.summary()]
    for kind, title in KINDS.items():
        decisions = merge.by_kind[kind]
        if kind in ("unchanged", "missing") or not decisions:
            continue
        shown = SHOWN_ADDED if kind == "added" else SHOWN
        out.append(f"    {title}:")
        out += [f"      {d.describe()}" for d in decisions[:shown]]
        if len(decisions) > shown:
            out.append(f"      … and {len(decisions) - shown} more")
    return out


def _source_lines(s: SourceReport) -> list[str]:
    if s.status == "skipped":
        return [f"  source {s.name!r}: skipped, {s.reason}"]
    where = f"document {s.document_number}" if s.document_number else "a new document"
    line = f"  source {s.name!r} → {where}: {s.codings} codings"
    if s.reason:  # selections refused: said on the source's own line
        line += f"; {s.reason}"
    elif s.selections:
        same = f", {len(s.agreeing)} other readings give the same offsets" if s.agreeing else ""
        checked = f"; {s.checked} matched their line or text" if s.checked else ""
        line += (
            f"; offsets read as {s.reading_label}{same}; {s.edge_fit} of {s.selections} "
            f"selections on word edges{checked}; {len(s.issues)} drifted or dropped"
        )
    out = [line]
    out += [f"    {issue}" for issue in s.left_out]
    out += [f"    {issue}" for issue in s.issues[:SHOWN]]
    if len(s.issues) > SHOWN:
        out.append(f"    … and {len(s.issues) - SHOWN} more")
    return out
