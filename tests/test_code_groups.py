"""`@group` wherever codes are named: `kwali export --code @druk`, `kwali agree --codes @druk`
and `kwali disagreements` take a code group (from ATLAS.ti or MAXQDA) for its codes."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from kwali.app.code_groups import expand_code_groups
from kwali.cli import cli
from kwali.errors import ProjectError
from kwali.store import Project
from kwali.store.groups import Group

from helpers import code_two_coders


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def study(tmp_path):
    """anna and bram code dwang and brief; the code group 'druk' holds only dwang."""
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        code_two_coders(project)
        project.import_groups(
            [Group("code", "druk", "", ("dwang",)), Group("code", "leeg", "", ())],
            [],
            "anna",
            "atlas.qdc",
        )
    return path


def test_a_group_stands_for_its_codes_and_other_names_are_kept(study):
    with Project.open(study, readonly=True) as project:
        assert expand_code_groups(project, ["@druk", "brief", "dwang"]) == ("dwang", "brief")
        assert expand_code_groups(project, ["@DRUK"]) == ("dwang",)  # as typed, any case
        with pytest.raises(ProjectError, match="heeft geen codegroep 'nergens'") as failed:
            expand_code_groups(project, ["@nergens"])
        assert "@druk, @leeg" in failed.value.one_line()
        with pytest.raises(ProjectError, match="codegroep 'leeg' heeft geen codes"):
            expand_code_groups(project, ["@leeg"])


def test_export_quotes_of_a_code_group(study, tmp_path):
    out = tmp_path / "citaten.csv"
    result = run("export", "quotes", "-p", study, "--code", "@druk", "-o", out, "--per-coder")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert len(table) == 7  # anna's 4 and bram's 3 dwang codings (a row per coder), no brief
    assert set(table["code"]) == {"dwang"}


def test_agree_and_disagreements_on_a_code_group(study):
    result = run("agree", "-p", study, "--codes", "@druk", "--json")
    assert result.exit_code == 0, result.output
    assert '"dwang"' in result.output and '"brief"' not in result.output
    listed = run("disagreements", "-p", study, "--codes", "@druk")
    assert listed.exit_code == 0, listed.output
    assert "Brieven" not in listed.output and "Dwang" in listed.output  # by label


@pytest.mark.sqlite_only
def test_an_unknown_group_is_one_line_and_nothing_is_written(study, tmp_path):
    out = tmp_path / "citaten.csv"
    result = run("export", "quotes", "-p", study, "--code", "@nergens", "-o", out)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"kwali: fout: {study}: heeft geen codegroep 'nergens' (codegroepen: @druk, @leeg)"
    ]
    assert not out.exists()


def test_an_unknown_group_is_said_in_dutch_and_in_english(study, tmp_path):
    args = ["export", "quotes", "-p", study, "--code", "@nergens", "-o", tmp_path / "c.csv"]
    dutch = run(*args)
    try:
        english = run("--lang", "en", *args)
    finally:
        from kwali.i18n import set_language

        set_language("nl")  # the CLI chose English for the process: back to the default
    assert dutch.exit_code == english.exit_code == 1
    assert "heeft geen codegroep 'nergens' (codegroepen: @druk, @leeg)" in dutch.output
    assert "has no code group 'nergens' (code groups: @druk, @leeg)" in english.output
