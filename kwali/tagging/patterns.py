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

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Token

from kwali.model import Code, Codebook
from kwali.nlp import stem

# How much one piece of evidence says on its own. A phrase is the most specific signal;
# a stem may over-generalise (verplicht- also covers verplichting); a word from the code's
# definition only helps rank candidates and never makes a suggestion alone.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "phrase": 0.8,
    "regex": 0.7,
    "lemma": 0.65,
    "compound": 0.6,
    "stem": 0.5,
    "definition": 0.15,
}
KINDS = ("lemma", "stem", "compound", "phrase", "regex", "definition", "exclude")
MIN_COMPOUND_PART = 4
MIN_AUTO_STEM = 5
# Endings a compound's head may carry: plural, diminutive, adjectival.
_INFLECTION = r"(?:s|e|en|n|es|er|ers|je|jes|tje|tjes)?"


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
    pattern_count: int = 0

    def rule(self, match_id: int) -> Rule:
        return self.rules[match_id]

    def resolve(self, kind: str, token: Token) -> list[tuple[Rule, str]]:
        """The codes a token-level match belongs to, each with the signal that explains it."""
        weight = self.weights.get(kind, 0.0)
        if kind == "compound":
            lower = token.lower_
            out = []
            for code, regex in self.compound_res.items():
                if regex.match(lower):
                    hits = [p for p in self.compound_parts[code] if p in lower]
                    out.append((Rule(code, kind, weight), max(hits, key=len) if hits else lower))
            return out
        table = self.lookup.get(kind, {})
        if kind == "stem":
            keys = [token._.stem]
        else:
            keys = [token.lower_, token.lemma_.lower()]
        out, seen = [], set()
        for key in keys:
            for code in table.get(key, ()):
                if code not in seen:
                    seen.add(code)
                    out.append((Rule(code, kind, weight), key))
        return out


def _single_and_multi(items: Iterable[str]) -> tuple[list[str], list[str]]:
    singles, multis = [], []
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


def definition_words(codebook: Codebook, nlp: Language, max_codes: int = 2) -> dict[str, set[str]]:
    """Content-word lemmas from each code's definition and inclusion text.

    A word that appears in the definitions of more than ``max_codes`` codes says little about
    any of them and is dropped, as are short words and stop words.
    """
    per_code: dict[str, set[str]] = {}
    for code in codebook:
        text = " ".join(part for part in (code.definition, code.include) if part)
        if not text or code.kind == "category":
            continue
        doc = nlp(text)
        per_code[code.key] = {
            t.lemma_.lower() for t in doc if t.is_alpha and len(t) >= 5 and not t.is_stop
        }
    spread = Counter(word for words in per_code.values() for word in words)
    return {key: {w for w in words if spread[w] <= max_codes} for key, words in per_code.items()}


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
    for code in codebook:
        sig = code.signals
        words, multi = _single_and_multi(sig.lemmas)
        phrase_words, phrases = _single_and_multi(sig.phrases)
        words += phrase_words
        index("lemma", code, words)
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
            compiled.regexes.append((re.compile(pattern, re.IGNORECASE),
                                     Rule(code.key, "regex", weights.get("regex", 0.0))))
            compiled.pattern_count += 1
        index("definition", code, sorted(definitions.get(code.key, set()) - set(words)))
        excl_words, excl_phrases = _single_and_multi(sig.exclude)
        add_phrases(code, "exclude", excl_words + excl_phrases)

    token_patterns = {
        "lemma": [[{"LOWER": {"IN": sorted(compiled.lookup["lemma"])}}],
                  [{"LEMMA": {"IN": sorted(compiled.lookup["lemma"])}}]],
        "stem": [[{"_": {"stem": {"IN": sorted(compiled.lookup["stem"])}}}]],
        "compound": [[{"LOWER": {"REGEX": compound_regex(all_parts)}}]] if all_parts else [],
        "definition": [[{"LEMMA": {"IN": sorted(compiled.lookup["definition"])}}]],
    }
    for kind, patterns in token_patterns.items():
        if patterns and (kind == "compound" or compiled.lookup[kind]):
            compiled.rules[vocab.strings.add(kind)] = Rule("", kind, weights.get(kind, 0.0))
            compiled.matcher.add(kind, patterns)
            compiled.pattern_count += len(patterns)
    return compiled
