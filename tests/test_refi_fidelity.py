"""Exchange fidelity on the reading side (#13): no coding on the wrong text, no foreign text
read as kwali's fields, document and project memos kept, NVivo's UTF-16 offsets after emoji,
and no spaCy when there is nothing to segment."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwali.app.exchange import import_exchange
from kwali.export.codebook_file import write_codebook_file
from kwali.export.qdpx import export_qdpx
from kwali.io.qdc import read_qdc
from kwali.io.refi import format_description, parse_description
from kwali.io.refi_offsets import RawSelection, reconcile
from kwali.model import Code, Codebook, Signals
from kwali.store import Project

from helpers import shared_path

NS = 'xmlns="urn:QDA-XML:project:1.0"'
G = "{:08x}-0000-4000-8000-000000000000".format
TEXT = "Interviewer: Moet u werken?\nRespondent: Ik moet werken van de gemeente. Elke week.\n"


def units16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def project_qde(
    origin: str,
    source: str,
    *,
    description: str = "",
    codes: str = "",
    project_description: str = "",
) -> str:
    codes = codes or (
        f'<Code guid="{G(11)}" name="Moeten" isCodable="true">'
        f"<Description>{description}</Description></Code>"
    )
    about = f"<Description>{project_description}</Description>" if project_description else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
    <Project {NS} name="studie" origin="{origin}" creatingUserGUID="{G(1)}">
      <Users><User guid="{G(1)}" name="Anna"/><User guid="{G(2)}" name="Bob"/></Users>
      <CodeBook><Codes>{codes}</Codes></CodeBook>
      <Sources>{source}</Sources>{about}
    </Project>"""


def selection(text: str, quote: str, number: int = 0) -> str:
    start = text.index(quote)
    return (
        f'<PlainTextSelection guid="{G(100 + number)}" name="" startPosition="{start}" '
        f'endPosition="{start + len(quote)}" creatingUser="{G(1)}">'
        f'<Description>waarom</Description><Coding guid="{G(200 + number)}" creatingUser="{G(1)}">'
        f'<CodeRef targetGUID="{G(11)}"/></Coding></PlainTextSelection>'
    )


