"""What a REFI-QDA import did, or would do (``--dry-run``): one screen per file.

Per source what came in and what was left out and why; the codebook merge's decisions
(:class:`~kwali.app.codebook_report.MergeReport`) in short: every code that was changed, kept
or in conflict by name, long lists cut with a count.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kwali.app.codebook_report import KINDS, MergeReport
from kwali.i18n import _, ngettext

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
        name = self.path.name
        if self.origin:
            name = _("{name} (geschreven door {origin})").format(name=name, origin=self.origin)
        if self.codebook_only:
            out = [
                ngettext(
                    "{name}: een codeboek van {n} code",
                    "{name}: een codeboek van {n} codes",
                    self.codes,
                ).format(name=name, n=self.codes)
            ]
        else:
            new = ngettext("{n} nieuw document", "{n} nieuwe documenten", self.documents).format(
                n=self.documents
            )
            parts = [_("zou toevoegen: {documents}").format(documents=new) if self.dry_run else new]
            if self.existing_documents:
                parts.append(_("{n} al aanwezig (samengevoegd)").format(n=self.existing_documents))
            codings = ngettext("{n} codering", "{n} coderingen", self.codings).format(
                n=self.codings
            )
            if self.codings_existing:
                codings = _("{codings} ({n} al aanwezig)").format(
                    codings=codings, n=self.codings_existing
                )
            parts += [
                ngettext("{n} code ({new} nieuw)", "{n} codes ({new} nieuw)", self.codes).format(
                    n=self.codes, new=self.codes_added
                ),
                codings,
                ngettext("{n} gebruiker", "{n} gebruikers", len(self.users)).format(
                    n=len(self.users)
                ),
                ngettext("{n} memo", "{n} memo's", self.memos).format(n=self.memos),
                ngettext("{n} kenmerk", "{n} kenmerken", self.attributes).format(n=self.attributes),
            ]
            out = [f"{name}: {', '.join(parts)}"]
        if self.merge is not None:
            out += merge_lines(self.merge)
        if self.groups:
            out.append(f"  {self.groups}")
        if self.users:
            counts = dict(self.coders)
            users = ", ".join(
                ngettext(
                    "{user} ({n} codering)", "{user} ({n} coderingen)", counts.get(u, 0)
                ).format(user=u, n=counts.get(u, 0))
                for u in self.users
            )
            out.append("  " + _("gebruikers: {users}").format(users=users))
        for s in self.sources:
            out += _source_lines(s)
        return out


def _more(n: int) -> str:
    return _("… en nog {n}").format(n=n)


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
            out.append("      " + _more(len(decisions) - shown))
    return out


def _source_lines(s: SourceReport) -> list[str]:
    if s.status == "skipped":
        return [
            "  " + _("bron {name!r}: overgeslagen, {reason}").format(name=s.name, reason=s.reason)
        ]
    where = (
        _("document {number}").format(number=s.document_number)
        if s.document_number
        else _("een nieuw document")
    )
    line = "  " + _("bron {name!r} → {where}: {codings}").format(
        name=s.name,
        where=where,
        codings=ngettext("{n} codering", "{n} coderingen", s.codings).format(n=s.codings),
    )
    if s.reason:  # selections refused: said on the source's own line
        line += f"; {s.reason}"
    elif s.selections:
        reading = _("offsets gelezen als {reading}").format(reading=s.reading_label)
        if s.agreeing:
            reading += ngettext(
                ", {n} andere lezing geeft dezelfde offsets",
                ", {n} andere lezingen geven dezelfde offsets",
                len(s.agreeing),
            ).format(n=len(s.agreeing))
        parts = [
            reading,
            ngettext(
                "{fit} van {n} selectie op woordgrenzen",
                "{fit} van {n} selecties op woordgrenzen",
                s.selections,
            ).format(fit=s.edge_fit, n=s.selections),
        ]
        if s.checked:
            parts.append(_("{n} kwamen overeen met hun regel of tekst").format(n=s.checked))
        parts.append(_("{n} verschoven of weggevallen").format(n=len(s.issues)))
        line += "; " + "; ".join(parts)
    out = [line]
    out += [f"    {issue}" for issue in s.left_out]
    out += [f"    {issue}" for issue in s.issues[:SHOWN]]
    if len(s.issues) > SHOWN:
        out.append("    " + _more(len(s.issues) - SHOWN))
    return out
