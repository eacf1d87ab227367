"""Reading .qdpx files from other tools, and kwali's own .qdpx export (checked against the XSD)."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from kwali.errors import ExportError, InputError
from kwali.export.qdpx import export_qdpx
from kwali.io.qdpx import read_qdpx
from kwali.model import Code, Codebook, Transcript
from kwali.store import Project

from helpers import SHARED, shared_path

NS = 'xmlns="urn:QDA-XML:project:1.0"'
G = "{:08x}-0000-4000-8000-000000000000".format


def make_qdpx(
    path: Path, qde: str, files: dict[str, bytes] | None = None, qde_name: str = "project.qde"
) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(qde_name, qde.encode("utf-8"))
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- reading -------------------------------------------------------------------------------


def test_reads_vendor_variants(tmp_path):
    qde = f"""<Project {NS} name="p" origin="Tool 1">
      <Users><User guid="{{{G(1).upper()}}}" id="AB"/></Users>
      <CodeBook><Codes><Code guid="{G(2)}" name="Werk" isCodable="true"/></Codes></CodeBook>
      <Sources>
        <TextSource guid="{G(3)}" name="bom" plainTextPath="internal://{G(3)}.txt">
          <PlainTextSelection guid="{G(4)}" startPosition="0" endPosition="4">
            <Coding guid="{G(5)}" creatingUser="{G(1)}"><CodeRef targetGUID="{G(2).upper()}"/></Coding>
          </PlainTextSelection>
        </TextSource>
        <TextSource guid="{G(6)}" plainTextPath="bare.txt"/>
        <TextSource guid="{G(7)}" name="inline"><PlainTextContent>Tekst in de XML</PlainTextContent></TextSource>
        <TextSource guid="{G(8)}" name="word" richTextPath="internal://{G(8)}.docx"/>
        <TextSource guid="{G(9)}" name="extern" plainTextPath="relative://elders.txt"/>
        <PictureSource guid="{G(10)}" path="internal://x.jpg"/>
      </Sources>
      <Sets><Set guid="{G(11)}" name="s"/></Sets>
    </Project>"""
    path = make_qdpx(
        tmp_path / "v.qdpx",
        qde,
        {
            f"Sources/{G(3)}.txt": "\ufeffWerk\r\nen meer\r\n".encode(),
            "Sources/bare.txt": b"kale naam\n",
            f"Sources/{G(8)}.docx": docx_bytes(["Eerste alinea", "Tweede alinea"]),
        },
        qde_name="Mijn project.qde",
    )
    project = read_qdpx(path)
    assert [u.label for u in project.users] == ["AB"]  # no name: the id
    assert project.code_keys == {G(2): "werk"}
    by_name = {s.name: s for s in project.sources}
    bom = by_name["bom"]
    assert (
        bom.text == "Werk\nen meer\n" and bom.removed_cr == (4, 12) and bom.encoding == "utf-8-sig"
    )
    assert bom.selections[0].codings[0].code_guid == G(2) and bom.selections[0].codings[
        0
    ].user == G(1)
    assert by_name["bare"].text == "kale naam\n"  # name from plainTextPath when absent
    assert by_name["inline"].text_from == "content"
    assert (
        by_name["word"].text == "Eerste alinea\nTweede alinea"
        and by_name["word"].text_from == "docx"
    )
    assert "zit niet in de .qdpx" in by_name["extern"].skipped
    assert any("PictureSource" in w for w in project.warnings)
    assert [s.name for s in project.sets] == ["s"]  # read as a group (kwali.io.refi_sets)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notzip.qdpx", b"just text", "geen geldig REFI-QDA-project"),
        ("noqde.qdpx", None, "geen .qde-bestand"),
        ("root.qdpx", "<CodeBook/>", "is geen REFI-QDA-project"),
        ("dtd.qdpx", '<!DOCTYPE x [<!ENTITY a "b">]><Project name="x"/>', "DTD"),
        (
            "pos.qdpx",
            f'<Project {NS} name="x"><Sources><TextSource guid="{G(1)}"><PlainTextContent>abc'
            f'</PlainTextContent><PlainTextSelection guid="{G(2)}" startPosition="x" endPosition="2"/>'
            "</TextSource></Sources></Project>",
            "ongeldige startPosition",
        ),
    ],
)
def test_bad_files_give_one_line_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is None:
        make_qdpx(path, "", qde_name="readme.txt")
    else:
        make_qdpx(path, content)
    with pytest.raises(InputError) as info:
        read_qdpx(path)
    line = info.value.one_line()
    assert name in line and message in line and "\n" not in line


# --- export --------------------------------------------------------------------------------

TEXT = (
    "I: Hoe gaat het? 😀\nR: Ik werk bij de kringloop. Verplicht, ja.\n\nI: En de klantmanager?\n"
)


def build_project(project: Project) -> None:
    transcript = Transcript(text=TEXT, turns=(), source_name="int01.txt", format="txt")
    document, _ = project.add_document(
        transcript, lambda doc_id, uid: [], attributes={"rol": "werkzoekende"}
    )
    project.set_codebook(
        Codebook(
            "Tegenprestatie",
            (
                Code(
                    "werk", "Werk", kind="category", colour="#112233", definition="Alles over werk"
                ),
                Code("kringloop", "Kringloop", parent="werk", include="bij de kringloop"),
            ),
        ),
        "kwali",
    )
    start = TEXT.index("Ik werk")
    project.add_coding(document.id, start, start + 28, "kringloop", "anna", memo="mooi citaat")
    project.add_coding(document.id, start, start + 28, "kringloop", "bob")
    project.add_memo("document", str(document.id), "Goed gesprek", "anna")
    project.add_memo("project", "", "Eerste ronde", "bob")


@pytest.fixture
def exported(tmp_path, project) -> Path:
    build_project(project)
    out = tmp_path / "uit.qdpx"
    result = export_qdpx(project, out)
    assert (result.documents, result.codes, result.codings, result.users) == (1, 2, 2, 2)
    return out


def qde_of(path: Path) -> str:
    return zipfile.ZipFile(path).read("project.qde").decode("utf-8")


def test_export_validates_against_the_xsd(exported):
    xsd = SHARED / "refi" / "Project-mrt2019.xsd"
    if not xsd.exists():
        pytest.skip("../shared/refi/Project-mrt2019.xsd is not available")
    import xmlschema

    xmlschema.XMLSchema(str(xsd)).validate(qde_of(exported))


def test_export_content_reads_back(exported):
    project = read_qdpx(exported)
    assert sorted(u.label for u in project.users) == ["anna", "bob"]
    assert [(c.key, c.parent, c.kind, c.colour) for c in project.codes] == [
        ("werk", None, "category", "#112233"),
        ("kringloop", "werk", "code", ""),
    ]
    (source,) = project.sources
    assert source.text == TEXT and source.name == "int01"
    start = TEXT.index("Ik werk")
    # Offsets are code points of the exported text: the emoji before counts once.
    assert {(s.start, s.end) for s in source.selections} == {(start, start + 28)}
    users = {u.guid: u.label for u in project.users}
    assert sorted(users[s.codings[0].user] for s in source.selections) == ["anna", "bob"]
    assert [s.description for s in source.selections if s.description] == ["mooi citaat"]
    assert [v.name for v in project.variables] == ["rol"]
    # on the TextSource, where QualCoder and MAXQDA read file attributes; no Cases
    assert source.values == ((project.variables[0].guid, "werkzoekende"),) and not project.cases
    assert sorted(n.text for n in project.notes) == ["Eerste ronde", "Goed gesprek", "mooi citaat"]
    names = zipfile.ZipFile(exported).namelist()
    assert names[0] == "project.qde" and names[1] == f"sources/{source.guid}.txt"


def test_export_is_deterministic_private_and_refuses_to_overwrite(tmp_path, exported, project):
    again = tmp_path / "opnieuw.qdpx"
    export_qdpx(project, again)
    assert again.read_bytes() == exported.read_bytes()
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    with pytest.raises(ExportError, match="bestaat al"):
        export_qdpx(project, exported)
    export_qdpx(project, exported, force=True)
    assert exported.read_bytes() == again.read_bytes()


def test_export_of_an_empty_project_is_valid(tmp_path, project):
    out = tmp_path / "leeg.qdpx"
    export_qdpx(project, out)
    xsd = SHARED / "refi" / "Project-mrt2019.xsd"
    if xsd.exists():
        import xmlschema

        xmlschema.XMLSchema(str(xsd)).validate(qde_of(out))
    assert read_qdpx(out).sources == ()


# --- real files from other tools ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "users", "codes", "sources", "selections", "codings"),
    [
        ("nvivo12-win_hungarian-comments.qdpx", 2, 152, 2, 303, 303),
        ("nvivo15-mac_nested-codes.qdpx", 2, 262, 2, 0, 0),
        ("atlasti23-win_codebook-only.qdpx", 2, 3, 0, 0, 0),
        ("qc132_line-selections.qdpx", 1, 262, 2, 158, 205),
    ],
)
def test_real_fixtures_read(name, users, codes, sources, selections, codings):
    project = read_qdpx(shared_path("refi", name))
    assert len(project.users) == users and len(project.codes) == codes
    assert len(project.sources) == sources
    assert sum(len(s.selections) for s in project.sources) == selections
    assert sum(len(c.codings) for s in project.sources for c in s.selections) == codings
    assert len({c.key for c in project.codes}) == codes  # duplicate names still get unique keys


def test_real_nvivo_text_has_bom_and_crlf_removed():
    project = read_qdpx(shared_path("refi", "nvivo12-win_hungarian-comments.qdpx"))
    source = next(s for s in project.sources if s.selections)
    assert (
        source.encoding == "utf-8-sig"
        and len(source.removed_cr) == 15273
        and "\r" not in source.text
    )
    assert not source.text.startswith("\ufeff")
