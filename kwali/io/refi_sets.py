"""Read REFI-QDA Sets and Links (from a project's ``.qde`` or a ``.qdc`` codebook).

A ``Set`` names members by reference: ``MemberSource``/``MemberCode``/``MemberNote`` with a
``targetGUID`` in a project, ``MemberCode`` with a ``guid`` in a codebook (Codebook.xsd);
both are read either way. A ``Link`` joins two objects by GUID (usually two selections) with
a name and a direction. GUIDs are normalised here; what they point at is resolved by the
importer, which knows the sources, codes and selections.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence, Set
from dataclasses import dataclass

from kwali.i18n import ngettext
from kwali.io.refi import _clean as clean_xml
from kwali.io.refi import children, guid_for, normalise_guid

_DIRECTIONS = ("Associative", "OneWay", "Bidirectional")


@dataclass(frozen=True, slots=True)
class RefiSet:
    guid: str
    name: str
    description: str = ""
    codes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RefiLink:
    guid: str
    origin: str
    target: str
    name: str = ""
    direction: str = "Associative"
    colour: str = ""
    notes: tuple[str, ...] = ()


def _members(element: ET.Element, name: str) -> tuple[str, ...]:
    found = (
        normalise_guid(m.get("targetGUID") or m.get("guid") or "") for m in children(element, name)
    )
    return tuple(dict.fromkeys(g for g in found if g))


def read_sets(root: ET.Element) -> tuple[RefiSet, ...]:
    """The Sets under ``root`` (a Project or a CodeBook), in file order."""
    found = []
    for block in children(root, "Sets"):
        for element in children(block, "Set"):
            about = children(element, "Description")
            guid = normalise_guid(element.get("guid") or "")
            found.append(
                RefiSet(
                    guid=guid,
                    name=(element.get("name") or "").strip() or guid,
                    description=((about[0].text or "") if about else "").strip(),
                    codes=_members(element, "MemberCode"),
                    sources=_members(element, "MemberSource"),
                    notes=_members(element, "MemberNote"),
                )
            )
    return tuple(found)


def read_links(root: ET.Element) -> tuple[RefiLink, ...]:
    """The Links of a Project, in file order; a direction the schema does not know is read as
    Associative (an undirected link), one without both ends is kept with an empty end for
    the importer to report."""
    found = []
    for block in children(root, "Links"):
        for element in children(block, "Link"):
            direction = (element.get("direction") or "Associative").strip()
            found.append(
                RefiLink(
                    guid=normalise_guid(element.get("guid") or ""),
                    origin=normalise_guid(element.get("originGUID") or ""),
                    target=normalise_guid(element.get("targetGUID") or ""),
                    name=(element.get("name") or "").strip(),
                    direction=direction if direction in _DIRECTIONS else "Associative",
                    colour=(element.get("color") or "").strip(),
                    notes=tuple(
                        g
                        for g in (
                            normalise_guid(r.get("targetGUID") or "")
                            for r in children(element, "NoteRef")
                        )
                        if g
                    ),
                )
            )
    return tuple(found)


def write_code_sets(
    root: ET.Element, groups: Sequence[tuple[str, str, Sequence[str]]], known: Set[str]
) -> tuple[str, ...]:
    """Append code groups (name, description, keys) to a .qdc's ``CodeBook`` as ``Sets``,
    members by kwali's code GUIDs (as ``build_codes`` gives them). A key not in ``known``
    (the codes written) is left out, said in one line per group."""
    if not groups:
        return ()
    warnings = []
    sets = ET.SubElement(root, "Sets")
    for name, description, keys in groups:
        element = ET.SubElement(
            sets, "Set", {"guid": guid_for("code-group", name), "name": clean_xml(name)}
        )
        if description:
            ET.SubElement(element, "Description").text = clean_xml(description)
        missing = [k for k in keys if k not in known]
        if missing:
            warnings.append(
                ngettext(
                    "codegroep {name}: {n} code die niet in het codeboek staat, weggelaten",
                    "codegroep {name}: {n} codes die niet in het codeboek staan, weggelaten",
                    len(missing),
                ).format(name=repr(name), n=len(missing))
            )
        for key in keys:
            if key in known:
                ET.SubElement(element, "MemberCode", {"guid": guid_for("code", key)})
    return tuple(warnings)
