"""`--anonymize` proven: no listed name leaves kwali, in any export, in any format.

Names stand in the transcript (coded text, context sentences, speaker labels), in the
interview's name, in memos of every kind and in attribute values (the attribution, attribute
columns, the report's groups). Each export that takes ``anonymize`` writes each of its
formats, and the file is read back whole: every paragraph and table cell (python-docx,
openpyxl, csv) and every XML part of the zip, so no corner of a document is missed.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import json
import zipfile

import docx
import openpyxl
import pytest

from kwali.export import EXPORTERS, export
from kwali.model import Code, Codebook, Segment, Transcript, Turn
from kwali.store import Project

NAMES = {
    "Fatima el Amrani": "[buurvrouw]",
    "Sanne": "[klantmanager]",
    "Jansen": "[coach]",
    "Rotterdam-Zuid": "[wijk]",
}
LEAKS = ("fatima", "amrani", "sanne", "jansen", "rotterdam")  # no other word has these
CODEBOOK = Codebook(
    "Buurthuis",
    (
        Code("ervaring", "Ervaring", kind="category"),
        Code("dwang", "Dwang", parent="ervaring"),
        Code("steun", "Steun", parent="ervaring"),
    ),
)
# Per interview: its name, attributes, and turns of (speaker, sentences); the first sentence
# of each turn is coded, so the others are context.
INTERVIEWS = [
    (
        "Gesprek met Fatima el Amrani",
        {"rol": "buurvrouw van Jansen", "geslacht": "vrouw", "wijk": "Rotterdam-Zuid"},
        [
            ("Jansen", ["Fatima el Amrani zei dat ik moest komen.", "Sanne belde elke week."]),
            ("R", ["Ik woon in Rotterdam-Zuid.", "Daar ken ik FATIMA EL AMRANI al jaren."]),
        ],
    ),
    (
        "Interview Sanne",
        {"rol": "klantmanager", "geslacht": "vrouw", "wijk": "Noord", "coach": "Jansen"},
        [
            ("Sanne", ["Ik ben Sanne en ik help mensen.", "Jansen doet het ook."]),
            ("I", ["Hoe gaat het met Fatima  el\nAmrani?", "Goed, zegt Sanne."]),
        ],
    ),
]


def _add(project: Project, name: str, attributes: dict[str, str], turns: list) -> list[Segment]:
    """An interview with hand-made turns and sentences (with speakers)."""
    text, made, spans = "", [], []
    for number, (speaker, sentences) in enumerate(turns, start=1):
        start = len(text)
        text += f"{speaker}: "
        content = len(text)
        for k, sentence in enumerate(sentences, start=1):
            text += " " if k > 1 else ""
            spans.append((number, k, len(text), len(text) + len(sentence), speaker))
            text += sentence
        made.append(Turn(number, start, len(text), content, len(text), speaker, "respondent"))
        text += "\n"

    def segments(document_id: int, uid: str) -> list[Segment]:
        return [
            Segment(f"{uid}:{t}.{k}", document_id, "sentence", t, k, a, b, t, text[a:b], who)
            for t, k, a, b, who in spans
        ]

    transcript = Transcript(text, tuple(made), f"{name}.txt", "txt")
    document, _ = project.add_document(transcript, segments, name=name, attributes=attributes)
    return project.segments(document.id, kind="sentence")


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(CODEBOOK)
        for name, replacement in NAMES.items():
            project.set_replacement(name, replacement, "anna")
        for name, attributes, turns in INTERVIEWS:
            sentences = _add(project, name, attributes, turns)
            document_id = sentences[0].document_id
            for unit in (s for s in sentences if s.sentence_number == 1):
                for coder, code in (("anna", "dwang"), ("bram", "steun")):
                    coding = project.add_coding(
                        document_id, unit.start, unit.end, code, coder, memo="Sanne zei dit ook."
                    )
            project.add_memo("document", str(document_id), f"Over {name}.", "anna")
            project.add_memo("segment", sentences[1].id, "Jansen, Rotterdam-Zuid.", "anna")
            project.add_memo("coding", str(coding.id), "Fat\x07ima el Amrani: verborgen.", "bram")
        project.add_memo("code", "dwang", "Sanne en Jansen vinden dit.", "anna")
        project.add_memo("project", "", "Wijk: ROTTERDAM-ZUID.", "anna")
    return path


def _takes_anonymize(name: str) -> bool:
    fields = dataclasses.fields(EXPORTERS[name].options_type)
    return "anonymize" in {f.name for f in fields}


ANONYMIZED = sorted(name for name in EXPORTERS if _takes_anonymize(name))
CASES = [(what, fmt) for what in ANONYMIZED for fmt in EXPORTERS[what].formats]
OPTIONS = {
    "quotes": {"context": 1, "attributes": ("rol", "wijk", "coach")},
    "report": {"group_by": "wijk"},
    "memos": {},
    "respondents": {},
    "chart": {"kind": "bars", "by": "document"},  # the groups are the documents' names
    "transcript": {},  # every interview, line by line, its codings in the margin
    "gold": {},  # every coded sentence with its codes, to share for `kwali evaluate`
}


def test_the_proof_covers_every_export_that_anonymizes():
    assert ANONYMIZED == sorted(OPTIONS)


def _docx_texts(path) -> list[str]:
    """Every paragraph, in the body, in tables (nested too), headers and footers."""
    document = docx.Document(str(path))
    texts: list[str] = []

    def container(part) -> None:  # type: ignore[no-untyped-def]
        texts.extend(p.text for p in part.paragraphs)
        for table in part.tables:
            for row in table.rows:
                for cell in row.cells:
                    container(cell)

    container(document)
    for section in document.sections:
        container(section.header)
        container(section.footer)
    properties = document.core_properties
    texts += [properties.title or "", properties.subject or "", properties.keywords or ""]
    return texts


def _zip_xml(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(
            html.unescape(archive.read(member).decode("utf-8", "replace"))
            for member in archive.namelist()
            if member.endswith((".xml", ".rels"))
        )


def _read_back(path, fmt: str) -> str:
    if fmt == "svg":  # matplotlib draws text as outlines and keeps each string as a comment
        return path.read_text(encoding="utf-8")
    if fmt == "jsonl":  # one labelled text a line
        lines = path.read_text(encoding="utf-8").splitlines()
        return "\n".join(json.loads(line)["text"] for line in lines if line)
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return "\n".join(cell for row in csv.reader(handle) for cell in row)
    if fmt == "xlsx":
        book = openpyxl.load_workbook(path)
        cells = [
            str(cell.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
        return "\n".join([*book.sheetnames, *cells, _zip_xml(path)])
    return "\n".join([*_docx_texts(path), _zip_xml(path)])


@pytest.mark.parametrize(("what", "fmt"), CASES)
def test_no_listed_name_leaves_kwali(named, tmp_path, what, fmt):
    if fmt == "png":
        # a PNG holds pixels, not text: it is the very figure the SVG export draws (the
        # exporter builds one figure and only encodes it differently), read as SVG
        fmt = "svg"
    with Project.open(named, readonly=True) as project:
        out = export(project, what, tmp_path / f"{what}.{fmt}", anonymize=True, **OPTIONS[what])
        plain = export(project, what, tmp_path / f"plain.{fmt}", **OPTIONS[what])
    text = _read_back(out.path, fmt).casefold()
    assert [name for name in LEAKS if name in text] == []
    assert "[buurvrouw]" in text and "[klantmanager]" in text  # the replacements are there
    found = _read_back(plain.path, fmt).casefold()
    if what == "chart":  # a chart shows only its groups (the documents' names), not the text
        assert "fatima" in found and "sanne" in found, "the chart must show names to hide"
        return
    assert [name for name in LEAKS if name not in found] == [], "the study must hold every name"
