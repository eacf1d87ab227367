"""`kwali codebook import` and `kwali suggest --codebook`: a codebook file is merged into the
project's, and what the project edited since it was loaded survives."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwali.cli import cli
from kwali.io.codebook import load_codebook, save_codebook
from kwali.model import Code, Codebook
from kwali.store import Project

from helpers import add_interview

SHIPPED = Path(__file__).resolve().parents[1] / "codebooks" / "tegenprestatie.yaml"

FOREIGN_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 24"><Codes>
<Code guid="6d1a0b7e-0000-4000-8000-000000000001" name="Sanctie" isCodable="true"/>
<Code guid="6d1a0b7e-0000-4000-8000-000000000002" name="Nieuw thema" isCodable="true"/>
</Codes></CodeBook>
"""


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """The study's codebook loaded from its YAML, one interview, sanctie coded twice."""
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(load_codebook(SHIPPED), "kwali")
        sentences = [s for s in add_interview(project, "buurthuis") if s.kind == "sentence"]
        for s in sentences[:2]:
            project.add_coding(s.document_id, s.start, s.end, "sanctie", "anna")
    return path


def _code(path: Path, key: str) -> Code | None:
    with Project.open(path, readonly=True) as project:
        return project.code(key)


def _codes(path: Path) -> tuple[Code, ...]:
    with Project.open(path, readonly=True) as project:
        return project.codebook().codes


def test_suggest_with_the_original_yaml_keeps_a_label_renamed_in_the_project(study, runner):
    with Project.open(study) as project:
        project.update_code("sanctie", "anna", label="Straf en korting")
    result = runner.invoke(cli, ["suggest", "-p", str(study), "--codebook", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    assert _code(study, "sanctie").label == "Straf en korting"
    assert "Straf en korting (sanctie): die van het project gehouden: label" in result.output
    assert "0 codes added" not in result.output


def test_import_reports_every_decision_and_undo_restores(study, runner, tmp_path):
    with Project.open(study) as project:
        project.update_code("sanctie", "anna", label="Straf en korting")
    changed = load_codebook(SHIPPED)
    codes = [
        c if c.key != "dwang" else Code(**{**_fields(c), "definition": "Nieuwe definitie."})
        for c in changed.codes
        if c.key != "corona"
    ]
    codes.append(Code("digitaal", "Digitale dienstverlening", parent="uitvoering"))
    file = tmp_path / "codeboek.yaml"
    save_codebook(Codebook(changed.name, tuple(codes), changed.version), file)
    before = _codes(study)
    result = runner.invoke(
        cli, ["codebook", "import", "-p", str(study), str(file), "--coder", "anna"]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "1 toegevoegd, 1 gewijzigd, 1 van het project gehouden, 1 niet in het bestand" in out
    assert "Digitale dienstverlening (digitaal)" in out
    assert "overgenomen: definition" in out
    assert "Straf en korting (sanctie): die van het project gehouden: label" in out
    assert "Corona (corona)" in out  # missing from the file: said, and kept
    assert _code(study, "corona") is not None
    assert _code(study, "dwang").definition == "Nieuwe definitie."
    assert _code(study, "digitaal").parent == "uitvoering"
    with Project.open(study) as project:
        assert project.history(limit=1)[0].description == "import codebook codeboek.yaml"
        assert len(project.codings(code_key="sanctie")) == 2
        project.undo("anna")
    assert _codes(study) == before


def test_theirs_takes_the_files_version(study, runner):
    with Project.open(study) as project:
        project.update_code("sanctie", "anna", label="Straf en korting")
    args = ["codebook", "import", "-p", str(study), str(SHIPPED), "--theirs"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert _code(study, "sanctie").label == load_codebook(SHIPPED).get("sanctie").label
    assert "die van het bestand genomen boven de wijziging in het project: label" in result.output


def test_a_foreign_qdc_does_not_strip_the_project_code(study, runner, tmp_path):
    before = _code(study, "sanctie")
    assert before.parent and before.include and not before.signals.is_empty()
    qdc = tmp_path / "maxqda.qdc"
    qdc.write_text(FOREIGN_QDC, encoding="utf-8")
    result = runner.invoke(cli, ["codebook", "import", "-p", str(study), str(qdc)])
    assert result.exit_code == 0, result.output
    after = _code(study, "sanctie")
    assert (after.parent, after.include, after.signals, after.definition) == (
        before.parent,
        before.include,
        before.signals,
        before.definition,
    )
    assert after.label == "Sanctie"
    assert _code(study, "nieuw_thema") is not None
    assert "het bestand heeft er geen, die van het project gehouden: parent" in result.output
    with Project.open(study, readonly=True) as project:
        assert len(project.codings(code_key="sanctie")) == 2


def test_dry_run_prints_and_changes_nothing(study, runner, tmp_path):
    qdc = tmp_path / "maxqda.qdc"
    qdc.write_text(FOREIGN_QDC, encoding="utf-8")
    before = _codes(study)
    args = ["codebook", "import", "-p", str(study), str(qdc), "--dry-run"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "1 toegevoegd" in result.output and "Nieuw thema" in result.output
    assert "Proefdraai: er is niets veranderd." in result.output
    assert _codes(study) == before


def test_a_file_that_does_not_validate_is_one_line_and_changes_nothing(study, runner, tmp_path):
    bad = tmp_path / "kapot.yaml"
    bad.write_text("name: x\ncodes:\n  - key: a\n", encoding="utf-8")
    before = _codes(study)
    result = runner.invoke(cli, ["codebook", "import", "-p", str(study), str(bad)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "kapot.yaml" in lines[0], result.output
    assert lines[0].startswith("kwali: fout:")
    assert _codes(study) == before
    other = tmp_path / "codes.txt"
    other.write_text("dwang\n", encoding="utf-8")
    result = runner.invoke(cli, ["codebook", "import", "-p", str(study), str(other)])
    assert result.exit_code == 1 and "codes.txt" in result.output


def _fields(code: Code) -> dict:
    return {name: getattr(code, name) for name in Code.__dataclass_fields__}
