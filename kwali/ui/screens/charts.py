"""The chart screen: code frequencies per group as bars, or the co-occurrence heat map.

Drawn with Rich text in a DataTable rather than a plot widget: 27 labelled codes × 2–4 groups
need a row per code with its label written out and its count, scrolling when the terminal is
short; a plot canvas has the terminal's rows only and drops labels (plotext) or shows numbers
for codes (textual-plot). Bars use eighth blocks in the code's colour; the heat map shades
each cell's background and writes its count. The numbers are the exports' (kwali.export.
chart_data), so the screen and `kwali export chart` show the same. Blind: only your codings.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kwali.errors import KwaliError
from kwali.export.chart_data import (
    NO_PAIRS,
    NOTHING,
    TOO_MANY,
    BarData,
    HeatData,
    bar_data,
    group_choices,
    heat_data,
)
from kwali.i18n import _
from kwali.store import Project
from kwali.store.attribute_types import shown_value
from kwali.ui.messages import ProjectChanged

EIGHTHS = "▏▎▍▌▋▊▉"
LABEL_WIDTH = 34
# the heat map's shades (light to dark blue, as in the picture files), text dark then light
SHADES = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c")
DIAGONAL = "#8b929c"


def bar_text(value: int, top: int, width: int) -> str:
    """``value`` as a bar of at most ``width`` cells for ``top``, in eighths of a cell."""
    if value <= 0 or top <= 0 or width <= 0:
        return ""
    units = max(1, round(value / top * width * 8))
    full, rest = divmod(units, 8)
    return "█" * full + (EIGHTHS[rest - 1] if rest else "")


def _label(text: str, width: int = LABEL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def shade(value: float, top: float) -> Style:
    """A cell's background for ``value`` of ``top``: darker for more, text that stays legible."""
    if value <= 0 or top <= 0:
        return Style()
    step = min(len(SHADES) - 1, int(value / top * len(SHADES)))
    return Style(bgcolor=SHADES[step], color="white" if step >= 4 else "black")


