"""Gwet's AC1 and AC2, and Holsti's coefficient, on kwali's reliability data (coder rows).

Formulas and sources are in docs/agreement_statistics.md. AC1/AC2 follow Gwet (2014),
*Handbook of Inter-Rater Reliability*, 4th ed., ch. 2-3, for any number of coders and
missing ratings, as the irrCAC package computes them:

- p_a: mean over units rated by two or more coders of
  sum_k r_uk (r*_uk - 1) / (r_u (r_u - 1)), with r*_uk = sum_l w_kl r_ul;
- pi_k: mean over units rated by at least one coder of r_uk / r_u (so units that only one
  coder rated count for the category shares, as in Gwet);
- p_e = T_w / (q (q - 1)) * sum_k pi_k (1 - pi_k), T_w the sum of the agreement weights;
- AC = (p_a - p_e) / (1 - p_e).

With identity weights this is AC1, with any other AC2. The statistic is built from totals
over units, so the bootstrap (``kwali.agreement.bootstrap``) resamples units by reweighting
the same per-unit parts instead of recomputing from scratch.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from kwali.agreement.data import (
    MISSING,
    Agreement,
    AgreementError,
    Encoded,
    chance_corrected,
    encode,
    unit_counts,
)
from kwali.i18n import _

GwetWeights = Literal[
    "identity", "linear", "quadratic", "ordinal", "radical", "ratio", "circular", "bipolar"
]
GWET_WEIGHTS: tuple[str, ...] = (
    "identity",
    "linear",
    "quadratic",
    "ordinal",
    "radical",
    "ratio",
    "circular",
    "bipolar",
)


def _category_values(categories: tuple[Any, ...]) -> np.ndarray:
    """The numbers the weights are computed on: the values if numeric, else ranks 1..q."""
    if all(isinstance(c, numbers.Real) and not isinstance(c, bool) for c in categories):
        return np.asarray(categories, dtype=float)
    return np.arange(1, len(categories) + 1, dtype=float)


def _scaled_down(distance: np.ndarray) -> np.ndarray:
    """Agreement weights 1 - d / max(d): 1 on the diagonal, 0 for the farthest pair."""
    top = distance.max()
    return 1.0 - distance / top if top > 0 else np.ones_like(distance)


def _check_weights(weights: str) -> None:
    if weights not in GWET_WEIGHTS:
        raise AgreementError(
            _("onbekende gewichten {weights}; kies uit {choices}").format(
                weights=repr(weights), choices=", ".join(GWET_WEIGHTS)
            )
        )


def gwet_weight_matrix(categories: tuple[Any, ...], weights: str) -> np.ndarray:
    """q x q agreement weights (1 = full agreement), as Gwet (2014, ch. 3) and irrCAC define them.

    Numeric categories are weighted by their values, others by their ranks 1..q (in the
    sorted order ``encode`` gives them).
    """
    _check_weights(weights)
    q = len(categories)
    if weights == "identity" or q < 2:
        return np.eye(q)
    x = _category_values(categories)
    diff = x[:, None] - x[None, :]
    span = x.max() - x.min()
    if weights == "linear":
        return 1.0 - np.abs(diff) / span
    if weights == "quadratic":
        return 1.0 - (diff / span) ** 2
    if weights == "radical":
        return 1.0 - np.sqrt(np.abs(diff)) / math.sqrt(span)
    if weights == "ordinal":
        steps = np.abs(np.arange(q)[:, None] - np.arange(q)[None, :]) + 1
        return _scaled_down(steps * (steps - 1) / 2.0)
    if weights == "ratio":
        if (x <= 0).any():
            raise AgreementError(_("ratio-gewichten hebben waarden groter dan nul nodig"))
        total = x[:, None] + x[None, :]
        return 1.0 - (diff / total) ** 2 / ((x.max() - x.min()) / (x.max() + x.min())) ** 2
    if weights == "circular":
        return _scaled_down(np.sin(np.pi * diff / (span + 1)) ** 2)
    # bipolar: zero on the diagonal, where the formula is 0/0 at the scale's ends
    total = x[:, None] + x[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        distance = diff**2 / ((total - 2 * x.min()) * (2 * x.max() - total))
    np.fill_diagonal(distance, 0.0)
    return _scaled_down(distance)


def _with_categories(encoded: Encoded, categories: Sequence[Any] | None) -> Encoded:
    """Re-index the codes on the full category set the caller names (unused ones included)."""
    if categories is None:
        return encoded
    full = list(dict.fromkeys(categories))
    try:
        full.sort()
    except TypeError:
        pass  # labels that do not compare keep the order given
    index = {value: i for i, value in enumerate(full)}
    unknown = [c for c in encoded.categories if c not in index]
    if unknown:
        raise AgreementError(
            _("de waarde {value} staat niet in de opgegeven categorieën").format(
                value=repr(unknown[0])
            )
        )
    mapping = np.array([index[c] for c in encoded.categories] + [MISSING], dtype=np.int64)
    return Encoded(mapping[encoded.codes], tuple(full), encoded.ordered, encoded.weights)


def gwet_unit_parts(counts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per unit, the parts AC1/AC2 sum over units: units x (q + 3).

    Columns: the unit's weighted pairwise agreement (0 unless two or more ratings), 1 if it
    has two or more ratings, its category shares r_uk / r_u (q columns), 1 if it has any.
    """
    ratings = counts.sum(axis=1).astype(float)
    pairable = ratings >= 2
    weighted = counts @ weights.T
    agreeing = (counts * (weighted - 1)).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_a = np.where(pairable, agreeing / (ratings * (ratings - 1)), 0.0)
        shares = np.where(ratings[:, None] > 0, counts / ratings[:, None], 0.0)
    return np.column_stack([p_a, pairable, shares, ratings > 0]).astype(float)


