"""Replace a coded transcript by a corrected version without losing a coding.

The new file is read like ``kwali import`` reads it (same formats, same refusals) and
segmented with the project's segmenter. Old and new text are aligned
(:mod:`kwali.app.aligning`) and every coding (of every coder, confirmed or rejected), every
memo on a sentence and every reviewed suggestion is carried over:

- exact: its text is there, unchanged; a sentence whose text and bounds are unchanged keeps
  its id, so whatever points at it still does;
- moved: its text changed but most of it aligns: it moves to the aligned span and is flagged
  (``kwali documents review`` lists it) until a coder checks it;
- not placed: its text is gone: it waits, with its old text, until a coder places it again
  (``kwali documents place``); it is never dropped, and no export sees it meanwhile.

Unreviewed suggestions on changed sentences are dropped: they are machine output, made again
by the next ``kwali suggest``. A link between quotations follows its ends like a coding; a
link one of whose ends is gone goes (it cannot wait without its end), listed in the report,
and undo brings it back. The replace is one undoable action, after a rolling backup.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.app.aligning import Alignment, Placement, align
from kwali.app.backups import rolling_backup
from kwali.app.replace_review import References
from kwali.errors import InputError
from kwali.i18n import _
from kwali.io import read_transcript
from kwali.model import Document, Segment, Transcript
from kwali.nlp import make_nlp, segment_many
from kwali.nlp.pipeline import pipeline_name
from kwali.store import Project, content_hash
from kwali.store.replacing import NewText, Replacement, Unplace

if TYPE_CHECKING:
    from spacy.language import Language

PLACEMENTS = ("exact", "moved", "gone")


@dataclass(frozen=True, slots=True)
class Carried:
    """One coding or memo, and where the replace puts it."""

    kind: str  # "coding", "memo" or "link"
    id: int
    placement: str  # "exact", "moved" or "gone" (not placed)
    reference: str  # where it was: "3:12.4"
    old_text: str
    new_text: str = ""
    code_key: str = ""
    coder: str = ""


@dataclass(frozen=True, slots=True)
class ReplaceReport:
    """What a replace does (or, with ``dry_run``, would do)."""

    document: Document
    file_name: str
    dry_run: bool
    carried: tuple[Carried, ...]
    sentences_before: int
    sentences_after: int
    sentences_kept: int  # same text and bounds: the same id
    reviews_kept: int
    reviews_dropped: int
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def count(self, kind: str, placement: str) -> int:
        return sum(1 for c in self.carried if c.kind == kind and c.placement == placement)

    def listed(self) -> list[Carried]:
        """What a coder has to look at: moved and not placed, codings first, in text order."""
        return [c for c in self.carried if c.placement != "exact"]


def _new_ids(
    alignment: Alignment, old: Sequence[Segment], new: Sequence[Segment], taken: set[str]
) -> tuple[list[Segment], int]:
    """The new segments with their ids: an unchanged one (same text, aligned, same bounds)
    keeps its old id; the others get ids no row refers to. Also how many kept theirs."""
    by_place: dict[tuple[str, int, int], str] = {}
    for segment in old:
        placement = alignment.place(segment.start, segment.end)
        if placement.kind == "exact":
            by_place.setdefault((segment.kind, placement.start, placement.end), segment.id)
    result, kept, used = [], 0, set()
    for segment in new:
        old_id = by_place.get((segment.kind, segment.start, segment.end))
        if old_id is not None and old_id not in used:
            used.add(old_id)
            kept += segment.kind == "sentence"
            result.append(_with_id(segment, old_id))
            continue
        candidate, n = segment.id, 1
        while candidate in taken or candidate in used:
            n += 1
            candidate = f"{segment.id}-{n}"
        used.add(candidate)
        result.append(_with_id(segment, candidate))
    return result, kept


def _with_id(segment: Segment, segment_id: str) -> Segment:
    return replace(segment, id=segment_id)


def _landing(placement: Placement, segments: Sequence[Segment], kind: str) -> Segment | None:
    """The new segment of ``kind`` that overlaps a placed span most."""
    best, most = None, 0
    for segment in segments:
        if segment.kind != kind:
            continue
        overlap = min(segment.end, placement.end) - max(segment.start, placement.start)
        if overlap > most:
            best, most = segment, overlap
    return best


def read_new_text(
    project: Project, document: Document, path: Path, encoding: str | None = None
) -> Transcript:
    """Read NEWFILE as ``kwali import`` does; refuse one whose text another document has."""
    transcript = read_transcript(path, encoding=encoding)
    other = project.find_document_by_hash(content_hash(transcript.text))
    if other is not None and other.id != document.id:
        raise InputError(
            _("heeft dezelfde tekst als document {number} ({name}); er is niets veranderd").format(
                number=other.number, name=other.name
            ),
            path=path,
        )
    return transcript


def plan_replacement(
    project: Project, document: Document, transcript: Transcript, nlp: Language
) -> tuple[Replacement, ReplaceReport]:
    """What replacing ``document``'s text by ``transcript`` changes, and the report of it."""
    uid = content_hash(transcript.text)[:12]
    fresh = segment_many(nlp, [(transcript.text, transcript.turns, document.id, uid)])[0]
    alignment = align(document.text, transcript.text)
    old_segments = project.segments(document.id, kind=None)
    taken = project.segment_ids_in_use()
    new_segments, kept = _new_ids(alignment, old_segments, fresh, taken)
    kept_ids = {s.id for s in new_segments} & {s.id for s in old_segments}
    new_by_id = {s.id: s for s in new_segments}
    reference = References(document.number, old_segments)
    text, new_text = document.text, transcript.text
    carried: list[Carried] = []

    codings: dict[int, tuple[int, int, str | None]] = {}
    unplaced_codings: dict[int, Unplace] = {}
    flagged = {c.id: moved_from for c, moved_from in project.moved_codings(document.id)}
    for coding in project.codings(document_id=document.id, status=None):
        old = text[coding.start : coding.end]
        where = reference(coding.start)
        placement = alignment.place(coding.start, coding.end)
        if placement.kind == "gone":
            unplaced_codings[coding.id] = Unplace(old, where)
        else:
            moved_from = (flagged.get(coding.id) or old) if placement.kind == "moved" else None
            codings[coding.id] = (placement.start, placement.end, moved_from)
        carried.append(
            Carried(
                "coding",
                coding.id,
                placement.kind,
                where,
                old,
                new_text[placement.start : placement.end],
                coding.code_key,
                coding.coder,
            )
        )

    memos: dict[int, tuple[str, str | None]] = {}
    unplaced_memos: dict[int, Unplace] = {}
    old_by_id = {s.id: s for s in old_segments}
    moved_memos = {m.id: moved_from for m, moved_from in project.moved_memos()}
    for memo in project.memos("segment"):
        segment = old_by_id.get(memo.target_id)
        if segment is None:
            continue
        where = segment.reference(document.number)
        if segment.id in kept_ids:
            carried.append(Carried("memo", memo.id, "exact", where, segment.text, segment.text))
            continue
        placement = alignment.place(segment.start, segment.end)
        landing = (
            None if placement.kind == "gone" else _landing(placement, new_segments, segment.kind)
        )
        if landing is None:
            unplaced_memos[memo.id] = Unplace(segment.text, where)
            carried.append(Carried("memo", memo.id, "gone", where, segment.text, coder=memo.coder))
        else:
            memos[memo.id] = (landing.id, moved_memos.get(memo.id) or segment.text)
            carried.append(
                Carried(
                    "memo", memo.id, "moved", where, segment.text, landing.text, coder=memo.coder
                )
            )
    for coding_id, unplace in unplaced_codings.items():
        for memo in project.memos("coding", str(coding_id)):
            unplaced_memos[memo.id] = unplace  # it waits with its coding

    links, drop_links = _links(project, document, alignment, reference, carried)
    suggestions, drop, reviews_kept, reviews_dropped = _suggestions(
        project, document, alignment, old_by_id, new_segments, kept_ids, new_by_id
    )
    new = NewText(
        text=transcript.text,
        source_name=transcript.source_name,
        format=transcript.format,
        encoding=transcript.encoding,
        removed_cr=transcript.removed_cr,
        segmenter=pipeline_name(nlp),
        turns=transcript.turns,
        segments=new_segments,
    )
    plan = Replacement(
        document.id,
        transcript.source_name,
        new,
        codings=codings,
        unplaced_codings=unplaced_codings,
        memos=memos,
        unplaced_memos=unplaced_memos,
        suggestions=suggestions,
        drop_suggestions=drop,
        links=links,
        drop_links=drop_links,
    )
    report = ReplaceReport(
        document=document,
        file_name=transcript.source_name,
        dry_run=True,
        carried=tuple(carried),
        sentences_before=sum(1 for s in old_segments if s.kind == "sentence"),
        sentences_after=sum(1 for s in new_segments if s.kind == "sentence"),
        sentences_kept=kept,
        reviews_kept=reviews_kept,
        reviews_dropped=reviews_dropped,
        warnings=transcript.warnings,
    )
    return plan, report


