"""A code's memos are read where the code is explained: the codebook screen's detail pane
(a blind coder sees only their own) and the codebook appendix."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from textual.widgets import Static

from kwali.export import export
from kwali.ui.screens.codebook import CodebookScreen

from codebook_helpers import build_project, highlight
from ui_helpers import ScreenApp


def _detail(app: ScreenApp) -> str:
    return str(app.screen.query_one("#code-detail", Static).render())


async def test_the_detail_pane_shows_the_codes_memos_and_blind_only_ones_own() -> None:
    project, _ = build_project()
    project.add_memo("code", "dwang", "Na ronde 2: ook 'verplicht voelen'.", "anna")
    project.add_memo("code", "dwang", "Twijfel bij kleine opdrachten.", "bram")
    for blind, seen, unseen in (
        (False, ["ronde 2", "Twijfel"], []),
        (True, ["ronde 2"], ["Twijfel"]),
    ):
        app = ScreenApp(lambda blind=blind: CodebookScreen(project, "anna", blind=blind))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await highlight(pilot, "dwang")
            await pilot.pause()
            text = _detail(app)
            assert "Memo's" in text
            assert all(part in text for part in seen), text
            assert not any(part in text for part in unseen), text
            await highlight(pilot, "sanctie")
            await pilot.pause()
            assert "Memo's" not in _detail(app)


def test_the_codebook_appendix_holds_each_codes_memos(tmp_path: Path) -> None:
    project, _ = build_project()
    project.add_memo("code", "sanctie", "Alleen bij een echte korting.", "anna")
    out = tmp_path / "codeboek.docx"
    export(project, "codebook", out)
    cells = [
        cell.text for table in Document(str(out)).tables for row in table.rows for cell in row.cells
    ]
    assert "Memo's" in cells
    assert any("Alleen bij een echte korting." in cell for cell in cells)
