"""Measure a suggester against labelled texts, next to a keyword search on code labels.

One run, or cross-validation with learning from the other folds, and the terminal report,
so that researchers can score kwali on their own labelled quotes (``kwali.tagging.gold``) and
compare it with what a keyword search would have found. The arithmetic is in
``kwali.tagging.scoring``.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from spacy.language import Language

from kwali.errors import InputError
from kwali.i18n import _, ngettext
from kwali.model import Codebook
from kwali.tagging.gold import GoldItem, gold_sets
from kwali.tagging.learned import Example, LearnedModel, enough_codings, learn
from kwali.tagging.scoring import Calibration, Scores, calibration, score
from kwali.tagging.suggest import Suggester

# Words too common to stand for a code when a label is searched word by word.
_LABEL_STOP = {  # i18n: keep (Dutch words matched against labels, never shown)
    "de",
    "het",
    "een",
    "en",
    "of",
    "van",
    "voor",
    "met",
    "op",
    "in",
    "aan",
    "bij",
    "als",
    "tot",
    "rol",
    "iets",
    "over",
}
# The shuffle that assigns texts to cross-validation folds.
FOLD_SEED = 20261123


class TextSuggester(Protocol):
    """Anything that ranks codes for texts: ``[(code_key, score, evidence), ...]`` per text."""

    def suggest_texts(
        self, texts: Sequence[str], speakers: Sequence[Sequence[str]] | None = None
    ) -> Sequence[Sequence[tuple]]: ...


@dataclass(frozen=True, slots=True)
class Evaluation:
    suggester: str
    k: int
    threshold: float
    items: int
    scores: Scores
    baseline: Scores
    unknown_labels: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    # Whether the scores mean what they say: per score bin, how often a suggestion was right.
    calibration: Calibration | None = None
    # Folds whose training part taught no code enough, so the rules alone scored them.
    rules_only_folds: int = 0

    def to_json(self) -> dict:
        return {
            "suggester": self.suggester,
            "items": self.items,
            "k": self.k,
            "threshold": self.threshold,
            "micro_precision": self.scores.micro_precision,
            "micro_recall": self.scores.micro_recall,
            "micro_f1": self.scores.micro_f1,
            "macro_f1": self.scores.macro_f1,
            "recall_at_k": self.scores.recall_at_k,
            "baseline_micro_f1": self.baseline.micro_f1,
            "baseline_macro_f1": self.baseline.macro_f1,
            "baseline_recall_at_k": self.baseline.recall_at_k,
            "unknown_labels": self.unknown_labels,
            "calibration": None
            if self.calibration is None
            else {
                "expected_calibration_error": self.calibration.expected_error,
                "bins": [
                    {
                        "low": b.low,
                        "count": b.count,
                        "mean_score": b.mean_score,
                        "share_right": b.share_right,
                    }
                    for b in self.calibration.bins
                ],
            },
            "rules_only_folds": self.rules_only_folds,
            "per_code": {
                c.code_key: {
                    "precision": c.precision,
                    "recall": c.recall,
                    "f1": c.f1,
                    "support": c.support,
                    "predicted": c.predicted,
                }
                for c in self.scores.per_code
            },
        }


class LabelBaseline:
    """A keyword search on each code's label words, as one would do in Atlas.ti.

    A code is found when a word of its label (stop words and words under four letters left
    out) occurs as a whole word, in any case. The order of codes in the codebook breaks ties.
    """

    name = "label-words"

    def __init__(self, codebook: Codebook) -> None:
        self.searches: list[tuple[str, re.Pattern[str]]] = []
        for code in codebook:
            if code.kind == "category":
                continue
            words = [
                w
                for w in re.findall(r"\w+", code.label.lower())
                if len(w) >= 4 and w not in _LABEL_STOP
            ]
            if words:
                alt = "|".join(re.escape(w) for w in words)
                self.searches.append((code.key, re.compile(rf"\b(?:{alt})\b", re.IGNORECASE)))

    def suggest_texts(
        self, texts: Sequence[str], speakers: Sequence[Sequence[str]] | None = None
    ) -> list[list[tuple[str, float, tuple]]]:
        # A keyword search does not know who spoke.
        return [
            [(key, 1.0, ()) for key, regex in self.searches if regex.search(text)] for text in texts
        ]


def _name(suggester: TextSuggester) -> str:
    return str(getattr(suggester, "id", getattr(suggester, "name", type(suggester).__name__)))


def _result(
    items: Sequence[GoldItem],
    codebook: Codebook,
    name: str,
    ranked: Sequence[Sequence[tuple]],
    seconds: float,
    k: int,
    threshold: float,
    baseline: TextSuggester | None,
) -> Evaluation:
    gold, unknown = gold_sets(items, codebook)
    texts = [item.text for item in items]
    codes = codebook.code_keys()
    base = baseline or LabelBaseline(codebook)
    return Evaluation(
        suggester=name,
        k=k,
        threshold=threshold,
        items=len(items),
        scores=score(gold, ranked, threshold, k, codes),
        baseline=score(gold, base.suggest_texts(texts), threshold, k, codes),
        unknown_labels=unknown,
        seconds=seconds,
        calibration=calibration(gold, ranked, threshold),
    )


def evaluate(
    items: Sequence[GoldItem],
    codebook: Codebook,
    suggester: TextSuggester,
    *,
    k: int = 3,
    threshold: float = 0.5,
    baseline: TextSuggester | None = None,
) -> Evaluation:
    """Run ``suggester`` and the label-word baseline on gold items and score both.

    Gold labels that are not codebook keys are counted in ``unknown_labels`` and left out.
    """
    started = time.perf_counter()
    texts = [item.text for item in items]
    # Who spoke is passed only when the file says: a suggester of one's own need not take it.
    speakers = _speakers(items)
    ranked = (
        suggester.suggest_texts(texts, speakers)
        if any(speakers)
        else suggester.suggest_texts(texts)
    )
    seconds = time.perf_counter() - started
    return _result(items, codebook, _name(suggester), ranked, seconds, k, threshold, baseline)


def _speakers(items: Sequence[GoldItem]) -> list[tuple[str, ...]]:
    return [(item.speaker,) if item.speaker else () for item in items]


def _examples(items: Sequence[GoldItem], codebook: Codebook) -> list[Example]:
    gold, _unknown = gold_sets(items, codebook)
    return [Example(item.text, frozenset(labels)) for item, labels in zip(items, gold, strict=True)]


def train_model(items: Sequence[GoldItem], codebook: Codebook, nlp: Language) -> LearnedModel:
    """A model learned from labelled texts, as if a coder had confirmed those labels."""
    return learn(_examples(items, codebook), nlp, codebook)


def fold_of(items: Sequence[object], folds: int, groups: Sequence[int] | None = None) -> list[int]:
    """Which fold each item is held out in: a fixed shuffle, so a run can be repeated.

    With ``groups`` (e.g. each sentence's document), a group's items share a fold: a model
    never learns from a sentence of the interview it is scored on.
    """
    keys = list(range(len(items))) if groups is None else sorted(set(groups))
    order = list(range(len(keys)))
    random.Random(FOLD_SEED).shuffle(order)
    fold_of_key = {keys[index]: position % folds for position, index in enumerate(order)}
    if groups is None:
        return [fold_of_key[i] for i in range(len(items))]
    return [fold_of_key[g] for g in groups]


def _learnable(examples: Sequence[Example], min_codings: int) -> list[str]:
    """Codes that at least ``min_codings`` of the examples carry."""
    counts: dict[str, int] = {}
    for example in examples:
        for code in example.codes:
            counts[code] = counts.get(code, 0) + 1
    return enough_codings(counts, min_codings)[0]


def cross_validate(
    items: Sequence[GoldItem],
    codebook: Codebook,
    suggester: Suggester,
    *,
    folds: int = 5,
    k: int = 3,
    threshold: float = 0.5,
    baseline: TextSuggester | None = None,
    groups: Sequence[int] | None = None,
    min_codings: int | None = None,
) -> Evaluation:
    """Score the rules plus learning when a team has already coded part of its texts.

    The items are split into ``folds`` parts (keeping each of ``groups`` in one part); each
    part is suggested for by the rules plus a model learned from the other parts, so no text
    is ever scored by a model that saw it. With ``min_codings``, a model learns only the
    codes that many training texts carry, as in a project; a fold whose training part has
    none is scored by the rules alone (counted in ``rules_only_folds``).
    """
    parts = len(items) if groups is None else len(set(groups))
    if not 2 <= folds <= parts:
        if groups is None:
            raise InputError(
                _("kan {n} teksten niet in {folds} delen splitsen").format(
                    n=len(items), folds=folds
                )
            )
        raise InputError(
            _("kan {n} documenten niet in {folds} delen splitsen").format(n=parts, folds=folds)
        )
    fold = fold_of(items, folds, groups)
    examples = _examples(items, codebook)
    started = time.perf_counter()
    # Each text is parsed once, then serves as training in every fold but its own.
    docs = list(suggester.nlp.pipe((item.text for item in items), batch_size=suggester.batch_size))
    seconds = time.perf_counter() - started
    ranked: list[Sequence[tuple]] = [()] * len(items)
    speakers = _speakers(items)
    rules_only = 0
    for held_out in range(folds):
        train = [i for i, f in enumerate(fold) if f != held_out]
        test = [i for i, f in enumerate(fold) if f == held_out]
        taught = [examples[i] for i in train]
        codes = codebook.code_keys() if min_codings is None else _learnable(taught, min_codings)
        try:
            model: LearnedModel | None = LearnedModel.train(taught, [docs[i] for i in train], codes)
        except InputError:
            if min_codings is None:
                raise
            model, rules_only = None, rules_only + 1
        started = time.perf_counter()
        for i, found in zip(
            test,
            suggester.learning_from(model).suggest_docs(
                [docs[i] for i in test], [speakers[i] for i in test]
            ),
            strict=True,
        ):
            ranked[i] = found
        seconds += time.perf_counter() - started
    name = _("{suggester}+learned ({folds}-voudige kruisvalidatie)").format(
        suggester=suggester.id, folds=folds
    )
    result = _result(items, codebook, name, ranked, seconds, k, threshold, baseline)
    return replace(result, rules_only_folds=rules_only)


def format_report(evaluation: Evaluation) -> str:
    """A plain-text table for the terminal."""
    s, b = evaluation.scores, evaluation.baseline
    lines = [
        _("{n} teksten, suggester {suggester}, drempel {threshold}, k = {k}").format(
            n=evaluation.items,
            suggester=evaluation.suggester,
            threshold=evaluation.threshold,
            k=evaluation.k,
        ),
        "",
        f"{'code':<26}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}",
    ]
    for c in sorted(s.per_code, key=lambda c: (-c.support, c.code_key)):
        lines.append(
            f"{c.code_key:<26}{c.support:>6}{c.predicted:>6}"
            f"{c.precision:>8.2f}{c.recall:>8.2f}{c.f1:>8.2f}"
        )
    lines += [
        "",
        f"{'':<26}{'kwali':>10}{'baseline':>10}",
        f"{'micro precision':<26}{s.micro_precision:>10.3f}{b.micro_precision:>10.3f}",
        f"{'micro recall':<26}{s.micro_recall:>10.3f}{b.micro_recall:>10.3f}",
        f"{'micro F1':<26}{s.micro_f1:>10.3f}{b.micro_f1:>10.3f}",
        f"{'macro F1':<26}{s.macro_f1:>10.3f}{b.macro_f1:>10.3f}",
        f"{f'recall@{evaluation.k}':<26}{s.recall_at_k:>10.3f}{b.recall_at_k:>10.3f}",
    ]
    if evaluation.calibration is not None and evaluation.calibration.bins:
        lines += ["", *calibration_lines(evaluation.calibration)]
    if evaluation.rules_only_folds:
        lines.append(
            ngettext(
                "{n} deel had te weinig coderingen om van te leren: daar telden de regels alleen.",
                "{n} delen hadden te weinig coderingen om van te leren: daar telden de regels "
                "alleen.",
                evaluation.rules_only_folds,
            ).format(n=evaluation.rules_only_folds)
        )
    if evaluation.unknown_labels:
        listed = ", ".join(f"{k} ({n})" for k, n in evaluation.unknown_labels.items())
        lines += [
            "",
            _("Labels die niet in het codeboek staan, buiten de scores gelaten: {labels}").format(
                labels=listed
            ),
        ]
    if evaluation.seconds:
        lines.append(
            _("Suggereren duurde {seconds} s ({rate} teksten/s).").format(
                seconds=f"{evaluation.seconds:.2f}",
                rate=f"{evaluation.items / evaluation.seconds:,.0f}",
            )
        )
    return "\n".join(lines)


def calibration_lines(table: Calibration) -> list[str]:
    """The calibration table: per score bin, how many suggestions and how often right."""
    band, mean, right = _("score"), _("gem."), _("goed")
    lines = [
        _(
            "Kalibratie (suggesties vanaf de drempel): score, aantal, gemiddelde score, aandeel goed"
        ),
        f"{'':<4}{band:<12}{'n':>6}{mean:>8}{right:>8}",
    ]
    for b in table.bins:
        # bins of 0.1: the label is the bin's range, e.g. 0.80–0.90
        scores = f"{b.low:.2f}–{min(1.0, b.low + 0.1):.2f}"
        lines.append(f"{'':<4}{scores:<12}{b.count:>6}{b.mean_score:>8.2f}{b.share_right:>8.2f}")
    lines.append(
        _("Verwachte kalibratiefout (ECE): {error}").format(error=f"{table.expected_error:.3f}")
    )
    return lines
