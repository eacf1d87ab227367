"""A table of documents that draws only the rows on screen.

Textual's DataTable measures every cell to size its columns, which costs ~250 ms for
1,000 documents; here column widths come from string lengths, and a row is styled only
when it is visible, so a project of any size opens and scrolls at the same speed.

A table wider than the screen scrolls sideways (←/→ a column at a time) while its first
``fixed_columns`` columns (the document's number and name, say) stay where they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip

from kwali.i18n import _
from kwali.ui.messages import ColumnClicked, RowChosen
from kwali.ui.widgets.frame_styled import FrameStyledView

Cell = str | Text


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    justify: Literal["left", "right"] = "left"
    max_width: int = 60


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


class DocumentTable(FrameStyledView, can_focus=True, inherit_bindings=False):
    """Rows of cells with a fixed header, a cursor row and zebra stripes."""

    BINDINGS = [
        Binding("down", "cursor(1)", _("Volgende"), show=False, id="table.down"),
        Binding("up", "cursor(-1)", _("Vorige"), show=False, id="table.up"),
        Binding("pagedown", "page(1)", _("Pagina omlaag"), show=False, id="table.page_down"),
        Binding("pageup", "page(-1)", _("Pagina omhoog"), show=False, id="table.page_up"),
        Binding("home", "jump(0)", _("Eerste"), show=False, id="table.first"),
        Binding("end", "jump(-1)", _("Laatste"), show=False, id="table.last"),
        Binding("left", "sideways(-1)", _("Kolom terug"), show=False, id="table.left"),
        Binding("right", "sideways(1)", _("Kolom verder"), show=False, id="table.right"),
    ]
    COMPONENT_CLASSES = {"table--header", "table--cursor", "table--stripe"}
    cursor = reactive(0, always_update=True)

    def __init__(self, *, id: str | None = None, fixed_columns: int = 0) -> None:
        super().__init__(id=id)
        self.fixed_columns = fixed_columns  # drawn at the left always, not scrolled sideways
        self.columns: list[Column] = []
        self.rows: list[list[Cell]] = []
        self.keys: list[int] = []
        self.widths: list[int] = []

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def cursor_key(self) -> int | None:
        return self.keys[self.cursor] if self.rows else None

    def set_rows(
        self, columns: Sequence[Column], rows: Sequence[list[Cell]], keys: Sequence[int]
    ) -> None:
        """Replace the content; the cursor stays on the same key when it is still there."""
        keep = self.cursor_key
        self.columns, self.rows, self.keys = list(columns), list(rows), list(keys)
        self.widths = [
            min(col.max_width, max([len(col.label), *(len(_plain(r[i])) for r in self.rows)]))
            for i, col in enumerate(self.columns)
        ]
        width = sum(self.widths) + 2 * len(self.widths)
        self.virtual_size = Size(width, len(self.rows) + 1)
        self.cursor = self.keys.index(keep) if keep in self.keys else 0
        self.refresh()

    def replace_rows(self, cells: dict[int, list[Cell]]) -> None:
        """New cells for the rows of these keys (figures counted later); a column grows when
        a new cell is wider, and only rows on screen are drawn again."""
        where = {key: index for index, key in enumerate(self.keys)}
        shown = set(self.visible_keys())
        grown = False
        for key, row in cells.items():
            if key not in where:
                continue
            self.rows[where[key]] = row
            for i, (cell, col) in enumerate(zip(row, self.columns, strict=False)):
                width = min(col.max_width, len(_plain(cell)))
                if width > self.widths[i]:
                    self.widths[i], grown = width, True
        if grown:
            self.virtual_size = Size(sum(self.widths) + 2 * len(self.widths), len(self.rows) + 1)
        if grown or shown & cells.keys():
            self.refresh()

    def visible_keys(self) -> list[int]:
        """The keys of the rows on screen, top to bottom."""
        top = int(self.scroll_y)
        return self.keys[top : top + max(1, self.scrollable_content_region.height - 1)]

    def row_text(self, index: int) -> list[str]:
        return [_plain(cell) for cell in self.rows[index]]

    # -- cursor -------------------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, value: int) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_y)
        if value < top:
            self.scroll_to(y=value, animate=False)
        elif value >= top + visible:
            self.scroll_to(y=value - visible + 1, animate=False)
        self.refresh()

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, step: int) -> None:
        self.cursor += step * max(1, self.scrollable_content_region.height - 2)

    def action_jump(self, where: int) -> None:
        self.cursor = where if where >= 0 else len(self.rows) - 1

    @property
    def fixed_width(self) -> int:
        """Cells taken by the fixed columns (each cell has a space either side)."""
        fixed = self.widths[: self.fixed_columns]
        return sum(fixed) + 2 * len(fixed)

    def action_sideways(self, step: int) -> None:
        """Scroll the columns after the fixed ones by one column."""
        edges, x = [0], 0
        for width in self.widths[self.fixed_columns :]:
            x += width + 2
            edges.append(x)
        now = int(self.scroll_x)
        if step > 0:
            target = next((e for e in edges if e > now), now)
        else:
            target = next((e for e in reversed(edges) if e < now), 0)
        self.scroll_to(x=min(target, self.max_scroll_x), animate=False)

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            fixed = self.fixed_width
            x = event.x if event.x < fixed else event.x + int(self.scroll_x)
            for index, width in enumerate(self.widths):
                if x < width + 2:
                    self.post_message(ColumnClicked(index))
                    return
                x -= width + 2
            return
        row = int(self.scroll_y) + event.y - 1
        if 0 <= row < len(self.rows):
            if row == self.cursor:  # a second click (or a double click) opens
                self.post_message(RowChosen(self.keys[row]))
            self.cursor = row

    # -- drawing --------------------------------------------------------------------------------
    def _cells(self, cells: Sequence[Cell], style: Style) -> list[Segment]:
        out: list[Segment] = []
        for cell, column, width in zip(cells, self.columns, self.widths, strict=False):
            text = cell.copy() if isinstance(cell, Text) else Text(cell)
            text.end = ""
            text.truncate(width, overflow="ellipsis")
            pad = width - text.cell_len
            out.append(Segment(" ", style))
            if column.justify == "right":
                out.append(Segment(" " * pad, style))
            out.extend(
                Segment(seg.text, style + seg.style if seg.style else style)
                for seg in text.render(self.app.console)
            )
            if column.justify == "left":
                out.append(Segment(" " * pad, style))
            out.append(Segment(" ", style))
        return out

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.frame_style
        if y == 0:
            style = base + self.get_component_rich_style("table--header", partial=True)
            strip = Strip(self._cells([c.label for c in self.columns], style))
        else:
            row = int(self.scroll_y) + y - 1
            if not 0 <= row < len(self.rows):
                return Strip.blank(width, base)
            style = base
            if row == self.cursor:
                style += self.get_component_rich_style("table--cursor", partial=True)
            elif row % 2:
                style += self.get_component_rich_style("table--stripe", partial=True)
            strip = Strip(self._cells(self.rows[row], style))
        return self._shifted(strip, width).adjust_cell_length(width, style)

    def _shifted(self, strip: Strip, width: int) -> Strip:
        """The line as seen: the fixed columns, then the rest from ``scroll_x`` on."""
        x = int(self.scroll_x)
        fixed = min(self.fixed_width, width)
        if not fixed:
            return strip.crop(x, x + width)
        return Strip.join([strip.crop(0, fixed), strip.crop(fixed + x, x + width)])