def gwet_from_totals(totals: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Percent agreement p_a and chance agreement p_e from summed unit parts (any leading shape)."""
    q = weights.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        p_a = totals[..., 0] / totals[..., 1]
        pi = totals[..., 2 : 2 + q] / totals[..., -1:]
    if q < 2:
        return p_a, np.full_like(p_a, np.nan)
    p_e = weights.sum() / (q * (q - 1)) * (pi * (1.0 - pi)).sum(axis=-1)
    return p_a, p_e


def gwet_setup(
    data: Any, weights: str, categories: Sequence[Any] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Encoded]:
    """Unit parts over units with a rating, the units each row stands for, the weight
    matrix, and the encoded data."""
    _check_weights(weights)  # before any work on the data
    encoded = _with_categories(encode(data), categories)
    counts = unit_counts(encoded)
    rated = counts.sum(axis=1) > 0
    counts, units = counts[rated], encoded.unit_weights[rated]
    if not (counts.sum(axis=1) >= 2).any():
        raise AgreementError(_("Gwets AC: geen eenheid is door ten minste twee coders gecodeerd"))
    matrix = gwet_weight_matrix(encoded.categories, weights)
    return gwet_unit_parts(counts, matrix), units, matrix, encoded


def weighted_sum(parts: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Sum of per-unit rows, each counted for the units it stands for (same order of adding
    as ``parts.sum(axis=0)``, so one unit each gives the same floats)."""
    return (parts * units[:, None]).sum(axis=0)


def gwet_ac_result(
    data: Any, weights: GwetWeights = "identity", categories: Sequence[Any] | None = None
) -> Agreement:
    parts, units, matrix, encoded = gwet_setup(data, weights, categories)
    p_a, p_e = (float(v) for v in gwet_from_totals(weighted_sum(parts, units), matrix))
    # 1 - p_e is the expected disagreement; with fewer than two categories it is undefined.
    value = math.nan if math.isnan(p_e) else chance_corrected(1.0 - p_a, 1.0 - p_e)
    name = "gwet_ac1" if weights == "identity" else f"gwet_ac2_{weights}"
    ratings = (encoded.codes != MISSING).sum(axis=0)
    pairable = ratings >= 2
    all_units = encoded.unit_weights
    return Agreement(
        name,
        value,
        1.0 - p_a,
        1.0 - p_e,
        int(all_units[pairable].sum()),
        encoded.n_coders,
        int(all_units[pairable] @ ratings[pairable]),
    )


def gwet_ac1(data: Any, categories: Sequence[Any] | None = None) -> float:
    """Gwet's AC1 for two or more coders, with missing ratings (``None``).

    Chance agreement comes from how far the category shares are from uniform, so AC1
    does not collapse when one category dominates (a code that is rarely applied), the
    case where kappa and alpha turn low although the coders nearly always agree.
    ``categories`` names the full category set when some were never used: q counts them.
    NaN with fewer than two categories.

    >>> round(gwet_ac1([["a", "a", "b", "a"], ["a", "a", "b", "b"]]), 4)
    0.5294
    """
    return gwet_ac_result(data, "identity", categories).value


def gwet_ac2(
    data: Any, weights: GwetWeights = "quadratic", categories: Sequence[Any] | None = None
) -> float:
    """Gwet's AC2: AC1 with agreement weights for ordered categories.

    ``weights`` is one of ``GWET_WEIGHTS`` (irrCAC's names): linear, quadratic, ordinal,
    radical, ratio, circular, bipolar, or identity (which gives AC1). Numeric categories
    are weighted by value, labels by their rank.

    >>> round(gwet_ac2([[1, 2, 3, 3], [1, 2, 3, 2]], "linear"), 4)
    0.7241
    """
    return gwet_ac_result(data, weights, categories).value


def holsti_result(data: Any, absent: Any = None) -> Agreement:
    """Holsti's coefficient with its parts; see ``holsti``."""
    encoded = encode(data)
    codes = encoded.codes
    if absent is not None and absent in encoded.categories:
        # A value that means "not coded" is no coding decision: treat it as missing.
        codes = np.where(codes == encoded.categories.index(absent), MISSING, codes)
    decided = codes != MISSING
    units = encoded.unit_weights
    shares = []
    for i in range(codes.shape[0] - 1):
        for j in range(i + 1, codes.shape[0]):
            decisions = int(units @ decided[i] + units @ decided[j])
            if decisions == 0:
                continue
            matching = int(units @ (decided[i] & (codes[i] == codes[j])))
            shares.append(2 * matching / decisions)
    if not shares:
        raise AgreementError(_("Holsti: geen coder heeft een eenheid gecodeerd"))
    value = float(np.mean(shares))
    both = decided.sum(axis=0) >= 2
    return Agreement(
        "holsti",
        value,
        1.0 - value,
        math.nan,
        int(units[both].sum()),
        encoded.n_coders,
        int(units @ decided.sum(axis=0)),
    )


def holsti(data: Any, absent: Any = None) -> float:
    """Holsti's coefficient 2M / (N1 + N2), averaged over coder pairs (Holsti 1969).

    For kwali's coder rows, a coder's decisions N are the units that coder gave a value
    (``None`` is no decision) and M the units both coders of the pair gave the same value.
    So a unit only one coder coded lowers Holsti, where percent agreement skips it; with
    complete data it equals percent agreement. ``absent`` names a value that is not a
    decision, e.g. ``0`` in present/absent rows: then N counts the units each coder coded
    with the code and M those both coded, the figure ATLAS.ti reports per code. Not
    corrected for chance.

    >>> holsti([[1, 0, 1, None], [1, 1, 1, 1]])
    0.5714285714285714
    >>> holsti([[1, 0, 1, 0], [1, 1, 0, 0]], absent=0)
    0.5
    """
    return holsti_result(data, absent).value
