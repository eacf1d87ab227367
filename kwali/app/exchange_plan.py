"""Read a REFI-QDA project into a plan: everything an import writes, checked first.

The plan holds every source's transcript, attributes, codings and memos, with offsets
placed by ``kwali.io.refi_offsets``; it is worked out before the project is touched, so a
file kwali cannot reconcile changes nothing (``kwali.app.exchange`` writes the plan).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kwali.app.codebook_import import plan_codebook_merge
from kwali.app.codebook_report import MergeReport
from kwali.errors import InputError
from kwali.i18n import _, ngettext
from kwali.io.qdpx import (
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    read_qdpx,
)
from kwali.io.refi import is_kwali_origin
from kwali.io.refi_offsets import OffsetError, RawSelection, Reconciled, reconcile
from kwali.io.turns import detect_turns
from kwali.model import Codebook, Transcript

if TYPE_CHECKING:
    from kwali.store import Project

UNKNOWN_CODER = "unknown"  # coder of work whose User the file does not name
# Where a source's text came from when its selections can be checked against it: the plain
# text the other tool wrote (plainTextPath or PlainTextContent), whose offsets they count.
VERIFIABLE = ("plain", "content")

PlannedCoding = tuple[int, int, str, str, str, str]  # start, end, code key, coder, memo, created


@dataclass(frozen=True, slots=True)
class PlannedMemo:
    """A memo to write: on a planned coding, on the document, or on an uncoded span."""

    kind: Literal["coding", "document", "span"]
    text: str
    coder: str
    coding: int = -1  # kind "coding": its index in the source's planned codings
    span: tuple[int, int] = (0, 0)  # kind "span"
    created: str = ""  # when the other tool says it was written


@dataclass(frozen=True, slots=True)
class Skipped:
    """A source whose text could not be read."""

    source: RefiSource
    reason: str


@dataclass(frozen=True, slots=True)
class PlannedSource:
    """A source read and reconciled: its transcript and what to write on it."""

    source: RefiSource
    transcript: Transcript
    attributes: dict[str, str]
    codings: list[PlannedCoding]
    memos: list[PlannedMemo]
    placed: Reconciled
    issues: tuple[str, ...]
    refused: str = ""  # why the source's selections were left out, when they were
    left_out: tuple[str, ...] = ()  # codings left out after the codebook merge, and why


@dataclass
class Plan:
    """Everything to write, worked out before the project is touched."""

    refi: RefiProject
    coders: dict[str, str]  # user GUID → coder name
    docs: list[PlannedSource | Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The file's code keys -> the project's, after the codebook merge (None: the file's own).
    keys: dict[str, str] | None = None
    merge: MergeReport | None = None  # the codebook merge the keys come from

    def planned(self) -> list[PlannedSource]:
        return [doc for doc in self.docs if isinstance(doc, PlannedSource)]

    def project_key(self, file_key: str) -> str | None:
        """The project's code for a code of the file; None: the project deleted it."""
        return file_key if self.keys is None else self.keys.get(file_key)


def map_codes(plan: Plan, keys: Mapping[str, str]) -> Plan:
    """The plan with every coding on the project's code (``keys``: the codebook merge's).

    A coding of a code the merge gives no project key (the project deleted it and the import
    does not bring it back) is left out with its memos, said in one line per code on its
    source: never dropped silently, never put on a guessed code.
    """
    docs: list[PlannedSource | Skipped] = []
    for doc in plan.docs:
        if isinstance(doc, Skipped):
            docs.append(doc)
            continue
        codings: list[PlannedCoding] = []
        moved: dict[int, int] = {}  # old coding index -> new
        dropped: dict[str, list[int]] = {}  # file key -> codings, memos left out
        for index, (start, end, key, who, memo, created) in enumerate(doc.codings):
            now = keys.get(key)
            if now is None:
                counts = dropped.setdefault(key, [0, 0])
                counts[0] += 1
                counts[1] += bool(memo.strip())
                continue
            moved[index] = len(codings)
            codings.append((start, end, now, who, memo, created))
        memos: list[PlannedMemo] = []
        for planned in doc.memos:
            if planned.kind == "coding":
                if planned.coding not in moved:
                    dropped[doc.codings[planned.coding][2]][1] += 1
                    continue
                planned = replace(planned, coding=moved[planned.coding])
            memos.append(planned)
        left_out = tuple(_left_out(key, n, m) for key, (n, m) in dropped.items())
        docs.append(replace(doc, codings=codings, memos=memos, left_out=left_out))
    return Plan(plan.refi, plan.coders, docs, list(plan.warnings), dict(keys), plan.merge)


def _left_out(key: str, n: int, memos: int) -> str:
    what = ngettext("{n} codering van code {key!r}", "{n} coderingen van code {key!r}", n).format(
        n=n, key=key
    )
    if memos:
        what += " " + ngettext("(met {n} memo)", "(met {n} memo's)", memos).format(n=memos)
    return _(
        "{what} weggelaten: het project heeft die code verwijderd (--theirs zet hem terug)"
    ).format(what=what)


