"""Small pieces of the .qdpx export: times, memos as one Description, attributes, code names
other tools accept, line breaks for MAXQDA, the zip."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from kwali.i18n import _, ngettext
from kwali.io.refi import _clean as clean_xml
from kwali.io.refi import guid_for
from kwali.model import Code, Document, Memo

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# kwali's attribute types as REFI-QDA variable types and value elements; text is the rest
VARIABLE_TYPES = {"number": "Float", "date": "Date"}
VALUE_TAGS = {"number": "FloatValue", "date": "DateValue"}


@dataclass(frozen=True, slots=True)
class QdpxExport:
    """What was written, and what a .qdpx could not hold."""

    path: Path
    documents: int
    codes: int
    codings: int
    users: int
    memos: int
    warnings: tuple[str, ...] = ()


def xsd_time(value: str) -> str | None:
    """kwali's ISO time as xsd:dateTime in UTC (``...Z``), or None when unreadable."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def described(memos: list[Memo]) -> str:
    """Memos as one Description, for tools that read only that: each author named when there
    are several (kwali itself reads the Notes, which keep every memo apart)."""
    kept = [m for m in memos if m.text.strip()]
    several = len({m.coder for m in kept}) > 1
    return clean_xml(
        "\n\n".join(f"{m.coder}: {m.text.strip()}" if several else m.text.strip() for m in kept)
    )


def write_zip(tmp: Path, qde: bytes, files: dict[str, str]) -> None:
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [
            ("project.qde", qde),
            # the standard's members first, kwali's own (kwali/...) after them
            *(
                (n, files[n].encode("utf-8"))
                for n in sorted(files, key=lambda n: (n.startswith("kwali/"), n))
            ),
        ]:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)


def add_variables(root: ET.Element, docs: Sequence[Document], types: Mapping[str, str]) -> None:
    """One Variable per attribute key, typed as kwali types it (number: Float, date: Date)."""
    keys = sorted({k for d in docs for k in d.attributes})
    if not keys:
        return
    variables = ET.SubElement(root, "Variables")
    for key in keys:
        ET.SubElement(
            variables,
            "Variable",
            {
                "guid": guid_for("variable", key),
                "name": clean_xml(key),
                "typeOfVariable": VARIABLE_TYPES.get(types.get(key, ""), "Text"),
            },
        )


def add_values(source: ET.Element, doc: Document, types: Mapping[str, str]) -> None:
    """A document's attributes as VariableValues of its TextSource: where QualCoder and MAXQDA
    read file attributes. No Case per document: QualCoder would then store every value twice
    and turn the attributes into case attributes (kwali has no cases yet). A typed value is
    in its stored form, which is xsd:decimal or xsd:date; an empty one is an empty text."""
    for key in sorted(doc.attributes):
        value = ET.SubElement(source, "VariableValue")
        ET.SubElement(value, "VariableRef", {"targetGUID": guid_for("variable", key)})
        text = doc.attributes[key]
        tag = VALUE_TAGS.get(types.get(key, ""), "TextValue") if text.strip() else "TextValue"
        ET.SubElement(value, tag).text = clean_xml(text)


def shared_names(codes: Sequence[Code]) -> dict[str, list[Code]]:
    """Code names (case and spaces ignored) that more than one code carries."""
    by_name: dict[str, list[Code]] = {}
    for code in codes:
        by_name.setdefault(" ".join(code.label.split()).casefold(), []).append(code)
    return {name: found for name, found in by_name.items() if len(found) > 1}


def unique_labels(codes: Sequence[Code]) -> list[Code]:
    """Codes whose shared name is qualified by the parent's, ``Label (Parent)``; the code's
    key when even that is shared. ATLAS.ti refuses two codes of one name, QualCoder merges
    them."""
    labels = {code.key: code.label for code in codes}
    shared = {code.key for found in shared_names(codes).values() for code in found}
    renamed = {
        key: f"{labels[key]} ({labels[code.parent]})" if code.parent else labels[key]
        for code in codes
        if (key := code.key) in shared
    }
    out = [replace(c, label=renamed.get(c.key, c.label)) for c in codes]
    still = {code.key for found in shared_names(out).values() for code in found}
    return [replace(c, label=f"{c.label} ({c.key})") if c.key in still else c for c in out]


def names_warning(codes: Sequence[Code]) -> str:
    """One line about shared code names, or ''."""
    shared = shared_names(codes)
    if not shared:
        return ""
    labels = {code.key: code.label for code in codes}
    examples = "; ".join(
        _("{name} onder {parents}").format(
            name=repr(found[0].label),
            parents=", ".join(
                repr(labels.get(c.parent or "", "")) if c.parent else _("het bovenste niveau")
                for c in found
            ),
        )
        for found in list(shared.values())[:3]
    )
    return ngettext(
        "{n} codenaam hoort bij meer dan één code ({examples}): ATLAS.ti weigert zo'n "
        "bestand en QualCoder voegt de codes samen; --unique-names schrijft ze als "
        "'Label (Bovenliggende)'",
        "{n} codenamen horen bij meer dan één code ({examples}): ATLAS.ti weigert zo'n "
        "bestand en QualCoder voegt de codes samen; --unique-names schrijft ze als "
        "'Label (Bovenliggende)'",
        len(shared),
    ).format(n=len(shared), examples=examples)


class LineBreaks:
    """Offsets of kwali's text in the text member as written: with ``crlf`` every line break
    is two characters there, so each offset moves one place per line break before it."""

    def __init__(self, text: str, crlf: bool) -> None:
        self.crlf = crlf
        self.breaks = [i for i, ch in enumerate(text) if ch == "\n"] if crlf else []

    def written(self, text: str) -> str:
        return text.replace("\n", "\r\n") if self.crlf else text

    def at(self, offset: int) -> int:
        return offset + bisect_left(self.breaks, offset) if self.crlf else offset


def astral_warning(doc: Document, starts: Sequence[int]) -> str:
    """One line when characters outside the Basic Multilingual Plane (emoji) come before a
    selection: a tool counting UTF-16 units (NVivo) would place it late by one per such
    character. The offsets are code points, as the standard says."""
    first = next((i for i, ch in enumerate(doc.text) if ord(ch) > 0xFFFF), None)
    if first is None or not any(start > first for start in starts):
        return ""
    return _(
        "document {number}: tekens zoals emoji staan vóór sommige selecties; de posities "
        "tellen ze één keer (code points, zoals REFI-QDA voorschrijft), een programma dat "
        "UTF-16-eenheden telt, telt ze twee keer"
    ).format(number=doc.number)
