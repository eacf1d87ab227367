"""Suggest codes for texts and segments from a codebook's signals.

A suggestion is a proposal with its evidence, never a coding: the store keeps it apart until
a coder accepts it. The suggester's id names the rules *and* the codebook (a hash of it), so a
changed codebook makes a new suggester whose runs do not mix with the old ones.
"""

from __future__ import annotations

import bisect
import copy
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from kwali.model import Codebook, Evidence, Segment, Suggestion
from kwali.nlp.pipeline import lemmatized
from kwali.tagging.learned import LearnedModel
from kwali.tagging.patterns import (
    BORROWED_KINDS,
    LONG_WORD,
    CompiledPatterns,
    build_patterns,
    related_codes,
)
from kwali.tagging.speakers import KIND as SPEAKER
from kwali.tagging.speakers import speaker_codes, speaker_evidence

RULES_VERSION = "2"
# An exclusion elsewhere in the text (not on the evidence itself) halves the score: it is a
# sign the text is about something near the code, not proof that it is not.
EXCLUDE_FACTOR = 0.5
DEFAULT_MIN_SCORE = 0.5
# A code scoring this much lends its neighbours in the codebook the full ``related`` weight.
RELATED_FROM = 0.5
# The share of borrowed evidence (definition words, codebook neighbours) a code with evidence
# of its own keeps: enough to break ties between equal candidates, too little to lift a code
# above one whose theme is named outright.
BORROWED_SHARE = 0.3
# The most borrowed evidence alone can score, however much of it there is: below a
# suggestion, so a code is only suggested for words of its own.
BORROWED_CEILING = 0.45
# A sentence is one part of an answer: the other sentences of the respondent's turn, and the
# interviewer's question before it (in a semi-structured interview the question often names
# the theme), are evidence the sentence alone lacks, but weaker than its own words. The share
# of their best evidence a sentence takes over: a phrase or the theme's name there suggests
# the code for the sentence (0.8 x 0.75 = 0.6), a single word only ranks it (0.45). Measured
# sentence by sentence (benchmarks/suggest_recall_bench.py --context): 0.35 only reranked,
# 0.75 raised recall with precision and calibration kept.
TURN_SHARE = 0.75
# How many sentences either way a sentence looks in its turn: about a quote's length. A long
# turn wanders; its every theme on its every sentence would bury the coder in suggestions.
TURN_REACH = 2
QUESTION_SHARE = 0.75
INTERVIEWER = "interviewer"


def _strength(ev: Evidence) -> tuple[float, int, int]:
    return (-ev.weight, ev.start, ev.end)


def _in_text_order(ev: Evidence) -> tuple[int, int]:
    return (ev.start, ev.end)


def _strongest_apart(
    evidence: Sequence[Evidence], blocked: Sequence[tuple[int, int]]
) -> list[Evidence]:
    """The evidence a code keeps: strongest first, none on an exclusion's characters, and a
    weaker match on characters a stronger one covers (a lemma inside a phrase, a stem on a
    word the lemma already matched) dropped: it adds nothing."""
    kept: list[Evidence] = []
    for ev in sorted(evidence, key=_strength) if len(evidence) > 1 else evidence:
        start, end = ev.start, ev.end
        if blocked and any(start < e and s < end for s, e in blocked):
            continue
        for k in kept:
            if start < k.end and k.start < end:
                break
        else:
            kept.append(ev)
    return kept


class Scored(NamedTuple):
    """A code for one text: its key, a score in [0, 1] and what fired (offsets in that text)."""

    code_key: str
    score: float
    evidence: tuple[Evidence, ...]


def codebook_hash(codebook: Codebook) -> str:
    """A short, stable fingerprint of everything in the codebook that can change a suggestion."""
    data = json.dumps([asdict(code) for code in codebook], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:8]


def noisy_or(weights: Iterable[float]) -> float:
    """Chance that at least one independent signal is right: 1 - Π(1 - w)."""
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - max(0.0, min(1.0, weight))
    return 1.0 - miss


