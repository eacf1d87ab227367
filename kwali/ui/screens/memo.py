"""Write or edit a memo on the segment or on one of your codings."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, TextArea


@dataclass(frozen=True, slots=True)
class MemoTarget:
    """Something a memo can be about; ``existing`` is the coder's current memo text."""

    kind: str  # "segment" or "coding"
    target_id: str
    title: str
    existing: str = ""


@dataclass(frozen=True, slots=True)
class MemoResult:
    target: MemoTarget
    text: str


class MemoModal(ModalScreen[MemoResult | None]):
    """Dismisses with the target and new text, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Opslaan", id="memo.save"),
        Binding("escape", "cancel", "Annuleren", id="memo.cancel"),
    ]

    def __init__(self, targets: list[MemoTarget]) -> None:
        super().__init__()
        self.targets = targets

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Label("Memo", classes="dialog-title")
            if len(self.targets) > 1:
                yield Select(
                    [(t.title, i) for i, t in enumerate(self.targets)],
                    value=0,
                    allow_blank=False,
                    id="target",
                )
            else:
                yield Label(self.targets[0].title, classes="dialog-hint")
            yield TextArea(self.targets[0].existing, id="memo-text", soft_wrap=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Opslaan (ctrl+s)", variant="primary", id="save")
                yield Button("Annuleren", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#memo-text", TextArea).focus()

    @property
    def target(self) -> MemoTarget:
        if len(self.targets) > 1:
            index = self.query_one("#target", Select).selection
            return self.targets[index or 0]  # the list has no blank: there is always an index
        return self.targets[0]

    @on(Select.Changed, "#target")
    def _target_changed(self) -> None:
        self.query_one("#memo-text", TextArea).text = self.target.existing

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(MemoResult(self.target, self.query_one("#memo-text", TextArea).text.strip()))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
