"""`kwali agree` with Holsti, Gwet's AC1 and bootstrap intervals, on units without the
interviewer.

The interview below has a header, four interviewer questions and five respondent turns, one
sentence each. anna codes dwang on respondent turns 3 and 5, and on the interviewer's
question 2 (it names the theme); bram on 3 and 7. On the five respondent units they agree
on 3 of 5 (60 %). Counting the header and the questions too, they agree on 7 of 10 (70 %):
the units nobody codes push percent agreement up, which is why they are left out by default.
Every figure the report shows is checked against ``kwali.agreement`` on the same rows.
"""

from __future__ import annotations

import json

import docx
import numpy as np
import pandas as pd
import pytest

from kwali.agreement import (
    alpha_interval,
    gwet_ac1,
    gwet_interval,
    holsti,
    kappa_interval,
    krippendorff_alpha,
    percent_agreement,
)
from kwali.app.agreeing import (
    ALPHA_UNITS,
    MINIMUMS,
    RESAMPLES,
    SEED,
    agreement_report,
    below,
)
from kwali.app.attribution import left_out
from kwali.app.settling import disagreements
from kwali.cli import cli
from kwali.model import Segment, Transcript, Turn
from kwali.store import Project

from helpers import AGREEMENT_CODEBOOK

TURNS = (  # (speaker, role, text); None: the header above the first speaker
    (None, None, "Interview 1 · werkzoekende · vrouw · 45-54 jaar"),
    ("I", "interviewer", "Moest u meedoen van de gemeente?"),
    ("R", "respondent", "Ja, ik moest van de gemeente."),
    ("I", "interviewer", "Hoe vond u dat?"),
    ("R", "respondent", "Eerst was ik bang voor een korting."),
    ("I", "interviewer", "En nu?"),
    ("R", "respondent", "Nu vind ik het leuk."),
    ("I", "interviewer", "Wat doet u daar?"),
    ("R", "respondent", "Ik kook elke vrijdag."),
    ("R", "respondent", "Meer heb ik niet te zeggen."),
)
RESPONDENT = [3, 5, 7, 9, 10]  # turn numbers: the units by default
ANNA = {"dwang": [2, 3, 5]}
BRAM = {"dwang": [3, 7]}


def add_interview(project: Project, turns=TURNS, name: str = "buurthuis") -> list[Segment]:
    """A transcript of ``turns``, "SPEAKER: text" a line (the header as it is), each turn one
    sentence; its sentence segments."""
    text, built = "", []
    for number, (speaker, role, said) in enumerate(turns, start=1):
        start = len(text)
        text += f"{speaker}: " if speaker else ""
        content = len(text)
        text += said
        built.append(Turn(number, start, len(text), content, len(text), speaker, role))
        text += "\n"

    def segments(document_id: int, uid: str) -> list[Segment]:
        return [
            Segment(
                f"{uid}:{t.number}" + (".1" if kind == "sentence" else ""),
                document_id,
                kind,  # type: ignore[arg-type]
                t.number,
                1 if kind == "sentence" else 0,
                t.content_start,
                t.content_end,
                t.number,
                "",
            )
            for t in built
            for kind in ("turn", "sentence")
        ]

    document, _ = project.add_document(
        Transcript(text, tuple(built), f"{name}.txt", "txt"), segments, name=name
    )
    return project.segments(document.id, kind="sentence")


def code(project: Project, sentences: list[Segment], coder: str, codes: dict) -> None:
    by_turn = {s.turn_number: s for s in sentences}
    for key, turns in codes.items():
        for t in turns:
            s = by_turn[t]
            project.add_coding(s.document_id, s.start, s.end, key, coder)


def study_project(project: Project) -> list[Segment]:
    project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
    sentences = add_interview(project)
    code(project, sentences, "anna", ANNA)
    code(project, sentences, "bram", BRAM)
    return sentences


def rows_of(codes: dict, turns: list[int]) -> list[int]:
    return [int(t in codes.get("dwang", [])) for t in turns]


