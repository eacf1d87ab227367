"""Read a REFI-QDA project (.qdpx) into plain objects shaped like the format.

Nothing is written to disk except a .docx source handed to python-docx through a private
temporary folder. Offsets are kept as the file gives them: ``kwali.io.refi_offsets``
decides what they count. Vendor quirks accepted here: any single ``*.qde`` (Atlas.ti names
it after the project), ``sources/`` or ``Sources/``, a bare file name as ``plainTextPath``
(qualitative-coding), GUIDs in either case or in braces, and a BOM in the text files.
Elements kwali has no place for are listed in ``RefiProject.warnings`` (spec §7).
"""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kwali.errors import InputError, KwaliError
from kwali.io.archive import open_zip, read_member
from kwali.io.encoding import decode_text, normalise_newlines
from kwali.io.refi import children, local_name, normalise_guid, parse_xml, read_codes
from kwali.model import Code

MAX_QDE_BYTES = 100 * 1024 * 1024
MAX_OFFSET = 2**40  # anything larger is nonsense; keeps the arithmetic in range
_UNSUPPORTED_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")
_VALUE_TAGS = (
    "TextValue",
    "BooleanValue",
    "IntegerValue",
    "FloatValue",
    "DateValue",
    "DateTimeValue",
)


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


def _text(element: ET.Element, name: str) -> str:
    found = children(element, name)
    return (found[0].text or "") if found else ""


def _guid(element: ET.Element, attribute: str = "guid") -> str:
    return normalise_guid(element.get(attribute) or "")


def _refs(element: ET.Element, name: str) -> tuple[str, ...]:
    return tuple(g for g in (_guid(ref, "targetGUID") for ref in children(element, name)) if g)


def _position(value: str | None, what: str, path: Path) -> int:
    try:
        number = int((value or "").strip())
    except ValueError as exc:
        raise InputError(f"has a selection with a bad {what} {value!r}", path=path) from exc
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


def _find_qde(names: list[str], path: Path) -> str:
    qdes = [n for n in names if n.lower().endswith(".qde") and not n.endswith("/")]
    at_root = [n for n in qdes if "/" not in n] or qdes
    if len(at_root) > 1:
        at_root = [n for n in at_root if n.lower().rsplit("/", 1)[-1] == "project.qde"]
    if len(at_root) != 1:
        raise InputError(
            "is not a REFI-QDA project: it holds "
            + ("no .qde file" if not qdes else f"{len(qdes)} .qde files"),
            path=path,
        )
    return at_root[0]


class _Archive:
    """Source files inside the .qdpx, found by name whatever the folder's case."""

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self.archive, self.path = archive, path
        self.members: dict[str, str] = {}
        for name in archive.namelist():
            if name.endswith("/"):
                continue
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if len(parts) == 1 or (len(parts) == 2 and parts[0].lower() == "sources"):
                self.members.setdefault(parts[-1].lower(), name)

    def member(self, ref: str) -> str | None:
        """The member a path attribute names, or None for a source outside the archive."""
        ref = ref.strip()
        if ref.lower().startswith("internal://"):
            ref = ref[len("internal://") :]
        elif "://" in ref or "/" in ref or "\\" in ref or ":" in ref:
            return None  # relative:// or absolute: never read from outside the archive
        return self.members.get(ref.lower())

    def read(self, member: str) -> bytes:
        return read_member(self.archive, member, self.path)


@dataclass(frozen=True, slots=True)
class _SourceText:
    """A TextSource's text as read, or why it could not be (``skipped``)."""

    text: str = ""
    removed_cr: tuple[int, ...] = ()
    encoding: str = ""
    text_from: str = ""
    skipped: str = ""


def _source_text(element: ET.Element, archive: _Archive) -> _SourceText:
    """The text of a TextSource: PlainTextContent, plainTextPath or (failing both) the .docx."""
    content = children(element, "PlainTextContent")
    plain, rich = element.get("plainTextPath", ""), element.get("richTextPath", "")
    problem = ""
    if content and (content[0].text or "").strip():
        text, removed = normalise_newlines(content[0].text or "")
        return _SourceText(text, removed, "utf-8", "content")
    if plain:
        member = archive.member(plain)
        if member is None:
            problem = f"its text {plain!r} is not inside the .qdpx"
        else:
            data = archive.read(member)
            if data.strip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"):
                text, encoding = decode_text(data, archive.path / member)
                text, removed = normalise_newlines(text)
                return _SourceText(text, removed, encoding, "plain")
            problem = "its plain text is empty"
    if rich and rich.lower().endswith(".docx") and (member := archive.member(rich)):
        text = _docx_text(archive.read(member), archive.path / member)
        if text.strip():
            return _SourceText(text, (), "", "docx")
        problem = "its text is empty"
    return _SourceText(skipped=problem or "it has no plain text kwali can read")


def _docx_text(data: bytes, where: Path) -> str:
    from kwali.io.word import read_docx  # python-docx wants a file: use a private temp folder

    with tempfile.TemporaryDirectory(prefix="kwali-qdpx-") as folder:
        tmp = Path(folder) / "source.docx"
        tmp.write_bytes(data)
        try:
            return read_docx(tmp).text
        except InputError as exc:
            if exc.message == "contains no text":
                return ""
            raise InputError(exc.message, path=where) from exc


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


def _read_source(element: ET.Element, archive: _Archive, path: Path) -> RefiSource:
    guid = _guid(element)
    if not guid:
        raise InputError("has a <TextSource> without a guid", path=path)
    try:
        found = _source_text(element, archive)
    except KwaliError as exc:
        found = _SourceText(skipped=f"its text cannot be read ({exc.message})")
    from_path = PurePosixPath(element.get("plainTextPath", "").replace("\\", "/")).stem
    return RefiSource(
        guid=guid,
        name=(element.get("name") or "").strip() or from_path or guid,
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
    )


def _load_root(path: Path) -> tuple[ET.Element, _Archive, zipfile.ZipFile]:
    archive = open_zip(path, "REFI-QDA project (.qdpx)")
    try:
        member = _find_qde(archive.namelist(), path)
        if archive.getinfo(member).file_size > MAX_QDE_BYTES:
            raise InputError(f"{member!r} is too large to read", path=path)
        root = parse_xml(read_member(archive, member, path), path, error=InputError)
        if local_name(root.tag) != "Project":
            raise InputError(
                f"is not a REFI-QDA project ({member!r} has root <{local_name(root.tag)}>)",
                path=path,
            )
    except BaseException:
        archive.close()
        raise
    return root, _Archive(archive, path), archive


def read_qdpx(path: str | Path) -> RefiProject:
    """Read a .qdpx; raises InputError with one line naming the file when it is not one."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", path=path)
    root, members, archive = _load_root(path)
    with archive:
        return _project(root, members, path)


def _project(root: ET.Element, archive: _Archive, path: Path) -> RefiProject:
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
            imported = read_codes(codes_element, path, error=InputError)
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
                sources.append(_read_source(element, archive, path))
            else:
                dropped[kind] += 1
    notes = []
    for block in children(root, "Notes"):
        for element in children(block, "Note"):
            try:
                found = _source_text(element, archive)
            except KwaliError:
                found = _SourceText()
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
                dropped["selection inside a Note"] += len(children(element, "PlainTextSelection"))
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
    for name in ("Links", "Sets", "Graphs"):
        for block in children(root, name):
            dropped[name.rstrip("s")] += len(list(block))
    for kind, n in sorted(dropped.items()):
        warnings.append(f"{n} {kind} element(s) left out: kwali has no place for them")
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
    )
