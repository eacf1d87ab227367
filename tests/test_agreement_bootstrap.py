"""Bootstrap confidence intervals: what a methodologist relies on when a report prints one.

- Krippendorff's alpha (Hayes & Krippendorff 2007): the resampled D_o is a mean of M draws
  of delta^2 from the coincidences, so its mean and spread are known in closed form; the
  tests check the algorithm against that, not against its own output.
- kappa and AC1 (units resampled): against a plain loop that resamples units and calls the
  coefficient, and against irrCAC's analytic standard error (test-only dependency).
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kwali.agreement import (
    AgreementError,
    cohen_kappa,
    krippendorff_alpha,
    krippendorff_alpha_result,
)
from kwali.agreement.bootstrap import alpha_interval, gwet_interval, kappa_interval
from kwali.agreement.gwet import gwet_ac1

from helpers import shared_path

FEW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
N = None
DATA_C = [  # Krippendorff (2011) data C: 4 coders, 12 units, missing values
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def coded(units: int, seed: int = 0, coders: int = 2, flip: float = 0.1, share: float = 0.3):
    """Present/absent rows: coders follow a shared truth and disagree on ``flip`` of units."""
    rng = np.random.default_rng(seed)
    truth = rng.random(units) < share
    return np.array([(truth ^ (rng.random(units) < flip)).astype(float) for _ in range(coders)])


INTERVALS = {
    "alpha": lambda rows, **kw: alpha_interval(rows, **kw),
    "alpha_units": lambda rows, **kw: alpha_interval(rows, method="units", **kw),
    "kappa": lambda rows, **kw: kappa_interval(rows, **kw),
    "ac1": lambda rows, **kw: gwet_interval(rows, **kw),
}


# -- what every interval promises ---------------------------------------------------------------


@pytest.mark.parametrize("name", INTERVALS)
def test_interval_contains_the_estimate(name):
    ci = INTERVALS[name](coded(300), resamples=1000)
    assert ci.low < ci.value < ci.high
    assert ci.confidence == 0.95 and ci.resamples == 1000 and ci.undefined == 0


@pytest.mark.parametrize("name", INTERVALS)
def test_interval_narrows_with_more_units(name):
    widths = [INTERVALS[name](coded(n), resamples=1000) for n in (100, 400, 1600)]
    spans = [ci.high - ci.low for ci in widths]
    assert spans[0] > spans[1] > spans[2]
    assert spans[2] < spans[0] / 2.5  # about 1/sqrt(units): a quarter at 16 times the units


@pytest.mark.parametrize("name", INTERVALS)
def test_same_seed_same_interval_other_seed_other_interval(name):
    rows = coded(200)
    first = INTERVALS[name](rows, seed=11)
    assert INTERVALS[name](rows, seed=11) == first
    assert INTERVALS[name](rows, seed=np.random.default_rng(11)) == first
    assert INTERVALS[name](rows, seed=12) != first
    assert INTERVALS[name](rows) == INTERVALS[name](rows)  # the default seed is fixed


@pytest.mark.parametrize("name", INTERVALS)
def test_a_higher_confidence_gives_a_wider_interval(name):
    rows = coded(200)
    narrow, wide = (INTERVALS[name](rows, confidence=c) for c in (0.8, 0.99))
    assert wide.low < narrow.low < narrow.high < wide.high


@pytest.mark.parametrize("name", INTERVALS)
def test_thousand_resamples_of_four_thousand_units_take_well_under_a_second(name):
    rows = coded(4000)
    rows[0, ::50] = np.nan  # some units one coder left open
    INTERVALS[name](rows, resamples=10)  # imports and caches out of the timing
    start = time.perf_counter()
    INTERVALS[name](rows, resamples=1000)
    assert time.perf_counter() - start < 0.5  # ~0.02 s here; the margin is for a busy machine


@FEW
@given(
    st.lists(st.lists(st.sampled_from([0, 1, 2, None]), min_size=2, max_size=12), min_size=2),
    st.sampled_from(list(INTERVALS)),
)
def test_bounds_are_ordered_and_q_grows_with_the_minimum(rows, name):
    width = min(len(r) for r in rows)
    rows = [r[:width] for r in rows[:3]]
    if name == "kappa":
        rows = rows[:2]
    try:
        ci = INTERVALS[name](rows, resamples=200, minimums=(-0.5, 0.0, 0.667, 0.8))
    except AgreementError:
        assume(False)
    assume(not math.isnan(ci.low))
    assert -1 <= ci.low <= ci.high <= 1
    qs = [q for _, q in ci.below]
    assert all(0 <= q <= 1 for q in qs) and qs == sorted(qs)


# -- Krippendorff's alpha: the Hayes & Krippendorff algorithm -----------------------------------


def test_alpha_draws_as_many_pairs_as_the_data_hold():
    # the 11 pairable units of data C hold 3, 4 (eight units), 3 and 2 values
    pairs = sum(m * (m - 1) // 2 for m in (3, 4, 4, 4, 4, 4, 4, 4, 4, 3, 2))
    assert alpha_interval(DATA_C).draws == pairs == 55
    assert alpha_interval(coded(50)).draws == 50  # two coders: one pair per unit


def test_alpha_resamples_have_the_spread_of_m_draws_from_the_coincidences():
    rows = coded(2000, flip=0.15)
    result = krippendorff_alpha_result(rows)
    ci = alpha_interval(rows, resamples=20000, confidence=0.6827)  # +-1 sd of a normal
    # nominal delta^2 is 0 or 1: M * D_o* is binomial(M, D_o), D_e held fixed
    d_o, d_e, m = result.observed_disagreement, result.expected_disagreement, ci.draws
    sd = math.sqrt(d_o * (1 - d_o) / m) / d_e
    assert (ci.high - ci.low) / 2 == pytest.approx(sd, rel=0.05)
    assert (ci.high + ci.low) / 2 == pytest.approx(result.value, abs=sd / 10)


def test_q_is_the_share_of_resamples_below_each_minimum():
    rows = coded(400, flip=0.08)  # alpha 0.70
    ci = alpha_interval(rows, minimums=(0.5, 0.667, 0.8, 0.95))
    assert ci.value == pytest.approx(krippendorff_alpha_result(rows).value)
    q = dict(ci.below)
    assert q[0.95] == 1.0 and q[0.5] == 0.0  # far above and far below the estimate
    assert ci.probability_below(0.667) == q[0.667]
    assert 0.1 < q[0.667] < 0.5 < q[0.8]  # 0.667 a little under the estimate, 0.8 above
    with pytest.raises(KeyError):
        ci.probability_below(0.7)


def test_alpha_at_any_level_with_missing_values_and_more_coders():
    for level in ("nominal", "ordinal", "interval", "ratio"):
        ci = alpha_interval(DATA_C, level, resamples=500)
        assert ci.statistic == f"krippendorff_alpha_{level}"
        assert ci.low <= ci.value <= ci.high
        assert -1 <= ci.low and ci.high <= 1


def test_published_alphas_lie_in_their_intervals():
    vectors = json.loads(shared_path("agreement", "vectors.json").read_text(encoding="utf-8"))
    for vector in vectors:
        if vector["metric"] != "krippendorff_alpha":
            continue
        ci = alpha_interval(vector["data"]["values"], vector["level"])
        assert ci.value == pytest.approx(vector["expected"], abs=vector["tolerance"])
        assert ci.low <= vector["expected"] <= ci.high


def test_perfect_agreement_over_several_values_is_one_every_time():
    ci = alpha_interval([[0, 1, 2] * 20, [0, 1, 2] * 20])
    assert (ci.value, ci.low, ci.high) == (1.0, 1.0, 1.0)


def test_a_resample_with_one_value_only_counts_as_alpha_zero():
    # 3 units, one agreeing pair per value: a resample of 3 pairs lands on one value
    # with chance 3 * (1/3)^3 = 1/9; Krippendorff sets those to 0, not 1.
    ci = alpha_interval([[0, 1, 2], [0, 1, 2]], resamples=9000, minimums=(0.5,))
    assert ci.probability_below(0.5) == pytest.approx(1 / 9, abs=0.015)


def test_no_variation_gives_nan_bounds_not_an_error():
    ci = alpha_interval([[1, 1, 1], [1, 1, 1]])
    assert math.isnan(ci.value) and math.isnan(ci.low) and math.isnan(ci.high)
    assert all(math.isnan(q) for _, q in ci.below)


def rated(units: int, coders: int, seed: int = 3) -> np.ndarray:
    """1-5 ratings: coders sit within one step of a shared truth; a fifth of one coder's open."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, units)
    rows = [np.clip(truth + rng.integers(-1, 2, units), 1, 5).astype(float) for _ in range(coders)]
    rows[-1][rng.random(units) < 0.2] = np.nan
    return np.array(rows)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_over_units_matches_a_plain_resampling_loop(level):
    rows = rated(120, coders=3)
    ci = alpha_interval(rows, level, method="units", resamples=3000, seed=5)
    assert ci.method == "units" and ci.draws == 120
    low, high = plain_unit_bootstrap(rows, lambda r: krippendorff_alpha(r, level), 3000, seed=6)
    assert ci.low == pytest.approx(low, abs=0.02)
    assert ci.high == pytest.approx(high, abs=0.02)


