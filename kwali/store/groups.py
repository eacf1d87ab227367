"""Document groups, code groups and links between quotations (REFI-QDA Sets and Links).

A group is a named set of documents or of codes; a document or code may be in several. A
link joins two spans of text (document, start, end) with a name and a direction. Every
change is audited like any other (undo brings groups, members and links back), and what
goes with a document or a code goes with it when it is removed or merged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kwali.store.actions import Verb
from kwali.store.base import now
from kwali.store.codebook import CodebookMixin
from kwali.store.documents import DocumentsMixin

GROUP_KINDS = ("document", "code")
DIRECTIONS = ("Associative", "OneWay", "Bidirectional")

Span = tuple[int, int, int]
"""(document id, start, end) of a quotation, end exclusive."""


@dataclass(frozen=True, slots=True)
class Group:
    """A document group (members: document ids) or a code group (members: code keys)."""

    kind: str
    name: str
    description: str = ""
    members: tuple[int | str, ...] = ()
    id: int = 0


@dataclass(frozen=True, slots=True)
class Link:
    """A link from one quotation to another; ``direction`` as REFI-QDA names it."""

    origin: Span
    target: Span
    name: str = ""
    direction: str = "Associative"
    colour: str = ""
    coder: str = ""
    created: str = ""
    id: int = 0

    def same_as(self, other: Link) -> bool:
        return (self.origin, self.target, self.name, self.direction) == (
            other.origin,
            other.target,
            other.name,
            other.direction,
        )


@dataclass(frozen=True, slots=True)
class GroupCounts:
    """What an import added: groups made, members added to new or existing groups, links."""

    groups: int = 0
    members: int = 0
    links: int = 0


_LINK_COLUMNS = (
    "id, name, direction, colour, origin_document, origin_start, origin_end, "
    "target_document, target_start, target_end, coder, created"
)


def _link(row: tuple) -> Link:
    return Link(
        origin=(row[4], row[5], row[6]),
        target=(row[7], row[8], row[9]),
        name=row[1],
        direction=row[2],
        colour=row[3],
        coder=row[10],
        created=row[11],
        id=row[0],
    )


class GroupsMixin(DocumentsMixin, CodebookMixin):
    """Comes before :class:`DocumentsMixin` in :class:`Project`: removing a document takes
    its memberships and links along, deleting or merging a code its memberships."""

    def _has_groups(self) -> bool:
        """Whether the file has m006 (one opened read-only is not migrated: it has none)."""
        found = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'groups'"
        ).fetchone()
        return found is not None

    # -- reading -----------------------------------------------------------------------------
    def groups(self, kind: str | None = None) -> list[Group]:
        """Every group (of one kind), by kind then name, with its members in order."""
        if not self._has_groups():
            return []
        where, args = ("WHERE kind = ?", (kind,)) if kind else ("", ())
        rows = self.db.execute(
            f"SELECT id, kind, name, description FROM groups {where} ORDER BY kind, name", args
        ).fetchall()
        found = []
        for group_id, group_kind, name, description in rows:
            if group_kind == "document":
                sql = (
                    "SELECT m.document_id FROM document_group_members m "
                    "JOIN documents d ON d.id = m.document_id WHERE m.group_id = ? ORDER BY d.number"
                )
            else:
                sql = (
                    "SELECT m.code_key FROM code_group_members m JOIN codes c ON c.key = m.code_key "
                    "WHERE m.group_id = ? ORDER BY c.position, c.key"
                )
            members = tuple(r[0] for r in self.db.execute(sql, (group_id,)))
            found.append(Group(group_kind, name, description, members, group_id))
        return found

    def group(self, kind: str, name: str) -> Group | None:
        return next((g for g in self.groups(kind) if g.name == name), None)

    def groups_of_code(self, key: str) -> list[str]:
        """Names of the code groups ``key`` is in."""
        if not self._has_groups():
            return []
        rows = self.db.execute(
            "SELECT g.name FROM groups g JOIN code_group_members m ON m.group_id = g.id "
            "WHERE m.code_key = ? ORDER BY g.name",
            (key,),
        )
        return [r[0] for r in rows]

    def groups_of_document(self, document_id: int) -> list[str]:
        """Names of the document groups the document is in."""
        if not self._has_groups():
            return []
        rows = self.db.execute(
            "SELECT g.name FROM groups g JOIN document_group_members m ON m.group_id = g.id "
            "WHERE m.document_id = ? ORDER BY g.name",
            (document_id,),
        )
        return [r[0] for r in rows]

    def code_groups_for_file(self) -> list[tuple[str, str, list[str]]]:
        """The code groups as a codebook file holds them: (name, description, code keys)."""
        return [(g.name, g.description, [str(k) for k in g.members]) for g in self.groups("code")]

    def links(self, document_id: int | None = None) -> list[Link]:
        """Every link (touching one document), in the order they were made."""
        if not self._has_groups():
            return []
        where, args = (
            ("WHERE origin_document = ? OR target_document = ?", (document_id, document_id))
            if document_id is not None
            else ("", ())
        )
        rows = self.db.execute(f"SELECT {_LINK_COLUMNS} FROM links {where} ORDER BY id", args)
        return [_link(tuple(r)) for r in rows]

    # -- changing ----------------------------------------------------------------------------
    def import_groups(
        self,
        groups: Iterable[Group],
        links: Iterable[Link],
        coder: str,
        source: str,
        verb: Verb = Verb.IMPORT,
    ) -> GroupCounts:
        """Add groups and links read from ``source`` (a file name), joining an action already
        open (an import) or as an action ``verb`` of its own. A group with the name of one the
        project has gains the members it lacks (its description is kept); a link the project
        has already is not added twice. Members must exist (the caller checks and says)."""
        groups, links = list(groups), list(links)
        if not self._anything_new(groups, links):
            return GroupCounts()  # no empty step in the history
        made = added = linked = 0
        with self.action(coder, verb, source):
            for group in groups:
                row = self.db.execute(
                    "SELECT id, description FROM groups WHERE kind = ? AND name = ?",
                    (group.kind, group.name),
                ).fetchone()
                if row is None:
                    (group_id,) = self._insert(
                        "groups",
                        {"kind": group.kind, "name": group.name, "description": group.description},
                    )
                    made += 1
                else:
                    group_id = row[0]
                    if not row[1] and group.description:
                        self._update("groups", (group_id,), {"description": group.description})
                added += self._add_members(group_id, group.kind, group.members)
            have = self.links()
            for link in links:
                if any(link.same_as(old) for old in have):
                    continue
                self._insert(
                    "links",
                    {
                        "name": link.name,
                        "direction": link.direction
                        if link.direction in DIRECTIONS
                        else "Associative",
                        "colour": link.colour,
                        "origin_document": link.origin[0],
                        "origin_start": link.origin[1],
                        "origin_end": link.origin[2],
                        "target_document": link.target[0],
                        "target_start": link.target[1],
                        "target_end": link.target[2],
                        "coder": link.coder or coder,
                        "created": link.created or now(),
                    },
                )
                have.append(link)
                linked += 1
        return GroupCounts(made, added, linked)

    def _anything_new(self, groups: list[Group], links: list[Link]) -> bool:
        have = {(g.kind, g.name): set(g.members) for g in self.groups()}
        for group in groups:
            known = have.get((group.kind, group.name))
            if known is None or not set(group.members) <= known:
                return True
        old = self.links()
        return any(not any(link.same_as(o) for o in old) for link in links)

    def _add_members(self, group_id: int, kind: str, members: Iterable[int | str]) -> int:
        table, column = (
            ("document_group_members", "document_id")
            if kind == "document"
            else ("code_group_members", "code_key")
        )
        added = 0
        for member in dict.fromkeys(members):
            known = self.db.execute(
                f"SELECT 1 FROM {table} WHERE group_id = ? AND {column} = ?", (group_id, member)
            ).fetchone()
            if known is None:
                self._insert(table, {"group_id": group_id, column: member})
                added += 1
        return added

    # -- what goes with a document or a code ------------------------------------------------
    def _dependent_keys(self, document_id: int) -> dict[str, list[tuple]]:
        keys = super()._dependent_keys(document_id)
        if not self._has_groups():
            return keys
        members = [
            tuple(r)
            for r in self.db.execute(
                "SELECT group_id, document_id FROM document_group_members WHERE document_id = ?",
                (document_id,),
            )
        ]
        links = [(link.id,) for link in self.links(document_id)]
        return {"links": links, "document_group_members": members, **keys}

    def _code_memberships(self, key: str) -> list[int]:
        if not self._has_groups():
            return []
        rows = self.db.execute("SELECT group_id FROM code_group_members WHERE code_key = ?", (key,))
        return [r[0] for r in rows]

    def delete_code(self, key: str, coder: str, move_to: str | None = None) -> int:
        """As :meth:`CodebookMixin.delete_code`; the code leaves its groups in the same action
        (so undo puts it back in them)."""
        self.require_code(key)
        with self.action(coder, Verb.DELETE_CODE, key):
            for group_id in self._code_memberships(key):
                self._delete("code_group_members", (group_id, key))
            return super().delete_code(key, coder, move_to)

    def merge_codes(self, source: str, target: str, coder: str) -> int:
        """As :meth:`CodebookMixin.merge_codes`; ``target`` joins the groups ``source`` was in."""
        self.require_code(source)
        self.require_code(target)
        with self.action(coder, Verb.MERGE_CODES, source, target):
            for group_id in self._code_memberships(source):
                if source != target:
                    self._add_members(group_id, "code", [target])
                self._delete("code_group_members", (group_id, source))
            return super().merge_codes(source, target, coder)