def with_borrowed(direct: float, borrowed: float) -> float:
    """A code's score from its own evidence plus borrowed evidence (see :data:`BORROWED_SHARE`).

    A code with no evidence of its own keeps the borrowed score, which ranks it among the
    other candidates but stays below any suggestion.
    """
    if direct <= 0:
        return min(borrowed, BORROWED_CEILING)
    return direct + (1.0 - direct) * borrowed * BORROWED_SHARE


def _lend(
    lent: dict[str, list[Evidence]],
    best: Mapping[str, Evidence],
    kind: str,
    share: float,
    origin: int,
) -> None:
    """Add ``share`` of each code's ``best`` evidence to ``lent`` as ``kind`` evidence, its
    offsets made relative to the segment starting at ``origin``."""
    for key, ev in best.items():
        signal = ev.rule.split(":", 1)[1]
        lent.setdefault(key, []).append(
            Evidence(
                ev.start - origin,
                ev.end - origin,
                ev.text,
                f"{kind}:{signal}",
                round(ev.weight * share, 4),
            )
        )


def _joined(key: str, old: Scored | None, score: float, evidence: Sequence[Evidence]) -> Scored:
    """A code's new score, with its earlier evidence and the new, in text order."""
    if old is None and len(evidence) == 1:
        return Scored(key, round(score, 4), tuple(evidence))
    kept = tuple(
        sorted((*(old.evidence if old else ()), *evidence), key=lambda e: (e.start, e.end))
    )
    return Scored(key, round(score, 4), kept)


