"""Learn from confirmed codings: how *this* team uses its codes, beyond the codebook's words.

The rules know what the codebook says. Codings a researcher confirmed say more: which words
go with which code in these interviews, and how often each code is used at all. This module
fits one logistic regression per code over the lemmas and stems of coded texts (scikit-learn),
and explains each prediction by the words in the text that pushed it up most.

Nothing is stored: the model is fitted again from the project's codings when it is asked for
(seconds, even for thousands of codings), so there is no model file to keep, ship or trust.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from kwali.errors import InputError
from kwali.i18n import _
from kwali.model import LEARNED_KIND, Codebook, Evidence
from kwali.nlp import stem

# A code needs this many positive examples before a model of it says anything.
MIN_POSITIVES = 3
# ... and this many confirmed codings (not sentences: one long coding spans several) before
# a model learned from a project suggests it: kwali.model.MIN_CODINGS.
# Texts without any code teach what is *not* coded; beyond this many per coded text they
# add training time, not much knowledge. Which ones are kept is fixed, so a run repeats.
MAX_UNCODED_PER_CODED = 5
# A learned probability under this is left out: it would rank a code without any reason
# a coder could see.
MIN_PROBABILITY = 0.05
# How many words explain a learned suggestion.
EVIDENCE_WORDS = 3
# Inverse regularisation strength; a few hundred texts are little data, so keep it modest.
REGULARISATION_C = 4.0


@dataclass(frozen=True, slots=True)
class Example:
    """A text and the codes a person confirmed for it (possibly none)."""

    text: str
    codes: frozenset[str]


def token_features(doc: Doc) -> list[tuple[int, str]]:
    """(token index, feature) pairs: each content word's lemma and its Snowball stem.

    Stop words are left out: they score about as well, but "de" or "ik" would then explain
    a suggestion to a coder. So are words in square brackets, the transcriber's placeholders
    and notes ("[naam activeringscoach]", "[lacht]"): they are not what the respondent said.
    """
    out = []
    bracketed = 0
    for token in doc:
        if token.text == "[":
            bracketed += 1
        elif token.text == "]":
            bracketed = max(0, bracketed - 1)
        if bracketed or not token.is_alpha or len(token) < 2 or token.is_stop:
            continue
        out.append((token.i, token.lemma_.lower()))
        # what the pipeline's kwali_stemmer sets; docs made for matching alone lack it
        if stemmed := stem(token.lower_):
            out.append((token.i, "~" + stemmed))
    return out


def _feature_names(features: list[tuple[int, str]]) -> list[str]:
    return [feature for _index, feature in features]


def fingerprint(examples: Iterable[Example]) -> str:
    """A short hash of the training data: a changed set of codings makes a new model."""
    digest = hashlib.sha256()
    for example in sorted(examples, key=lambda e: (e.text, sorted(e.codes))):
        digest.update(example.text.encode("utf-8"))
        digest.update(b"\x1f" + "\x1e".join(sorted(example.codes)).encode("utf-8") + b"\x1d")
    return digest.hexdigest()[:8]


def _keep_uncoded(examples: Sequence[Example]) -> list[int]:
    """Indexes to train on: every coded text, and an even spread of uncoded ones."""
    coded = [i for i, e in enumerate(examples) if e.codes]
    uncoded = [i for i, e in enumerate(examples) if not e.codes]
    limit = max(len(coded), 1) * MAX_UNCODED_PER_CODED
    if len(uncoded) > limit:
        step = len(uncoded) / limit
        uncoded = [uncoded[int(n * step)] for n in range(limit)]
    return sorted(coded + uncoded)


class LearnedModel:
    """One logistic regression per code, on TF-IDF weighted lemmas and stems.

    Build it with :meth:`train`; :meth:`predict` gives, per text, each code's probability
    and the words that explain it.
    """

    def __init__(
        self, vectorizer, models: dict, examples: int, codings: int, fingerprint: str
    ) -> None:
        self.vectorizer = vectorizer
        self.models = models  # code key -> fitted LogisticRegression
        self.examples = examples
        self.codings = codings
        self.fingerprint = fingerprint
        self._vocabulary: dict[str, int] = vectorizer.vocabulary_

    @property
    def codes(self) -> list[str]:
        return sorted(self.models)

    @classmethod
    def train(
        cls, examples: Sequence[Example], docs: Sequence[Doc], codes: Iterable[str]
    ) -> LearnedModel:
        """Fit a model for every code with at least :data:`MIN_POSITIVES` examples.

        ``docs`` are the examples' texts run through the NLP pipeline, in the same order.
        Raises :class:`InputError` when no code has enough examples to learn from.
        """
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        if len(examples) != len(docs):
            raise ValueError("one doc per example")
        keep = _keep_uncoded(examples)
        wanted = set(codes)
        positives = {code: sum(1 for i in keep if code in examples[i].codes) for code in wanted}
        learnable = sorted(c for c, n in positives.items() if n >= MIN_POSITIVES and n < len(keep))
        if not learnable:
            raise InputError(
                _(
                    "te weinig bevestigde coderingen om van te leren: geen code heeft er {n} of meer"
                ).format(n=MIN_POSITIVES)
            )
        vectorizer = TfidfVectorizer(analyzer=_feature_names, sublinear_tf=True)
        matrix = vectorizer.fit_transform([token_features(docs[i]) for i in keep])
        models = {}
        for code in learnable:
            target = np.array([code in examples[i].codes for i in keep], dtype=int)
            model = LogisticRegression(C=REGULARISATION_C, max_iter=2000)
            models[code] = model.fit(matrix, target)
        codings = sum(len(examples[i].codes & wanted) for i in keep)
        return cls(vectorizer, models, len(keep), codings, fingerprint(examples))

    def predict(self, docs: Sequence[Doc]) -> list[dict[str, tuple[float, tuple[Evidence, ...]]]]:
        """Per doc: code -> (probability, the words that raised it most), for codes whose
        probability is at least :data:`MIN_PROBABILITY` and that some word in the text supports.
        """
        if not docs:
            return []
        # Walking a doc's tokens is the slow part: once per doc, for the matrix and the reasons.
        features = [token_features(doc) for doc in docs]
        matrix = self.vectorizer.transform(features).tocsr()
        probabilities = {
            code: model.predict_proba(matrix)[:, 1] for code, model in self.models.items()
        }
        out = []
        for row, doc in enumerate(docs):
            first, last = matrix.indptr[row], matrix.indptr[row + 1]
            value = dict(
                zip(
                    matrix.indices[first:last].tolist(),
                    matrix.data[first:last].tolist(),
                    strict=True,
                )
            )
            # (token index, matrix column, tf-idf weight) of every known feature in the text
            present = [
                (i, column, value[column])
                for i, feature in features[row]
                if (column := self._vocabulary.get(feature)) is not None and column in value
            ]
            found: dict[str, tuple[float, tuple[Evidence, ...]]] = {}
            for code, model in self.models.items():
                p = float(probabilities[code][row])
                if p < MIN_PROBABILITY:
                    continue
                evidence = self._explain(doc, present, model.coef_[0])
                if evidence:
                    found[code] = (round(p, 4), evidence)
            out.append(found)
        return out

    @staticmethod
    def _explain(
        doc: Doc, present: list[tuple[int, int, float]], coef: np.ndarray
    ) -> tuple[Evidence, ...]:
        """The words whose lemma and stem add most to the code's log-odds in this text."""
        push: dict[int, float] = {}
        for index, column, weight in present:
            push[index] = push.get(index, 0.0) + float(coef[column]) * weight
        best = sorted((i for i, w in push.items() if w > 0), key=lambda i: (-push[i], i))
        chosen, seen = [], set()
        for i in best:
            lemma = doc[i].lemma_.lower()
            if lemma in seen:
                continue
            seen.add(lemma)
            token = doc[i]
            chosen.append(
                Evidence(
                    token.idx,
                    token.idx + len(token.text),
                    token.text,
                    f"{LEARNED_KIND}:{lemma}",
                    round(push[i], 4),
                )
            )
            if len(chosen) == EVIDENCE_WORDS:
                break
        return tuple(sorted(chosen, key=lambda e: e.start))


def enough_codings(counts: Mapping[str, int], minimum: int) -> tuple[list[str], dict[str, int]]:
    """(codes with at least ``minimum`` codings, {code: codings} of those with fewer but some).

    Codes nobody used are in neither: they are not "too few", just not part of the study yet.
    """
    enough = sorted(code for code, n in counts.items() if n >= minimum)
    too_few = {code: n for code, n in sorted(counts.items()) if 0 < n < minimum}
    return enough, too_few


def learn(examples: Sequence[Example], nlp: Language, codebook: Codebook) -> LearnedModel:
    """Parse the examples with ``nlp`` and fit a model for the codebook's codes."""
    docs = list(nlp.pipe(e.text for e in examples))
    return LearnedModel.train(examples, docs, codebook.code_keys())
