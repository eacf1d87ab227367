"""kwali.agreement against independent implementations, on random reliability data.

The oracles (krippendorff, scikit-learn, statsmodels, nltk) are test-only dependencies,
imported here and nowhere in kwali. Example counts are kept small so this runs in seconds.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kwali.agreement import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)

krippendorff = pytest.importorskip("krippendorff")
sklearn_metrics = pytest.importorskip("sklearn.metrics")
inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
nltk_agreement = pytest.importorskip("nltk.metrics.agreement")

FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@st.composite
def reliability(draw, coders=None, missing=True, values=(0, 1, 2, 3)):
    m = draw(coders if coders is not None else st.integers(2, 4))
    n = draw(st.integers(2, 15))
    value = st.sampled_from(values)
    cell = st.one_of(st.none(), value) if missing else value
    rows = draw(st.lists(st.lists(cell, min_size=n, max_size=n), min_size=m, max_size=m))
    pairable = [v for u in zip(*rows, strict=True) if sum(x is not None for x in u) >= 2 for v in u]
    assume(len({v for v in pairable if v is not None}) >= 2)  # else alpha is 0/0
    return rows


def as_array(rows):
    return np.array(rows, dtype=float)


def annotation_task(rows):
    triples = [
        (str(c), str(u), v)
        for c, row in enumerate(rows)
        for u, v in enumerate(row)
        if v is not None
    ]
    return nltk_agreement.AnnotationTask(data=triples)


@FEW
@given(
    reliability(values=(0, 1, 2, 5, 9)),
    st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
)
def test_alpha_matches_krippendorff_package(rows, level):
    expected = krippendorff.alpha(reliability_data=as_array(rows), level_of_measurement=level)
    assert krippendorff_alpha(rows, level) == pytest.approx(expected, abs=1e-9)


@FEW
@given(reliability())
def test_alpha_matches_nltk(rows):
    assert krippendorff_alpha(rows) == pytest.approx(annotation_task(rows).alpha(), abs=1e-9)


@FEW
@given(
    reliability(coders=st.just(2), missing=False), st.sampled_from([None, "linear", "quadratic"])
)
def test_cohen_matches_sklearn(rows, weights):
    expected = sklearn_metrics.cohen_kappa_score(rows[0], rows[1], weights=weights)
    assert cohen_kappa(rows, weights) == pytest.approx(expected, abs=1e-9)


@FEW
@given(reliability(coders=st.just(2), missing=False))
def test_two_coder_kappas_match_nltk(rows):
    task = annotation_task(rows)
    assert cohen_kappa(rows) == pytest.approx(task.kappa(), abs=1e-9)
    assert scott_pi(rows) == pytest.approx(task.pi(), abs=1e-9)
    assert brennan_prediger(rows) == pytest.approx(task.S(), abs=1e-9)
    assert percent_agreement(rows) == pytest.approx(task.avg_Ao(), abs=1e-9)


@FEW
@given(reliability(missing=False))
def test_fleiss_matches_statsmodels_and_nltk_multi_pi(rows):
    table, _ = inter_rater.aggregate_raters(np.array(rows).T)
    assert fleiss_kappa(rows) == pytest.approx(inter_rater.fleiss_kappa(table), abs=1e-9)
    assert fleiss_kappa(rows) == pytest.approx(annotation_task(rows).pi(), abs=1e-9)
    assert percent_agreement(rows) == pytest.approx(annotation_task(rows).avg_Ao(), abs=1e-9)


@FEW
@given(reliability(missing=False))
def test_randolph_is_brennan_prediger_with_declared_categories(rows):
    table, _ = inter_rater.aggregate_raters(np.array(rows).T, n_cat=4)
    expected = inter_rater.fleiss_kappa(table, method="randolph")
    assert brennan_prediger(rows, n_categories=4) == pytest.approx(expected, abs=1e-9)


@FEW
@given(reliability(), st.permutations(range(4)))
def test_alpha_ignores_coder_order_and_nominal_labels(rows, relabel):
    shuffled = [[None if v is None else "abcd"[relabel[v]] for v in row] for row in reversed(rows)]
    assert krippendorff_alpha(shuffled) == pytest.approx(krippendorff_alpha(rows), abs=1e-12)


@FEW
@given(reliability(values=(0, 1, 2, 5)), st.floats(0.5, 10), st.floats(-100, 100))
def test_interval_alpha_ignores_affine_rescaling(rows, scale, shift):
    moved = [[None if v is None else v * scale + shift for v in row] for row in rows]
    assert krippendorff_alpha(moved, "interval") == pytest.approx(
        krippendorff_alpha(rows, "interval"), abs=1e-9
    )


@FEW
@given(reliability())
def test_coefficients_never_exceed_one(rows):
    assert krippendorff_alpha(rows) <= 1 + 1e-12
    assert 0 <= percent_agreement(rows) <= 1
