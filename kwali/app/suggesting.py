"""Run the code suggester over a project, incrementally."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from kwali.app.attribution import INTERVIEWER, left_out, speaker_role
from kwali.app.batching import stored_in_batches
from kwali.app.codebook_import import merge_codebook
from kwali.app.codebook_report import MergeReport
from kwali.app.parallel import in_order, workers_for
from kwali.errors import InputError, ProjectError
from kwali.i18n import _
from kwali.model import MIN_CODINGS, Codebook, Segment
from kwali.nlp import make_nlp
from kwali.store import Project
from kwali.store.base import SuggestionRow, suggestion_row
from kwali.store.suggestion_sources import record_sources
from kwali.tagging.learned import Example, LearnedModel, enough_codings
from kwali.tagging.suggest import Suggester, codebook_hash


@dataclass(frozen=True, slots=True)
class SuggestResult:
    suggester: str
    documents: int
    suggestions: int
    # Set when the suggester learned from confirmed codings: from how many, in how many texts.
    learned_codings: int = 0
    learned_texts: int = 0
    # Codes the model left out: fewer confirmed codings than ``min_codings`` (code -> codings).
    too_few: dict[str, int] = field(default_factory=dict)
    min_codings: int = MIN_CODINGS
    # Set when a codebook was merged in first: every decision of that merge.
    codebook: MergeReport | None = None


def rules_suggester(project: Project, model: str | None, *, hint: str) -> Suggester:
    """The rules of the project's codebook; refused (with ``hint``) when no code has signals."""
    current = project.codebook()
    if all(code.signals.is_empty() for code in current):
        raise ProjectError(
            _("heeft geen codes met signalen om suggesties uit te maken"),
            path=project.location,
            hint=hint,
        )
    key = (codebook_hash(current), model)
    if key not in _rules:
        _rules.clear()  # one codebook at a time: a changed codebook has a new hash
        _rules[key] = Suggester(current, make_nlp(model))
    return _rules[key]


# The compiled rules of the last codebook suggested from (building them takes a few tenths of
# a second; the UI and a long session suggest again and again from the same codebook). The
# hash covers everything in the codebook that can change a suggestion.
_rules: dict[tuple[str, str | None], Suggester] = {}


def documents_to_suggest(
    project: Project, suggester: Suggester, redo_all: bool = False
) -> list[int]:
    """Documents new or changed since this suggester (name + codebook hash) last ran."""
    return (
        project.document_ids() if redo_all else project.documents_needing_suggestions(suggester.id)
    )


def _codeable(segments: list[Segment], include_interviewer: bool) -> list[Segment]:
    """What a respondent said: not the interviewer, and not a header above the first speaker
    (:func:`kwali.app.attribution.left_out`, the rule agreement counts by)."""
    return [
        s
        for s, why in zip(segments, left_out(segments), strict=True)
        if why is None or (include_interviewer and why == INTERVIEWER)
    ]


def document_examples(
    project: Project, coders: Iterable[str] | None = None
) -> list[tuple[int, Example]]:
    """:func:`training_examples`, each with the id of its document."""
    codings = project.codings(coders=coders)
    by_document: dict[int, list] = {}
    for coding in codings:
        by_document.setdefault(coding.document_id, []).append(coding)
    examples = []
    for document_id, document_codings in sorted(by_document.items()):
        read_until = max(c.end for c in document_codings)
        for segment in _codeable(project.segments(document_id, kind="sentence"), False):
            if segment.start >= read_until:
                break
            codes = frozenset(
                c.code_key
                for c in document_codings
                if c.start < segment.end and c.end > segment.start
            )
            examples.append((document_id, Example(segment.text, codes)))
    return examples


def training_examples(project: Project, coders: Iterable[str] | None = None) -> list[Example]:
    """What the coders taught: respondent sentences with the codes confirmed on them.

    A sentence counts once a coder has read it, i.e. it lies before that coder's last coding
    in the document; a sentence read and left uncoded teaches what a code is *not*. Several
    coders' codes on one sentence are pooled.
    """
    return [example for _document, example in document_examples(project, coders)]


