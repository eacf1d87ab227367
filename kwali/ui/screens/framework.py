"""The framework screen (`F`): cases (and documents for what no case covers) × codes, each
cell the number of quotes and the start of the summary (kwali.app.framework).

Moving over the grid shows the cell's quotes next to its summary; `e` or Enter edits the
coder's own summary, ctrl+s saves it (one undoable action: `u` takes it back), Escape asks
before dropping what was not saved. `c` lists the cell's quotes, from where Enter opens the
transcript. In blind mode only the coder's own codings and summaries are in the grid.
"""

from __future__ import annotations

from dataclasses import replace

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TextArea

from kwali.app.framework import Cell, Framework, framework
from kwali.app.units import Unit, counted_words
from kwali.app.wording import counted
from kwali.errors import KwaliError
from kwali.i18n import _
from kwali.store import Project
from kwali.ui.messages import ProjectChanged
from kwali.ui.problems import problem_text
from kwali.ui.screens.cell_quotes import CellQuotesScreen
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.undo import history_bindings, step_back


def _flat(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str, width: int) -> str:
    text = _flat(text)
    return text if len(text) <= width else text[: max(1, width - 1)].rstrip() + "…"


class FrameworkScreen(Screen[None]):
    """Units × codes with quotes and summaries; `e`/Enter writes the cell's summary."""

    BINDINGS = [
        Binding("e", "edit", _("Samenvatting"), id="framework.edit"),
        Binding("ctrl+s", "save", _("Opslaan"), id="framework.save"),
        Binding("c", "quotes", _("Citaten"), id="framework.quotes"),
        Binding("r", "rows", _("Rijen"), id="framework.rows"),
        Binding("escape", "back", _("Terug"), id="framework.back"),
        *history_bindings("framework"),
    ]

    DEFAULT_CSS = """
    FrameworkScreen #framework-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    FrameworkScreen #framework-grid { height: auto; max-height: 50%; }
    FrameworkScreen #framework-detail { height: 1fr; border-top: solid $panel-lighten-2; }
    FrameworkScreen #framework-quotes { width: 1fr; padding: 0 1; }
    FrameworkScreen #framework-side { width: 1fr; border-left: solid $panel-lighten-2; }
    FrameworkScreen #framework-summary-title { height: 1; padding: 0 1; color: $text-muted; }
    FrameworkScreen #framework-summary { height: 1fr; border: none; padding: 0 1; }
    FrameworkScreen #framework-summary.editing { border: tall $accent; }
    FrameworkScreen #framework-others { height: auto; max-height: 6; padding: 0 1; }
    FrameworkScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, project: Project, coder: str, blind: bool = False) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.blind = blind
        self.grid: Framework | None = None
        self.editing: Cell | None = None  # the cell whose summary is being written
        self.units: list[Unit] = []  # the rows shown: every unit, or those with something in them
        self.filled_only = False
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Static(id="framework-title")
        # the row labels stay in view while the columns scroll sideways (80 columns)
        yield DataTable(
            id="framework-grid", cursor_type="cell", zebra_stripes=True, fixed_columns=1
        )
        with Horizontal(id="framework-detail"):
            with VerticalScroll(id="framework-quotes"):
                yield Static(id="framework-quotes-body")
            with Vertical(id="framework-side"):
                yield Static(id="framework-summary-title")
                yield TextArea(id="framework-summary", soft_wrap=True, read_only=True)
                yield Static(id="framework-others")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#framework-grid", DataTable).focus()

    # -- data -----------------------------------------------------------------------------------
    def load(self) -> None:
        """(Re)read the grid, keeping the cursor on the same cell."""
        table = self.query_one("#framework-grid", DataTable)
        where = table.cursor_coordinate
        try:
            self.grid = framework(self.project, coders=(self.coder,) if self.blind else None)
        except KwaliError as exc:
            self.notify(problem_text(exc), severity="error", timeout=6)
            return
        self._fill()
        if self.units and self.grid.codes:
            table.move_cursor(
                row=min(where.row, len(self.units) - 1),
                column=max(1, min(where.column, len(self.grid.codes))),
                animate=False,
            )
        self._show_cell()

    def _fill(self) -> None:
        grid = self.grid
        assert grid is not None
        narrow = self.app.size.width < 120
        # "cases en documenten" when narrow: the long form does not fit 80 columns
        counted_as = counted_words(grid.counted_kind, short=narrow)
        blind = (
            " · " + (_("blind") if narrow else _("blind: alleen jouw coderingen"))
            if self.blind
            else ""
        )
        table = self.query_one("#framework-grid", DataTable)
        table.clear(columns=True)
        self.units = grid.units
        if self.filled_only:
            self.units = [
                u for u in grid.units if any((u.key, c.key) in grid.cells for c in grid.codes)
            ]
        every = counted(len(grid.units), _("rij"), _("rijen"))
        rows = (
            _("{n} van {every}").format(n=len(self.units), every=every)
            if self.filled_only
            else every
        )
        self.query_one("#framework-title", Static).update(
            _("[b]Samenvattingen[/b] · {coder} · {rows}: {counted_as}{blind}").format(
                coder=escape(self.coder), rows=rows, counted_as=escape(counted_as), blind=blind
            )
        )
        names = [self._unit_name(u) for u in self.units]
        unit_width = min(16 if narrow else 26, max([7, *(len(n) for n in names)]))
        # the codes share what is left (a DataTable pads each column by one on both sides)
        room = self.app.size.width - unit_width - 3 - 2 * len(grid.codes)
        self.cell_width = max(14, min(40, room // max(1, len(grid.codes))))
        table.add_column(_("Eenheid"), width=unit_width, key="unit")
        for code in grid.codes:
            table.add_column(_cut(code.label or code.key, self.cell_width), key=code.key)
        for unit, name in zip(self.units, names, strict=True):
            style = "italic" if unit.kind == "document" else "bold"
            cells: list[Text] = [Text(_cut(name, unit_width), style=style)]
            cells += [self._cell_text(grid.cell(unit, c.key)) for c in grid.codes]
            table.add_row(*cells, key=f"{unit.kind}:{unit.id}")
        if not grid.codes:
            status = _("Het codeboek is leeg: maak eerst codes (k).")
        elif not grid.units:
            status = _("Nog geen documenten of cases.")
        elif not self.units:
            status = _("Geen rij met citaten of samenvattingen (r: alle rijen).")
        else:
            documents = any(u.kind == "document" for u in self.units)
            status = (
                _("e/Enter: samenvatting · c: citaten · r: rijen · getal: citaten")
                if narrow
                else _(
                    "e/Enter: samenvatting schrijven · c: citaten (Enter opent het transcript) · "
                    "r: alle rijen of alleen met inhoud · getal: aantal citaten"
                )
                + (" · " + _("(doc.): wat geen case dekt, per document") if documents else "")
            )
        self.query_one("#status", Static).update(status)

    def _unit_name(self, unit: Unit) -> str:
        return unit.name if unit.kind == "case" else _("{name} (doc.)").format(name=unit.name)

    def _cell_text(self, cell: Cell) -> Text:
        """``3 Ziet vooral plicht…``: the quotes and the start of the (own) summary."""
        text = Text()
        n = len(cell.quotes)
        text.append(f"{n:>2} " if n else " · ", style="bold" if n else "dim")
        own = cell.summary_of(self.coder)
        room = self.cell_width - 3
        if own is not None:
            text.append(_cut(own.text, room))
        elif cell.summaries:
            other = cell.summaries[0]
            text.append(_cut(f"{other.coder}: {other.text}", room), style="dim italic")
        return text

    def current(self) -> Cell | None:
        """The cell under the cursor (None on the unit column or in an empty grid)."""
        grid = self.grid
        if grid is None or not self.units or not grid.codes:
            return None
        where = self.query_one("#framework-grid", DataTable).cursor_coordinate
        if where.column < 1 or where.row >= len(self.units):
            return None
        return grid.cell(self.units[where.row], grid.codes[where.column - 1].key)

    def _show_cell(self) -> None:
        if self.editing is not None:
            return  # the text being written stays, whatever the grid does
        cell = self.current()
        body = self.query_one("#framework-quotes-body", Static)
        area = self.query_one("#framework-summary", TextArea)
        title = self.query_one("#framework-summary-title", Static)
        others = self.query_one("#framework-others", Static)
        if cell is None:
            body.update(Text(_("Kies een cel: een case of document en een code."), style="dim"))
            area.text = ""
            title.update("")
            others.update("")
            return
        body.update(self._quotes_text(cell))
        own = cell.summary_of(self.coder)
        area.text = own.text if own else ""
        title.update(
            Text(
                (
                    _("Samenvatting van {coder}")
                    if own
                    else _("Samenvatting van {coder}: nog geen (e)")
                ).format(coder=self.coder),
                style="bold" if own else "dim",
            )
        )
        shown = Text()
        if any(s.coder != self.coder for s in cell.summaries):
            shown.append(_("Andere codeurs") + "\n", style="dim")
        for s in cell.summaries:
            if s.coder != self.coder:
                shown.append(f"{s.coder}: ", style="bold")
                shown.append(_flat(s.text) + "\n")
        others.update(shown)

    def _quotes_text(self, cell: Cell) -> Text:
        n = len(cell.quotes)
        text = Text()
        label = cell.code.label or cell.code.key
        text.append(f"{cell.unit.name} × {label}", style="bold")
        text.append(f" · {counted(n, _('citaat'), _('citaten'))}\n", style="dim")
        if not n:
            text.append(_("Geen citaten van deze code bij deze eenheid."), style="dim")
        for quote in cell.quotes:
            where = " · ".join(p for p in (quote.reference, quote.who) if p)
            if not self.blind and quote.coders:
                where += f" · {', '.join(quote.coders)}"
            text.append(f"\n{where}\n", style="dim")
            text.append(_flat(quote.text) + "\n")
        return text

    # -- events ---------------------------------------------------------------------------------
    @on(DataTable.CellHighlighted, "#framework-grid")
    def _highlighted(self) -> None:
        self._show_cell()

    @on(DataTable.CellSelected, "#framework-grid")
    def _selected(self) -> None:
        self.action_edit()

    def on_project_changed(self, _event: ProjectChanged) -> None:
        if self.editing is None:
            self.load()
        else:
            self._stale = True  # reload once the summary is saved or dropped

    def on_screen_suspend(self) -> None:
        if self.editing is None:  # while writing, only our own question covers the screen
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale and self.editing is None:
            self._stale = False
            self.load()

    # -- actions --------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While writing only saving and stopping; otherwise everything but saving."""
        if action in ("edit", "quotes", "rows", "undo", "redo"):
            return self.editing is None
        if action == "save":
            return self.editing is not None
        return True

    def action_edit(self) -> None:
        if self.editing is not None:
            return
        cell = self.current()
        if cell is None:
            self.notify(_("Kies eerst een cel onder een code."), timeout=3)
            return
        # The cursor may have moved before its highlight reached us (a quick "↓ e"): show
        # this cell first, so the text edited is never another cell's.
        self._show_cell()
        self.editing = cell
        area = self.query_one("#framework-summary", TextArea)
        area.read_only = False
        area.add_class("editing")
        self.query_one("#framework-summary-title", Static).update(
            Text(
                _("Schrijven: {unit} × {code}").format(
                    unit=cell.unit.name, code=cell.code.label or cell.code.key
                ),
                style="bold",
            )
        )
        self.query_one("#status", Static).update(
            _("ctrl+s: opslaan · Esc: stoppen (vraagt eerst, als er iets niet is opgeslagen)")
        )
        area.focus()
        area.move_cursor(area.document.end)
        self.refresh_bindings()

    def _stored_text(self, cell: Cell) -> str:
        own = cell.summary_of(self.coder)
        return own.text if own else ""

    def action_save(self) -> None:
        cell = self.editing
        if cell is None:
            return
        text = self.query_one("#framework-summary", TextArea).text.strip()
        try:
            changed = self.project.write_summary(
                cell.unit.kind, cell.unit.id, cell.code.key, text, self.coder
            )
        except KwaliError as exc:
            self.notify(problem_text(exc), title=_("Niet opgeslagen"), severity="error", timeout=8)
            return
        where = f"{cell.unit.name} × {cell.code.label or cell.code.key}"
        if not changed:
            self.notify(_("Niets veranderd — {where}").format(where=where), timeout=3)
        elif text:
            self.notify(
                _("Samenvatting opgeslagen — {where} (u maakt ongedaan)").format(where=where),
                timeout=4,
            )
        else:
            self.notify(
                _("Samenvatting verwijderd — {where} (u maakt ongedaan)").format(where=where),
                timeout=4,
            )
        self._stop_editing(reload=self._stale)
        if changed and not self._stale:
            self._refresh_cell(cell)

    def _refresh_cell(self, cell: Cell) -> None:
        """Show the cell's new summary without rebuilding the grid (5,000 rows take seconds)."""
        grid = self.grid
        assert grid is not None
        own = self.project.summary(cell.unit.kind, cell.unit.id, cell.code.key, self.coder)
        kept = [s for s in cell.summaries if s.coder != self.coder] + ([own] if own else [])
        fresh = replace(cell, summaries=tuple(sorted(kept, key=lambda s: s.coder)))
        grid.cells[(cell.unit.key, cell.code.key)] = fresh
        row = next(i for i, u in enumerate(self.units) if u.key == cell.unit.key)
        column = 1 + next(i for i, c in enumerate(grid.codes) if c.key == cell.code.key)
        table = self.query_one("#framework-grid", DataTable)
        table.update_cell_at(Coordinate(row, column), self._cell_text(fresh), update_width=False)
        self._show_cell()

    def _stop_editing(self, reload: bool = True) -> None:
        self.editing = None
        area = self.query_one("#framework-summary", TextArea)
        area.read_only = True
        area.remove_class("editing")
        self.query_one("#framework-grid", DataTable).focus()
        self.refresh_bindings()
        if reload:
            self._stale = False
            self.load()
        else:
            self._show_cell()

    def action_back(self) -> None:
        cell = self.editing
        if cell is None:
            self.dismiss(None)
            return
        text = self.query_one("#framework-summary", TextArea).text.strip()
        if text == self._stored_text(cell):
            self._stop_editing(reload=self._stale)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self._stop_editing(reload=self._stale)
                self.notify(_("Samenvatting niet opgeslagen."), timeout=3)
            else:
                self.query_one("#framework-summary", TextArea).focus()

        self.app.push_screen(
            ConfirmModal(
                _("De samenvatting is niet opgeslagen. Weggooien?"),
                _("Nee: verder schrijven (ctrl+s bewaart)."),
                yes=_("Weggooien"),
                no=_("Verder schrijven"),
            ),
            answered,
        )

    def action_rows(self) -> None:
        """All rows, or only those with quotes or summaries (most of 505 respondents say
        nothing about most codes)."""
        self.filled_only = not self.filled_only
        self.query_one("#framework-grid", DataTable).move_cursor(row=0, animate=False)
        self.load()
        shown = (
            _("alleen rijen met citaten of samenvattingen") if self.filled_only else _("alle rijen")
        )
        self.notify(_("Rijen: {shown}").format(shown=shown), timeout=2)

    def action_quotes(self) -> None:
        cell = self.current() if self.editing is None else None
        if cell is None:
            return
        label = cell.code.label or cell.code.key
        self.app.push_screen(CellQuotesScreen(f"{cell.unit.name} × {label}", list(cell.quotes)))

    def action_undo(self) -> None:
        self._history(redo=False)

    def action_redo(self) -> None:
        self._history(redo=True)

    def _history(self, redo: bool) -> None:
        if self.editing is not None:
            return
        done = step_back(self.project, self.coder, self.notify, redo=redo)
        if done:
            self.load()
            self.notify(done, timeout=3)
