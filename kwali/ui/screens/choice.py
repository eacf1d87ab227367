"""Pick one item from a list: a short fixed one (e.g. which coding to remove), or the codes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from kwali.i18n import _
from kwali.ui.widgets.fit import fit


class OptionsModal(ModalScreen[str | None]):
    """A titled list of options above a hint; dismisses with the chosen option's id, or None.

    The layout and the answer of every picking dialog; each subclass binds Escape to
    ``cancel`` under its own binding id, and may put a widget above the list (of
    ``above_lines`` lines). The list takes what the screen leaves and scrolls, so the hint
    (which keys choose and cancel) always shows.
    """

    above_lines = 0

    def __init__(self, title: str, *, hint: str, list_id: str, dialog: str = "dialog") -> None:
        super().__init__()
        self.title_text = title
        self._hint = hint
        self._list_id = list_id
        self._dialog_classes = dialog

    def compose(self) -> ComposeResult:
        with Vertical(classes=self._dialog_classes):
            yield Label(self.title_text, classes="dialog-title")
            yield from self.above_list()
            yield OptionList(*self.first_options(), id=self._list_id)
            yield Label(self._hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        # border and padding 4, title 2, hint 2, and what is above the list
        fit(self.query_one(f"#{self._list_id}"), 8 + self.above_lines)

    def above_list(self) -> Iterable[Widget]:
        """Widgets between the title and the list (none here)."""
        return ()

    def first_options(self) -> Iterable[Option]:
        """The options the list opens with."""
        return ()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceModal(OptionsModal):
    """Dismisses with the chosen item's id, or None."""

    BINDINGS = [Binding("escape", "cancel", _("Annuleren"), id="choice.cancel")]

    def __init__(self, title: str, items: Sequence[tuple[str, VisualType]]) -> None:
        super().__init__(title, hint=_("Enter: kiezen · Esc: annuleren"), list_id="choices")
        self.items = items

    def first_options(self) -> Iterable[Option]:
        return (Option(prompt, id=item_id) for item_id, prompt in self.items)
