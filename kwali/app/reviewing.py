"""Which open suggestions a coder reviews, and reviewing all of one code at once.

The coding screen's ``A`` and ``X`` accept or reject every open suggestion of one code in a
document (or in the selection) as one action, so one undo takes them all back. In blind mode a
coder sees no suggestion that carries another coder's judgement: none learned from confirmed
codings (those are everyone's, which is why learning is off in blind mode) and no search's but
their own (a search's suggester names who searched: ``search:dwang@anna``).
"""

from __future__ import annotations

from collections.abc import Sequence

from kwali.model import LEARNED_KIND, Suggestion
from kwali.store import Project, Verb

LEARNED_MARK = "+learned."  # in the suggester's version when a learned model joined the rules
SEARCH_PREFIX = "search:"

Span = tuple[int, int]


def visible_blind(suggestion: Suggestion, coder: str) -> bool:
    """Whether a blind ``coder`` may see ``suggestion``."""
    if LEARNED_MARK in suggestion.suggester:
        return False
    if any(e.kind == LEARNED_KIND for e in suggestion.evidence):
        return False
    if suggestion.suggester.startswith(SEARCH_PREFIX):
        return suggestion.suggester.endswith(f"@{coder}")
    return True


def open_suggestions(
    project: Project, document_id: int, coder: str, blind: bool
) -> list[Suggestion]:
    """The suggestions in a document still open for ``coder``, as ``coder`` may see them."""
    found = project.suggestions(document_id=document_id, open_for=coder)
    return [s for s in found if visible_blind(s, coder)] if blind else found


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
