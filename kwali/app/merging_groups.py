"""Groups and links through ``kwali merge``: both copies' document groups, code groups and
links go into the merged project, on its documents (matched by text, as the merge matches
them) and codes; groups with the same name become one group with the members of both."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kwali.store import Project
from kwali.store.groups import Group, Link

# One copy's groups and links, and the content hash of each of its document ids.
CopyGroups = tuple[Sequence[Group], Sequence[Link], Callable[[int], str]]


def carry_groups(out: Project, copies: Sequence[CopyGroups]) -> None:
    """Add every copy's groups and links to ``out`` (inside the merge's action)."""
    for groups, links, sha in copies:
        ids = {
            document_id: found.id
            for document_id in {int(m) for g in groups if g.kind == "document" for m in g.members}
            | {k.origin[0] for k in links}
            | {k.target[0] for k in links}
            if (found := out.find_document_by_hash(sha(document_id))) is not None
        }
        moved = [
            Group(
                g.kind,
                g.name,
                g.description,
                tuple(ids[int(m)] for m in g.members if int(m) in ids)
                if g.kind == "document"
                else tuple(m for m in g.members if out.code(str(m)) is not None),
            )
            for g in groups
        ]
        kept = [
            Link(
                (ids[k.origin[0]], *k.origin[1:]),
                (ids[k.target[0]], *k.target[1:]),
                k.name,
                k.direction,
                k.colour,
                k.coder,
                k.created,
            )
            for k in links
            if k.origin[0] in ids and k.target[0] in ids
        ]
        out.import_groups(moved, kept, "kwali", "merge")