def _coder_names(refi: RefiProject) -> dict[str, str]:
    """One coder name per User: its name, else its id; made unique when two share one."""
    labels = [u.label for u in refi.users]
    names = {}
    for user in refi.users:
        label = user.label
        if labels.count(label) > 1:
            label = f"{label} ({user.id or user.guid[:8]})"
        names[user.guid] = label
    return names


def plan_exchange(project: Project, path: Path, *, theirs: bool = False) -> Plan:
    """Read and reconcile a .qdpx, merge its codes with the project's on paper (the codebook
    merge's rule) and put every coding on the project's code; nothing is written."""
    refi = read_qdpx(path)
    plan = make_plan(refi)
    if not refi.codes:
        return plan
    incoming = Codebook(name=refi.name, codes=refi.codes)
    plan.merge = plan_codebook_merge(project, incoming, source=Path(path).name, theirs=theirs)
    return map_codes(plan, plan.merge.keys)


def make_plan(refi: RefiProject) -> Plan:
    """Every source planned (or skipped), with its case and source attributes."""
    plan = Plan(refi, _coder_names(refi), warnings=list(refi.warnings))
    notes = {n.guid: n for n in refi.notes}
    variables = {v.guid: v.name or v.guid for v in refi.variables}
    case_values: dict[str, dict[str, str]] = {}
    names = {s.name: s.guid for s in refi.sources}
    for case in refi.cases:
        targets = case.sources or ((names[case.name],) if case.name in names else ())
        if not targets:
            plan.warnings.append(
                _("case {name!r} is aan geen tekstbron gekoppeld; weggelaten").format(
                    name=case.name or case.guid
                )
            )
        for guid in targets:
            for var, value in case.values:
                case_values.setdefault(guid, {})[variables.get(var, var)] = value
    for source in refi.sources:
        if source.skipped:
            plan.docs.append(Skipped(source, source.skipped))
            if source.selections or source.codings:
                plan.warnings.append(
                    ngettext(
                        "bron {name!r}: {n} selectie weggelaten, want {why}",
                        "bron {name!r}: {n} selecties weggelaten, want {why}",
                        len(source.selections),
                    ).format(name=source.name, n=len(source.selections), why=source.skipped)
                )
            continue
        attributes = {
            **case_values.get(source.guid, {}),
            **{variables.get(var, var): value for var, value in source.values},
        }
        plan.docs.append(_plan_source(plan, source, attributes, notes))
    return plan


def _memo_text(parts: Sequence[str]) -> str:
    seen: list[str] = []
    for part in parts:
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return "\n\n".join(seen)


def coder_for(plan: Plan, *guids: str) -> str:
    """The coder of the first User GUID the file names, else of the project's own User."""
    for guid in guids:
        if guid in plan.coders:
            return plan.coders[guid]
    return plan.coders.get(plan.refi.user, UNKNOWN_CODER)


