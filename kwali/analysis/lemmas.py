"""Lemma tokens of each document, as word frequencies count them (issue #14, item 4).

Every sentence a respondent (or interviewer) says is tokenised and lemmatised by kwali's
Dutch layer (:func:`kwali.nlp.make_nlp`); what is kept of each token is where it starts, its
turn and its lemma (an id into one vocabulary), as three numpy arrays per document. Words
without a letter (numbers, punctuation) and spaCy's Dutch stop words (the word or its lemma)
are dropped here, since nothing counts them.

Speed: the built-in pipeline lemmatises by table lookup, so a word's lemma does not depend
on its sentence. Each document is therefore only tokenised, and each distinct word form is
lemmatised once, by the same pipeline components, on a one-word doc. A trained
``nl_core_news_*`` pipeline lemmatises in context and runs on every sentence (much slower).

The arrays are kept in memory, per process, keyed by the project file, the document, its
text's sha256 and the pipeline: a second count (another code, another target in the Words
screen) reads no transcript again. Nothing is stored in the project file: lemmas would tie
the file to one version of the lemmatiser. Who said a turn is not part of the key: roles
are read from the project at every count, so re-labelling a speaker counts at once.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from kwali.app.attribution import INTERVIEWER
from kwali.nlp import make_nlp
from kwali.store import Project

if TYPE_CHECKING:
    from spacy.language import Language

_LETTER = re.compile(r"[^\W\d_]")
_OPEN, _CLOSE = frozenset("(["), frozenset(")]")
_OPENS, _CLOSES = -2, -3  # a bracket among a chunk's tokens
_CHUNK = re.compile(r"\S+")
_APOSTROPHES = frozenset("'’‘`")
_MAX_CHUNKS = 2_000_000
_MAX_CACHED = 5000  # documents; about 30 MB at 10,000 words each


@dataclass(frozen=True, slots=True)
class DocumentTokens:
    """The counted tokens of one document, in text order."""

    starts: np.ndarray  # int64: offset of each token in the document's text
    turns: np.ndarray  # int32: the turn it is spoken in
    lemmas: np.ndarray  # int32: index into :data:`Vocabulary.lemmas`


class Vocabulary:
    """Lemmas by id, and each word form's lemma id (-1: a stop word) for one pipeline."""

    def __init__(self) -> None:
        self.lemmas: list[str] = []
        self.ids: dict[str, int] = {}
        self.forms: dict[str, int] = {}
        # a whitespace-separated chunk of text -> (offset, lemma id or _OPENS/_CLOSES) of its
        # counted tokens and brackets
        self.chunks: dict[str, tuple[tuple[int, int], ...]] = {}

    def id(self, lemma: str) -> int:
        """The id of ``lemma`` (lower case), or -1 when it is a stop word."""
        if lemma in STOP_WORDS:
            return -1
        found = self.ids.get(lemma)
        if found is None:
            found = self.ids[lemma] = len(self.lemmas)
            self.lemmas.append(lemma)
        return found


_vocabularies: dict[str, Vocabulary] = {}
_cache: dict[tuple[str, int, str, str], DocumentTokens] = {}
_lock = threading.Lock()  # the Words screen counts in a thread; one fills the cache at a time


def vocabulary(model: str | None = None) -> Vocabulary:
    return _vocabularies.setdefault(model or "", Vocabulary())


def clear_cache() -> None:
    """Forget every document's tokens (tests; a long session that wants its memory back)."""
    _cache.clear()


def _counted(form: str) -> bool:
    """Not a stop word, nor a clitic such as *'s* (des), *'t* (het), *'n* (een)."""
    return form.lower() not in STOP_WORDS and form[0] not in _APOSTROPHES


def _lemmatise_forms(nlp: Language, forms: list[str], vocab: Vocabulary) -> None:
    """Fill ``vocab.forms`` for new word forms: the pipeline's components on one doc whose
    tokens are the forms (each lemmatised alone, as lookup does in any sentence)."""
    doc = Doc(nlp.vocab, words=forms)
    for _unused, component in nlp.pipeline:
        doc = component(doc)
    for form, token in zip(forms, doc, strict=True):
        vocab.forms[form] = vocab.id(token.lemma_.lower()) if _counted(form) else -1


def _learn_chunks(
    nlp: Language, text: str, sentences: list[tuple[int, int, int]], vocab: Vocabulary
) -> None:
    """Tokenise the whitespace-separated chunks of ``text`` not seen before (spaCy's tokenizer
    splits at spaces first and then works inside each chunk alone), and lemmatise their new
    word forms: a chunk's tokens are then a dictionary lookup, however often it recurs."""
    seen = vocab.chunks
    new = {
        m.group() for s, e, _unused in sentences for m in _CHUNK.finditer(text, s, e)
    }.difference(seen)
    if not new:
        return
    if len(seen) > _MAX_CHUNKS:
        seen.clear()
    # spaCy's Tokenizer is a Cython class without stubs; its typed view is a bare Callable.
    tokenizer: Any = nlp.tokenizer
    tokenised = {chunk: tokenizer(chunk) for chunk in new}
    forms = {
        t.text
        for doc in tokenised.values()
        for t in doc
        if t.text not in vocab.forms and _LETTER.search(t.text)
    }
    if forms:
        _lemmatise_forms(nlp, sorted(forms), vocab)
    for chunk, doc in tokenised.items():
        items: list[tuple[int, int]] = []
        for token in doc:
            if token.text in _OPEN:
                items.append((token.idx, _OPENS))
            elif token.text in _CLOSE:
                items.append((token.idx, _CLOSES))
            elif (lemma := vocab.forms.get(token.text, -1)) >= 0:
                items.append((token.idx, lemma))
        seen[chunk] = tuple(items)


