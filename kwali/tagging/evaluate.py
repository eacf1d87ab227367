"""Measure a suggester against labelled texts: per-code P/R/F1, micro/macro, recall@k.

Pure functions over plain data, so researchers can score kwali on their own labelled quotes
and compare it with what a keyword search on code labels would have found.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from spacy.language import Language

from kwali.errors import InputError
from kwali.model import Codebook
from kwali.tagging.learned import Example, LearnedModel, learn
from kwali.tagging.suggest import Suggester

# Words too common to stand for a code when a label is searched word by word.
_LABEL_STOP = {
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


@dataclass(frozen=True, slots=True)
class GoldItem:
    text: str
    themes: tuple[str, ...]
    line: int


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


class TextSuggester(Protocol):
    """Anything that ranks codes for texts: ``[(code_key, score, evidence), ...]`` per text."""

    def suggest_texts(self, texts: Sequence[str]) -> Sequence[Sequence[tuple]]: ...


def load_gold(path: str | Path) -> list[GoldItem]:
    """Read JSON Lines with ``text`` and ``themes``; other fields are ignored."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text", path=path) from None
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {number}: not valid JSON ({exc.msg})", path=path) from None
        if not isinstance(record, dict):
            raise InputError(
                f"line {number}: expected an object with 'text' and 'themes'", path=path
            )
        text, themes = record.get("text"), record.get("themes", [])
        if not isinstance(text, str):
            raise InputError(f"line {number}: 'text' is missing or not a string", path=path)
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            raise InputError(f"line {number}: 'themes' must be a list of code keys", path=path)
        items.append(GoldItem(text, tuple(dict.fromkeys(themes)), number))
    if not items:
        raise InputError("has no labelled texts", path=path)
    return items


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


def _gold_sets(
    items: Sequence[GoldItem], codebook: Codebook
) -> tuple[list[set[str]], dict[str, int]]:
    """Each item's labels that are codebook keys, and a count of the labels that are not."""
    known = set(codebook.keys())
    unknown: dict[str, int] = {}
    gold = []
    for item in items:
        labels = set()
        for label in item.themes:
            if label in known:
                labels.add(label)
            else:
                unknown[label] = unknown.get(label, 0) + 1
        gold.append(labels)
    return gold, dict(sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0])))


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
    gold, unknown = _gold_sets(items, codebook)
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
    gold, _ = _gold_sets(items, codebook)
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
        raise InputError(f"cannot split {len(items)} texts into {folds} folds")
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
    name = f"{suggester.id}+learned ({folds}-fold cross-validation)"
    return _result(items, codebook, name, ranked, seconds, k, threshold, baseline)


def format_report(evaluation: Evaluation) -> str:
    """A plain-text table for the terminal."""
    s, b = evaluation.scores, evaluation.baseline
    lines = [
        f"{evaluation.items} texts, suggester {evaluation.suggester}, "
        f"threshold {evaluation.threshold}, k = {evaluation.k}",
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
        lines += ["", f"Labels not in the codebook, left out of the scores: {listed}"]
    if evaluation.seconds:
        lines.append(
            f"Suggesting took {evaluation.seconds:.2f} s "
            f"({evaluation.items / evaluation.seconds:,.0f} texts/s)."
        )
    return "\n".join(lines)
