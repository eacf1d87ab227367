"""REFI-QDA codebook exchange: .qdc files, and the codebook inside a .qdpx project.

A .qdc is ``<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="..."><Codes>...``. It has no
name, version or description of its own, so a codebook read back is named after the file.
Include/exclude rules, examples, signals and keys travel in a fenced block after each code's
definition in its Description (see ``kwali.io.refi_description``), so kwali → .qdc → kwali
gives the same codes and no other tool's text is taken for them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kwali.errors import CodebookError, ExportError, InputError
from kwali.i18n import _
from kwali.io.archive import open_zip, read_member
from kwali.io.code_limits import check_code_elements
from kwali.io.private import write_private
from kwali.io.qdpx_archive import MAX_QDE_BYTES, find_qde
from kwali.io.refi import (
    CODEBOOK_NS,
    ORIGIN,
    build_codes,
    children,
    local_name,
    parse_xml,
    read_codes,
    written_by_kwali,
)
from kwali.io.refi_sets import RefiSet, read_sets, write_code_sets
from kwali.io.xml_out import DECLARATION, indent, to_bytes
from kwali.model import Codebook

MAX_QDC_BYTES = 50 * 1024 * 1024
# Stricter than kwali.io.archive: only one XML member is read, the sources are never opened.
MAX_QDPX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class QdcContents:
    """A codebook file's codes, and its code groups (Sets) with each code GUID's key."""

    codebook: Codebook
    sets: tuple[RefiSet, ...] = ()
    keys: Mapping[str, str] = field(default_factory=dict)  # normalised code GUID → key


def _codebook_from_root(root: ET.Element, path: Path, name: str) -> QdcContents:
    sets = read_sets(root)  # a project's Sets are beside its CodeBook, a .qdc's inside
    legacy = written_by_kwali(root)  # kwali's older Description form is read only from kwali
    if local_name(root.tag) == "Project":  # a .qde passed as codebook: take its CodeBook
        books = children(root, "CodeBook")
        if not books:
            raise CodebookError(_("is een REFI-QDA-project zonder codeboek"), path=path)
        root = books[0]
    if local_name(root.tag) != "CodeBook":
        raise CodebookError(
            _("is geen REFI-QDA-codeboek (hoofdelement {element})").format(
                element=f"<{local_name(root.tag)}>"
            ),
            path=path,
        )
    codes = children(root, "Codes")
    if not codes:
        raise CodebookError(
            _("heeft een {codebook} zonder {codes}").format(codebook="<CodeBook>", codes="<Codes>"),
            path=path,
        )
    check_code_elements(codes[0], path, CodebookError)
    imported = read_codes(codes[0], path, legacy=legacy)
    if not imported.codes:  # as a YAML codebook without codes: nothing to import
        raise CodebookError(_("heeft een codeboek zonder codes"), path=path)
    return QdcContents(
        Codebook(name=name, codes=imported.codes), sets or read_sets(root), imported.keys_by_guid()
    )


def read_qdc(path: Path) -> Codebook:
    """Read a REFI-QDA .qdc codebook (from Atlas.ti, NVivo, MAXQDA, QualCoder or kwali).

    A project (.qdpx, or its bare .qde) is accepted too: its codebook is read.
    """
    return read_qdc_contents(path).codebook


def read_qdc_contents(path: Path) -> QdcContents:
    """As :func:`read_qdc`, with the file's code groups (Sets)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_QDC_BYTES:
            raise CodebookError(
                _("is groter dan {mb} MB; is het wel een codeboek?").format(
                    mb=MAX_QDC_BYTES // 2**20
                ),
                path=path,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise CodebookError(
            _("kan niet gelezen worden ({error})").format(error=exc.strerror or exc), path=path
        ) from exc
    if zipfile.is_zipfile(path):  # a .qdpx given as codebook: its codebook is what was meant
        return _qdpx_contents(path)
    return _codebook_from_root(parse_xml(data, path), path, path.stem)


def read_codebook_from_qdpx(path: Path) -> Codebook:
    """The codebook of a REFI-QDA project (.qdpx); nothing is extracted to disk."""
    return _qdpx_contents(path).codebook


def _qdpx_contents(path: Path) -> QdcContents:
    path = Path(path)
    try:
        archive = open_zip(path, _("REFI-QDA-project (.qdpx)"))
    except InputError as exc:
        raise CodebookError(exc.message, path=path, hint=exc.hint) from exc
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        if total > MAX_QDPX_BYTES:
            raise CodebookError(
                _("pakt uit tot {mb} MB, meer dan de {most} MB die kwali aanneemt").format(
                    mb=total // 2**20, most=MAX_QDPX_BYTES // 2**20
                ),
                path=path,
            )
        try:  # the project XML is found as the .qdpx import finds it
            member = find_qde([info.filename for info in infos], path)
            if archive.getinfo(member).file_size > MAX_QDE_BYTES:
                raise CodebookError(
                    _("{member} is te groot om te lezen").format(member=repr(member)), path=path
                )
            data = read_member(archive, member, path)
        except InputError as exc:
            raise CodebookError(exc.message, path=path) from exc
    root = parse_xml(data, path)
    if local_name(root.tag) != "Project":
        raise CodebookError(
            _("{member} is geen REFI-QDA-project (hoofdelement {element})").format(
                member=repr(member), element=f"<{local_name(root.tag)}>"
            ),
            path=path,
        )
    return _codebook_from_root(root, path, root.get("name") or path.stem)


def write_qdc(
    codebook: Codebook, path: Path, groups: Sequence[tuple[str, str, Sequence[str]]] = ()
) -> tuple[str, ...]:
    """Write ``codebook`` as a .qdc, with its code ``groups`` (name, description, keys) as
    Sets; returns warnings about anything a .qdc cannot hold."""
    path = Path(path)
    if not codebook.codes:
        raise ExportError(
            _("het codeboek heeft geen codes; een .qdc heeft er minstens één nodig"), path=path
        )
    try:
        codes, warnings = build_codes(codebook.codes)
    except ValueError as exc:
        raise ExportError(
            _("kan het codeboek niet exporteren: {reason}").format(reason=exc), path=path
        ) from exc
    if codebook.version or codebook.description:
        warnings += (
            _("de versie en beschrijving van het codeboek passen niet in een .qdc; weggelaten"),
        )
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": ORIGIN})
    root.append(codes)
    warnings += write_code_sets(root, groups, {c.key for c in codebook.codes})
    indent(root)  # iterative, as a codebook from the project may be deep
    write_private(path, DECLARATION + to_bytes(root) + b"\n")
    return warnings
