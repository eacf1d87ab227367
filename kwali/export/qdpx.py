"""Export a project as a REFI-QDA project exchange file (.qdpx) for Atlas.ti, NVivo, MAXQDA.

The zip holds ``project.qde``, ``sources/<guid>.txt`` (each document's text in UTF-8 without
BOM, with kwali's ``\\n`` line breaks, or ``\\r\\n`` with ``line_endings="crlf"`` for MAXQDA)
and ``kwali/segmentation/<guid>.json`` (kwali's turns and sentences, read back only by kwali:
``kwali.io.qdpx_segmentation``). **Offsets** are Unicode code points of the text as written,
a line break counting as the characters written (§10.2); ends are exclusive.

What goes where:
- one ``User`` per coder (and memo author); codings carry their coder as ``creatingUser``;
- the codebook via ``kwali.io.refi.build_codes`` (hierarchy, colours, rules in Description);
- one ``PlainTextSelection`` per coding, named after the start of its text; its memo is the
  selection's Description (what Atlas.ti and QualCoder show) and also a ``Note`` the
  selection points at; memos kept on a coding in the memo list are Notes the ``Coding``
  points at; document, project and code memos are Notes referenced from their element;
  a memo on a sentence becomes an uncoded selection over that sentence with a NoteRef, its
  author as creatingUser and its text also as the selection's Description (an annotation);
- document and project memos also as the TextSource's and Project's ``Description``, code
  memos as ``Memo:`` lines in the code's kwali block: where QualCoder and MAXQDA read them;
- document attributes as ``Variables`` (number and date typed as Float and Date) and a
  ``VariableValue`` per attribute on each TextSource (no Cases: kwali has none yet).

Deterministic: GUIDs come from content (document sha256, coding span/code/coder, keys),
times from the data, members in a fixed order with a fixed zip date; the same project
always gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from kwali.analysis.reading import saved_queries
from kwali.errors import ExportError
from kwali.export.files import check_target, write_with
from kwali.export.options import QdpxOptions
from kwali.export.qdpx_parts import (
    LineBreaks,
    QdpxExport,
    add_values,
    add_variables,
    astral_warning,
    described,
    names_warning,
    unique_labels,
    write_zip,
    xsd_time,
)
from kwali.export.qdpx_sets import add_sets_and_links
from kwali.i18n import _, ngettext
from kwali.io.qdpx_queries import MEMBER as QUERIES_MEMBER
from kwali.io.qdpx_queries import dump_queries
from kwali.io.qdpx_segmentation import dump_segmentation, member_name
from kwali.io.refi import ORIGIN, PROJECT_NS, build_codes, guid_for
from kwali.io.refi import _clean as clean_xml
from kwali.io.xml_out import DECLARATION, indent, to_bytes
from kwali.model import Coding, Document, Memo
from kwali.store import Project

NAME_CHARS = 60


def _coding_key(doc: Document, c: Coding) -> str:
    return f"{doc.sha256}:{c.start}:{c.end}:{c.code_key}:{c.coder}"


class _Builder:
    def __init__(self, project: Project, options: QdpxOptions) -> None:
        self.project = project
        self.crlf = options.line_endings == "crlf"
        self.unique_names = options.unique_names
        self.breaks = LineBreaks("", False)  # the current document's (see _sources)
        self.warnings: list[str] = []
        self.docs = [project.require_document(i) for i in project.document_ids()]
        self.by_id = {d.id: d for d in self.docs}
        self.codebook = project.codebook()
        self.codings = project.codings(status="confirmed")
        self.memos = project.memos()
        people = {c.coder for c in self.codings} | {m.coder for m in self.memos}
        self.users = {name: guid_for("user", name) for name in sorted(people)}
        self.types = project.attribute_types()
        self.notes: list[ET.Element] = []
        self.note_count: dict[str, int] = defaultdict(int)

    def note(self, memo_text: str, coder: str, created: str, target: str, name: str) -> str:
        """Add a Note; returns its GUID (stable: target, author and order)."""
        self.note_count[f"{target}:{coder}"] += 1
        guid = guid_for("note", f"{target}:{coder}:{self.note_count[f'{target}:{coder}']}")
        attrs = {"guid": guid, "name": clean_xml(name)}
        if coder in self.users:
            attrs["creatingUser"] = self.users[coder]
        if stamp := xsd_time(created):
            attrs["creationDateTime"] = stamp
        element = ET.Element("Note", attrs)
        cleaned = clean_xml(memo_text)
        if cleaned != memo_text:
            self.warnings.append(
                _("{name}: tekens die XML niet kan bevatten zijn weggelaten").format(name=name)
            )
        ET.SubElement(element, "PlainTextContent").text = cleaned
        self.notes.append(element)
        return guid

    def build(self) -> tuple[ET.Element, dict[str, str]]:
        codes = self.codebook.codes
        if self.unique_names:
            codes = tuple(unique_labels(codes))
        elif warning := names_warning(codes):
            self.warnings.append(warning)
        name = (
            self.codebook.name or (self.project.path.stem if self.project.path else "") or "kwali"
        )
        root = ET.Element(
            "Project", {"xmlns": PROJECT_NS, "name": clean_xml(name), "origin": ORIGIN}
        )
        times = sorted(
            filter(None, (xsd_time(x) for c in self.codings for x in (c.created, c.changed)))
        )
        times += sorted(
            filter(None, (xsd_time(x) for m in self.memos for x in (m.created, m.changed)))
        )
        if times:
            root.set("creationDateTime", min(times))
            root.set("modifiedDateTime", max(times))
        if self.users:
            users = ET.SubElement(root, "Users")
            for person, guid in self.users.items():
                ET.SubElement(users, "User", {"guid": guid, "name": clean_xml(person)})
        code_guids: dict[str, str] = {}
        if codes:
            code_memos: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for memo in self.memos:
                if memo.target_kind == "code" and memo.text.strip():
                    code_memos[memo.target_id].append((memo.coder, memo.text))
            try:
                codes_element, warnings = build_codes(codes, memos=code_memos)
            except ValueError as exc:
                raise ExportError(
                    _("kan het codeboek niet exporteren: {why}").format(why=exc),
                    path=self.project.path,
                ) from exc
            self.warnings += warnings
            ET.SubElement(root, "CodeBook").append(codes_element)
            code_guids = {c.key: guid_for("code", c.key) for c in codes}
            self._code_notes(codes_element, code_guids)
        add_variables(root, self.docs, self.types)
        files = self._sources(root, code_guids)
        project_notes = [
            self.note(m.text, m.coder, m.created, "project", "memo: project")
            for m in self.memos
            if m.target_kind == "project"
        ]
        if self.notes:
            ET.SubElement(root, "Notes").extend(self.notes)
        if about := described([m for m in self.memos if m.target_kind == "project"]):
            ET.SubElement(root, "Description").text = about
        for guid in project_notes:  # after Notes (and Description): the schema's order
            ET.SubElement(root, "NoteRef", {"targetGUID": guid})
        return root, files

    def _code_notes(self, codes_element: ET.Element, guids: dict[str, str]) -> None:
        by_guid = {e.get("guid"): e for e in codes_element.iter("Code")}
        for memo in (m for m in self.memos if m.target_kind == "code"):
            element = by_guid.get(guids.get(memo.target_id, ""))
            if element is None:
                self.warnings.append(
                    _("een memo bij de onbekende code {code} is weggelaten").format(
                        code=repr(memo.target_id)
                    )
                )
                continue
            ref = ET.Element(
                "NoteRef",
                {
                    "targetGUID": self.note(
                        memo.text,
                        memo.coder,
                        memo.created,
                        f"code:{memo.target_id}",
                        f"memo: code {element.get('name')}",
                    )
                },
            )
            # xsd:sequence Description?, NoteRef*, Code*: insert before the first nested Code.
            position = next(
                (i for i, child in enumerate(element) if child.tag == "Code"), len(element)
            )
            element.insert(position, ref)

    def _sources(self, root: ET.Element, code_guids: dict[str, str]) -> dict[str, str]:
        files: dict[str, str] = {}
        if not self.docs:
            return files
        sources = ET.SubElement(root, "Sources")
        by_doc: dict[int, list[Coding]] = defaultdict(list)
        for coding in self.codings:
            by_doc[coding.document_id].append(coding)
        coding_memos: dict[str, list[Memo]] = defaultdict(list)
        for memo in self.memos:
            coding_memos[f"{memo.target_kind}:{memo.target_id}"].append(memo)
        for doc in self.docs:
            guid = guid_for("document", doc.sha256)
            self.breaks = LineBreaks(doc.text, self.crlf)
            files[f"sources/{guid}.txt"] = self.breaks.written(doc.text)
            # kwali's turns and sentences, for kwali only (other tools skip the member)
            files[member_name(guid)] = dump_segmentation(
                doc, self.project.turns(doc.id), self.project.segments(doc.id, kind=None)
            )
            source = ET.SubElement(
                sources,
                "TextSource",
                {
                    "guid": guid,
                    "name": clean_xml(doc.name),
                    "plainTextPath": f"internal://{guid}.txt",
                },
            )
            # Description comes first in a TextSource (xsd:sequence); QualCoder and MAXQDA
            # show it as the document memo, kwali reads the Notes below.
            if about := described(coding_memos[f"document:{doc.id}"]):
                ET.SubElement(source, "Description").text = about
            ordered = sorted(by_doc[doc.id], key=lambda c: (c.start, c.end, c.code_key, c.coder))
            if warning := astral_warning(doc, [c.start for c in ordered]):
                self.warnings.append(warning)
            for coding in ordered:
                self._selection(
                    source, doc, coding, code_guids, coding_memos[f"coding:{coding.id}"]
                )
            for segment_id, memos in sorted(
                (k.split(":", 1)[1], v) for k, v in coding_memos.items() if k.startswith("segment:")
            ):
                segment = self.project.segment(segment_id)
                if segment is None or segment.document_id != doc.id:
                    continue
                attrs = {
                    "guid": guid_for("segment", segment_id),
                    "name": clean_xml(self._name(doc, segment.start, segment.end)),
                    "startPosition": str(self.breaks.at(segment.start)),
                    "endPosition": str(self.breaks.at(segment.end)),
                    "creatingUser": self.users[memos[0].coder],
                }
                if stamp := xsd_time(memos[0].created):
                    attrs["creationDateTime"] = stamp
                selection = ET.SubElement(source, "PlainTextSelection", attrs)
                # An uncoded selection's Description is the annotation QualCoder and MAXQDA
                # show (with its creatingUser as owner); kwali reads the Notes.
                if about := described(memos):
                    ET.SubElement(selection, "Description").text = about
                for memo in memos:
                    ET.SubElement(
                        selection,
                        "NoteRef",
                        {
                            "targetGUID": self.note(
                                memo.text,
                                memo.coder,
                                memo.created,
                                f"segment:{segment_id}",
                                f"memo: {doc.name} {segment_id}",
                            )
                        },
                    )
            for memo in coding_memos[f"document:{doc.id}"]:
                ET.SubElement(
                    source,
                    "NoteRef",
                    {
                        "targetGUID": self.note(
                            memo.text,
                            memo.coder,
                            memo.created,
                            f"document:{doc.sha256}",
                            f"memo: {doc.name}",
                        )
                    },
                )
            add_values(source, doc, self.types)  # last in a TextSource (xsd:sequence)
        lost = [
            m
            for m in self.memos
            if m.target_kind == "segment" and self.project.segment(m.target_id) is None
        ]
        if lost:
            self.warnings.append(
                ngettext(
                    "{n} memo bij een zin die niet meer bestaat is weggelaten",
                    "{n} memo's bij zinnen die niet meer bestaan zijn weggelaten",
                    len(lost),
                ).format(n=len(lost))
            )
        return files

    def _name(self, doc: Document, start: int, end: int) -> str:
        words = " ".join(doc.text[start:end].split())
        return words[:NAME_CHARS]

    def _selection(
        self,
        source: ET.Element,
        doc: Document,
        coding: Coding,
        code_guids: dict[str, str],
        memos: list[Memo],
    ) -> None:
        key = _coding_key(doc, coding)
        attrs = {
            "guid": guid_for("selection", key),
            "name": clean_xml(self._name(doc, coding.start, coding.end)),
            "startPosition": str(self.breaks.at(coding.start)),
            "endPosition": str(self.breaks.at(coding.end)),
            "creatingUser": self.users[coding.coder],
        }
        if stamp := xsd_time(coding.created):
            attrs["creationDateTime"] = stamp
        selection = ET.SubElement(source, "PlainTextSelection", attrs)
        if coding.memo:
            ET.SubElement(selection, "Description").text = clean_xml(coding.memo)
        element = ET.SubElement(
            selection,
            "Coding",
            {
                k: v
                for k, v in (
                    ("guid", guid_for("coding", key)),
                    ("creatingUser", self.users[coding.coder]),
                    ("creationDateTime", stamp),
                )
                if v
            },
        )
        ET.SubElement(
            element,
            "CodeRef",
            {"targetGUID": code_guids.get(coding.code_key) or guid_for("code", coding.code_key)},
        )
        for memo in memos:  # memos kept on the coding in the memo list
            ET.SubElement(
                element,
                "NoteRef",
                {
                    "targetGUID": self.note(
                        memo.text,
                        memo.coder,
                        memo.created,
                        f"coding-memo:{key}",
                        f"memo: {coding.code_key} in {doc.name}",
                    )
                },
            )
        if coding.memo:
            ET.SubElement(
                selection,
                "NoteRef",
                {
                    "targetGUID": self.note(
                        coding.memo,
                        coding.coder,
                        coding.changed or coding.created,
                        f"coding:{key}",
                        f"memo: {coding.code_key} in {doc.name}",
                    )
                },
            )


def export_qdpx(
    project: Project,
    out_path: str | Path,
    force: bool = False,
    options: QdpxOptions | None = None,
) -> QdpxExport:
    """Write the project as a .qdpx at ``out_path`` (0600, atomically); refuses to overwrite
    an existing file unless ``force``. ``options``: CRLF line breaks, unique code names."""
    out = Path(out_path)
    options = options or QdpxOptions()
    if options.line_endings not in ("lf", "crlf"):
        raise ExportError(
            _("regeleinden {value}: kies lf of crlf").format(value=repr(options.line_endings)),
            path=out,
        )
    check_target(out, force)  # before the work, so a bad path fails at once
    builder = _Builder(project, options)
    root, files = builder.build()
    # groups and links, as Sets and Links
    builder.warnings += add_sets_and_links(project, root, crlf=builder.crlf)
    rejected = len(project.codings(status="rejected"))
    if rejected:
        builder.warnings.append(
            ngettext(
                "{n} afgewezen codering is weggelaten (REFI-QDA kent geen status)",
                "{n} afgewezen coderingen zijn weggelaten (REFI-QDA kent geen status)",
                rejected,
            ).format(n=rejected)
        )
    if saved := saved_queries(project):  # kwali's own member: other tools leave it alone
        files[QUERIES_MEMBER] = dump_queries(saved)
    indent(root)  # iterative: ET.indent and ET.tostring recurse once per level of codes
    qde = DECLARATION + to_bytes(root) + b"\n"
    write_with(out, lambda tmp: write_zip(tmp, qde, files), force)
    return QdpxExport(
        out,
        len(builder.docs),
        len(builder.codebook.codes),
        len(builder.codings),
        len(builder.users),
        len(builder.memos),
        tuple(builder.warnings),
    )
