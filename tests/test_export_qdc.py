"""`kwali export codebook -o cb.qdc` (and .yaml) writes the codebook file through the export
registry with the very writer `kwali codebook export` uses: the same bytes from both."""

from __future__ import annotations

import pytest

from kwali.cli import cli
from kwali.export.registry import export
from kwali.io.codebook import load_codebook
from kwali.io.qdc import read_qdc
from kwali.store import Project

from helpers import STUDY_CODEBOOK


@pytest.fixture
def study(tmp_path):
    """The study codebook with an edit and a deep code, as a project has after a while."""
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(STUDY_CODEBOOK, "kwali")
        project.update_code("sanctie", "anna", label="Sancties & kortingen", include="<korting>")
    return path


def _run(runner, *args):
    result = runner.invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("name", ["cb.qdc", "cb.yaml", "cb.yml"])
def test_both_commands_write_the_same_bytes(study, runner, tmp_path, name):
    one, two = tmp_path / f"export-{name}", tmp_path / f"codebook-{name}"
    result = _run(runner, "export", "codebook", "-p", study, "-o", one)
    assert f"{len(STUDY_CODEBOOK.codes)} codes" in result.output
    _run(runner, "codebook", "export", "-p", study, "-o", two)
    assert one.read_bytes() == two.read_bytes()
    back = read_qdc(one) if name.endswith(".qdc") else load_codebook(one)
    sanctie = back.get("sanctie")
    assert sanctie is not None
    assert (sanctie.label, sanctie.parent, sanctie.include) == (
        "Sancties & kortingen",
        "verplichting",
        "<korting>",
    )


def test_format_flag_writes_a_qdc_whatever_the_name(study, runner, tmp_path):
    out = tmp_path / "codeboek.xml"
    _run(runner, "export", "codebook", "-p", study, "-o", out, "--format", "qdc")
    assert out.read_bytes().startswith(b"<?xml")
    assert [c.key for c in read_qdc(out).codes] == [c.key for c in STUDY_CODEBOOK.codes]


def test_the_registry_writes_the_qdc_for_a_notebook(study, tmp_path):
    out = tmp_path / "cb.qdc"
    with Project.open(study, readonly=True) as project:
        result = export(project, "codebook", out)
    assert result.counts == {"codes": len(STUDY_CODEBOOK.codes)}
    assert read_qdc(out).get("sanctie").label == "Sancties & kortingen"


def test_an_existing_qdc_is_refused_without_force(study, runner, tmp_path):
    out = tmp_path / "cb.qdc"
    out.write_text("mine", encoding="utf-8")
    result = runner.invoke(cli, ["export", "codebook", "-p", str(study), "-o", str(out)])
    assert result.exit_code == 1
    assert "bestaat al" in result.output
    assert out.read_text(encoding="utf-8") == "mine"
    _run(runner, "export", "codebook", "-p", study, "-o", out, "--force")
    assert read_qdc(out).get("sanctie") is not None


def test_an_unknown_extension_still_names_the_formats(study, runner, tmp_path):
    result = runner.invoke(
        cli, ["export", "codebook", "-p", str(study), "-o", str(tmp_path / "cb.txt")]
    )
    assert result.exit_code == 1
    assert "qdc" in result.output and "cb.txt" in result.output
    assert not (tmp_path / "cb.txt").exists()


@pytest.mark.sqlite_only
def test_the_exported_qdc_imports_back_unchanged(study, runner, tmp_path):
    out = tmp_path / "cb.qdc"
    _run(runner, "export", "codebook", "-p", study, "-o", out)
    result = _run(runner, "import", "-p", study, "--dry-run", out)
    n = len(STUDY_CODEBOOK.codes)
    assert f"Codeboek cb.qdc: {n} ongewijzigd." in result.output
