"""What the coding screen's side panel shows: the current segment's open suggestions with the
words behind them, the codings on it (or on the selection), its memos and the selected text.

Plain data from the document state, so the screen only fetches the memos and draws.
"""

from __future__ import annotations

from collections.abc import Sequence

from kwali.io.turns import format_timestamp
from kwali.model import LEARNED_KIND, Memo, Suggestion
from kwali.ui.screens.coding_state import DocumentState, Span
from kwali.ui.widgets.segment_panel import CodingItem, PanelData, SuggestionItem


def _suggestion_item(state: DocumentState, suggestion: Suggestion, current: bool) -> SuggestionItem:
    """The codebook's words and the learned ones apart, so the coder sees where a code came from;
    a word both found is shown once, as the codebook's."""
    evidence = suggestion.evidence
    rules = tuple(dict.fromkeys(e.text for e in evidence if e.kind != LEARNED_KIND))
    learned = tuple(
        dict.fromkeys(e.text for e in evidence if e.kind == LEARNED_KIND and e.text not in rules)
    )
    key = suggestion.code_key
    return SuggestionItem(
        state.label(key), key, state.colours.get(key, ""), suggestion.score, rules, current, learned
    )


def panel_data_for(
    state: DocumentState,
    index: int,
    coder: str,
    selection: Span | None,
    chosen: Suggestion | None,
    memos: Sequence[Memo],
) -> PanelData:
    """The panel for segment ``index``, as ``coder`` sees it; ``chosen`` is the suggestion
    `a` and `x` act on, ``memos`` the segment's memos this coder may see."""
    segment = state.segments[index]
    start, end = selection or (segment.start, segment.end)
    suggestions = tuple(
        _suggestion_item(state, s, s is chosen) for s in state.suggestions_for(index)
    )
    codings = tuple(
        CodingItem(
            state.label(c.code_key),
            state.colours.get(c.code_key, ""),
            c.coder,
            c.coder == coder,
            c.memo,
            c.origin,
        )
        for c in state.codings_on(start, end)
    )
    selected = ""
    if selection:
        text = state.document.text[start:end].replace("\n", " ")
        selected = text if len(text) <= 160 else text[:80] + " … " + text[-70:]
    return PanelData(
        reference=state.reference(segment),
        speaker=segment.speaker or "",
        timestamp=format_timestamp(segment.timestamp),
        line=segment.line,
        suggestions=suggestions,
        codings=codings,
        memos=tuple(f"{m.text} — {m.coder}" for m in memos),
        selection=selected,
        marked=state.is_marked(index),
    )
