"""Build the Dutch spaCy pipeline kwali uses.

By default: ``spacy.blank("nl")`` + sentencizer + lookup lemmatizer (tables from
spacy-lookups-data, read from disk) + a component that fills the table's gaps for Dutch verb
forms (*moest*, *gezet*, *werkt*) + a component that sets ``token._.stem`` with nltk's
Dutch Snowball stemmer. Nothing is downloaded. A trained ``nl_core_news_*`` pipeline is
used when the user asks for it and it is installed; otherwise we fall back with a warning.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Token

from kwali.i18n import _

if not Token.has_extension("stem"):
    Token.set_extension("stem", default="")


@lru_cache(maxsize=1)
def _snowball() -> Any:
    """nltk's Dutch Snowball stemmer, imported on the first word to stem: importing it loads
    all of nltk (seconds), which segmenting and the commands that do not stem never need."""
    from nltk.stem.snowball import DutchStemmer

    return DutchStemmer()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of a lower-cased word (cached: transcripts repeat words a lot)."""
    return str(_snowball().stem(word.lower()))


@Language.component("kwali_stemmer")
def _stem_component(doc: Doc) -> Doc:
    for token in doc:
        if token.is_alpha:
            token._.stem = stem(token.lower_)
    return doc


OPENERS = frozenset("(\"['‘“„«")


@Language.component("kwali_sentence_openers")
def _sentence_openers(doc: Doc) -> Doc:
    """Start a sentence at its opening bracket or quote, not one token later.

    The sentencizer keeps every punctuation token after a full stop in the old sentence,
    so ``Ja. (lacht) Ik`` became ``Ja. (`` + ``lacht) Ik``. An opener that has a space
    before it and none after it belongs to what follows.
    """
    for token in doc[1:]:
        if not token.is_sent_start:
            continue
        i = token.i
        while (
            i > 1
            and doc[i - 1].text in OPENERS
            and not doc[i - 1].whitespace_
            and doc[i - 2].whitespace_
        ):
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
    # spaCy's Tokenizer is a Cython class without stubs; its typed view is a bare Callable.
    tokenizer: Any = nlp.tokenizer
    rules = tokenizer.rules or {}
    tokenizer.rules = {
        key: value
        for key, value in rules.items()
        if not (key.endswith(".") and key[:-1] in _SPOKEN_WORDS)
    }


# Forms of common strong and irregular Dutch verbs that the lookup table lacks or leaves as
# they are ("moest", "zat", "gezet"), so lemma signals such as ``zetten`` find them too. Each
# line: infinitive, then its irregular forms. General Dutch grammar, not any study's wording.
_IRREGULAR_VERBS = """
moeten moet moest moesten gemoeten
zijn ben bent is was waren geweest
hebben heb hebt heeft had hadden gehad
kunnen kan kunt kon konden gekund
willen wil wilt wilde wou wilden wouden gewild
zullen zal zult zou zouden
mogen mag mocht mochten gemogen
gaan ga gaat ging gingen gegaan
staan sta staat stond stonden gestaan
slaan sla slaat sloeg sloegen geslagen
doen doe doet deed deden gedaan
zien zie ziet zag zagen gezien
komen kom komt kwam kwamen gekomen
krijgen kreeg kregen gekregen
zoeken zocht zochten gezocht
kopen kocht kochten gekocht
brengen bracht brachten gebracht
denken dacht dachten gedacht
vinden vond vonden gevonden
zitten zit zat zaten gezeten
liggen lag lagen gelegen
geven gaf gaven gegeven
nemen nam namen genomen
spreken sprak spraken gesproken
schrijven schreef schreven geschreven
blijven bleef bleven gebleven
beginnen begon begonnen
helpen hielp hielpen geholpen
houden hield hielden gehouden
vallen viel vielen gevallen
laten liet lieten gelaten
lopen liep liepen gelopen
roepen riep riepen geroepen
weten weet wist wisten geweten
zeggen zei zeiden gezegd
vragen vroeg vroegen gevraagd
zetten zet zette zetten gezet
dwingen dwong dwongen gedwongen
kiezen koos kozen gekozen
verliezen verloor verloren
bieden bood boden geboden
begrijpen begreep begrepen
krijgen kreeg kregen gekregen
wijzen wees wezen gewezen
verwijzen verwees verwezen
trekken trok trokken getrokken
sluiten sloot sloten gesloten
springen sprong sprongen gesprongen
vechten vocht vochten gevochten
verdwijnen verdween verdwenen
verdienen verdiende verdienden verdiend
verbieden verbood verboden
dragen droeg droegen gedragen
eten at aten gegeten
drinken dronk dronken gedronken
lezen las lazen gelezen
rijden reed reden gereden
slapen sliep sliepen geslapen
sterven stierf stierven gestorven
worden word wordt werd werden geworden
werpen wierp wierpen geworpen
zwijgen zweeg zwegen gezwegen
kijken keek keken gekeken
lijken leek leken geleken
blijken bleek bleken gebleken
hangen hing hingen gehangen
vangen ving vingen gevangen
""".strip().splitlines()
IRREGULAR_LEMMAS: dict[str, str] = {
    form: line.split()[0] for line in _IRREGULAR_VERBS for form in line.split()[1:]
}
# Separable prefixes, so "opgelegd" is found as op + gelegd -> opleggen.
_SEPARABLE = (
    "aan",
    "af",
    "bij",
    "door",
    "in",
    "mee",
    "na",
    "om",
    "op",
    "over",
    "terug",
    "toe",
    "uit",
    "voor",
    "weg",
    "samen",
    "vast",
    "los",
    "terecht",
)


