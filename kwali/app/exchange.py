"""Import a REFI-QDA project (.qdpx) or codebook (.qdc) into a kwali project.

Everything is read and checked first (``kwali.app.exchange_plan``): texts, offsets
(``kwali.io.refi_offsets`` picks the reading and places every selection), codes, users.
Only then is the project changed, in one action (one transaction): a file kwali cannot
reconcile changes nothing.

Re-importing a document kwali already has (same text, so same content hash) does not add
it again: its codings, memos and missing attributes are *merged* into the existing
document. Identical codings (same span, code and coder) and identical memos are not
added twice, so importing the same .qdpx twice changes nothing the second time.

The file's codes are merged into the project's codebook by the codebook merge's one rule
(:mod:`kwali.app.codebook_merge`): a code the project has (by key, or by label) keeps what
the project edited unless ``theirs``, a field the file leaves empty never empties it, and the
file's codings land on the project's code. ``dry_run`` reads, plans and reports only
(:mod:`kwali.app.exchange_preview`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.app.codebook_import import merge_codebook
from kwali.app.exchange_attributes import apply_variable_types
from kwali.app.exchange_plan import (
    Plan,
    PlannedSource,
    Skipped,
    general_memos,
    plan_exchange,
)
from kwali.app.exchange_report import ExchangeReport, SourceReport
from kwali.app.exchange_sets import import_code_sets, with_sets
from kwali.app.saved_query_store import merge_queries
from kwali.app.storing import carried_segments, carried_transcript, store_transcript
from kwali.i18n import _
from kwali.io.qdc import read_qdc_contents
from kwali.model import Codebook, Document, Segment
from kwali.store import Project, Verb, content_hash

if TYPE_CHECKING:
    from spacy.language import Language


def import_exchange(
    project: Project,
    path: Path,
    *,
    nlp: Language | None = None,
    model: str | None = None,
    coder: str = "kwali",
    theirs: bool = False,
    dry_run: bool = False,
) -> ExchangeReport:
    """Import a .qdpx or .qdc; raises a KwaliError (project unchanged) when it cannot.

    Without ``nlp``, the pipeline (``model``) is loaded only when there is text to segment.
    ``theirs``: the file's version of a code wins where the project edited it (see
    :func:`~kwali.app.codebook_import.merge_codebook`). ``dry_run``: only the report.
    """
    path = Path(path)
    if path.suffix.lower() == ".qdc":
        contents = read_qdc_contents(path)
        codebook = contents.codebook
        merge = merge_codebook(
            project, codebook, source=path.name, coder=coder, theirs=theirs, dry_run=dry_run
        )
        said, left_out = (
            ("", ())
            if dry_run
            else import_code_sets(project, contents, merge.keys, coder, path.name)
        )
        return ExchangeReport(
            path,
            codes=len(codebook.codes),
            codes_added=merge.count("added"),
            merge=merge,
            codebook_only=True,
            dry_run=dry_run,
            warnings=left_out,  # of the code groups (Sets)
            groups=said,
        )
    if dry_run:
        from kwali.app.exchange_preview import preview_qdpx

        return preview_qdpx(project, path, theirs=theirs)
    return import_qdpx(project, path, nlp=nlp, model=model, coder=coder, theirs=theirs)


def import_qdpx(
    project: Project,
    path: Path,
    *,
    nlp: Language | None = None,
    model: str | None = None,
    coder: str = "kwali",
    theirs: bool = False,
) -> ExchangeReport:
    """Read, reconcile and check the whole file, then write it in one action."""
    plan = plan_exchange(project, path, theirs=theirs)
    segments, segmenter = _segment(project, plan, nlp, model)
    with project.action(coder, Verb.IMPORT, path.name, undoable=False):
        report = with_sets(_write(project, plan, segments, segmenter, coder), project, plan, coder)
        # kwali's own file carries its saved queries (kwali.io.qdpx_queries): merged by name
        _unused, kept = merge_queries(project, plan.refi.saved_queries, theirs=theirs)
        return replace(report, warnings=(*report.warnings, *kept)) if kept else report


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
    codes_added = _write_codes(project, plan, coder)
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
                doc.left_out,
            )
        )
    warnings += apply_variable_types(project, refi, coder)  # number and date attributes
    stats["memos"] += _write_general_memos(project, plan, coder, warnings)
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
        plan.merge,
    )


def _write_codes(project: Project, plan: Plan, coder: str) -> int:
    """The file's codes, as the merge decided (inside the import's action, so it joins it)."""
    refi, merge = plan.refi, plan.merge
    if merge is None:
        return 0
    current = project.codebook()
    if not len(current) and not merge.count("removed"):
        # Into an empty codebook it is a plain load in the file's order, as it always was.
        order = {c.key: i for i, c in enumerate(refi.codes)}
        codes = sorted(merge.added, key=lambda c: order.get(c.key, len(order)))
        book = Codebook(name=refi.name, codes=tuple(codes))
        project.set_codebook(book, coder)
    else:
        about = Codebook(name=refi.name, codes=refi.codes)
        project.import_codes(refi.path.name, merge.added, merge.changed, merge.base, coder, about)
    return len(merge.added)


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
                _("document {number}: {key}={mine!r} gehouden, het bestand zegt {value!r}").format(
                    number=document.number, key=key, mine=have, value=value
                )
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
    for start, end, key, who, memo, created in doc.codings:
        known = existing.get((start, end, key, who))
        if known is not None:
            stats["same"] += 1
            ids.append(known.id)
            continue
        coding = project.add_coding(document_id, start, end, key, who, memo=memo, created=created)
        existing[(start, end, key, who)] = coding
        ids.append(coding.id)
        stats["codings"] += 1
        used[who] = used.get(who, 0) + 1
    for planned in doc.memos:
        text, who, at = planned.text, planned.coder, planned.created
        if planned.kind == "coding":
            stats["memos"] += _memo(project, "coding", str(ids[planned.coding]), text, who, at)
        elif planned.kind == "document":
            stats["memos"] += _memo(project, "document", str(document_id), text, who, at)
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
                stats["memos"] += _memo(project, "segment", segment.id, text, who, at)
            else:
                stats["memos"] += _memo(project, "document", str(document_id), text, who, at)
    return len(ids)


def _memo(project: Project, kind: str, target: str, text: str, who: str, created: str = "") -> int:
    if not text.strip() or any(
        m.text == text and m.coder == who for m in project.memos(kind, target)
    ):
        return 0
    project.add_memo(kind, target, text, who, created=created)
    return 1


def _write_general_memos(project: Project, plan: Plan, coder: str, warnings: list[str]) -> int:
    """The project's Description and notes, code notes, and notes nothing points at (kept as
    project memos)."""
    return sum(_memo(project, *memo) for memo in general_memos(plan, warnings))
