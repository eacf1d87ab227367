"""Small pieces of the .qdpx export: times, memos as one Description, attributes, the zip."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

from kwali.io.refi import _clean as clean_xml
from kwali.io.refi import guid_for
from kwali.model import Document, Memo

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# kwali's attribute types as REFI-QDA variable types and value elements; text is the rest
VARIABLE_TYPES = {"number": "Float", "date": "Date"}
VALUE_TAGS = {"number": "FloatValue", "date": "DateValue"}


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
