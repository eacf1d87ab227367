"""Import a REFI-QDA project (.qdpx) or codebook (.qdc) into a kwali project.

Everything is read and checked first (``kwali.app.exchange_plan``): texts, offsets
(``kwali.io.refi_offsets`` picks the reading and places every selection), codes, users.
Only then is the project changed, in one action (one transaction): a file kwali cannot
reconcile changes nothing.

Re-importing a document kwali already has (same text, so same content hash) does not add
it again: its codings, memos and missing attributes are *merged* into the existing
document. Identical codings (same span, code and coder) and identical memos are not
added twice, so importing the same .qdpx twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.app.exchange_plan import Plan, PlannedSource, Skipped, coder_for, make_plan
from kwali.app.storing import carried_segments, carried_transcript, store_transcript
from kwali.io.qdc import read_qdc
from kwali.io.qdpx import read_qdpx
from kwali.io.refi import is_kwali_origin
from kwali.model import Codebook, Document, Segment
from kwali.store import Project, Verb, content_hash

if TYPE_CHECKING:
    from spacy.language import Language


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
    reason: str = ""  # why it was skipped, or why its selections were left out


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
            if s.reason:  # selections refused: said on the source's own line
                line += f"; {s.reason}"
            elif s.selections:
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


def import_exchange(
    project: Project,
    path: Path,
    *,
    nlp: Language | None = None,
    model: str | None = None,
    coder: str = "kwali",
) -> ExchangeReport:
    """Import a .qdpx or .qdc; raises a KwaliError (project unchanged) when it cannot.

    Without ``nlp``, the pipeline (``model``) is loaded only when there is text to segment.
    """
    path = Path(path)
    if path.suffix.lower() == ".qdc":
        codebook = read_qdc(path)
        result = project.set_codebook(codebook, coder)
        return ExchangeReport(path, codes=len(codebook.codes), codes_added=result["added"])
    return import_qdpx(project, path, nlp=nlp, model=model, coder=coder)


def import_qdpx(
    project: Project,
    path: Path,
    *,
    nlp: Language | None = None,
    model: str | None = None,
    coder: str = "kwali",
) -> ExchangeReport:
    """Read, reconcile and check the whole file, then write it in one action."""
    refi = read_qdpx(path)
    plan = make_plan(refi)
    segments, segmenter = _segment(project, plan, nlp, model)
    with project.action(coder, Verb.IMPORT, path.name, undoable=False):
        return _write(project, plan, segments, segmenter, coder)


def _segment(
    project: Project, plan: Plan, nlp: Language | None, model: str | None
) -> tuple[list[list[Segment]], str]:
    """Segment the new texts in one stream, before the project is opened for writing."""
    jobs = plan.planned()
    hashes = [content_hash(d.transcript.text) for d in jobs]
    new = [i for i, h in enumerate(hashes) if project.find_document_by_hash(h) is None]
    # kwali's own export carries its turns and sentences: kept, so every reference stays.
    taken: set[str] = set()
    carried = {
        i: carried_segments(project, jobs[i].transcript.text, s, taken)
        for i in new
        if (s := jobs[i].source.segmentation)
    }
    new = [i for i in new if i not in carried]
    if not new:
        return [carried.get(i, []) for i in range(len(jobs))], ""
    from kwali.nlp import make_nlp, segment_many
    from kwali.nlp.pipeline import pipeline_name

    nlp = nlp or make_nlp(model)  # cached: loaded once per process
    made = segment_many(
        nlp,
        [(jobs[i].transcript.text, jobs[i].transcript.turns, 0, hashes[i][:12]) for i in new],
    )
    by_index = {**dict(zip(new, made, strict=True)), **carried}
    return [by_index.get(i, []) for i in range(len(jobs))], pipeline_name(nlp)


def _write(
    project: Project, plan: Plan, segments: list[list[Segment]], segmenter: str, coder: str
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
        if isinstance(doc, Skipped):
            reports.append(SourceReport(source.name, "skipped", reason=doc.reason))
            continue
        document, created = store_transcript(
            project,
            carried_transcript(doc.transcript, source.segmentation),
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
                doc.refused,
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
    doc: PlannedSource,
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


def _write_general_memos(project: Project, plan: Plan, coder: str) -> int:
    """The project's Description and notes, code notes, and notes nothing points at (kept as
    project memos)."""
    refi = plan.refi
    notes = {n.guid: n for n in refi.notes}
    linked = set(refi.project_notes) | {g for _, g in refi.code_notes}
    for source in refi.sources:
        linked |= set(source.notes)
        for sel in source.selections:
            linked |= set(sel.notes) | {g for c in sel.codings for g in c.notes}
        linked |= {g for c in source.codings for g in c.notes}
    count = 0
    # The project memo of QualCoder and ATLAS.ti; from kwali, a copy of the Notes read below.
    if refi.description.strip() and not is_kwali_origin(refi.origin):
        count += _memo(project, "project", "", refi.description, coder_for(plan, refi.user))
    for guid in refi.project_notes:
        if guid in notes:
            count += _memo(
                project, "project", "", notes[guid].text, coder_for(plan, notes[guid].user)
            )
    for code_guid, guid in refi.code_notes:
        key = refi.code_keys.get(code_guid)
        if key and guid in notes:
            count += _memo(
                project, "code", key, notes[guid].text, coder_for(plan, notes[guid].user)
            )
    for note in refi.notes:
        if note.guid not in linked:
            text = (
                f"{note.name}\n\n{note.text}"
                if note.name and note.name not in note.text
                else note.text
            )
            count += _memo(project, "project", "", text, coder_for(plan, note.user))
    return count
