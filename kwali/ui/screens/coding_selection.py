"""Selecting a span on the coding screen: `s` selects the current sentence, the arrows move
its ends a word at a time, shift+↑↓ add or drop a sentence, Enter codes it.

A mixin of :class:`~kwali.ui.screens.coding.CodingScreen`, split off to keep each module small;
it sees the screen as a :class:`SelectingView`. A mouse drag selects too: the screen handles
that, as Textual finds ``@on`` handlers only on its own message-pump classes, not on a mixin.
"""

from __future__ import annotations

from typing import Protocol

from textual.binding import Binding

from kwali.i18n import _
from kwali.ui.screens.coding_state import Span
from kwali.ui.screens.protocols import CodingView

# These keys do something only while there is a selection; otherwise they are off.
_SELECTION_ACTIONS = {"extend", "extend_start", "extend_segment", "code_selection"}

# The selection's keys, last in the screen's bindings; `code_selection` is the screen's action.
SELECTION_BINDINGS = [
    Binding(
        "right",
        "extend('end', 1)",
        _("Selectie: einde een woord verder"),
        show=False,
        id="coding.sel_end_next",
    ),
    Binding(
        "left",
        "extend('end', -1)",
        _("Selectie: einde een woord terug"),
        show=False,
        id="coding.sel_end_prev",
    ),
    Binding(
        "shift+left",
        "extend('start', -1)",
        _("Selectie: begin een woord terug"),
        show=False,
        id="coding.sel_start_prev",
    ),
    Binding(
        "shift+right",
        "extend('start', 1)",
        _("Selectie: begin een woord verder"),
        show=False,
        id="coding.sel_start_next",
    ),
    Binding(
        "shift+down",
        "extend_segment(1)",
        _("Selectie: een zin erbij"),
        show=False,
        id="coding.sel_more",
    ),
    Binding(
        "shift+up",
        "extend_segment(-1)",
        _("Selectie: een zin eraf"),
        show=False,
        id="coding.sel_less",
    ),
    Binding("enter", "code_selection", _("Codeer selectie"), id="coding.code_selection"),
]


class SelectingView(CodingView, Protocol):
    """The coding screen as its selection keys use it."""

    def refresh_bindings(self) -> None:
        """Re-check which keys are on (and shown in the footer)."""


class SpanSelection:
    """Mixin for the coding screen: `s`, the selection's arrow keys, and switching those keys
    on and off with the selection."""

    selection: Span | None  # the screen's: what is selected, as (start, end) text offsets

    def check_action(
        self: SelectingView, action: str, parameters: tuple[object, ...]
    ) -> bool | None:
        if action in _SELECTION_ACTIONS:
            return self.selection is not None
        return True

    def action_select(self: SelectingView) -> None:
        if self.selection is None and self.segment:
            self.selection = (self.segment.start, self.segment.end)
        else:
            self.selection = None
        self.refresh_bindings()
        self.show(annotations=False)

    def action_extend(self: SelectingView, edge: str, step: int) -> None:
        if self.selection and self.state:
            self.selection = self.state.move_edge(self.selection, edge, step)
            self.show(scroll=True, annotations=False)

    def action_extend_segment(self: SelectingView, step: int) -> None:
        if self.selection and self.state:
            self.selection = self.state.extend_by_segment(self.selection, step)
            self.show(scroll=True, annotations=False)
