"""Krippendorff's alpha family for unitized continua (Krippendorff, Mathet, Bouvry &
Widlöcher 2016), the coefficients ATLAS.ti reports for free-span coding.

Each coder cuts a text of ``length`` characters into coded units and gaps. Spans are
``(coder, start, end, code)`` with half-open offsets; whatever a coder left uncoded is a
gap. Within one coder, overlapping spans of the same code are merged (their union) and
overlapping spans of different codes are refused: the 2016 model needs mutually
exclusive values per coder, which is why ATLAS.ti groups codes in semantic domains.
Spans that merely touch stay separate units.

kwali.agreement.continuum turns spans into coincidences; this module holds the
coefficients. Formulas and their sources are written out in docs/agreement.md.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from kwali.agreement.continuum import GAP, Continuum, Hole, Span, prepare
from kwali.agreement.data import AgreementError
from kwali.i18n import _

UnitLevel = Literal["nominal", "interval", "ratio"]


@dataclass(frozen=True)
class CodeUnitizing:
    """(k)u-alpha for one code and the share of that code's length that both coders valued."""

    code: Hashable
    k_u_alpha: float
    coverage: float


@dataclass(frozen=True)
class UnitizingSummary:
    """The whole family for one continuum, from one pass over the data."""

    u_alpha: float
    binary_u_alpha: float
    cu_alpha: float
    coverage: float
    per_code: tuple[CodeUnitizing, ...]


def _expected(observed: np.ndarray, self_weight: np.ndarray) -> np.ndarray:
    """e_ck = (l_c. l_.k - [c=k] W_c) / (l.. - W / l..)."""
    total = observed.sum()
    margins = observed.sum(axis=1)
    return (np.outer(margins, margins) - np.diag(self_weight)) / (total - self_weight.sum() / total)


def _u_alpha(c: Continuum) -> float:
    # Off-diagonal sums (= l.. - sum l_cc, l.. - sum e_cc) are exactly 0 with one value.
    off_diagonal = 1.0 - np.eye(len(c.observed))
    denominator = (_expected(c.observed, c.self_weight) * off_diagonal).sum()
    observed = (c.observed * off_diagonal).sum()
    return float(1.0 - observed / denominator) if denominator > 0 else math.nan


def _binary(c: Continuum) -> float:
    gap_valued = c.observed[GAP, 1:].sum()
    observed = np.array(
        [[c.observed[GAP, GAP], gap_valued], [gap_valued, c.observed[1:, 1:].sum()]]
    )
    self_weight = np.array([c.self_weight[GAP], c.self_weight[1:].sum()])
    expected = _expected(observed, self_weight)
    return float(1.0 - gap_valued / expected[0, 1]) if expected[0, 1] > 0 else math.nan


def _distance(codes: tuple[Hashable, ...], level: str) -> np.ndarray:
    if level == "nominal":
        return 1.0 - np.eye(len(codes))
    if level not in ("interval", "ratio"):
        raise AgreementError(
            _("onbekend meetniveau {level}; kies nominal, interval of ratio").format(
                level=repr(level)
            )
        )
    if not all(isinstance(code, (int, float, np.integer, np.floating)) for code in codes):
        raise AgreementError(
            _(
                "de alpha's voor eenheden op niveau {level} hebben numerieke codewaarden nodig"
            ).format(level=level)
        )
    x = np.asarray(codes, dtype=float)
    if level == "interval":
        return (x[:, None] - x[None, :]) ** 2
    total = x[:, None] + x[None, :]
    return (
        np.divide(x[:, None] - x[None, :], total, out=np.zeros_like(total), where=total != 0) ** 2
    )


def _coded_expected(c: Continuum) -> np.ndarray | None:
    """e*_ck over valued intersections only, or None where nothing was coded twice."""
    coded = c.observed[1:, 1:]
    total = coded.sum()
    if total <= 0:
        return None
    margins = coded.sum(axis=1)
    correction = c.overlap_weight[1:] / (c.n_coders - 1)
    denominator = total - correction.sum() / total
    if denominator <= 0:  # e.g. three coders of whom only two ever met, on one code
        return None
    return (np.outer(margins, margins) - np.diag(correction)) / denominator


def _cu_alpha(c: Continuum, level: str) -> float:
    delta = _distance(c.codes, level)
    expected = _coded_expected(c)
    if expected is None:
        return math.nan
    denominator = (delta * expected).sum()
    return (
        float(1.0 - (delta * c.observed[1:, 1:]).sum() / denominator)
        if denominator > 0
        else math.nan
    )


