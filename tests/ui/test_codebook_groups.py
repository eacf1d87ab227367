"""Code groups have a home in the codebook screen: a code's groups in its detail pane, and
``G`` lists every code group with its codes."""

from __future__ import annotations

from textual.widgets import Static

from kwali.store.groups import Group
from kwali.ui.screens.codebook import CodebookScreen

from codebook_helpers import build_project, highlight
from ui_helpers import ScreenApp


async def test_a_codes_groups_show_in_its_detail_and_G_lists_them() -> None:
    project, _ = build_project()
    project.import_groups(
        [Group("code", "druk", "", ("dwang", "sanctie")), Group("code", "hulp", "", ("dwang",))],
        [],
        "anna",
        "atlas.qdc",
    )
    app = ScreenApp(lambda: CodebookScreen(project, "anna"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await highlight(pilot, "dwang")
        await pilot.pause()
        detail = str(app.screen.query_one("#code-detail", Static).render())
        assert "Groepen: druk, hulp" in detail
        await highlight(pilot, "contact")
        await pilot.pause()
        assert "Groepen" not in str(app.screen.query_one("#code-detail", Static).render())
        await pilot.press("G")
        await pilot.pause()
        said = [message for message, _ in app.notes]
        assert "druk: Ervaren dwang, Sancties\nhulp: Ervaren dwang" in said


async def test_G_without_code_groups_says_so() -> None:
    project, _ = build_project()
    app = ScreenApp(lambda: CodebookScreen(project, "anna"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("G")
        await pilot.pause()
        assert ("Er zijn geen codegroepen.", "information") in app.notes
