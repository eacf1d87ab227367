"""Character-level agreement for one code in one document, as NVivo's Coding Comparison.

Every character of the document is a unit: coded at the code or not, by coder A and by
coder B. Percentage agreement counts characters both coded plus characters neither coded;
kappa is Cohen's kappa on that 2 x 2 table (NVivo help, "Run a Coding Comparison query").
Spans are half-open ``(start, end)`` character offsets; a coder's overlapping spans count
once (their union). The work is done on span boundaries, not per character, so a
50,000-character document costs no more than its handful of spans.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from kwali.agreement.data import AgreementError
from kwali.i18n import _


@dataclass(frozen=True)
class CharacterAgreement:
    """The 2 x 2 character table and NVivo's two figures (fractions, not percentages)."""

    length: int
    both: int
    a_only: int
    b_only: int
    neither: int
    percent_agreement: float
    kappa: float


def _as_array(spans: Iterable[tuple[int, int]], length: int, who: str) -> np.ndarray:
    array = np.asarray(list(spans), dtype=np.int64).reshape(-1, 2)
    if array.size and (
        (array[:, 0] < 0).any() or (array[:, 1] > length).any() or (array[:, 0] > array[:, 1]).any()
    ):
        bad = next((int(s), int(e)) for s, e in array if s < 0 or e > length or s > e)
        raise AgreementError(
            _(
                "coder {who} heeft stuk {span} buiten een document van {length} tekens (stukken "
                "zijn halfopen (start, end) met 0 <= start <= end <= lengte)"
            ).format(who=who, span=bad, length=length)
        )
    return array


def _covered(spans: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Whether each elementary piece starting at ``points`` lies inside some span."""
    started = np.searchsorted(np.sort(spans[:, 0]), points, side="right")
    ended = np.searchsorted(np.sort(spans[:, 1]), points, side="right")
    return started > ended


def character_agreement(
    length: int,
    spans_a: Iterable[tuple[int, int]],
    spans_b: Iterable[tuple[int, int]],
) -> CharacterAgreement:
    """NVivo's percentage agreement and kappa for one code in one ``length``-character text.

    When the two coders agree on every character (including when neither coded
    anything) kappa is 1, as NVivo reports it, although Cohen's formula is then 0/0.

    >>> r = character_agreement(1000, [(0, 100)], [(50, 150)])
    >>> round(r.percent_agreement, 3), round(r.kappa, 3)
    (0.9, 0.444)
    """
    if not isinstance(length, (int, np.integer)) or length <= 0:
        raise AgreementError(
            _(
                "de lengte van het document moet een positief aantal tekens zijn; kreeg {length}"
            ).format(length=repr(length))
        )
    a = _as_array(spans_a, length, "A")
    b = _as_array(spans_b, length, "B")
    points = np.unique(np.concatenate([[0, length], a.ravel(), b.ravel()]))
    sizes = np.diff(points)
    starts = points[:-1]
    in_a = _covered(a, starts)
    in_b = _covered(b, starts)
    both = int(sizes[in_a & in_b].sum())
    a_only = int(sizes[in_a & ~in_b].sum())
    b_only = int(sizes[~in_a & in_b].sum())
    neither = length - both - a_only - b_only
    agreeing = both + neither
    coded_a, coded_b = both + a_only, both + b_only
    # NVivo's expected frequencies: chance "both coded" plus chance "neither coded".
    expected = (coded_a * coded_b + (length - coded_a) * (length - coded_b)) / length
    kappa = 1.0 if agreeing == length else (agreeing - expected) / (length - expected)
    return CharacterAgreement(length, both, a_only, b_only, neither, agreeing / length, kappa)
