"""Ask for a text to find in the transcript."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from kwali.i18n import _


class SearchModal(ModalScreen[str | None]):
    """Dismisses with the text to find (may be empty: clear the search), or None."""

    BINDINGS = [Binding("escape", "cancel", _("Annuleren"), id="search.cancel")]

    def __init__(self, previous: str = "") -> None:
        super().__init__()
        self.previous = previous

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Zoeken in dit transcript"), classes="dialog-title")
            yield Input(
                self.previous, placeholder=_("woord of zinsdeel; leeg = zoeken wissen"), id="query"
            )
            yield Label(_("Enter: volgende treffer · Esc: annuleren"), classes="dialog-hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
