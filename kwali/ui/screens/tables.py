"""The tables screen (`t`): code × document, code × kenmerk (one, or two crossed) and code
co-occurrence, with the quotes behind every number.

``s`` cycles the kind of table, ``a`` picks the kenmerk (``x`` a second one to cross it
with), ``n`` what is counted (coderingen, documenten, respondenten), ``p`` percentages (rij,
kolom; in the co-occurrence table: the c-coëfficiënt). Enter on a cell lists its quotes;
Enter on a quote opens the transcript there. Category rows are subtotals (each quote once),
shown in bold. In blind mode only the coder's own codings are counted.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kwali.analysis.reading import saved_queries
from kwali.analysis.table_quotes import cell_quotes
from kwali.analysis.tables import TOTAL, CodeTable, code_table, cooccurrence_table
from kwali.app.wording import decimal, percent
from kwali.errors import KwaliError
from kwali.i18n import _
from kwali.store import Project
from kwali.store.attribute_types import shown_value
from kwali.ui.messages import ProjectChanged
from kwali.ui.problems import problem_text
from kwali.ui.screens.cell_quotes import CellQuotesScreen
from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.codebook_modals import Field, FormModal

KINDS = ("document", "kenmerk", "cooccurrence")
KIND_WORDS = {
    "document": _("code × document"),
    "kenmerk": _("code × kenmerk"),
    "cooccurrence": _("samen"),
}
COUNTS = ("codings", "documents", "respondents")
COUNT_WORDS = {
    "codings": _("coderingen"),
    "documents": _("documenten"),
    "respondents": _("respondenten"),
}
PERCENTS: tuple[str | None, ...] = (None, "row", "column")
PERCENT_WORDS = {None: _("aantallen"), "row": _("% van de rij"), "column": _("% van de kolom")}
LABEL_WIDTH = 30
BLOCK = 40  # columns on screen at once


class TablesScreen(Screen[None]):
    """A code table; Enter on a cell lists the quotes it counts."""

    BINDINGS = [
        Binding("s", "kind", _("Soort"), id="tables.kind"),
        Binding("a", "attribute", _("Kenmerk"), id="tables.attribute"),
        Binding("x", "cross", _("Kruisen"), id="tables.cross"),
        Binding("n", "count", _("Telling"), id="tables.count"),
        Binding("p", "percent", _("Procent"), id="tables.percent"),
        Binding("f,slash", "filter", _("Filter"), id="tables.filter"),
        Binding("r", "rows", _("Rijen"), show=False, id="tables.rows"),
        Binding(
            "right_square_bracket", "block(1)", _("Volgende kolommen"), show=False, id="tables.next"
        ),
        Binding(
            "left_square_bracket",
            "block(-1)",
            _("Vorige kolommen"),
            show=False,
            id="tables.previous",
        ),
        Binding("escape", "back", _("Terug"), id="tables.back"),
    ]

    DEFAULT_CSS = """
    TablesScreen #tables-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    TablesScreen #tables-grid { height: 1fr; }
    TablesScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, project: Project, coder: str, blind: bool = False) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.blind = blind
        self.kind = "document"
        self.attributes: list[str] = []
        self.count = "codings"
        self.percent: str | None = None
        self.table: CodeTable | None = None
        self.where: tuple[tuple[str, str], ...] = ()
        self.first = 0  # the first column shown (see shown_columns)
        self.extra: list[str] = []  # rows for saved queries (@naam) and code groups (group:naam)

    def compose(self) -> ComposeResult:
        yield Static(id="tables-title")
        # the row labels stay in view while the columns scroll sideways (80 columns)
        yield DataTable(id="tables-grid", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        keys = self.project.attribute_keys()
        if keys:
            self.attributes = ["aanpak" if "aanpak" in keys else keys[0]]
        self.refresh_table()
        self.query_one(DataTable).focus()

    # -- data -----------------------------------------------------------------------------------
    def _coders(self) -> tuple[str, ...] | None:
        return (self.coder,) if self.blind else None

    def refresh_table(self) -> None:
        coders, where = self._coders(), self.where
        try:
            if self.kind == "cooccurrence":
                made = cooccurrence_table(
                    self.project, count=self.count, coders=coders, where=where
                )
            else:
                by = "document" if self.kind == "document" else tuple(self.attributes)
                made = code_table(
                    self.project,
                    by,
                    count=self.count,
                    coders=coders,
                    where=where,
                    queries=[e for e in self.extra if e.startswith("@")],
                    code_groups=[e[6:] for e in self.extra if e.startswith("group:")],
                )
        except KwaliError as exc:
            self.notify(problem_text(exc), severity="warning", timeout=5)
            return
        self.table = made
        self._fill()

    def _title(self) -> None:
        kind = KIND_WORDS[self.kind]
        if self.kind == "kenmerk":
            kind = _("code × {attributes}").format(attributes=" × ".join(self.attributes))
        shown = PERCENT_WORDS[self.percent]
        if self.kind == "cooccurrence" and self.percent:
            shown = _("c-coëfficiënt")
        blind = " · " + _("blind: alleen jouw coderingen") if self.blind else ""
        where = " · " + " ".join(f"{k}={v}" for k, v in self.where) if self.where else ""
        counted = COUNT_WORDS[self.count]
        if self.count == "respondents" and self.table is not None:
            if self.table.counted_kind != "documents":  # say what a respondent is here
                counted += f" ({self.table.counted})"
        self.query_one("#tables-title", Static).update(
            _("[b]Tabel[/b] · {kind} · {counted} · {shown}{where}{blind}").format(
                kind=escape(kind),
                counted=escape(counted),
                shown=shown,
                where=escape(where),
                blind=blind,
            )
        )

    def _value(self, table: CodeTable, row: str, column: str) -> str:
        if table.pairs and self.percent:
            c = table.c_coefficient(row, column)
            return "" if c is None else decimal(c)
        if self.percent:
            share = table.percent(row, column, self.percent)
            return percent(share)
        return str(table.value(row, column))

    def _fill(self) -> None:
        table = self.table
        assert table is not None
        self._title()
        grid = self.query_one(DataTable)
        grid.clear(columns=True)
        narrow = self.app.size.width < 120
        longest = max([4, *(len(r.label.rsplit(" > ", 1)[-1]) + 2 * r.depth for r in table.rows)])
        # a third of 80 columns for the labels: "Verplichting & handhaving" whole
        label_width = max(22, self.app.size.width // 3) if narrow else LABEL_WIDTH
        grid.add_column(_("Code"), width=min(label_width, longest), key="code")
        if table.pairs:
            labels = {r.key: r.label.rsplit(" > ", 1)[-1] for r in table.rows}
        elif self.kind == "kenmerk":  # attribute values as written: "ontvangende organisatie"
            labels = {c: shown_value(c) for c in table.columns}
        else:
            labels = {}
        shown = self.shown_columns()
        # numbers right-aligned under their header: padded here, as the grid aligns a cell
        # within its own text, not within the column
        widths: dict[str, int] = {}
        for column in shown:
            header = labels.get(column, column)[: 12 if narrow else 28]
            widths[column] = max(5, len(header))
            grid.add_column(header, key=column)
        if not table.pairs:
            widths[TOTAL] = max(6, len(TOTAL))
            grid.add_column(TOTAL, key=TOTAL)

        def right(value: str, column: str, style: str) -> Text:
            return Text(value.rjust(widths[column]), style=style)

        for row in table.rows:
            style = "bold" if row.category else ""
            name = "  " * row.depth + row.label.rsplit(" > ", 1)[-1]
            cells = [Text(name, style=style)]
            cells += [right(self._value(table, row.key, c), c, style) for c in shown]
            if not table.pairs:
                total = "100%" if self.percent == "row" else str(table.row_total(row.key))
                cells.append(right(total, TOTAL, "bold"))
            grid.add_row(*cells, key=row.key)
        if not table.pairs:
            totals = [Text(TOTAL, style="bold italic")]
            totals += [
                right(
                    "100%" if self.percent == "column" else str(table.column_total(c)), c, "italic"
                )
                for c in shown
            ]
            totals.append(right(str(table.grand_total()), TOTAL, "bold italic"))
            grid.add_row(*totals, key=TOTAL)
        status = (
            _("Enter: citaten van de cel · vet: categorie (subtotaal) · ? alle toetsen")
            if narrow  # the footer names the keys; a cut-off list of them says nothing
            else _(
                "Enter: citaten van de cel · s: soort · a/x: kenmerk · n: telling · p: procent · "
                "f: filter · r: rijen · vet: categorie (subtotaal, elk citaat één keer)"
            )
        )
        if len(table.columns) > BLOCK:
            last = min(len(table.columns), self.first + BLOCK)
            status = _(
                "kolommen {first}–{last} van {total} ([ en ]: vorige, volgende) · {status}"
            ).format(first=self.first + 1, last=last, total=len(table.columns), status=status)
        self.query_one("#status", Static).update(status)

    def cell_at(self, row_index: int, column_index: int) -> tuple[str, str | None] | None:
        """(row key, column) of a grid cell; column None: the whole row (its label or total)."""
        table = self.table
        if table is None or row_index >= len(table.rows):
            return None  # the totals row
        row = table.rows[row_index].key
        shown = self.shown_columns()
        if column_index == 0 or column_index > len(shown):
            return row, None
        return row, shown[column_index - 1]

    def shown_columns(self) -> list[str]:
        """The block of columns on screen: a table draws every column of each line, so a
        thousand documents are shown BLOCK at a time (``[`` and ``]`` page through them)."""
        columns = self.table.columns if self.table is not None else []
        self.first = min(self.first, max(0, len(columns) - 1)) // BLOCK * BLOCK
        return columns[self.first : self.first + BLOCK]

    # -- events ---------------------------------------------------------------------------------
    @on(DataTable.CellSelected, "#tables-grid")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        self.open_cell(event.coordinate.row, event.coordinate.column)

    def open_cell(self, row_index: int, column_index: int) -> None:
        found = self.cell_at(row_index, column_index)
        if found is None or self.table is None:
            return
        row, column = found
        quotes = cell_quotes(self.project, self.table, row, column)
        label = self.table.row(row).label
        where = f"{label} × {column}" if column else label
        if self.table.pairs and column:
            where = f"{label} × {self.table.row(column).label}"
        self.app.push_screen(CellQuotesScreen(where, quotes))

    def on_project_changed(self, _event: ProjectChanged) -> None:
        self.refresh_table()

    # -- actions --------------------------------------------------------------------------------
    def action_kind(self) -> None:
        self.first = 0
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        if self.kind == "kenmerk" and not self.attributes:
            self.kind = "cooccurrence"  # no kenmerken in this project
        self.refresh_table()

    def _pick(self, title: str, chosen_one) -> None:  # noqa: ANN001 - a callback
        keys = self.project.attribute_keys()
        if not keys:
            self.notify(_("De documenten hebben nog geen kenmerken."), severity="warning")
            return
        self.app.push_screen(ChoiceModal(title, [(k, k) for k in keys]), chosen_one)

    def action_attribute(self) -> None:
        def chosen(key: str | None) -> None:
            if key is not None:
                self.attributes = [key, *[a for a in self.attributes[1:2] if a != key]]
                self.kind = "kenmerk"
                self.refresh_table()

        self._pick(_("Kenmerk voor de kolommen"), chosen)

    def action_cross(self) -> None:
        """A second kenmerk crossed with the first (choosing the first again uncrosses)."""
        if not self.attributes:
            self.action_attribute()
            return

        def chosen(key: str | None) -> None:
            if key is not None:
                first = self.attributes[0]
                self.attributes = [first] if key == first else [first, key]
                self.kind = "kenmerk"
                self.refresh_table()

        self._pick(_("Kruisen met kenmerk (hetzelfde: niet kruisen)"), chosen)

    def action_count(self) -> None:
        self.count = COUNTS[(COUNTS.index(self.count) + 1) % len(COUNTS)]
        self.refresh_table()

    def action_percent(self) -> None:
        if self.kind == "cooccurrence":
            self.percent = None if self.percent else "row"  # toggles the c-coefficient
        else:
            self.percent = PERCENTS[(PERCENTS.index(self.percent) + 1) % len(PERCENTS)]
        self.refresh_table()

    def action_filter(self) -> None:
        """Only documents with these kenmerk values: ``aanpak=Meedoen010 geslacht=vrouw``."""
        keys = {k.casefold() for k in self.project.attribute_keys()}

        def read(text: str) -> tuple[tuple[str, str], ...] | str:
            pairs = []
            for term in text.split():
                key, eq, value = term.partition("=")
                if not eq or key.casefold() not in keys:
                    return _("{term}: schrijf kenmerk=waarde met een bestaand kenmerk.").format(
                        term=repr(term)
                    )
                pairs.append((key, value))
            return tuple(pairs)

        def check(values: Mapping[str, str]) -> str | None:
            found = read(values["where"])
            return found if isinstance(found, str) else None

        def chosen(values: dict[str, str] | None) -> None:
            if values is not None:
                found = read(values["where"])
                if not isinstance(found, str):
                    self.where = found
                    self.refresh_table()

        current = " ".join(f"{k}={v}" for k, v in self.where)
        field = Field(  # i18n: keep (placeholder: an example of the data's kenmerk=waarde)
            "where",
            _("Alleen documenten met (leeg: alle)"),
            current,
            placeholder="aanpak=Meedoen010",
        )
        self.app.push_screen(FormModal(_("Filter"), [field], check=check), chosen)

    def action_rows(self) -> None:
        """Add (or remove) a row for a saved query or a code group."""
        items = [
            (f"@{name}", f"@{name}  {text}") for name, text in saved_queries(self.project).items()
        ]
        items += [
            (f"group:{g.name}", _("groep {name}").format(name=g.name))
            for g in self.project.groups("code")
        ]
        if not items:
            self.notify(_("Geen opgeslagen zoekvragen of codegroepen."), timeout=3)
            return
        shown = [(key, ("✓ " if key in self.extra else "  ") + label) for key, label in items]

        def chosen(key: str | None) -> None:
            if key is not None:
                self.extra = [e for e in self.extra if e != key] + (
                    [] if key in self.extra else [key]
                )
                self.refresh_table()

        self.app.push_screen(ChoiceModal(_("Rij erbij of eraf"), shown), chosen)

    def action_block(self, step: int) -> None:
        if self.table is not None and len(self.table.columns) > BLOCK:
            self.first = max(0, min(self.first + step * BLOCK, len(self.table.columns) - 1))
            self._fill()

    def action_back(self) -> None:
        self.dismiss(None)
