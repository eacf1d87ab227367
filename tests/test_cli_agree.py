"""`kwali agree`, `disagreements`, `settle` and `merge` as a researcher runs them."""

from __future__ import annotations

import json

import docx
import pandas as pd
import pytest
from click.testing import CliRunner

from kwali.cli import cli
from kwali.store import Project

from helpers import SENTENCES, code_two_coders, copy_with


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        code_two_coders(project)
    return path


def test_agree_prints_an_aligned_table(study):
    result = run("agree", "-p", study)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == [
        "code",
        "eenheden",
        "anna",
        "bram",
        "overeenst.",
        "(%)",
        "holsti",
        "cohen",
        "fleiss",
        "alpha",
        "q<.667",
        "q<.8",
        "bp",
        "ac1",
    ]
    dwang = next(line for line in lines if line.startswith("Dwang"))  # the label, not the key
    # κ = 0.348 with its interval, in two decimals
    assert dwang.split()[:7] == ["Dwang", "10", "4", "3", "70.0", "0.571", "0.35"]
    table = lines[: next(i for i, line in enumerate(lines) if line.startswith("(alle codes)")) + 1]
    assert len({len(line) for line in table}) == 1  # every row equally wide
    # the notes below: κ of Brieven (one coding each, agreed) is 0/0 in some resamples
    assert lines[len(table) :] == [
        "Trekkingen zonder uitkomst (0/0, niet in het interval van κ): Brieven 369 van 1.000; "
        "Alle codes samen 1 van 1.000."
    ]


def test_agree_json_is_one_object(study):
    result = run("agree", "-p", study, "--json", "--unit", "char", "--coders", "anna,bram")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["unit"] == "char" and data["coders"] == ["anna", "bram"]
    assert set(data["codes"]) == {"dwang", "brief"} and data["codes"]["brief"]["percent"] == 1.0
    assert (
        data["overall"]["binary_u_alpha"] is not None
        and data["codes"]["dwang"]["fleiss_kappa"] is None
    )


def test_agree_writes_word_and_csv(study, tmp_path):
    out = tmp_path / "overeenstemming.docx"
    assert run("agree", "-p", study, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Wat de maten betekenen" in text and "Krippendorffs α" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "1:2.1" in cells and SENTENCES[2] in cells  # the disagreement list
    assert any(c.startswith("0,35\u00a0[") for c in cells)  # κ 0.348 with its interval
    csv = tmp_path / "o.csv"
    assert run("agree", "-p", study, "-o", csv).exit_code == 0
    table = pd.read_csv(csv, encoding="utf-8-sig")
    row = table[(table.code == "dwang") & (table.statistic == "cohen_kappa")].iloc[0]
    assert row.value == pytest.approx(0.16 / 0.46) and row.coded_anna == 4
    assert (csv.stat().st_mode & 0o777) == 0o600
    again = run("agree", "-p", study, "-o", csv)
    assert again.exit_code == 1 and "bestaat al" in again.output


def test_agree_needs_two_coders(study):
    result = run("agree", "-p", study, "--coders", "anna")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "kwali: fout: overeenstemming vraagt minstens twee coders die codeerden; "
        "coders met coderingen: anna (van anna)"
    ]


def test_disagreements_then_settle(study):
    listed = run("disagreements", "-p", study)
    assert listed.exit_code == 0
    assert "1:2.1     anna: Dwang | bram: -" in listed.output and listed.output.rstrip().endswith(
        "3 eenheden verschillen"
    )
    assert run("settle", "-p", study, "1:2.1").exit_code == 2  # neither --code nor --none
    settled = run("settle", "-p", study, "1:2.1", "--code", "dwang", "--coder", "anna")
    assert settled.exit_code == 0, settled.output
    assert run("settle", "-p", study, "1:2.2", "--none", "--coder", "bram").exit_code == 0
    still_open = run("disagreements", "-p", study, "--open")
    assert "1:2.1" not in still_open.output and "1:3.1" in still_open.output
    with Project.open(study, readonly=True) as project:
        assert [c.code_key for c in project.codings(coder="consensus")] == ["dwang"]


@pytest.mark.sqlite_only
def test_merge_command(tmp_path):
    a = copy_with(tmp_path / "a.kwali", "anna", [0])
    b = copy_with(tmp_path / "b.kwali", "anna", [1])
    refused = run("merge", a, b, "-o", tmp_path / "m.kwali")
    assert refused.exit_code == 1 and "--rename-coders anna=anna2" in refused.output
    assert not (tmp_path / "m.kwali").exists()
    merged = run("merge", a, b, "-o", tmp_path / "m.kwali", "--rename-coders", "anna=anna2")
    assert merged.exit_code == 0, merged.output
    assert "1 document (1 in beide)" in merged.output and "anna, anna2" in merged.output
    assert run("merge", a, b, "-o", tmp_path / "m.kwali", "--rename-coders", "anna").exit_code == 2