def test_with_many_coders_the_pairs_interval_is_narrower_than_the_units_one():
    rows = coded(300, coders=5, flip=0.1, seed=2)
    pairs, units = (alpha_interval(rows, method=m) for m in ("hayes_krippendorff", "units"))
    assert pairs.value == units.value
    assert (units.high - units.low) > 1.5 * (pairs.high - pairs.low)  # ~2x here
    two = coded(300, coders=2, flip=0.1, seed=2)
    pairs, units = (alpha_interval(two, method=m) for m in ("hayes_krippendorff", "units"))
    assert (units.high - units.low) == pytest.approx(pairs.high - pairs.low, rel=0.15)


def test_alpha_over_units_counts_resamples_with_one_value_as_undefined():
    ci = alpha_interval([[0, 1, 2], [0, 1, 2]], method="units", resamples=2700)
    assert ci.undefined / ci.resamples == pytest.approx(3 / 27, abs=0.02)  # 3 of 27 draws
    assert (ci.low, ci.high) == (1.0, 1.0)


def test_alpha_over_units_refuses_more_values_than_memory_allows():
    values = np.arange(2300, dtype=float)  # 2300^2 > the 5 million numbers allowed
    with pytest.raises(AgreementError, match="te veel verschillende waarden"):
        alpha_interval([values, values], "ordinal", method="units")
    with pytest.raises(AgreementError, match="onbekende bootstrapmethode 'jackknife'"):
        alpha_interval(coded(20), method="jackknife")  # type: ignore[arg-type]


