"""At 80×24 the lists fit the terminal or scroll sideways with their label columns in view;
counts are Dutch ("1 memo", not "1 memo's") and attribute values are shown as written.

The project is test_screens_sizes.py's: two interviews coded by anna and ben (so the documents
list has a second progress column), the second one's role ``ontvangende_organisatie``, a survey
question and one memo.
"""

from __future__ import annotations

import pytest
from test_screens_sizes import sized_project  # noqa: F401 - the fixture, defined there
from textual.widgets import DataTable, Static

from kwali.ui.widgets.document_table import DocumentTable


def _line(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).render())


def _table_width(table: DocumentTable) -> int:
    return sum(table.widths) + 2 * len(table.widths)


@pytest.mark.usefixtures("sized_project")
async def test_documents_fit_80_columns_with_a_second_coder(make_app):  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DocumentTable)
        assert [c.label for c in table.columns][-2:] == ["Voortgang anna", "ben"]
        # every column on screen (the scrollbar takes one cell): nothing to scroll to
        assert _table_width(table) <= 80 - 1
        rows = [" ".join(table.row_text(i)) for i in range(table.row_count)]
        assert any("ontvangende organisatie" in row for row in rows)
        assert not any("ontvangende_organisatie" in row for row in rows)
        status = _line(app.screen, "#status")
        assert status.startswith("3 documenten · ") and len(status) <= 80 - 2


@pytest.mark.usefixtures("sized_project")
async def test_a_wide_list_scrolls_sideways_keeping_its_name_column(make_app):  # type: ignore[no-untyped-def]
    app = make_app()
    app.project.set_case_attributes(
        "1001", {"toelichting": "werkt sinds maart drie ochtenden per week in de buurtkeuken"}
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("C", "tab")  # the cases list, its attributes past the edge
        await pilot.pause()
        table = app.screen.query_one("#cases", DocumentTable)
        assert app.focused is table and table.fixed_columns == 1
        await pilot.press("right")
        await pilot.pause()
        assert table.scroll_x > 0  # the attributes come into view, the case name stays


@pytest.mark.usefixtures("sized_project")
async def test_tables_keep_the_code_column_while_scrolling(make_app):  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(50, 24)) as pilot:  # narrower than the grid
        await _press(pilot, "t", "right", "right", "right", "right")
        grid = app.screen.query_one(DataTable)
        assert grid.scroll_x > 0 and grid.fixed_columns == 1
        assert str(grid.get_cell_at((1, 0))).strip() == "Gevoel van dwang"


@pytest.mark.usefixtures("sized_project")
async def test_counts_are_dutch_singular_for_one(make_app):  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _press(pilot, "w")
        assert _line(app.screen, "#memos-title").endswith("· 1 memo")
        assert _line(app.screen, "#status").startswith("1 memo · ")
        await _press(pilot, "escape", "o", *"dwang", "enter")
        assert "2 coderingen in 1 document" in _line(app.screen, "#quotes-title")


async def _press(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
