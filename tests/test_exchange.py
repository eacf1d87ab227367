"""Importing REFI-QDA projects: offsets fit the text, nothing half-imported, round trip complete."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kwali.app.exchange import import_exchange
from kwali.app.importing import import_files
from kwali.errors import InputError, KwaliError
from kwali.export.qdpx import export_qdpx
from kwali.io.encoding import normalise_newlines
from kwali.io.qdc import write_qdc
from kwali.model import Code, Codebook
from kwali.store import Project

from helpers import SHARED, shared_path

NS = 'xmlns="urn:QDA-XML:project:1.0"'
G = "{:08x}-0000-4000-8000-000000000000".format

RAW = (
    "Interviewer: Hoe gaat het met de tegenprestatie? 😀\r\n"
    "Respondent: Ik werk drie ochtenden 🧹 in de kringloop.\r\n\r\n"
    "Interviewer: En de klantmanager? 📞\r\n"
    "Respondent: Die belt nooit terug. Ik heb een ontheffing gevraagd.\r\n"
)
TEXT, _ = normalise_newlines(RAW)
QUOTES = ("drie ochtenden 🧹 in de kringloop", "belt nooit terug", "ontheffing")


def utf16_crlf(raw: str, quote: str) -> tuple[int, int]:
    """NVivo's numbers: UTF-16 code units of the file's text, CRLF counted as two."""
    start = raw.index(quote)
    units = lambda s: len(s.encode("utf-16-le")) // 2  # noqa: E731
    return units(raw[:start]), units(raw[: start + len(quote)])


def lf_codepoints(quote: str) -> tuple[int, int]:
    """Atlas.ti's numbers: code points with a line break counted once."""
    start = TEXT.index(quote)
    return start, start + len(quote)


