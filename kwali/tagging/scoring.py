"""Score ranked code suggestions against gold label sets: per-code P/R/F1, micro/macro, recall@k.

Pure arithmetic over plain data: no suggester, codebook or file is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CodeScore:
    code_key: str
    support: int
    predicted: int
    true_positives: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class Scores:
    """P/R/F1 over one run; ``per_code`` covers every code with gold labels or predictions."""

    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_f1: float
    recall_at_k: float
    per_code: tuple[CodeScore, ...]


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(
    gold: Sequence[set[str]],
    ranked: Sequence[Sequence[tuple]],
    threshold: float,
    k: int,
    codes: Sequence[str],
) -> Scores:
    """Compare ranked suggestions with gold label sets.

    Predictions are the suggestions scoring at least ``threshold``. ``recall_at_k`` is the share
    of all gold labels found among each text's ``k`` best suggestions (whatever their score).
    Macro-F1 averages over codes that have gold labels.
    """
    tp: dict[str, int] = dict.fromkeys(codes, 0)
    pred: dict[str, int] = dict.fromkeys(codes, 0)
    support: dict[str, int] = dict.fromkeys(codes, 0)
    hits_at_k = 0
    for labels, suggestions in zip(gold, ranked, strict=True):
        ordered = sorted(suggestions, key=lambda s: -s[1])
        predicted = {s[0] for s in ordered if s[1] >= threshold}
        top = {s[0] for s in ordered[:k]}
        hits_at_k += len(labels & top)
        for key in labels:
            support[key] = support.get(key, 0) + 1
        for key in predicted:
            pred[key] = pred.get(key, 0) + 1
            if key in labels:
                tp[key] = tp.get(key, 0) + 1
    per_code = []
    for key in dict.fromkeys([*codes, *support, *pred]):
        p = tp.get(key, 0) / pred[key] if pred.get(key) else 0.0
        r = tp.get(key, 0) / support[key] if support.get(key) else 0.0
        if support.get(key) or pred.get(key):
            per_code.append(
                CodeScore(
                    key,
                    support.get(key, 0),
                    pred.get(key, 0),
                    tp.get(key, 0),
                    round(p, 4),
                    round(r, 4),
                    round(_f1(p, r), 4),
                )
            )
    total_tp, total_pred = sum(tp.values()), sum(pred.values())
    total_gold = sum(support.values())
    micro_p = total_tp / total_pred if total_pred else 0.0
    micro_r = total_tp / total_gold if total_gold else 0.0
    with_support = [c.f1 for c in per_code if c.support]
    return Scores(
        micro_precision=round(micro_p, 4),
        micro_recall=round(micro_r, 4),
        micro_f1=round(_f1(micro_p, micro_r), 4),
        macro_f1=round(sum(with_support) / len(with_support), 4) if with_support else 0.0,
        recall_at_k=round(hits_at_k / total_gold, 4) if total_gold else 0.0,
        per_code=tuple(per_code),
    )


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Suggestions whose score falls in ``[low, low + width)``: how sure, and how often right."""

    low: float
    count: int
    mean_score: float
    share_right: float


@dataclass(frozen=True, slots=True)
class Calibration:
    expected_error: float
    bins: tuple[CalibrationBin, ...]


def calibration(
    gold: Sequence[set[str]],
    ranked: Sequence[Sequence[tuple]],
    threshold: float,
    width: float = 0.1,
) -> Calibration:
    """Whether scores mean what they say, over the suggestions a coder sees (``>= threshold``).

    The expected calibration error is the mean gap between a bin's share of right suggestions
    and its mean score, weighted by the bin's share of all suggestions (0 is perfect).
    """
    top = round(1 / width) - 1
    bins: dict[int, list[tuple[float, bool]]] = {}
    for labels, suggestions in zip(gold, ranked, strict=True):
        for s in suggestions:
            if s[1] >= threshold:
                bins.setdefault(min(int(s[1] / width + 1e-9), top), []).append(
                    (s[1], s[0] in labels)
                )
    total = sum(len(rows) for rows in bins.values())
    out, error = [], 0.0
    for b in sorted(bins):
        rows = bins[b]
        mean = sum(r[0] for r in rows) / len(rows)
        right = sum(r[1] for r in rows) / len(rows)
        error += len(rows) / total * abs(right - mean)
        out.append(CalibrationBin(round(b * width, 4), len(rows), round(mean, 4), round(right, 4)))
    return Calibration(round(error, 4), tuple(out))