def _infinitives(stem_: str) -> list[str]:
    """Infinitives a verb stem may come from, likeliest first: werk -> werken, zet -> zetten,
    maak -> maken, leef -> leven."""
    if len(stem_) < 2:
        return []
    vowels = "aeiouy"
    last, out = stem_[-1], []
    voiced = stem_[:-1] + {"f": "v", "s": "z"}.get(last, last)
    if len(stem_) >= 3 and stem_[-2] == stem_[-3] and stem_[-2] in "aeou" and last not in vowels:
        short = stem_[:-2] + last  # a long vowel loses its second letter in an open syllable
        out += [short + "en", short[:-1] + voiced[-1] + "en"]
    if last not in vowels and stem_[-2] in vowels and (len(stem_) == 2 or stem_[-3] not in vowels):
        out.append(stem_ + last + "en")  # short vowel: the consonant doubles
    out += [stem_ + "en", voiced + "en"]
    return out


def verb_lemma(word: str, known: frozenset[str] | set[str]) -> str | None:
    """The infinitive of a regular verb form the lookup table missed, if ``known`` has it.

    Tried in order: an irregular form; a participle (ge-...-d/t, also after a separable
    prefix); a past tense (-de/-te/-den/-ten); a present tense (-t, or the bare stem).
    Only candidates that are known lemmas count, so nouns like *kracht* stay as they are.
    """
    if word in IRREGULAR_LEMMAS:
        return IRREGULAR_LEMMAS[word]
    stems: list[str] = []
    prefix = ""
    body = word
    for sep in _SEPARABLE:
        if word.startswith(sep + "ge") and len(word) > len(sep) + 4:
            prefix, body = sep, word[len(sep) :]
            break
    if body.startswith("ge") and body[-1] in "dt" and len(body) > 4:
        core = body[2:]
        stems += [core[:-1], core]
        if prefix:
            irregular = IRREGULAR_LEMMAS.get(body)
            if irregular:
                return prefix + irregular if prefix + irregular in known else None
    elif not prefix:
        for ending in ("den", "ten", "de", "te"):
            if word.endswith(ending) and len(word) > len(ending) + 2:
                stems.append(word[: -len(ending)])
                break
        if word.endswith("t") and len(word) > 3:
            stems.append(word[:-1])
        stems.append(word)
    for candidate_stem in stems:
        for infinitive in _infinitives(candidate_stem):
            if prefix + infinitive in known and prefix + infinitive != word:
                return prefix + infinitive
    return None


def _lemma_table(nlp: Language) -> dict[str, str] | None:
    """The lookup lemmatizer's table, or None when the pipeline has none."""
    try:
        lemmatizer = nlp.get_pipe("lemmatizer")
        if not isinstance(lemmatizer, Lemmatizer):
            raise AttributeError("the lemmatizer has no lookup tables")
        return lemmatizer.lookups.get_table("lemma_lookup")
    except (KeyError, AttributeError, ValueError):
        return None


