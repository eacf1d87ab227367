"""Percent agreement and the kappa family: Cohen, Scott, Fleiss, Brennan-Prediger.

Formulas and sources are in docs/agreement.md. All take reliability data as coder rows
(see ``kwali.agreement.data``) and return a float; the ``*_result`` twins return an
``Agreement`` with observed and expected disagreement for reports.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np

from kwali.agreement.data import (
    Agreement,
    AgreementError,
    chance_corrected,
    contingency,
    encode,
    two_coder_codes,
    unit_counts,
)
from kwali.i18n import _

Weights = Literal["linear", "quadratic"] | None


def _pairable(data: Any, statistic: str) -> tuple[np.ndarray, np.ndarray, int]:
    """Units x categories counts over units with two or more values, the units each row
    stands for, and the coder count."""
    encoded = encode(data)
    counts = unit_counts(encoded)
    keep = counts.sum(axis=1) >= 2
    counts, units = counts[keep], encoded.unit_weights[keep]
    if counts.shape[0] == 0:
        raise AgreementError(
            _("{statistic}: geen eenheid is door ten minste twee coders gecodeerd").format(
                statistic=statistic
            )
        )
    return counts, units, encoded.n_coders


def _mean_pairwise(counts: np.ndarray, units: np.ndarray) -> float:
    """Mean over units of the share of coder pairs that agree (Fleiss' P-bar)."""
    m_u = counts.sum(axis=1)
    agreeing_pairs = (counts * (counts - 1)).sum(axis=1)
    shares = agreeing_pairs / (m_u * (m_u - 1))
    return float(np.average(shares, weights=units))


def _values(counts: np.ndarray, units: np.ndarray) -> int:
    """The values the units hold, all together."""
    return int(units @ counts.sum(axis=1))


def percent_agreement_result(data: Any) -> Agreement:
    counts, units, n_coders = _pairable(data, _("procentuele overeenstemming"))
    p_o = _mean_pairwise(counts, units)
    return Agreement(
        "percent_agreement",
        p_o,
        1.0 - p_o,
        math.nan,
        int(units.sum()),
        n_coders,
        _values(counts, units),
    )


def percent_agreement(data: Any) -> float:
    """Share of agreeing coder pairs, averaged over units with at least two values.

    With two coders this is the share of units both coded alike; with more it is the
    mean pairwise agreement. Units fewer than two coders coded are skipped.

    >>> percent_agreement([["a", "b", "a", None], ["a", "b", "b", "a"]])
    0.6666666666666666
    """
    return percent_agreement_result(data).value


def _weight_matrix(q: int, weights: Weights) -> np.ndarray:
    ranks = np.arange(q)
    if weights is None:
        return 1.0 - np.eye(q)
    if weights == "linear":
        return np.abs(ranks[:, None] - ranks[None, :]).astype(float)
    if weights == "quadratic":
        return ((ranks[:, None] - ranks[None, :]) ** 2).astype(float)
    raise AgreementError(
        _("onbekende kappa-gewichten {weights}; kies None, 'linear' of 'quadratic'").format(
            weights=repr(weights)
        )
    )


def _two_coder_table(data: Any, statistic: str) -> tuple[np.ndarray, int]:
    """Contingency table over the units both coders coded, categories those two used."""
    _encoded, codes, units = two_coder_codes(data, statistic)
    # Re-index on the categories seen in the paired units: weights follow their ranks.
    used, inverse = np.unique(codes, return_inverse=True)
    inverse = inverse.reshape(codes.shape)
    return contingency(inverse[0], inverse[1], len(used), units), int(units.sum())


def cohen_kappa_result(data: Any, weights: Weights = None) -> Agreement:
    if weights not in (None, "linear", "quadratic"):
        raise AgreementError(
            _("onbekende kappa-gewichten {weights}; kies None, 'linear' of 'quadratic'").format(
                weights=repr(weights)
            )
        )
    table, n = _two_coder_table(data, "Cohen's kappa")
    p = table / n
    w = _weight_matrix(table.shape[0], weights)
    observed = float((w * p).sum())
    expected = float((w * np.outer(p.sum(axis=1), p.sum(axis=0))).sum())
    value = chance_corrected(observed, expected)
    name = "cohen_kappa" if weights is None else f"cohen_kappa_{weights}"
    return Agreement(name, value, observed, expected, n, 2, 2 * n)


def cohen_kappa(data: Any, weights: Weights = None) -> float:
    """Cohen's kappa for exactly two coders, over the units both coded.

    ``weights`` "linear" or "quadratic" gives weighted kappa, with disagreement weights
    on the ranks of the sorted categories the two coders used (as scikit-learn does).

    >>> round(cohen_kappa([[1, 1, 0, 0], [1, 0, 0, 0]]), 4)
    0.5
    """
    return cohen_kappa_result(data, weights).value


def scott_pi_result(data: Any) -> Agreement:
    table, n = _two_coder_table(data, "Scott's pi")
    pooled = (table.sum(axis=1) + table.sum(axis=0)) / (2 * n)
    observed = 1.0 - float(np.trace(table)) / n
    expected = 1.0 - float((pooled**2).sum())
    value = chance_corrected(observed, expected)
    return Agreement("scott_pi", value, observed, expected, n, 2, 2 * n)


def scott_pi(data: Any) -> float:
    """Scott's pi for exactly two coders: chance from the coders' pooled distribution.

    >>> round(scott_pi([[1, 1, 0, 0], [1, 0, 0, 0]]), 4)
    0.4667
    """
    return scott_pi_result(data).value


def fleiss_kappa_result(data: Any) -> Agreement:
    encoded = encode(data)
    counts = unit_counts(encoded)
    ratings = counts.sum(axis=1)
    rated = ratings > 0
    counts, ratings, units = counts[rated], ratings[rated], encoded.unit_weights[rated]
    if counts.shape[0] == 0:
        raise AgreementError(_("Fleiss' kappa: geen eenheid is gecodeerd"))
    n = int(ratings[0])
    if (ratings != n).any():
        short = int(units[ratings != n].sum())
        raise AgreementError(
            _(
                "Fleiss' kappa heeft voor elke eenheid hetzelfde aantal beoordelingen nodig; "
                "{short} van de {units} eenheden wijken af van de {n} van de eerste eenheid "
                "(laat die eenheden weg, of gebruik krippendorff_alpha, dat ontbrekende waarden "
                "toestaat)"
            ).format(short=short, units=int(units.sum()), n=n)
        )
    if n < 2:
        raise AgreementError(
            _("Fleiss' kappa: geen eenheid is door ten minste twee coders gecodeerd")
        )
    p_bar = _mean_pairwise(counts, units)
    totals = units @ counts
    p_j = totals / totals.sum()
    expected = 1.0 - float((p_j**2).sum())
    observed = 1.0 - p_bar
    value = chance_corrected(observed, expected)
    return Agreement(
        "fleiss_kappa",
        value,
        observed,
        expected,
        int(units.sum()),
        encoded.n_coders,
        _values(counts, units),
    )


def fleiss_kappa(data: Any) -> float:
    """Fleiss' kappa: every coded unit must carry the same number of ratings.

    Units nobody coded are ignored. Raters need not be the same people for every unit,
    but the count must be equal; otherwise an ``AgreementError`` says to drop the short
    units or to use ``krippendorff_alpha``.
    """
    return fleiss_kappa_result(data).value


def brennan_prediger_result(data: Any, n_categories: int | None = None) -> Agreement:
    counts, units, n_coders = _pairable(data, "Brennan-Prediger kappa")
    observed_categories = int((counts.sum(axis=0) > 0).sum())
    q = observed_categories if n_categories is None else n_categories
    if n_categories is not None and (
        not isinstance(n_categories, (int, np.integer)) or n_categories < observed_categories
    ):
        raise AgreementError(
            _(
                "n_categories moet een geheel getal zijn van ten minste {used}, het aantal "
                "categorieën dat de coders gebruikten; kreeg {got}"
            ).format(used=observed_categories, got=repr(n_categories))
        )
    p_o = _mean_pairwise(counts, units)
    expected = 1.0 - 1.0 / q
    value = chance_corrected(1.0 - p_o, expected)
    return Agreement(
        "brennan_prediger",
        value,
        1.0 - p_o,
        expected,
        int(units.sum()),
        n_coders,
        _values(counts, units),
    )


def brennan_prediger(data: Any, n_categories: int | None = None) -> float:
    """Brennan & Prediger's free-marginal kappa: chance agreement is 1/q.

    q is ``n_categories`` when given (the size of the code set, as MAXQDA takes the
    number of codes in its table), else the number of categories the coders used.
    Observed agreement is ``percent_agreement``, so any number of coders works.

    >>> round(brennan_prediger([[1, 1, 0, 0], [1, 0, 0, 0]], n_categories=4), 4)
    0.6667
    """
    return brennan_prediger_result(data, n_categories).value
