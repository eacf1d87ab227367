"""Reliability data in, integer codes out: the shared front end of every coefficient.

Reliability data are a list of coder rows, each a list of unit values (``None`` or NaN
for a unit the coder did not code). Values are category labels (any hashable), or
numbers for the ordinal, interval and ratio levels. Every coefficient first turns the
rows into a coders x units integer matrix (``-1`` = missing) plus the sorted categories,
so the statistics themselves are plain numpy.

A :class:`Tally` is the same data with each distinct unit once and how often it occurs:
present/absent codings of three coders have at most 27 distinct units however long the
text, so a study's pooled table of codes × units costs a few numbers instead of gigabytes.
Every coefficient accepts one and gives what it gives on the expanded rows; ``Encoded``
carries the counts as ``weights``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from kwali.errors import KwaliError
from kwali.i18n import _

MISSING = -1


_BLAS: list[Any] = []  # threadpoolctl's controller, made once (finding the libraries takes ms)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the statistics with BLAS on one thread (also as a decorator).

    Their matrix products are small (resamples × distinct units, a dot product over units),
    where OpenBLAS spends longer starting and syncing its threads than multiplying: on a
    loaded two-core machine alpha at 40,000 units took 2.6× as long with two threads.
    threadpoolctl comes with scikit-learn; without it this does nothing.
    """
    if not _BLAS:
        try:
            from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]
        except ImportError:  # pragma: no cover - scikit-learn brings it
            _BLAS.append(None)
        else:
            _BLAS.append(ThreadpoolController())
    if _BLAS[0] is None:  # pragma: no cover
        yield
        return
    with _BLAS[0].limit(limits=1, user_api="blas"):
        yield


class AgreementError(KwaliError, ValueError):
    """Reliability data that no agreement coefficient can be computed from.

    Raised for malformed input (ragged rows, the wrong number of coders, spans outside the
    text, overlapping codes where the coefficient forbids them) and when nothing can be
    compared (no unit coded by two coders). A coefficient that is merely 0/0 because the
    data show no variation is returned as NaN instead: see docs/agreement.md.
    """


@dataclass(frozen=True)
class Agreement:
    """One coefficient with the parts it was computed from.

    Every chance-corrected coefficient here has the form ``1 - observed/expected`` in
    terms of disagreement; for nominal data ``1 - expected_disagreement`` is the chance
    agreement that ATLAS.ti and NVivo print. ``value`` is NaN when expected disagreement
    is zero (every pairable value is the same category), where the coefficient is 0/0.
    """

    statistic: str
    value: float
    observed_disagreement: float
    expected_disagreement: float
    n_units: int
    n_coders: int
    n_values: int

    @property
    def observed_agreement(self) -> float:
        return 1.0 - self.observed_disagreement

    @property
    def expected_agreement(self) -> float:
        return 1.0 - self.expected_disagreement


@dataclass(frozen=True)
class Tally:
    """Reliability data as its distinct units (coder columns, NaN = no value) and how many
    units each stands for: what every coefficient needs, in O(distinct units) memory."""

    columns: np.ndarray  # float, coders × distinct units
    counts: np.ndarray  # int64, units each column stands for (all > 0)

    @property
    def shape(self) -> tuple[int, int]:
        """As the expanded data's: coders × units."""
        return int(self.columns.shape[0]), int(self.counts.sum())

    @classmethod
    def of(cls, data: np.ndarray, counts: np.ndarray | None = None) -> Tally:
        """The tally of a coders × units float array (NaN = no value); ``counts`` weighs
        its columns (default 1 each)."""
        data = np.asarray(data, dtype=float)
        counts = (
            np.ones(data.shape[1], dtype=np.int64)
            if counts is None
            else np.asarray(counts, dtype=np.int64)
        )
        if data.shape[1] == 0:
            return cls(data.reshape(data.shape[0], 0), counts[:0])
        # one sortable key per column: NaN as +inf sorts last and compares equal to itself
        keys = np.where(np.isnan(data), np.inf, data)
        order = np.lexsort(keys[::-1])
        ordered = keys[:, order]
        starts = np.flatnonzero(np.r_[True, (ordered[:, 1:] != ordered[:, :-1]).any(axis=0)])
        columns = data[:, order[starts]]
        return cls(columns, np.add.reduceat(counts[order], starts))

    @classmethod
    def merged(cls, tallies: Iterable[Tally], n_coders: int) -> Tally:
        """Several tallies side by side, as one (the pooled table of all codes)."""
        parts = list(tallies)
        if not parts:
            return cls(np.zeros((n_coders, 0)), np.zeros(0, dtype=np.int64))
        return cls.of(
            np.concatenate([t.columns for t in parts], axis=1),
            np.concatenate([t.counts for t in parts]),
        )

    def select(self, keep: np.ndarray) -> Tally:
        """Only the distinct units ``keep`` marks."""
        return Tally(self.columns[:, keep], self.counts[keep])