def _said(doc: Doc) -> Iterator[Token]:
    """The tokens outside brackets: ``(lacht)``, ``[onverstaanbaar]`` are the transcriber's."""
    depth = 0
    for token in doc:
        if token.text in _OPEN:
            depth += 1
        elif token.text in _CLOSE:
            depth = max(0, depth - 1)
        elif not depth:
            yield token


def _tokens(
    nlp: Language,
    text: str,
    sentences: list[tuple[int, int, int]],
    vocab: Vocabulary,
    in_context: bool,
) -> DocumentTokens:
    starts: list[int] = []
    turns: list[int] = []
    lemmas: list[int] = []
    pieces = [text[s:e] for s, e, _unused in sentences]
    if in_context:
        for (start, _unused, turn), doc in zip(sentences, nlp.pipe(pieces), strict=True):
            for token in _said(doc):
                if _LETTER.search(token.text) and _counted(token.text):
                    lemma = vocab.id(token.lemma_.lower())
                    if lemma >= 0:
                        starts.append(start + token.idx)
                        turns.append(turn)
                        lemmas.append(lemma)
    else:
        _learn_chunks(nlp, text, sentences, vocab)
        chunks = vocab.chunks
        for start, end, turn in sentences:
            depth = 0
            for match in _CHUNK.finditer(text, start, end):
                items = chunks[match.group()]
                if not items:
                    continue  # most chunks: a stop word, or punctuation
                at = match.start()
                for offset, lemma in items:
                    if lemma == _OPENS:
                        depth += 1
                    elif lemma == _CLOSES:
                        depth = max(0, depth - 1)
                    elif not depth:
                        starts.append(at + offset)
                        turns.append(turn)
                        lemmas.append(lemma)
    return DocumentTokens(
        np.array(starts, dtype=np.int64),
        np.array(turns, dtype=np.int32),
        np.array(lemmas, dtype=np.int32),
    )


def _sentences(project: Project, ids: list[int]) -> dict[int, list[tuple[int, int, int]]]:
    """``(start, end, turn)`` of each document's sentences, without a header above the first
    speaker (a title, a date: nobody says it; the suggester leaves it out too)."""
    rows = project.db.execute(
        'SELECT s.document_id, s.start, s."end", s.turn_number, t.speaker FROM segments s '
        "JOIN turns t ON t.document_id = s.document_id AND t.number = s.turn_number "
        "WHERE s.kind = 'sentence' AND s.document_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY s.document_id, s.start",
        (json.dumps(ids),),
    ).fetchall()
    first_speaker: dict[int, int] = {}
    for doc, _unused, _unused, turn, speaker in rows:
        if speaker and turn < first_speaker.get(doc, 1 << 30):
            first_speaker[doc] = turn
    found: dict[int, list[tuple[int, int, int]]] = {doc: [] for doc in ids}
    for doc, start, end, turn, speaker in rows:
        if speaker is None and turn < first_speaker.get(doc, 0):
            continue
        found[doc].append((start, end, turn))
    return found


def _key(project: Project) -> str:
    """The project in the cache's key: its file (shared by the Words screen's second
    connection), or for a project in memory the object itself."""
    return str(project.path) if project.path is not None else f"memory:{id(project)}"


def document_tokens(
    project: Project, model: str | None = None, document_ids: list[int] | None = None
) -> dict[int, DocumentTokens]:
    """The tokens of every document (or of ``document_ids``), from the cache where it can."""
    where = "" if document_ids is None else " WHERE id IN (SELECT value FROM json_each(?))"
    args = () if document_ids is None else (json.dumps(document_ids),)
    hashes = dict(project.db.execute("SELECT id, sha256 FROM documents" + where, args).fetchall())
    path = _key(project)
    name = model or ""
    found = {}
    missing = []
    for doc, sha in hashes.items():
        cached = _cache.get((path, doc, sha, name))
        if cached is None:
            missing.append(doc)
        else:
            found[doc] = cached
    if missing:
        with _lock:
            _tokenise(project, missing, hashes, found, model)
    return found


def _tokenise(
    project: Project,
    missing: list[int],
    hashes: dict[int, str],
    found: dict[int, DocumentTokens],
    model: str | None,
) -> None:
    path = _key(project)
    name = model or ""
    nlp = make_nlp(model)
    vocab = vocabulary(model)
    in_context = bool(model) and "kwali_verb_lemmas" not in nlp.pipe_names
    if len(_cache) + len(missing) > _MAX_CACHED:
        _cache.clear()
    for start in range(0, len(missing), 50):  # a few texts in memory at a time
        chunk = missing[start : start + 50]
        sentences = _sentences(project, chunk)
        texts = dict(
            project.db.execute(
                "SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(chunk),),
            ).fetchall()
        )
        for doc in chunk:
            tokens = _tokens(nlp, texts[doc], sentences[doc], vocab, in_context)
            _cache[(path, doc, hashes[doc], name)] = found[doc] = tokens


def interviewer_turns(project: Project) -> dict[int, np.ndarray]:
    """The interviewer's turn numbers of each document (sorted), read anew at every count."""
    by_document: dict[int, list[int]] = {}
    for doc, number in project.db.execute(
        "SELECT document_id, number FROM turns WHERE role = ? ORDER BY document_id, number",
        (INTERVIEWER,),
    ):
        by_document.setdefault(doc, []).append(number)
    return {doc: np.array(numbers, dtype=np.int32) for doc, numbers in by_document.items()}
