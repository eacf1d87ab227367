"""Run the code suggester over a project, incrementally."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kwali.errors import ProjectError
from kwali.model import Codebook, Segment
from kwali.nlp import make_nlp
from kwali.store import Project
from kwali.tagging.suggest import Suggester


@dataclass(frozen=True, slots=True)
class SuggestResult:
    suggester: str
    documents: int
    suggestions: int


def documents_to_suggest(project: Project, suggester: Suggester, redo_all: bool = False) -> list[int]:
    """Documents new or changed since this suggester (name + codebook hash) last ran."""
    return project.document_ids() if redo_all else project.documents_needing_suggestions(suggester.id)


def _codeable(segments: list[Segment], include_interviewer: bool) -> list[Segment]:
    """What a respondent said: not the interviewer, and not a header above the first speaker."""
    first_speaker = min((s.turn_number for s in segments if s.speaker), default=0)
    return [
        s for s in segments
        if (include_interviewer or s.role != "interviewer")
        and not (s.speaker is None and s.turn_number < first_speaker)
    ]


def suggest_project(
    project: Project,
    *,
    codebook: Codebook | None = None,
    coder: str = "kwali",
    model: str | None = None,
    min_score: float = 0.5,
    redo_all: bool = False,
    include_interviewer: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SuggestResult:
    """Store suggestions for every document that needs them.

    Interviewer turns are skipped by default: the study codes what respondents say, and
    the interviewer's questions would otherwise echo every theme back. So is a transcript's
    header (the lines before the first speaker label).
    """
    if codebook is not None:
        project.set_codebook(codebook, coder=coder)
    current = project.codebook()
    if all(code.signals.is_empty() for code in current):
        raise ProjectError("has no codes with signals to suggest from", path=project.path,
                           hint="load a codebook with --codebook")
    suggester = Suggester(current, make_nlp(model))
    documents = documents_to_suggest(project, suggester, redo_all)
    total = 0
    for document_id in documents:
        segments = _codeable(project.segments(document_id, kind="sentence"), include_interviewer)
        suggestions = suggester.suggest_segments(segments, min_score=min_score)
        total += project.replace_suggestions(document_id, suggester.id, suggestions)
        if progress:
            progress(1)
    return SuggestResult(suggester.id, len(documents), total)