@dataclass(frozen=True)
class Encoded:
    """Coders x units category indices (``MISSING`` for none) and the categories they index.

    ``weights``: how many units each column stands for (a :class:`Tally`); None = one each.
    """

    codes: np.ndarray
    categories: tuple[Any, ...]
    ordered: bool = True  # False when the labels could not be sorted
    weights: np.ndarray | None = None

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[0])

    @property
    def unit_weights(self) -> np.ndarray:
        """How many units each column stands for, as int64."""
        if self.weights is None:
            return np.ones(self.codes.shape[1], dtype=np.int64)
        return self.weights

    @property
    def n_categories(self) -> int:
        return len(self.categories)


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


_NUMBER_TYPES = frozenset({int, float, bool, type(None), np.int64, np.float64, np.int32, np.bool_})


def encode(data: Any, *, numeric: bool = False) -> Encoded:
    """Turn coder rows into integer codes; ``numeric`` demands real-number values.

    Categories come out in sorted order when the labels can be sorted (so weights and
    ordinal distances follow that order), else in order of first appearance. A
    :class:`Tally` keeps its counts as the weights of its columns.
    """
    if isinstance(data, Tally):
        _check_shape(data.shape)
        return replace(encode(data.columns, numeric=numeric), weights=data.counts)
    if hasattr(data, "__array__"):  # numpy arrays, pandas frames (coders as rows)
        array = np.asarray(data)
        _check_shape(array.shape)
        if array.dtype.kind in "biuf":
            return _encode_numbers(array)
        return _encode_labels(array.ravel().tolist(), array.shape, numeric=numeric)
    rows = [row for row in data]
    if any(isinstance(row, (str, bytes)) or not hasattr(row, "__len__") for row in rows):
        raise AgreementError(
            _(
                "betrouwbaarheidsdata moeten een lijst van coderrijen zijn, elk een lijst van waarden per eenheid"
            )
        )
    shape = (len(rows), len(rows[0]) if rows else 0)
    if any(len(row) != shape[1] for row in rows):
        raise AgreementError(_("de coderrijen hebben niet allemaal hetzelfde aantal eenheden"))
    _check_shape(shape)
    flat = [value for row in rows for value in row]
    # Plain numbers (and None) take the fast numpy route; labels go through a dict.
    if set(map(type, flat)) <= _NUMBER_TYPES:
        return _encode_numbers(np.array(flat, dtype=float).reshape(shape))
    return _encode_labels(flat, shape, numeric=numeric)


def _check_shape(shape: tuple[int, ...]) -> None:
    if len(shape) != 2:
        raise AgreementError(
            _(
                "betrouwbaarheidsdata moeten een lijst van coderrijen zijn, elk een lijst van waarden per eenheid"
            )
        )
    if shape[0] < 2:
        raise AgreementError(
            _("overeenstemming heeft ten minste twee coders nodig; kreeg {n}").format(n=shape[0])
        )
    if shape[1] == 0:
        raise AgreementError(_("de betrouwbaarheidsdata hebben geen eenheden"))


