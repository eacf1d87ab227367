"""`?`: every key binding of the screen below, with what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from kwali.i18n import _


def binding_rows(screen: Screen) -> list[tuple[str, str]]:
    """(key, description) for every binding of ``screen``, including those that only work in
    a mode (e.g. while selecting), those of the focused widget, and the app's; a binding's
    tooltip follows as a row without a key."""
    rows, seen = [], set()
    bindings = [active.binding for active in screen.active_bindings.values()]
    bindings += [b for b in type(screen).BINDINGS if isinstance(b, Binding)]
    for binding in bindings:
        # bindings without an id are Textual's own (focus, copy, ctrl+q): not kwali's keys
        if (
            not binding.id
            or not binding.description
            or binding.system
            or (binding.action, binding.description) in seen
        ):
            continue
        seen.add((binding.action, binding.description))
        rows.append((screen.app.get_key_display(binding), binding.description))
        if binding.tooltip:  # the longer explanation, on a line of its own under the key
            rows.append(("", binding.tooltip))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists the keys; the same list the footer and the command palette draw from."""

    BINDINGS = [Binding("escape,question_mark,q", "close", _("Sluiten"), id="help.close")]

    def __init__(self, rows: list[tuple[str, str]], title: str) -> None:
        super().__init__()
        self.rows = rows
        self.title_text = title

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", justify="right")
        table.add_column()
        for key, description in self.rows:
            table.add_row(key, description if key else Text(description, style="dim italic"))
        table.add_row("ctrl+p", _("Opdrachtenpalet: elke actie op naam zoeken"))
        with VerticalScroll(classes="dialog dialog-wide", id="help"):
            # how to close it on the first line: at 80×24 the hint below is out of view
            title = Text(_("Toetsen — {screen}").format(screen=self.title_text))
            title.append("   " + _("Esc sluit · ↑↓ scrolt"), style="not bold dim")
            yield Label(title, classes="dialog-title")
            yield Static(table)
            yield Label(
                _(
                    "Alles wat je bevestigt staat meteen in het projectbestand. "
                    "Esc of ? sluit deze hulp."
                ),
                classes="dialog-hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)
