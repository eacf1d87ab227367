"""At 80 columns a wide DocumentTable scrolls sideways by a column (→/←) while its fixed
columns stay at the left, the header with them."""

from __future__ import annotations

from textual.app import App, ComposeResult

from kwali.ui.widgets.document_table import Column, DocumentTable

COLUMNS = [Column("Nr"), Column("Document"), *(Column(f"Kolom {n}") for n in range(8))]


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield DocumentTable(id="t", fixed_columns=2)

    def on_mount(self) -> None:
        rows = [
            [str(n), f"interview_{n}", *(f"waarde {n}.{k}" for k in range(8))] for n in range(5)
        ]
        table = self.query_one(DocumentTable)
        table.set_rows(COLUMNS, rows, list(range(5)))
        table.focus()


def _line(table: DocumentTable, y: int) -> str:
    return table.render_line(y).text


async def test_right_scrolls_a_column_and_keeps_the_fixed_ones():
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(DocumentTable)
        assert table.max_scroll_x > 0
        assert _line(table, 1).startswith(" 0   interview_0 ")
        assert "waarde 0.0" in _line(table, 1)
        await pilot.press("right")
        await pilot.pause()
        first = _line(table, 1)
        assert first.startswith(" 0   interview_0 ")  # still there
        assert "waarde 0.0" not in first and "waarde 0.1" in first
        assert _line(table, 0).startswith(" Nr  Document ") and "Kolom 1" in _line(table, 0)
        for _ in range(12):
            await pilot.press("right")
        await pilot.pause()
        assert table.scroll_x == table.max_scroll_x
        assert "waarde 0.7" in _line(table, 1)  # the last column reached
        for _ in range(12):
            await pilot.press("left")
        await pilot.pause()
        assert table.scroll_x == 0
