"""`kwali survey table`: answers per code and group, checked against figures counted by hand
on the survey of survey_table_helpers (8 respondents, Q7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from survey_table_helpers import build_survey, survey_file

from kwali.analysis.survey_tables import (
    NO_CODE,
    TOTAL,
    TableError,
    dutch_percent,
    multiple_note,
    survey_table,
)
from kwali.cli import cli
from kwali.store import Project


@pytest.fixture
def survey(project: Project) -> Project:
    build_survey(project)
    return project


@pytest.fixture
def survey_path(tmp_path: Path) -> Path:
    return survey_file(tmp_path)


def kwali(runner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def cells(table, row: str) -> list[tuple[int, str]]:
    """(count, percentage as printed) per column, Totaal last."""
    return [(table.count(row, c), dutch_percent(table.percent(row, c))) for c in table.all_columns]


def test_counts_and_column_percentages_by_aanpak(survey):
    table = survey_table(survey, "Q7", by=["aanpak"])
    # groups in the Dutch order of their values, no value last
    assert table.columns == ["Meedoen010", "Prestatie010", "(onbekend)"]
    assert [table.n(c) for c in table.all_columns] == [2, 3, 1, 6]
    # 101 has werk and geld, 102 geld (by two coders: once), 108 werk
    assert cells(table, "geld") == [(0, "0,0%"), (2, "66,7%"), (0, "0,0%"), (2, "33,3%")]
    assert cells(table, "werk") == [(0, "0,0%"), (1, "33,3%"), (1, "100,0%"), (2, "33,3%")]
    # a category counts each answer below it once: 101 has two codes under motief
    assert cells(table, "motief") == [(0, "0,0%"), (2, "66,7%"), (1, "100,0%"), (3, "50,0%")]
    assert cells(table, "verplichting") == [(0, "0,0%"), (1, "33,3%"), (0, "0,0%"), (1, "16,7%")]
    # 105's dwang is the consensus layer's: not counted by default
    assert cells(table, "dwang") == [(0, "0,0%"), (1, "33,3%"), (0, "0,0%"), (1, "16,7%")]
    assert cells(table, "contact") == [(1, "50,0%"), (0, "0,0%"), (0, "0,0%"), (1, "16,7%")]
    assert cells(table, NO_CODE) == [(1, "50,0%"), (0, "0,0%"), (0, "0,0%"), (1, "16,7%")]
    # leeg (104) and weet niet (107) are counted apart, never in n
    assert [table.status_count("empty", c) for c in table.all_columns] == [0, 1, 0, 1]
    assert [table.status_count("weet_niet", c) for c in table.all_columns] == [1, 0, 0, 1]
    assert table.multiple == 1 and table.note == multiple_note()


def test_rows_are_the_used_codes_in_tree_order_then_the_extra_lines(survey):
    table = survey_table(survey, "Q7", by=["aanpak"])
    # taal is never coded in Q7, and Q9's codings never count for Q7
    assert [r.key for r in table.rows] == [
        "motief",
        "werk",
        "geld",
        "verplichting",
        "dwang",
        "contact",
    ]
    assert [(r.depth, r.category) for r in table.rows[:3]] == [(0, True), (1, False), (1, False)]
    lines = table.lines()
    assert [x.label for x in lines[-3:]] == ["Geen code", "leeg", "weet niet"]
    assert lines[-1].percents is None and lines[-3].percents is not None


def test_chosen_codes_show_zeros_and_the_answers_with_only_other_codes(survey):
    table = survey_table(survey, "Q7", codes=["motief", "taal"])
    assert [r.key for r in table.rows] == ["motief", "werk", "geld", "taal"]
    assert table.count("taal", TOTAL) == 0
    labels = [x.label for x in table.lines()]
    # 103 (dwang) and 105 (contact) have codes, none of these: said apart from Geen code
    assert "Alleen andere codes" in labels
    assert table.count("(andere codes)", TOTAL) == 2
    assert table.count(NO_CODE, TOTAL) == 1


def test_coder_scope(survey):
    anna = survey_table(survey, "Q7", by=["aanpak"], coders=["anna"])
    # bram's 103 (dwang) and 108 (werk) are not anna's: those answers have no code for her
    assert anna.count("werk", TOTAL) == 1 and anna.count("geld", TOTAL) == 2
    assert anna.count(NO_CODE, TOTAL) == 3
    assert [r.key for r in anna.rows] == ["motief", "werk", "geld", "contact"]
    settled = survey_table(survey, "Q7", by=["aanpak"], coders=["consensus"])
    assert [r.key for r in settled.rows] == ["verplichting", "dwang"]
    assert cells(settled, "dwang") == [(1, "50,0%"), (0, "0,0%"), (0, "0,0%"), (1, "16,7%")]
    assert settled.count(NO_CODE, TOTAL) == 5
    assert settled.multiple == 0 and settled.note == ""


def test_two_attributes_crossed(survey):
    table = survey_table(survey, "Q7", by=["aanpak", "geslacht"])
    assert table.columns == [
        "Meedoen010 · man",
        "Meedoen010 · vrouw",
        "Prestatie010 · man",
        "Prestatie010 · vrouw",
        "(onbekend) · man",
    ]
    assert [table.n(c) for c in table.all_columns] == [1, 1, 1, 2, 1, 6]
    assert cells(table, "werk")[3:] == [(1, "50,0%"), (1, "100,0%"), (2, "33,3%")]
    assert cells(table, "geld")[2:4] == [(1, "100,0%"), (1, "50,0%")]
    # 104 (leeg) is a Prestatie010 man, 107 (weet niet) a Meedoen010 vrouw
    assert [table.status_count("empty", c) for c in table.all_columns] == [0, 0, 1, 0, 0, 1]
    assert [table.status_count("weet_niet", c) for c in table.all_columns] == [0, 1, 0, 0, 0, 1]


def test_a_number_attribute_reads_and_sorts_the_dutch_way(survey):
    table = survey_table(survey, "Q7", by=["uren"])
    assert table.columns == ["3,5", "10", "(onbekend)"]  # 3,5 before 10
    assert [table.n(c) for c in table.all_columns] == [3, 2, 1, 6]


def test_without_by_only_the_total(survey):
    table = survey_table(survey, "q7")  # the question's name in any case
    assert table.columns == [] and table.all_columns == [TOTAL]
    assert table.n(TOTAL) == 6 and table.count("motief", TOTAL) == 3
    assert table.title == "Q7. Waarom doet u mee?"


def test_a_coding_counts_only_where_it_touches_an_answer(survey):
    document = survey.require_document("Q7")
    turns = survey.turns(document.id)
    # on 106's label alone ("106: "): no answer of 106's
    survey.add_coding(document.id, turns[4].start, turns[4].content_start, "taal", "anna")
    # over the end of 102's answer and the start of 103's: both answers
    survey.add_coding(
        document.id, turns[1].content_end - 3, turns[2].content_start + 3, "taal", "bram"
    )
    table = survey_table(survey, "Q7", by=["aanpak"])
    assert cells(table, "taal") == [(0, "0,0%"), (2, "66,7%"), (0, "0,0%"), (2, "33,3%")]
    assert table.count(NO_CODE, "Meedoen010") == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"question": "Q8"}, "heeft geen enquêtevraag 'Q8' (--question) (vragen: Q7, Q9)"),
        ({"by": ["regio"]}, "heeft het kenmerk 'regio' (--by) (bekend: aanpak, geslacht, uren)"),
        ({"codes": ["nee"]}, "heeft geen code 'nee' (--code)"),
        ({"survey": "x"}, "heeft geen enquête 'x' (--survey) (enquêtes: enquete)"),
    ],
)
def test_bad_input_is_one_line_naming_the_project(survey, kwargs, message):
    args = {"question": "Q7", **kwargs}
    with pytest.raises(TableError) as caught:
        survey_table(survey, args.pop("question"), **args)
    assert message in caught.value.one_line()


def test_no_survey_at_all(project):
    with pytest.raises(TableError, match="heeft geen enquête"):
        survey_table(project, "Q7")


# -- the command ---------------------------------------------------------------------------------
def _line(output: str, label: str) -> list[str]:
    line = next(x for x in output.splitlines() if x.strip().startswith(label))
    return line.strip()[len(label) :].split()


def test_the_command_prints_the_table(runner, survey_path):
    result = kwali(
        runner, "survey", "table", "-p", str(survey_path), "--question", "Q7", "--by", "aanpak"
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.splitlines()[0] == "Q7. Waarom doet u mee?"
    assert _line(out, "Meedoen010") == ["Prestatie010", "(onbekend)", "Totaal"]
    assert _line(out, "n = 2") == ["n", "=", "3", "n", "=", "1", "n", "=", "6"]
    assert _line(out, "MOTIEVEN") == ["0", "0,0%", "2", "66,7%", "1", "100,0%", "3", "50,0%"]
    assert _line(out, "Geld") == ["0", "0,0%", "2", "66,7%", "0", "0,0%", "2", "33,3%"]
    assert _line(out, "Geen code") == ["1", "50,0%", "0", "0,0%", "0", "0,0%", "1", "16,7%"]
    # below a rule, outside n: counts only
    assert "Geen antwoord (niet in n):" in out
    assert _line(out, "leeg") == ["0", "1", "0", "1"]
    assert _line(out, "weet niet") == ["1", "0", "0", "1"]
    assert multiple_note() + "." in out
    assert "Gecodeerd: alle codeurs (niet de consensuslaag)." in out


def test_the_command_takes_coder_consensus_codes_and_two_by(runner, survey_path):
    base = ("survey", "table", "-p", str(survey_path), "-q", "Q7")
    anna = kwali(runner, *base, "--coder", "anna")
    assert _line(anna.output, "Geen code") == ["3", "50,0%"]
    assert "Gecodeerd: codeur anna." in anna.output
    settled = kwali(runner, *base, "--consensus", "--by", "aanpak")
    assert _line(settled.output, "Moeten van de gemeente") == [
        "1", "50,0%", "0", "0,0%", "0", "0,0%", "1", "16,7%",
    ]  # fmt: skip
    assert multiple_note() not in settled.output
    chosen = kwali(runner, *base, "--codes", "taal")
    assert _line(chosen.output, "Taal") == ["0", "0,0%"]
    crossed = kwali(runner, *base, "--by", "aanpak", "--by", "geslacht")
    assert "Prestatie010 · vrouw" in crossed.output
    both = kwali(runner, *base, "--coder", "anna", "--consensus")
    assert both.exit_code == 2 and "--consensus en --coder sluiten elkaar uit" in both.output


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-q", "Q8"), "heeft geen enquêtevraag 'Q8' (--question)"),
        (("-q", "Q7", "--by", "regio"), "heeft het kenmerk 'regio' (--by)"),
        (("-q", "Q7", "--code", "nee"), "heeft geen code 'nee' (--code)"),
        (("-q", "Q7", "--code", "@nee"), "heeft geen codegroep 'nee'"),
        (("-q", "Q7", "--survey", "x"), "heeft geen enquête 'x' (--survey)"),
        (("-q", "Q7", "-o", "q7.pdf"), "q7.pdf: kan geen .pdf schrijven (-o: gebruik .docx"),
    ],
)
def test_every_bad_input_is_one_line_and_exit_1(runner, survey_path, args, message):
    before = survey_path.read_bytes()
    result = runner.invoke(cli, ["survey", "table", "-p", str(survey_path), *args])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kwali: fout: ")
    assert message in lines[0]
    if "-o" not in args:
        assert str(survey_path) in lines[0]
    assert survey_path.read_bytes() == before  # opened read-only: nothing changed
