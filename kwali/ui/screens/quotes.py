"""All quotes of one code across documents, with the highlighted one in its context.

A code can carry thousands of codings, so each document is read once (text, turns,
attributes) and every row is built from that cache; the table itself only draws the rows
on screen. Narrow terminals drop the less important columns: the pane below the table shows
every detail of the highlighted quote anyway.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kwali.app.attribution import attribute_value
from kwali.app.units import SpeakerAttributes
from kwali.app.wording import counted
from kwali.i18n import _
from kwali.model import Coding, Document, Turn
from kwali.store import Project
from kwali.store.attribute_types import shown_value
from kwali.ui.messages import JumpToCoding, ProjectChanged
from kwali.ui.screens.code_picker import CodePickerModal
from kwali.ui.screens.codebook_modals import colour_style

CONTEXT_BEFORE = 400  # characters of context shown before and after the quote
CONTEXT_AFTER = 300
_BATCH = 500  # rows added per step, so a code with thousands of codings shows at once
_MIN_QUOTE = 40  # narrowest quote column worth showing; narrower drops other columns
_WIDE_QUOTE = 90  # past this, extra width goes to the document column first


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int
    priority: int  # lower = kept longer when the terminal is narrow


COLUMNS = (
    Column("ref", _("Ref."), 7, 0),
    Column("line", _("Regel"), 5, 7),
    Column("document", _("Document"), 18, 3),
    Column("role", _("Rol"), 12, 5),
    Column("gender", _("Gesl."), 6, 6),
    Column("speaker", _("Spreker"), 12, 2),
    Column("coder", _("Codeur"), 8, 1),
    Column("memo", _("Memo"), 12, 4),
)


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """One coding with everything the table and the context pane show about it."""

    coding: Coding
    reference: str
    line: int
    document: str
    role: str
    gender: str
    speaker: str
    quote: str

    def cell(self, key: str) -> str:
        values = {
            "ref": self.reference,
            "line": str(self.line),
            "document": self.document,
            "role": self.role,
            "gender": self.gender,
            "speaker": self.speaker,
            "coder": self.coding.coder,
            "memo": self.coding.memo,
        }
        return values[key]


class _DocumentInfo:
    """One document's text, line starts and turns, read once for all its quotes."""

    def __init__(self, project: Project, document_id: int) -> None:
        self.document: Document = project.require_document(document_id)
        text = self.document.text
        self.newlines = [i for i, char in enumerate(text) if char == "\n"]
        self.turns: list[Turn] = project.turns(document_id)
        self.turn_starts = [turn.start for turn in self.turns]
        self.carried = SpeakerAttributes(project, document_id, self.document.attributes)

    def line(self, offset: int) -> int:
        return bisect_right(self.newlines, offset - 1) + 1

    def turn(self, offset: int) -> Turn | None:
        index = bisect_right(self.turn_starts, offset) - 1
        return self.turns[index] if index >= 0 else None

    def row(self, coding: Coding) -> QuoteRow:
        turn = self.turn(coding.start)
        attributes = self.carried(turn)
        # The exports' rule, so a quote reads here as it will leave kwali.
        return QuoteRow(
            coding=coding,
            reference=f"{self.document.number}:{turn.number if turn else 0}",
            line=self.line(coding.start),
            document=self.document.name,
            role=shown_value(attribute_value(attributes, turn, "rol")),
            gender=shown_value(attribute_value(attributes, turn, "geslacht")),
            speaker=(turn.speaker or "") if turn else "",
            quote=self.document.text[coding.start : coding.end],
        )

    def context(self, coding: Coding) -> tuple[str, str, str]:
        """Text before, the quote, and text after; cut at a line break when one is near the
        edge of the window, else between words."""
        text = self.document.text
        start = max(0, coding.start - CONTEXT_BEFORE)
        if start > 0:
            newline = text.find("\n", start, coding.start - CONTEXT_BEFORE // 2)
            space = text.find(" ", start, coding.start)
            start = newline + 1 if newline >= 0 else space + 1 if space >= 0 else start
        end = min(len(text), coding.end + CONTEXT_AFTER)
        if end < len(text):
            newline = text.rfind("\n", coding.end + CONTEXT_AFTER // 2, end)
            space = text.rfind(" ", coding.end, end)
            end = newline if newline >= 0 else space if space >= 0 else end
        before = ("…" if start > 0 and text[start - 1] != "\n" else "") + text[start : coding.start]
        after = text[coding.end : end] + ("…" if end < len(text) and text[end] != "\n" else "")
        return before.lstrip("\n"), text[coding.start : coding.end], after.rstrip()


def trim(text: str, width: int) -> str:
    """One line of at most ``width`` characters, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(1, width - 1)].rstrip() + "…"


def choose_columns(width: int, blind: bool) -> tuple[list[Column], int]:
    """The columns that fit next to a readable quote, and the quote column's width."""
    columns = [c for c in COLUMNS if not (blind and c.key == "coder")]
    budget = width - 4  # table border/scrollbar

    def quote_width(cols: list[Column]) -> int:
        return budget - sum(c.width + 2 for c in cols) - 2  # 2 = cell padding

    while columns and quote_width(columns) < _MIN_QUOTE:
        columns.remove(max(columns, key=lambda c: c.priority))
    spare = quote_width(columns) - _WIDE_QUOTE  # on wide screens, show whole document names
    if spare > 0:
        columns = [
            replace(c, width=c.width + min(spare, 14)) if c.key == "document" else c
            for c in columns
        ]
    return columns, max(_MIN_QUOTE, quote_width(columns))


class QuotesScreen(Screen[None]):
    """Quotes of one code; ``blind`` lists only this coder's codings and hides the coder."""

    BINDINGS = [
        Binding("enter", "jump", _("Naar context"), priority=True, id="quotes.jump"),
        Binding("c", "pick_code", _("Andere code"), id="quotes.pick"),
        Binding("f", "words", _("Woorden"), id="quotes.words"),
        Binding("escape", "back", _("Terug"), id="quotes.back"),
    ]

    DEFAULT_CSS = """
    QuotesScreen #quotes-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    QuotesScreen #quotes-table { height: 3fr; border: round $panel-lighten-2; }
    QuotesScreen #quotes-table:focus { border: round $primary; }
    QuotesScreen #quote-context-box { height: 2fr; min-height: 5; border: round $panel-lighten-2; padding: 0 1; }
    """

    def __init__(
        self, project: Project, coder: str, code_key: str | None = None, blind: bool = False
    ) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.code_key = code_key
        self.blind = blind
        self.rows: list[QuoteRow] = []
        self._documents: dict[int, _DocumentInfo] = {}
        self._layout: tuple[tuple[str, ...], int] | None = None
        self._added = 0
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Static(id="quotes-title")
        table: DataTable[str] = DataTable(id="quotes-table", cursor_type="row", zebra_stripes=True)
        yield table
        with VerticalScroll(id="quote-context-box"):
            yield Static(id="quote-context")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        if self.code_key and self.project.code(self.code_key):
            self.load(self.code_key)
        else:
            self.code_key = None
            self._show_title()
            self.action_pick_code()

    # -- data ------------------------------------------------------------------------------------
    def document_info(self, document_id: int) -> _DocumentInfo:
        if document_id not in self._documents:
            self._documents[document_id] = _DocumentInfo(self.project, document_id)
        return self._documents[document_id]

    def load(self, code_key: str, keep_cursor: bool = False) -> None:
        """Read the code's codings (this coder's only when blind) and show them."""
        self.code_key = code_key
        codings = self.project.codings(
            code_key=code_key, coders=[self.coder] if self.blind else None
        )
        self.rows = [self.document_info(c.document_id).row(c) for c in codings]
        self._show_title()
        self._layout = None
        self._fill_table(keep_cursor=keep_cursor)

    @on(ProjectChanged)
    def _reload(self) -> None:
        """Another kwali changed the project: read the codings again, keeping the cursor."""
        if self.code_key is None:
            return
        if self.project.code(self.code_key) is None:  # merged or renamed elsewhere
            self.code_key = None
            self.rows = []
            self._layout = None
            self._show_title()
            self._fill_table(keep_cursor=False)
            return
        self._documents.clear()  # a document may have had its attributes changed
        self.load(self.code_key, keep_cursor=True)

    def _show_title(self) -> None:
        title = Text(_("Citaten"), style="bold")
        code = self.project.code(self.code_key) if self.code_key else None
        if code is None:
            title.append("   " + _("kies een code met c"), style="dim")
        else:
            title.append("   ")
            title.append("● ", style=colour_style(code.colour) or "dim")
            title.append(code.label)
            title.append(f"  {code.key}", style="dim")
            documents = len({row.coding.document_id for row in self.rows})
            title.append(
                "   "
                + _("{codings} in {documents}").format(
                    codings=counted(len(self.rows), _("codering"), _("coderingen")),
                    documents=counted(documents, _("document"), _("documenten")),
                ),
                style="dim",
            )
            if self.blind:
                title.append(" " + _("(alleen jij)"), style="dim")
        self.query_one("#quotes-title", Static).update(title)

    # -- table -----------------------------------------------------------------------------------
    def _fill_table(self, keep_cursor: bool = True) -> None:
        table = self.query_one(DataTable)
        columns, quote_width = choose_columns(table.size.width or self.size.width or 80, self.blind)
        layout = (tuple(c.key for c in columns), quote_width)
        if layout == self._layout:
            return
        cursor = table.cursor_row if keep_cursor else 0
        self._layout = layout
        self._generation += 1
        table.clear(columns=True)
        for column in columns:
            table.add_column(column.label, width=column.width, key=column.key)
        table.add_column(_("Citaat"), width=quote_width, key="quote")
        self._added = 0
        self._add_batch(cursor if 0 <= cursor < len(self.rows) else 0)
        if not self.rows:
            self._show_context()

    def _add_batch(self, cursor: int = 0) -> None:
        """Add the next rows; the rest follow after a refresh, so the first ones show at once."""
        if self._layout is None:
            return
        table = self.query_one(DataTable)
        keys, quote_width = self._layout
        batch = self.rows[self._added : self._added + _BATCH]
        table.add_rows(
            [
                *(Text(trim(row.cell(key), 200), no_wrap=True) for key in keys),
                Text(trim(row.quote, quote_width)),
            ]
            for row in batch
        )
        self._added += len(batch)
        if cursor and cursor < self._added:
            table.move_cursor(row=cursor)
        if self._added < len(self.rows):
            generation = self._generation  # a reload or resize since makes this step stale
            self.set_timer(
                0.01, lambda: self._add_batch() if self._generation == generation else None
            )

    def on_resize(self, event: Resize) -> None:
        if self._layout is not None:
            self.call_after_refresh(self._fill_table)

    def highlighted(self) -> QuoteRow | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < min(len(self.rows), table.row_count):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _show_context(self) -> None:
        pane = self.query_one("#quote-context", Static)
        row = self.highlighted()
        if row is None:
            pane.update(
                Text(_("Geen coderingen voor deze code.") if self.code_key else "", style="dim")
            )
            return
        coding = row.coding
        info = self.document_info(coding.document_id)
        header = Text()
        header.append(_("{ref}  r. {line}").format(ref=row.reference, line=row.line), style="bold")
        header.append(f"   {row.document}", style="dim")
        who = ", ".join(v for v in (row.role, row.gender) if v)
        if row.speaker or who:
            header.append(f"   {row.speaker}" + (f" ({who})" if who else ""), style="dim")
        if not self.blind:
            header.append("   " + _("codeur: {coder}").format(coder=coding.coder), style="dim")
        if coding.memo:
            header.append("\n" + _("memo:") + " ", style="dim")
            header.append(coding.memo, style="italic")
        before, quote, after = info.context(coding)
        code = self.project.code(coding.code_key)
        # Keep only as much lead-in as fits in the upper half of the pane, so the quote itself
        # is always in view without scrolling.
        width = max(10, pane.size.width or self.size.width - 4)
        box = self.query_one("#quote-context-box", VerticalScroll)
        room = max(2, (box.size.height - 2 - len(header.wrap(self.app.console, width)) - 1) // 2)
        lines = [line.plain for line in Text(before).wrap(self.app.console, width)]
        kept = lines[-room:]
        while len(kept) > 1 and not kept[0].strip():
            kept.pop(0)
        lead_in = ("…" if len(lines) > room else "") + "\n".join(kept)
        shown = header + Text("\n\n") + Text(lead_in, style="dim")
        shown.append(
            quote, style=f"bold underline {colour_style(code.colour) if code else ''}".strip()
        )
        shown.append(after, style="dim")
        pane.update(shown)
        box.scroll_home(animate=False)

    # -- actions ---------------------------------------------------------------------------------
    def action_jump(self) -> None:
        row = self.highlighted()
        if row is None:
            return
        self.app.post_message(JumpToCoding(row.coding.document_id, row.coding.start))
        self.dismiss(None)

    @work(exclusive=True, group="quotes-pick")
    async def action_pick_code(self) -> None:
        codebook = self.project.codebook()
        counts = self.project.code_counts(coder=self.coder if self.blind else None)
        key = await self.app.push_screen_wait(
            CodePickerModal(codebook, None, _("Citaten van welke code?"), counts=counts)
        )
        if key and codebook.get(key):
            self.load(key)

    def action_words(self) -> None:
        """The code's word frequencies and keywords (kwali.ui.screens.words)."""
        from kwali.ui.screens.words import WordsScreen

        if self.code_key is not None:
            self.app.push_screen(
                WordsScreen(self.project, self.coder, code=self.code_key, blind=self.blind)
            )

    def action_back(self) -> None:
        self.dismiss(None)
