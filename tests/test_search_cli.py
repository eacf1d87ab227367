"""kwali search: hits with references and counts, one-line errors, --suggest makes suggestions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kwali.cli import cli
from kwali.store import Project

SAMPLE = Path(__file__).resolve().parents[1] / "sample" / "voorbeeld.kwali"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    if not SAMPLE.exists():
        pytest.skip("no sample project")
    copy = tmp_path / "voorbeeld.kwali"
    shutil.copy(SAMPLE, copy)
    with Project.open(copy) as project:  # migrated: the index is built
        for document_id in project.survey_document_ids():  # the eight interviews are searched
            project.remove_document(document_id)
    return copy


def test_search_prints_references_marked_hits_and_counts(runner, sample):
    done = runner.invoke(cli, ["search", "-p", str(sample), "Van de GEMEENTE", "--limit", "2"])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[0].split()[0] == "1:2.3" and "«van de gemeente»" in lines[0]
    assert "01_werkzoekende_vrouw_buurthuis" in lines[0]
    assert lines[2].startswith("… nog 16")
    assert lines[-1] == "18 zinnen in 8 documenten (van 8)."
    assert any(line.split()[-2:] == ["5", "zinnen"] for line in lines)


def test_where_and_lemma_and_regex(runner, sample):
    where = runner.invoke(
        cli, ["search", "-p", str(sample), "gemeente", "--where", "rol=klantmanager"]
    )
    assert where.exit_code == 0, where.output
    assert where.output.splitlines()[-1].endswith("in 1 document (van 8).")
    regex = runner.invoke(cli, ["search", "-p", str(sample), r"verplicht\w*", "--regex"])
    assert regex.exit_code == 0 and "«verplichting»" in regex.output
    lemma = runner.invoke(cli, ["search", "-p", str(sample), "krijgen", "--lemma", "--limit", "0"])
    assert lemma.exit_code == 0 and "«kreeg»" in lemma.output


def test_a_bad_regex_is_one_line(runner, sample):
    done = runner.invoke(cli, ["search", "-p", str(sample), "dwang|(gekort", "--regex"])
    assert done.exit_code == 1
    assert done.output == (
        "kwali: fout: onjuiste reguliere expressie 'dwang|(gekort' bij kolom 7: "
        "missing ), unterminated subpattern\n"
    )


def test_lemma_and_regex_together_are_refused(runner, sample):
    done = runner.invoke(cli, ["search", "-p", str(sample), "x", "--regex", "--lemma"])
    assert done.exit_code == 2 and "gaan niet samen" in done.output


def test_suggest_makes_suggestions_for_review_not_codings(runner, sample):
    with Project.open(sample, readonly=True) as project:
        codings = len(project.codings())
        suggestions = len(project.suggestions())
    args = ["search", "-p", str(sample), "van de gemeente", "--limit", "1"]
    done = runner.invoke(cli, [*args, "--suggest", "dwang", "--coder", "anna"])
    assert done.exit_code == 0, done.output
    assert (
        "18 nieuwe suggesties van Ervaren verplichting voor anna (search:van de gemeente)"
        in done.output
    )
    with Project.open(sample) as project:
        assert len(project.codings()) == codings
        assert len(project.suggestions()) == suggestions + 18
        assert len(project.suggestions(open_for="anna")) >= 18
    again = runner.invoke(cli, [*args, "--suggest", "dwang", "--coder", "anna"])
    assert "0 nieuwe suggesties" in again.output and "18 waren al voorgesteld" in again.output


def test_suggest_an_unknown_code_is_one_line_and_changes_nothing(runner, sample):
    done = runner.invoke(
        cli, ["search", "-p", str(sample), "gemeente", "--suggest", "geen_code", "--coder", "a"]
    )
    assert done.exit_code == 1 and done.output.count("\n") == 1
    assert "heeft geen code 'geen_code'" in done.output
    category = runner.invoke(
        cli, ["search", "-p", str(sample), "gemeente", "--suggest", "verplichting", "--coder", "a"]
    )
    assert category.exit_code == 1
    assert category.output.endswith(
        "'verplichting' is een categorie; stel een van haar codes voor\n"
    )
