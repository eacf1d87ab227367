"""The built-in pipeline's sentence splitting on token arrays gives spaCy's sentences exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwali.nlp import make_nlp
from kwali.nlp.pipeline import lemmatized
from kwali.nlp.segment import _blank_sentence_spans

ROOT = Path(__file__).resolve().parents[1]

TRICKY = [
    "Ja. (lacht) Ik weet het niet.",
    'Hij zei: "Nee." En toen ging ik weg!! Echt?',
    "Ik dacht het al. Toen... nou ja. (stilte) 'Wat?' vroeg ze.",
    "Dank u. Nou, dat is het.  ",
    "... ?! (",
    "Het kost € 12,50. Dat is 3 p.m. of zo (ongeveer).",
    "„Ja”, zei hij. «Nee» zei zij. [naam] zegt: (ja).",
]


def _spacy_spans(nlp, text):
    spans = []
    for sent in nlp(text).sents:
        local = sent.text
        stripped = local.strip()
        if stripped:
            start = sent.start_char + len(local) - len(local.lstrip())
            spans.append((start, start + len(stripped)))
    return spans


def _texts() -> list[str]:
    texts = list(TRICKY)
    for path in sorted((ROOT / "transcripts").glob("*.txt")):
        texts += [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    return texts


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


def test_sentences_on_arrays_are_spacys(nlp):
    texts = _texts()
    with nlp.select_pipes(enable=["sentencizer", "kwali_sentence_openers"]):
        expected = [_spacy_spans(nlp, t) for t in texts]
    assert list(_blank_sentence_spans(nlp, texts)) == expected


def test_lemmas_by_word_form_are_the_pipelines(nlp):
    texts = _texts()
    full = list(nlp.pipe(texts))
    fast = list(lemmatized(nlp, texts))
    assert [[t.lemma_ for t in d] for d in fast] == [[t.lemma_ for t in d] for d in full]
    assert [[t.text for t in d] for d in fast] == [[t.text for t in d] for d in full]
