"""What importing a .qdpx would do, worked out without changing the project (``kwali import
--dry-run FILE.qdpx``): the same plan and codebook merge the import writes
(:func:`kwali.app.exchange.plan_exchange`), counted against what the project already has.

No text is segmented (spaCy is not loaded), no backup is made and no action is recorded; the
project may be opened read-only. A memo on an uncoded span of a new document is counted as a
new memo (where it lands, sentence or document, needs the segmentation).
"""

from __future__ import annotations

from pathlib import Path

from kwali.app.exchange_plan import PlannedSource, Skipped, general_memos, plan_exchange
from kwali.app.exchange_report import ExchangeReport, SourceReport
from kwali.app.exchange_sets import preview_sets
from kwali.i18n import _
from kwali.store import Project, content_hash


def preview_qdpx(project: Project, path: Path, *, theirs: bool = False) -> ExchangeReport:
    """The import's report for ``path``, with ``dry_run`` set; nothing is written."""
    plan = plan_exchange(project, Path(path), theirs=theirs)
    warnings = list(plan.warnings)
    stats = {"new": 0, "existing": 0, "codings": 0, "same": 0, "memos": 0, "attributes": 0}
    used: dict[str, int] = {}
    reports: list[SourceReport] = []
    seen: dict[str, int | None] = {}  # content hash -> document number, within this file
    for doc in plan.docs:
        if isinstance(doc, Skipped):
            reports.append(SourceReport(doc.source.name, "skipped", reason=doc.reason))
            continue
        reports.append(_source(project, doc, stats, used, warnings, seen))
    stats["memos"] += sum(
        _is_new(project, (kind, target), text, who)
        for kind, target, text, who in general_memos(plan, warnings)
    )
    refi = plan.refi
    report = ExchangeReport(
        refi.path,
        refi.origin,
        stats["new"],
        stats["existing"],
        len(refi.codes),
        plan.merge.count("added") if plan.merge else 0,
        stats["codings"],
        stats["same"],
        tuple(plan.coders.values()),
        tuple(sorted(used.items())),
        stats["memos"],
        stats["attributes"],
        tuple(reports),
        tuple(warnings),
        plan.merge,
        dry_run=True,
    )
    return preview_sets(report, project, plan)  # the file's Sets and Links


def _source(
    project: Project,
    doc: PlannedSource,
    stats: dict[str, int],
    used: dict[str, int],
    warnings: list[str],
    seen: dict[str, int | None],
) -> SourceReport:
    sha = content_hash(doc.transcript.text)
    document = project.find_document_by_hash(sha)
    number = document.number if document is not None else seen.get(sha)
    if document is None and sha not in seen:
        stats["new"] += 1
        stats["attributes"] += len(doc.attributes)
        seen[sha] = None
    else:
        stats["existing"] += 1
    have: dict[tuple[int, int, str, str], int] = {}
    if document is not None:
        have = {
            (c.start, c.end, c.code_key, c.coder): c.id
            for c in project.codings(document_id=document.id)
        }
        for key, value in sorted(doc.attributes.items()):
            mine = document.attributes.get(key)
            if mine is None:
                stats["attributes"] += 1
            elif mine != value:
                warnings.append(
                    _(
                        "document {number}: zou {key}={mine!r} houden, het bestand zegt {value!r}"
                    ).format(number=document.number, key=key, mine=mine, value=value)
                )
    ids: list[int | None] = []
    planned: set[tuple[int, int, str, str]] = set()
    for start, end, key, who, _memo, _created in doc.codings:
        span = (start, end, key, who)
        if span in have or span in planned:
            stats["same"] += 1
        else:
            stats["codings"] += 1
            used[who] = used.get(who, 0) + 1
            planned.add(span)
        ids.append(have.get(span))
    for memo in doc.memos:
        target: tuple[str, str] | None = None
        if memo.kind == "coding":
            coding = ids[memo.coding]
            target = ("coding", str(coding)) if coding is not None else None
        elif memo.kind == "document" and document is not None:
            target = ("document", str(document.id))
        stats["memos"] += _is_new(project, target, memo.text, memo.coder)
    placed = doc.placed
    return SourceReport(
        doc.source.name,
        "existing" if document is not None else "new",
        number,
        len(doc.source.selections),
        len(doc.codings),
        placed.reading,
        placed.label,
        placed.edge_fit,
        placed.checked,
        placed.agreeing,
        doc.issues,
        doc.refused,
        doc.left_out,
    )


def _is_new(project: Project, target: tuple[str, str] | None, text: str, who: str) -> int:
    """1 when the import would write this memo (``target`` None: on something new)."""
    if not text.strip():
        return 0
    if target is None:
        return 1
    return int(not any(m.text == text and m.coder == who for m in project.memos(*target)))
