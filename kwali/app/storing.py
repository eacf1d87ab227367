"""Store a transcript that was segmented beforehand: shared by transcript and REFI-QDA imports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from kwali.io.qdpx_segmentation import Segmentation
from kwali.model import Document, Segment, Transcript
from kwali.store import Project, content_hash


def store_transcript(
    project: Project,
    transcript: Transcript,
    segments: Sequence[Segment],
    *,
    segmenter: str,
    name: str | None = None,
    attributes: Mapping[str, str] | None = None,
    coder: str = "kwali",
) -> tuple[Document, bool]:
    """Store a transcript segmented beforehand (segments made with any document id; made
    with :func:`next_document_id`, they need no copying while the write lock is held)."""
    return project.add_document(
        transcript,
        lambda doc_id, _uid: _with_document_id(segments, doc_id),
        name=name,
        attributes=attributes,
        coder=coder,
        segmenter=segmenter,
    )


def next_document_id(project: Project) -> int:
    """The id the next stored document will most likely get (SQLite gives the largest
    rowid plus one); a guess only: :func:`store_transcript` corrects a wrong one."""
    return project.last_document_id() + 1


def _with_document_id(segments: Sequence[Segment], document_id: int) -> Sequence[Segment]:
    # Copying 200,000 segments of a long transcript takes a second, inside the transaction.
    if all(s.document_id == document_id for s in segments):
        return segments
    return [replace(s, document_id=document_id) for s in segments]


def carried_transcript(transcript: Transcript, carried: Segmentation | None) -> Transcript:
    """The transcript with the turns, format and file suffix kwali had when it exported it
    (its file name is then the document's name and that suffix)."""
    if carried is None:
        return transcript
    return replace(
        transcript,
        turns=carried.turns,
        source_name=transcript.source_name + carried.suffix,
        format=carried.format,
        encoding=carried.encoding,
        removed_cr=carried.removed_cr,
    )


def carried_segments(
    project: Project, text: str, carried: Segmentation, taken: set[str]
) -> list[Segment]:
    """The segments a kwali export carried, for a new document of ``text``. Their ids are
    kept (a replaced document's sentences keep older ids); should one be taken in this
    project or in ``taken`` (the import's earlier documents, updated here), all are named as
    segmenting names them: the references stay the same."""
    segments = carried.build(text, next_document_id(project))
    if any(s.id in taken or project.segment(s.id) is not None for s in segments):
        uid = content_hash(text)[:12]
        segments = [
            replace(
                s,
                id=f"{uid}:{s.turn_number}"
                + (f".{s.sentence_number}" if s.kind == "sentence" else ""),
            )
            for s in segments
        ]
    taken.update(s.id for s in segments)
    return segments
