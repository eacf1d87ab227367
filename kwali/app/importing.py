"""Import transcript files into a project: read, segment, store — one file, one transaction."""

from __future__ import annotations

import csv
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.app.backups import rolling_backup
from kwali.app.batching import stored_in_batches
from kwali.app.exchange import ExchangeReport, import_exchange
from kwali.app.finding import EXCHANGE_SUFFIXES
from kwali.app.parallel import in_order, workers_for
from kwali.app.storing import next_document_id, store_transcript
from kwali.errors import InputError, KwaliError
from kwali.i18n import _
from kwali.io import read_transcript
from kwali.model import Document, Segment, Transcript, Turn
from kwali.store import Project, content_hash

if TYPE_CHECKING:
    from spacy.language import Language

    from kwali.nlp.segment import SentenceBounds


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What happened to one file."""

    path: Path
    document: Document | None = None
    created: bool = False
    error: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)
    report: ExchangeReport | None = None  # for a REFI-QDA .qdpx/.qdc
    # attributes from the attribute table newly set on a document already in the project
    attributes_updated: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.error


def read_attribute_table(path: Path) -> dict[str, dict[str, str]]:
    """A CSV with a ``file`` column and one column per attribute → {file name: attributes}."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(
            _("is niet te lezen als CSV-tabel met kenmerken ({why})").format(why=exc), path=path
        ) from exc
    if not rows or "file" not in rows[0]:
        raise InputError(_("heeft een kolom 'file' nodig die elk transcript noemt"), path=path)
    return {
        row["file"].strip(): {
            k.strip(): (v or "").strip() for k, v in row.items() if k and k != "file" and v
        }
        for row in rows
        if row.get("file")
    }


def unknown_in_table(table: Mapping[str, Mapping[str, str]], paths: Sequence[Path]) -> list[str]:
    """The file names in an attribute table that name none of ``paths`` (in table order)."""
    names = {path.name for path in paths}
    return [name for name in table if name not in names]


def import_files(
    project: Project,
    paths: Sequence[Path],
    *,
    attributes: Mapping[str, str] | None = None,
    attribute_table: Mapping[str, Mapping[str, str]] | None = None,
    encoding: str | None = None,
    model: str | None = None,
    coder: str = "kwali",
    progress: Callable[[ImportResult], None] | None = None,
    theirs: bool = False,
    workers: int | None = None,
) -> list[ImportResult]:
    """Import each file on its own, so one bad file never undoes the others.

    Files are read and segmented on ``workers`` processes (default: every core, from
    :data:`kwali.app.parallel.POOL_FROM` files on) and stored by this one, in order; the
    result is the same with one.

    A rolling backup is taken first (see :mod:`kwali.app.backups`); when it cannot be, nothing
    is imported. ``theirs``: a .qdpx/.qdc's codes win over the project's edits (the merge's).
    """
    rolling_backup(project, "import")
    results: list[ImportResult] = []
    batch: list[Path] = []
    waiting = [0]  # documents segmented and not stored yet: the next id is further on

    def prepared() -> Iterator[_Prepared | ImportResult]:
        """Each file of ``batch`` read and segmented (outside any transaction), on every
        core for a long batch; stored here, in order."""
        known = project.document_hashes()

        def task(path: Path) -> _Read | ImportResult:
            return _read(path, encoding, model, known)

        for read in in_order(task, batch, workers_for(len(batch), workers)):
            if isinstance(read, ImportResult):
                yield read
                continue
            ready = _prepared(project, read, waiting[0])
            waiting[0] += ready.segments is not None
            yield ready

    def store(item: _Prepared | ImportResult) -> ImportResult:
        if isinstance(item, ImportResult):
            return item
        waiting[0] = max(0, waiting[0] - (item.segments is not None))
        from_table = (attribute_table or {}).get(item.path.name, {})
        try:
            merged = {**from_table, **(attributes or {})}
            document, created = _store(project, item, model, merged, coder)
            updated: tuple[str, ...] = ()
            if not created and from_table:
                document, updated = _update_attributes(project, document, from_table, coder)
        except KwaliError as exc:
            return ImportResult(item.path, error=exc.one_line())
        return ImportResult(
            item.path,
            document,
            created,
            warnings=item.transcript.warnings,
            attributes_updated=updated,
        )

    def store_batch() -> None:
        for result in stored_in_batches(project, prepared(), store):
            results.append(result)
            if progress:
                progress(result)
        batch.clear()

    for path in paths:
        if path.suffix.lower() not in EXCHANGE_SUFFIXES:
            batch.append(path)
            continue
        store_batch()  # what came before it first, in order
        try:
            report = import_exchange(project, path, model=model, coder=coder, theirs=theirs)
            result = ImportResult(path, report=report, warnings=report.warnings)
        except KwaliError as exc:
            result = ImportResult(path, error=exc.one_line())
        results.append(result)
        if progress:
            progress(result)
    store_batch()
    return results


