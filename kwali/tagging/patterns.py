"""Turn a codebook's signals into spaCy matchers.

Every signal becomes data for one of three matchers (STYLE §4: a rule component is data plus
matchers): single words go to a token ``Matcher`` (on LOWER, LEMMA, ``_.stem``, and a REGEX on
LOWER for compound parts), multi-word phrases to two ``PhraseMatcher``s (on LOWER, and on
LEMMA so "onder druk gezet" matches "onder druk zetten"). Optional regexes run on the text.

Phrase match ids are ``"<code>|<kind>"``; token-level matches are resolved to codes by
:meth:`CompiledPatterns.resolve`, so the suggester can say which word fired and why.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.lexeme import Lexeme
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Token

from kwali.model import Code, Codebook
from kwali.nlp import stem

# How much one piece of evidence says on its own. A phrase is the most specific signal;
# a stem may over-generalise (verplicht- also covers verplichting); a word from the code's
# definition only helps rank candidates and never makes a suggestion alone.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "name": 0.7,
    "phrase": 0.8,
    "regex": 0.7,
    "lemma": 0.6,
    "compound": 0.55,
    "stem": 0.5,
    "head": 0.5,
    "common": 0.55,
    "definition": 0.15,
    "related": 0.1,
    # Below a suggestion (0.5): who speaks ranks a code, it never suggests one alone.
    "speaker": 0.45,
}
KINDS = (
    "name",
    "lemma",
    "stem",
    "compound",
    "head",
    "phrase",
    "common",
    "regex",
    "definition",
    "related",
    "speaker",
    "exclude",
)
# Evidence that is lent by the codebook's prose or structure, not found as the code's own words:
# it orders candidates but must not lift one above a code named outright.
BORROWED_KINDS = frozenset({"definition", "related", "speaker"})
MIN_COMPOUND_PART = 4
MIN_AUTO_STEM = 5
# A word signal this long also counts as the head (last part) of a compound: the head carries
# a Dutch compound's meaning (bijstands|uitkering, keukentafel|gesprek). The modifier before it
# needs a few letters of its own, and short words are left out, because they end too many words.
MIN_AUTO_HEAD = 6
MIN_MODIFIER = 3
_HEAD_ENDINGS = ("", "s", "en", "n", "e", "es", "je", "jes", "tje", "tjes")
# Words long enough to be a modifier plus a head, found on the text (cheaper than tokens).
LONG_WORD = re.compile(rf"\w[\w\-']{{{MIN_AUTO_HEAD + MIN_MODIFIER - 1},}}")
# Endings a compound's head may carry: plural, diminutive, adjectival.
_INFLECTION = r"(?:s|e|en|n|es|er|ers|je|jes|tje|tjes)?"


# A token's token-level hits: (code, rule as "kind:signal", weight).
TokenHits = tuple[tuple[str, str, float], ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """What one match stands for: a code, the kind of signal, and its weight."""

    code: str
    kind: str
    weight: float


# Token-level kinds share one Matcher pattern each, over the words of all codes: a handful of
# patterns instead of one per code keeps matching fast (the stem is a Python extension
# attribute, read once per token per pattern). A match is then resolved to its codes by lookup.
TOKEN_KINDS = ("lemma", "stem", "compound", "definition")


@dataclass
class CompiledPatterns:
    """The matchers for one codebook, plus what is needed to explain their matches."""

    matcher: Matcher
    phrases_lower: PhraseMatcher
    phrases_lemma: PhraseMatcher
    regexes: list[tuple[re.Pattern[str], Rule]]
    rules: dict[int, Rule]
    weights: dict[str, float]
    # kind -> word (or stem) -> codes whose signal it is
    lookup: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    compound_res: dict[str, re.Pattern[str]] = field(default_factory=dict)
    compound_parts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # head word -> codes; found by :meth:`heads`, not by the Matcher
    head_words: dict[str, list[str]] = field(default_factory=dict)
    _head_cache: dict[str, str | None] = field(default_factory=dict, repr=False)
    # code -> the theme's own words (its key and label words that are its signals): a text
    # that names the theme outright is stronger evidence than any other single word
    name_words: dict[str, frozenset[str]] = field(default_factory=dict)
    # word signals that are function words (wil, moet): common in any talk, so weaker
    common_words: frozenset[str] = frozenset()
    pattern_count: int = 0
    # the kinds of TOKEN_KINDS with signals, in matcher order; the regex of every compound part
    token_kinds: tuple[str, ...] = ()
    compound_any: re.Pattern[str] | None = None
    _token_cache: dict[tuple[int, int], tuple[str, TokenHits] | None] = field(
        default_factory=dict, repr=False
    )

    def heads(self, word: str) -> list[tuple[Rule, str]]:
        """Codes whose word signal ends this compound, e.g. *bijstandsuitkering* -> uitkering.

        The longest head wins; a word that is itself a signal word is the lemma rule's job.
        """
        lower = word.lower()
        if len(lower) < MIN_AUTO_HEAD + MIN_MODIFIER or not self.head_words:
            return []
        if lower not in self._head_cache:  # transcripts repeat their words
            self._head_cache[lower] = self._find_head(lower)
        head = self._head_cache[lower]
        if not head:
            return []
        weight = self.weights.get("head", 0.0)
        return [(Rule(code, "head", weight), head) for code in self.head_words[head]]

    def _find_head(self, lower: str) -> str | None:
        for i in range(MIN_MODIFIER, len(lower) - MIN_AUTO_HEAD + 1):
            rest = lower[i:]
            candidates = [
                rest[: len(rest) - len(e)] if e else rest for e in _HEAD_ENDINGS if rest.endswith(e)
            ]
            if rest.endswith("en") and len(rest) > 4 and rest[-3] == rest[-4]:
                candidates.append(rest[:-3])  # gesprek -> gesprekken
            for head in candidates:
                if head in self.head_words:
                    return head
        return None

    def rule(self, match_id: int) -> Rule:
        return self.rules[match_id]

    def resolve(self, kind: str, token: Token) -> list[tuple[Rule, str]]:
        """The codes a token-level match belongs to, each with the signal that explains it."""
        return self._resolve(
            kind, token.lower_, token.lemma_, stem(token.lower_) if token.is_alpha else ""
        )

    def _resolve(self, kind: str, lower: str, lemma: str, stem_: str) -> list[tuple[Rule, str]]:
        weight = self.weights.get(kind, 0.0)
        if kind == "compound":
            out = []
            for code, regex in self.compound_res.items():
                # A code's regex needs one of its parts inside the word: a substring test
                # first spares the regex (it backtracks over every start) for most codes.
                hits = [p for p in self.compound_parts[code] if p in lower]
                if hits and regex.match(lower):
                    out.append((Rule(code, kind, weight), max(hits, key=len)))
            return out
        table = self.lookup.get(kind, {})
        keys = [stem_] if kind == "stem" else [lower, lemma.lower()]
        out, seen = [], set()
        for key in keys:
            for code in table.get(key, ()):
                if code not in seen:
                    seen.add(code)
                    out.append((self._specific(Rule(code, kind, weight), key), key))
        return out

    def token_matches(self, doc: Doc) -> list[tuple[int, int, str, TokenHits]]:
        """What the token-level signals find in ``doc``: (start, end, text, hits) per token
        with any, in text order; each hit is (code, rule, weight), in the order the matcher
        of :data:`TOKEN_KINDS` would give them (kind by kind, each resolved to its codes).

        The signals of a word depend on its form and lemma alone, so they are worked out once
        per distinct (form, lemma) and looked up for every token after that: matching a
        stem or a compound regex per token costs a Python call each.
        """
        if not self.token_kinds:
            return []
        cache = self._token_cache
        strings = doc.vocab.strings
        out = []
        for orth, lemma, idx in doc.to_array(["ORTH", "LEMMA", "IDX"]).tolist():
            key = (orth, lemma)
            if key in cache:
                found = cache[key]
            else:
                found = cache[key] = self._token_hits(doc.vocab[orth], strings[lemma])
            if found is not None:
                text, hits = found
                out.append((idx, idx + len(text), text, hits))
        return out

    def _token_hits(self, lexeme: Lexeme, lemma: str) -> tuple[str, TokenHits] | None:
        lower = lexeme.lower_
        stem_ = stem(lower) if lexeme.is_alpha else ""
        hits: list[tuple[str, str, float]] = []
        for kind in self.token_kinds:
            if kind == "lemma":
                fired = lower in self.lookup["lemma"] or lemma in self.lookup["lemma"]
            elif kind == "stem":
                fired = stem_ in self.lookup["stem"]
            elif kind == "compound":
                fired = self.compound_any is not None and bool(self.compound_any.search(lower))
            else:
                fired = lemma in self.lookup[kind]
            if fired:
                for rule, signal in self._resolve(kind, lower, lemma, stem_):
                    hits.append((rule.code, f"{rule.kind}:{signal}", rule.weight))
        return (lexeme.orth_, tuple(hits)) if hits else None

    def _specific(self, rule: Rule, word: str) -> Rule:
        """A lemma match is a *name* when it is the theme's own word, *common* when it is a
        function word; other kinds keep their weight."""
        if rule.kind != "lemma":
            return rule
        if word in self.name_words.get(rule.code, ()):
            return Rule(rule.code, "name", self.weights.get("name", rule.weight))
        if word in self.common_words:
            return Rule(rule.code, "common", self.weights.get("common", rule.weight))
        return rule


def _single_and_multi(items: Iterable[str]) -> tuple[list[str], list[str]]:
    singles: list[str] = []
    multis: list[str] = []
    for item in items:
        item = item.strip().lower()
        if not item:
            continue
        (multis if " " in item else singles).append(item)
    return singles, multis


def compound_regex(parts: Iterable[str]) -> str | None:
    """A regex on a token's lowercase text: the token is a compound that starts or ends with a part.

    ``verdringing`` then hits *werkverdringing* (head) and *verdringingseffect* (modifier);
    ``korting`` hits *uitkeringskorting(en)*. The token itself must be longer than the part,
    because the bare word is already a lemma signal.
    """
    parts = sorted({p.lower() for p in parts if len(p) >= MIN_COMPOUND_PART}, key=len, reverse=True)
    if not parts:
        return None
    alt = "|".join(re.escape(p) for p in parts)
    return rf"^(?:{alt})[\w\-']+$|^[\w\-']{{2,}}(?:{alt}){_INFLECTION}$"


# Words that occur in any theme's prose and so say nothing about a code (spaCy's stop words
# are function words only): general verbs, people, time and quantity. Lemmas.
GENERIC_WORDS = frozenset(
    """
    iemand persoon komen gaan maken vinden zeggen staan houden nemen doen
    kunnen moeten zullen laten krijgen geven zien weten denken plaats vraag vragen manier soort
    keer tijd week jaar maand ander andere eigen echte goed nieuw nieuwe groot grote klein kleine
    lang lange beste zaak ding dingen geval leven voelen horen tellen daarvan daaraan daartegen
    waarop ermee terug naast langs gedaan wilde ervaren ervaring uiteindelijk inclusief concreet
    vooral steeds komt gaat wordt worden werk werken staat
