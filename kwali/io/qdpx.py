"""Read a REFI-QDA project (.qdpx) into plain objects shaped like the format.

The archive's files (the project XML, source and note texts) are found and read by
``kwali.io.qdpx_archive``; this module turns the XML elements into objects. Offsets are kept
as the file gives them: ``kwali.io.refi_offsets`` decides what they count. GUIDs are
accepted in either case or in braces. Elements kwali has no place for are listed in
``RefiProject.warnings`` (spec §7).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from kwali.errors import InputError, KwaliError
from kwali.i18n import _, ngettext
from kwali.io.code_limits import check_code_elements
from kwali.io.qdpx_archive import QdpxArchive, SourceText, load_root, source_text
from kwali.io.qdpx_queries import MEMBER as QUERIES_MEMBER
from kwali.io.qdpx_queries import BadQueries, read_queries
from kwali.io.qdpx_segmentation import BadSegmentation, Segmentation, member_name
from kwali.io.qdpx_segmentation import read_segmentation as _read_segmentation
from kwali.io.refi import children, local_name, normalise_guid, read_codes, written_by_kwali
from kwali.io.refi_sets import RefiLink, RefiSet, read_links, read_sets
from kwali.model import Code

MAX_OFFSET = 2**40  # anything larger is nonsense; keeps the arithmetic in range
_VALUE_TAGS = (
    "TextValue",
    "BooleanValue",
    "IntegerValue",
    "FloatValue",
    "DateValue",
    "DateTimeValue",
)
_NOTE_SELECTION = "selection inside a Note"  # counted with the elements left out (a key)


@dataclass(frozen=True, slots=True)
class RefiUser:
    guid: str
    name: str = ""
    id: str = ""

    @property
    def label(self) -> str:
        return self.name.strip() or self.id.strip() or self.guid


@dataclass(frozen=True, slots=True)
class RefiCoding:
    guid: str
    code_guid: str
    user: str = ""
    created: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RefiSelection:
    guid: str
    start: int
    end: int
    name: str = ""
    user: str = ""
    created: str = ""
    description: str = ""
    codings: tuple[RefiCoding, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RefiSource:
    """A TextSource; ``text`` is LF-normalised, ``removed_cr`` says where CRs were."""

    guid: str
    name: str
    text: str = ""
    removed_cr: tuple[int, ...] = ()
    encoding: str = ""
    text_from: str = ""  # "plain" (plainTextPath), "content" (PlainTextContent), "docx"
    description: str = ""
    selections: tuple[RefiSelection, ...] = ()
    codings: tuple[RefiCoding, ...] = ()  # codings of the whole source
    notes: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()  # (variable guid, value)
    user: str = ""
    created: str = ""
    skipped: str = ""  # why the text could not be read; empty when it was
    # kwali's own turns and sentences (a file kwali wrote, text unchanged); None: segment anew
    segmentation: Segmentation | None = None


@dataclass(frozen=True, slots=True)
class RefiNote:
    guid: str
    name: str = ""
    text: str = ""
    user: str = ""
    created: str = ""


@dataclass(frozen=True, slots=True)
class RefiVariable:
    guid: str
    name: str
    type: str = "Text"
    description: str = ""


@dataclass(frozen=True, slots=True)
class RefiCase:
    guid: str
    name: str = ""
    description: str = ""
    values: tuple[tuple[str, str], ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RefiProject:
    path: Path
    name: str
    origin: str = ""
    user: str = ""  # creatingUserGUID
    users: tuple[RefiUser, ...] = ()
    codes: tuple[Code, ...] = ()
    code_keys: Mapping[str, str] = field(default_factory=dict)  # normalised GUID → key
    code_notes: tuple[tuple[str, str], ...] = ()  # (code GUID, note GUID)
    sources: tuple[RefiSource, ...] = ()
    notes: tuple[RefiNote, ...] = ()
    variables: tuple[RefiVariable, ...] = ()
    cases: tuple[RefiCase, ...] = ()
    description: str = ""
    project_notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    sets: tuple[RefiSet, ...] = ()  # document and code groups (kwali.io.refi_sets)
    links: tuple[RefiLink, ...] = ()
    saved_queries: Mapping[str, str] = field(default_factory=dict)  # kwali's own files only


def _text(element: ET.Element, name: str) -> str:
    found = children(element, name)
    return (found[0].text or "") if found else ""


def _guid(element: ET.Element, attribute: str = "guid") -> str:
    return normalise_guid(element.get(attribute) or "")


def _refs(element: ET.Element, name: str) -> tuple[str, ...]:
    return tuple(g for g in (_guid(ref, "targetGUID") for ref in children(element, name)) if g)


def _position(value: str | None, what: str, path: Path) -> int:
    if value is None:
        raise InputError(
            _("heeft een selectie zonder {attribute}").format(attribute=what), path=path
        )
    try:
        number = int((value or "").strip())
    except ValueError as exc:
        raise InputError(
            _("heeft een selectie met een ongeldige {attribute} {value}").format(
                attribute=what, value=repr(value)
            ),
            path=path,
        ) from exc
    return max(-1, min(number, MAX_OFFSET))


def _coding(element: ET.Element) -> RefiCoding | None:
    refs = _refs(element, "CodeRef")
    if not refs:
        return None
    return RefiCoding(
        guid=_guid(element),
        code_guid=refs[0],
        user=_guid(element, "creatingUser"),
        created=element.get("creationDateTime", ""),
        notes=_refs(element, "NoteRef"),
    )


def _values(element: ET.Element) -> tuple[tuple[str, str], ...]:
    values = []
    for value in children(element, "VariableValue"):
        refs = _refs(value, "VariableRef")
        found = [c for c in value if local_name(c.tag) in _VALUE_TAGS]
        if refs and found:
            values.append((refs[0], (found[0].text or "").strip()))
    return tuple(values)


def _selection(element: ET.Element, path: Path) -> RefiSelection:
    codings = tuple(c for c in (_coding(e) for e in children(element, "Coding")) if c)
    return RefiSelection(
        guid=_guid(element),
        name=element.get("name", ""),
        start=_position(element.get("startPosition"), "startPosition", path),
        end=_position(element.get("endPosition"), "endPosition", path),
        user=_guid(element, "creatingUser"),
        created=element.get("creationDateTime", ""),
        description=_text(element, "Description"),
        codings=codings,
        notes=_refs(element, "NoteRef"),
    )


def _carried(
    archive: QdpxArchive, guid: str, name: str, text: str, warnings: list[str]
) -> Segmentation | None:
    """kwali's segmentation of a source, when the file carries a usable one."""
    member = member_name(guid)
    if member not in archive.archive.namelist():
        return None
    try:
        return _read_segmentation(archive.read(member), text)
    except (BadSegmentation, KwaliError) as exc:
        reason = exc.message if isinstance(exc, KwaliError) else str(exc)
        warnings.append(
            _("bron {name}: de segmentatie van kwali {reason}; opnieuw gesegmenteerd").format(
                name=repr(name), reason=reason
            )
        )
        return None


