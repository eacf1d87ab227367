"""Search the whole project (``kwali search``): sentences holding a word, a phrase, a lemma or a
regular expression, with their references, counted per document.

- words (the default): whole words in order, ignoring case and accents (``financiele`` finds
  *financiële*), read from the sentence index (:mod:`kwali.store.search_index`);
- ``lemma``: every form of the words' lemmas (``dwingen`` finds *dwong* and *gedwongen*). The
  index narrows the sentences down to those with a word that may be such a form (the lemma's
  stem and its spelling variants as a prefix, ge- before it, the irregular forms kwali's Dutch
  layer knows); each candidate word is then lemmatised by that layer (:mod:`kwali.nlp`), so a
  hit is what the suggester would call that lemma. Storing lemmas would tie the file to one
  version of the lemmatiser; lemmatising the few candidate words costs milliseconds.
- ``regex``: a Python regular expression on each document's text. A bad pattern is one line
  naming the column; a pattern that backtracks without end is stopped after
  :data:`REGEX_SECONDS` (the ``regex`` engine can be interrupted, ``re`` cannot).

A hit is a sentence (its reference ``3:12.2`` is what every export and screen shows) with the
places of the match inside it. :func:`suggest_hits` turns hits into suggestions of one code, to
be reviewed like any other suggestion: a search never makes a coding.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Literal

import regex  # type: ignore[import-untyped]  # no stubs; comes with nltk, interruptible

from kwali.app.document_filter import kept_where, where_pairs
from kwali.errors import InputError, ProjectError
from kwali.i18n import _
from kwali.model import Evidence, Suggestion
from kwali.store import Project
from kwali.store.search_index import SentenceRow

if TYPE_CHECKING:
    from spacy.language import Language

Mode = Literal["words", "lemma", "regex"]
Span = tuple[int, int]
REGEX_SECONDS = 10.0
"""How long a regular expression may run over the whole project before it is stopped."""

_WORD = re.compile(r"[^\W_]+")  # what the index calls a word: letters and digits


@dataclass(frozen=True, slots=True)
class Hit:
    """A sentence with a match: ``spans`` are offsets in the document's text."""

    document_id: int
    document_number: int
    document_name: str
    segment_id: str
    reference: str
    start: int
    end: int
    text: str
    spans: tuple[Span, ...]

    def marked(self, before: str = "«", after: str = "»") -> str:
        """The sentence with each match between ``before`` and ``after``, on one line."""
        out, at = [], self.start
        for start, end in self.spans:
            out += [self.text[at - self.start : start - self.start], before]
            out += [self.text[start - self.start : end - self.start], after]
            at = end
        out.append(self.text[at - self.start :])
        return " ".join("".join(out).split())


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits (the first ``limit``) and how many sentences matched in each document."""

    query: str
    mode: Mode
    hits: tuple[Hit, ...]
    per_document: Mapping[int, int] = field(default_factory=dict)
    names: Mapping[int, tuple[int, str]] = field(default_factory=dict)  # id -> (number, name)

    @property
    def total(self) -> int:
        return sum(self.per_document.values())

    @property
    def label(self) -> str:
        """How the search is named in its suggestions: ``search:dwang``, ``search:lemma:…``."""
        prefix = {"words": "", "lemma": "lemma:", "regex": "re:"}[self.mode]
        return f"search:{prefix}{self.query}"


# -- folding: what "ignoring case and accents" means -------------------------------------------
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` without case and accents, and for each folded character its offset in ``text``."""
    folded: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        part = char.casefold() if char.isascii() else _fold_char(char)
        folded.append(part)
        where += [i] * len(part)
    return "".join(folded), where


def fold_word(word: str) -> str:
    """A word without case and accents."""
    return word.casefold() if word.isascii() else fold(word)[0]


def words(text: str) -> list[str]:
    """The words of ``text``, folded, as the index splits them."""
    return _WORD.findall(fold(text)[0])