""".split()
)


def _content_words(nlp: Language, text: str) -> set[str]:
    return {
        t.lemma_.lower()
        for t in nlp(text)
        if t.is_alpha
        and len(t) >= 5
        and not t.is_stop
        and t.lemma_.lower() not in GENERIC_WORDS
        and t.lower_ not in GENERIC_WORDS
    }


def definition_words(codebook: Codebook, nlp: Language, max_codes: int = 2) -> dict[str, set[str]]:
    """Content-word lemmas from each code's label, definition, inclusion text and examples.

    A word that appears in the texts of more than ``max_codes`` codes says little about any
    of them and is dropped, as are short words, stop words and :data:`GENERIC_WORDS`.
    """
    per_code = {
        code.key: _content_words(
            nlp,
            " ".join(
                part for part in (code.label, code.definition, code.include, *code.examples) if part
            ),
        )
        for code in codebook
        if code.kind != "category"
    }
    spread = Counter(word for words in per_code.values() for word in words)
    return {key: {w for w in words if spread[w] <= max_codes} for key, words in per_code.items()}


def _name_words(code: Code, nlp: Language) -> set[str]:
    """The words that name a theme: its key's parts and its label's content words, as written
    and as lemmas (``sancties`` -> sanctie)."""
    names = {part for part in code.key.split("_") if len(part) >= 4}
    for token in nlp(code.label):
        if token.is_alpha and len(token) >= 4 and not token.is_stop:
            names |= {token.lower_, token.lemma_.lower()}
    return names - GENERIC_WORDS


def _compound_of(word: str, part: str) -> bool:
    """Whether ``word`` is a compound that starts or ends with ``part`` (with a few letters
    of its own: *coronacrisis*, *gezondheidsklachten*, not *contact* in *contacten*)."""
    return len(word) >= len(part) + MIN_MODIFIER and (word.startswith(part) or word.endswith(part))


_POINTER = re.compile(r"→\s*(?:ook\s+)?([\w.\-]+)")


def related_codes(
    codebook: Codebook, siblings: bool = True, pointers: bool = True
) -> dict[str, set[str]]:
    """Codes near each code in the codebook's own structure: siblings under one category, and
    codes an exclusion points to ("→ sanctie"), in both directions.

    A text with good evidence for one code is more likely than others to be about these too,
    so they rank a little higher; this comes from the codebook, not from any labelled data.
    """
    keys = {code.key for code in codebook if code.kind != "category"}
    near: dict[str, set[str]] = {key: set() for key in keys}
    by_parent: dict[str | None, set[str]] = {}
    for code in codebook:
        if code.key not in keys:
            continue
        by_parent.setdefault(code.parent, set()).add(code.key)
        if pointers:
            for target in _POINTER.findall(code.exclude):
                target = target.rstrip(".-")
                if target in keys and target != code.key:
                    near[code.key].add(target)
                    near[target].add(code.key)
    if siblings:
        for group in by_parent.values():
            for key in group:
                near[key] |= group - {key}
    return near


def build_patterns(
    codebook: Codebook,
    nlp: Language,
    weights: Mapping[str, float] | None = None,
    use_definitions: bool = True,
) -> CompiledPatterns:
    """Compile every code's signals into matchers over ``nlp``'s vocabulary."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    vocab = nlp.vocab
    compiled = CompiledPatterns(
        matcher=Matcher(vocab),
        phrases_lower=PhraseMatcher(vocab, attr="LOWER"),
        phrases_lemma=PhraseMatcher(vocab, attr="LEMMA"),
        regexes=[],
        rules={},
        weights=weights,
        lookup={kind: {} for kind in TOKEN_KINDS if kind != "compound"},
    )
    definitions = definition_words(codebook, nlp) if use_definitions else {}

    def add_phrases(code: Code, kind: str, phrases: list[str]) -> None:
        if kind == "phrase":
            # A phrase of function words only ("het moet", "ik moest") is said in any talk.
            docs = {p: nlp.make_doc(p) for p in phrases}
            common = [p for p in phrases if all(t.is_stop or not t.is_alpha for t in docs[p])]
            if common:
                add_phrases(code, "common", common)
            phrases = [p for p in phrases if p not in common]
        if not phrases:
            return
        label = f"{code.key}|{kind}"
        compiled.rules[vocab.strings.add(label)] = Rule(code.key, kind, weights.get(kind, 0.0))
        compiled.phrases_lower.add(label, [nlp.make_doc(p) for p in phrases])
        compiled.phrases_lemma.add(label, list(nlp.pipe(phrases)))
        compiled.pattern_count += 2 * len(phrases)

    def index(kind: str, code: Code, words: Iterable[str]) -> None:
        for word in words:
            codes = compiled.lookup[kind].setdefault(word, [])
            if code.key not in codes:
                codes.append(code.key)

    all_parts: set[str] = set()
    common: set[str] = set()
    for code in codebook:
        sig = code.signals
        words, multi = _single_and_multi(sig.lemmas)
        phrase_words, phrases = _single_and_multi(sig.phrases)
        words += phrase_words
        index("lemma", code, words)
        names = _name_words(code, nlp)
        # A compound that starts or ends with the name names the theme too (coronacrisis).
        compiled.name_words[code.key] = frozenset(
            w for w in words if w in names or any(_compound_of(w, n) for n in names)
        )
        common |= {w for w in words if nlp.vocab[w].is_stop}
        for word in words:
            # Not words in -en: infinitives head no compound (door|pakken is a verb with a
            # particle), and a plural noun is found through its singular anyway.
            if len(word) >= MIN_AUTO_HEAD and word.isalpha() and not word.endswith("en"):
                codes = compiled.head_words.setdefault(word, [])
                if code.key not in codes:
                    codes.append(code.key)
        stems = {s.lower() for s in sig.stems}
        stems |= {stem(w) for w in words if len(stem(w)) >= MIN_AUTO_STEM}
        index("stem", code, stems)
        regex = compound_regex(sig.compounds)
        if regex:
            compiled.compound_res[code.key] = re.compile(regex)
            compiled.compound_parts[code.key] = tuple(p.lower() for p in sig.compounds)
            all_parts |= set(compiled.compound_parts[code.key])
        add_phrases(code, "phrase", multi + phrases)
        for pattern in sig.regex:
            compiled.regexes.append(
                (
                    re.compile(pattern, re.IGNORECASE),
                    Rule(code.key, "regex", weights.get("regex", 0.0)),
                )
            )
            compiled.pattern_count += 1
        index("definition", code, sorted(definitions.get(code.key, set()) - set(words)))
        excl_words, excl_phrases = _single_and_multi(sig.exclude)
        add_phrases(code, "exclude", excl_words + excl_phrases)

    compiled.common_words = frozenset(common)
    token_patterns: dict[str, list[list[dict[str, Any]]]] = {
        "lemma": [
            [{"LOWER": {"IN": sorted(compiled.lookup["lemma"])}}],
            [{"LEMMA": {"IN": sorted(compiled.lookup["lemma"])}}],
        ],
        "stem": [[{"_": {"stem": {"IN": sorted(compiled.lookup["stem"])}}}]],
        "compound": [[{"LOWER": {"REGEX": compound_regex(all_parts)}}]] if all_parts else [],
        "definition": [[{"LEMMA": {"IN": sorted(compiled.lookup["definition"])}}]],
    }
    for kind, patterns in token_patterns.items():
        if patterns and (kind == "compound" or compiled.lookup[kind]):
            compiled.rules[vocab.strings.add(kind)] = Rule("", kind, weights.get(kind, 0.0))
            compiled.matcher.add(kind, patterns)
            compiled.pattern_count += len(patterns)
            compiled.token_kinds += (kind,)
    if all_parts:
        compiled.compound_any = re.compile(compound_regex(all_parts) or "")
    return compiled
