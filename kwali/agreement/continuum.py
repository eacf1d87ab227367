"""One unitized continuum turned into coincidences: the data side of the 2016 alphas.

Spans are ``(coder, start, end, code)`` with half-open character offsets; whatever a
coder left uncoded is a gap, and ``holes`` are stretches a coder gave no value at all.
Within one coder, overlapping spans of the same code merge (their union) and overlapping
spans of different codes are refused, since the 2016 model needs one value per character
per coder. Spans that merely touch stay separate units, which matters for the unit
weights l^2.

Coincidences are counted by a sweep over the span boundaries: between two neighbouring
boundaries every coder's value is constant, so each such piece counts as its length in
characters. O(coders^2 x spans) numpy work, whatever the length of the text.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from kwali.agreement.data import AgreementError
from kwali.i18n import _

Span = tuple[Hashable, int, int, Hashable]
Hole = tuple[Hashable, int, int]
GAP = 0  # value index of uncoded text; codes are 1..K


@dataclass(frozen=True)
class Continuum:
    """Coincidences of one continuum: l (values x values, index 0 = gap), W, S."""

    codes: tuple[Hashable, ...]
    n_coders: int
    observed: np.ndarray  # l_ck
    self_weight: np.ndarray  # W_c: sum of l^2 over valued units; gap length for gaps
    overlap_weight: np.ndarray  # S_c: sum over units of squared overlaps with other coders


def _validated(
    length: int,
    spans: Iterable[Span],
    coders: Collection[Hashable] | None,
    holes: list[Hole],
) -> tuple[list[Span], tuple[Hashable, ...]]:
    if not isinstance(length, (int, np.integer)) or length <= 0:
        raise AgreementError(
            _(
                "de lengte van het continuüm moet een positief aantal tekens zijn; kreeg {length}"
            ).format(length=repr(length))
        )
    rows = []
    for span in spans:
        try:
            coder, start, end, code = span
        except (TypeError, ValueError) as err:
            raise AgreementError(
                _("een stuk moet (coder, start, end, code) zijn; kreeg {span}").format(
                    span=repr(span)
                )
            ) from err
        if not isinstance(start, (int, np.integer)) or not isinstance(end, (int, np.integer)):
            raise AgreementError(
                _("stuk {span} heeft gehele getallen als posities nodig").format(span=repr(span))
            )
        if not 0 <= start <= end <= length:
            raise AgreementError(
                _(
                    "stuk {span} ligt buiten het continuüm van {length} tekens (posities zijn "
                    "halfopen, 0 <= start <= end <= lengte)"
                ).format(span=repr(span), length=length)
            )
        if start < end:  # an empty span codes nothing
            rows.append((coder, int(start), int(end), code))
    seen = tuple(dict.fromkeys([row[0] for row in rows] + [hole[0] for hole in holes]))
    names = tuple(dict.fromkeys(coders)) if coders is not None else seen
    unknown = [c for c in seen if c not in set(names)]
    if unknown:
        raise AgreementError(
            _("stukken van coder {coder}, die niet bij de opgegeven coders is").format(
                coder=repr(unknown[0])
            )
        )
    if len(names) < 2:
        raise AgreementError(
            _(
                "overeenstemming over eenheden heeft ten minste twee coders nodig; kreeg {n} "
                "(geef coders=... mee om coders die niets codeerden mee te tellen)"
            ).format(n=len(names))
        )
    return rows, names


def _ordered(values: Iterable[Hashable]) -> tuple[Hashable, ...]:
    unique: tuple[Any, ...] = tuple(dict.fromkeys(values))  # sorted when they compare
    try:
        return tuple(sorted(unique))
    except TypeError:
        return unique


def _units(rows: list[Span], coder: Hashable) -> list[tuple[int, int, Hashable]]:
    """One coder's units: overlapping same-code spans merged, different codes refused."""
    units: list[list[Any]] = []
    for _coder, start, end, code in sorted(
        (r for r in rows if r[0] == coder), key=lambda r: (r[1], r[2])
    ):
        if units and start < units[-1][1]:
            if units[-1][2] != code:
                raise AgreementError(
                    _(
                        "coder {coder} gaf {first} en {second} aan overlappende tekst op "
                        "{start}-{end}; de alpha's voor eenheden hebben één waarde per teken per "
                        "coder nodig (gebruik binary_u_alpha per code, of één semantisch domein)"
                    ).format(
                        coder=repr(coder),
                        first=repr(units[-1][2]),
                        second=repr(code),
                        start=start,
                        end=min(end, units[-1][1]),
                    )
                )
            units[-1][1] = max(units[-1][1], end)
        else:
            units.append([start, end, code])
    return [(s, e, c) for s, e, c in units]


