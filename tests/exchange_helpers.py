"""Builders for the exchange merge and dry-run tests: a codebook with a rich "sanctie", a
project that loaded it, and foreign .qdc and .qdpx files written on the spot."""

from __future__ import annotations

import zipfile
from pathlib import Path

from kwali.model import Code, Codebook, Signals
from kwali.store import Project

from helpers import add_interview

G = "{:08x}-0000-4000-8000-000000000000".format

SANCTIE = Code(
    "sanctie",
    "Sancties",
    parent="verplichting",
    definition="Gekort of gedreigd met korting.",
    include="een korting of de dreiging ervan",
    signals=Signals(lemmas=("korting", "korten"), phrases=("stopgezet",)),
)
BOOK = Codebook(
    "Tegenprestatie",
    (
        Code("verplichting", "Verplichting", kind="category"),
        Code("dwang", "Ervaren verplichting", parent="verplichting", definition="Moeten."),
        SANCTIE,
        Code("ontheffing", "Ontheffing", parent="verplichting"),
    ),
)


def qdc(path: Path, *codes: tuple[str, str]) -> Path:
    """A foreign .qdc: (name, description) per code, all at the top level."""
    body = "".join(
        f'<Code guid="{G(i + 1)}" name="{name}" isCodable="true">'
        + (f"<Description>{text}</Description>" if text else "")
        + "</Code>"
        for i, (name, text) in enumerate(codes)
    )
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 24"><Codes>{body}'
        "</Codes></CodeBook>\n",
        encoding="utf-8",
    )
    return path


def qdpx(path: Path, text: str, codings: list[tuple[str, str]], names: list[str]) -> Path:
    """A foreign .qdpx of one source: ``codings`` are (quoted text, code name), every code in
    ``names`` is in its codebook (at the top level, without a description)."""
    guid = {name: G(10 + i) for i, name in enumerate(names)}
    codes = "".join(f'<Code guid="{guid[n]}" name="{n}" isCodable="true"/>' for n in names)
    selections = ""
    for i, (quote, name) in enumerate(codings):
        start = text.index(quote)
        selections += (
            f'<PlainTextSelection guid="{G(100 + i)}" startPosition="{start}" '
            f'endPosition="{start + len(quote)}" creatingUser="{G(1)}">'
            f'<Coding guid="{G(200 + i)}" creatingUser="{G(1)}"><CodeRef targetGUID="{guid[name]}"/>'
            "</Coding></PlainTextSelection>"
        )
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="elders" origin="ATLAS.ti 23.2">
  <Users><User guid="{G(1)}" name="Carla"/></Users>
  <CodeBook><Codes>{codes}</Codes></CodeBook>
  <Sources><TextSource guid="{G(30)}" name="buurthuis" plainTextPath="internal://{G(30)}.txt">
  {selections}</TextSource></Sources>
</Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"sources/{G(30)}.txt", text.encode("utf-8"))
    return path


def make_study(tmp_path: Path) -> Path:
    """A project file: the codebook loaded from a file, one interview; sanctie coded once by
    anna."""
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(BOOK, "kwali")
        sentence = next(s for s in add_interview(project, "buurthuis") if s.kind == "sentence")
        project.add_coding(sentence.document_id, sentence.start, sentence.end, "sanctie", "anna")
    return path


def first_text(path: Path) -> str:
    with Project.open(path, readonly=True) as project:
        return project.require_document(project.document_ids()[0]).text


def codebook_of(path: Path) -> Codebook:
    with Project.open(path, readonly=True) as project:
        return project.codebook()