@lru_cache(maxsize=64)
def _phrase_pattern(tokens: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(re.escape(t) for t in tokens) + r"(?![^\W_])")


def _phrase_spans(text: str, offset: int, tokens: Sequence[str]) -> tuple[Span, ...]:
    """Where the folded words ``tokens`` stand one after the other in ``text``."""
    pattern = _phrase_pattern(tuple(tokens))
    if text.isascii():  # most sentences: folding is lower case, offsets stay as they are
        return tuple((offset + m.start(), offset + m.end()) for m in pattern.finditer(text.lower()))
    folded, where = fold(text)
    return tuple(
        (offset + where[m.start()], offset + where[m.end() - 1] + 1)
        for m in pattern.finditer(folded)
    )


# -- which documents ---------------------------------------------------------------------------
def where_filter(project: Project, where: Sequence[str]) -> list[int] | None:
    """The ids of the documents that pass ``key=value`` terms (the documents screen's rule,
    :mod:`kwali.app.document_filter`); None when there are no terms."""
    if not where:
        return None
    documents = project.document_summaries()
    kept = kept_where(
        documents, where_pairs(where), project.attribute_types(), path=project.location
    )
    return [d.id for d in kept]


# -- searching -----------------------------------------------------------------------------------
def search(
    project: Project,
    query: str,
    *,
    mode: Mode = "words",
    where: Sequence[str] = (),
    limit: int | None = None,
) -> SearchResult:
    """Search every document (or those ``where`` keeps); ``limit`` caps the hits returned,
    never the counts."""
    if not query.strip():
        raise InputError(_("niets om naar te zoeken: de zoektekst is leeg"))
    document_ids = where_filter(project, where)
    names = project.document_names()
    if mode == "regex":
        hits = _regex_hits(project, query, document_ids, names)
    elif mode == "lemma":
        hits = _lemma_hits(project, query, document_ids, names)
    else:
        tokens = words(query)
        if not tokens:
            raise InputError(_NO_WORDS().format(query=query))
        if not project.has_search_index():
            hits = _scan(
                project, document_ids, names, lambda text, at: _phrase_spans(text, at, tokens)
            )
        else:
            return _indexed(project, query, tokens, document_ids, names, limit)
    counts: dict[int, int] = {}
    for hit in hits:
        counts[hit.document_id] = counts.get(hit.document_id, 0) + 1
    return SearchResult(query, mode, tuple(hits[:limit] if limit else hits), counts, names)


def _hit(row: Sequence, names: Mapping[int, tuple[int, str]], spans: tuple[Span, ...]) -> Hit:
    segment_id, document_id, turn, sentence, start, end, text = row
    number, name = names[document_id]
    return Hit(
        document_id,
        number,
        name,
        segment_id,
        f"{number}:{turn}.{sentence}",
        start,
        end,
        text,
        spans,
    )


def _indexed(
    project: Project,
    query: str,
    tokens: list[str],
    document_ids: list[int] | None,
    names: Mapping[int, tuple[int, str]],
    limit: int | None,
) -> SearchResult:
    match = '"' + " ".join(tokens) + '"'
    counts = project.matching_counts(match, document_ids)
    rows = project.matching_sentences(match, document_ids, limit=limit)
    hits = tuple(_hit(row, names, _phrase_spans(row[6], row[4], tokens)) for row in rows)
    return SearchResult(query, "words", hits, counts, names)


def _scan(
    project: Project,
    document_ids: list[int] | None,
    names: Mapping[int, tuple[int, str]],
    find: Callable[[str, int], tuple[Span, ...]],
) -> list[Hit]:
    """Every sentence read from the transcripts (a file opened read-only before the index)."""
    hits = []
    for document_id in document_ids if document_ids is not None else list(names):
        for row in project.sentence_rows(document_id)[1]:
            if spans := find(row[6], row[4]):
                hits.append(_hit(row, names, spans))
    return hits


