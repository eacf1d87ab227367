"""Import a REFI-QDA project (.qdpx) or codebook (.qdc) into a kwali project.

Everything is read and checked first: texts, offsets (``kwali.io.refi_offsets`` picks the
reading and places every selection), codes, users. Only then is the project changed, in
one action (one transaction): a file kwali cannot reconcile changes nothing.

Re-importing a document kwali already has (same text, so same content hash) does not add
it again: its codings, memos and missing attributes are *merged* into the existing
document. Identical codings (same span, code and coder) and identical memos are not
added twice, so importing the same .qdpx twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kwali.app.storing import store_transcript
from kwali.errors import InputError
from kwali.io.qdc import read_qdc
from kwali.io.qdpx import RefiCoding, RefiNote, RefiProject, RefiSelection, RefiSource, read_qdpx
from kwali.io.refi_offsets import OffsetError, RawSelection, Reconciled, reconcile
from kwali.io.turns import detect_turns
from kwali.model import Codebook, Document, Segment, Transcript
from kwali.store import Project, Verb, content_hash

if TYPE_CHECKING:
    from spacy.language import Language

UNKNOWN_CODER = "unknown"


@dataclass(frozen=True, slots=True)
class SourceReport:
    """What happened to one source: its document, the offset reading and any drift."""

    name: str
    status: str  # "new", "existing" (merged into a document kwali had) or "skipped"
    document_number: int | None = None
    selections: int = 0
    codings: int = 0
    reading: str = ""
    reading_label: str = ""
    edge_fit: int = 0
    checked: int = 0  # selections whose line number or text in the file matched
    agreeing: tuple[str, ...] = ()  # other readings giving the very same offsets
    issues: tuple[str, ...] = ()
    reason: str = ""


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

    def lines(self) -> list[str]:
        """A short human summary, one fact per line (the CLI prints these)."""
        origin = f" (written by {self.origin})" if self.origin else ""
        out = [
            f"{self.path.name}{origin}: {self.documents} new documents"
            + (
                f", {self.existing_documents} already present (merged)"
                if self.existing_documents
                else ""
            )
            + f", {self.codes} codes ({self.codes_added} new), {self.codings} codings"
            + (f" ({self.codings_existing} already present)" if self.codings_existing else "")
            + f", {len(self.users)} users, {self.memos} memos, {self.attributes} attributes"
        ]
        if self.users:
            counts = dict(self.coders)
            out.append(
                "  users: " + ", ".join(f"{u} ({counts.get(u, 0)} codings)" for u in self.users)
            )
        for s in self.sources:
            if s.status == "skipped":
                out.append(f"  source {s.name!r}: skipped, {s.reason}")
                continue
            line = f"  source {s.name!r} → document {s.document_number}: {s.codings} codings"
            if s.selections:
                same = (
                    f", {len(s.agreeing)} other readings give the same offsets"
                    if s.agreeing
                    else ""
                )
                checked = f"; {s.checked} matched their line or text" if s.checked else ""
                line += (
                    f"; offsets read as {s.reading_label}{same}; {s.edge_fit} of {s.selections} "
                    f"selections on word edges{checked}; {len(s.issues)} drifted or dropped"
                )
            out.append(line)
            out += [f"    {issue}" for issue in s.issues[:20]]
            if len(s.issues) > 20:
                out.append(f"    … and {len(s.issues) - 20} more")
        return out


PlannedCoding = tuple[int, int, str, str, str]  # start, end, code key, coder, memo


@dataclass(frozen=True, slots=True)
class _PlannedMemo:
    """A memo to write: on a planned coding, on the document, or on an uncoded span."""

    kind: Literal["coding", "document", "span"]
    text: str
    coder: str
    coding: int = -1  # kind "coding": its index in the source's planned codings
    span: tuple[int, int] = (0, 0)  # kind "span"


@dataclass(frozen=True, slots=True)
class _Skipped:
    """A source whose text could not be read."""

    source: RefiSource
    reason: str


@dataclass(frozen=True, slots=True)
class _PlannedSource:
    """A source read and reconciled: its transcript and what to write on it."""

    source: RefiSource
    transcript: Transcript
    attributes: dict[str, str]
    codings: list[PlannedCoding]
    memos: list[_PlannedMemo]
    placed: Reconciled
    issues: tuple[str, ...]


@dataclass
class _Plan:
    """Everything to write, worked out before the project is touched."""

    refi: RefiProject
    coders: dict[str, str]  # user GUID → coder name
    docs: list[_PlannedSource | _Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def planned(self) -> list[_PlannedSource]:
        return [doc for doc in self.docs if isinstance(doc, _PlannedSource)]


def import_exchange(
    project: Project, path: Path, *, nlp: Language | None = None, coder: str = "kwali"
) -> ExchangeReport:
    """Import a .qdpx or .qdc; raises a KwaliError (project unchanged) when it cannot."""
    path = Path(path)
    if path.suffix.lower() == ".qdc":
        codebook = read_qdc(path)
        result = project.set_codebook(codebook, coder)
        return ExchangeReport(path, codes=len(codebook.codes), codes_added=result["added"])
    return import_qdpx(project, path, nlp=nlp, coder=coder)


def import_qdpx(
    project: Project, path: Path, *, nlp: Language | None = None, coder: str = "kwali"
) -> ExchangeReport:
    """Read, reconcile and check the whole file, then write it in one action."""
    refi = read_qdpx(path)
    plan = _plan(refi)
    segments, segmenter = _segment(project, plan, nlp)
    with project.action(coder, Verb.IMPORT, path.name, undoable=False):
        return _write(project, plan, segments, segmenter, coder)


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


def _plan(refi: RefiProject) -> _Plan:
    plan = _Plan(refi, _coder_names(refi), warnings=list(refi.warnings))
    notes = {n.guid: n for n in refi.notes}
    variables = {v.guid: v.name or v.guid for v in refi.variables}
    case_values: dict[str, dict[str, str]] = {}
    names = {s.name: s.guid for s in refi.sources}
    for case in refi.cases:
        targets = case.sources or ((names[case.name],) if case.name in names else ())
        if not targets:
            plan.warnings.append(
                f"case {case.name or case.guid!r} is linked to no text source; left out"
            )
        for guid in targets:
            for var, value in case.values:
                case_values.setdefault(guid, {})[variables.get(var, var)] = value
    for source in refi.sources:
        if source.skipped:
            plan.docs.append(_Skipped(source, source.skipped))
            if source.selections or source.codings:
                plan.warnings.append(
                    f"source {source.name!r}: {len(source.selections)} selections "
                    f"dropped because {source.skipped}"
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


def _coder(plan: _Plan, *guids: str) -> str:
    for guid in guids:
        if guid in plan.coders:
            return plan.coders[guid]
    return plan.coders.get(plan.refi.user, UNKNOWN_CODER)


def _plan_source(
    plan: _Plan, source: RefiSource, attributes: dict[str, str], notes: dict[str, RefiNote]
) -> _PlannedSource:
    refi, path = plan.refi, plan.refi.path
    raws = [RawSelection(s.start, s.end, hint=s.name, name=s.name) for s in source.selections]
    try:
        placed = reconcile(source.text, source.removed_cr, raws, origin=refi.origin)
    except OffsetError as exc:
        if source.text_from != "docx":
            raise InputError(f"source {source.name!r}: {exc}", path=path) from exc
        # Text rebuilt from Word may differ from the tool's own plain text: keep the document.
        plan.warnings.append(
            f"source {source.name!r}: selections dropped, the Word text does not fit them ({exc})"
        )
        placed = Reconciled("codepoints", ())
    codings: list[PlannedCoding] = []
    memos: list[_PlannedMemo] = []
    issues = [f"selection {p.raw_start}-{p.raw_end}: {p.status}, {p.note}" for p in placed.issues]
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
            parts = [(sel.description, sel.user)] + [
                (notes[g].text, notes[g].user) for g in sel.notes if g in notes
            ]
            memos += [
                _PlannedMemo("span", text, _coder(plan, who), span=(start, end))
                for text, who in parts
                if text.strip()
            ]
            continue
        for coding in sel.codings:
            _plan_coding(plan, source, codings, memos, coding, (start, end), memo, sel, notes)
    for coding in source.codings:  # coded as a whole
        _plan_coding(plan, source, codings, memos, coding, (0, len(source.text)), "", None, notes)
    memos += [
        _PlannedMemo("document", notes[g].text, _coder(plan, notes[g].user))
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
    return _PlannedSource(source, transcript, attributes, codings, memos, placed, tuple(issues))


def _plan_coding(
    plan: _Plan,
    source: RefiSource,
    codings: list[PlannedCoding],
    memos: list[_PlannedMemo],
    coding: RefiCoding,
    span: tuple[int, int],
    memo: str,
    sel: RefiSelection | None,
    notes: dict[str, RefiNote],
) -> None:
    key = plan.refi.code_keys.get(coding.code_guid)
    if key is None:
        plan.warnings.append(
            f"source {source.name!r}: a coding refers to an unknown code "
            f"{coding.code_guid}; left out"
        )
        return
    who = _coder(plan, coding.user, sel.user if sel else "", source.user)
    extra = [
        _PlannedMemo(
            "coding", notes[g].text, _coder(plan, notes[g].user, coding.user), coding=len(codings)
        )
        for g in coding.notes
        if g in notes
    ]
    codings.append((span[0], span[1], key, who, memo))
    memos += extra


def _segment(
    project: Project, plan: _Plan, nlp: Language | None
) -> tuple[list[list[Segment]], str]:
    """Segment the new texts in one stream, before the project is opened for writing."""
    jobs = plan.planned()
    hashes = [content_hash(d.transcript.text) for d in jobs]
    new = [i for i, h in enumerate(hashes) if project.find_document_by_hash(h) is None]
    if not new:
        return [[] for _ in jobs], ""
    from kwali.nlp import make_nlp, segment_many
    from kwali.nlp.pipeline import pipeline_name

    nlp = nlp or make_nlp()
    made = segment_many(
        nlp,
        [(jobs[i].transcript.text, jobs[i].transcript.turns, 0, hashes[i][:12]) for i in new],
    )
    by_index = dict(zip(new, made, strict=True))
    return [by_index.get(i, []) for i in range(len(jobs))], pipeline_name(nlp)


def _write(
    project: Project, plan: _Plan, segments: list[list[Segment]], segmenter: str, coder: str
) -> ExchangeReport:
    refi = plan.refi
    warnings = list(plan.warnings)
    codes_added = 0
    if refi.codes:
        current = project.codebook()
        book = Codebook(
            name=current.name or refi.name,
            codes=refi.codes,
            version=current.version,
            description=current.description,
        )
        codes_added = project.set_codebook(book, coder)["added"]
    stats = {"new": 0, "existing": 0, "codings": 0, "same": 0, "memos": 0, "attributes": 0}
    used: dict[str, int] = {}
    reports: list[SourceReport] = []
    jobs = iter(segments)
    for doc in plan.docs:
        source = doc.source
        if isinstance(doc, _Skipped):
            reports.append(SourceReport(source.name, "skipped", reason=doc.reason))
            continue
        document, created = store_transcript(
            project,
            doc.transcript,
            next(jobs),
            segmenter=segmenter,
            name=source.name,
            attributes=doc.attributes,
            coder=coder,
        )
        stats["new" if created else "existing"] += 1
        if created:
            stats["attributes"] += len(doc.attributes)
        else:
            stats["attributes"] += _merge_attributes(
                project, document, doc.attributes, coder, warnings
            )
        n = _write_codings(project, document.id, doc, stats, used)
        placed = doc.placed
        reports.append(
            SourceReport(
                source.name,
                "new" if created else "existing",
                document.number,
                len(source.selections),
                n,
                placed.reading,
                placed.label,
                placed.edge_fit,
                placed.checked,
                placed.agreeing,
                doc.issues,
            )
        )
    stats["memos"] += _write_general_memos(project, plan, coder)
    return ExchangeReport(
        refi.path,
        refi.origin,
        stats["new"],
        stats["existing"],
        len(refi.codes),
        codes_added,
        stats["codings"],
        stats["same"],
        tuple(plan.coders.values()),
        tuple(sorted(used.items())),
        stats["memos"],
        stats["attributes"],
        tuple(reports),
        tuple(warnings),
    )


def _merge_attributes(
    project: Project,
    document: Document,
    values: dict[str, str],
    coder: str,
    warnings: list[str],
) -> int:
    added = 0
    for key, value in sorted(values.items()):
        have = document.attributes.get(key)
        if have is None:
            project.set_attribute(document.id, key, value, coder)
            added += 1
        elif have != value:
            warnings.append(
                f"document {document.number}: kept {key}={have!r}, the file says {value!r}"
            )
    return added


def _write_codings(
    project: Project,
    document_id: int,
    doc: _PlannedSource,
    stats: dict[str, int],
    used: dict[str, int],
) -> int:
    existing = {
        (c.start, c.end, c.code_key, c.coder): c for c in project.codings(document_id=document_id)
    }
    ids: list[int] = []
    for start, end, key, who, memo in doc.codings:
        known = existing.get((start, end, key, who))
        if known is not None:
            stats["same"] += 1
            ids.append(known.id)
            continue
        coding = project.add_coding(document_id, start, end, key, who, memo=memo)
        existing[(start, end, key, who)] = coding
        ids.append(coding.id)
        stats["codings"] += 1
        used[who] = used.get(who, 0) + 1
    for planned in doc.memos:
        text, who = planned.text, planned.coder
        if planned.kind == "coding":
            stats["memos"] += _memo(project, "coding", str(ids[planned.coding]), text, who)
        elif planned.kind == "document":
            stats["memos"] += _memo(project, "document", str(document_id), text, who)
        else:  # a note on an uncoded span: on its sentence when it is one, else the document
            # A one-sentence turn has the span of its sentence: the sentence is what people annotate.
            segment = next(
                (
                    s
                    for kind in ("sentence", "turn")
                    for s in project.segments(document_id, kind=kind)
                    if (s.start, s.end) == planned.span
                ),
                None,
            )
            if segment is not None:
                stats["memos"] += _memo(project, "segment", segment.id, text, who)
            else:
                stats["memos"] += _memo(project, "document", str(document_id), text, who)
    return len(ids)


def _memo(project: Project, kind: str, target: str, text: str, who: str) -> int:
    if not text.strip() or any(
        m.text == text and m.coder == who for m in project.memos(kind, target)
    ):
        return 0
    project.add_memo(kind, target, text, who)
    return 1


def _write_general_memos(project: Project, plan: _Plan, coder: str) -> int:
    """Project notes, code notes, and notes nothing points at (kept as project memos)."""
    refi = plan.refi
    notes = {n.guid: n for n in refi.notes}
    linked = set(refi.project_notes) | {g for _, g in refi.code_notes}
    for source in refi.sources:
        linked |= set(source.notes)
        for sel in source.selections:
            linked |= set(sel.notes) | {g for c in sel.codings for g in c.notes}
        linked |= {g for c in source.codings for g in c.notes}
    count = 0
    for guid in refi.project_notes:
        if guid in notes:
            count += _memo(project, "project", "", notes[guid].text, _coder(plan, notes[guid].user))
    for code_guid, guid in refi.code_notes:
        key = refi.code_keys.get(code_guid)
        if key and guid in notes:
            count += _memo(project, "code", key, notes[guid].text, _coder(plan, notes[guid].user))
    for note in refi.notes:
        if note.guid not in linked:
            text = (
                f"{note.name}\n\n{note.text}"
                if note.name and note.name not in note.text
                else note.text
            )
            count += _memo(project, "project", "", text, _coder(plan, note.user))
    return count