class ChartScreen(Screen[None]):
    """Bars per group or the heat map; `v` switches, `a` picks the attribute, `s` the count,
    `c` the heat map's c-coefficients."""

    BINDINGS = [
        Binding("v", "switch", _("Balken/kaart"), id="charts.switch"),
        Binding("a", "next_group", _("Kenmerk"), id="charts.group"),
        Binding("s", "count", _("Fragmenten/respondenten"), id="charts.count"),
        Binding("c", "coefficient", _("c-coëfficiënt"), id="charts.c"),
        Binding("escape", "back", _("Terug"), id="charts.back"),
    ]

    DEFAULT_CSS = """
    ChartScreen #chart-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    ChartScreen #chart { height: 1fr; scrollbar-size-vertical: 1; }
    ChartScreen #chart-note { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, project: Project, coder: str, blind: bool = False) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.blind = blind
        self.kind = "bars"
        self.count = "segments"
        self.c = False  # the heat map's cells: counts, or the c-coefficients
        self.groups = group_choices(project)
        self.by = self.groups[0]
        self.data: BarData | HeatData | None = None
        self._drawn_width = 0

    def compose(self) -> ComposeResult:
        yield Static(id="chart-title")
        # the row labels stay in view while the columns scroll sideways (80 columns)
        yield DataTable(id="chart", zebra_stripes=False, cursor_type="row", fixed_columns=1)
        yield Static(id="chart-note")
        yield Footer()

    def on_mount(self) -> None:
        self.redraw()

    def on_resize(self) -> None:
        # the bars fill the width there is; redrawn after the resize is laid out (a table
        # refilled during it kept its header's widths)
        if self.kind == "bars" and self.size.width != self._drawn_width:
            self.call_after_refresh(self.redraw)

    @on(ProjectChanged)
    def _changed(self) -> None:
        self.groups = group_choices(self.project)
        if self.by not in self.groups:
            self.by = self.groups[0]
        self.redraw()

    # -- drawing ----------------------------------------------------------------------------
    def redraw(self) -> None:
        table = self.query_one("#chart", DataTable)
        note = self.query_one("#chart-note", Static)
        table.clear(columns=True)
        self._drawn_width = self.size.width
        coders = [self.coder] if self.blind else None
        respondents = self.count == "respondents"
        counted = _("respondenten") if respondents else _("fragmenten")
        try:
            if self.kind == "bars":
                if self.blind:
                    title = _("Gecodeerde {counted} van {coder} per code en {by}")
                else:
                    title = _("Gecodeerde {counted} per code en {by}")
                title = title.format(counted=counted, coder=self.coder, by=self.by)
                self.data = bar_data(self.project, by=self.by, count=self.count, coders=coders)
                self._bars(table, self.data)
                hint = _("v: kaart · a: ander kenmerk · s: fragmenten/respondenten")
            else:
                measure = _("c-coëfficiënt") if self.c else counted
                if self.blind:
                    title = _("Codes samen op dezelfde tekst ({measure} van {coder})")
                else:
                    title = _("Codes samen op dezelfde tekst ({measure})")
                title = title.format(measure=measure, coder=self.coder)
                self.data = heat_data(self.project, count=self.count, coders=coders, c=self.c)
                self._heat(table, self.data)
                hint = _("v: balken · c: aantallen/c-coëfficiënt · de diagonaal: de code zelf")
        except KwaliError as exc:
            self.data = None
            hint = _refusal(exc)
        self.query_one("#chart-title", Static).update(Text(title))
        note.update(hint)

    def _bars(self, table: DataTable, data: BarData) -> None:
        top = data.maximum()
        longest = max(len(row.label) for row in data.rows)
        label_width = min(LABEL_WIDTH, longest, max(18, self.size.width // 3))
        room = max(8, self.size.width - label_width - 4)
        cell = max(6, room // len(data.groups) - 2)
        bar_width = max(1, cell - len(str(top)) - 1)
        table.add_column(_("Code"), key="code")
        for group in data.groups:
            table.add_column(_label(shown_value(group), cell), key=group)  # as written
        for i, row in enumerate(data.rows):
            if row.heading:
                table.add_row(
                    Text(_label(row.label, label_width), style="bold"),
                    *[""] * len(data.groups),
                    key=row.key,
                )
                continue
            cells = []
            for group in data.groups:
                value = data.counts[group][i]
                text = Text(bar_text(value, top, bar_width), style=row.colour)
                text.append(f" {value}" if value else " ·", style="" if value else "dim")
                cells.append(text)
            table.add_row(Text(_label(row.label, label_width)), *cells, key=row.key)

    def _heat(self, table: DataTable, data: HeatData) -> None:
        top = data.maximum_pair() or 1
        width = 4 if data.c is not None else 3
        table.add_column(_("Code"), key="code")
        for number, _code in enumerate(data.codes, 1):
            table.add_column(str(number), key=f"c{number}")
        for i, row in enumerate(data.codes):
            cells = []
            for j in range(len(data.codes)):
                text = f"{data.text(i, j):>{width}}"
                if i == j:
                    cells.append(Text(text, style=Style(color=DIAGONAL, italic=True)))
                else:
                    cells.append(Text(text, style=shade(data.value(i, j), top)))
            table.add_row(Text(f"{i + 1:>2} {_label(row.label, 28)}"), *cells, key=row.key)

    # -- actions ----------------------------------------------------------------------------
    def action_switch(self) -> None:
        self.kind = "heatmap" if self.kind == "bars" else "bars"
        self.redraw()

    def action_next_group(self) -> None:
        if self.kind != "bars":
            self.notify(_("Het kenmerk geldt voor de balken; v wisselt naar de balken."))
            return
        self.by = self.groups[(self.groups.index(self.by) + 1) % len(self.groups)]
        self.redraw()

    def action_coefficient(self) -> None:
        if self.kind != "heatmap":
            self.notify(_("De c-coëfficiënt geldt voor de kaart; v wisselt naar de kaart."))
            return
        self.c = not self.c
        self.redraw()

    def action_count(self) -> None:
        self.count = "respondents" if self.count == "segments" else "segments"
        self.redraw()

    def action_back(self) -> None:
        self.dismiss()


def _refusal(exc: KwaliError) -> str:
    """The exports' one-line refusals, as the screen says them (by their reason, not their
    wording, which follows the language)."""
    reason = getattr(exc, "reason", "")
    if reason == NO_PAIRS:
        return _("Geen twee codes staan samen op dezelfde tekst: er is geen kaart te tekenen.")
    if reason == NOTHING:
        return _("Nog niets gecodeerd (met deze keuze): er is niets te tekenen.")
    if reason == TOO_MANY:
        return _("Te veel groepen voor een grafiek; druk a voor een ander kenmerk.")
    return exc.message