def _read_source(
    element: ET.Element,
    archive: QdpxArchive,
    path: Path,
    warnings: list[str] | None = None,
) -> RefiSource:
    """A TextSource; with ``warnings`` (a file kwali wrote), its carried segmentation too."""
    guid = _guid(element)
    if not guid:
        raise InputError(
            _("heeft een {element} zonder guid").format(element="<TextSource>"), path=path
        )
    try:
        found = source_text(element, archive)
    except KwaliError as exc:
        found = SourceText(
            skipped=_("de tekst kan niet gelezen worden ({reason})").format(reason=exc.message)
        )
    from_path = PurePosixPath(element.get("plainTextPath", "").replace("\\", "/")).stem
    name = (element.get("name") or "").strip() or from_path or guid
    carried = None
    if warnings is not None and found.text and not found.skipped:
        carried = _carried(archive, element.get("guid") or "", name, found.text, warnings)
    return RefiSource(
        guid=guid,
        name=name,
        description=_text(element, "Description"),
        selections=tuple(_selection(s, path) for s in children(element, "PlainTextSelection")),
        codings=tuple(c for c in (_coding(e) for e in children(element, "Coding")) if c),
        notes=_refs(element, "NoteRef"),
        values=_values(element),
        user=_guid(element, "creatingUser"),
        created=element.get("creationDateTime", ""),
        text=found.text,
        removed_cr=found.removed_cr,
        encoding=found.encoding,
        text_from=found.text_from,
        skipped=found.skipped,
        segmentation=carried,
    )


def read_qdpx(path: str | Path) -> RefiProject:
    """Read a .qdpx; raises InputError with one line naming the file when it is not one."""
    path = Path(path)
    if not path.is_file():
        raise InputError(_("dit bestand bestaat niet"), path=path)
    root, members, archive = load_root(path)
    with archive:
        return _project(root, members, path)


