"""Hostile codebooks, zips and REFI files are refused in one line, fast and in bounded memory.

Issue #11, items 4 and 5: a recursive YAML alias crashed with RecursionError, nine lines of
aliases ran for minutes, a zip with forged sizes was refused only after a 2.4 GB peak, and a
.qdpx with 100,000 nested codes imported and then hung or broke every export. Every hostile
file is built here, in the test.
"""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from kwali.errors import CodebookError, InputError, KwaliError
from kwali.export.qdpx import export_qdpx
from kwali.io.archive import open_zip, read_member
from kwali.io.code_limits import MAX_CODE_DEPTH, MAX_CODES
from kwali.io.codebook import dump_codebook, load_codebook, parse_codebook
from kwali.io.qdc import read_qdc, write_qdc
from kwali.io.qdpx import read_qdpx
from kwali.io.refi_xml import parse_xml
from kwali.model import Code, Codebook
from kwali.store import Project

PROJECT_NS = 'xmlns="urn:QDA-XML:project:1.0"'
GUID = "{:08x}-0000-4000-8000-000000000000".format


def one_line(exc: pytest.ExceptionInfo[KwaliError], path: Path) -> str:
    message = str(exc.value)
    assert "\n" not in message and message.startswith(str(path)), message
    return message


# --- codebook YAML ------------------------------------------------------------------------

