"""The offline Dutch pipeline, and the fallback when a trained one is asked for but missing."""

from __future__ import annotations

import pytest

from kwali.nlp import make_nlp, stem


def test_blank_dutch_pipeline_lemmatises_and_stems_offline(nlp):
    doc = nlp("De klanten werden gekort op hun uitkeringen.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["klanten"] == "klant"
    assert lemmas["gekort"] == "korten"
    assert lemmas["uitkeringen"] == "uitkering"
    assert doc[1]._.stem == stem("klanten") == "klant"
    assert [s.text for s in nlp("Ik moest. Het was zwaar!").sents] == [
        "Ik moest.",
        "Het was zwaar!",
    ]


def test_missing_trained_pipeline_falls_back_with_a_warning():
    with pytest.warns(UserWarning, match="nl_core_news_xx_missing.*niet geïnstalleerd"):
        nlp = make_nlp("nl_core_news_xx_missing")
    assert nlp.lang == "nl" and nlp.has_pipe("sentencizer")
