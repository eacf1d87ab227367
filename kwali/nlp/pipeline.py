"""Build the Dutch spaCy pipeline kwali uses.

By default: ``spacy.blank("nl")`` + sentencizer + lookup lemmatizer (tables from
spacy-lookups-data, read from disk) + a component that sets ``token._.stem`` with nltk's
Dutch Snowball stemmer. Nothing is downloaded. A trained ``nl_core_news_*`` pipeline is
used when the user asks for it and it is installed; otherwise we fall back with a warning.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import spacy
from nltk.stem.snowball import DutchStemmer
from spacy.language import Language
from spacy.tokens import Token

_stemmer = DutchStemmer()

if not Token.has_extension("stem"):
    Token.set_extension("stem", default="")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of a lower-cased word (cached: transcripts repeat words a lot)."""
    return _stemmer.stem(word.lower())


@Language.component("kwali_stemmer")
def _stem_component(doc):  # type: ignore[no-untyped-def]
    for token in doc:
        if token.is_alpha:
            token._.stem = stem(token.lower_)
    return doc


_OPENERS = frozenset('("[\'‘“„«')


@Language.component("kwali_sentence_openers")
def _sentence_openers(doc):  # type: ignore[no-untyped-def]
    """Start a sentence at its opening bracket or quote, not one token later.

    The sentencizer keeps every punctuation token after a full stop in the old sentence,
    so ``Ja. (lacht) Ik`` became ``Ja. (`` + ``lacht) Ik``. An opener that has a space
    before it and none after it belongs to what follows.
    """
    for token in doc[1:]:
        if not token.is_sent_start:
            continue
        i = token.i
        while i > 1 and doc[i - 1].text in _OPENERS and not doc[i - 1].whitespace_ and doc[i - 2].whitespace_:
            i -= 1
        if i != token.i:
            doc[i].is_sent_start = True
            for moved in doc[i + 1 : token.i + 1]:
                moved.is_sent_start = False
    return doc


# Words that spaCy's Dutch exceptions list as abbreviations ("al." alinea, "u." uur,
# "best." bestuur, "ex." exemplaar ...) but that end spoken sentences all the time.
_SPOKEN_WORDS = frozenset(
    "al dat me u kon pas best bel hand ver top ex gem mand pan not gen".split()
)


def _drop_word_abbreviations(nlp: Language) -> None:
    """Let "Ik dacht het al. Toen..." and "Dank u. Nou..." split into two sentences."""
    rules = nlp.tokenizer.rules or {}
    nlp.tokenizer.rules = {
        key: value for key, value in rules.items() if not (key.endswith(".") and key[:-1] in _SPOKEN_WORDS)
    }


def _blank_pipeline() -> Language:
    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kwali_sentence_openers")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("kwali_stemmer")
    nlp.initialize()
    _drop_word_abbreviations(nlp)
    return nlp


@lru_cache(maxsize=4)
def make_nlp(model: str | None = None) -> Language:
    """Return the pipeline; ``model`` names a trained pipeline such as ``nl_core_news_sm``.

    The result is cached: building it costs about half a second.
    """
    if model:
        try:
            nlp = spacy.load(model, exclude=["ner"])
        except (OSError, ImportError) as exc:
            warnings.warn(
                f"spaCy pipeline {model!r} is not installed ({exc.__class__.__name__}); "
                "using the built-in Dutch pipeline instead",
                stacklevel=2,
            )
        else:
            if "kwali_stemmer" not in nlp.pipe_names:
                nlp.add_pipe("kwali_stemmer", last=True)
            if not nlp.has_pipe("parser") and not nlp.has_pipe("senter"):
                nlp.add_pipe("sentencizer", first=True)
                nlp.add_pipe("kwali_sentence_openers", after="sentencizer")
            return nlp
    return _blank_pipeline()


def pipeline_name(nlp: Language) -> str:
    """A short, versioned name of a pipeline, stored with segments and suggestions."""
    meta = nlp.meta
    return f"{meta.get('lang', 'nl')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"
