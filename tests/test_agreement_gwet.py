"""Gwet's AC1/AC2 and Holsti's coefficient: published values, irrCAC, and the edge cases.

irrCAC (a port of Gwet's own R package) is a test-only dependency, imported here and
nowhere in kwali; the tests that need it skip without it. It is given the categories
explicitly: with pandas 3 it otherwise counts a missing rating as a category of its own.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kwali.agreement import AgreementError, percent_agreement
from kwali.agreement.gwet import (
    GWET_WEIGHTS,
    gwet_ac1,
    gwet_ac2,
    gwet_ac_result,
    holsti,
    holsti_result,
)

from helpers import shared_path

FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
N = None

# Krippendorff (2011) "data C": 4 coders x 12 units, missing values; Gwet (2014) uses the same
# data, and irrCAC's documentation prints its AC1 and bipolar AC2 (raw.py, dataset raw_4raters).
DATA_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]

# Gwet (2014): 100 pregnant women classified by two abstractors as ectopic (1), abnormal
# intrauterine (2) or normal intrauterine (3); irrCAC's table.py prints AC1 and AC2.
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]


def rows_from_table(table: list[list[int]]) -> list[list[int]]:
    pairs = [
        (i + 1, j + 1) for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)
    ]
    return [[a for a, _ in pairs], [b for _, b in pairs]]


# -- published values -------------------------------------------------------------------------


def test_ac1_of_krippendorffs_data_c_is_gwets_published_value():
    result = gwet_ac_result(DATA_C)
    assert result.value == pytest.approx(0.77544, abs=5e-6)
    assert result.observed_agreement == pytest.approx(0.81818, abs=5e-6)
    assert result.expected_agreement == pytest.approx(0.19032, abs=5e-6)
    assert result.statistic == "gwet_ac1"
    assert (result.n_units, result.n_coders) == (11, 4)  # unit 12 has one rating only


def test_bipolar_ac2_of_data_c_is_the_published_value():
    result = gwet_ac_result(DATA_C, "bipolar")
    assert result.value == pytest.approx(0.90037, abs=5e-6)
    assert result.observed_agreement == pytest.approx(0.96836, abs=5e-6)
    assert result.expected_agreement == pytest.approx(0.68244, abs=5e-6)
    assert result.statistic == "gwet_ac2_bipolar"


def test_two_abstractors_ac1_and_quadratic_ac2_are_gwets_values():
    rows = rows_from_table(ABSTRACTORS)
    ac1 = gwet_ac_result(rows)
    assert ac1.value == pytest.approx(0.84933, abs=5e-6)
    assert (ac1.observed_agreement, ac1.expected_agreement) == pytest.approx(
        (0.89, 0.26992), abs=5e-6
    )
    ac2 = gwet_ac_result(rows, "quadratic")
    assert ac2.value == pytest.approx(0.94024, abs=5e-6)
    assert (ac2.observed_agreement, ac2.expected_agreement) == pytest.approx(
        (0.9725, 0.53985), abs=5e-6
    )


def test_labels_weigh_by_rank_like_numbers():
    labels = {1: "ectopisch", 2: "intra-abnormaal", 3: "intra-normaal"}  # sorted = rank order
    rows = [[labels[v] for v in row] for row in rows_from_table(ABSTRACTORS)]
    assert gwet_ac2(rows, "quadratic") == pytest.approx(0.94024, abs=5e-6)


def test_holsti_is_percent_agreement_on_krippendorffs_complete_binary_example():
    vectors = json.loads(shared_path("agreement", "vectors.json").read_text(encoding="utf-8"))
    vector = next(v for v in vectors if v["name"].endswith("binary__percent_agreement"))
    assert holsti(vector["data"]["values"]) == pytest.approx(vector["expected"])  # 0.6, ATLAS.ti


# -- against irrCAC on random data -------------------------------------------------------------


@st.composite
def reliability(draw, values=(1, 2, 3, 5, 8)):
    m = draw(st.integers(2, 4))
    n = draw(st.integers(1, 15))
    cell = st.one_of(st.none(), st.sampled_from(values))
    rows = draw(st.lists(st.lists(cell, min_size=n, max_size=n), min_size=m, max_size=m))
    units = list(zip(*rows, strict=True))
    assume(any(sum(v is not None for v in u) >= 2 for u in units))
    assume(len({v for row in rows for v in row if v is not None}) >= 2)
    # irrCAC's standard error divides by (units - 1): it needs two units with a rating
    assume(sum(any(v is not None for v in u) for u in units) >= 2)
    return rows


def irrcac_gwet(rows, weights, categories):
    pd = pytest.importorskip("pandas")
    raw = pytest.importorskip("irrCAC.raw")
    frame = pd.DataFrame(np.array(rows, dtype=float).T)
    return raw.CAC(frame, weights=weights, categories=categories, digits=15).gwet()["est"]


@FEW
@given(reliability(), st.sampled_from(GWET_WEIGHTS))
def test_ac_matches_irrcac(rows, weights):
    categories = sorted({float(v) for row in rows for v in row if v is not None})
    theirs = irrcac_gwet(rows, weights, categories)
    ours = gwet_ac_result(rows, weights)
    assert ours.value == pytest.approx(theirs["coefficient_value"], abs=1e-9)
    assert ours.observed_agreement == pytest.approx(theirs["pa"], abs=1e-9)
    assert ours.expected_agreement == pytest.approx(theirs["pe"], abs=1e-9)


@FEW
@given(reliability(values=(1, 2, 3)), st.sampled_from(["identity", "linear", "quadratic"]))
def test_declared_categories_count_like_irrcacs(rows, weights):
    declared = [1, 2, 3, 4, 5]  # 4 and 5 never used: they change q and the weights
    theirs = irrcac_gwet(rows, weights, [float(c) for c in declared])
    ours = gwet_ac_result(rows, weights, categories=declared)
    assert ours.value == pytest.approx(theirs["coefficient_value"], abs=1e-9)


@FEW
@given(reliability(), st.permutations(range(4)))
def test_ac1_ignores_coder_order_and_nominal_labels(rows, relabel):
    names = {v: "abcde"[i] for v, i in zip((1, 2, 3, 5), relabel, strict=False)} | {8: "e"}
    shuffled = [[None if v is None else names[v] for v in row] for row in reversed(rows)]
    assert gwet_ac1(shuffled) == pytest.approx(gwet_ac1(rows), abs=1e-12)


@FEW
@given(reliability())
def test_holsti_is_between_zero_and_one(rows):
    value = holsti(rows)
    assert 0 <= value <= 1


@FEW
@given(reliability())
def test_holsti_equals_percent_agreement_for_two_coders_without_missing(rows):
    complete = [[1 if v is None else v for v in row] for row in rows[:2]]
    assert holsti(complete) == pytest.approx(percent_agreement(complete), abs=1e-12)


# -- edge cases --------------------------------------------------------------------------------


def test_all_agree_over_two_categories_gives_one():
    assert gwet_ac1([[0, 1, 1, 0], [0, 1, 1, 0], [0, 1, 1, 0]]) == 1.0
    assert gwet_ac2([[1, 2, 3], [1, 2, 3]], "quadratic") == 1.0


def test_one_category_is_undefined_unless_the_category_set_is_given():
    never_coded = [[0, 0, 0, 0], [0, 0, 0, 0]]
    assert math.isnan(gwet_ac1(never_coded))
    # Present/absent data where nobody applied the code: the coders agree, chance is 0.
    assert gwet_ac1(never_coded, categories=[0, 1]) == 1.0


def test_one_unit():
    assert gwet_ac1([[1], [2]]) == pytest.approx(-1.0)  # p_a 0, p_e 1/2
    assert gwet_ac1([[1], [1], [2]]) == pytest.approx(-0.2)  # p_a 1/3, p_e 4/9


def test_a_unit_one_coder_rated_counts_for_the_shares_only():
    rows = [[1, 1, 2], [1, 2, None]]
    # p_a = (1 + 0) / 2; pi = (1 + 1/2 + 0, 0 + 1/2 + 1) / 3 = (1/2, 1/2); p_e = 1/2
    result = gwet_ac_result(rows)
    assert result.observed_agreement == pytest.approx(0.5)
    assert result.expected_agreement == pytest.approx(0.5)
    assert result.value == pytest.approx(0.0)
    assert (result.n_units, result.n_values) == (2, 4)


def test_no_unit_with_two_ratings_is_an_error_in_dutch():
    with pytest.raises(AgreementError, match="geen eenheid is door ten minste twee coders"):
        gwet_ac1([[1, None], [None, 2]])


def test_unknown_weights_and_categories_are_errors():
    with pytest.raises(AgreementError, match="onbekende gewichten 'cubic'"):
        gwet_ac2([[1, 2], [1, 2]], "cubic")  # type: ignore[arg-type]
    with pytest.raises(AgreementError, match="de waarde 3 staat niet in de opgegeven"):
        gwet_ac1([[1, 3], [1, 2]], categories=[1, 2])
    with pytest.raises(AgreementError, match="ratio-gewichten"):
        gwet_ac2([[0, 2], [1, 2]], "ratio")


def test_english_messages(english):
    with pytest.raises(AgreementError, match="unknown weights 'cubic'; use one of identity"):
        gwet_ac2([[1, 2], [1, 2]], "cubic")  # type: ignore[arg-type]


# -- Holsti ------------------------------------------------------------------------------------


def test_holsti_counts_a_unit_one_coder_left_open_as_a_decision_not_matched():
    rows = [[1, 0, 1, None], [1, 1, 1, 1]]
    assert holsti(rows) == pytest.approx(2 * 2 / (3 + 4))
    assert percent_agreement(rows) == pytest.approx(2 / 3)  # skips the open unit


def test_holsti_with_absent_compares_the_units_each_coder_coded():
    rows = [[1, 1, 0, 0, 0, 0], [1, 0, 1, 1, 0, 0]]
    assert holsti(rows, absent=0) == pytest.approx(2 * 1 / (2 + 3))
    assert holsti(rows) == pytest.approx(3 / 6)


def test_holsti_averages_coder_pairs():
    rows = [[1, 2, 3], [1, 2, 2], [1, 1, 1]]
    pairs = [2 * 2 / 6, 2 * 1 / 6, 2 * 1 / 6]
    result = holsti_result(rows)
    assert result.value == pytest.approx(sum(pairs) / 3)
    assert (result.statistic, result.n_coders, result.n_values) == ("holsti", 3, 9)


def test_holsti_needs_a_decision():
    with pytest.raises(AgreementError, match="Holsti"):
        holsti([[0, 0], [0, 0]], absent=0)