def _k_u_alpha(c: Continuum, k: int, level: str) -> float:
    delta = _distance(c.codes, level)[k]
    expected = _coded_expected(c)
    coded_k = c.observed[1 + k, 1:]
    if expected is None or coded_k.sum() <= 0:
        return math.nan
    denominator = (delta * expected[k]).sum()
    if denominator <= 0:
        return math.nan
    return float(1.0 - expected[k].sum() / coded_k.sum() * (delta * coded_k).sum() / denominator)


def _code_coverage(c: Continuum, k: int) -> float:
    column = c.observed[:, 1 + k]
    return float(column[1:].sum() / column.sum()) if column.sum() > 0 else math.nan


def u_alpha(
    length: int,
    spans: Iterable[Span],
    *,
    coders: Collection[Hashable] | None = None,
    holes: Iterable[Hole] = (),
) -> float:
    """u-alpha: agreement on where units are and which code they carry, gaps included.

    ``coders`` lists every coder, so that one who coded nothing still counts; by default
    the coders are those who appear in ``spans``. ``holes`` are ``(coder, start, end)``
    stretches a coder gave no value at all (not even "uncoded"); they pair with nothing,
    like missing values. NaN when undefined (one value only).
    """
    return _u_alpha(prepare(length, spans, coders, holes))


def binary_u_alpha(
    length: int,
    spans: Iterable[Span],
    *,
    codes: Hashable | Collection[Hashable] | None = None,
    coders: Collection[Hashable] | None = None,
    holes: Iterable[Hole] = (),
) -> float:
    """|u-alpha, ATLAS.ti's alpha-binary: coded versus uncoded text, whatever the code.

    ``codes`` restricts it to one code or to a semantic domain (a collection of codes);
    other spans count as uncoded. The selected codes are treated as one value, so a
    coder's overlapping spans within the selection merge. NaN when no text is uncoded
    (or none coded) by anyone.
    """
    spans = list(spans)
    if codes is None:
        chosen = {span[3] for span in spans if len(span) == 4}
    elif isinstance(codes, str) or not isinstance(codes, Collection):
        chosen = {codes}
    else:
        chosen = set(codes)
    return _binary(prepare(length, spans, coders, holes, collapse_to=chosen))


def cu_alpha(
    length: int,
    spans: Iterable[Span],
    *,
    coders: Collection[Hashable] | None = None,
    holes: Iterable[Hole] = (),
    level: UnitLevel = "nominal",
) -> float:
    """cu-alpha: agreement on the codes where coders' units intersect (gaps left out).

    ATLAS.ti's cu-alpha for a semantic domain is this over the domain's codes; its
    Cu-alpha is this with the domain names as codes. For more than two coders the
    published implementations differ; this follows docs/agreement.md. NaN when fewer
    than two codes meet or no coded text overlaps.
    """
    return _cu_alpha(prepare(length, spans, coders, holes), level)


def k_u_alpha(
    length: int,
    spans: Iterable[Span],
    code: Hashable,
    *,
    coders: Collection[Hashable] | None = None,
    holes: Iterable[Hole] = (),
    level: UnitLevel = "nominal",
) -> float:
    """(k)u-alpha: agreement on code ``code`` within the coded intersections."""
    continuum = prepare(length, spans, coders, holes)
    if code not in continuum.codes:
        raise AgreementError(_("geen stuk draagt de code {code}").format(code=repr(code)))
    return _k_u_alpha(continuum, continuum.codes.index(code), level)


def unitizing_summary(
    length: int,
    spans: Iterable[Span],
    *,
    coders: Collection[Hashable] | None = None,
    holes: Iterable[Hole] = (),
    level: UnitLevel = "nominal",
) -> UnitizingSummary:
    """u-alpha, |u-alpha, cu-alpha with its coverage, and (k)u-alpha for every code."""
    c = prepare(length, spans, coders, holes)
    total = c.observed.sum()
    coverage = float(c.observed[1:, 1:].sum() / total)
    per_code = tuple(
        CodeUnitizing(code, _k_u_alpha(c, k, level), _code_coverage(c, k))
        for k, code in enumerate(c.codes)
    )
    return UnitizingSummary(_u_alpha(c), _binary(c), _cu_alpha(c, level), coverage, per_code)
