"""kwali.agreement.unitizing: the 2016 unitizing alphas (u, |u, cu, (k)u).

Hand-computed cases, a slow per-position reference written straight from the formulas
in docs/agreement.md (run against the vectorised code on random continua), and the
error and NaN behaviour.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwali.agreement import (
    AgreementError,
    binary_u_alpha,
    cu_alpha,
    k_u_alpha,
    u_alpha,
    unitizing_summary,
)

# A codes x on [0,4), B codes x on [0,2), continuum of 10.
# l_xx = 2 + 2 = 4, l_x0 = l_0x = 2, l_00 = 6 + 6 = 12, l.. = 20; margins x 6, gap 14.
# W_x = 4^2 + 2^2 = 20, W_gap = 6 + 8 = 14, W = 34; l.. - W/l.. = 18.3.
# e_xx = (36 - 20)/18.3, e_00 = (196 - 14)/18.3 -> sum 198/18.3.
# u-alpha = 1 - (20 - 16)/(20 - 198/18.3) = 1 - 73.2/168 = 79/140.
SHORT = [("A", 0, 4, "x"), ("B", 0, 2, "x")]

# A: x [0,4) y [4,8); B: x [0,6) y [6,8); continuum 10 (two gap characters each).
# Valued intersections: l*_xx = 8, l*_xy = l*_yx = 2, l*_yy = 4, l*.. = 16.
# Squared overlaps with the other coder's valued text: S_x = 4^2 + 6^2 = 52,
# S_y = 4^2 + 2^2 = 20, S = 72; denominator l*.. - S/l*.. = 16 - 4.5 = 11.5.
# e*_xx = (100 - 52)/11.5, e*_yy = (36 - 20)/11.5 -> sum 64/11.5.
# cu-alpha = 1 - (16 - 12)/(16 - 64/11.5) = 1 - 46/120 = 37/60.
# (x)u-alpha = 1 - (e*_x./l*_x.)(l*_x. - l*_xx)/(e*_x. - e*_xx)
#            = 1 - (108/11.5/10) * 2 / (60/11.5) = 1 - 216/600 = 0.64
# (y)u-alpha = 1 - (76/11.5/6) * 2 / (60/11.5) = 1 - 152/360 = 13/22.5
CODED = [("A", 0, 4, "x"), ("A", 4, 8, "y"), ("B", 0, 6, "x"), ("B", 6, 8, "y")]


def test_u_alpha_by_hand():
    assert u_alpha(10, SHORT) == pytest.approx(79 / 140)


def test_binary_equals_u_alpha_with_one_code():
    assert binary_u_alpha(10, SHORT) == pytest.approx(79 / 140)


def test_cu_and_k_u_alpha_by_hand():
    assert cu_alpha(10, CODED) == pytest.approx(37 / 60)
    assert k_u_alpha(10, CODED, "x") == pytest.approx(0.64)
    assert k_u_alpha(10, CODED, "y") == pytest.approx(1 - 152 / 360)


def test_summary_agrees_with_the_single_functions():
    summary = unitizing_summary(10, CODED)
    assert summary.u_alpha == pytest.approx(u_alpha(10, CODED))
    assert summary.binary_u_alpha == pytest.approx(binary_u_alpha(10, CODED))
    assert summary.cu_alpha == pytest.approx(37 / 60)
    assert summary.coverage == pytest.approx(16 / 20)  # l*.. / l..
    assert [c.code for c in summary.per_code] == ["x", "y"]
    assert summary.per_code[0].k_u_alpha == pytest.approx(0.64)
    assert summary.per_code[0].coverage == pytest.approx(1.0)


def test_identical_coding_is_perfect():
    spans = [(c, s, e, code) for c in "AB" for s, e, code in [(2, 9, "x"), (12, 20, "y")]]
    assert u_alpha(30, spans) == pytest.approx(1.0)
    assert binary_u_alpha(30, spans) == pytest.approx(1.0)
    assert cu_alpha(30, spans) == pytest.approx(1.0)


def test_binary_per_code_treats_other_codes_as_uncoded():
    only_x = [s for s in CODED if s[3] == "x"]
    assert binary_u_alpha(10, CODED, codes="x") == pytest.approx(binary_u_alpha(10, only_x))
    assert binary_u_alpha(10, CODED, codes={"x", "y"}) == pytest.approx(binary_u_alpha(10, CODED))


def test_semantic_domain_merges_one_coders_overlapping_codes():
    # Within a domain, x and y overlap for coder A: as one "coded" value they are a union.
    spans = [("A", 0, 5, "x"), ("A", 3, 8, "y"), ("B", 0, 8, "x")]
    merged = [("A", 0, 8, "x"), ("B", 0, 8, "x")]
    assert binary_u_alpha(20, spans) == pytest.approx(binary_u_alpha(20, merged))


def test_overlapping_spans_of_one_code_are_merged():
    assert u_alpha(10, [("A", 0, 3, "x"), ("A", 1, 4, "x"), ("B", 0, 2, "x")]) == pytest.approx(
        79 / 140
    )


def test_a_coder_who_coded_nothing_counts_when_named():
    with_silent = u_alpha(10, SHORT, coders=["A", "B", "C"])
    assert with_silent < u_alpha(10, SHORT)
    with pytest.raises(AgreementError, match="ten minste twee coders"):
        u_alpha(10, [("A", 0, 4, "x")])
    assert not math.isnan(u_alpha(10, [("A", 0, 4, "x")], coders=["A", "B"]))


def test_holes_pair_with_nothing():
    # B gave no value at 4..10: only positions 0..4 are compared, and there both agree
    # except that B's unit is shorter -> same as a 4-character continuum... of the same data.
    holed = u_alpha(10, SHORT, holes=[("B", 4, 10), ("A", 4, 10)])
    assert holed == pytest.approx(u_alpha(4, SHORT))


def test_undefined_values_are_nan():
    everything = [("A", 0, 10, "x"), ("B", 0, 10, "x")]
    assert math.isnan(binary_u_alpha(10, everything))  # no gaps anywhere
    assert math.isnan(u_alpha(10, everything))  # one value only
    assert math.isnan(cu_alpha(10, SHORT))  # one code only
    assert math.isnan(cu_alpha(10, [("A", 0, 2, "x"), ("B", 5, 9, "y")]))  # nothing meets
    assert math.isnan(u_alpha(10, [], coders=["A", "B"]))  # nothing coded


def test_interval_level_on_numeric_codes():
    spans = [("A", 0, 4, 1), ("A", 4, 8, 5), ("B", 0, 6, 1), ("B", 6, 8, 5)]
    # Two values: every metric is a constant multiple of the nominal distance.
    assert cu_alpha(10, spans, level="interval") == pytest.approx(37 / 60)
    assert cu_alpha(10, spans, level="ratio") == pytest.approx(37 / 60)
    with pytest.raises(AgreementError, match="numerieke"):
        cu_alpha(10, CODED, level="interval")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: u_alpha(10, [("A", 0, 5, "x"), ("A", 3, 8, "y"), ("B", 0, 8, "x")]),
            "overlappende",
        ),
        (lambda: u_alpha(10, [("A", 0, 11, "x"), ("B", 0, 2, "x")]), "buiten"),
        (lambda: u_alpha(10, [("A", 5, 2, "x"), ("B", 0, 2, "x")]), "buiten"),
        (lambda: u_alpha(10, [("A", 0, 2.5, "x"), ("B", 0, 2, "x")]), "gehele getallen"),
        (lambda: u_alpha(10, [("A", 0, 2)]), "coder, start, end, code"),
        (lambda: u_alpha(0, SHORT), "positief"),
        (lambda: u_alpha(10, SHORT, coders=["A"]), "niet bij de opgegeven coders"),
        (lambda: u_alpha(10, SHORT, holes=[("A", 0, 3)]), "gat overlapt"),
        (
            lambda: u_alpha(10, SHORT, coders="AB", holes=[("Z", 0, 3)]),
            "niet bij de opgegeven coders",
        ),
        (lambda: u_alpha(10, SHORT, holes=[("A", 0, 30)]), "buiten het continuüm"),
        (lambda: k_u_alpha(10, SHORT, "nope"), "geen stuk draagt"),
        (lambda: cu_alpha(10, CODED, level="ordinal"), "onbekend meetniveau"),
    ],
)
def test_bad_spans_raise_a_clear_error(call, message):
    with pytest.raises(AgreementError, match=message):
        call()


# --- a slow reference, straight from the formulas -------------------------------


def _ratio(numerator, denominator):
    return None if abs(denominator) < 1e-9 else numerator / denominator


def reference(length, spans, coders, binary=False):
    """u, cu and per-code (k)u alpha by plain loops; None where a formula divides by 0."""
    m = len(coders)
    if binary:
        spans = [(c, s, e, "coded") for c, s, e, _ in spans]
    value = {c: [None] * length for c in coders}
    for c, s, e, code in spans:
        for p in range(s, e):
            value[c][p] = code
    observed = defaultdict(float)
    for p in range(length):
        for i in coders:
            for j in coders:
                if i != j:
                    observed[value[i][p], value[j][p]] += 1 / (m - 1)
    labels = sorted({k for pair in observed for k in pair}, key=str)
    weight = defaultdict(float)
    for _, s, e, code in spans:
        weight[code] += (e - s) ** 2
    weight[None] = sum(v is None for c in coders for v in value[c])
    overlap = defaultdict(float)
    for i, s, e, code in spans:
        for j in coders:
            if j != i:
                overlap[code] += sum(value[j][p] is not None for p in range(s, e)) ** 2

    def expected(w, keys):
        total = sum(observed[c, k] for c in keys for k in keys)
        margin = {c: sum(observed[c, k] for k in keys) for c in keys}
        denominator = total - sum(w[c] for c in keys) / total if total else 0
        if not denominator:
            return None, total
        return {
            (c, k): (margin[c] * margin[k] - (w[c] if c == k else 0)) / denominator
            for c in keys
            for k in keys
        }, total

    e, total = expected(weight, labels)
    u = _ratio(total - sum(observed[c, c] for c in labels), total - sum(e[c, c] for c in labels))
    coded = [c for c in labels if c is not None]
    e_star, total_star = expected({c: overlap[c] / (m - 1) for c in coded}, coded)
    if e_star is None:
        return (None if u is None else 1 - u), None, {}
    cu = _ratio(
        total_star - sum(observed[c, c] for c in coded),
        total_star - sum(e_star[c, c] for c in coded),
    )
    k_u = {}
    for k in coded:
        row_l = sum(observed[k, c] for c in coded)
        row_e = sum(e_star[k, c] for c in coded)
        ratio = _ratio(row_l - observed[k, k], row_e - e_star[k, k])
        k_u[k] = None if ratio is None or row_l == 0 else 1 - (row_e / row_l) * ratio
    return (None if u is None else 1 - u), (None if cu is None else 1 - cu), k_u


def same(actual, expected):
    """kwali's value against the reference's; None there means NaN here."""
    if expected is None or abs(expected) > 1e12:
        return math.isnan(actual) or expected is not None
    return actual == pytest.approx(expected, abs=1e-9)


@st.composite
def continua(draw):
    length = draw(st.integers(8, 40))
    coders = ["a", "b", "c"][: draw(st.integers(2, 3))]
    spans = []
    for coder in coders:
        cuts = sorted(draw(st.sets(st.integers(0, length), min_size=2, max_size=8)))
        for start, end in zip(cuts, cuts[1:], strict=False):
            code = draw(st.sampled_from([None, "x", "y", "z"]))
            if code is not None:
                spans.append((coder, start, end, code))
    return length, spans, coders


@settings(max_examples=80, deadline=None)
@given(continua())
def test_vectorised_family_matches_the_reference(case):
    length, spans, coders = case
    u, cu, k_u = reference(length, spans, coders)
    summary = unitizing_summary(length, spans, coders=coders)
    assert same(summary.u_alpha, u)
    assert same(summary.cu_alpha, cu)
    for item in summary.per_code:
        assert same(item.k_u_alpha, k_u.get(item.code))


@settings(max_examples=40, deadline=None)
@given(continua())
def test_binary_matches_the_reference_with_codes_collapsed(case):
    length, spans, coders = case
    expected, _, _ = reference(length, spans, coders, binary=True)
    assert same(binary_u_alpha(length, spans, coders=coders), expected)


@settings(max_examples=30, deadline=None)
@given(continua())
def test_coder_order_does_not_matter(case):
    length, spans, coders = case
    forward = unitizing_summary(length, spans, coders=coders)
    backward = unitizing_summary(length, list(reversed(spans)), coders=list(reversed(coders)))
    for a, b in [(forward.u_alpha, backward.u_alpha), (forward.cu_alpha, backward.cu_alpha)]:
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-12)
