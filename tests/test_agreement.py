"""kwali.agreement: hand-computed cases, the NaN-versus-error policy, character level.

Every expected number below is worked out by hand in the comment next to it, so the
suite stands without ../shared (published vectors: test_agreement_vectors.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from kwali.agreement import (
    AgreementError,
    brennan_prediger,
    character_agreement,
    cohen_kappa,
    cohen_kappa_result,
    fleiss_kappa,
    krippendorff_alpha,
    krippendorff_alpha_result,
    percent_agreement,
    scott_pi,
)
from kwali.errors import KwaliError

# A: 1 1 0 0 / B: 1 0 0 0 -> table (1,1)=1 (1,0)=1 (0,0)=2, p_o = 3/4.
TWO = [[1, 1, 0, 0], [1, 0, 0, 0]]


def test_percent_agreement_two_coders():
    assert percent_agreement(TWO) == pytest.approx(0.75)


def test_percent_agreement_many_coders_skips_single_values():
    # units: (a,a,b) 1 of 3 pairs agree; (a,a,a) 1; (a,-,b) 0; (a,-,-) skipped -> 4/9
    rows = [["a", "a", "a", "a"], ["a", "a", None, None], ["b", "a", "b", None]]
    assert percent_agreement(rows) == pytest.approx(4 / 9)


def test_cohen_kappa_by_hand():
    # marginals A (1: .5, 0: .5), B (1: .25, 0: .75): p_e = .125 + .375 = .5
    # kappa = (.75 - .5) / (1 - .5) = .5
    assert cohen_kappa(TWO) == pytest.approx(0.5)
    result = cohen_kappa_result(TWO)
    assert result.observed_agreement == pytest.approx(0.75)
    assert result.expected_agreement == pytest.approx(0.5)


def test_weighted_kappa_by_hand():
    # A = 0 1 2 2, B = 0 2 2 1; linear weights |i - j|.
    # observed: cells (1,2) and (2,1) each weight 1 -> D_o = 2/4 = .5
    # both marginals (.25, .25, .5): D_e = 2(.25*.25*1 + .25*.5*2 + .25*.5*1) = .875
    # kappa_w = 1 - .5/.875 = 3/7; quadratic: D_e = 2(.0625 + .125*4 + .125) = 1.375,
    # D_o = .5 -> 1 - .5/1.375 = 7/11
    rows = [[0, 1, 2, 2], [0, 2, 2, 1]]
    assert cohen_kappa(rows, weights="linear") == pytest.approx(3 / 7)
    assert cohen_kappa(rows, weights="quadratic") == pytest.approx(7 / 11)


def test_weights_follow_sorted_labels_not_values():
    # Ranks of the used categories, as scikit-learn: 1, 5, 9 weigh like 0, 1, 2.
    assert cohen_kappa([[1, 5, 9, 9], [1, 9, 9, 5]], "linear") == pytest.approx(3 / 7)


def test_scott_pi_by_hand():
    # pooled: 1 -> 3/8, 0 -> 5/8; p_e = 9/64 + 25/64 = 34/64; pi = (.75 - 34/64)/(30/64) = 7/15
    assert scott_pi(TWO) == pytest.approx(7 / 15)


def test_fleiss_kappa_by_hand():
    # units (a,a,a) (a,a,b) (b,b,b): P_i = 1, 1/3, 1 -> P = 7/9
    # p_a = 5/9, p_b = 4/9 -> P_e = 41/81; kappa = (63/81 - 41/81)/(40/81) = 0.55
    rows = [list("aab"), list("aab"), list("abb")]
    assert fleiss_kappa(rows) == pytest.approx(0.55)


def test_fleiss_kappa_equals_scott_pi_for_two_coders():
    assert fleiss_kappa(TWO) == pytest.approx(scott_pi(TWO))


def test_brennan_prediger_by_hand():
    # p_o = .75; q = 4: (.75 - .25)/.75 = 2/3; q observed = 2: (.75 - .5)/.5 = .5
    assert brennan_prediger(TWO, n_categories=4) == pytest.approx(2 / 3)
    assert brennan_prediger(TWO) == pytest.approx(0.5)


def test_krippendorff_alpha_with_missing_by_hand():
    # unit 1 (1,1): o11 += 2; unit 2 (1,2,2), weight 1/2: o12 += 1, o21 += 1, o22 += 1;
    # unit 3 (2,2): o22 += 2. n1 = 3, n2 = 4, n = 7.
    # D_o = 2/7; D_e = (49 - 9 - 16)/(7*6) = 4/7; alpha = 1 - (2/7)/(4/7) = .5
    rows = [[1, 1, None], [1, 2, 2], [None, 2, 2]]
    assert krippendorff_alpha(rows) == pytest.approx(0.5)
    # two values only: every level's distance is a constant multiple -> same alpha
    for level in ("ordinal", "interval", "ratio"):
        assert krippendorff_alpha(rows, level) == pytest.approx(0.5)


def test_alpha_relates_to_scott_pi():
    # alpha = 1 - ((n-1)/n)(1 - pi) with n = 8 pairable values: 1 - (7/8)(8/15) = 8/15
    assert krippendorff_alpha(TWO) == pytest.approx(8 / 15)


def test_alpha_expected_agreement_is_reported():
    result = krippendorff_alpha_result(TWO)
    # n0 = 5, n1 = 3: D_e = (64 - 25 - 9)/(8*7) = 30/56
    assert result.expected_disagreement == pytest.approx(30 / 56)
    assert result.n_units == 4 and result.n_values == 8 and result.n_coders == 2


def test_interval_alpha_differs_from_nominal_when_distances_differ():
    rows = [[1, 2, 3, 4], [1, 2, 3, 5]]
    assert krippendorff_alpha(rows, "interval") > krippendorff_alpha(rows, "nominal")


def test_numpy_input_with_nan_equals_lists_with_none():
    rows = [[1, 1, None, 2], [1, 2, 2, 2], [None, 2, 2, 1]]
    array = np.array(rows, dtype=float)
    assert krippendorff_alpha(array) == pytest.approx(krippendorff_alpha(rows))


def test_string_labels_and_numbers_do_not_merge():
    # "1" and 1 are different categories: nothing agrees here.
    assert percent_agreement([[1, "a"], ["1", "a"]]) == pytest.approx(0.5)


# --- undefined values: NaN, never an exception ---------------------------------


@pytest.mark.parametrize(
    "statistic",
    [cohen_kappa, scott_pi, fleiss_kappa, krippendorff_alpha, brennan_prediger],
)
def test_no_variation_gives_nan(statistic):
    rows = [["ja", "ja", "ja"], ["ja", "ja", "ja"]]
    assert math.isnan(statistic(rows))
    assert percent_agreement(rows) == 1.0


def test_brennan_prediger_defined_with_declared_categories():
    rows = [["ja", "ja"], ["ja", "ja"]]
    assert brennan_prediger(rows, n_categories=2) == 1.0


# --- errors --------------------------------------------------------------------


def test_agreement_error_is_a_value_error_and_a_kwali_error():
    with pytest.raises(AgreementError) as caught:
        cohen_kappa([[1, 2], [1, 2], [2, 2]])
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, KwaliError)
    assert "precies twee coders" in str(caught.value)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: percent_agreement([[1, None], [None, 2]]), "ten minste twee coders"),
        (lambda: krippendorff_alpha([[1, None], [None, 2]]), "ten minste twee coders"),
        (lambda: cohen_kappa([[1, None], [None, 2]]), "beide coders"),
        (lambda: krippendorff_alpha([[1, 2, 3]]), "ten minste twee coders"),
        (lambda: krippendorff_alpha([[1, 2], [1]]), "hetzelfde aantal eenheden"),
        (lambda: krippendorff_alpha([1, 2, 3]), "coderrijen"),
        (lambda: krippendorff_alpha([[], []]), "geen eenheden"),
        (lambda: krippendorff_alpha(TWO, "cardinal"), "onbekend meetniveau"),
        (lambda: krippendorff_alpha([["a", "b"], ["a", "a"]], "interval"), "getallen nodig"),
        (lambda: krippendorff_alpha([[1, -2], [1, 1]], "ratio"), "nul of meer"),
        (lambda: krippendorff_alpha([["a", 1], [2, "a"]], "ordinal"), "ordenen"),
        (lambda: cohen_kappa(TWO, weights="cubic"), "onbekende kappa-gewichten"),
        (lambda: brennan_prediger(TWO, n_categories=1), "ten minste 2"),
        (lambda: fleiss_kappa([[1, 1, 2], [1, None, 2]]), "hetzelfde aantal beoordelingen"),
    ],
)
def test_bad_input_raises_a_clear_error(call, message):
    with pytest.raises(AgreementError, match=message):
        call()


def test_fleiss_ignores_units_nobody_coded():
    assert fleiss_kappa([[1, None, 2, 1], [1, None, 2, 2]]) == pytest.approx(
        fleiss_kappa([[1, 2, 1], [1, 2, 2]])
    )


# --- character level (NVivo) ---------------------------------------------------


def test_character_agreement_nvivo_help_example():
    # NVivo help: 1000 characters, 50 coded by both, 150 by one, 800 by neither -> 85 %
    result = character_agreement(1000, [(0, 200)], [(0, 50)])
    assert (result.both, result.a_only, result.b_only, result.neither) == (50, 150, 0, 800)
    assert result.percent_agreement == pytest.approx(0.85)


def test_character_kappa_by_hand():
    # A [0,100), B [50,150) of 1000: agree 50 + 850 = 900.
    # EF = (100*100 + 900*900)/1000 = 820; kappa = (900 - 820)/(1000 - 820) = 4/9
    result = character_agreement(1000, [(0, 100)], [(50, 150)])
    assert result.percent_agreement == pytest.approx(0.9)
    assert result.kappa == pytest.approx(4 / 9)


def test_character_kappa_equals_cohen_on_characters():
    a_spans, b_spans = [(3, 20), (40, 41)], [(0, 10), (15, 45)]
    a = np.zeros(60, dtype=int)
    b = np.zeros(60, dtype=int)
    for s, e in a_spans:
        a[s:e] = 1
    for s, e in b_spans:
        b[s:e] = 1
    result = character_agreement(60, a_spans, b_spans)
    assert result.kappa == pytest.approx(cohen_kappa([a.tolist(), b.tolist()]))
    assert result.percent_agreement == pytest.approx(percent_agreement([a.tolist(), b.tolist()]))


def test_overlapping_spans_of_one_coder_count_once():
    once = character_agreement(100, [(10, 50)], [(20, 60)])
    twice = character_agreement(100, [(10, 40), (30, 50), (10, 50)], [(20, 60)])
    assert once == twice


def test_character_complete_agreement_is_one_as_nvivo():
    # Cohen's kappa is 0/0 here; NVivo documents K = 1 for complete agreement.
    assert character_agreement(500, [], []).kappa == 1.0
    assert character_agreement(500, [(0, 500)], [(0, 500)]).kappa == 1.0
    assert character_agreement(500, [(5, 9)], [(5, 9)]).kappa == 1.0


def test_character_one_coder_coded_nothing():
    # A codes 100 of 1000, B nothing: agree 900, EF = (0 + 900*1000)/1000 = 900 -> kappa 0
    assert character_agreement(1000, [(0, 100)], []).kappa == pytest.approx(0.0)


@pytest.mark.parametrize("spans", [[(-1, 5)], [(5, 1001)], [(9, 3)]])
def test_character_spans_outside_the_text_are_refused(spans):
    with pytest.raises(AgreementError, match="buiten"):
        character_agreement(1000, spans, [])


def test_character_length_must_be_positive():
    with pytest.raises(AgreementError, match="lengte"):
        character_agreement(0, [], [])
