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
from dataclasses import dataclass, field
from typing import Protocol

from spacy.language import Language

from kwali.errors import InputError
from kwali.i18n import _
from kwali.model import Codebook
from kwali.tagging.gold import GoldItem, gold_sets
from kwali.tagging.learned import Example, LearnedModel, learn
from kwali.tagging.scoring import Scores, score
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

    def suggest_texts(self, texts: Sequence[str]) -> Sequence[Sequence[tuple]]: ...


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

    def suggest_texts(self, texts: Sequence[str]) -> list[list[tuple[str, float, tuple]]]:
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
    ranked = suggester.suggest_texts([item.text for item in items])
    seconds = time.perf_counter() - started
    return _result(items, codebook, _name(suggester), ranked, seconds, k, threshold, baseline)


def _examples(items: Sequence[GoldItem], codebook: Codebook) -> list[Example]:
    gold, _unknown = gold_sets(items, codebook)
    return [Example(item.text, frozenset(labels)) for item, labels in zip(items, gold, strict=True)]


def train_model(items: Sequence[GoldItem], codebook: Codebook, nlp: Language) -> LearnedModel:
    """A model learned from labelled texts, as if a coder had confirmed those labels."""
    return learn(_examples(items, codebook), nlp, codebook)


def fold_of(items: Sequence[GoldItem], folds: int) -> list[int]:
    """Which fold each item is held out in: a fixed shuffle, so a run can be repeated."""
    order = list(range(len(items)))
    random.Random(FOLD_SEED).shuffle(order)
    fold = [0] * len(items)
    for position, index in enumerate(order):
        fold[index] = position % folds
    return fold


def cross_validate(
    items: Sequence[GoldItem],
    codebook: Codebook,
    suggester: Suggester,
    *,
    folds: int = 5,
    k: int = 3,
    threshold: float = 0.5,
    baseline: TextSuggester | None = None,
) -> Evaluation:
    """Score the rules plus learning when a team has already coded part of its texts.

    The items are split into ``folds`` parts; each part is suggested for by the rules plus a
    model learned from the other parts, so no text is ever scored by a model that saw it.
    """
    if not 2 <= folds <= len(items):
        raise InputError(
            _("kan {n} teksten niet in {folds} delen splitsen").format(n=len(items), folds=folds)
        )
    fold = fold_of(items, folds)
    examples = _examples(items, codebook)
    started = time.perf_counter()
    # Each text is parsed once, then serves as training in every fold but its own.
    docs = list(suggester.nlp.pipe((item.text for item in items), batch_size=suggester.batch_size))
    seconds = time.perf_counter() - started
    ranked: list[Sequence[tuple]] = [()] * len(items)
    for held_out in range(folds):
        train = [i for i, f in enumerate(fold) if f != held_out]
        test = [i for i, f in enumerate(fold) if f == held_out]
        model = LearnedModel.train(
            [examples[i] for i in train], [docs[i] for i in train], codebook.code_keys()
        )
        started = time.perf_counter()
        for i, found in zip(
            test, suggester.learning_from(model).suggest_docs([docs[i] for i in test]), strict=True
        ):
            ranked[i] = found
        seconds += time.perf_counter() - started
    name = _("{suggester}+learned ({folds}-voudige kruisvalidatie)").format(
        suggester=suggester.id, folds=folds
    )
    return _result(items, codebook, name, ranked, seconds, k, threshold, baseline)


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