def project_xml(origin: str, spans: list[tuple[int, int]], memo: str = "", extra: str = "") -> str:
    selections = "".join(
        f'<PlainTextSelection guid="{G(100 + i)}" name="" startPosition="{s}" endPosition="{e}" '
        f'creatingUser="{G(1)}"><Description>{memo}</Description>'
        f'<Coding guid="{G(200 + i)}" creatingUser="{G(2 if i % 2 else 1)}"><CodeRef targetGUID="{G(11)}"/>'
        f"</Coding></PlainTextSelection>"
        for i, (s, e) in enumerate(spans)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
    <Project {NS} name="studie" origin="{origin}">
      <Users><User guid="{G(1)}" name="Anna"/><User guid="{G(2)}" name="Bob"/></Users>
      <CodeBook><Codes><Code guid="{G(10)}" name="Werk" isCodable="false" color="#AABBCC">
        <Code guid="{G(11)}" name="Kringloop" isCodable="true"><Description>Werk in de kringloop</Description></Code>
      </Code></Codes></CodeBook>
      <Variables><Variable guid="{G(20)}" name="rol" typeOfVariable="Text"/></Variables>
      <Cases><Case guid="{G(21)}" name="R1"><VariableValue><VariableRef targetGUID="{G(20)}"/>
        <TextValue>werkzoekende</TextValue></VariableValue><SourceRef targetGUID="{G(30)}"/></Case></Cases>
      <Sources><TextSource guid="{G(30)}" name="interview 1" plainTextPath="internal://{G(30)}.txt">
        {selections}</TextSource></Sources>{extra}
    </Project>"""


def write_qdpx(
    path: Path, qde: str, text: bytes, folder: str = "sources", qde_name: str = "project.qde"
) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(qde_name, qde)
        archive.writestr(f"{folder}/{G(30)}.txt", text)
    return path


@pytest.fixture
def nvivo_like(tmp_path) -> Path:
    spans = [utf16_crlf(RAW, q) for q in QUOTES]
    return write_qdpx(
        tmp_path / "nvivo.qdpx",
        project_xml("NVivo for Windows 12.6", spans),
        b"\xef\xbb\xbf" + RAW.encode(),
        folder="Sources",
    )


def coded_texts(project: Project) -> list[tuple[str, str, str]]:
    doc = project.require_document(project.document_ids()[0])
    return sorted((doc.text[c.start : c.end], c.code_key, c.coder) for c in project.codings())


def test_nvivo_like_file_utf16_crlf_bom(project, nvivo_like, nlp):
    report = import_exchange(project, nvivo_like, nlp=nlp)
    assert (report.documents, report.codes, report.codings) == (1, 2, 3)
    assert report.users == ("Anna", "Bob")
    assert coded_texts(project) == sorted(
        [
            (QUOTES[0], "kringloop", "Anna"),
            (QUOTES[1], "kringloop", "Bob"),
            (QUOTES[2], "kringloop", "Anna"),
        ]
    )
    (source,) = report.sources
    assert source.reading == "utf16" and not source.issues
    doc = project.require_document(project.document_ids()[0])
    assert (
        doc.text == TEXT and doc.name == "interview 1" and doc.attributes == {"rol": "werkzoekende"}
    )
    assert project.code("werk").kind == "category" and project.code("werk").colour == "#AABBCC"
    assert project.code("kringloop").parent == "werk"
    assert any("UTF-16" in line for line in report.lines())


def test_atlas_like_file_lf_counted_with_comments(project, tmp_path, nlp):
    spans = [lf_codepoints(q) for q in QUOTES]
    path = write_qdpx(
        tmp_path / "atlas.qdpx",
        project_xml("ATLAS.ti 23.2", spans, memo="mooi citaat"),
        RAW.encode(),
        qde_name="studie.qde",
    )
    report = import_exchange(project, path, nlp=nlp)
    assert report.sources[0].reading == "codepoints-lf"
    assert [t for t, _, _ in coded_texts(project)] == sorted(QUOTES)
    assert {c.memo for c in project.codings()} == {"mooi citaat"}  # Description = quotation comment


def test_reimport_merges_instead_of_duplicating(project, nvivo_like, nlp):
    import_exchange(project, nvivo_like, nlp=nlp)
    before = (project.counts(), len(project.codings()), len(project.memos()))
    report = import_exchange(project, nvivo_like, nlp=nlp)
    assert (
        report.documents,
        report.existing_documents,
        report.codings,
        report.codings_existing,
    ) == (0, 1, 0, 3)
    assert (project.counts(), len(project.codings()), len(project.memos())) == before


def test_reimport_adds_new_codings_to_the_known_document(project, tmp_path, nvivo_like, nlp):
    import_exchange(project, nvivo_like, nlp=nlp)
    more = [utf16_crlf(RAW, q) for q in (*QUOTES, "tegenprestatie")]
    path = write_qdpx(
        tmp_path / "meer.qdpx", project_xml("NVivo", more), b"\xef\xbb\xbf" + RAW.encode()
    )
    report = import_exchange(project, path, nlp=nlp)
    assert (report.documents, report.codings, report.codings_existing) == (0, 1, 3)
    assert project.counts()["documents"] == 1 and len(project.codings()) == 4


def snapshot(project: Project) -> tuple:
    return (
        project.counts(),
        project.codebook(),
        project.codings(),
        project.memos(),
        project.document_summaries(),
    )


def test_unreconcilable_file_changes_nothing(project, tmp_path, nvivo_like, nlp):
    import_exchange(project, nvivo_like, nlp=nlp)
    before = snapshot(project)
    spans = [(5000 + i, 5010 + i) for i in range(5)]
    bad = write_qdpx(tmp_path / "scheef.qdpx", project_xml("X", spans), b"andere tekst\n")
    with pytest.raises(InputError) as info:
        import_exchange(project, bad, nlp=nlp)
    line = info.value.one_line()
    assert "scheef.qdpx" in line and "interview 1" in line and "\n" not in line
    assert snapshot(project) == before


def test_a_late_failure_rolls_everything_back(project, tmp_path, nlp, monkeypatch):
    """Even a failure while writing leaves the project as it was (one transaction)."""
    spans = [utf16_crlf(RAW, q) for q in QUOTES]
    path = write_qdpx(tmp_path / "ok.qdpx", project_xml("NVivo", spans), RAW.encode())
    before = snapshot(project)

    def boom(*args, **kwargs):
        raise KwaliError("disk full")

    monkeypatch.setattr(project, "add_memo", boom)
    monkeypatch.setattr(project, "add_coding", boom)
    with pytest.raises(KwaliError):
        import_exchange(project, path, nlp=nlp)
    assert snapshot(project) == before


def test_not_a_refi_project_changes_nothing(project, tmp_path, nlp):
    before = snapshot(project)
    path = tmp_path / "codeboek.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", "<CodeBook/>")
    with pytest.raises(InputError, match="codeboek.qdpx: is geen REFI-QDA-project"):
        import_exchange(project, path, nlp=nlp)
    assert snapshot(project) == before


def test_unknown_code_and_notes_are_reported_and_kept(project, tmp_path, nlp):
    spans = [lf_codepoints(QUOTES[0])]
    extra = (
        f'<Notes><Note guid="{G(40)}" name="Losse notitie" creatingUser="{G(2)}">'
        f"<PlainTextContent>Let op de toon</PlainTextContent></Note></Notes>"
    )
    qde = project_xml("Tool", spans, extra=extra).replace(
        f'<CodeRef targetGUID="{G(11)}"/>', f'<CodeRef targetGUID="{G(99)}"/>'
    )
    report = import_exchange(project, write_qdpx(tmp_path / "x.qdpx", qde, RAW.encode()), nlp=nlp)
    assert report.codings == 0 and any("onbekende code" in w for w in report.warnings)
    (memo,) = project.memos("project")
    assert memo.coder == "Bob" and "Let op de toon" in memo.text


# --- round trip -----------------------------------------------------------------------------------


def fill(project: Project, tmp_path: Path, write_docx, nlp) -> None:
    (tmp_path / "int01.txt").write_text(RAW, encoding="utf-8")
    write_docx(
        "int02.docx",
        ["I: Wat doet u als tegenprestatie?", "R: Ik help in de buurttuin. 🌱 Elke week."],
    )
    import_files(
        project, [tmp_path / "int01.txt"], attributes={"rol": "werkzoekende", "aanpak": "A"}
    )
    import_files(project, [tmp_path / "int02.docx"], attributes={"rol": "klantmanager"})
    project.set_codebook(
        Codebook(
            "Tegenprestatie",
            (
                Code(
                    "werk",
                    "Werk",
                    kind="category",
                    colour="#112233",
                    definition="Over werk",
                    examples=("Ik werk",),
                ),
                Code(
                    "kringloop",
                    "Kringloop",
                    parent="werk",
                    include="de kringloop",
                    exclude="winkels",
                ),
                Code("tuin", "Kringloop", parent=None),  # same label, different code
            ),
        ),
        "kwali",
    )
    one, two = (project.require_document(i) for i in project.document_ids())
    for doc, quote, code, coder, memo in [
        (one, "drie ochtenden 🧹 in de kringloop", "kringloop", "anna", "typisch"),
        (one, "drie ochtenden 🧹 in de kringloop", "kringloop", "bob", ""),
        (one, "ontheffing", "werk", "anna", ""),
        (two, "buurttuin. 🌱 Elke week", "tuin", "bob", "regel 2\nmet twee regels"),
    ]:
        start = doc.text.index(quote)
        coding = project.add_coding(doc.id, start, start + len(quote), code, coder, memo=memo)
    project.add_memo("coding", str(coding.id), "nog bespreken", "anna")
    project.add_memo("project", "", "Eerste ronde klaar", "bob")
    project.add_memo("document", str(one.id), "Rustig gesprek", "anna")
    project.add_memo("code", "werk", "Breed houden", "bob")
    project.add_memo("segment", project.segments(two.id)[0].id, "Open vraag", "anna")


def portable(project: Project) -> dict:
    docs = {d.id: d for d in (project.require_document(i) for i in project.document_ids())}
    codings = {c.id: c for c in project.codings()}

    def target(m):  # memo targets by content, not by row id
        if m.target_kind == "document":
            return docs[int(m.target_id)].sha256
        if m.target_kind == "coding":
            c = codings[int(m.target_id)]
            return (docs[c.document_id].sha256, c.start, c.end, c.code_key, c.coder)
        return "" if m.target_kind == "project" else m.target_id

    return {
        "documents": sorted((d.name, d.text, dict(d.attributes)) for d in docs.values()),
        "codes": project.codebook().codes,
        "codings": sorted(
            (docs[c.document_id].sha256, c.start, c.end, c.code_key, c.coder, c.memo)
            for c in codings.values()
        ),
        "memos": sorted((m.target_kind, str(target(m)), m.coder, m.text) for m in project.memos()),
    }


def test_round_trip_keeps_everything(project, tmp_path, write_docx, nlp):
    fill(project, tmp_path, write_docx, nlp)
    out = tmp_path / "studie.qdpx"
    result = export_qdpx(project, out)
    # what other tools would make of it is said: 'Kringloop' twice, an emoji before a coding
    assert [w.split(" ", 2)[:2] for w in result.warnings] == [["1", "codenaam"], ["document", "1:"]]
    validate(out)  # memos on codes, codings and sentences sit where the schema allows
    with Project.in_memory() as again:
        report = import_exchange(again, out, nlp=nlp)
        assert not report.warnings and all(not s.issues for s in report.sources)
        assert portable(again) == portable(project)
        # and once more: the copy exports the same file, apart from when things were done
        export_qdpx(again, tmp_path / "copy.qdpx")
    assert without_times(tmp_path / "copy.qdpx") == without_times(out)


def validate(path: Path) -> None:
    xsd = SHARED / "refi" / "Project-mrt2019.xsd"
    if xsd.exists():  # without ../shared the other checks still run
        import xmlschema

        xmlschema.XMLSchema(str(xsd)).validate(zipfile.ZipFile(path).read("project.qde").decode())


def without_times(path: Path) -> dict[str, str]:
    archive = zipfile.ZipFile(path)
    return {
        name: re.sub(r'(creation|modified)DateTime="[^"]*"', "", archive.read(name).decode())
        for name in archive.namelist()
    }


# --- routing and the command line ------------------------------------------------------------------


def test_import_files_routes_qdpx_and_qdc(project, tmp_path, nvivo_like):
    qdc = tmp_path / "boek.qdc"
    write_qdc(Codebook("b", (Code("armoede", "Armoede"),)), qdc)
    results = import_files(project, [nvivo_like, qdc])
    assert all(r.ok for r in results)
    assert results[0].report.codings == 3 and results[1].report.codes_added == 1
    assert project.code("armoede") is not None


def test_cli_import_prints_report_and_fails_cleanly(tmp_path, nvivo_like):
    from kwali.cli import cli

    runner = CliRunner()
    target = tmp_path / "p.kwali"
    assert runner.invoke(cli, ["init", str(target)]).exit_code == 0
    result = runner.invoke(cli, ["import", "-p", str(target), str(nvivo_like)])
    assert result.exit_code == 0, result.output
    assert (
        "1 nieuw document" in result.output
        and "3 coderingen" in result.output
        and "UTF-16" in result.output
    )
    (tmp_path / "kapot.qdpx").write_bytes(b"nope")
    bad = runner.invoke(cli, ["import", "-p", str(target), str(tmp_path / "kapot.qdpx")])
    assert bad.exit_code == 1 and "kapot.qdpx" in bad.output and "Traceback" not in bad.output


# --- real exports from other tools -------------------------------------------------------------------

REAL = {
    # name: (documents, codes, codings, users, reading of the coded source)
    "nvivo12-win_hungarian-comments.qdpx": (2, 152, 303, ("Gergo", "floriansipos"), "utf16"),
    "nvivo15-mac_nested-codes.qdpx": (0, 262, 0, ("chrisp", "cp"), None),
    "atlasti23-win_codebook-only.qdpx": (0, 3, 0, ("Enric Llagostera", "ATLAS.ti"), None),
    "qc132_line-selections.qdpx": (2, 262, 205, ("cp",), "codepoints"),
}


@pytest.mark.parametrize("name", list(REAL))
def test_real_fixture_imports(name, project, nlp):
    documents, codes, codings, users, reading = REAL[name]
    report = import_exchange(project, shared_path("refi", name), nlp=nlp)
    assert (report.documents, report.codes, report.codings, report.users) == (
        documents,
        codes,
        codings,
        users,
    )
    assert len(project.codebook().codes) == codes and len(project.codings()) == codings
    coded = [s for s in report.sources if s.codings]
    assert [s.reading for s in coded] == ([reading] if reading else [])
    assert all(not s.issues for s in coded)  # no drift in any of them
    if name.startswith("nvivo12"):
        doc = project.require_document(coded[0].document_number)
        quotes = [doc.text[c.start : c.end] for c in project.codings(document_id=doc.id)]
        assert any(
            q.startswith("Senkit nem lehet kötelezni oltásra, ") for q in quotes
        )  # (3137, 3284)
        assert coded[0].edge_fit >= 300
    if name.startswith("nvivo15"):
        assert [s.status for s in report.sources] == ["skipped", "skipped"]
        labels = [c.label for c in project.codebook().codes]
        assert labels.count("programming") == 2  # same name under two parents, two codes
    if name.startswith("qc132"):
        assert coded[0].checked == 158  # every selection's "line:N" matched


@pytest.mark.parametrize("name", ["qc132_line-selections.qdpx", "nvivo15-mac_nested-codes.qdpx"])
def test_real_fixture_round_trips_through_kwali_export(name, project, tmp_path, nlp):
    import_exchange(project, shared_path("refi", name), nlp=nlp)
    out = tmp_path / "terug.qdpx"
    export_qdpx(project, out)
    validate(out)
    with Project.in_memory() as again:
        report = import_exchange(again, out, nlp=nlp)
        assert all(not s.issues for s in report.sources)
        assert portable(again) == portable(project)
