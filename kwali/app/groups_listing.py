"""What ``kwali groups`` shows: each group with its members, each link with both ends as a
reference (``3:12.2``, the sentence where the quotation starts) and the start of its text."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from kwali.i18n import _
from kwali.model import Segment
from kwali.store import Project
from kwali.store.groups import Span

QUOTE_CHARS = 50


@dataclass(frozen=True, slots=True)
class GroupLine:
    kind: str  # "document" or "code"
    name: str
    description: str
    members: tuple[str, ...]  # "3 naam" for a document, "key (label)" for a code


@dataclass(frozen=True, slots=True)
class LinkLine:
    name: str
    direction: str
    origin: str  # reference and quotation
    target: str


def group_lines(project: Project) -> list[GroupLine]:
    labels = project.codebook().labels()
    out = []
    for group in project.groups():
        if group.kind == "document":
            members = []
            for member in group.members:
                doc = project.document(int(member))
                members.append(f"{doc.number} {doc.name}" if doc else str(member))
        else:
            members = [f"{k} ({labels.get(str(k), k)})" for k in group.members]
        out.append(GroupLine(group.kind, group.name, group.description, tuple(members)))
    return out


def link_lines(project: Project) -> list[LinkLine]:
    sentences: dict[int, list[Segment]] = {}

    def end(span: Span) -> str:
        document_id, start, stop = span
        doc = project.document(document_id)
        if doc is None:
            return _("document {id} (niet meer aanwezig)").format(id=document_id)
        if document_id not in sentences:
            sentences[document_id] = project.segments(document_id)
        found = sentences[document_id]
        index = bisect.bisect_right([s.start for s in found], start) - 1
        ref = found[index].reference(doc.number) if index >= 0 else f"{doc.number}:{start}"
        words = " ".join(doc.text[start:stop].split())
        if len(words) > QUOTE_CHARS:
            words = words[: QUOTE_CHARS - 1] + "…"
        return f'{ref} "{words}"'

    return [
        LinkLine(link.name, link.direction, end(link.origin), end(link.target))
        for link in project.links()
    ]
