"""Small modals for the codebook and quotes screens: confirm, a text form, a fuzzy code picker.

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
from textual.containers import Horizontal, Vertical
from textual.fuzzy import FuzzySearch
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from kwali.model import Code, Codebook

TOP_LEVEL = "\x00top"  # option id for "no parent" in the picker; never a valid code key

MODAL_CSS = """
KwaliModal {
    align: center middle;
    background: $background 60%;
}
CodePickerModal { align: center top; }
.kw-dialog {
    width: 76;
    max-width: 95%;
    height: auto;
    max-height: 95%;
    padding: 0 2;
    border: round $primary;
    background: $surface;
}
CodePickerModal .kw-dialog { margin-top: 2; height: 80%; max-height: 30; }
.kw-title { text-style: bold; color: $text; margin-bottom: 1; }
.kw-body { margin-bottom: 1; }
.kw-hint { color: $text-muted; margin-top: 1; }
.kw-error { color: $error; height: auto; }
.kw-field-label { color: $text-muted; }
.kw-field-label.-later { margin-top: 1; }
.kw-dialog Input, .kw-dialog TextArea { background: $boost; padding: 0 1; }
.kw-dialog Input:focus, .kw-dialog TextArea:focus { background: $primary 20%; }
.kw-dialog TextArea { height: 3; }
.kw-buttons { height: auto; align-horizontal: right; margin-top: 1; }
.kw-buttons Button { margin-left: 2; padding: 0 2; }
CodePickerModal OptionList { height: 1fr; border: none; margin-top: 1; background: $surface; }
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


class ConfirmModal(KwaliModal[bool]):
    """Ask yes or no before something destructive; dismisses with the answer."""

    BINDINGS = [
        Binding("y,j", "answer(True)", "Ja", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "Nee", id="confirm.no"),
    ]

    def __init__(self, title: str, body: str, yes: str = "Ja", no: str = "Annuleren") -> None:
        super().__init__()
        self._title, self._body, self._yes, self._no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="kw-dialog"):
            yield Label(Text(self._title), classes="kw-title")
            yield Static(Text(self._body), classes="kw-body")
            with Horizontal(classes="kw-buttons"):
                yield Button(self._no, id="no", compact=True)
                yield Button(self._yes, id="yes", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no_pressed(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


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
        Binding("ctrl+s", "submit", "Opslaan", id="form.submit"),
        Binding("escape", "cancel", "Annuleren", id="form.cancel"),
    ]

    def __init__(
        self, title: str, fields: Sequence[Field],
        check: Callable[[Mapping[str, str]], str | None] | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._fields = list(fields)
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="kw-dialog"):
            yield Label(Text(self._title), classes="kw-title")
            for n, field in enumerate(self._fields):
                yield Label(Text(field.label), classes="kw-field-label" + (" -later" if n else ""))
                if field.multiline:
                    yield TextArea(field.value, id=f"field-{field.name}", soft_wrap=True, compact=True,
                                   show_line_numbers=False, tab_behavior="focus")
                else:
                    yield Input(field.value, placeholder=field.placeholder, id=f"field-{field.name}",
                                compact=True)
            yield Static("", classes="kw-error", id="error")
            yield Static("tab: volgend veld · ctrl+s: opslaan · esc: annuleren", classes="kw-hint")

    def values(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for field in self._fields:
            widget = self.query_one(f"#field-{field.name}")
            result[field.name] = widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]
        return result

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


class CodePickerModal(KwaliModal["str | None"]):
    """Type a few letters of a code's label or key, pick it; dismisses with its key or None.

    With ``top_level`` set, an extra first option (dismissing with :data:`TOP_LEVEL`) stands
    for "no parent".
    """

    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="picker.cancel"),
        Binding("down", "move(1)", "Omlaag", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Omhoog", show=False, id="picker.up"),
        Binding("pagedown", "move(10)", "Pagina omlaag", show=False, id="picker.pagedown"),
        Binding("pageup", "move(-10)", "Pagina omhoog", show=False, id="picker.pageup"),
    ]

    def __init__(
        self, title: str, codebook: Codebook, *, exclude: Sequence[str] = (),
        counts: Mapping[str, int] | None = None, top_level: str | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._codebook = codebook
        excluded = set(exclude)
        self._codes = [c for c in codebook if c.key not in excluded]
        self._counts = counts or {}
        self._top_level = top_level
        self._search = FuzzySearch()

    def compose(self) -> ComposeResult:
        with Vertical(classes="kw-dialog"):
            yield Label(Text(self._title), classes="kw-title")
            yield Input(placeholder="typ om te zoeken (label of sleutel)", id="query", compact=True)
            yield OptionList(id="options")
            yield Static("↑↓: kiezen · enter: kies · esc: annuleren", classes="kw-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#query", Input).focus()

    def _depth(self, code: Code) -> int:
        return len(self._codebook.path(code.key)) - 1

    def _prompt(self, code: Code, positions: Sequence[int], indent: int) -> Text:
        candidate = f"{code.label}  {code.key}"
        text = Text("  " * indent)
        text.append("● " if code.kind == "code" else "▸ ", style=colour_style(code.colour) or "dim")
        name = Text(candidate)
        name.stylize("dim", len(code.label))
        if code.kind == "category":
            name.stylize("bold", 0, len(code.label))
        for position in positions:
            name.stylize("bold underline", position, position + 1)
        text.append_text(name)
        if code.key in self._counts:
            text.append(f"  ({self._counts[code.key]})", style="dim")
        return text

    def _fill(self, query: str) -> None:
        options = self.query_one("#options", OptionList)
        options.clear_options()
        rows: list[Option] = []
        if self._top_level and not query:
            rows.append(Option(Text(self._top_level, style="italic"), id=TOP_LEVEL))
        if query:
            scored = []
            for order, code in enumerate(self._codes):
                score, positions = self._search.match(query, f"{code.label}  {code.key}")
                if score > 0:
                    scored.append((-score, order, code, positions))
            scored.sort(key=lambda item: (item[0], item[1]))
            rows.extend(Option(self._prompt(c, p, 0), id=c.key) for _, _, c, p in scored)
        else:
            rows.extend(Option(self._prompt(c, (), self._depth(c)), id=c.key) for c in self._codes)
        options.add_options(rows)
        if rows:
            options.highlighted = 0

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._fill(event.value.strip())

    @on(Input.Submitted, "#query")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#options", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one("#options", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