# -- kappa and AC1: units resampled ------------------------------------------------------------


def plain_unit_bootstrap(rows, statistic, resamples, seed):
    rng = np.random.default_rng(seed)
    rows = np.asarray(rows, dtype=float)
    values = []
    for _ in range(resamples):
        picked = rows[:, rng.integers(0, rows.shape[1], rows.shape[1])]
        value = statistic(picked)
        if not math.isnan(value):
            values.append(value)
    return np.quantile(values, [0.025, 0.975])


@pytest.mark.parametrize(
    ("interval", "statistic"), [(kappa_interval, cohen_kappa), (gwet_interval, gwet_ac1)]
)
def test_unit_bootstrap_matches_a_plain_resampling_loop(interval, statistic):
    rows = coded(150, flip=0.15, seed=3)
    ci = interval(rows, resamples=3000, seed=5)
    low, high = plain_unit_bootstrap(rows, statistic, 3000, seed=6)
    assert ci.low == pytest.approx(low, abs=0.02)
    assert ci.high == pytest.approx(high, abs=0.02)


@pytest.mark.filterwarnings("ignore:Starting with pandas version 4.0")  # inside irrCAC
@pytest.mark.parametrize(
    ("interval", "method"), [(kappa_interval, "conger"), (gwet_interval, "gwet")]
)
def test_unit_bootstrap_spread_agrees_with_irrcacs_standard_error(interval, method):
    pd = pytest.importorskip("pandas")
    raw = pytest.importorskip("irrCAC.raw")
    rows = coded(300, flip=0.15, seed=4)
    frame = pd.DataFrame(rows.T)
    se = getattr(raw.CAC(frame, categories=[0.0, 1.0], digits=15), method)()["est"]["se"]
    ci = interval(rows, resamples=5000, confidence=0.6827)
    assert (ci.high - ci.low) / 2 == pytest.approx(se, rel=0.1)


def test_weighted_kappa_and_ac2_intervals():
    rng = np.random.default_rng(8)
    truth = rng.integers(1, 6, 300)
    rows = [truth, np.clip(truth + rng.integers(-1, 2, 300), 1, 5)]
    kappa = kappa_interval(rows, "quadratic")
    assert kappa.statistic == "cohen_kappa_quadratic"
    assert kappa.value == pytest.approx(cohen_kappa(rows, "quadratic"))
    assert kappa.low < kappa.value < kappa.high
    ac2 = gwet_interval(rows, "quadratic")
    assert ac2.statistic == "gwet_ac2_quadratic" and ac2.low < ac2.value < ac2.high


def test_units_one_coder_left_open_are_not_resampled_for_kappa_but_are_for_ac1():
    rows = coded(100)
    rows[1, :10] = np.nan
    assert kappa_interval(rows).draws == 90
    assert gwet_interval(rows).draws == 100


def test_a_rare_code_reports_the_resamples_where_kappa_is_undefined():
    rows = [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]]
    ci = kappa_interval(rows, resamples=2000)
    # a resample misses the one coded unit with chance (9/10)^10 = 0.35
    assert ci.undefined / ci.resamples == pytest.approx(0.9**10, abs=0.04)
    assert (ci.low, ci.high) == (1.0, 1.0)


def test_one_unit_and_all_agree():
    assert gwet_interval([[1], [2]]).value == pytest.approx(-1.0)
    ci = gwet_interval([[0, 1, 1, 0], [0, 1, 1, 0]])
    assert ci.low <= 1.0 == ci.value == ci.high


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"confidence": 1.5}, "betrouwbaarheidsniveau moet tussen 0 en 1"),
        ({"confidence": 0}, "betrouwbaarheidsniveau"),
        ({"resamples": 0}, "herhalingen van de bootstrap"),
        ({"resamples": 2.5}, "herhalingen van de bootstrap"),
        ({"minimums": (1.2,)}, "minimumwaarde moet tussen -1 en 1"),
    ],
)
@pytest.mark.parametrize("name", INTERVALS)
def test_bad_options_are_errors_in_dutch(name, options, message):
    with pytest.raises(AgreementError, match=message):
        INTERVALS[name](coded(20), **options)


def test_bad_options_in_english(english):
    with pytest.raises(AgreementError, match="the confidence level must be between 0 and 1"):
        alpha_interval(coded(20), confidence=2)
