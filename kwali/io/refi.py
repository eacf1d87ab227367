"""Shared REFI-QDA pieces: namespaces, stable GUIDs, safe XML parsing and the code tree.

Used by the codebook exchange (.qdc) and the project exchange (.qdpx). A code's rules,
examples, signals and key travel in its ``Description`` (see ``kwali.io.refi_description``).
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kwali import __version__
from kwali.codekeys import is_valid_key, key_from_label
from kwali.codekeys import slugify as slugify  # re-exported: the REFI name for the key rule
from kwali.errors import CodebookError, KwaliError
from kwali.i18n import _

# Re-exported: the Description form lives in its own module.
from kwali.io.refi_description import DescriptionParts as DescriptionParts
from kwali.io.refi_description import format_description as format_description
from kwali.io.refi_description import parse_description as parse_description
from kwali.io.refi_xml import parse_xml as parse_xml  # re-exported: the readers' parser
from kwali.model import Code

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"kwali {__version__}"
# Fixed namespace for kwali's uuid5 GUIDs: the same key always gets the same GUID, so
# re-exports can be compared and merged (Atlas.ti's fresh GUIDs per export cannot).
KWALI_NAMESPACE = uuid.UUID("6b9a3f1e-4c1d-5e0a-9a57-6b77616c6921")

_GUID_RE = re.compile(r"^\{?[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?$")
_COLOUR_RE = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def is_kwali_origin(origin: str) -> bool:
    """True when an ``origin`` attribute says kwali wrote the file (``kwali 0.1.0``)."""
    return origin.strip().lower().startswith("kwali ")


def written_by_kwali(root: ET.Element) -> bool:
    """True when a .qdc's or project's ``origin`` says kwali wrote it."""
    return is_kwali_origin(root.get("origin") or "")


def guid_for(kind: str, name: str) -> str:
    """A deterministic GUID for a kwali object, e.g. ``guid_for("code", key)``."""
    return str(uuid.uuid5(KWALI_NAMESPACE, f"{kind}:{name}"))


def normalise_guid(guid: str) -> str:
    """Lower case without braces: Atlas.ti writes upper case, NVivo lower, both are valid."""
    return guid.strip().strip("{}").lower()


def local_name(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: ET.Element, name: str) -> list[ET.Element]:
    """Child elements by local name, whatever namespace (or none) the writer used."""
    return [child for child in element if local_name(child.tag) == name]


def assign_keys(
    names: Sequence[str], parents: Sequence[int | None], explicit: Mapping[int, str] | None = None
) -> list[str]:
    """Keys for codes given in tree order (each parent's index before its children).

    A name's slug is the key unless another code has the same slug: then every such code
    gets its parent's key as a suffix (NVivo allows ``programming`` under two parents).
    Keys in ``explicit`` are kept and never handed out to another code.
    """
    explicit = explicit or {}
    bases = [key_from_label(name) for name in names]
    counts = Counter(bases)
    used = set(explicit.values())
    keys: list[str] = []
    for index, (base, parent) in enumerate(zip(bases, parents, strict=True)):
        if index in explicit:
            keys.append(explicit[index])
            continue
        key = f"{base}_{keys[parent]}" if counts[base] > 1 and parent is not None else base
        candidate, number = key, 2
        while candidate in used:
            candidate, number = f"{key}_{number}", number + 1
        used.add(candidate)
        keys.append(candidate)
    return keys


# --- The Codes tree ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportedCodes:
    """Codes read from a REFI ``Codes`` element, with each key's GUID (normalised)."""

    codes: tuple[Code, ...]
    guids: Mapping[str, str]

    def keys_by_guid(self) -> dict[str, str]:
        """Normalised GUID → key, for resolving ``CodeRef targetGUID`` in a project."""
        return {guid: key for key, guid in self.guids.items()}


def read_codes(
    codes_element: ET.Element,
    path: Path,
    error: type[KwaliError] = CodebookError,
    *,
    legacy: bool = False,
) -> ImportedCodes:
    """Turn a ``Codes`` element (nested ``Code``s) into kwali codes in tree order.

    ``legacy``: the file was written by kwali, so descriptions in kwali's older form (bare
    ``Wel:``/``Signalen:`` headers) are read as fields; from any other tool they are text.
    """
    flat: list[tuple[ET.Element, int | None]] = []
    stack: list[tuple[ET.Element, int | None]] = [
        (element, None) for element in reversed(children(codes_element, "Code"))
    ]
    while stack:  # iterative, so a deeply nested hostile file cannot blow the stack
        element, parent = stack.pop()
        flat.append((element, parent))
        index = len(flat) - 1
        stack += [(child, index) for child in reversed(children(element, "Code"))]
    names, parts, guids = [], [], []
    for element, _parent in flat:
        name, guid = element.get("name"), element.get("guid")
        if name is None or not guid:
            raise error(
                _("heeft een {element} zonder {attribute}").format(
                    element="<Code>", attribute="name" if name is None else "guid"
                ),
                path=path,
            )
        description = children(element, "Description")
        try:
            text = (description[0].text or "") if description else ""
            parts.append(parse_description(text, legacy=legacy))
        except ValueError as exc:
            raise error(
                _("code {name}: {problem}").format(name=repr(name), problem=exc), path=path
            ) from exc
        names.append(name)
        guids.append(normalise_guid(guid))
    duplicate = next((g for g, n in Counter(guids).items() if n > 1), None)
    if duplicate:
        raise error(
            _("gebruikt de GUID {guid} voor meer dan één code").format(guid=duplicate), path=path
        )
    # A hand-edited 'Sleutel:' that breaks the key rule is folded like a name would be.
    explicit = {
        i: p.key if is_valid_key(p.key) else key_from_label(p.key)
        for i, p in enumerate(parts)
        if p.key
    }
    if len(set(explicit.values())) < len(explicit):
        raise error(
            _("geeft meer dan één code dezelfde sleutel in {field}").format(field="'Sleutel:'"),
            path=path,
        )
    parents = [parent for _element, parent in flat]
    keys = assign_keys(names, parents, explicit)
    codes = []
    for (element, parent), name, key, part in zip(flat, names, keys, parts, strict=True):
        colour = element.get("color", "").strip()
        codable = element.get("isCodable", "true").strip().lower() not in ("false", "0")
        codes.append(
            Code(
                key=key,
                label=name,
                parent=keys[parent] if parent is not None else None,
                kind="code" if codable else "category",
                definition=part.definition,
                include=part.include,
                exclude=part.exclude,
                examples=part.examples,
                colour=_six_digits(colour) if _COLOUR_RE.match(colour) else "",
                signals=part.signals,
            )
        )
    return ImportedCodes(codes=tuple(codes), guids=dict(zip(keys, guids, strict=True)))


def _six_digits(colour: str) -> str:
    """``#abc`` → ``#aabbcc``: kwali codebooks keep colours as #RRGGBB."""
    return colour if len(colour) == 7 else "#" + "".join(ch * 2 for ch in colour[1:])


def tree_order(codes: Sequence[Code]) -> list[Code]:
    """Codes depth-first from the roots, siblings in codebook order; checks the parents."""
    known = {code.key for code in codes}
    if len(known) < len(codes):
        raise ValueError(_("twee codes hebben dezelfde sleutel"))
    kids: dict[str | None, list[Code]] = {}
    for code in codes:
        if code.parent and code.parent not in known:
            raise ValueError(
                _("code {key} heeft een onbekende bovenliggende code {parent}").format(
                    key=repr(code.key), parent=repr(code.parent)
                )
            )
        kids.setdefault(code.parent or None, []).append(code)
    ordered: list[Code] = []
    stack = list(reversed(kids.get(None, [])))
    while stack:
        code = stack.pop()
        ordered.append(code)
        stack += reversed(kids.get(code.key, []))
    if len(ordered) < len(codes):
        raise ValueError(_("de bovenliggende codes van enkele codes vormen een kring"))
    return ordered


def keys_needing_mention(ordered: Sequence[Code]) -> set[str]:
    """Keys that reading the file back would not derive from the names, so must be written."""
    index = {code.key: i for i, code in enumerate(ordered)}
    names = [code.label for code in ordered]
    parents = [index[code.parent] if code.parent else None for code in ordered]
    explicit: dict[int, str] = {}
    while True:  # each round only adds keys, so this ends
        derived = assign_keys(names, parents, explicit)
        missing = {i: code.key for i, code in enumerate(ordered) if derived[i] != code.key}
        if not missing:
            return set(explicit.values())
        explicit.update(missing)


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def build_codes(
    codes: Sequence[Code],
    guids: Mapping[str, str] | None = None,
    memos: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> tuple[ET.Element, tuple[str, ...]]:
    """A ``Codes`` element (no namespace; the caller's root sets ``xmlns``) and warnings.

    ``guids`` maps keys to GUIDs to keep (e.g. from an import); other codes get kwali's
    deterministic GUIDs. ``memos`` maps keys to (author, text) pairs copied into the
    Description. Raises ValueError when the hierarchy is broken.
    """
    guids, memos = guids or {}, memos or {}
    ordered = tree_order(codes)
    mention = keys_needing_mention(ordered)
    warnings: list[str] = []
    root = ET.Element("Codes")
    elements: dict[str, ET.Element] = {}
    for code in ordered:
        guid = guids.get(code.key, "")
        attrs = {
            "guid": guid if _GUID_RE.match(guid) else guid_for("code", code.key),
            "name": _clean(code.label),
            "isCodable": "false" if code.kind == "category" else "true",
        }
        if code.colour and _COLOUR_RE.match(code.colour):
            attrs["color"] = code.colour
        elif code.colour:
            warnings.append(
                _("code {key}: kleur {colour} is geen #RRGGBB; weggelaten").format(
                    key=repr(code.key), colour=repr(code.colour)
                )
            )
        parent = elements[code.parent] if code.parent else root
        element = ET.SubElement(parent, "Code", attrs)
        description = format_description(
            code, key_needed=code.key in mention, memos=memos.get(code.key, ())
        )
        if description:
            # Description must precede nested Codes (xsd:sequence); children come later.
            ET.SubElement(element, "Description").text = _clean(description)
        elements[code.key] = element
    return root, tuple(warnings)