def _encode_numbers(array: np.ndarray) -> Encoded:
    values = array.astype(float)
    present = ~np.isnan(values)
    observed = values[present]
    codes = np.full(values.shape, MISSING, dtype=np.int64)
    if observed.size == 0:
        return Encoded(codes, ())
    low, high = observed.min(), observed.max()
    if high - low <= 4 * observed.size + 1024 and (observed == np.floor(observed)).all():
        # Small whole numbers (present/absent, rating scales): a lookup table beats sorting.
        offsets = (observed - low).astype(np.int64)
        used = np.bincount(offsets) > 0
        categories = np.flatnonzero(used) + low
        codes[present] = (np.cumsum(used) - 1)[offsets]
    else:
        categories, inverse = np.unique(observed, return_inverse=True)
        codes[present] = inverse
    return Encoded(codes, tuple(_plain_number(float(v)) for v in categories))


def _plain_number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def _encode_labels(flat: list[Any], shape: tuple[int, ...], *, numeric: bool) -> Encoded:
    index: dict[Hashable, int] = {}
    raw = []
    for value in flat:
        if _is_missing(value):
            raw.append(MISSING)
            continue
        try:
            raw.append(index.setdefault(value, len(index)))
        except TypeError as err:
            raise AgreementError(
                _("waarde {value} kan niet als categorie dienen").format(value=repr(value))
            ) from err
    labels: list[Any] = list(index)  # any hashable values: sorted when they compare
    if numeric and not all(isinstance(v, numbers.Real) for v in labels):
        bad = next(v for v in labels if not isinstance(v, numbers.Real))
        raise AgreementError(
            _("dit meetniveau heeft getallen nodig; kreeg de waarde {value}").format(
                value=repr(bad)
            )
        )
    codes = np.asarray(raw, dtype=np.int64).reshape(shape)
    try:
        order = sorted(range(len(labels)), key=labels.__getitem__)
    except TypeError:
        return Encoded(codes, tuple(labels), ordered=False)  # keep first-seen order
    rank = np.empty(len(labels) + 1, dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(labels))
    rank[-1] = MISSING  # codes of -1 index the last slot
    return Encoded(rank[codes], tuple(labels[i] for i in order))


def unit_counts(encoded: Encoded) -> np.ndarray:
    """Units x categories: how many coders put each unit in each category."""
    codes = encoded.codes
    q = encoded.n_categories
    n_units = codes.shape[1]
    units = np.broadcast_to(np.arange(n_units), codes.shape)
    valid = codes != MISSING
    flat = units[valid] * q + codes[valid]
    return np.bincount(flat, minlength=n_units * q).reshape(n_units, q)


def two_coder_codes(
    data: Any, statistic: str, *, numeric: bool = False
) -> tuple[Encoded, np.ndarray, np.ndarray]:
    """Both coders' codes over the units both coded, and the units each column stands for;
    raises unless there are exactly two."""
    encoded = encode(data, numeric=numeric)
    if encoded.n_coders != 2:
        raise AgreementError(
            _(
                "{statistic} vergelijkt precies twee coders; kreeg {n} (gebruik fleiss_kappa of "
                "krippendorff_alpha voor meer coders)"
            ).format(statistic=statistic, n=encoded.n_coders)
        )
    both = (encoded.codes != MISSING).all(axis=0)
    if not both.any():
        raise AgreementError(
            _("{statistic}: geen eenheid is door beide coders gecodeerd").format(
                statistic=statistic
            )
        )
    return encoded, encoded.codes[:, both], encoded.unit_weights[both]


def weighted_bincount(values: np.ndarray, weights: np.ndarray, minlength: int) -> np.ndarray:
    """``np.bincount`` counting each value ``weights`` times, still as integers."""
    return np.bincount(values, weights=weights, minlength=minlength).round().astype(np.int64)


def contingency(a: np.ndarray, b: np.ndarray, q: int, weights: np.ndarray) -> np.ndarray:
    """q x q counts: row = coder A's category, column = coder B's; ``weights`` per unit."""
    return weighted_bincount(a * q + b, weights, q * q).reshape(q, q)


def chance_corrected(observed: float, expected: float) -> float:
    """``1 - observed/expected`` disagreement, or NaN where expected is zero (0/0)."""
    return 1.0 - observed / expected if expected > 0 else math.nan