def _holes(
    holes: Iterable[Hole], coders: tuple[Hashable, ...], length: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coder index, start and end of every stretch a coder gave no value at all."""
    index = {coder: i for i, coder in enumerate(coders)}
    rows = []
    for hole in holes:
        coder, start, end = hole
        if coder not in index or not 0 <= start <= end <= length:
            raise AgreementError(
                _("gat {hole} noemt een onbekende coder of ligt buiten het continuüm").format(
                    hole=repr(hole)
                )
            )
        rows.append((index[coder], start, end))
    who, starts, ends = np.array(rows, dtype=np.int64).reshape(-1, 3).T
    return who, starts, ends


def build(
    length: int,
    rows: list[Span],
    coders: tuple[Hashable, ...],
    holes: Iterable[Hole] = (),
) -> Continuum:
    codes = _ordered(row[3] for row in rows)
    code_index = {code: i + 1 for i, code in enumerate(codes)}
    m, n_values = len(coders), len(codes) + 1
    units = [
        (i, start, end, code_index[code])
        for i, coder in enumerate(coders)
        for start, end, code in _units(rows, coder)
    ]
    who, starts, ends, value = np.array(units, dtype=np.int64).reshape(-1, 4).T
    hole_who, hole_starts, hole_ends = _holes(holes, coders, length)

    # A sweep over span boundaries: between two neighbouring boundaries every coder's value is
    # the same, so each such piece counts as its length in characters. Memory and time follow
    # the spans, not the text (a department's archive is 10^8 characters).
    points = np.unique(np.concatenate([[0, length], starts, ends, hole_starts, hole_ends]))
    sizes = np.diff(points)
    pieces = sizes.size
    first, last = np.searchsorted(points, starts), np.searchsorted(points, ends)

    # Per-piece value of every coder, from a difference array (units do not overlap,
    # so no index repeats within starts or within ends and plain fancy += is safe).
    steps = np.zeros((m, pieces + 1), dtype=np.int64)
    steps[who, first] += value
    steps[who, last] -= value
    positions = np.cumsum(steps, axis=1)[:, :pieces]
    gaps = np.zeros((m, pieces + 1), dtype=np.int64)
    np.add.at(gaps, (hole_who, np.searchsorted(points, hole_starts)), 1)
    np.add.at(gaps, (hole_who, np.searchsorted(points, hole_ends)), -1)
    missing = np.cumsum(gaps, axis=1)[:, :pieces] > 0
    if (positions[missing] != GAP).any():
        raise AgreementError(_("een gat overlapt tekst die dezelfde coder codeerde"))
    positions[missing] = n_values  # an extra index, dropped below: holes pair with nothing

    size = n_values + 1
    observed = np.zeros((size, size))
    for i in range(m - 1):
        for j in range(i + 1, m):
            observed += np.bincount(
                positions[i] * size + positions[j], weights=sizes, minlength=size**2
            ).reshape(size, size)
    observed = (observed + observed.T)[:n_values, :n_values] / (m - 1)

    lengths = (ends - starts).astype(float)
    self_weight = np.bincount(value, weights=lengths**2, minlength=n_values)
    # a gap is as many one-character units as it is long
    self_weight[GAP] = float(((positions == GAP) * sizes).sum())

    # Overlap of each valued unit with every other coder's valued text: valued characters
    # before each boundary, per coder.
    valued = np.zeros((m, pieces + 1), dtype=np.int64)
    valued[:, 1:] = np.cumsum(((positions != GAP) & ~missing) * sizes, axis=1)
    overlap = valued[:, last] - valued[:, first]
    overlap[who, np.arange(len(who))] = 0
    overlap_weight = np.bincount(
        value, weights=(overlap.astype(float) ** 2).sum(axis=0), minlength=n_values
    )
    return Continuum(codes, m, observed, self_weight, overlap_weight)


def prepare(
    length: int,
    spans: Iterable[Span],
    coders: Collection[Hashable] | None,
    holes: Iterable[Hole],
    collapse_to: Collection[Hashable] | None = None,
) -> Continuum:
    """Validate spans and holes and count coincidences; ``collapse_to`` keeps only those
    codes and makes them one value (the |u-alpha view of a code or semantic domain)."""
    hole_list = list(holes)
    rows, names = _validated(length, spans, coders, hole_list)
    if collapse_to is not None:
        rows = [
            (coder, start, end, True) for coder, start, end, code in rows if code in collapse_to
        ]
    return build(int(length), rows, names, hole_list)