def _NO_WORDS() -> str:  # noqa: N802 - one text, two places
    return _("{query!r} heeft geen woorden om naar te zoeken (letters of cijfers)")


def bad_pattern(pattern: str) -> InputError | None:
    """A pattern ``re`` cannot read, as one line that names the column; None if it is fine."""
    try:
        re.compile(pattern)
    except re.error as exc:
        column = (exc.pos or 0) + 1
        return InputError(
            _("onjuiste reguliere expressie {pattern!r} bij kolom {column}: {why}").format(
                pattern=pattern, column=column, why=exc.msg
            )
        )
    return None


def _regex_hits(
    project: Project,
    pattern: str,
    document_ids: list[int] | None,
    names: Mapping[int, tuple[int, str]],
) -> list[Hit]:
    problem = bad_pattern(pattern)
    if problem is not None:
        raise problem
    compiled = regex.compile(pattern, regex.VERSION0)
    deadline = time.monotonic() + REGEX_SECONDS
    hits: list[Hit] = []
    for document_id in document_ids if document_ids is not None else list(names):
        text = project.document_text(document_id)
        # matches are few next to sentences: each finds its sentence through the index
        found: dict[str, tuple[SentenceRow, list[Span]]] = {}
        try:
            for m in compiled.finditer(text, timeout=max(0.01, deadline - time.monotonic())):
                if m.end() == m.start():
                    continue  # an empty match marks nothing
                row = project.sentence_at(document_id, m.start(), text)
                if row is not None:
                    found.setdefault(row[0], (row, []))[1].append((m.start(), min(m.end(), row[5])))
        except TimeoutError:
            raise InputError(
                _(
                    "de reguliere expressie {pattern!r} duurde langer dan {seconds} s en is "
                    "gestopt (herhalingen in herhalingen zoals (a+)+ kunnen eindeloos lopen)"
                ).format(pattern=pattern, seconds=f"{REGEX_SECONDS:.0f}")
            ) from None
        for row, spans in found.values():
            hits.append(_hit(row, names, tuple(spans)))
    return hits


