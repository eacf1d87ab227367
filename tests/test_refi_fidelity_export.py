"""Exchange fidelity, export side (#13 item 7, memos): document, project, code and sentence
memos are written where other tools read them (the Description of the TextSource, Project,
Code and an uncoded selection) as well as Notes, checked with QualCoder's own importer; kwali
reads them back once."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from kwali.app.exchange import import_exchange
from kwali.export.qdpx import export_qdpx
from kwali.store import Project

from helpers import SHARED, build_study, shared_path

P = "{urn:QDA-XML:project:1.0}"


@pytest.fixture
def memo_study(tmp_path, project, nlp) -> Project:
    build_study(project, nlp, tmp_path)
    first = project.require_document("1")
    project.add_memo("project", "", "Pilot over de tegenprestatie.", "anna")
    project.add_memo("document", str(first.id), "Afgenomen in de bibliotheek.", "bram")
    project.add_memo("code", "dwang", "Grens met sanctie is vaag.\n[/kwali]", "anna")
    project.add_memo("code", "dwang", "Eens.", "bram")
    sentence = next(s for s in project.segments(first.id, kind="sentence") if "buurvrouw" in s.text)
    project.add_memo("segment", sentence.id, "Wie is Fatima?", "bram")
    return project


def qde_root(path: Path) -> ET.Element:
    return ET.fromstring(zipfile.ZipFile(path).read("project.qde"))


def test_memos_are_descriptions_in_the_schemas_places(memo_study, tmp_path):
    out = tmp_path / "studie.qdpx"
    export_qdpx(memo_study, out)
    root = qde_root(out)
    assert root.findtext(f"{P}Description") == "Pilot over de tegenprestatie."
    sources = root.findall(f"{P}Sources/{P}TextSource")
    first = memo_study.require_document("1")
    (source,) = [s for s in sources if s.get("name") == first.name]
    assert source[0].tag == f"{P}Description"  # first in a TextSource
    assert source[0].text == "Afgenomen in de bibliotheek."
    (dwang,) = [c for c in root.iter(f"{P}Code") if c.get("name") == "Ervaren verplichting"]
    description = dwang.findtext(f"{P}Description") or ""
    assert description.startswith("Het gevoel te moeten.\n\n[kwali]\n")
    assert (
        "\nMemo: anna: Grens met sanctie is vaag.\n  [/kwali]\nMemo: bram: Eens.\n" in description
    )
    xsd = SHARED / "refi" / "Project-mrt2019.xsd"
    if xsd.exists():
        import xmlschema

        xmlschema.XMLSchema(str(xsd)).validate(zipfile.ZipFile(out).read("project.qde").decode())


def test_kwali_reads_its_own_memos_back_once(memo_study, tmp_path, nlp):
    out = tmp_path / "studie.qdpx"
    export_qdpx(memo_study, out)
    with Project.in_memory() as back:
        import_exchange(back, out, nlp=nlp)
        kinds = Counter(m.target_kind for m in back.memos())
        assert kinds == Counter(m.target_kind for m in memo_study.memos())
        (code,) = [c for c in back.codebook().codes if c.key == "dwang"]
        original = memo_study.code("dwang")
        assert original is not None
        assert (code.definition, code.include, code.examples) == (
            original.definition,
            original.include,
            original.examples,
        )
        texts = {(m.target_kind, m.coder, m.text) for m in back.memos()}
        assert ("code", "anna", "Grens met sanctie is vaag.\n[/kwali]") in texts


def test_qualcoder_shows_document_and_code_memos(memo_study, tmp_path):
    runner = shared_path("tools", "qualcoder-import", "run.py")
    out, dump = tmp_path / "studie.qdpx", tmp_path / "qualcoder.json"
    export_qdpx(memo_study, out)
    done = subprocess.run(
        [sys.executable, str(runner), str(out), "qdpx", str(dump)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=runner.parent,
    )
    assert "import ok: True" in done.stdout, done.stdout + done.stderr
    seen = json.loads(dump.read_text(encoding="utf-8"))
    first = memo_study.require_document("1")
    memos = {name: memo for name, _text, memo in seen["source"]}
    assert memos[first.name] == "Afgenomen in de bibliotheek."
    codes = {row[0]: row[1] for row in seen["code_name"]}
    assert "Grens met sanctie is vaag." in codes["Ervaren verplichting"]
    assert "Eens." in codes["Ervaren verplichting"]
    assert codes["Ervaren verplichting"].startswith("Het gevoel te moeten.")
    # The sentence memo: an annotation with its text and its author, not an empty one.
    (annotation,) = seen["annotation"]
    name, start, end, memo, owner = annotation
    assert (name, memo, owner) == (first.name, "Wie is Fatima?", "bram")
    assert "buurvrouw" in first.text[start:end]