def _fills_gap(
    lower: str, is_alpha: bool, is_stop: bool, lemma: str, known: frozenset[str]
) -> bool:
    """Whether the verb-lemma component looks ``lower`` up: the lookup lemmatizer returns the
    word itself when it does not know it."""
    return not (
        len(lower) < 3
        or not is_alpha
        or is_stop
        and lower not in IRREGULAR_LEMMAS
        or lemma.lower() != lower
        or lower in known
        and lower not in IRREGULAR_LEMMAS
    )


@Language.factory("kwali_verb_lemmas")
def _make_verb_lemmas(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Fill lemma gaps of the lookup lemmatizer for Dutch verb forms (after it in the pipe)."""
    table = _lemma_table(nlp)
    known = frozenset(table.values()) if table is not None else frozenset()
    cache: dict[str, str | None] = {}

    def component(doc: Doc) -> Doc:
        for token in doc:
            lower = token.lower_
            if not _fills_gap(lower, token.is_alpha, token.is_stop, token.lemma_, known):
                continue
            if lower not in cache:
                cache[lower] = verb_lemma(lower, known)
            if lemma := cache[lower]:
                token.lemma_ = lemma
        return doc

    return component


# The components of the built-in pipeline, in order; :func:`lemmatized` stands in for them.
BLANK_PIPES = (
    "sentencizer",
    "kwali_sentence_openers",
    "lemmatizer",
    "kwali_verb_lemmas",
    "kwali_stemmer",
)


class _Lemmas:
    """The built-in pipeline's lemma of each word form (ORTH), worked out once per form.

    On that pipeline a token's lemma depends on its text alone (a lookup table and the verb
    rules above), so a transcript's few thousand distinct words are lemmatized once instead
    of every token through three Python components.
    """

    def __init__(self, nlp: Language) -> None:
        table = _lemma_table(nlp)
        self.table: dict[str, str] = table if table is not None else {}
        self.known = frozenset(self.table.values())
        self.vocab = nlp.vocab
        self.by_orth: dict[int, int] = {}

    def lemma(self, orth: int) -> int:
        lexeme = self.vocab[orth]
        lower = lexeme.orth_.lower()  # the Dutch lookup lemmatizer's key (not NORM)
        lemma = self.table.get(lower, lower)
        if _fills_gap(lexeme.lower_, lexeme.is_alpha, lexeme.is_stop, lemma, self.known):
            lemma = verb_lemma(lexeme.lower_, self.known) or lemma
        value = self.vocab.strings.add(lemma)
        self.by_orth[orth] = value
        return value


_lemmas: dict[int, _Lemmas] = {}


def lemmatized(nlp: Language, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
    """Docs with what a suggester reads (tokens and their lemmas), as ``nlp.pipe`` makes them.

    On the built-in pipeline the tokenizer runs alone and each word form's lemma is set from
    :class:`_Lemmas`; no sentence boundaries and no ``_.stem`` (use :func:`stem`). Any other
    pipeline (a trained one: its lemmas depend on context) runs whole.
    """
    if tuple(nlp.pipe_names) != BLANK_PIPES:
        yield from nlp.pipe(texts, batch_size=batch_size)
        return
    lemmas = _lemmas.get(id(nlp))
    if lemmas is None or lemmas.vocab is not nlp.vocab:
        lemmas = _lemmas[id(nlp)] = _Lemmas(nlp)
    known = lemmas.by_orth
    for text in texts:
        doc = nlp.make_doc(text)
        if len(doc):
            values = [
                known[o] if o in known else lemmas.lemma(o) for o in doc.to_array("ORTH").tolist()
            ]
            doc.from_array(["LEMMA"], numpy.array(values, dtype=numpy.uint64).reshape(-1, 1))  # type: ignore[arg-type]
        yield doc


def _blank_pipeline() -> Language:
    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kwali_sentence_openers")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("kwali_stemmer")
    nlp.initialize()
    # Added after initialize: it reads the lookup table the lemmatizer has just loaded.
    nlp.add_pipe("kwali_verb_lemmas", after="lemmatizer")
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
                _(
                    "spaCy-pijplijn {model!r} is niet geïnstalleerd ({why}); de ingebouwde "
                    "Nederlandse pijplijn wordt gebruikt"
                ).format(model=model, why=exc.__class__.__name__),
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