def write_zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def docx_bytes(text: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- 1. codings never land on a text kwali cannot check ------------------------------------


def without_plain_text(source: Path, target: Path) -> Path:
    """The .qdpx with its .txt members taken out (the .docx beside them stay)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if not info.filename.lower().endswith(".txt"):
                new.writestr(info, old.read(info))
    return target


def test_nvivo12_without_its_plain_text_keeps_the_texts_and_refuses_the_codings(
    project, tmp_path, nlp
):
    fixture = shared_path("refi", "nvivo12-win_hungarian-comments.qdpx")
    path = without_plain_text(fixture, tmp_path / "nvivo12-docx-only.qdpx")
    report = import_exchange(project, path, nlp=nlp)
    assert report.documents == 2 and report.codes == 152
    assert report.codings == 0 and project.codings() == []
    (line,) = [x for x in report.lines() if "videos_10_selected" in x]
    assert "303 selecties (303 coderingen) weggelaten" in line and "Word-bestand" in line
    assert "woordgrenzen" not in line  # nothing was placed, so nothing to judge


def test_nvivo12_with_its_plain_text_places_the_documented_selection(project, nlp):
    fixture = shared_path("refi", "nvivo12-win_hungarian-comments.qdpx")
    report = import_exchange(project, fixture, nlp=nlp)
    assert report.codings == 303
    source = next(s for s in report.sources if s.name == "videos_10_selected")
    assert source.reading == "utf16" and source.issues == ()
    document = project.require_document(source.document_number)
    texts = [document.text[c.start : c.end] for c in project.codings(document_id=document.id)]
    # README of ../shared/refi: (3137, 3284) reads this; 892 emoji lie before some selections.
    assert any(t.startswith("Senkit nem lehet kötelezni oltásra") for t in texts)


def test_a_docx_only_source_brings_its_text_and_memos_but_not_its_selections(
    project, tmp_path, nlp
):
    source = (
        f'<TextSource guid="{G(30)}" name="int01" richTextPath="internal://{G(30)}.docx">'
        f"{selection(TEXT, 'moet werken van de gemeente')}"
        f'<Coding guid="{G(300)}" creatingUser="{G(2)}"><CodeRef targetGUID="{G(11)}"/></Coding>'
        f"<Description>Gesprek bij de klant thuis</Description></TextSource>"
    )
    path = write_zip(
        tmp_path / "word.qdpx",
        {
            "project.qde": project_qde("NVivo for Windows 12.6", source),
            f"sources/{G(30)}.docx": docx_bytes(TEXT),
        },
    )
    report = import_exchange(project, path, nlp=nlp)
    assert report.documents == 1
    (coding,) = project.codings()  # only the coding of the whole source: nothing to guess
    document = project.require_document(coding.document_id)
    assert (coding.start, coding.end, coding.coder) == (0, len(document.text), "Bob")
    assert "Ik moet werken van de gemeente" in document.text
    assert [m.text for m in project.memos("document")] == ["Gesprek bij de klant thuis"]
    (line,) = [x for x in report.lines() if "int01" in x]
    assert "1 selectie (1 codering) weggelaten" in line


def test_a_plain_text_source_is_still_checked_and_placed(project, tmp_path, nlp):
    source = (
        f'<TextSource guid="{G(30)}" name="int01" plainTextPath="internal://{G(30)}.txt" '
        f'richTextPath="internal://{G(30)}.docx">{selection(TEXT, "moet werken van")}</TextSource>'
    )
    path = write_zip(
        tmp_path / "plain.qdpx",
        {
            "project.qde": project_qde("ATLAS.ti 23", source),
            f"sources/{G(30)}.txt": TEXT,
            f"sources/{G(30)}.docx": docx_bytes("Een heel andere tekst.\n" + TEXT),
        },
    )
    report = import_exchange(project, path, nlp=nlp)
    (coding,) = project.codings()
    document = project.require_document(coding.document_id)
    assert document.text[coding.start : coding.end] == "moet werken van"
    assert coding.memo == "waarom" and report.sources[0].reason == ""


# --- 2. a foreign description is the definition, verbatim -------------------------------------

FOREIGN = "Signals: when the client says so\nKey: the central code\nInclude: all of it"


@pytest.mark.parametrize("origin", ["MAXQDA 24", "ATLAS.ti 23.4", ""])
def test_foreign_qdc_description_with_kwali_words_is_the_definition(tmp_path, origin):
    path = tmp_path / "foreign.qdc"
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" '
        f'origin="{origin}"><Codes><Code guid="{G(11)}" name="Moeten" isCodable="true">'
        f"<Description>{FOREIGN}</Description></Code></Codes></CodeBook>",
        encoding="utf-8",
    )
    (code,) = read_qdc(path).codes
    assert (code.key, code.definition, code.include) == ("moeten", FOREIGN, "")
    assert code.signals == Signals()


def test_foreign_qdpx_description_with_signals_line_imports(project, tmp_path, nlp):
    source = f'<TextSource guid="{G(30)}" name="int01" plainTextPath="internal://{G(30)}.txt"/>'
    path = write_zip(
        tmp_path / "maxqda.qdpx",
        {
            "project.qde": project_qde("MAXQDA 24", source, description=FOREIGN),
            f"sources/{G(30)}.txt": TEXT,
        },
    )
    import_exchange(project, path, nlp=nlp)
    code = project.code("moeten")
    assert code is not None and code.definition == FOREIGN and code.signals == Signals()


def test_kwalis_old_form_is_still_read_from_a_file_kwali_wrote(tmp_path):
    old = "Sleutel: plicht\nDefinitie: Moeten werken.\nWel: Uitspraken\nSignalen:\n- lemmas: moeten"
    path = tmp_path / "old.qdc"
    path.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="kwali 0.1.0"><Codes>'
        f'<Code guid="{G(11)}" name="Moeten" isCodable="true"><Description>{old}</Description>'
        "</Code></Codes></CodeBook>",
        encoding="utf-8",
    )
    (code,) = read_qdc(path).codes
    assert (code.key, code.definition, code.include) == ("plicht", "Moeten werken.", "Uitspraken")
    assert code.signals == Signals(lemmas=("moeten",))


TRICKY = Code(
    key="plicht",
    label="Moeten",
    definition="Signals: zoals de klant ze noemt\nKey: tekst\n[kwali]\nWel: ook tekst\n[/kwali]",
    include="Uitspraken\n[kwali]",
    exclude="[/kwali]",
    examples=("[kwali]", "Signalen:"),
    signals=Signals(lemmas=("moeten",), regex=(r"\bplicht\b",)),
)


@pytest.mark.parametrize("suffix", [".qdc", ".qdpx"])
def test_kwali_round_trip_keeps_fields_and_a_definition_full_of_markers(project, tmp_path, suffix):
    plain = Code(key="werk", label="Werk", definition="Signals: niets bijzonders")
    book = Codebook(name="studie", codes=(TRICKY, plain))
    path = tmp_path / f"studie{suffix}"
    if suffix == ".qdc":
        write_codebook_file(book, path)  # the writer `kwali codebook export` uses too
    else:
        project.set_codebook(book, "anna")
        export_qdpx(project, path)
    assert read_qdc(path).codes == book.codes


def test_the_export_fences_kwalis_fields_after_the_definition(tmp_path):
    path = tmp_path / "c.qdc"
    write_codebook_file(Codebook(name="c", codes=(TRICKY,)), path)
    (description,) = [e.text for e in ET.parse(path).iter() if e.tag.endswith("Description")]
    assert description.startswith(TRICKY.definition + "\n\n[kwali]\nSleutel: plicht\n")
    assert description.endswith("\n- regex: \\bplicht\\b\n[/kwali]")


pieces = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    ["\n", "[kwali]", "[/kwali]", "\n[kwali]\n", "\n[/kwali]\n", "Signals: ", "Key: ", "- ", "  "]
)
texts = st.lists(pieces, max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(definition=texts.map(str.strip), include=texts.map(str.strip), examples=st.lists(texts))
def test_any_code_survives_the_description_with_markers_anywhere(definition, include, examples):
    code = Code(
        key="k",
        label="K",
        definition=definition,
        include=include,
        examples=tuple(examples),
        signals=Signals(lemmas=tuple(examples[:1])),
    )
    parts = parse_description(format_description(code, key_needed=True))
    assert (parts.key, parts.definition, parts.include, parts.examples, parts.signals) == (
        "k",
        code.definition,
        code.include,
        code.examples,
        code.signals,
    )


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_foreign_text_without_a_closing_block_is_the_definition(text):
    if text.rstrip().endswith("[/kwali]"):
        text += "\nx"  # a closing block is kwali's; anything after it makes it text
    parts = parse_description(text)
    assert parts.definition == text.replace("\r\n", "\n").strip()
    assert (parts.key, parts.include, parts.examples) == ("", "", ())


# --- 4. document and project memos ---------------------------------------------------------


def test_source_and_project_descriptions_become_memos_once(project, tmp_path, nlp):
    source = (
        f'<TextSource guid="{G(30)}" name="int01" plainTextPath="internal://{G(30)}.txt" '
        f'creatingUser="{G(2)}"><Description>Afgenomen in de bibliotheek</Description>'
        "</TextSource>"
    )
    path = write_zip(
        tmp_path / "qualcoder.qdpx",
        {
            "project.qde": project_qde(
                "QualCoder 3.6", source, project_description="Pilot over de tegenprestatie"
            ),
            f"sources/{G(30)}.txt": TEXT,
        },
    )
    report = import_exchange(project, path, nlp=nlp)
    assert report.memos == 2
    (document_memo,) = project.memos("document")
    assert (document_memo.text, document_memo.coder) == ("Afgenomen in de bibliotheek", "Bob")
    (project_memo,) = project.memos("project")
    assert (project_memo.text, project_memo.coder) == ("Pilot over de tegenprestatie", "Anna")
    assert import_exchange(project, path, nlp=nlp).memos == 0  # a re-import adds nothing
    assert len(project.memos()) == 2


# --- 9. UTF-16 after emoji; no spaCy without text to segment ------------------------------


def test_nvivo_offsets_after_emoji_keep_to_utf16_even_with_a_loose_end():
    raw, quote = "😀😀 Ik moet werken en zo.", "Ik moet werk"  # NVivo lets you cut a word
    start = raw.index(quote)
    selections = [RawSelection(units16(raw[:start]), units16(raw[: start + len(quote)]))]
    placed = reconcile(raw, (), selections, origin="NVivo for Windows 12.6")
    (where,) = placed.placed
    assert placed.reading == "utf16" and raw[where.start : where.end] == quote


def test_nvivo_project_with_emoji_before_each_coded_passage(project, tmp_path, nlp):
    raw = "Interviewer: Hoe was het? 😀\r\nRespondent: Goed 👍👍, ik moet werken. 🧹\r\nDoei 📞"
    quotes = ("ik moet werken", "Doei")
    spans = [(units16(raw[: raw.index(q)]), units16(raw[: raw.index(q) + len(q)])) for q in quotes]
    selections = "".join(
        f'<PlainTextSelection guid="{G(100 + i)}" startPosition="{s}" endPosition="{e}">'
        f'<Coding guid="{G(200 + i)}" creatingUser="{G(1)}"><CodeRef targetGUID="{G(11)}"/>'
        "</Coding></PlainTextSelection>"
        for i, (s, e) in enumerate(spans)
    )
    source = (
        f'<TextSource guid="{G(30)}" name="int01" plainTextPath="internal://{G(30)}.txt">'
        f"{selections}</TextSource>"
    )
    path = write_zip(
        tmp_path / "emoji.qdpx",
        {
            "project.qde": project_qde("NVivo for Windows 12.6", source),
            f"Sources/{G(30)}.txt": b"\xef\xbb\xbf" + raw.encode(),
        },
    )
    import_exchange(project, path, nlp=nlp)
    document = project.require_document(project.document_ids()[0])
    assert sorted(document.text[c.start : c.end] for c in project.codings()) == sorted(quotes)


@pytest.mark.sqlite_only
def test_an_import_with_nothing_to_segment_does_not_load_spacy(tmp_path):
    path = write_zip(
        tmp_path / "codebook-only.qdpx",
        {"project.qde": project_qde("ATLAS.ti 23.2", "")},
    )
    target = tmp_path / "studie.kwali"
    Project.create(target).close()
    script = (
        "import sys; from pathlib import Path\n"
        "from kwali.app.importing import import_files\n"
        "from kwali.store import Project\n"
        f"with Project.open(Path({str(target)!r})) as p:\n"
        f"    (r,) = import_files(p, [Path({str(path)!r})])\n"
        "assert r.ok and r.report.codes == 1, r\n"
        "print('spacy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