@pytest.fixture
def study(project):
    study_project(project)
    return project


@pytest.fixture
def study_file(tmp_path):
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        study_project(project)
    return path


def run(runner, *args):
    return runner.invoke(cli, [str(a) for a in args])


# -- which units -------------------------------------------------------------------------------
def test_the_rule_names_the_interviewer_and_the_header(study):
    sentences = study.segments(kind="sentence")
    assert left_out(sentences) == [
        "header",
        "interviewer",
        None,
        "interviewer",
        None,
        "interviewer",
        None,
        "interviewer",
        None,
        None,
    ]


def test_a_transcript_without_speakers_has_no_header(project):
    plain = [(None, None, "Eerste alinea."), (None, None, "Tweede alinea.")]
    sentences = add_interview(project, plain, "zonder_sprekers")
    assert left_out(sentences) == [None, None]


def test_interviewer_and_header_are_left_out_unless_asked(study):
    report = agreement_report(study, codes=["dwang"])
    every = agreement_report(study, codes=["dwang"], include_interviewer=True)
    dwang, all_dwang = report.codes[0], every.codes[0]
    assert dwang.n_units == 5 and all_dwang.n_units == 10
    assert dict(dwang.coded) == {"anna": 2, "bram": 2}  # anna's question is not a unit
    assert dict(all_dwang.coded) == {"anna": 3, "bram": 2}
    assert dwang.percent == pytest.approx(3 / 5) and all_dwang.percent == pytest.approx(7 / 10)
    assert dict(report.left_out) == {"interviewer": 4, "header": 1} and not every.left_out
    assert (
        "Niet als eenheid geteld: 4 zinnen van de interviewer en 1 zin boven de eerste "
        "spreker (titel en gegevens van het interview)."
    ) in report.notes
    assert not any("Niet als eenheid" in n for n in every.notes)


def test_the_disagreements_are_those_of_the_same_units(study):
    listed = [d.reference for d in disagreements(study, unit="sentence")]
    every = [d.reference for d in disagreements(study, include_interviewer=True)]
    assert listed == ["1:5.1", "1:7.1"]
    assert every == ["1:2.1", "1:5.1", "1:7.1"]  # anna's coding of the question


def test_turn_units_leave_out_the_same(study):
    report = agreement_report(study, unit="turn", codes=["dwang"])
    assert report.codes[0].n_units == 5 and dict(report.left_out) == {
        "interviewer": 4,
        "header": 1,
    }


# -- the figures equal kwali.agreement's -------------------------------------------------------
def test_two_coders_every_figure_against_the_pure_functions(study):
    row = agreement_report(study, codes=["dwang"]).codes[0]
    data = np.array([rows_of(ANNA, RESPONDENT), rows_of(BRAM, RESPONDENT)], dtype=float)
    options = {"resamples": RESAMPLES, "seed": SEED}
    assert row.percent == pytest.approx(percent_agreement(data))
    assert row.holsti == pytest.approx(holsti(data, absent=0)) == pytest.approx(2 * 1 / (2 + 2))
    assert row.gwet_ac1 == pytest.approx(gwet_ac1(data, categories=[0, 1]))
    assert row.krippendorff_alpha == pytest.approx(krippendorff_alpha(data))
    assert set(row.intervals) == {"krippendorff_alpha", "cohen_kappa", "gwet_ac1"}
    assert row.intervals["krippendorff_alpha"] == alpha_interval(data, minimums=MINIMUMS, **options)
    assert row.intervals["cohen_kappa"] == kappa_interval(data, **options)
    assert row.intervals["gwet_ac1"] == gwet_interval(data, categories=[0, 1], **options)
    for minimum in MINIMUMS:
        assert row.q(minimum) == row.intervals["krippendorff_alpha"].probability_below(minimum)


