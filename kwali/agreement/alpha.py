"""Krippendorff's alpha in coincidence form, for any number of coders and missing values.

alpha = 1 - D_o / D_e (docs/agreement.md). Rather than build the values x values
coincidence matrix from units x categories counts, D_o is summed straight over coder
pairs: each pair of values in a unit with m_u values adds delta^2 / (m_u - 1), which is
the same total the coincidence matrix gives and keeps memory at O(units) even for
interval data with thousands of distinct values. The marginals n_c are simply the
counts of values in pairable units.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from kwali.agreement.data import (
    MISSING,
    Agreement,
    AgreementError,
    Encoded,
    chance_corrected,
    encode,
    one_blas_thread,
    weighted_bincount,
)
from kwali.i18n import _

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")
_CHUNK = 1024  # rows of the categories x categories distance matrix built at a time


class _Distance:
    """delta^2 between category indices at one level of measurement."""

    def __init__(self, level: str, values: np.ndarray, n_c: np.ndarray) -> None:
        self.level = level
        self.values = values
        self.n_c = n_c.astype(float)
        self.cumulative = np.cumsum(self.n_c)

    def __call__(self, c: np.ndarray, k: np.ndarray) -> np.ndarray:
        if self.level == "nominal":
            return (c != k).astype(float)
        if self.level == "ordinal":
            lo, hi = np.minimum(c, k), np.maximum(c, k)
            # sum of n_g for g = lo..hi, minus half of the two end categories
            between = self.cumulative[hi] - self.cumulative[lo] + self.n_c[lo]
            return (between - (self.n_c[lo] + self.n_c[hi]) / 2) ** 2
        x, y = self.values[c], self.values[k]
        if self.level == "interval":
            return (x - y) ** 2
        total = x + y
        ratio = np.divide(x - y, total, out=np.zeros_like(total), where=total != 0)
        return ratio**2

    def expected_sum(self) -> float:
        """Sum over c, k of n_c n_k delta^2_ck."""
        n_c = self.n_c
        n = n_c.sum()
        if self.level == "nominal":
            return float(n * n - (n_c**2).sum())
        if self.level == "interval":
            mean = (n_c * self.values).sum() / n
            return float(2 * n * (n_c * (self.values - mean) ** 2).sum())
        q = len(n_c)
        columns = np.arange(q)
        total = 0.0
        for start in range(0, q, _CHUNK):
            rows = np.arange(start, min(start + _CHUNK, q))
            block = self(rows[:, None], columns[None, :])
            total += float(n_c[rows] @ block @ n_c)
        return total


def pairable(encoded: Encoded) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """alpha's raw material: the codes of the units with two or more values (pairable), each
    unit's number of values m_u, and how many units each column stands for."""
    codes = encoded.codes
    m_u = (codes != MISSING).sum(axis=0)
    keep = m_u >= 2
    return codes[:, keep], m_u[keep], encoded.unit_weights[keep]


def value_counts(codes: np.ndarray, weights: np.ndarray, q: int) -> np.ndarray:
    """n_c: how many values of each category the units hold."""
    valid = codes != MISSING
    spread = np.broadcast_to(weights, codes.shape)[valid]
    return weighted_bincount(codes[valid], spread, q)


@one_blas_thread()
def krippendorff_alpha_result(data: Any, level: Level = "nominal") -> Agreement:
    if level not in LEVELS:
        raise AgreementError(
            _("onbekend meetniveau {level}; kies uit {levels}").format(
                level=repr(level), levels=", ".join(LEVELS)
            )
        )
    encoded = encode(data, numeric=level in ("interval", "ratio"))
    if level == "ordinal" and not encoded.ordered:
        raise AgreementError(
            _("ordinale alpha heeft waarden nodig die te ordenen zijn, zoals getallen")
        )
    codes, m_u, units = pairable(encoded)
    if not codes.shape[1]:
        raise AgreementError(
            _("Krippendorffs alpha: geen eenheid is door ten minste twee coders gecodeerd")
        )
    values = np.asarray(encoded.categories if level in ("interval", "ratio") else [], dtype=float)
    if level == "ratio" and (values < 0).any():
        raise AgreementError(_("ratio-alpha heeft waarden van nul of meer nodig"))
    q = encoded.n_categories
    n_c = value_counts(codes, units, q)
    n = int(n_c.sum())
    distance = _Distance(level, values, n_c)
    weight = units / (m_u - 1)
    pair_sum = 0.0
    for i in range(codes.shape[0] - 1):
        for j in range(i + 1, codes.shape[0]):
            both = (codes[i] != MISSING) & (codes[j] != MISSING)
            pair_sum += float(weight[both] @ distance(codes[i][both], codes[j][both]))
    observed = 2 * pair_sum / n  # ordered pairs: each unordered pair counts twice
    expected = distance.expected_sum() / (n * (n - 1)) if (n_c > 0).sum() > 1 else 0.0
    return Agreement(
        f"krippendorff_alpha_{level}",
        chance_corrected(observed, expected),
        observed,
        expected,
        int(units.sum()),
        encoded.n_coders,
        n,
    )


def krippendorff_alpha(data: Any, level: Level = "nominal") -> float:
    """Krippendorff's alpha at the nominal, ordinal, interval or ratio level.

    Any number of coders; ``None`` (or NaN) marks a unit a coder did not code, and
    units with fewer than two values are left out. NaN when all pairable values are
    the same (alpha is then 0/0).

    >>> round(krippendorff_alpha([[1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    ...                           [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]]), 3)
    0.095
    """
    return krippendorff_alpha_result(data, level).value
