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
from typing import Any

import numpy as np

from kwali.agreement.alpha import Level, _Distance, krippendorff_alpha_result
from kwali.agreement.data import MISSING, AgreementError, encode, two_coder_codes
from kwali.agreement.gwet import GwetWeights, gwet_ac_result, gwet_from_totals, gwet_setup
from kwali.agreement.kappa import Weights, _weight_matrix, cohen_kappa_result
from kwali.i18n import _

RESAMPLES = 2000
DEFAULT_SEED = 2007  # fixed, so a report is reproducible; the year of Hayes & Krippendorff
MINIMUMS: tuple[float, ...] = (0.667, 0.8)  # Krippendorff's (2004) thresholds for alpha

Seed = int | np.random.Generator | None


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


def _coincidence_cells(data: Any, level: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The non-empty cells c <= k of the coincidence matrix: mass, delta^2, diagonal; and M.

    A cell's mass is o_ck + o_kc (o_cc on the diagonal), so the masses sum to n; M is the
    number of pairs of values the data hold, sum over units of m_u (m_u - 1) / 2.
    """
    encoded = encode(data, numeric=level in ("interval", "ratio"))
    codes = encoded.codes
    m_u = (codes != MISSING).sum(axis=0)
    pairable = m_u >= 2
    codes, m_u = codes[:, pairable], m_u[pairable]
    q = encoded.n_categories
    values = np.asarray(encoded.categories if level in ("interval", "ratio") else [], dtype=float)
    distance = _Distance(level, values, np.bincount(codes[codes != MISSING], minlength=q))
    keys, masses = [], []
    for i in range(codes.shape[0] - 1):
        for j in range(i + 1, codes.shape[0]):
            both = (codes[i] != MISSING) & (codes[j] != MISSING)
            low, high = (
                np.minimum(codes[i][both], codes[j][both]),
                np.maximum(codes[i][both], codes[j][both]),
            )
            keys.append(low * q + high)
            masses.append(2.0 / (m_u[both] - 1))  # the pair adds 1/(m_u-1) to o_ck and o_kc
    cells, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    mass = np.bincount(inverse.ravel(), weights=np.concatenate(masses))
    c, k = np.divmod(cells, q)
    draws = int((m_u * (m_u - 1) // 2).sum())
    return mass, distance(c, k), c == k, draws


def alpha_interval(
    data: Any,
    level: Level = "nominal",
    *,
    confidence: float = 0.95,
    resamples: int = RESAMPLES,
    minimums: Sequence[float] = MINIMUMS,
    seed: Seed = DEFAULT_SEED,
) -> Interval:
    """Krippendorff's alpha with its Hayes & Krippendorff (2007) bootstrap interval and q.

    Each resample draws M pairs of values (M = the pairs in the data) with probabilities
    o_ck / n from the observed coincidence matrix, and alpha* = 1 - D_o*/D_e with the
    data's D_e. As Krippendorff prescribes, a resample whose pairs all fall in one
    diagonal cell has no variation and counts as alpha* = 0, and alpha* below -1 counts
    as -1. ``minimums`` gives q(alpha < minimum) for each. NaN bounds when alpha is.

    >>> ci = alpha_interval([[1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    ...                      [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]], resamples=500)
    >>> round(ci.value, 3), ci.low <= ci.value <= ci.high, ci.draws
    (0.095, True, 10)
    """
    _check(confidence, resamples, minimums)
    result = krippendorff_alpha_result(data, level)
    method = "hayes_krippendorff"
    if math.isnan(result.value):
        return _summary(
            result.statistic, result.value, np.array([]), confidence, method, 0, minimums
        )
    mass, delta, diagonal, draws = _coincidence_cells(data, level)
    counts = np.random.default_rng(seed).multinomial(draws, mass / mass.sum(), size=resamples)
    alphas = 1.0 - (counts @ delta) / (draws * result.expected_disagreement)
    # All M pairs in one diagonal cell: one value only, alpha = 0 by definition.
    alphas[(counts.max(axis=1) == draws) & diagonal[counts.argmax(axis=1)]] = 0.0
    alphas = np.maximum(alphas, -1.0)
    return _summary(result.statistic, result.value, alphas, confidence, method, draws, minimums)


# -- kappa and AC1/AC2: the percentile bootstrap over units --------------------------------------


def _resampled_totals(parts: np.ndarray, resamples: int, seed: Seed) -> np.ndarray:
    """Sums of per-unit parts over ``resamples`` resamples of the units (with replacement)."""
    # the distinct rows and how often each occurs (np.unique(axis=0) is ~15x slower)
    ordered = parts[np.lexsort(parts.T[::-1])]
    starts = np.flatnonzero(np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)])
    n = parts.shape[0]
    patterns, counts = ordered[starts], np.diff(np.r_[starts, n])
    weights = np.random.default_rng(seed).multinomial(n, counts / n, size=resamples)
    return weights @ patterns


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
    _encoded, codes = two_coder_codes(data, "Cohen's kappa")  # validated above
    used, inverse = np.unique(codes, return_inverse=True)
    inverse = inverse.reshape(codes.shape)
    q, n = len(used), codes.shape[1]
    cells = np.zeros((n, q * q))
    cells[np.arange(n), inverse[0] * q + inverse[1]] = 1.0
    tables = _resampled_totals(cells, resamples, seed).reshape(-1, q, q) / n
    w = _weight_matrix(q, weights)
    observed = (w * tables).sum(axis=(1, 2))
    chance = tables.sum(axis=2)[:, :, None] * tables.sum(axis=1)[:, None, :]
    expected = (w * chance).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        kappas = np.where(expected > 0, 1.0 - observed / expected, np.nan)
    return _summary(result.statistic, result.value, kappas, confidence, "units", n, minimums)


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
    parts, matrix, _encoded = gwet_setup(data, weights, categories)
    p_a, p_e = gwet_from_totals(_resampled_totals(parts, resamples, seed), matrix)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(1.0 - p_e > 0, 1.0 - (1.0 - p_a) / (1.0 - p_e), np.nan)
    method, n = "units", parts.shape[0]
    return _summary(result.statistic, result.value, values, confidence, method, n, minimums)
