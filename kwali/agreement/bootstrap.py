"""Bootstrap confidence intervals for agreement coefficients: seeded, vectorised numpy.

Two procedures (formulas and sources in docs/agreement_statistics.md):

- ``alpha_interval``: Krippendorff's alpha by the algorithm of Hayes & Krippendorff (2007),
  as Krippendorff describes it ("Algorithm for bootstrapping a distribution of alpha"):
  each resample draws as many pairs of values as the data hold from the observed
  coincidences, holds the expected disagreement of the data fixed, and gives
  alpha* = 1 - D_o*/D_e. It also reports q, the share of resamples below a minimum
  alpha (the probability of failing to reach it).
- ``kappa_interval`` and ``gwet_interval``: the percentile bootstrap over units (Efron &
  Tibshirani 1993): resample the units with replacement, recompute, take percentiles.

Both draw counts, not individual values: n draws with replacement from K kinds of item
are one multinomial draw of K counts, so a resample costs O(K), not O(n). A resample of
units is the multinomial over the distinct unit patterns, and the statistics are sums over
units, so every resample is one row of a matrix product.

The default seed is fixed so that a report shows the same interval every time it is
made; pass ``seed=None`` for fresh randomness, or an ``numpy.random.Generator``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from kwali.agreement.alpha import (
    Level,
    _Distance,
    krippendorff_alpha_result,
    pairable,
    value_counts,
)
from kwali.agreement.data import (
    MISSING,
    AgreementError,
    Encoded,
    encode,
    one_blas_thread,
    two_coder_codes,
    unit_counts,
)
from kwali.agreement.gwet import GwetWeights, gwet_ac_result, gwet_from_totals, gwet_setup
from kwali.agreement.kappa import Weights, _weight_matrix, cohen_kappa_result
from kwali.i18n import _

RESAMPLES = 2000
DEFAULT_SEED = 2007  # fixed, so a report is reproducible; the year of Hayes & Krippendorff
MINIMUMS: tuple[float, ...] = (0.667, 0.8)  # Krippendorff's (2004) thresholds for alpha

Seed = int | np.random.Generator | None
AlphaMethod = Literal["hayes_krippendorff", "units"]
ALPHA_METHODS: tuple[str, ...] = ("hayes_krippendorff", "units")


@dataclass(frozen=True)
class Interval:
    """A coefficient with its bootstrap confidence interval.

    ``low`` and ``high`` are the (1 - confidence)/2 and (1 + confidence)/2 percentiles of
    the resampled values. ``below`` pairs each minimum with the share of resamples under
    it: Krippendorff's q, the probability that the coefficient fails to reach it.
    ``undefined`` counts resamples where the coefficient was 0/0 (every unit in one
    category); they are left out of the percentiles. ``draws`` is the size of one
    resample: pairs of values for alpha, units for the unit bootstrap.
    """

    statistic: str
    value: float
    low: float
    high: float
    confidence: float
    resamples: int
    method: str
    draws: int
    undefined: int = 0
    below: tuple[tuple[float, float], ...] = ()

    def probability_below(self, minimum: float) -> float:
        """q for one of the minimums the interval was made with."""
        for level, q in self.below:
            if level == minimum:
                return q
        raise KeyError(minimum)


def _check(confidence: float, resamples: int, minimums: Sequence[float]) -> None:
    if not isinstance(confidence, numbers.Real) or not 0 < confidence < 1:
        raise AgreementError(
            _("het betrouwbaarheidsniveau moet tussen 0 en 1 liggen; kreeg {value}").format(
                value=repr(confidence)
            )
        )
    if not isinstance(resamples, numbers.Integral) or isinstance(resamples, bool) or resamples < 1:
        raise AgreementError(
            _(
                "het aantal herhalingen van de bootstrap moet een geheel getal van ten minste 1 "
                "zijn; kreeg {value}"
            ).format(value=repr(resamples))
        )
    for minimum in minimums:
        if not isinstance(minimum, numbers.Real) or not -1 <= minimum <= 1:
            raise AgreementError(
                _("een minimumwaarde moet tussen -1 en 1 liggen; kreeg {value}").format(
                    value=repr(minimum)
                )
            )


def _summary(
    statistic: str,
    value: float,
    replicates: np.ndarray,
    confidence: float,
    method: str,
    draws: int,
    minimums: Sequence[float],
) -> Interval:
    defined = replicates[~np.isnan(replicates)]
    if math.isnan(value) or defined.size == 0:
        low = high = math.nan
        below = tuple((float(m), math.nan) for m in minimums)
    else:
        tail = (1.0 - confidence) / 2
        ordered = np.sort(defined)
        # numpy's default (linear) percentiles; np.quantile itself costs ~3 ms a call
        steps = np.array([tail, 1.0 - tail]) * (ordered.size - 1)
        low, high = (float(v) for v in np.interp(steps, np.arange(ordered.size), ordered))
        below = tuple((float(m), float(np.mean(defined < m))) for m in minimums)
    return Interval(
        statistic,
        value,
        low,
        high,
        float(confidence),
        int(replicates.size),
        method,
        draws,
        int(replicates.size - defined.size),
        below,
    )


# -- Krippendorff's alpha: Hayes & Krippendorff (2007) ------------------------------------------


@dataclass(frozen=True)
class _Pairs:
    """Every pair of values from different coders in a pairable unit (alpha's raw material)."""

    q: int
    counts: np.ndarray  # pairable units x categories: how many values of each
    units: np.ndarray  # per pairable unit (column): how many units it stands for
    distance: _Distance
    values: np.ndarray  # category values (interval, ratio) or empty
    unit: np.ndarray  # per pair: its unit's index among the pairable units
    cell: np.ndarray  # per pair: low * q + high, its unordered cell of the coincidence matrix
    mass: np.ndarray  # per pair: 2 / (m_u - 1), what it adds to o_ck + o_kc

    @property
    def draws(self) -> int:
        """M, the pairs the data hold (each column's pairs times the units it stands for)."""
        return int(self.units[self.unit].sum())


def _pairs(data: Any, level: str) -> _Pairs:
    encoded = encode(data, numeric=level in ("interval", "ratio"))
    codes, m_u, weights = pairable(encoded)
    q = encoded.n_categories
    values = np.asarray(encoded.categories if level in ("interval", "ratio") else [], dtype=float)
    counts = unit_counts(Encoded(codes, encoded.categories))
    distance = _Distance(level, values, value_counts(codes, weights, q))
    units, cells, masses = [], [], []
    for i in range(codes.shape[0] - 1):
        for j in range(i + 1, codes.shape[0]):
            both = np.flatnonzero((codes[i] != MISSING) & (codes[j] != MISSING))
            a, b = codes[i][both], codes[j][both]
            units.append(both)
            cells.append(np.minimum(a, b) * q + np.maximum(a, b))
            masses.append(2.0 / (m_u[both] - 1))
    return _Pairs(
        q,
        counts,
        weights,
        distance,
        values,
        np.concatenate(units),
        np.concatenate(cells),
        np.concatenate(masses),
    )


def _hayes_krippendorff(
    pairs: _Pairs, expected: float, resamples: int, seed: Seed
) -> tuple[np.ndarray, int]:
    """alpha* of each resample, and M, the number of pairs drawn per resample."""
    cells, inverse = np.unique(pairs.cell, return_inverse=True)
    # sums to n over the cells
    mass = np.bincount(inverse.ravel(), weights=pairs.mass * pairs.units[pairs.unit])
    c, k = np.divmod(cells, pairs.q)
    delta, diagonal = pairs.distance(c, k), c == k
    draws = pairs.draws
    counts = np.random.default_rng(seed).multinomial(draws, mass / mass.sum(), size=resamples)
    alphas = 1.0 - (counts @ delta) / (draws * expected)
    # All M pairs in one diagonal cell: one value only, alpha = 0 by definition.
    alphas[(counts.max(axis=1) == draws) & diagonal[counts.argmax(axis=1)]] = 0.0
    return np.maximum(alphas, -1.0), draws


_MAX_CELLS = 5_000_000  # numbers held at once by the unit bootstrap of alpha (40 MB)


def _ordinal_delta(n_c: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Ordinal delta^2 of cells (low <= high) under each resample's marginals n_c (rows)."""
    cumulative = np.cumsum(n_c, axis=1)
    between = cumulative[:, high] - cumulative[:, low] + n_c[:, low]
    return (between - (n_c[:, low] + n_c[:, high]) / 2) ** 2


def _alpha_over_units(
    pairs: _Pairs, level: str, resamples: int, seed: Seed
) -> tuple[np.ndarray, int]:
    """alpha of each resample of the pairable units, with D_o and D_e recomputed.

    Per unit it keeps what alpha sums over units: the value counts n_uc and, where delta^2
    is fixed, the unit's sum of mass * delta^2; for ordinal data, whose delta^2 follows the
    resample's n_c, the unit's masses per cell.
    """
    n_units, q = pairs.counts.shape
    if level == "ordinal":
        cells, cell_of = np.unique(pairs.cell, return_inverse=True)
        width = cells.size + q
    else:
        width = 1 + q
    if n_units * width > _MAX_CELLS or (level in ("ordinal", "ratio") and q * q > _MAX_CELLS):
        raise AgreementError(
            _(
                "te veel verschillende waarden voor de bootstrap over eenheden; gebruik de "
                "methode van Hayes & Krippendorff"
            )
        )
    observed = np.zeros((n_units, width - q))
    if level == "ordinal":
        np.add.at(observed, (pairs.unit, cell_of.ravel()), pairs.mass)
    else:
        c, k = np.divmod(pairs.cell, q)
        weighted = pairs.mass * pairs.distance(c, k)
        observed[:, 0] = np.bincount(pairs.unit, weights=weighted, minlength=n_units)
    parts = np.hstack([observed, pairs.counts])
    totals = _resampled_totals(parts, resamples, seed, pairs.units)
    sums, n_c = totals[:, :-q], totals[:, -q:]
    n = n_c.sum(axis=1)
    if level == "nominal":
        expected = n * n - (n_c**2).sum(axis=1)
    elif level == "interval":
        first, second = n_c @ pairs.values, n_c @ pairs.values**2
        expected = 2 * (n * second - first**2)
    elif level == "ratio":
        grid = np.arange(q)
        expected = ((n_c @ pairs.distance(grid[:, None], grid[None, :])) * n_c).sum(axis=1)
    else:
        lo, hi = np.divmod(cells, q)
        sums = (sums * _ordinal_delta(n_c, lo, hi)).sum(axis=1, keepdims=True)
        grid = np.arange(q)
        low, high = np.minimum.outer(grid, grid).ravel(), np.maximum.outer(grid, grid).ravel()
        step = max(1, _MAX_CELLS // (q * q))  # resamples x q x q at a time
        expected = np.concatenate(
            [
                (
                    _ordinal_delta(chunk, low, high).reshape(-1, q, q)
                    * chunk[:, :, None]
                    * chunk[:, None, :]
                ).sum(axis=(1, 2))
                for chunk in (n_c[i : i + step] for i in range(0, n_c.shape[0], step))
            ]
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        # D_o / D_e = (sums / n) / (expected / (n (n - 1)))
        alphas = np.where(expected > 0, 1.0 - sums[:, 0] * (n - 1) / expected, np.nan)
    return alphas, int(pairs.units.sum())


@one_blas_thread()
def alpha_interval(
    data: Any,
    level: Level = "nominal",
    *,
    method: AlphaMethod = "hayes_krippendorff",
    confidence: float = 0.95,
    resamples: int = RESAMPLES,
    minimums: Sequence[float] = MINIMUMS,
    seed: Seed = DEFAULT_SEED,
) -> Interval:
    """Krippendorff's alpha with a bootstrap interval and q(alpha < minimum).

    ``method="hayes_krippendorff"`` (the default) is the algorithm of Hayes & Krippendorff
    (2007): each resample draws M pairs of values (M = the pairs in the data) with
    probabilities o_ck / n from the observed coincidence matrix, and alpha* = 1 - D_o*/D_e
    with the data's D_e. As Krippendorff prescribes, a resample whose pairs all fall in one
    diagonal cell has no variation and counts as alpha* = 0, and alpha* below -1 as -1.

    ``method="units"`` resamples the pairable units instead and recomputes alpha, D_e
    included (percentile bootstrap). With more than two coders the pairs of one unit are
    not independent, and this interval is the wider, honest one (docs/agreement_statistics.md);
    resamples with a single value are undefined and counted in ``undefined``.

    ``minimums`` gives q(alpha < minimum) for each. NaN bounds when alpha is NaN.

    >>> ci = alpha_interval([[1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    ...                      [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]], resamples=500)
    >>> round(ci.value, 3), ci.low <= ci.value <= ci.high, ci.draws
    (0.095, True, 10)
    """
    _check(confidence, resamples, minimums)
    if method not in ALPHA_METHODS:
        raise AgreementError(
            _("onbekende bootstrapmethode {method}; kies uit {choices}").format(
                method=repr(method), choices=", ".join(ALPHA_METHODS)
            )
        )
    result = krippendorff_alpha_result(data, level)
    if math.isnan(result.value):
        empty = np.array([])
        return _summary(result.statistic, result.value, empty, confidence, method, 0, minimums)
    pairs = _pairs(data, level)
    if method == "units":
        alphas, draws = _alpha_over_units(pairs, level, resamples, seed)
    else:
        alphas, draws = _hayes_krippendorff(pairs, result.expected_disagreement, resamples, seed)
    return _summary(result.statistic, result.value, alphas, confidence, method, draws, minimums)


# -- kappa and AC1/AC2: the percentile bootstrap over units --------------------------------------


def _resampled_totals(
    parts: np.ndarray, resamples: int, seed: Seed, units: np.ndarray | None = None
) -> np.ndarray:
    """Sums of per-unit parts over ``resamples`` resamples of the units (with replacement);
    ``units``: how many units each row stands for (default one)."""
    # the distinct rows and how often each occurs (np.unique(axis=0) is ~15x slower)
    order = np.lexsort(parts.T[::-1])
    ordered = parts[order]
    starts = np.flatnonzero(np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)])
    weights = np.ones(parts.shape[0], dtype=np.int64) if units is None else units[order]
    patterns, counts = ordered[starts], np.add.reduceat(weights, starts)
    n = int(counts.sum())
    rng = np.random.default_rng(seed)
    step = max(1, _MAX_CELLS // patterns.shape[0])  # resamples x patterns weights at a time
    return np.vstack(
        [
            rng.multinomial(n, counts / n, size=min(step, resamples - start)) @ patterns
            for start in range(0, resamples, step)
        ]
    )


@one_blas_thread()
def kappa_interval(
    data: Any,
    weights: Weights = None,
    *,
    confidence: float = 0.95,
    resamples: int = RESAMPLES,
    minimums: Sequence[float] = (),
    seed: Seed = DEFAULT_SEED,
) -> Interval:
    """Cohen's kappa (two coders) with a percentile bootstrap interval over units.

    The units both coders coded are resampled; the weights stay those of the categories
    in the data. Resamples where kappa is 0/0 (one category only) are counted in
    ``undefined`` and left out.

    >>> ci = kappa_interval([[1, 1, 0, 0, 1, 0, 1, 1], [1, 0, 0, 0, 1, 0, 1, 1]], seed=1)
    >>> round(ci.value, 2), ci.low <= ci.value <= ci.high
    (0.75, True)
    """
    _check(confidence, resamples, minimums)
    result = cohen_kappa_result(data, weights)
    _encoded, codes, units = two_coder_codes(data, "Cohen's kappa")  # validated above
    used, inverse = np.unique(codes, return_inverse=True)
    inverse = inverse.reshape(codes.shape)
    q, n = len(used), int(units.sum())
    cells = np.zeros((codes.shape[1], q * q))
    cells[np.arange(codes.shape[1]), inverse[0] * q + inverse[1]] = 1.0
    tables = _resampled_totals(cells, resamples, seed, units).reshape(-1, q, q) / n
    w = _weight_matrix(q, weights)
    observed = (w * tables).sum(axis=(1, 2))
    chance = tables.sum(axis=2)[:, :, None] * tables.sum(axis=1)[:, None, :]
    expected = (w * chance).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        kappas = np.where(expected > 0, 1.0 - observed / expected, np.nan)
    return _summary(result.statistic, result.value, kappas, confidence, "units", n, minimums)


@one_blas_thread()
def gwet_interval(
    data: Any,
    weights: GwetWeights = "identity",
    categories: Sequence[Any] | None = None,
    *,
    confidence: float = 0.95,
    resamples: int = RESAMPLES,
    minimums: Sequence[float] = (),
    seed: Seed = DEFAULT_SEED,
) -> Interval:
    """Gwet's AC1 (or AC2 with ``weights``) with a percentile bootstrap interval over units.

    Every unit with at least one rating is resampled, since all of them feed Gwet's
    category shares.

    >>> ci = gwet_interval([[1, 1, 0, 0, 1, 0, 1, 1], [1, 0, 0, 0, 1, 0, 1, 1]], seed=1)
    >>> round(ci.value, 2), ci.low <= ci.value <= ci.high
    (0.75, True)
    """
    _check(confidence, resamples, minimums)
    result = gwet_ac_result(data, weights, categories)
    parts, units, matrix, _encoded = gwet_setup(data, weights, categories)
    p_a, p_e = gwet_from_totals(_resampled_totals(parts, resamples, seed, units), matrix)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(1.0 - p_e > 0, 1.0 - (1.0 - p_a) / (1.0 - p_e), np.nan)
    method, n = "units", int(units.sum())
    return _summary(result.statistic, result.value, values, confidence, method, n, minimums)