def test_three_coders_have_alpha_over_units_and_no_kappa(study):
    sentences = study.segments(kind="sentence")
    cees = {"dwang": [3, 5, 7]}
    code(study, sentences, "cees", cees)
    row = agreement_report(study, codes=["dwang"]).codes[0]
    data = np.array([rows_of(c, RESPONDENT) for c in (ANNA, BRAM, cees)], dtype=float)
    assert set(row.intervals) == {"krippendorff_alpha", ALPHA_UNITS, "gwet_ac1"}
    assert row.cohen_kappa is None
    assert row.intervals[ALPHA_UNITS] == alpha_interval(
        data, method="units", resamples=RESAMPLES, seed=SEED
    )
    assert row.holsti == pytest.approx(holsti(data, absent=0))
    report = agreement_report(study, codes=["dwang"])
    columns = report.columns()
    assert columns[columns.index("krippendorff_alpha") + 1] == ALPHA_UNITS


def test_a_domain_is_nominal_with_none_as_no_decision(study):
    sentences = study.segments(kind="sentence")
    code(study, sentences, "anna", {"plezier": [7]})
    code(study, sentences, "bram", {"plezier": [9]})
    report = agreement_report(study, domains=["ervaring"])
    (domain,) = report.domains
    # per respondent unit: dwang 0, plezier 1, none -1
    anna, bram = [0, 0, 1, -1, -1], [0, -1, 0, 1, -1]
    assert domain.gwet_ac1 == pytest.approx(gwet_ac1([anna, bram], categories=[-1, 0, 1]))
    assert domain.holsti == pytest.approx(holsti([anna, bram], absent=-1))
    assert domain.intervals["gwet_ac1"] == gwet_interval(
        np.array([anna, bram], dtype=float),
        categories=(-1, 0, 1),
        resamples=RESAMPLES,
        seed=SEED,
    )


def test_seeded_so_the_same_report_comes_back(study):
    first = agreement_report(study).to_dict()
    again = agreement_report(study).to_dict()
    other = agreement_report(study, seed=1).to_dict()
    assert first == again and first != other
    assert first["resamples"] == 1000 and first["seed"] == 2007


def test_no_intervals_with_zero_resamples_nor_at_character_level(study):
    plain = agreement_report(study, resamples=0)
    assert all(not r.intervals for r in plain.rows())
    assert below(0.667) not in plain.columns() and "gwet_ac1" in plain.columns()
    chars = agreement_report(study, unit="char")
    assert chars.resamples == 0 and all(not r.intervals for r in chars.rows())
    assert chars.codes[0].gwet_ac1 is None and chars.codes[0].holsti is None


def test_a_cell_holds_the_value_and_its_interval(study):
    report = agreement_report(study, codes=["dwang"])
    row = report.codes[0]
    kappa = row.intervals["cohen_kappa"]

    def figure(name: str, value: float | None) -> str:
        return f"{name}:{value}"

    assert report.cell(row, "cohen_kappa", figure) == (
        f"bound:{row.cohen_kappa} [bound:{kappa.low}–bound:{kappa.high}]"
    )
    assert report.cell(row, below(0.8), figure) == f"{below(0.8)}:{row.q(0.8)}"
    assert report.cell(row, "holsti", figure) == f"holsti:{row.holsti}"


# -- the command and its reports ---------------------------------------------------------------
def test_cli_defaults_are_the_reports(runner):
    from kwali.cli.agreeing import agree

    defaults = {p.name: p.default for p in agree.params}
    assert defaults["resamples"] == RESAMPLES and defaults["seed"] == SEED