def segment_many(
    nlp: Language, documents: Sequence[tuple[str, Sequence[Turn], int, str]]
) -> list[list[Segment]]:
    """kwali.nlp's, imported on first use (see :func:`sentence_bounds`)."""
    from kwali.nlp import segment_many as segment

    return segment(nlp, documents)


def sentence_bounds(nlp: Language, text: str, turns: Sequence[Turn]) -> SentenceBounds:
    """Where a transcript's sentences are: kwali.nlp's, imported on first use (spaCy takes
    seconds to load, and an import with nothing new to segment, a re-import or a codebook,
    should not wait for it)."""
    from kwali.nlp.segment import sentence_bounds as bounds

    return bounds(nlp, [(text, turns)])[0]


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A transcript read and, unless the project had it already, segmented."""

    path: Path
    transcript: Transcript
    sha: str
    # segments made with a guessed document id (store_transcript corrects a wrong guess)
    segments: list[Segment] | None
    segmenter: str = ""


@dataclass(frozen=True, slots=True)
class _Read:
    """A file read and, unless the project had its text, where its sentences are: what a
    worker process sends back (plain data, no document id: only the storing side knows it)."""

    path: Path
    transcript: Transcript
    sha: str
    bounds: SentenceBounds | None
    segmenter: str = ""


def _read(
    path: Path, encoding: str | None, model: str | None, known: Container[str]
) -> _Read | ImportResult:
    """Read ``path`` and find its sentences, unless its text is ``known`` already."""
    try:
        transcript = read_transcript(path, encoding=encoding)
    except KwaliError as exc:
        return ImportResult(path, error=exc.one_line())
    sha = content_hash(transcript.text)
    if sha in known:
        return _Read(path, transcript, sha, None)
    return _segmented(path, transcript, sha, model)


def _segmented(path: Path, transcript: Transcript, sha: str, model: str | None) -> _Read:
    from kwali.nlp import make_nlp  # cached: loaded once, on the first text to segment
    from kwali.nlp.pipeline import pipeline_name

    nlp = make_nlp(model)
    bounds = sentence_bounds(nlp, transcript.text, transcript.turns)
    return _Read(path, transcript, sha, bounds, pipeline_name(nlp))


def _prepared(project: Project, read: _Read, waiting: int = 0) -> _Prepared:
    """Segment before writing: the write lock is held for the inserts only, not for the
    seconds spaCy takes over a long transcript (another kwali may be coding meanwhile).

    The segments are numbered for the document the text will most likely become; none when
    the project has its text. ``waiting``: documents prepared before this one and not stored
    yet."""
    if read.bounds is None or project.find_document_by_hash(read.sha) is not None:
        return _Prepared(read.path, read.transcript, read.sha, None)
    from kwali.nlp.segment import turn_segments

    text, turns = read.transcript.text, read.transcript.turns
    document_id = next_document_id(project) + waiting
    segments = turn_segments(text, turns, read.bounds, document_id, read.sha[:12])
    return _Prepared(read.path, read.transcript, read.sha, segments, read.segmenter)


def _store(
    project: Project,
    prepared: _Prepared,
    model: str | None,
    attributes: Mapping[str, str],
    coder: str,
) -> tuple[Document, bool]:
    """Store a prepared transcript, or find the document that has its text already."""
    existing = project.find_document_by_hash(prepared.sha)
    if existing is not None:
        return existing, False
    if prepared.segments is None:  # removed since it was read: segment it after all
        read = _segmented(prepared.path, prepared.transcript, prepared.sha, model)
        prepared = _prepared(project, read)
    assert prepared.segments is not None
    return store_transcript(
        project,
        prepared.transcript,
        prepared.segments,
        segmenter=prepared.segmenter,
        attributes=attributes,
        coder=coder,
    )


def _update_attributes(
    project: Project, document: Document, attributes: Mapping[str, str], coder: str
) -> tuple[Document, tuple[str, ...]]:
    """Set the attributes that differ on a document already in the project, as one undoable
    action (the store's); the document as it is now and the keys that changed."""
    changed = tuple(k for k, v in attributes.items() if document.attributes.get(k) != v)
    if not changed:
        return document, ()
    project.set_attributes(document.id, attributes, coder)
    return project.require_document(document.id), changed
