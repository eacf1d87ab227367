"""The quotes behind one cell of the tables screen; Enter opens the transcript there."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from kwali.app.wording import counted
from kwali.i18n import _
from kwali.ui.messages import JumpToCoding, RowChosen
from kwali.ui.widgets.document_table import Column, DocumentTable


def _flat(text: str) -> str:
    return " ".join(text.split())


class CellQuotesScreen(Screen[None]):
    """The quotes behind one table cell; Enter opens the transcript at the highlighted one."""

    BINDINGS = [
        Binding("enter", "jump", _("Ga naar"), id="cell_quotes.jump"),
        Binding("escape", "back", _("Terug"), id="cell_quotes.back"),
    ]

    DEFAULT_CSS = """
    CellQuotesScreen #cell-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    CellQuotesScreen #cell-quotes { height: 1fr; }
    CellQuotesScreen #cell-detail {
        height: auto; max-height: 8; padding: 0 1; border-top: solid $panel-lighten-2;
    }
    """

    def __init__(self, where: str, quotes: list) -> None:
        super().__init__()
        self.where = where
        self.quotes = quotes

    def compose(self) -> ComposeResult:
        n = len(self.quotes)
        quotes = counted(n, _("citaat"), _("citaten"))
        heading = f"[b]{quotes}[/b] · {escape(self.where)}"  # i18n: keep (a join)
        yield Static(heading, id="cell-title")
        yield DocumentTable(id="cell-quotes", fixed_columns=1)
        yield Static(id="cell-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DocumentTable)
        width = max(60, self.app.size.width)
        ref_width = max([6, *(len(q.reference) for q in self.quotes)])
        code_width = 14 if width < 120 else 28
        columns = [
            Column(_("Bron"), max_width=ref_width),
            Column(_("Codes"), max_width=code_width),
            Column(_("Citaat"), max_width=max(20, width - ref_width - code_width - 7)),
        ]
        rows: list[list[str | Text]] = [
            [q.reference, ", ".join(q.codes), _flat(q.text)] for q in self.quotes
        ]
        table.set_rows(columns, rows, list(range(len(self.quotes))))
        self.watch(table, "cursor", self._show_detail, init=True)
        table.focus()

    def highlighted(self):  # noqa: ANN201 - a Quotation or None
        key = self.query_one(DocumentTable).cursor_key
        return None if key is None or key >= len(self.quotes) else self.quotes[key]

    def _show_detail(self, _unused: object = None) -> None:
        detail = self.query_one("#cell-detail", Static)
        quote = self.highlighted()
        if quote is None:
            detail.update(Text(_("Geen citaten in deze cel."), style="dim"))
            return
        text = Text()
        text.append(f"{quote.reference} · {quote.document_name}", style="bold")
        who = f" · {quote.respondent}" if quote.respondent else ""
        text.append(f"{who} · {', '.join(quote.codes)}\n", style="dim")
        text.append(quote.text.strip())
        detail.update(text)

    @on(RowChosen)
    def _row_chosen(self, _event: RowChosen) -> None:
        self.action_jump()

    def action_jump(self) -> None:
        quote = self.highlighted()
        if quote is not None:
            self.app.post_message(JumpToCoding(quote.document_id, quote.start))

    def action_back(self) -> None:
        self.dismiss(None)