LAUGHS = """\
name: lol
codes:
  - &a {key: a, label: A, signals: {lemmas: [lol, lol, lol, lol, lol, lol, lol, lol, lol]}}
  - &b {key: b, label: B, codes: [*a, *a, *a, *a, *a, *a, *a, *a, *a]}
  - &c {key: c, label: C, codes: [*b, *b, *b, *b, *b, *b, *b, *b, *b]}
  - &d {key: d, label: D, codes: [*c, *c, *c, *c, *c, *c, *c, *c, *c]}
  - &e {key: e, label: E, codes: [*d, *d, *d, *d, *d, *d, *d, *d, *d]}
  - &f {key: f, label: F, codes: [*e, *e, *e, *e, *e, *e, *e, *e, *e]}
  - &g {key: g, label: G, codes: [*f, *f, *f, *f, *f, *f, *f, *f, *f]}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_recursive_yaml_alias_is_refused_with_its_line(tmp_path):
    path = write(
        tmp_path,
        "lus.yaml",
        "name: Lus\ncodes: &alle\n  - key: a\n    label: A\n    codes: *alle\n",
    )
    with pytest.raises(CodebookError) as exc:
        load_codebook(path)
    message = one_line(exc, path)
    assert "regel 5" in message and "*alle" in message and "lus" in message


def test_an_alias_tree_is_refused_at_once_not_expanded(tmp_path):
    path = write(tmp_path, "lol.yaml", LAUGHS)
    start = time.monotonic()
    with pytest.raises(CodebookError) as exc:
        load_codebook(path)
    assert time.monotonic() - start < 2  # was > 120 s at 1.9 GB before the budget
    message = one_line(exc, path)
    assert "aliassen herhalen meer dan" in message and "regel " in message


def test_a_small_alias_shares_a_signal_list(tmp_path):
    codebook = parse_codebook(
        "name: Gedeeld\ncodes:\n"
        "  - {key: a, label: A, signals: {lemmas: &werk [werk, baan]}}\n"
        "  - {key: b, label: B, signals: {lemmas: *werk}}\n"
    )
    assert [c.signals.lemmas for c in codebook.codes] == [("werk", "baan")] * 2


def test_deep_yaml_nesting_is_refused(tmp_path):
    path = write(tmp_path, "diep.yaml", "name: Diep\ncodes: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(CodebookError) as exc:
        load_codebook(path)
    assert "niveaus diep" in one_line(exc, path)


def test_yaml_tags_construct_nothing(tmp_path):
    target = tmp_path / "aangemaakt"
    path = write(
        tmp_path,
        "tag.yaml",
        f"name: !!python/object/apply:pathlib.Path.touch [{str(target)!r}]\n"
        "codes: [{key: a, label: A}]\n",
    )
    with pytest.raises(CodebookError) as exc:
        load_codebook(path)
    assert "veld name moet tekst zijn" in one_line(exc, path)
    assert not target.exists()


def chain_yaml(levels: int) -> str:
    """A codebook whose codes form one parent chain ``levels`` deep, written flat."""
    lines = [f"  - {{key: c{i}, label: C{i}, parent: c{i - 1}}}" for i in range(1, levels)]
    return "name: Keten\ncodes:\n  - {key: c0, label: C0}\n" + "\n".join(lines) + "\n"


def test_codebook_depth_and_size_are_bounded(tmp_path):
    deepest = parse_codebook(chain_yaml(MAX_CODE_DEPTH))
    assert len(deepest.codes) == MAX_CODE_DEPTH
    assert parse_codebook(dump_codebook(deepest)) == deepest  # nested on dump, read back
    path = write(tmp_path, "te-diep.yaml", chain_yaml(MAX_CODE_DEPTH + 1))
    with pytest.raises(CodebookError) as exc:
        load_codebook(path)
    assert f"meer dan {MAX_CODE_DEPTH} niveaus diep" in one_line(exc, path)
    many = "".join(f"  - {{key: c{i}, label: C{i}}}\n" for i in range(MAX_CODES + 1))
    path = write(tmp_path, "te-veel.yaml", "name: Veel\ncodes:\n" + many)
    with pytest.raises(CodebookError) as exc:
        load_codebook(path)
    assert f"hoogstens {MAX_CODES:,}" in one_line(exc, path)


def test_a_long_parent_cycle_is_one_short_line(tmp_path):
    text = chain_yaml(3000).replace("{key: c0, label: C0}", "{key: c0, label: C0, parent: c2999}")
    with pytest.raises(CodebookError) as exc:
        parse_codebook(text, tmp_path / "cirkel.yaml")
    message = str(exc.value)
    assert (
        "bovenliggende codes vormen een kring" in message and "…" in message and len(message) < 400
    )


# --- zips with forged sizes -----------------------------------------------------------------


def forged_zip(
    members: dict[str, bytes], claimed: dict[str, int], method: int = zipfile.ZIP_DEFLATED
) -> bytes:
    """A zip whose local and central headers claim ``claimed[name]`` unpacked bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    raw = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as archive:
        for info in archive.infolist():
            if info.filename in claimed:  # the size field of the local header
                struct.pack_into("<I", raw, info.header_offset + 22, claimed[info.filename])
    at = raw.find(b"PK\x01\x02")
    while at >= 0:  # each central directory entry: name length at 28, name at 46
        (length,) = struct.unpack_from("<H", raw, at + 28)
        name = raw[at + 46 : at + 46 + length].decode()
        if name in claimed:
            struct.pack_into("<I", raw, at + 24, claimed[name])
        at = raw.find(b"PK\x01\x02", at + 46)
    return bytes(raw)


QDE = f'<Project {PROJECT_NS} name="p"><Sources/></Project>'


def refused_in_bounded_memory(read, path: Path) -> str:
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as exc:
            read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.0f} MB"
    return one_line(exc, path)


def test_a_zip_bomb_with_forged_sizes_is_refused_in_bounded_memory(tmp_path):
    bomb = b"\0" * (64 * 2**20)  # deflates about 1000:1; the header claims 1 KB
    path = tmp_path / "bom.qdpx"
    path.write_bytes(
        forged_zip({"project.qde": QDE.encode(), "sources/a.txt": bomb}, {"sources/a.txt": 1024})
    )
    message = refused_in_bounded_memory(read_qdpx, path)
    assert "pakt uit tot meer dan de kop zegt" in message


def test_a_member_larger_than_its_header_is_refused_even_when_incompressible(tmp_path):
    noise = bytes(range(256)) * 4096  # 1 MB that deflate cannot shrink: no ratio to trip
    path = tmp_path / "vals.docx"
    path.write_bytes(forged_zip({"word/document.xml": noise}, {"word/document.xml": 1000}))
    message = refused_in_bounded_memory(lambda p: open_zip(p, "Word (.docx)"), path)
    assert "'word/document.xml' pakt uit tot meer dan de kop zegt" in message


