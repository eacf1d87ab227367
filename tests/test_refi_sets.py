"""REFI-QDA Sets and Links: read from other tools' files as groups and links, written back
on export (.qdpx and .qdc, checked against the XSDs), and kept through kwali → .qdpx → kwali."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kwali.app.exchange import import_exchange
from kwali.export.options import QdpxOptions
from kwali.export.qdpx import export_qdpx
from kwali.io.qdc import read_qdc_contents, write_qdc
from kwali.io.qdpx import read_qdpx
from kwali.store import Project
from kwali.store.groups import Group, Link

from helpers import AGREEMENT_CODEBOOK, SENTENCES, SHARED, add_interview, shared_path

G = "{:08x}-0000-4000-8000-000000000000".format
TEXT = "Ik kreeg een brief van de gemeente. Ik was bang voor een korting."


def _qdpx(path: Path, sets: str, links: str = "") -> Path:
    """A one-source project with one coded selection (G(4)), plus ``links`` and ``sets``."""
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="Tool 1">
  <CodeBook><Codes><Code guid="{G(2)}" name="Brief" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{G(3)}" name="een"><PlainTextContent>{TEXT}</PlainTextContent>
      <PlainTextSelection guid="{G(4)}" startPosition="3" endPosition="34">
        <Coding guid="{G(5)}"><CodeRef targetGUID="{G(2)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{G(6)}" startPosition="36" endPosition="65"/>
    </TextSource>
  </Sources>
  {links}
  {sets}
</Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    return path


def _validate(xml: str | bytes, schema: str) -> None:
    xsd = SHARED / "refi" / schema
    if not xsd.exists():
        pytest.skip(f"../shared/refi/{schema} is not available")
    xmlschema = pytest.importorskip("xmlschema")
    xmlschema.XMLSchema(str(xsd)).validate(xml if isinstance(xml, str) else xml.decode())


# --- other tools' files ----------------------------------------------------------------------


def test_maxqda_document_sets_become_document_groups_with_their_members(tmp_path, nlp):
    source = shared_path("refi", "maxqda24_ten-docs_sets.qdpx")
    with Project.create(tmp_path / "p.kwali") as project:
        report = import_exchange(project, source, nlp=nlp)
        groups = project.groups("document")
        assert [g.name for g in groups] == ["ICLS 2024", "ICLS 2025"]
        names = {g.name: [project.require_document(d).name for d in g.members] for g in groups}
        assert names["ICLS 2024"] == [
            "ICLS 2024 3-10",
            "ICLS 2024 11-18",
            "ICLS 2024 19-26",
            "ICLS 2024 27-34",
            "ICLS 2024 35-42",
        ]
        assert all(n.startswith("ICLS 2025 ") for n in names["ICLS 2025"])
        assert len(names["ICLS 2025"]) == 5
        assert not any("weggelaten" in w and "set" in w for w in report.warnings)
        assert report.groups == (
            "Sets: 2 gelezen, 2 nieuwe groepen, 10 lidmaatschappen toegevoegd; "
            "links: 0 gelezen, 0 toegevoegd"
        )
        assert "  " + report.groups in report.lines()


def test_atlas_code_group_in_a_qdc_arrives_and_undo_removes_it(tmp_path):
    source = shared_path("refi", "atlasti23.4-win_codebook-with-group.qdc")
    with Project.create(tmp_path / "p.kwali") as project:
        report = import_exchange(project, source, coder="anna")
        assert report.groups == "Sets: 1 gelezen, 1 nieuwe groepen, 1 lidmaatschappen toegevoegd"
        assert "  " + report.groups in report.lines()
        (group,) = project.groups("code")
        assert (group.name, group.description, group.members) == (
            "code group 1",
            "kategorie 1",
            ("code1",),
        )
        assert project.groups_of_code("code1") == ["code group 1"]
        project.undo("anna")
        assert project.groups() == []
        assert project.code("code1") is not None  # the codes were a step of their own


def test_a_set_member_or_link_end_naming_nothing_is_one_line_each(tmp_path, nlp):
    path = _qdpx(
        tmp_path / "vijandig.qdpx",
        f"""<Sets><Set guid="{G(7)}" name="groep">
              <MemberSource targetGUID="{G(3)}"/><MemberSource targetGUID="{G(90)}"/>
              <MemberCode targetGUID="{G(91)}"/>
            </Set></Sets>""",
        f"""<Links><Link guid="{G(8)}" name="ok" originGUID="{G(4)}" targetGUID="{G(6)}"/>
              <Link guid="{G(9)}" name="weg" originGUID="{G(4)}" targetGUID="{G(92)}"/>
              <Link guid="{G(10)}" name="code" originGUID="{G(2)}" targetGUID="{G(6)}"/>
            </Links>""",
    )
    project = Project.in_memory()
    report = import_exchange(project, path, nlp=nlp)
    said = [w for w in report.warnings if "weggelaten" in w]
    assert said == [
        "set 'groep': 1 lid dat geen code noemt; 1 lid dat geen bron noemt: weggelaten",
        "2 links weggelaten: een uiteinde is geen selectie of bron die kwali importeerde "
        "(kwali verbindt citaten)",
    ]
    (group,) = project.groups()
    assert (group.kind, group.members) == ("document", (project.document_ids()[0],))
    (link,) = project.links()
    assert (link.name, link.origin[1:], link.target[1:]) == ("ok", (3, 34), (36, 65))


# --- kwali's own files -------------------------------------------------------------------------


def _grouped_project() -> Project:
    project = Project.in_memory()
    project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
    one = add_interview(project, "een")
    two = add_interview(project, "twee", SENTENCES[::-1])
    a, b = one[0].document_id, two[0].document_id
    project.add_coding(a, one[0].start, one[0].end, "dwang", "anna")
    project.import_groups(
        [
            Group("document", "wijk A", "eerste ronde", (a, b)),
            Group("document", "mannen", "", (b,)),
            Group("code", "druk", "wat moet", ("dwang", "brief")),
        ],
        [
            Link((a, one[0].start, one[0].end), (b, two[1].start, two[1].end), "spreekt tegen"),
            Link((b, two[2].start, two[2].end), (a, one[3].start, one[3].end), "volgt", "OneWay"),
        ],
        "anna",
        "hand",
    )
    return project


def _named(names: dict[int, str], member: int | str) -> str:
    return names[member] if isinstance(member, int) else member


def _shape(project: Project) -> tuple:
    names = {d: project.require_document(d).name for d in project.document_ids()}
    groups = sorted(
        (g.kind, g.name, g.description, tuple(sorted(_named(names, m) for m in g.members)))
        for g in project.groups()
    )
    links = sorted(
        (
            names[k.origin[0]],
            k.origin[1:],
            names[k.target[0]],
            k.target[1:],
            k.name,
            k.direction,
        )
        for k in project.links()
    )
    return groups, links


@pytest.mark.parametrize("line_endings", ["lf", "crlf"])
def test_export_writes_sets_and_links_that_validate_and_read_back(tmp_path, nlp, line_endings):
    project = _grouped_project()
    out = tmp_path / "studie.qdpx"
    result = export_qdpx(project, out, options=QdpxOptions(line_endings=line_endings))
    assert not [w for w in result.warnings if "link" in w or "group" in w]
    qde = zipfile.ZipFile(out).read("project.qde").decode("utf-8")
    _validate(qde, "Project-mrt2019.xsd")
    refi = read_qdpx(out)
    assert sorted(s.name for s in refi.sets) == ["druk", "mannen", "wijk A"]
    assert len(refi.links) == 2
    assert not any("Set" in w or "Link" in w for w in refi.warnings)
    # a link end with no selection of its own gets one that names the link, for tools
    # without links (QualCoder shows it as an annotation); kwali reads it as no memo
    assert '<Description>Link "volgt" → een: "Nu vind ik het leuk."</Description>' in qde
    assert '<Description>Link "spreekt tegen" — een: "Ik kreeg een brief' in qde
    # kwali → .qdpx → kwali: the same groups, members and links
    back = Project.in_memory()
    import_exchange(back, out, nlp=nlp)
    assert _shape(back) == _shape(project)
    assert back.memos() == []
    # and importing it again adds nothing
    again = import_exchange(back, out, nlp=nlp)
    assert again.groups == (
        "Sets: 3 gelezen, 0 nieuwe groepen, 0 lidmaatschappen toegevoegd; "
        "links: 2 gelezen, 0 toegevoegd"
    )


def test_qdc_export_writes_code_groups_that_validate_and_read_back(tmp_path):
    project = _grouped_project()
    groups = [(g.name, g.description, [str(m) for m in g.members]) for g in project.groups("code")]
    path = tmp_path / "cb.qdc"
    write_qdc(project.codebook(), path, groups)
    _validate(path.read_bytes(), "Codebook.xsd")
    contents = read_qdc_contents(path)
    (refi_set,) = contents.sets
    assert refi_set.name == "druk" and refi_set.description == "wat moet"
    assert [contents.keys[g] for g in refi_set.codes] == ["dwang", "brief"]
    back = Project.in_memory()
    import_exchange(back, path)
    assert [(g.name, g.members) for g in back.groups("code")] == [("druk", ("dwang", "brief"))]


def test_a_dry_run_says_what_sets_would_come_in_and_writes_nothing(tmp_path):
    source = shared_path("refi", "maxqda24_ten-docs_sets.qdpx")
    with Project.create(tmp_path / "p.kwali") as project:
        report = import_exchange(project, source, dry_run=True)
        assert report.groups == (
            "Sets: 2 gelezen, zou 2 groepen geven met 10 lidmaatschappen; links: 0 gelezen, "
            "0 met beide uiteinden geplaatst"
        )
        assert project.groups() == [] and project.document_ids() == []


def test_qualcoder_reads_document_sets_as_file_attributes_and_links_as_annotations(tmp_path):
    runner = shared_path("tools", "qualcoder-import", "run.py")
    out = tmp_path / "qc" / "studie.qdpx"
    out.parent.mkdir()
    export_qdpx(_grouped_project(), out)
    dump = tmp_path / "qc.json"
    result = subprocess.run(
        [sys.executable, str(runner), str(out), "qdpx", str(dump)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and "import ok: True" in result.stdout, result.stdout
    stored = json.loads(dump.read_text(encoding="utf-8"))
    assert sorted((row[0], row[2]) for row in stored["attribute"]) == [
        ("mannen", "mannen"),
        ("wijk A", "wijk A"),
        ("wijk A", "wijk A"),
    ]
    notes = sorted((row[0], row[3], row[4]) for row in stored["annotation"])
    assert notes == [
        ("een", 'Link "volgt" ← twee: "Kijk naar wat iemand kan."', "anna"),
        ("twee", 'Link "spreekt tegen" — een: "Ik kreeg een brief van de gemeente."', "anna"),
        ("twee", 'Link "volgt" → een: "Nu vind ik het leuk."', "anna"),
    ]