class Suggester:
    """Rule-based suggester: signals matched on the Dutch NLP layer, scored by noisy-or.

    >>> # suggester = Suggester(load_codebook("codebooks/tegenprestatie.yaml"), make_nlp())
    >>> # suggester.suggest_texts(["Ze dreigden met een korting op mijn uitkering."])
    """

    def __init__(
        self,
        codebook: Codebook,
        nlp: Language,
        *,
        name: str = "kwali-rules",
        weights: Mapping[str, float] | None = None,
        use_definitions: bool = True,
        batch_size: int = 256,
    ) -> None:
        self.codebook = codebook
        self.nlp = nlp
        self.batch_size = batch_size
        self.patterns: CompiledPatterns = build_patterns(codebook, nlp, weights, use_definitions)
        self.related = related_codes(codebook)
        # each code's neighbours in the order they lend evidence (sorted once, not per text)
        self._neighbours = {key: tuple(sorted(near)) for key, near in self.related.items()}
        self.speakers = speaker_codes(codebook)
        self.learned: LearnedModel | None = None
        self.name = name
        tuning = (
            ""
            if weights is None and use_definitions
            else "-"
            + hashlib.sha256(
                json.dumps([sorted((weights or {}).items()), use_definitions]).encode()
            ).hexdigest()[:4]
        )
        self._rules_version = f"{RULES_VERSION}{tuning}+{codebook_hash(codebook)}"
        self.version = self._rules_version

    def learning_from(self, learned: LearnedModel | None) -> Suggester:
        """This suggester plus a model learned from confirmed codings (or without one).

        The copy shares the compiled rules; its version names the training data, so its
        suggestions are told apart from the rules' alone.
        """
        other = copy.copy(self)
        other.learned = learned
        other.version = self._rules_version + (f"+learned.{learned.fingerprint}" if learned else "")
        return other

    @property
    def id(self) -> str:
        """The name suggestions are stored under, e.g. ``kwali-rules@1+3fa2c9d1``."""
        return f"{self.name}@{self.version}"

    # -- matching -------------------------------------------------------------------------
    def _evidence(
        self, doc: Doc, text: str | None = None
    ) -> tuple[dict[str, list[Evidence]], dict[str, list[tuple[int, int]]]]:
        """All evidence per code, and the character spans of each code's exclusions.

        ``text`` is the doc's text when the caller has it (``doc.text`` joins every token).
        """
        found: dict[str, list[Evidence]] = {}
        excluded: dict[str, list[tuple[int, int]]] = {}
        p = self.patterns
        # An empty matcher warns on every call (W036); a codebook may have no phrases at all.
        # Words, stems, compounds and definition words first, as one Matcher over all of
        # them would give them (the order decides between equal evidence on one word).
        for start, end, word, hits in p.token_matches(doc):
            for code, rule_text, weight in hits:
                found.setdefault(code, []).append(Evidence(start, end, word, rule_text, weight))
        matches = [
            m
            for matcher in (p.phrases_lower, p.phrases_lemma)
            if len(matcher)
            for m in matcher(doc)
        ]
        for match_id, start, end in matches:
            rule = p.rule(match_id)
            span = doc[start:end]
            if rule.kind == "exclude":
                excluded.setdefault(rule.code, []).append((span.start_char, span.end_char))
                continue
            # a phrase: one code per match id
            found.setdefault(rule.code, []).append(
                Evidence(
                    span.start_char,
                    span.end_char,
                    span.text,
                    f"{rule.kind}:{span.text.lower()}",
                    rule.weight,
                )
            )
        text = doc.text if text is None else text
        for m in LONG_WORD.finditer(text):
            for hit, signal in p.heads(m.group(0)):
                found.setdefault(hit.code, []).append(
                    Evidence(m.start(), m.end(), m.group(0), f"head:{signal}", hit.weight)
                )
        for regex, rule in p.regexes:
            for m in regex.finditer(text):
                if m.end() > m.start():
                    found.setdefault(rule.code, []).append(
                        Evidence(
                            m.start(),
                            m.end(),
                            m.group(0),
                            f"regex:{regex.pattern}",
                            rule.weight,
                        )
                    )
        return found, excluded

    def _score(
        self,
        doc: Doc,
        learned: dict[str, tuple[float, tuple[Evidence, ...]]],
        context: Mapping[str, Sequence[Evidence]] | None = None,
        matched: tuple[dict[str, list[Evidence]], dict[str, list[tuple[int, int]]]] | None = None,
        floor: float = 0.0,
    ) -> list[Scored]:
        """Ranked codes for one doc. With ``floor`` (and nothing learned for this doc), a code
        that only a neighbour's weight would rank, below ``floor``, is left out: the caller
        drops it anyway."""
        found, excluded = matched or self._evidence(doc)
        lent = context or {}
        scored = []
        for code_key in (*found, *(key for key in lent if key not in found)):
            mine, theirs = found.get(code_key, ()), lent.get(code_key, ())
            evidence = [*mine, *theirs] if mine and theirs else mine or theirs
            blocked = excluded.get(code_key, ())
            kept = _strongest_apart(evidence, blocked)
            if not kept:
                continue
            # The same signal said twice is one piece of evidence, not two.
            own: dict[str, float] = {}
            borrowed: dict[str, float] = {}
            speaker = 0.0
            for ev in kept:
                kind, _colon, signal = ev.rule.partition(":")
                if kind == SPEAKER:
                    speaker = max(speaker, ev.weight)
                    continue
                best = borrowed if kind in BORROWED_KINDS else own
                best[signal] = max(best.get(signal, 0.0), ev.weight)
            # Who speaks is the strongest borrowed evidence, not added to it: with the
            # codebook's prose it must still stay below a suggestion.
            lent_score = max(noisy_or(borrowed.values()), speaker)
            score = with_borrowed(noisy_or(own.values()), lent_score)
            if blocked:
                score *= EXCLUDE_FACTOR
            if score > 0:
                if len(kept) > 1:
                    kept.sort(key=_in_text_order)
                scored.append(Scored(code_key, round(score, 4), tuple(kept)))
        scored = self._add_related(scored, 0.0 if learned else floor)
        scored = self._add_learned(scored, learned)
        scored.sort(key=lambda s: (-s.score, s.code_key))
        return scored

    @staticmethod
    def _add_learned(
        scored: list[Scored], learned: dict[str, tuple[float, tuple[Evidence, ...]]]
    ) -> list[Scored]:
        """The higher of the rules' score and the learned probability, with both kinds of
        evidence, so a coder sees the codebook's words and the learned ones.

        Not a noisy-or: a model taught by accepted suggestions has learned the rules' own
        words, and adding it to them would count the same evidence twice (scores then pile
        up near 1 and stop ranking anything).
        """
        if not learned:
            return scored
        by_key = {s.code_key: s for s in scored}
        for key, (probability, evidence) in learned.items():
            old = by_key.get(key)
            by_key[key] = _joined(key, old, max(old.score if old else 0.0, probability), evidence)
        return list(by_key.values())

    def _add_related(self, scored: list[Scored], floor: float = 0.0) -> list[Scored]:
        """Weak evidence for the codebook neighbours of every ranked code.

        A neighbour gets the ``related`` weight from a code that is suggested (scores at least
        :data:`RELATED_FROM`), and proportionally less from a weaker candidate. The strongest
        neighbour counts, once: several neighbours say no more than one.
        """
        weight = self.patterns.weights.get("related", 0.0)
        if weight <= 0:
            return scored
        by_key = {s.code_key: s for s in scored}
        # neighbour -> (weight lent, the code lending it); the first of equals keeps it
        best: dict[str, tuple[float, Scored]] = {}
        neighbours = self._neighbours
        for s in scored:
            lent = round(weight * min(1.0, s.score / RELATED_FROM), 4)
            for key in neighbours.get(s.code_key, ()):
                held = best.get(key)
                if held is None or lent > held[0]:
                    best[key] = (lent, s)
        for key, (lent, s) in best.items():
            old = by_key.get(key)
            if old is None and lent < floor:
                continue
            score = self._lent(old, lent)
            if round(score, 4) < floor:  # still below: the caller drops it either way
                continue
            first = s.evidence[0]
            evidence = Evidence(first.start, first.end, first.text, f"related:{s.code_key}", lent)
            by_key[key] = _joined(key, old, score, (evidence,))
        return list(by_key.values())

    @staticmethod
    def _lent(old: Scored | None, weight: float) -> float:
        """``old``'s score with a neighbour's weight added as borrowed evidence."""
        if old is None:
            return weight
        own = [e.weight for e in old.evidence if e.rule.split(":", 1)[0] not in BORROWED_KINDS]
        if not own:
            return with_borrowed(0.0, noisy_or([old.score, weight]))
        return old.score + (1.0 - old.score) * weight * BORROWED_SHARE

    def _spoken_by(self, roles: Iterable[str]) -> dict[str, list[Evidence]]:
        """Evidence from who said a text: the roles of its speaker (e.g. a ``rol`` attribute)."""
        return speaker_evidence(self.speakers, roles, self.patterns.weights.get(SPEAKER, 0.0))

    def suggest_docs(
        self, docs: Iterable[Doc], speakers: Sequence[Iterable[str]] | None = None
    ) -> list[list[Scored]]:
        """Ranked codes for each parsed text; ``speakers``, when given, the roles of who said
        each text."""
        docs = list(docs)
        learned = self.learned.predict(docs) if self.learned else [{}] * len(docs)
        roles = speakers if speakers is not None else [()] * len(docs)
        return [
            self._score(doc, found, self._spoken_by(said_by))
            for doc, found, said_by in zip(docs, learned, roles, strict=True)
        ]

    def suggest_texts(
        self, texts: Sequence[str], speakers: Sequence[Iterable[str]] | None = None
    ) -> list[list[Scored]]:
        """Ranked codes for each text, best first, every code with any evidence (score > 0)."""
        return self.suggest_docs(self._docs(texts), speakers)

    def _docs(self, texts: Iterable[str]) -> Iterator[Doc]:
        """The texts as docs with what matching reads (:func:`kwali.nlp.pipeline.lemmatized`)."""
        return lemmatized(self.nlp, texts, batch_size=self.batch_size)

    def _strongest(
        self,
        matched: tuple[dict[str, list[Evidence]], dict[str, list[tuple[int, int]]]],
        offset: int,
    ) -> dict[str, Evidence]:
        """Each code's strongest evidence of its own in a text, at document offsets."""
        found, excluded = matched
        best: dict[str, Evidence] = {}
        for code_key, evidence in found.items():
            blocked = excluded.get(code_key, [])
            for ev in evidence:
                if ev.kind in BORROWED_KINDS or any(
                    ev.start < e and s < ev.end for s, e in blocked
                ):
                    continue
                if code_key not in best or ev.weight > best[code_key].weight:
                    best[code_key] = Evidence(
                        offset + ev.start, offset + ev.end, ev.text, ev.rule, ev.weight
                    )
        return best

    def _contexts(
        self,
        segments: Sequence[Segment],
        matched: Sequence[tuple[dict[str, list[Evidence]], dict[str, list[tuple[int, int]]]]],
        questions: Sequence[Segment],
    ) -> list[dict[str, list[Evidence]]]:
        """For each segment, evidence from the sentences near it in its turn and from the
        question before it, as ``turn:`` and ``question:`` evidence at offsets relative to the
        segment."""
        own = [self._strongest(m, seg.start) for seg, m in zip(segments, matched, strict=True)]
        by_turn: dict[tuple[int, int], list[int]] = {}
        for i, seg in enumerate(segments):
            by_turn.setdefault((seg.document_id, seg.turn_number), []).append(i)
        asked: dict[tuple[int, int], dict[str, Evidence]] = {}
        if questions:
            qdocs = self._docs(q.text for q in questions)
            for q, qdoc in zip(questions, qdocs, strict=True):
                best = asked.setdefault((q.document_id, q.turn_number), {})
                for key, ev in self._strongest(self._evidence(qdoc, q.text), q.start).items():
                    if key not in best or ev.weight > best[key].weight:
                        best[key] = ev
        # The question before each turn: the latest interviewer turn before it.
        question_turns: dict[int, list[int]] = {}
        for d, t in sorted(asked):
            question_turns.setdefault(d, []).append(t)
        out: list[dict[str, list[Evidence]]] = [{} for _ in segments]
        for indices in by_turn.values():
            for p, i in enumerate(indices):
                seg = segments[i]
                turn: dict[str, Evidence] = {}
                for j in indices[max(0, p - TURN_REACH) : p + TURN_REACH + 1]:
                    if j != i:
                        for key, ev in own[j].items():
                            if key not in turn or ev.weight > turn[key].weight:
                                turn[key] = ev
                _lend(out[i], turn, "turn", TURN_SHARE, seg.start)
                earlier = question_turns.get(seg.document_id, [])
                at = bisect.bisect_left(earlier, seg.turn_number)
                if at:
                    best = asked[(seg.document_id, earlier[at - 1])]
                    _lend(out[i], best, "question", QUESTION_SHARE, seg.start)
        return out

    def suggest_segments(
        self,
        segments: Sequence[Segment],
        min_score: float = DEFAULT_MIN_SCORE,
        context: Sequence[Segment] = (),
        speakers: Mapping[str, Iterable[str]] | None = None,
    ) -> list[Suggestion]:
        """Suggestions for segments, evidence offsets in document coordinates.

        A sentence also draws on the other sentences of its turn among ``segments``, on
        the interviewer's question before its turn, found among ``context`` (the document's
        other segments; interviewer turns count as questions), and on who said it:
        ``speakers`` maps a segment id to its speaker's roles.
        """
        out: list[Suggestion] = []
        docs = list(self._docs(seg.text for seg in segments))
        questions = [seg for seg in context if seg.role == INTERVIEWER]
        matched = [self._evidence(doc, seg.text) for doc, seg in zip(docs, segments, strict=True)]
        contexts = self._contexts(segments, matched, questions)
        for segment, lent in zip(segments, contexts, strict=True):
            for key, said in self._spoken_by((speakers or {}).get(segment.id, ())).items():
                lent.setdefault(key, []).extend(said)
        learned = self.learned.predict(docs) if self.learned else [{}] * len(docs)
        ranked = [
            self._score(doc, found, lent, m, min_score)
            for doc, found, lent, m in zip(docs, learned, contexts, matched, strict=True)
        ]
        for segment, codes in zip(segments, ranked, strict=True):
            for code in codes:
                if code.score < min_score:
                    continue
                evidence = tuple(
                    Evidence(
                        segment.start + e.start,
                        segment.start + e.end,
                        e.text,
                        e.rule,
                        e.weight,
                    )
                    for e in code.evidence
                )
                out.append(
                    Suggestion(
                        segment_id=segment.id,
                        document_id=segment.document_id,
                        start=segment.start,
                        end=segment.end,
                        code_key=code.code_key,
                        score=code.score,
                        evidence=evidence,
                        suggester=self.id,
                    )
                )
        return out
