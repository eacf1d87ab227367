"""Write a project's groups and links into a .qdpx's project XML (REFI-QDA Sets and Links).

Runs on the ``Project`` element :mod:`kwali.export.qdpx` built: each document group becomes a
``Set`` of ``MemberSource``, each code group a ``Set`` of ``MemberCode`` (GUIDs as that module
gives documents and codes), each link a ``Link`` between two selections. A link's end is the
selection already written on exactly its span (a coding's, a sentence memo's); when there is
none, an uncoded ``PlainTextSelection`` over the span is added to its source, so that the
link has something to point at; its Description names the link and its other end (QualCoder
and MAXQDA, which have no links, show it as an annotation; kwali reads the Link instead). Elements go where the schema's sequence wants them. With
``crlf`` (the text written with CRLF, for MAXQDA) offsets count each line break as two, as the
export's selections do.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from kwali.i18n import ngettext
from kwali.io.refi import _clean as clean_xml
from kwali.io.refi import guid_for
from kwali.model import Document
from kwali.store import Project
from kwali.store.groups import Span

_RGB = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
# Project children that come after Links, and after Sets (Project-mrt2019.xsd, ProjectType).
_AFTER_LINKS = ("Sets", "Graphs", "Description", "NoteRef")
_AFTER_SETS = ("Graphs", "Description", "NoteRef")
# TextSource children that come after its selections.
_AFTER_SELECTIONS = ("Coding", "NoteRef", "VariableValue")
# How a link reads from its origin, and from its target.
_ARROWS = {"OneWay": ("→", "←"), "Bidirectional": ("↔", "↔"), "Associative": ("—", "—")}


def _insert_before(parent: ET.Element, element: ET.Element, later: tuple[str, ...]) -> None:
    position = next((i for i, child in enumerate(parent) if child.tag in later), len(parent))
    parent.insert(position, element)


class _Ends:
    """Selection GUIDs for link ends, adding an uncoded selection where none fits."""

    def __init__(self, project: Project, root: ET.Element, crlf: bool) -> None:
        self.project = project
        self.crlf = crlf
        self.sources = {s.get("guid"): s for s in root.iter("TextSource")}
        self.docs: dict[int, Document | None] = {}
        self.anchors: dict[str, ET.Element] = {}  # the selections added for links
        self.lines: dict[str, list[tuple[str, str]]] = {}  # anchor -> (line, coder)

    def document(self, document_id: int) -> Document | None:
        if document_id not in self.docs:
            self.docs[document_id] = self.project.document(document_id)
        return self.docs[document_id]

    def guid(self, span: Span) -> str | None:
        document_id, start, end = span
        doc = self.document(document_id)
        source = self.sources.get(guid_for("document", doc.sha256)) if doc else None
        if doc is None or source is None:
            return None
        if self.crlf:  # one more character per line break before the offset
            start, end = start + doc.text.count("\n", 0, start), end + doc.text.count("\n", 0, end)
        for selection in source.iter("PlainTextSelection"):
            if selection.get("startPosition") == str(start) and (
                selection.get("endPosition") == str(end)
            ):
                return selection.get("guid")
        guid = guid_for("link-end", f"{doc.sha256}:{start}:{end}")
        words = " ".join(doc.text[span[1] : span[2]].split())[:60]
        selection = ET.Element(
            "PlainTextSelection",
            {
                "guid": guid,
                "name": clean_xml(words),
                "startPosition": str(start),
                "endPosition": str(end),
            },
        )
        _insert_before(source, selection, _AFTER_SELECTIONS)
        self.anchors[guid] = selection
        return guid

    def note(self, guid: str, line: str, coder: str) -> None:
        if guid in self.anchors:
            self.lines.setdefault(guid, []).append((line, coder))

    def label(self, span: Span) -> str:
        doc = self.document(span[0])
        words = " ".join(doc.text[span[1] : span[2]].split()) if doc else ""
        words = words if len(words) <= 60 else words[:59] + "…"
        return f'{doc.name if doc else span[0]}: "{words}"'

    def describe(self, users: dict[str, str]) -> None:
        """Each added selection's Description: the links it anchors, with their other end."""
        for guid, selection in self.anchors.items():
            lines = self.lines.get(guid, [])
            ET.SubElement(selection, "Description").text = clean_xml(
                "\n".join(line for line, _unused in lines)
            )
            if coder := next((c for _unused, c in lines if c in users), ""):
                selection.set("creatingUser", users[coder])


def add_sets_and_links(project: Project, root: ET.Element, *, crlf: bool = False) -> list[str]:
    """Add the project's links and groups to ``root``; returns warnings."""
    warnings: list[str] = []
    links = project.links()
    if links:
        ends = _Ends(project, root, crlf)
        block = ET.Element("Links")
        lost = 0
        for link in links:
            origin, target = ends.guid(link.origin), ends.guid(link.target)
            if origin is None or target is None:
                lost += 1
                continue
            attrs = {
                "guid": guid_for("link", f"{origin}:{target}:{link.name}:{link.direction}"),
                "name": clean_xml(link.name),
                "direction": link.direction,
                "originGUID": origin,
                "targetGUID": target,
            }
            if _RGB.match(link.colour):
                attrs["color"] = link.colour
            ET.SubElement(block, "Link", attrs)
            there, back = _ARROWS.get(link.direction, ("—", "—"))
            name = f' "{link.name}"' if link.name else ""
            ends.note(origin, f"Link{name} {there} {ends.label(link.target)}", link.coder)
            ends.note(target, f"Link{name} {back} {ends.label(link.origin)}", link.coder)
        ends.describe({u.get("name", ""): u.get("guid", "") for u in root.iter("User")})
        if lost:
            warnings.append(
                ngettext(
                    "{n} koppeling naar een document dat er niet meer is, is weggelaten",
                    "{n} koppelingen naar een document dat er niet meer is, zijn weggelaten",
                    lost,
                ).format(n=lost)
            )
        if len(block):
            _insert_before(root, block, _AFTER_LINKS)
    groups = project.groups()
    if groups:
        sets = ET.Element("Sets")
        sources = {s.get("guid") for s in root.iter("TextSource")}
        for group in groups:
            element = ET.SubElement(
                sets,
                "Set",
                {
                    "guid": guid_for(f"{group.kind}-group", group.name),
                    "name": clean_xml(group.name),
                },
            )
            if group.description:
                ET.SubElement(element, "Description").text = clean_xml(group.description)
            for member in group.members:
                if group.kind == "code":
                    ET.SubElement(
                        element, "MemberCode", {"targetGUID": guid_for("code", str(member))}
                    )
                    continue
                doc = project.document(int(member))
                guid = guid_for("document", doc.sha256) if doc else ""
                if guid in sources:
                    ET.SubElement(element, "MemberSource", {"targetGUID": guid})
        _insert_before(root, sets, _AFTER_SETS)
    return warnings
