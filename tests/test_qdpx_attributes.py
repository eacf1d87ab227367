"""Document attributes in a .qdpx (#13 item 7): a VariableValue on each TextSource, where
QualCoder and MAXQDA read file attributes, and no Case per document (QualCoder would then
store each value twice and make them case attributes). Number and date attributes are typed
Float and Date, and kwali reads every value and type back."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import pytest

from kwali.app.exchange import import_exchange
from kwali.export.qdpx import export_qdpx
from kwali.model import Transcript, Turn
from kwali.store import Project

from helpers import SHARED, build_study, shared_path

P = "{urn:QDA-XML:project:1.0}"


@pytest.fixture
def study(tmp_path, project, nlp) -> Project:
    build_study(project, nlp, tmp_path)
    first, second = (project.require_document(n) for n in ("1", "2"))
    project.set_attribute(first.id, "leeftijd", "34,5")
    project.set_attribute(second.id, "leeftijd", "61")
    project.set_attribute(first.id, "datum", "4-3-2021")
    project.set_attribute(second.id, "datum", "")  # not known yet
    project.set_attribute_type("leeftijd", "number")
    project.set_attribute_type("datum", "date")
    return project


def _attributes(project: Project) -> dict[int, dict[str, str]]:
    return {
        project.require_document(str(i)).number: dict(project.require_document(str(i)).attributes)
        for i in project.document_ids()
    }


def test_values_sit_on_the_text_sources_typed_and_without_cases(study, tmp_path):
    out = tmp_path / "studie.qdpx"
    export_qdpx(study, out)
    qde = zipfile.ZipFile(out).read("project.qde")
    root = ET.fromstring(qde)
    assert root.find(f"{P}Cases") is None
    types = {v.get("name"): v.get("typeOfVariable") for v in root.iter(f"{P}Variable")}
    assert types == {
        "aanpak": "Text",
        "datum": "Date",
        "geslacht": "Text",
        "leeftijd": "Float",
        "rol": "Text",
    }
    names = {v.get("guid"): v.get("name") for v in root.iter(f"{P}Variable")}
    first = next(s for s in root.iter(f"{P}TextSource") if s.get("name") == "interview_1")
    values = {
        names[v[0].get("targetGUID")]: (v[1].tag.removeprefix(P), v[1].text)
        for v in first.findall(f"{P}VariableValue")
    }
    assert values == {
        "aanpak": ("TextValue", "Prestatie010"),
        "datum": ("DateValue", "2021-03-04"),
        "geslacht": ("TextValue", "vrouw"),
        "leeftijd": ("FloatValue", "34.5"),
        "rol": ("TextValue", "werkzoekende"),
    }
    assert first[-1].tag == f"{P}VariableValue"  # last, as the schema orders a TextSource
    xsd = SHARED / "refi" / "Project-mrt2019.xsd"
    if xsd.exists():  # an empty date is an empty TextValue, not an invalid DateValue
        import xmlschema

        xmlschema.XMLSchema(str(xsd)).validate(qde.decode())


def test_kwali_reads_values_and_types_back(study, tmp_path, nlp):
    out = tmp_path / "studie.qdpx"
    export_qdpx(study, out)
    with Project.in_memory() as back:
        report = import_exchange(back, out, nlp=nlp)
        assert not report.warnings
        assert _attributes(back) == _attributes(study)
        assert back.attribute_types() == {"leeftijd": "number", "datum": "date"}
        again = tmp_path / "opnieuw.qdpx"
        export_qdpx(back, again)
        assert zipfile.ZipFile(again).read("project.qde") == zipfile.ZipFile(out).read(
            "project.qde"
        )


def test_a_type_that_would_rewrite_a_value_in_the_project_is_not_taken(study, tmp_path, nlp):
    """The project imported into already holds leeftijd=34,5 (not the stored form of a number):
    typing the key would change it, so the key stays text, said in one line."""
    out = tmp_path / "studie.qdpx"
    export_qdpx(study, out)
    with Project.in_memory() as other:
        text = "R: het moest van de gemeente."
        other.add_document(
            Transcript(text, (Turn(1, 0, len(text), 3, len(text), "R"),), "eigen.txt", "txt"),
            lambda doc_id, uid: [],
            attributes={"leeftijd": "34,5"},
        )
        report = import_exchange(other, out, nlp=nlp)
        (warning,) = report.warnings
        assert "'leeftijd' blijft tekst" in warning and "'34,5'" in warning
        assert other.attribute_types() == {"datum": "date"}
        assert other.require_document("1").attributes["leeftijd"] == "34,5"  # untouched


def test_a_maxqda_integer_variable_on_its_sources_becomes_a_number(tmp_path, nlp):
    guid = "7c1a2f3e-0000-4000-8000-00000000000{}".format
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="m" origin="MAXQDA 24">
  <Variables><Variable guid="{guid(1)}" name="Alter" typeOfVariable="Integer"/></Variables>
  <Sources>
    <TextSource guid="{guid(2)}" name="Interview A" plainTextPath="internal://a.txt">
      <VariableValue><VariableRef targetGUID="{guid(1)}"/><IntegerValue>34</IntegerValue>
      </VariableValue>
    </TextSource>
  </Sources>
</Project>"""
    path = tmp_path / "m.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/a.txt", "I: Hoe gaat het?\nR: Goed, dank je.\n")
    with Project.in_memory() as project:
        import_exchange(project, path, nlp=nlp)
        assert project.require_document("1").attributes == {"Alter": "34"}
        assert project.attribute_types() == {"Alter": "number"}


def test_qualcoder_shows_them_as_file_attributes_once(study, tmp_path):
    runner = shared_path("tools", "qualcoder-import", "run.py")
    out = tmp_path / "qc" / "studie.qdpx"
    out.parent.mkdir()
    export_qdpx(study, out)
    dump = tmp_path / "qc.json"
    result = subprocess.run(
        [sys.executable, str(runner), str(out), "qdpx", str(dump)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "import ok: True" in result.stdout, result.stdout + result.stderr
    stored = json.loads(dump.read_text(encoding="utf-8"))
    assert not stored["cases"]
    assert sorted(stored["attribute_type"]) == sorted(
        [key, "file"] for key in ("aanpak", "datum", "geslacht", "leeftijd", "rol")
    )
    sources = {i + 1: name for i, (name, _text, _memo) in enumerate(stored["source"])}
    seen = {(sources[fid], key, value) for key, kind, value, fid in stored["attribute"]}
    assert all(kind == "file" for _key, kind, _value, _fid in stored["attribute"])
    expected = {
        (study.require_document(str(i)).name, key, value)
        for i in study.document_ids()
        for key, value in study.require_document(str(i)).attributes.items()
    }
    assert len(stored["attribute"]) == len(expected) and seen == expected
