"""A yes/no question: every destructive action on many codings goes through it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from kwali.i18n import _
from kwali.ui.widgets.fit import fit

# what the dialog takes besides the question: border and padding 4, the keys line 2,
# the buttons 4 (at 80×24 the question and its explanation get 11 lines, then scroll)
_RESERVED = 10


class ConfirmModal(ModalScreen[bool]):
    """Ask yes or no before something destructive; dismisses with True (yes) or False (no).

    ``body`` optionally explains what will happen. The safe answer has the focus, so Enter
    never destroys anything: j/y answer yes, n/escape answer no, and the dialog says so.
    The question and its explanation wrap, and scroll when the screen is too low for them.
    """

    DEFAULT_CSS = """
    ConfirmModal #confirm-text { height: auto; }
    ConfirmModal .confirm-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("j,y", "answer(True)", _("Ja"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", _("Nee"), id="confirm.no"),
    ]

    def __init__(
        self, question: str, body: str = "", yes: str | None = None, no: str | None = None
    ) -> None:
        super().__init__()
        self.question, self.body = question, body
        self.yes = yes if yes is not None else _("Ja")
        self.no = no if no is not None else _("Nee")
        self._plain_yes = yes is None  # the hint says "ja", not "ja, ja"

    @property
    def keys_hint(self) -> str:
        """Which key answers what: "j: ja, verwijderen · n/Esc: nee"."""
        if self._plain_yes:
            yes = _("ja")
        else:
            yes = _("ja, {answer}").format(answer=self.yes.lower())
        return _("j: {yes} · n/Esc: {no}").format(yes=yes, no=self.no.lower())

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            with VerticalScroll(id="confirm-text", can_focus=False):
                yield Static(Text(self.question), classes="confirm-question")
                if self.body:
                    yield Static(Text(self.body), classes="confirm-body")
            yield Label(self.keys_hint, classes="confirm-keys")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("{answer} (j)").format(answer=self.yes), variant="error", id="yes")
                yield Button(_("{answer} (n)").format(answer=self.no), id="no")

    def on_mount(self) -> None:
        self._fit()
        self.query_one("#no", Button).focus()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        fit(self.query_one("#confirm-text"), _RESERVED)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
