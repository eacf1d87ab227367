"""`kwali codebook export`: the codebook as it is now (with edits) to YAML or a REFI-QDA .qdc."""

from __future__ import annotations

import pytest

from kwali.cli import cli
from kwali.io.codebook import load_codebook
from kwali.io.qdc import read_qdc
from kwali.store import Project

from helpers import STUDY_CODEBOOK


@pytest.fixture
def study(tmp_path):
    """A project with the study codebook; one code's label edited as the codebook screen does."""
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(STUDY_CODEBOOK, "kwali")
        project.update_code("sanctie", "anna", label="Sancties en kortingen")
    return path


def _tree(codebook):
    return [(c.key, c.label, c.parent, c.kind) for c in codebook.codes]


@pytest.mark.parametrize("name", ["codeboek.yaml", "codeboek.qdc"])
def test_export_writes_the_edited_codebook_and_it_reads_back(study, runner, tmp_path, name):
    out = tmp_path / name
    result = runner.invoke(cli, ["codebook", "export", "-p", str(study), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "7 codes" in result.output
    back = load_codebook(out) if out.suffix == ".yaml" else read_qdc(out)
    with Project.open(study, readonly=True) as project:
        now = project.codebook()
    assert back.get("sanctie").label == "Sancties en kortingen"
    assert _tree(back) == _tree(now)
    assert [c.key for c in back.children("verplichting")] == ["dwang", "sanctie", "ontheffing"]
    if out.suffix == ".yaml":
        assert back.codes == now.codes  # every field, not only the tree


def test_the_yaml_is_a_codebook_for_evaluate(study, runner, tmp_path):
    out = tmp_path / "codeboek.yaml"
    assert (
        runner.invoke(cli, ["codebook", "export", "-p", str(study), "-o", str(out)]).exit_code == 0
    )
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        '{"text": "Ik moest komen van de gemeente.", "labels": ["dwang"]}\n'
        '{"text": "Ik werd gekort op mijn uitkering.", "labels": ["sanctie"]}\n',
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["evaluate", "--gold", str(gold), "--codebook", str(out)])
    assert result.exit_code == 0, result.output
    assert "not codebook keys" not in result.output


@pytest.mark.parametrize(
    ("name", "exists", "args", "message"),
    [
        ("codeboek.txt", False, [], "onbekende extensie '.txt'"),
        ("codeboek", False, [], "onbekende extensie"),
        ("codeboek.yaml", True, [], "bestaat al"),
        ("codeboek.qdc", True, [], "bestaat al"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(
    study, runner, tmp_path, name, exists, args, message
):
    out = tmp_path / name
    if exists:
        out.write_text("oud", encoding="utf-8")
    result = runner.invoke(cli, ["codebook", "export", "-p", str(study), "-o", str(out), *args])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and str(out) in lines[0]
    assert out.read_text(encoding="utf-8") == "oud" if exists else not out.exists()


def test_force_replaces_an_existing_file(study, runner, tmp_path):
    out = tmp_path / "codeboek.yaml"
    out.write_text("oud", encoding="utf-8")
    args = ["codebook", "export", "-p", str(study), "-o", str(out), "--force"]
    assert runner.invoke(cli, args).exit_code == 0
    assert load_codebook(out).get("sanctie").label == "Sancties en kortingen"


def test_a_missing_project_is_one_line(runner, tmp_path):
    out = tmp_path / "codeboek.yaml"
    result = runner.invoke(
        cli, ["codebook", "export", "-p", str(tmp_path / "nope.kwali"), "-o", str(out)]
    )
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert not out.exists()