def test_cli_table_json_and_the_option(runner, study_file):
    table = run(runner, "agree", "-p", study_file, "--codes", "dwang")
    assert table.exit_code == 0, table.output
    header, _rule, dwang, *_ = table.output.splitlines()
    assert header.split()[5:] == [
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
    assert dwang.split()[:5] == ["Dwang", "5", "2", "2", "60.0"]
    assert "Niet als eenheid geteld: 4 zinnen van de interviewer" in table.output
    every = run(runner, "agree", "-p", study_file, "--codes", "dwang", "--include-interviewer")
    assert every.output.splitlines()[2].split()[1:5] == ["10", "3", "2", "70.0"]
    assert "Niet als eenheid" not in every.output
    data = json.loads(run(runner, "agree", "-p", study_file, "--json").output)
    dwang_json = data["codes"]["dwang"]
    with Project.open(study_file, readonly=True) as project:
        row = agreement_report(project).codes[0]
    alpha = row.intervals["krippendorff_alpha"]
    assert dwang_json["gwet_ac1"] == pytest.approx(row.gwet_ac1)
    assert dwang_json["intervals"]["krippendorff_alpha"] == {
        "method": "hayes_krippendorff",
        "low": alpha.low,
        "high": alpha.high,
        "confidence": 0.95,
        "resamples": 1000,
        "undefined": 0,
        "q": {"0.667": row.q(0.667), "0.8": row.q(0.8)},
    }
    assert data["left_out"] == {"interviewer": 4, "header": 1}
    off = json.loads(run(runner, "agree", "-p", study_file, "--json", "--resamples", "0").output)
    assert off["resamples"] == 0 and off["codes"]["dwang"]["intervals"] == {}
    seeded = run(runner, "agree", "-p", study_file, "--json", "--seed", "7").output
    assert json.loads(seeded)["codes"]["dwang"]["intervals"] != dwang_json["intervals"]
    listed = run(runner, "disagreements", "-p", study_file, "--include-interviewer")
    assert (
        "1:2.1" in listed.output
        and "1:2.1" not in run(runner, "disagreements", "-p", study_file).output
    )


def test_cli_refuses_a_negative_number_of_resamples(runner, study_file):
    result = run(runner, "agree", "-p", study_file, "--resamples", "-1")
    assert result.exit_code == 2 and "--resamples" in result.output


def test_csv_and_word_hold_the_same_figures(runner, study_file, tmp_path):
    with Project.open(study_file, readonly=True) as project:
        row = agreement_report(project).codes[0]
    csv = tmp_path / "o.csv"
    assert run(runner, "agree", "-p", study_file, "-o", csv).exit_code == 0
    table = pd.read_csv(csv, encoding="utf-8-sig")
    dwang = table[table.code == "dwang"].set_index("statistic")
    kappa = row.intervals["cohen_kappa"]
    assert dwang.loc["cohen_kappa", "ci_low"] == pytest.approx(kappa.low)
    assert dwang.loc["cohen_kappa", "ci_high"] == pytest.approx(kappa.high)
    assert dwang.loc["cohen_kappa", "ci_method"] == "units"
    assert dwang.loc["holsti", "value"] == pytest.approx(row.holsti)
    assert dwang.loc["gwet_ac1", "ci_resamples"] == 1000
    assert dwang.loc[below(0.667), "value"] == pytest.approx(row.q(0.667))
    out = tmp_path / "o.docx"
    assert run(runner, "agree", "-p", study_file, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]

    def two(x: float) -> str:
        return f"{x:.2f}".replace(".", ",")

    assert f"{two(row.cohen_kappa)}\u00a0[{two(kappa.low)}–{two(kappa.high)}]" in cells
    assert f"{row.q(0.8):.3f}".replace(".", ",") in cells
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1.000 bootstrap-trekkingen (startwaarde 2007" in text
    assert "Hayes & Krippendorff (2007)" in text and "Gwets AC1." in text
    assert "Niet als eenheid geteld: 4 zinnen van de interviewer" in text


def test_in_english(runner, study_file, english, tmp_path):
    result = run(runner, "--lang", "en", "agree", "-p", study_file, "--codes", "dwang")
    assert result.exit_code == 0, result.output
    assert (
        "Not counted as units: 4 sentences by the interviewer and 1 sentence above the first "
        "speaker (the interview's title and details)." in result.output
    )
    out = tmp_path / "o.docx"
    assert run(runner, "--lang", "en", "agree", "-p", study_file, "-o", out).exit_code == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "1,000 bootstrap resamples (seed 2007" in text and "Gwet's AC1." in text
