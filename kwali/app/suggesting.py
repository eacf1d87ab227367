"""Run the code suggester over a project, incrementally."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kwali.app.codebook_import import merge_codebook
from kwali.app.codebook_report import MergeReport
from kwali.errors import InputError, ProjectError
from kwali.i18n import _
from kwali.model import Codebook, Segment
from kwali.nlp import make_nlp
from kwali.store import Project
from kwali.tagging.learned import Example, LearnedModel, learn
from kwali.tagging.suggest import Suggester


@dataclass(frozen=True, slots=True)
class SuggestResult:
    suggester: str
    documents: int
    suggestions: int
    # Set when the suggester learned from confirmed codings: from how many, in how many texts.
    learned_codings: int = 0
    learned_texts: int = 0
    # Set when a codebook was merged in first: every decision of that merge.
    codebook: MergeReport | None = None


def documents_to_suggest(
    project: Project, suggester: Suggester, redo_all: bool = False
) -> list[int]:
    """Documents new or changed since this suggester (name + codebook hash) last ran."""
    return (
        project.document_ids() if redo_all else project.documents_needing_suggestions(suggester.id)
    )


def _codeable(segments: list[Segment], include_interviewer: bool) -> list[Segment]:
    """What a respondent said: not the interviewer, and not a header above the first speaker."""
    first_speaker = min((s.turn_number for s in segments if s.speaker), default=0)
    return [
        s
        for s in segments
        if (include_interviewer or s.role != "interviewer")
        and not (s.speaker is None and s.turn_number < first_speaker)
    ]


def training_examples(project: Project, coders: Iterable[str] | None = None) -> list[Example]:
    """What the coders taught: respondent sentences with the codes confirmed on them.

    A sentence counts once a coder has read it, i.e. it lies before that coder's last coding
    in the document; a sentence read and left uncoded teaches what a code is *not*. Several
    coders' codes on one sentence are pooled.
    """
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
            examples.append(Example(segment.text, codes))
    return examples


def learn_from_project(
    project: Project, suggester: Suggester, coders: Iterable[str] | None = None
) -> LearnedModel:
    """Fit a model on the project's confirmed codings (see :func:`training_examples`)."""
    examples = training_examples(project, coders)
    if not any(e.codes for e in examples):
        raise ProjectError(
            _("heeft geen bevestigde coderingen om van te leren"),
            path=project.path,
            hint=_("bevestig eerst codes in een paar interviews"),
        )
    try:
        return learn(examples, suggester.nlp, suggester.codebook)
    except InputError as exc:
        raise ProjectError(
            exc.message, path=project.path, hint=_("bevestig eerst meer codes")
        ) from None


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
    progress: Callable[[int], None] | None = None,
) -> SuggestResult:
    """Store suggestions for every document that needs them.

    Interviewer turns are skipped by default: the study codes what respondents say, and
    the interviewer's questions would otherwise echo every theme back. So is a transcript's
    header (the lines before the first speaker label).

    A ``codebook`` (read from the file ``codebook_source``) is first merged into the
    project's by the rule of ``kwali codebook import``: edits made in the project stay.

    With ``learn`` the rules are joined by a model of the confirmed codings (of the coders in
    ``learn_from``, or everyone's); its suggestions replace the rules-only ones.
    """
    merged = None
    if codebook is not None:
        merged = merge_codebook(
            project, codebook, source=codebook_source or codebook.name, coder=coder
        )
    current = project.codebook()
    if all(code.signals.is_empty() for code in current):
        raise ProjectError(
            _("heeft geen codes met signalen om suggesties uit te maken"),
            path=project.path,
            hint=_("laad een codeboek met --codebook"),
        )
    suggester = Suggester(current, make_nlp(model))
    learned = learn_from_project(project, suggester, learn_from) if learn else None
    if learned is not None:
        suggester = suggester.learning_from(learned)
    documents = documents_to_suggest(project, suggester, redo_all)
    total = 0
    for document_id in documents:
        segments = _codeable(project.segments(document_id, kind="sentence"), include_interviewer)
        suggestions = suggester.suggest_segments(segments, min_score=min_score)
        total += project.replace_suggestions(document_id, suggester.id, suggestions)
        if progress:
            progress(1)
    return SuggestResult(
        suggester.id,
        len(documents),
        total,
        learned.codings if learned else 0,
        learned.examples if learned else 0,
        merged,
    )
