"""The agreement workflow on real projects: report, disagreements, consensus, merging copies."""

from __future__ import annotations

import math
import stat

import numpy as np
import pytest

from kwali.agreement import (
    AgreementError,
    binary_u_alpha,
    brennan_prediger,
    character_agreement,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from kwali.app.agreeing import agreement_report
from kwali.app.agreeing_data import CONSENSUS
from kwali.app.merging import merge_projects
from kwali.app.settling import disagreements, find_unit, settle
from kwali.errors import ProjectError
from kwali.model import Code
from kwali.store import Project

from helpers import (
    AGREEMENT_CODEBOOK,
    SENTENCES,
    add_interview,
    code_two_coders,
    code_units,
    copy_with,
)


@pytest.fixture
def two_coders(project):
    return project, code_two_coders(project, brief=[0, 6])


def test_hand_computed_two_coder_case(two_coders):
    project, _ = two_coders
    report = agreement_report(project)
    assert report.coders == ("anna", "bram") and report.documents == 1
    assert [row.key for row in report.codes] == [
        "dwang",
        "brief",
    ]  # codebook order, used codes only
    dwang = report.codes[0]
    # anna 1111000000, bram 1100100000: 7 of 10 agree; p_e = .4*.3 + .6*.7 = .54
    assert dwang.n_units == 10 and dict(dwang.coded) == {"anna": 4, "bram": 3}
    assert dwang.percent == pytest.approx(0.7)
    assert dwang.cohen_kappa == pytest.approx((0.7 - 0.54) / (1 - 0.54))
    assert dwang.brennan_prediger == pytest.approx((0.7 - 0.5) / 0.5)
    brief = report.codes[1]
    assert brief.percent == 1.0 and brief.cohen_kappa == 1.0
    anna = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    bram = [1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    assert report.overall.n_units == 20
    assert report.overall.krippendorff_alpha == pytest.approx(krippendorff_alpha([anna, bram]))
    assert report.overall.fleiss_kappa == pytest.approx(fleiss_kappa([anna, bram]))


def test_three_coders_against_the_pure_functions(project):
    project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
    sentences = add_interview(project, "een") + add_interview(project, "twee", SENTENCES[:6])
    sentences = [s for s in sentences if s.kind == "sentence"]
    rng = np.random.default_rng(3)
    truth = rng.random(len(sentences)) < 0.4
    rows = {}
    for coder in ("anna", "bram", "cees"):
        marks = truth ^ (rng.random(len(sentences)) < 0.2)
        rows[coder] = marks.astype(int).tolist()
        code_units(project, sentences, coder, "plezier", list(np.flatnonzero(marks)))
        project.add_coding(
            sentences[0].document_id, 0, 1, "brief", coder
        )  # every coder covers both
        project.add_coding(sentences[-1].document_id, 0, 1, "brief", coder)
    report = agreement_report(project, codes=["plezier"])
    row = report.codes[0]
    data = list(rows.values())
    assert row.cohen_kappa is None  # three coders
    assert row.percent == pytest.approx(percent_agreement(data))
    assert row.fleiss_kappa == pytest.approx(fleiss_kappa(data))
    assert row.krippendorff_alpha == pytest.approx(krippendorff_alpha(data))
    assert row.brennan_prediger == pytest.approx(brennan_prediger(data, n_categories=2))


def test_turns_as_units_and_missing_documents(two_coders):
    project, _ = two_coders
    other = add_interview(project, "ander", SENTENCES[::-1])
    code_units(project, other, "anna", "dwang", [0])  # bram never coded this document
    report = agreement_report(project, unit="turn", codes=["dwang"])
    # turns of 'buurthuis': anna 1 1 0 0 0, bram 1 0 1 0 0; 'ander' is anna's alone
    assert report.documents == 1 and report.codes[0].n_units == 5
    assert report.codes[0].percent == pytest.approx(3 / 5)
    assert dict(report.codes[0].coded) == {"anna": 2, "bram": 2}


def test_character_level_as_nvivo_and_atlas(two_coders):
    project, sentences = two_coders
    report = agreement_report(project, unit="char", codes=["dwang"])
    document = project.require_document(sentences[0].document_id)
    spans = {
        c: [(x.start, x.end) for x in project.codings(coder=c, code_key="dwang")]
        for c in ("anna", "bram")
    }
    nvivo = character_agreement(len(document.text), spans["anna"], spans["bram"])
    row = report.codes[0]
    assert row.n_units == len(document.text)
    assert row.percent == pytest.approx(nvivo.percent_agreement)
    assert row.cohen_kappa == pytest.approx(nvivo.kappa)
    atlas = binary_u_alpha(
        len(document.text), [(c, s, e, "dwang") for c in spans for s, e in spans[c]]
    )
    assert row.binary_u_alpha == pytest.approx(atlas)
    assert row.fleiss_kappa is None and "binary_u_alpha" in report.statistics()


def test_domain_as_one_nominal_variable(two_coders):
    project, sentences = two_coders
    code_units(project, sentences, "anna", "plezier", [4])
    code_units(
        project, sentences, "bram", "plezier", [3, 1]
    )  # unit 1: bram gives dwang and plezier
    report = agreement_report(project, domains=["ervaring"])
    (domain,) = report.domains
    assert domain.key == "ervaring" and domain.conflicts == 1
    geen = -1
    anna = [0, 0, 0, 0, 1, geen, geen, geen, geen, geen]
    bram = [0, None, geen, 1, 0, geen, geen, geen, geen, geen]
    assert domain.krippendorff_alpha == pytest.approx(krippendorff_alpha([anna, bram]))
    assert domain.cohen_kappa == pytest.approx(cohen_kappa([anna, bram]))
    assert domain.n_units == 9
    char = agreement_report(project, unit="char", domains=["ervaring"]).domains[0]
    assert (
        char.u_alpha is not None and math.isnan(char.u_alpha) and "overlappende tekst" in char.note
    )


def test_fewer_than_two_coders_is_refused(project):
    project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
    sentences = add_interview(project, "een")
    code_units(project, sentences, "anna", "dwang", [0])
    with pytest.raises(AgreementError, match="minstens twee coders"):
        agreement_report(project)
    with pytest.raises(AgreementError, match="minstens twee coders"):
        agreement_report(project, coders=["anna", "bram"])


def test_disagreements_and_settling_into_the_consensus_layer(two_coders):
    project, sentences = two_coders
    listed = disagreements(project)
    assert [d.reference for d in listed] == ["1:2.1", "1:2.2", "1:3.1"]  # units 2, 3, 4
    first = listed[0]
    assert first.text == SENTENCES[2] and first.codes == {"anna": ("dwang",), "bram": ()}
    assert first.consensus is None
    before = {c: len(project.codings(coder=c)) for c in ("anna", "bram")}

    result = settle(project, first.segment, ["dwang"], "anna")
    assert result.added == ("dwang",)
    (agreed,) = project.codings(coder=CONSENSUS)
    assert (agreed.start, agreed.end, agreed.code_key) == (
        sentences[2].start,
        sentences[2].end,
        "dwang",
    )
    settle(project, listed[1].segment.id, [], "bram")  # settled as "no code"
    assert {c: len(project.codings(coder=c)) for c in ("anna", "bram")} == before
    again = disagreements(project)
    assert [d.consensus for d in again] == [("dwang",), (), None]
    assert agreement_report(project).coders == ("anna", "bram")  # consensus is not a coder here

    settle(project, first.segment, ["plezier"], "bram")  # change of mind
    assert [c.code_key for c in project.codings(coder=CONSENSUS)] == ["plezier"]
    project.undo("bram")
    assert [c.code_key for c in project.codings(coder=CONSENSUS)] == ["dwang"]


def test_settling_trims_a_consensus_coding_that_runs_on(two_coders):
    project, sentences = two_coders
    doc = sentences[0].document_id
    project.add_coding(doc, sentences[2].start, sentences[4].end, "dwang", CONSENSUS)
    settle(project, sentences[3], [], "anna")
    kept = sorted((c.start, c.end) for c in project.codings(coder=CONSENSUS))
    assert kept == [(sentences[2].start, sentences[3].start), (sentences[3].end, sentences[4].end)]


def test_find_unit(two_coders):
    project, sentences = two_coders
    assert find_unit(project, "1:2.1").id == sentences[2].id
    assert find_unit(project, "1:2").kind == "turn"
    for bad in ("x", "1:9.9", "7:1.1"):
        with pytest.raises(ProjectError):
            find_unit(project, bad)


# -- merging copies -----------------------------------------------------------------------------
@pytest.mark.sqlite_only
def test_merge_copies_of_the_same_texts(tmp_path):
    a = copy_with(tmp_path / "a.kwali", "anna", [0, 1, 2])
    b = copy_with(tmp_path / "b.kwali", "bram", [0, 4])
    with Project.open(b) as project:  # bram also has a document anna lacks
        extra = [s for s in add_interview(project, "extra", SENTENCES[:2]) if s.kind == "sentence"]
        code_units(project, extra, "bram", "brief", [1])
    report = merge_projects(a, b, tmp_path / "m.kwali")
    assert (report.documents, report.documents_in_both, report.codings) == (2, 1, 6)
    assert stat.S_IMODE((tmp_path / "m.kwali").stat().st_mode) == 0o600
    with Project.open(tmp_path / "m.kwali", readonly=True) as merged:
        assert merged.coders() == ["anna", "bram"]
        assert len(merged.document_ids()) == 2 and len(merged.segments(kind="sentence")) == 12
        assert {m.text for m in merged.memos("document")} == {
            "notitie van anna",
            "notitie van bram",
        }
        row = agreement_report(merged, codes=["dwang"]).codes[0]
        assert row.n_units == 10 and row.percent == pytest.approx(7 / 10)


def test_merge_refuses_different_texts_and_writes_nothing(tmp_path):
    a = copy_with(tmp_path / "a.kwali", "anna", [0])
    b = copy_with(tmp_path / "b.kwali", "bram", [0], SENTENCES[:-1] + ["Anders."])
    with pytest.raises(
        ProjectError, match=r"a\.kwali en b\.kwali niet samenvoegen: document 'buurthuis'"
    ):
        merge_projects(a, b, tmp_path / "m.kwali")
    assert not list(tmp_path.glob("m.kwali*"))


def test_merge_refuses_one_coder_name_with_two_layers_unless_renamed(tmp_path):
    a = copy_with(tmp_path / "a.kwali", "anna", [0])
    b = copy_with(tmp_path / "b.kwali", "anna", [1])
    with pytest.raises(ProjectError, match="coder 'anna' heeft in elk andere coderingen"):
        merge_projects(a, b, tmp_path / "m.kwali")
    assert not (tmp_path / "m.kwali").exists()
    report = merge_projects(a, b, tmp_path / "m.kwali", rename_coders={"anna": "anna2"})
    assert report.coders == ("anna", "anna2")
    same = copy_with(tmp_path / "c.kwali", "anna", [0])
    assert merge_projects(a, same, tmp_path / "n.kwali").codings == 1  # identical layers: once


def test_merge_keeps_the_first_codebook_on_conflict(tmp_path):
    a = copy_with(tmp_path / "a.kwali", "anna", [0])
    b = copy_with(tmp_path / "b.kwali", "bram", [0])
    with Project.open(b) as project:
        project.update_code("dwang", "bram", definition="Iets anders.")
        project.add_code(Code("nieuw", "Nieuw"), "bram")
    report = merge_projects(a, b, tmp_path / "m.kwali")
    assert any("dwang" in w for w in report.warnings)
    with Project.open(tmp_path / "m.kwali", readonly=True) as merged:
        assert merged.require_code("dwang").definition == "Angst voor sancties."
        assert merged.code("nieuw") is not None


def test_a_category_brings_its_codes(two_coders):
    project, _ = two_coders
    report = agreement_report(project, codes=["ervaring"])
    assert [row.key for row in report.codes] == ["dwang", "plezier"]  # not the uncoded category
    with pytest.raises(ProjectError, match="heeft geen code 'nergens'"):
        agreement_report(project, codes=["nergens"])