def test_a_true_bomb_is_refused_by_its_ratio(tmp_path):
    path = tmp_path / "bom.odt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", b" " * (8 * 2**20))  # honest sizes, 1000:1
    message = refused_in_bounded_memory(lambda p: open_zip(p, "OpenDocument (.odt)"), path)
    assert "lijkt een zip-bom" in message


def test_odd_compression_and_encryption_are_refused(tmp_path):
    path = tmp_path / "bz.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("project.qde", QDE)
    with pytest.raises(InputError) as exc:
        read_qdpx(path)
    assert "gecomprimeerd op een manier die kwali niet leest" in one_line(exc, path)
    raw = bytearray(forged_zip({"project.qde": QDE.encode()}, {}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        raw[raw.find(signature) + offset] |= 1  # the "encrypted" flag
    path.write_bytes(bytes(raw))
    with pytest.raises(InputError) as exc:
        read_qdpx(path)
    assert "versleuteld" in one_line(exc, path)


def test_read_member_stops_at_the_header_size(tmp_path):
    path = tmp_path / "los.zip"
    path.write_bytes(forged_zip({"a.txt": b"x" * 100_000}, {"a.txt": 10}))
    with zipfile.ZipFile(path) as archive:  # not through open_zip: read_member still bounds it
        with pytest.raises(InputError) as exc:
            read_member(archive, "a.txt", path)
    assert "'a.txt'" in one_line(exc, path)


def test_honest_zips_still_read(tmp_path):
    import random

    words = "ik moet van de gemeente werken bij kringloop maar mijn rug doet pijn".split()
    rng = random.Random(11)
    text = "\n".join(" ".join(rng.choices(words, k=12)) for _ in range(40_000))  # 2.4 MB
    qde = (
        f'<Project {PROJECT_NS} name="p"><Sources><TextSource guid="{GUID(1)}" name="a" '
        'plainTextPath="internal://a.txt"/></Sources></Project>'
    )
    path = tmp_path / "goed.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/a.txt", text)
    assert read_qdpx(path).sources[0].text == text


# --- code hierarchies and XML bounds in .qdc and .qdpx -------------------------------------


def nested_codes(levels: int) -> str:
    opening = "".join(
        f'<Code guid="{GUID(i)}" name="c{i}" isCodable="true">' for i in range(levels)
    )
    return opening + "</Code>" * levels


def flat_codes(count: int) -> str:
    return "".join(f'<Code guid="{GUID(i)}" name="c{i}" isCodable="true"/>' for i in range(count))


def qdpx_with(tmp_path: Path, codes: str, name: str = "codes.qdpx") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "project.qde",
            f'<Project {PROJECT_NS} name="p"><CodeBook><Codes>{codes}</Codes></CodeBook></Project>',
        )
    return path


def qdc_with(tmp_path: Path, codes: str, name: str = "codes.qdc") -> Path:
    path = tmp_path / name
    path.write_text(
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{codes}</Codes></CodeBook>',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (nested_codes(100_000), "nest de XML meer dan 4096 niveaus diep"),
        (nested_codes(MAX_CODE_DEPTH + 1), f"nest codes meer dan {MAX_CODE_DEPTH} niveaus"),
        (flat_codes(MAX_CODES + 1), f"heeft {MAX_CODES + 1:,} codes; kwali neemt er hoogstens"),
    ],
    ids=["100k-nested", "21-levels", "too-many"],
)
def test_code_trees_past_the_bounds_are_refused_fast(tmp_path, codes, message):
    for read, path, error in (
        (read_qdpx, qdpx_with(tmp_path, codes), InputError),
        (read_qdc, qdc_with(tmp_path, codes), CodebookError),
        (read_qdc, qdpx_with(tmp_path, codes, "als-codeboek.qdpx"), CodebookError),
    ):
        start = time.monotonic()
        with pytest.raises(error) as exc:
            read(path)
        assert time.monotonic() - start < 10
        assert message in one_line(exc, path)


def test_the_deepest_accepted_tree_reads(tmp_path):
    codebook = read_qdc(qdc_with(tmp_path, nested_codes(MAX_CODE_DEPTH)))
    assert len(codebook.codes) == MAX_CODE_DEPTH and codebook.codes[-1].parent == "c18"
    assert len(read_qdpx(qdpx_with(tmp_path, flat_codes(MAX_CODES))).codes) == MAX_CODES


