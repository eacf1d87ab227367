"""Pick one item from a short list (e.g. which coding to remove)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class ChoiceModal(ModalScreen[str | None]):
    """Dismisses with the chosen item's id, or None."""

    BINDINGS = [Binding("escape", "cancel", "Annuleren", id="choice.cancel")]

    def __init__(self, title: str, items: list[tuple[str, object]]) -> None:
        super().__init__()
        self.title_text = title
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(
                *(Option(prompt, id=item_id) for item_id, prompt in self.items), id="choices"
            )
            yield Label("Enter: kiezen · Esc: annuleren", classes="dialog-hint")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
