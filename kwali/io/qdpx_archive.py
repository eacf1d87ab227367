"""The files inside a REFI-QDA project (.qdpx): the project XML and the texts of its sources.

Only members of the archive itself are read (never a path pointing outside it), and nothing
is written to disk except a .docx source handed to python-docx through a private temporary
folder. Vendor quirks accepted here: any single ``*.qde`` (Atlas.ti names it after the
project), ``sources/`` or ``Sources/``, a bare file name as ``plainTextPath``
(qualitative-coding) and a BOM in the text files.
"""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kwali.errors import InputError
from kwali.i18n import _, ngettext
from kwali.io.archive import open_zip, read_member
from kwali.io.encoding import decode_text, normalise_newlines
from kwali.io.refi import children, local_name, parse_xml

MAX_QDE_BYTES = 100 * 1024 * 1024


def find_qde(names: list[str], path: Path) -> str:
    """The project XML: the one ``*.qde`` (Atlas.ti names it after the project), preferably at
    the root, or ``project.qde`` among several."""
    qdes = [n for n in names if n.lower().endswith(".qde") and not n.endswith("/")]
    at_root = [n for n in qdes if "/" not in n] or qdes
    if len(at_root) > 1:
        at_root = [n for n in at_root if n.lower().rsplit("/", 1)[-1] == "project.qde"]
    if len(at_root) != 1:
        raise InputError(
            _("is geen REFI-QDA-project: het bevat geen .qde-bestand")
            if not qdes
            else ngettext(
                "is geen REFI-QDA-project: het bevat {n} .qde-bestand",
                "is geen REFI-QDA-project: het bevat {n} .qde-bestanden",
                len(qdes),
            ).format(n=len(qdes)),
            path=path,
        )
    return at_root[0]


class QdpxArchive:
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
class SourceText:
    """A TextSource's text as read, or why it could not be (``skipped``)."""

    text: str = ""
    removed_cr: tuple[int, ...] = ()
    encoding: str = ""
    text_from: str = ""
    skipped: str = ""


def source_text(element: ET.Element, archive: QdpxArchive) -> SourceText:
    """The text of a TextSource: PlainTextContent, plainTextPath or (failing both) the .docx."""
    content = children(element, "PlainTextContent")
    plain, rich = element.get("plainTextPath", ""), element.get("richTextPath", "")
    problem = ""
    if content and (content[0].text or "").strip():
        text, removed = normalise_newlines(content[0].text or "")
        return SourceText(text, removed, "utf-8", "content")
    if plain:
        member = archive.member(plain)
        if member is None:
            problem = _("de tekst {path} zit niet in de .qdpx").format(path=repr(plain))
        else:
            data = archive.read(member)
            if data.strip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"):
                text, encoding = decode_text(data, archive.path / member)
                text, removed = normalise_newlines(text)
                return SourceText(text, removed, encoding, "plain")
            problem = _("de platte tekst is leeg")
    if rich and rich.lower().endswith(".docx") and (member := archive.member(rich)):
        text = _docx_text(archive.read(member), archive.path / member)
        if text.strip():
            return SourceText(text, (), "", "docx")
        problem = _("de tekst is leeg")
    return SourceText(skipped=problem or _("er is geen platte tekst die kwali kan lezen"))


def _docx_text(data: bytes, where: Path) -> str:
    from kwali.io.word import NoText, read_docx  # python-docx wants a file: a private folder

    with tempfile.TemporaryDirectory(prefix="kwali-qdpx-") as folder:
        tmp = Path(folder) / "source.docx"
        tmp.write_bytes(data)
        try:
            return read_docx(tmp).text
        except NoText:
            return ""
        except InputError as exc:
            raise InputError(exc.message, path=where) from exc


def load_root(path: Path) -> tuple[ET.Element, QdpxArchive, zipfile.ZipFile]:
    """The project XML's root, the archive's source files, and the open zip to close after."""
    archive = open_zip(path, _("REFI-QDA-project (.qdpx)"))
    try:
        member = find_qde(archive.namelist(), path)
        if archive.getinfo(member).file_size > MAX_QDE_BYTES:
            raise InputError(
                _("{member} is te groot om te lezen").format(member=repr(member)), path=path
            )
        root = parse_xml(read_member(archive, member, path), path, error=InputError)
        if local_name(root.tag) != "Project":
            raise InputError(
                _("is geen REFI-QDA-project ({member} heeft hoofdelement {element})").format(
                    member=repr(member), element=f"<{local_name(root.tag)}>"
                ),
                path=path,
            )
    except BaseException:
        archive.close()
        raise
    return root, QdpxArchive(archive, path), archive