def _links(
    project: Project,
    document: Document,
    alignment: Alignment,
    reference: References,
    carried: list[Carried],
) -> tuple[dict[int, dict[str, int]], list[int]]:
    """New ends of the links that touch the document; those with an end whose text is gone."""
    moves: dict[int, dict[str, int]] = {}
    drop: list[int] = []
    for link in project.links(document.id):
        ends, placements = {}, []
        for side, (document_id, start, end) in (("origin", link.origin), ("target", link.target)):
            if document_id != document.id:
                continue
            placement = alignment.place(start, end)
            placements.append((placement, start, end))
            ends[f"{side}_start"], ends[f"{side}_end"] = placement.start, placement.end
        kind = max((p.kind for p, _unused, _unused in placements), key=PLACEMENTS.index)
        start, end = next((s, e) for p, s, e in placements if p.kind == kind)
        old = document.text[start:end]
        label = link.name or _("link")
        carried.append(Carried("link", link.id, kind, reference(start), old, "", label, link.coder))
        if kind == "gone":
            drop.append(link.id)
        else:
            moves[link.id] = ends
    return moves, drop


def _suggestions(
    project: Project,
    document: Document,
    alignment: Alignment,
    old_by_id: dict[str, Segment],
    new_segments: Sequence[Segment],
    kept_ids: set[str],
    new_by_id: dict[str, Segment],
) -> tuple[dict[int, tuple[str, int, int, str]], list[int], int, int]:
    """Suggestions on unchanged sentences stay; reviewed ones follow a changed sentence; the
    rest go (the next ``kwali suggest`` makes them again for the new text)."""
    reviews = project.suggestion_reviews_of(document.id)
    keep: dict[int, tuple[str, int, int, str]] = {}
    drop: list[int] = []
    used: set[tuple[str, str, str]] = set()
    kept_reviews = dropped_reviews = 0
    for suggestion in project.suggestions(document_id=document.id):
        assert suggestion.id is not None
        old = old_by_id.get(suggestion.segment_id)
        landing: Segment | None = None
        if old is not None and suggestion.segment_id in kept_ids:
            landing = new_by_id[suggestion.segment_id]
        elif old is not None and suggestion.id in reviews:
            placement = alignment.place(old.start, old.end)
            if placement.kind != "gone":
                landing = _landing(placement, new_segments, old.kind)
        key = (landing.id if landing else "", suggestion.code_key, suggestion.suggester)
        if landing is None or key in used:
            drop.append(suggestion.id)
            dropped_reviews += reviews.get(suggestion.id, 0)
            continue
        used.add(key)
        kept_reviews += reviews.get(suggestion.id, 0)
        evidence = []
        for e in suggestion.evidence:
            placed = alignment.place(e.start, e.end)
            if placed.kind != "gone":
                text = alignment.new[placed.start : placed.end]
                evidence.append(
                    {
                        "start": placed.start,
                        "end": placed.end,
                        "text": text,
                        "rule": e.rule,
                        "weight": e.weight,
                    }
                )
        shift = landing.start - old.start if old is not None else 0
        same = landing.id == suggestion.segment_id
        start = suggestion.start + shift if same else landing.start
        end = suggestion.end + shift if same else landing.end
        keep[suggestion.id] = (landing.id, start, end, json.dumps(evidence, ensure_ascii=False))
    return keep, drop, kept_reviews, dropped_reviews


def replace_document(
    project: Project,
    ref: str,
    path: Path,
    *,
    coder: str = "kwali",
    dry_run: bool = False,
    encoding: str | None = None,
    model: str | None = None,
    nlp: Language | None = None,
) -> ReplaceReport:
    """Replace the text of document ``ref`` by the transcript in ``path`` (see the module).

    Bad input (an unknown document, a file that cannot be read as a transcript, a text
    another document has) raises a one-line :class:`~kwali.errors.KwaliError`, nothing changed.
    """
    document = project.find_document(ref)
    transcript = read_new_text(project, document, Path(path), encoding)
    plan, report = plan_replacement(project, document, transcript, nlp or make_nlp(model))
    if dry_run:
        return report
    rolling_backup(project, "replace")
    project.replace_document_text(plan, coder)
    return replace(report, dry_run=False)
