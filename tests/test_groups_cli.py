"""`kwali groups -p P`: what groups and links a project holds, read-only."""

from __future__ import annotations

from click.testing import CliRunner

from kwali.cli import cli
from kwali.io.qdc import read_qdc_contents
from kwali.store import Project
from kwali.store.groups import Group, Link

from helpers import AGREEMENT_CODEBOOK, SENTENCES, add_interview, shared_path


def test_groups_lists_members_and_links_with_references(tmp_path):
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
        one = add_interview(project, "een")
        two = add_interview(project, "twee", SENTENCES[::-1])
        a, b = one[0].document_id, two[0].document_id
        project.import_groups(
            [
                Group("document", "wijk A", "eerste ronde", (a, b)),
                Group("code", "druk", "", ("dwang",)),
            ],
            [Link((a, one[2].start, one[2].end), (b, two[0].start, two[0].end), "tegen", "OneWay")],
            "anna",
            "x.qdpx",
        )
    result = CliRunner().invoke(cli, ["groups", "-p", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Documentgroepen: 1",
        "  wijk A (2) — eerste ronde",
        "    1 een",
        "    2 twee",
        "Codegroepen: 1",
        "  druk (1)",
        "    dwang (Dwang)",
        "Koppelingen: 1",
        '  1:2.1 "Ik was bang voor een korting." → 2:1.1 "Meer heb ik niet te zeggen." [tegen]',
    ]
    links = CliRunner().invoke(cli, ["groups", "-p", str(path), "--links"])
    assert links.output.splitlines()[0] == "Koppelingen: 1"


def test_a_project_without_groups_says_none(tmp_path):
    path = tmp_path / "leeg.kwali"
    Project.create(path).close()
    result = CliRunner().invoke(cli, ["groups", "-p", str(path)])
    assert result.output.splitlines() == ["Documentgroepen: 0", "Codegroepen: 0", "Koppelingen: 0"]


def test_both_codebook_exports_write_the_code_groups_into_a_qdc(tmp_path):
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
        project.import_groups([Group("code", "druk", "wat moet", ("dwang", "brief"))], [], "a", "x")
    one, two, yaml = tmp_path / "a.qdc", tmp_path / "b.qdc", tmp_path / "c.yaml"
    for args in (
        ["codebook", "export", "-p", str(path), "-o", str(one)],
        ["export", "codebook", "-p", str(path), "-o", str(two)],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    assert one.read_bytes() == two.read_bytes()
    contents = read_qdc_contents(one)
    (found,) = contents.sets
    assert (found.name, [contents.keys[g] for g in found.codes]) == ("druk", ["dwang", "brief"])
    result = CliRunner().invoke(cli, ["codebook", "export", "-p", str(path), "-o", str(yaml)])
    assert "codegroepen passen niet in een YAML-codeboek; weggelaten" in result.output


def test_codebook_import_of_a_qdc_brings_its_code_groups(tmp_path):
    source = shared_path("refi", "atlasti23.4-win_codebook-with-group.qdc")
    path = tmp_path / "studie.kwali"
    Project.create(path).close()
    result = CliRunner().invoke(cli, ["codebook", "import", "-p", str(path), str(source)])
    assert result.exit_code == 0, result.output
    assert "Sets: 1 gelezen, 1 nieuwe groepen, 1 lidmaatschappen toegevoegd" in result.output
    with Project.open(path) as project:
        assert project.code_groups_for_file() == [("code group 1", "kategorie 1", ["code1"])]