# -- lemmas -----------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _nlp() -> Language:
    """kwali's Dutch pipeline, loaded when a lemma search first needs it."""
    from kwali.nlp import make_nlp

    return make_nlp()


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The lemma kwali's Dutch layer gives a word on its own (lower case): the lookup
    lemmatiser and the verb forms it fills in do not look at the words around it."""
    doc = _nlp()(word)
    return doc[0].lemma_.casefold() if len(doc) == 1 else word.casefold()


def _prefixes(lemma_: str) -> set[str]:
    """Word beginnings a form of ``lemma_`` may have: its stem (werk, maak, leef), ge- + stem."""
    from kwali.nlp.pipeline import stem

    base = words(stem(lemma_))[0] if words(stem(lemma_)) else lemma_
    variants = {base, lemma_[: max(3, len(base))]}
    if len(base) >= 3 and base[-2] in "aeou" and base[-1] not in "aeiouy":
        variants.add(base[:-1] + base[-2:])  # mak -> maak
    if base[-1:] in ("v", "z"):
        variants |= {v[:-1] + {"v": "f", "z": "s"}[v[-1]] for v in set(variants)}  # lev -> lef
        variants |= {v[:-2] + v[-2] + v[-2:] for v in set(variants) if len(v) >= 3}  # lef -> leef
    return {p for v in variants for p in (v, "ge" + v) if len(p) >= 2}


def _lemma_hits(
    project: Project,
    query: str,
    document_ids: list[int] | None,
    names: Mapping[int, tuple[int, str]],
) -> list[Hit]:
    from kwali.nlp.pipeline import IRREGULAR_LEMMAS

    # lemmatised with their accents (the table knows "geïnteresseerd"); matched without
    tokens = _WORD.findall(query)
    if not tokens:
        raise InputError(_NO_WORDS().format(query=query))
    wanted = [lemma(t.lower()) for t in tokens]
    groups = []
    for lemma_ in wanted:
        forms = {lemma_} | {f for f, infinitive in IRREGULAR_LEMMAS.items() if infinitive == lemma_}
        groups.append(({fold_word(f) for f in forms}, _prefixes(fold_word(lemma_))))

    def may_be(word: str, group: tuple[set[str], set[str]]) -> bool:
        forms, prefixes = group
        return word in forms or any(word.startswith(p) for p in prefixes)

    # a word that may be of the first lemma: a regex finds those in a sentence at C speed
    starts = sorted(groups[0][0] | groups[0][1], key=len, reverse=True)
    first = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, starts)) + r")[^\W_]*")

    def find(text: str, offset: int) -> tuple[Span, ...]:
        folded, where = (text.lower(), None) if text.isascii() else fold(text)

        def span(m: re.Match[str]) -> Span:
            return (
                (m.start(), m.end())
                if where is None
                else (where[m.start()], where[m.end() - 1] + 1)
            )

        spans = []
        for m in first.finditer(folded):
            window = [m, *islice(_WORD.finditer(folded, m.end()), len(wanted) - 1)]
            if len(window) == len(wanted) and all(
                may_be(w.group(), g) and lemma(text[slice(*span(w))].lower()) == lem
                for w, g, lem in zip(window, groups, wanted, strict=True)
            ):
                spans.append((offset + span(window[0])[0], offset + span(window[-1])[1]))
        return tuple(spans)

    if not project.has_search_index():
        return _scan(project, document_ids, names, find)
    match = " AND ".join(
        "("
        + " OR ".join([f'"{f}"' for f in sorted(forms)] + [f'"{p}"*' for p in sorted(pre)])
        + ")"
        for forms, pre in groups
    )
    hits = []
    for row in project.matching_sentences(match, document_ids):
        if spans := find(row[6], row[4]):
            hits.append(_hit(row, names, spans))
    return hits


# -- coding the hits ---------------------------------------------------------------------------------
def suggestions_for(result: SearchResult, code_key: str, coder: str) -> list[Suggestion]:
    """One suggestion of ``code_key`` per hit sentence, the matches as its evidence. The
    suggester names the search and the coder who asked (``search:dwang@anna``), so a blind
    coder never sees another's searches (:func:`kwali.app.reviewing.visible_blind`)."""
    suggester = f"{result.label}@{coder}"
    return [
        Suggestion(
            hit.segment_id,
            hit.document_id,
            hit.start,
            hit.end,
            code_key,
            1.0,
            tuple(
                Evidence(start, end, hit.text[start - hit.start : end - hit.start], result.label)
                for start, end in hit.spans
            ),
            suggester,
        )
        for hit in result.hits
    ]


def check_code(project: Project, code_key: str) -> None:
    """Hits can become suggestions of a code of the codebook, not of a category."""
    code = project.codebook().get(code_key)
    if code is None:
        raise ProjectError(_("heeft geen code {key!r}").format(key=code_key), path=project.location)
    if code.kind != "code":
        raise ProjectError(
            _("{key!r} is een categorie; stel een van haar codes voor").format(key=code_key),
            path=project.location,
        )


def suggest_hits(project: Project, result: SearchResult, code_key: str, coder: str) -> int:
    """Make every hit of ``result`` (search it without a limit) a suggestion of ``code_key``,
    as one undoable action of ``coder``; returns how many are new (a sentence that has this
    search's suggestion of the code already keeps it, and its review)."""
    check_code(project, code_key)
    return project.add_search_suggestions(suggestions_for(result, code_key, coder), coder)


def hits_by_document(hits: Iterable[Hit]) -> dict[int, list[Hit]]:
    grouped: dict[int, list[Hit]] = {}
    for hit in hits:
        grouped.setdefault(hit.document_id, []).append(hit)
    return grouped