@dataclass(frozen=True, slots=True)
class Teachers:
    """Whose confirmed codings a model learns from, and which codes it may learn."""

    coders: tuple[str, ...]
    codes: list[str]  # those with at least the minimum of confirmed codings
    too_few: dict[str, int]  # code -> its codings, for codes used fewer times than that
    minimum: int


def teachers(
    project: Project, coders: Iterable[str] | None = None, min_codings: int = MIN_CODINGS
) -> Teachers:
    """The coders (``coders``, or everyone who confirmed a coding) and the codes with at least
    ``min_codings`` confirmed codings of theirs."""
    codings = project.codings(coders=coders)
    counts: dict[str, int] = {}
    for coding in codings:
        counts[coding.code_key] = counts.get(coding.code_key, 0) + 1
    known = set(project.codebook().code_keys())
    enough, too_few = enough_codings(
        {code: n for code, n in counts.items() if code in known}, min_codings
    )
    return Teachers(tuple(sorted({c.coder for c in codings})), enough, too_few, min_codings)


def learn_from_project(
    project: Project,
    suggester: Suggester,
    coders: Iterable[str] | None = None,
    min_codings: int = MIN_CODINGS,
    taught: Teachers | None = None,
) -> LearnedModel:
    """Fit a model on the project's confirmed codings (see :func:`training_examples`), for
    the codes with at least ``min_codings`` of them (``taught``, made by :func:`teachers`
    when the caller has none)."""
    coders = list(coders) if coders is not None else None
    examples = training_examples(project, coders)
    if not any(e.codes for e in examples):
        raise ProjectError(
            _("heeft geen bevestigde coderingen om van te leren"),
            path=project.location,
            hint=_("bevestig eerst codes in een paar interviews"),
        )
    taught = taught or teachers(project, coders, min_codings)
    if not taught.codes:
        raise ProjectError(
            _(
                "te weinig bevestigde coderingen om van te leren: geen code heeft er {n} of meer"
            ).format(n=min_codings),
            path=project.location,
            hint=_("bevestig eerst meer codes, of kies een lager minimum met --min-codings"),
        )
    try:
        docs = list(suggester.nlp.pipe(e.text for e in examples))
        return LearnedModel.train(examples, docs, taught.codes)
    except InputError as exc:
        raise ProjectError(
            exc.message, path=project.location, hint=_("bevestig eerst meer codes")
        ) from None


# A segment as a plain tuple, its fields in declaration order: a job crosses to a worker
# process pickled, and a tuple pickles ten times faster than the dataclass.
_segment_row = attrgetter(*(f.name for f in fields(Segment)))


@dataclass(frozen=True, slots=True)
class _Job:
    """One document to suggest for: all its sentences (as rows of :data:`_segment_row`) as
    context, which of them are codeable, and who said each."""

    document_id: int
    sentences: tuple[tuple[Any, ...], ...]
    codeable: tuple[int, ...]  # indices into ``sentences``
    # segment id -> the rol of who said it (the speaker's own, else the document's)
    speakers: Mapping[str, tuple[str, ...]]


# What a worker sends back: a document's suggestions in their stored form (plain tuples
# pickle fast, and the evidence is turned into JSON here, not in the process that stores).
_Found = tuple[int, list[SuggestionRow], list[SuggestionRow]]


def _suggest_document(
    job: _Job, suggesters: tuple[Suggester, Suggester], min_score: float, learned: bool
) -> _Found:
    """Suggest for one document (in a worker): the suggestions to store, and with learning
    the rules' own ones.

    ``suggesters`` is the one to store and the rules alone: a learned run also runs the rules
    alone, so that a blind coder can be shown the rules' part of a suggestion that another
    coder's codings shaped (kwali.app.reviewing). The interviewer's question before a
    respondent's turn, among the document's sentences, is evidence for what the answer is
    about.
    """
    suggester, rules = suggesters
    context = [Segment(*row) for row in job.sentences]
    segments = [context[i] for i in job.codeable]
    found = suggester.suggest_segments(
        segments, min_score=min_score, context=context, speakers=job.speakers
    )
    own = (
        rules.suggest_segments(
            segments, min_score=min_score, context=context, speakers=job.speakers
        )
        if learned
        else []
    )
    return job.document_id, list(map(suggestion_row, found)), list(map(suggestion_row, own))