def test_xml_element_count_is_bounded(tmp_path):
    data = ("<a>" + "<b/>" * 101 + "</a>").encode()
    with pytest.raises(InputError) as exc:
        parse_xml(data, tmp_path / "x.qde", error=InputError, max_elements=100)
    assert "meer dan 100 XML-elementen" in one_line(exc, tmp_path / "x.qde")
    assert len(parse_xml(data, tmp_path / "x.qde", max_elements=102)) == 101


def test_a_doctype_in_the_project_xml_is_refused_in_one_line(tmp_path):
    path = tmp_path / "dtd.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "project.qde",
            '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY e "x">]>'
            f'<Project {PROJECT_NS} name="&e;"/>',
        )
    with pytest.raises(InputError) as exc:
        read_qdpx(path)
    assert "DTD of entiteiten" in one_line(exc, path)


def test_a_doctype_in_a_docx_source_skips_that_source_with_a_reason(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Hallo daar")
    buffer = io.BytesIO()
    document.save(buffer)
    inner = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as archive:
        for name in inner.namelist():
            data = inner.read(name)
            if name == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY e "boem">]>', 1)
                data = data.replace(b"Hallo daar", b"Hallo &e;")
            archive.writestr(name, data)
    path = tmp_path / "docx.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "project.qde",
            f'<Project {PROJECT_NS} name="p"><Sources><TextSource guid="{GUID(1)}" name="a" '
            'richTextPath="internal://a.docx"/></Sources></Project>',
        )
        archive.writestr("sources/a.docx", hostile.getvalue())
    (source,) = read_qdpx(path).sources
    assert source.text == "" and "DTD" in source.skipped and "\n" not in source.skipped


# --- exports of a deep hierarchy ------------------------------------------------------------


def test_a_deep_stored_hierarchy_exports_without_recursion(tmp_path):
    """A project that took in a deep tree before imports were bounded can still export it."""
    levels = 3000  # far past Python's recursion limit
    codes = tuple(Code(f"c{i}", f"C{i}", parent=f"c{i - 1}" if i else None) for i in range(levels))
    project = Project.create(tmp_path / "diep.kwali")
    try:
        project.set_codebook(Codebook("Diep", codes))
        export_qdpx(project, tmp_path / "diep.qdpx")
    finally:
        project.close()
    with zipfile.ZipFile(tmp_path / "diep.qdpx") as archive:
        root = ET.fromstring(archive.read("project.qde"))
    assert sum(1 for e in root.iter() if e.tag.endswith("}Code")) == levels
    write_qdc(Codebook("Diep", codes), tmp_path / "diep.qdc")
    assert (tmp_path / "diep.qdc").read_bytes().count(b"<Code ") == levels


def test_a_refused_code_tree_leaves_the_project_unchanged(tmp_path):
    from kwali.app.exchange import import_exchange

    project = Project.create(tmp_path / "studie.kwali")
    try:
        project.set_codebook(Codebook("Eigen", (Code("eigen", "Eigen"),)))
        for path in (
            qdpx_with(tmp_path, nested_codes(100_000)),
            qdc_with(tmp_path, flat_codes(MAX_CODES + 1)),
        ):
            with pytest.raises(KwaliError) as exc:
                import_exchange(project, path)
            one_line(exc, path)
        assert project.codebook().keys() == ["eigen"]
    finally:
        project.close()


def test_a_selection_without_an_offset_is_named(tmp_path):
    path = tmp_path / "zonder.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "project.qde",
            f'<Project {PROJECT_NS} name="p"><Sources><TextSource guid="{GUID(1)}" name="a">'
            "<PlainTextContent>Hallo</PlainTextContent>"
            f'<PlainTextSelection guid="{GUID(2)}" endPosition="3"/></TextSource></Sources>'
            "</Project>",
        )
    with pytest.raises(InputError) as exc:
        read_qdpx(path)
    assert "een selectie zonder startPosition" in one_line(exc, path)
