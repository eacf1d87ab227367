"""Store a transcript that was segmented beforehand: shared by transcript and REFI-QDA imports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from kwali.model import Document, Segment, Transcript
from kwali.store import Project


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
    """Store a transcript segmented beforehand (segments made with any document id)."""
    return project.add_document(
        transcript,
        lambda doc_id, _uid: [replace(s, document_id=doc_id) for s in segments],
        name=name,
        attributes=attributes,
        coder=coder,
        segmenter=segmenter,
    )