def _store_document(
    project: Project,
    suggester: Suggester,
    result: _Found,
    learned_from: tuple[str, ...],
) -> int:
    """Store one document's suggestions, with where each comes from."""
    document_id, found, own = result
    rules = {(s.segment_id, s.code_key): s for s in own}
    with project.transaction():
        stored = project.replace_suggestion_rows(document_id, suggester.id, found)
        record_sources(project, document_id, suggester.id, learned_from, rules)
    return stored


def suggest_project(
    project: Project,
    *,
    codebook: Codebook | None = None,
    codebook_source: str = "",
    coder: str = "kwali",
    model: str | None = None,
    min_score: float = 0.5,
    redo_all: bool = False,
    include_interviewer: bool = False,
    learn: bool = False,
    learn_from: Iterable[str] | None = None,
    min_codings: int = MIN_CODINGS,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> SuggestResult:
    """Store suggestions for every document that needs them.

    Interviewer turns are skipped by default: the study codes what respondents say, and
    the interviewer's questions would otherwise echo every theme back. So is a transcript's
    header (the lines before the first speaker label).

    A ``codebook`` (read from the file ``codebook_source``) is first merged into the
    project's by the rule of ``kwali codebook import``: edits made in the project stay.

    With ``learn`` the rules are joined by a model of the confirmed codings (of the coders in
    ``learn_from``, or everyone's); its suggestions replace the rules-only ones. A code is
    learned once it has ``min_codings`` confirmed codings; the result names those with fewer.
    Each learned suggestion records whose codings taught it, and the rules' own part.

    The documents are suggested for on ``workers`` processes (default: every core, from
    :data:`kwali.app.parallel.POOL_FROM` documents on); the results are the same with one.
    """
    merged = None
    if codebook is not None:
        merged = merge_codebook(
            project, codebook, source=codebook_source or codebook.name, coder=coder
        )
    rules = rules_suggester(project, model, hint=_("laad een codeboek met --codebook"))
    suggester, taught = rules, None
    learn_from = list(learn_from) if learn_from is not None else None
    if learn:
        taught = teachers(project, learn_from, min_codings)
        learned = learn_from_project(project, rules, learn_from, min_codings, taught)
        suggester = rules.learning_from(learned)
    documents = documents_to_suggest(project, suggester, redo_all)
    learned_from = taught.coders if taught else ()

    def jobs() -> Iterator[_Job]:
        for document_id in documents:
            sentences = project.segments(document_id, kind="sentence")
            codeable = _codeable(sentences, include_interviewer)
            document = project.document(document_id)
            attributes = document.attributes if document else {}
            speakers = {
                s.id: (role,)
                for s in codeable
                if (role := speaker_role(attributes, s.role)) and role != INTERVIEWER
            }
            kept = {id(s) for s in codeable}
            yield _Job(
                document_id,
                tuple(map(_segment_row, sentences)),
                tuple(i for i, s in enumerate(sentences) if id(s) in kept),
                speakers,
            )

    def task(job: _Job) -> _Found:
        return _suggest_document(job, (suggester, rules), min_score, bool(learned_from))

    total = 0
    results = in_order(task, jobs(), workers_for(len(documents), workers))
    for stored in stored_in_batches(
        project, results, lambda result: _store_document(project, suggester, result, learned_from)
    ):
        total += stored
        if progress:
            progress(1)
    return SuggestResult(
        suggester.id,
        len(documents),
        total,
        suggester.learned.codings if suggester.learned else 0,
        suggester.learned.examples if suggester.learned else 0,
        codebook=merged,
        too_few=taught.too_few if taught else {},
        min_codings=min_codings,
    )
