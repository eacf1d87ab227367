"""Which open suggestions a coder reviews, and reviewing all of one code at once.

The coding screen's ``A`` and ``X`` accept or reject every open suggestion of one code in a
document (or in the selection) as one action, so one undo takes them all back. In blind mode a
coder sees no suggestion that carries another coder's judgement: no search's but their own (a
search's suggester names who searched: ``search:dwang@anna``), and a learned suggestion only
when the model learned from this coder's codings alone; one that others' codings taught is
shown as the rules alone made it (their score, their evidence), or not at all when the rules
alone would not have suggested it (where it comes from: ``kwali.store.suggestion_sources``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kwali.model import LEARNED_KIND, Suggestion
from kwali.store import Project, Verb
from kwali.store.suggestion_sources import suggestion_sources

LEARNED_MARK = "+learned."  # in the suggester's version when a learned model joined the rules
SEARCH_PREFIX = "search:"

Span = tuple[int, int]


def is_learned(suggestion: Suggestion) -> bool:
    """Whether a model learned from confirmed codings had a hand in ``suggestion``."""
    return LEARNED_MARK in suggestion.suggester or any(
        e.kind == LEARNED_KIND for e in suggestion.evidence
    )


def visible_blind(suggestion: Suggestion, coder: str) -> bool:
    """Whether a blind ``coder`` may see ``suggestion`` as it is, without asking the project
    where a learned one comes from (:func:`blind_view` does)."""
    if is_learned(suggestion):
        return False
    if suggestion.suggester.startswith(SEARCH_PREFIX):
        return suggestion.suggester.endswith(f"@{coder}")
    return True


def blind_view(project: Project, suggestions: Sequence[Suggestion], coder: str) -> list[Suggestion]:
    """What a blind ``coder`` may see of ``suggestions``: those no other coder's decisions
    shaped, and of a learned one that others taught, the rules' part (or nothing)."""
    learned = [s.id for s in suggestions if s.id is not None and is_learned(s)]
    sources = suggestion_sources(project, learned) if learned else {}
    shown = []
    for suggestion in suggestions:
        if visible_blind(suggestion, coder):
            shown.append(suggestion)
            continue
        source = sources.get(suggestion.id) if suggestion.id is not None else None
        if source is None:  # a search of someone else's, or learned from unknown codings
            continue
        if set(source.learned_from) <= {coder}:
            shown.append(suggestion)
        elif source.rules_score is not None:
            shown.append(
                replace(suggestion, score=source.rules_score, evidence=source.rules_evidence)
            )
    return shown


def open_suggestions(
    project: Project, document_id: int, coder: str, blind: bool
) -> list[Suggestion]:
    """The suggestions in a document still open for ``coder``, as ``coder`` may see them."""
    found = project.suggestions(document_id=document_id, open_for=coder)
    return blind_view(project, found, coder) if blind else found


def of_code(
    suggestions: Sequence[Suggestion], code_key: str, span: Span | None = None
) -> list[Suggestion]:
    """Those of ``code_key``; with a ``span``, those on a sentence that overlaps it."""
    return [
        s
        for s in suggestions
        if s.code_key == code_key and (span is None or (s.start < span[1] and s.end > span[0]))
    ]


def review_all(
    project: Project, suggestions: Sequence[Suggestion], coder: str, *, accept: bool
) -> int:
    """Accept (each a coding of ``coder``) or reject them all, as one undoable action.
    They must be of one code; returns how many were reviewed."""
    codes = {s.code_key for s in suggestions}
    if len(codes) != 1:
        raise ValueError(f"review_all takes suggestions of one code, not {sorted(codes)}")
    review = project.accept_suggestion if accept else project.reject_suggestion
    verb = Verb.ACCEPT_ALL if accept else Verb.REJECT_ALL
    with project.action(coder, verb, codes.pop(), str(len(suggestions))):
        for suggestion in suggestions:
            assert suggestion.id is not None  # read from the store
            review(suggestion.id, coder)
    return len(suggestions)