def _project(root: ET.Element, archive: QdpxArchive, path: Path) -> RefiProject:
    warnings: list[str] = []
    users = tuple(
        RefiUser(_guid(u), u.get("name", ""), u.get("id", ""))
        for users in children(root, "Users")
        for u in children(users, "User")
        if _guid(u)
    )
    codes: tuple[Code, ...] = ()
    code_keys: dict[str, str] = {}
    code_notes: tuple[tuple[str, str], ...] = ()
    for book in children(root, "CodeBook"):
        for codes_element in children(book, "Codes"):
            check_code_elements(codes_element, path, InputError)
            imported = read_codes(
                codes_element, path, error=InputError, legacy=written_by_kwali(root)
            )
            codes, code_keys = imported.codes, imported.keys_by_guid()
            code_notes = tuple(
                (_guid(c), note)
                for c in codes_element.iter()
                if local_name(c.tag) == "Code"
                for note in _refs(c, "NoteRef")
            )
    sources: list[RefiSource] = []
    dropped: Counter[str] = Counter()
    for block in children(root, "Sources"):
        for element in block:
            kind = local_name(element.tag)
            if kind == "TextSource":
                own = warnings if written_by_kwali(root) else None
                sources.append(_read_source(element, archive, path, own))
            else:
                dropped[kind] += 1
    notes = []
    for block in children(root, "Notes"):
        for element in children(block, "Note"):
            try:
                found = source_text(element, archive)
            except KwaliError:
                found = SourceText()
            notes.append(
                RefiNote(
                    guid=_guid(element),
                    name=element.get("name", ""),
                    text=found.text or _text(element, "Description"),
                    user=_guid(element, "creatingUser"),
                    created=element.get("creationDateTime", ""),
                )
            )
            if children(element, "PlainTextSelection"):
                dropped[_NOTE_SELECTION] += len(children(element, "PlainTextSelection"))
    variables = tuple(
        RefiVariable(
            _guid(v), v.get("name", ""), v.get("typeOfVariable", "Text"), _text(v, "Description")
        )
        for block in children(root, "Variables")
        for v in children(block, "Variable")
    )
    cases = tuple(
        RefiCase(
            _guid(c), c.get("name", ""), _text(c, "Description"), _values(c), _refs(c, "SourceRef")
        )
        for block in children(root, "Cases")
        for c in children(block, "Case")
    )
    for block in children(root, "Graphs"):
        dropped["Graph"] += len(list(block))
    for kind, n in sorted(dropped.items()):
        if kind == _NOTE_SELECTION:
            left_out = ngettext(
                "{n} selectie in een memo weggelaten: daar heeft kwali geen plaats voor",
                "{n} selecties in een memo weggelaten: daar heeft kwali geen plaats voor",
                n,
            )
        else:
            left_out = ngettext(
                "{n} {element}-element weggelaten: daar heeft kwali geen plaats voor",
                "{n} {element}-elementen weggelaten: daar heeft kwali geen plaats voor",
                n,
            )
        warnings.append(left_out.format(n=n, element=kind))
    links = read_links(root)
    saved: dict[str, str] = {}
    if written_by_kwali(root):
        sources = [_without_link_labels(s, links) for s in sources]
        saved = _saved_queries(archive, warnings)
    return RefiProject(
        path=path,
        name=root.get("name", "") or path.stem,
        origin=root.get("origin", ""),
        user=_guid(root, "creatingUserGUID"),
        users=users,
        codes=codes,
        code_keys=code_keys,
        code_notes=code_notes,
        sources=tuple(sources),
        notes=tuple(notes),
        variables=variables,
        cases=cases,
        description=_text(root, "Description"),
        project_notes=_refs(root, "NoteRef"),
        warnings=tuple(warnings),
        sets=read_sets(root),
        links=links,
        saved_queries=saved,
    )


def _saved_queries(archive: QdpxArchive, warnings: list[str]) -> dict[str, str]:
    """kwali's saved queries, when the file carries them (kwali.io.qdpx_queries)."""
    if QUERIES_MEMBER not in archive.archive.namelist():
        return {}
    try:
        found, left_out = read_queries(archive.read(QUERIES_MEMBER))
    except (BadQueries, KwaliError) as exc:
        reason = exc.message if isinstance(exc, KwaliError) else str(exc)
        warnings.append(
            _("de opgeslagen zoekvragen van kwali ({member}) {reason}; geen ingelezen").format(
                member=QUERIES_MEMBER, reason=reason
            )
        )
        return {}
    warnings += left_out
    return found


def _without_link_labels(source: RefiSource, links: tuple[RefiLink, ...]) -> RefiSource:
    """kwali anchors a link on an uncoded selection with no notes and describes the link in
    its Description, for tools without links (kwali.export.qdpx_sets); kwali reads the Link
    itself, so that Description is no memo."""
    ends = {guid for link in links for guid in (link.origin, link.target)}
    selections = tuple(
        replace(s, description="")
        if s.guid in ends and not s.codings and not s.notes and s.description
        else s
        for s in source.selections
    )
    return replace(source, selections=selections)
