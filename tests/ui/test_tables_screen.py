"""Pilot tests for the tables screen (`t`): code × document, switching to code × kenmerk,
Enter on a cell listing exactly its quotes, Enter on a quote opening the transcript, and
blind mode counting only the coder's own codings."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import DataTable

from kwali.analysis.tables import code_table
from kwali.store import Project
from kwali.ui.screens.cell_quotes import CellQuotesScreen
from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.coding import CodingScreen
from kwali.ui.screens.tables import TablesScreen

BANG = "Ik was echt bang voor een korting op mijn uitkering."
LEUK = "Nu vind ik het leuk."
VRAAG = "En hoe is het nu?"


@pytest.fixture
def coded(open_project: Callable) -> Project:
    """anna: dwang on the fear of a cut, plezier on 'leuk'; bram: plezier on the question."""
    project = open_project()
    doc = project.require_document("werkzoekende_buurthuis")
    by_text = {s.text: s for s in project.segments(doc.id)}
    for text, code, coder in ((BANG, "dwang", "anna"), (LEUK, "plezier", "anna")):
        project.add_coding(doc.id, by_text[text].start, by_text[text].end, code, coder)
    project.add_coding(doc.id, by_text[VRAAG].start, by_text[VRAAG].end, "plezier", "bram")
    return project


async def open_tables(app, pilot) -> TablesScreen:
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(app.screen, TablesScreen)
    return app.screen


def shown(screen: TablesScreen, row: int, column: int) -> str:
    # numbers are padded to their column's width, so they line up on the right
    return str(screen.query_one(DataTable).get_cell_at((row, column))).strip()


async def test_switch_to_kenmerk_and_enter_lists_the_cells_quotes(make_app, coded):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_tables(app, pilot)
        table = screen.table
        assert table is not None and table.kind == "document"
        assert table.columns == ["werkzoekende_buurthuis", "klantmanager_zuid"]
        plezier = [r.key for r in table.rows].index("plezier")
        assert shown(screen, plezier, 1) == str(table.value("plezier", table.columns[0]))
        # code × kenmerk: pick "groep"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        keys = coded.attribute_keys()
        for _ in range(keys.index("groep")):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.table is not None and screen.table.kind == "groep"
        expected = code_table(coded, "groep")
        assert screen.table.columns == expected.columns == ["noord", "zuid"]
        ervaring = [r.key for r in screen.table.rows].index("ervaring")
        assert screen.table.rows[ervaring].category
        # the category is a subtotal: three quotes, each once
        assert shown(screen, ervaring, 1) == "3"
        # Enter on the category's "noord" cell lists exactly those quotes
        grid = screen.query_one(DataTable)
        grid.move_cursor(row=ervaring, column=1)
        await pilot.press("enter")
        await pilot.pause()
        quotes_screen = app.screen
        assert isinstance(quotes_screen, CellQuotesScreen)
        assert sorted(q.text for q in quotes_screen.quotes) == sorted([BANG, LEUK, VRAAG])
        # Enter on a quote opens its transcript
        first = quotes_screen.quotes[0]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.document_id == first.document_id


async def test_percentages_and_counts_cycle(make_app, coded):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_tables(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        assert screen.percent == "row"
        plezier = [r.key for r in screen.table.rows].index("plezier")  # type: ignore[union-attr]
        assert shown(screen, plezier, 1) == "100,0%"
        await pilot.press("n")
        await pilot.pause()
        assert screen.table is not None and screen.table.count == "documents"
        await pilot.press("s", "s")  # kenmerk, then co-occurrence
        await pilot.pause()
        assert screen.table.pairs


async def test_blind_counts_only_the_coders_own_codings(make_app, coded):
    app = make_app(coder="anna", blind=True)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_tables(app, pilot)
        assert screen.table is not None
        # bram's question is not counted: plezier has anna's one quote only
        assert screen.table.value("plezier", "werkzoekende_buurthuis") == 1
        assert screen.table.value("ervaring", "werkzoekende_buurthuis") == 2


async def test_filter_and_a_code_group_row(make_app, coded):
    from kwali.store.groups import Group

    coded.import_groups([Group("code", "kern", "", ("dwang", "brief"))], [], "anna", "t")
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_tables(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"groep=noord")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.where == (("groep", "noord"),)
        assert screen.table is not None and screen.table.columns == ["werkzoekende_buurthuis"]
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.table.rows[-1].key == "group:kern"
        expected = code_table(coded, "document", code_groups=["kern"], where=(("groep", "noord"),))
        assert screen.table.value("group:kern", "werkzoekende_buurthuis") == expected.value(
            "group:kern", "werkzoekende_buurthuis"
        )
        assert expected.value("group:kern", "werkzoekende_buurthuis") >= 1


async def test_columns_page_in_blocks(make_app, coded, monkeypatch):
    import kwali.ui.screens.tables as tables

    monkeypatch.setattr(tables, "BLOCK", 1)  # two documents: a block each
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_tables(app, pilot)
        assert screen.shown_columns() == ["werkzoekende_buurthuis"]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.shown_columns() == ["klantmanager_zuid"]
        assert screen.cell_at(0, 1) == (screen.table.rows[0].key, "klantmanager_zuid")  # type: ignore[union-attr]
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.shown_columns() == ["werkzoekende_buurthuis"]