def _plan_source(
    plan: Plan, source: RefiSource, attributes: dict[str, str], notes: dict[str, RefiNote]
) -> PlannedSource:
    refi, path = plan.refi, plan.refi.path
    raws = [RawSelection(s.start, s.end, hint=s.name, name=s.name) for s in source.selections]
    refused = ""
    if raws and source.text_from not in VERIFIABLE:
        # Text rebuilt from Word is not the text the other tool counted its offsets on, and
        # its selections often still "fit" it: placing them would be a guess, so they stay out.
        coded = sum(len(sel.codings) for sel in source.selections)
        what = "{selections} ({codings})".format(
            selections=ngettext("{n} selectie", "{n} selecties", len(raws)).format(n=len(raws)),
            codings=ngettext("{n} codering", "{n} coderingen", coded).format(n=coded),
        )
        refused = (
            _(
                "{what} weggelaten: het bestand heeft van deze bron geen platte tekst, alleen "
                "het Word-bestand, dus kwali kan niet nagaan waar ze horen"
            )
            if source.text_from == "docx"
            else _(
                "{what} weggelaten: het bestand heeft van deze bron geen platte tekst, alleen "
                "opgemaakte tekst, dus kwali kan niet nagaan waar ze horen"
            )
        ).format(what=what)
        placed = Reconciled("codepoints", ())
    else:
        try:
            placed = reconcile(source.text, source.removed_cr, raws, origin=refi.origin)
        except OffsetError as exc:
            raise InputError(
                _("bron {name!r}: {why}").format(name=source.name, why=exc), path=path
            ) from exc
    codings: list[PlannedCoding] = []
    memos: list[PlannedMemo] = []
    issues = [
        _("selectie {start}-{end}: {status}, {note}").format(
            start=p.raw_start, end=p.raw_end, status=p.status, note=p.note
        )
        for p in placed.issues
    ]
    spans = {
        p.index: (p.start, p.end)
        for p in placed.placed
        if p.start is not None and p.end is not None
    }
    for index, sel in enumerate(source.selections if placed.placed else ()):
        if index not in spans:
            continue
        start, end = spans[index]
        memo = _memo_text([sel.description, *(notes[g].text for g in sel.notes if g in notes)])
        if not sel.codings:  # an annotation: each note keeps its own author
            # kwali's own export copies the notes into the Description for other tools.
            own = is_kwali_origin(refi.origin) and bool(sel.notes)
            parts = [("" if own else sel.description, sel.user, sel.created)] + [
                (notes[g].text, notes[g].user, notes[g].created) for g in sel.notes if g in notes
            ]
            memos += [
                PlannedMemo("span", text, coder_for(plan, who), span=(start, end), created=at)
                for text, who, at in parts
                if text.strip()
            ]
            continue
        for coding in sel.codings:
            _plan_coding(plan, source, codings, memos, coding, (start, end), memo, sel, notes)
    for coding in source.codings:  # coded as a whole
        _plan_coding(plan, source, codings, memos, coding, (0, len(source.text)), "", None, notes)
    # QualCoder and ATLAS.ti keep the document memo here; kwali writes a copy of its Notes.
    if source.description.strip() and not is_kwali_origin(refi.origin):
        memos.append(PlannedMemo("document", source.description, coder_for(plan, source.user)))
    memos += [
        PlannedMemo(
            "document", notes[g].text, coder_for(plan, notes[g].user), created=notes[g].created
        )
        for g in source.notes
        if g in notes
    ]
    text = source.text
    transcript = Transcript(
        text=text,
        turns=detect_turns(text, paragraphs="block"),
        source_name=source.name,
        format="qdpx",
        encoding=source.encoding or None,
        removed_cr=source.removed_cr,
    )
    return PlannedSource(
        source, transcript, attributes, codings, memos, placed, tuple(issues), refused
    )


def _plan_coding(
    plan: Plan,
    source: RefiSource,
    codings: list[PlannedCoding],
    memos: list[PlannedMemo],
    coding: RefiCoding,
    span: tuple[int, int],
    memo: str,
    sel: RefiSelection | None,
    notes: dict[str, RefiNote],
) -> None:
    key = plan.refi.code_keys.get(coding.code_guid)
    if key is None:
        plan.warnings.append(
            _(
                "bron {name!r}: een codering verwijst naar een onbekende code {guid}; weggelaten"
            ).format(name=source.name, guid=coding.code_guid)
        )
        return
    who = coder_for(plan, coding.user, sel.user if sel else "", source.user)
    extra = [
        PlannedMemo(
            "coding",
            notes[g].text,
            coder_for(plan, notes[g].user, coding.user),
            coding=len(codings),
            created=notes[g].created,
        )
        for g in coding.notes
        if g in notes
    ]
    created = coding.created or (sel.created if sel else "")
    codings.append((span[0], span[1], key, who, memo, created))
    memos += extra


def general_memos(plan: Plan, warnings: list[str]) -> list[tuple[str, str, str, str]]:
    """The memos not on a source, as (kind, target, text, coder): the project's Description
    and notes, code notes (on the project's code; one warning for a code the project deleted),
    and notes nothing points at (kept as project memos)."""
    refi = plan.refi
    notes = {n.guid: n for n in refi.notes}
    linked = set(refi.project_notes) | {g for _unused, g in refi.code_notes}
    for source in refi.sources:
        linked |= set(source.notes)
        for sel in source.selections:
            linked |= set(sel.notes) | {g for c in sel.codings for g in c.notes}
        linked |= {g for c in source.codings for g in c.notes}
    out: list[tuple[str, str, str, str]] = []
    # The project memo of QualCoder and ATLAS.ti; from kwali, a copy of the Notes read below.
    if refi.description.strip() and not is_kwali_origin(refi.origin):
        out.append(("project", "", refi.description, coder_for(plan, refi.user)))
    for guid in refi.project_notes:
        if guid in notes:
            out.append(("project", "", notes[guid].text, coder_for(plan, notes[guid].user)))
    for code_guid, guid in refi.code_notes:
        file_key = refi.code_keys.get(code_guid)
        key = plan.project_key(file_key) if file_key else None
        if file_key and not key and guid in notes:
            warnings.append(
                _(
                    "een memo bij code {key!r} weggelaten: het project heeft die code verwijderd"
                ).format(key=file_key)
            )
        if key and guid in notes:
            out.append(("code", key, notes[guid].text, coder_for(plan, notes[guid].user)))
    for note in refi.notes:
        if note.guid not in linked:
            text = (
                f"{note.name}\n\n{note.text}"
                if note.name and note.name not in note.text
                else note.text
            )
            out.append(("project", "", text, coder_for(plan, note.user)))
    return out
