"""Small modals for the codebook screen: a text form (the yes/no question is screens/confirm.py).

They only collect an answer and dismiss with it; the calling screen talks to the store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Input, Label, Static, TextArea

from kwali.i18n import _
from kwali.ui.widgets.fit import fit

MODAL_CSS = """
KwaliModal {
    align: center middle;
    background: $background 60%;
}
.kw-dialog {
    width: 76;
    max-width: 95%;
    height: auto;
    max-height: 95%;
    padding: 0 2;
    border: round $primary;
    background: $surface;
}
.kw-title { text-style: bold; color: $text; margin-bottom: 1; }
.kw-hint { color: $text-muted; margin-top: 1; }
.kw-error { color: $error; height: auto; }
.kw-field-label { color: $text-muted; }
.kw-field-label.-later { margin-top: 1; }
.kw-dialog Input, .kw-dialog TextArea { background: $boost; padding: 0 1; }
.kw-dialog Input:focus, .kw-dialog TextArea:focus { background: $primary 20%; }
.kw-dialog TextArea { height: 3; }
#form-fields { height: auto; scrollbar-size-vertical: 1; }
"""


def colour_style(colour: str) -> str:
    """A Rich style for a codebook colour, or "" when the codebook's value is not a colour."""
    if not colour:
        return ""
    try:
        return Color.parse(colour).hex
    except ColorParseError:
        return ""


class KwaliModal(ModalScreen[ScreenResultType]):
    """Base of these modals: a centred dialog box; its CSS is global so subclasses share it."""

    DEFAULT_CSS = MODAL_CSS
    SCOPED_CSS = False


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a :class:`FormModal`."""

    name: str
    label: str
    value: str = ""
    multiline: bool = False
    placeholder: str = ""


class FormModal(KwaliModal["dict[str, str] | None"]):
    """A few text fields; dismisses with {name: value}, or None when cancelled.

    ``check`` sees the values before the form closes and may return a Dutch error message,
    so a mistake (an empty key, say) is fixed in place instead of losing what was typed.
    """

    BINDINGS = [
        Binding("ctrl+s", "submit", _("Opslaan"), id="form.submit"),
        Binding("escape", "cancel", _("Annuleren"), id="form.cancel"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        check: Callable[[Mapping[str, str]], str | None] | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._fields = list(fields)
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="kw-dialog"):
            yield Label(Text(self._title), classes="kw-title")
            with VerticalScroll(id="form-fields", can_focus=False):
                yield from self._field_widgets()
            yield Static("", classes="kw-error", id="error")
            yield Static(
                _("tab: volgend veld · ctrl+s: opslaan · esc: annuleren"), classes="kw-hint"
            )

    def _field_widgets(self) -> ComposeResult:
        for n, field in enumerate(self._fields):
            yield Label(Text(field.label), classes="kw-field-label" + (" -later" if n else ""))
            if field.multiline:
                yield TextArea(
                    field.value,
                    id=f"field-{field.name}",
                    soft_wrap=True,
                    compact=True,
                    show_line_numbers=False,
                    tab_behavior="focus",
                )
            else:
                yield Input(
                    field.value,
                    placeholder=field.placeholder,
                    id=f"field-{field.name}",
                    compact=True,
                )

    def on_mount(self) -> None:
        self._fit()
        fields = self.query_one("#form-fields")
        # focusing the first field scrolls its label away; the form opens at its top
        self.call_after_refresh(lambda: fields.scroll_home(animate=False))

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The fields scroll, so the message and the keys line always show: border 2,
        title 2, message 1, keys 2 of the dialog's 95% of the screen."""
        fit(self.query_one("#form-fields"), 7, 0.95)

    def values(self) -> dict[str, str]:
        return {field.name: self._value(field) for field in self._fields}

    def _value(self, field: Field) -> str:
        selector = f"#field-{field.name}"
        if field.multiline:
            return self.query_one(selector, TextArea).text
        return self.query_one(selector, Input).value

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        names = [f.name for f in self._fields]
        index = names.index(str(event.input.id).removeprefix("field-"))
        if index == len(names) - 1:
            self.action_submit()
        else:
            self.query_one(f"#field-{names[index + 1]}").focus()

    def action_submit(self) -> None:
        values = {k: v.strip() for k, v in self.values().items()}
        problem = self._check(values) if self._check else None
        if problem:
            self.query_one("#error", Static).update(Text(problem))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
