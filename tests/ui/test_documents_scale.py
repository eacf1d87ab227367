"""The documents screen on a project with more documents than fit on the screen: the rows on
screen show their progress at once, the others are counted while the screen is idle, and every
figure ends up what the store counts (#18: at 1,000 fully coded transcripts counting all of them
before the first draw took seconds)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from kwali.store import Project
from kwali.ui.app import KwaliApp
from kwali.ui.screens.documents import DocumentsScreen
from kwali.ui.widgets.document_table import DocumentTable

from helpers import AGREEMENT_CODEBOOK, SENTENCES, add_interview

DOCUMENTS = 60  # more than the 21 rows an 80x24 screen shows


@pytest.fixture
def many(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "veel.kwali")
    project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
    for n in range(DOCUMENTS):
        sentences = add_interview(project, f"interview_{n:02d}", [f"{s} ({n})" for s in SENTENCES])
        for k in range(n % 7):  # anna: 0 to 6 sentences; bram: every third document
            s = sentences[k]
            project.add_coding(s.document_id, s.start, s.end, "dwang", "anna")
        if n % 3 == 0:
            s = sentences[-1]
            project.add_coding(s.document_id, s.start, s.end, "brief", "bram")
        if n % 5 == 0:  # a mark counts as done too
            project.mark_reviewed([sentences[8].id], "anna", about="x")
    return project


async def _all_counted(screen: DocumentsScreen, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(400):
        if all(row.progress is not None for row in screen.rows):
            await pilot.pause()
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the documents screen never finished counting")


async def test_rows_on_screen_first_then_every_row_as_the_store_counts(many: Project):
    app = KwaliApp(many, "anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DocumentsScreen)
        table = screen.query_one(DocumentTable)
        where = {row.summary.id: row for row in screen.rows}
        # drawn with the figures of the rows on screen
        assert all(where[key].progress is not None for key in table.visible_keys())
        await _all_counted(screen, pilot)
        expected = many.progress(["anna", "bram"])
        for row in screen.rows:
            for coder in ("anna", "bram"):
                assert row.progress[coder] == expected[coder].get(row.summary.id, 0)
        table_text = [table.row_text(i) for i in range(table.row_count)]
        seventh = next(cells for cells in table_text if cells[1] == "interview_06")
        assert seventh[-2].endswith(" 6/10") and seventh[-1] == "1/10"  # anna 6, bram 1
        done = sum(n for n in expected["anna"].values())
        status = str(screen.query_one("#status").render())
        assert f"jouw voortgang {done}/{DOCUMENTS * 10} zinnen" in status


async def test_sorting_by_progress_counts_every_row_first(many: Project):
    app = KwaliApp(many, "anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s", "s", "s")  # number, name, length, progress
        screen = app.screen
        assert isinstance(screen, DocumentsScreen)
        table = screen.query_one(DocumentTable)
        names = [table.row_text(i)[1] for i in range(table.row_count)]
        # the most done first: 6 coded and 1 marked; ties stay in number order
        assert names[:2] == ["interview_20", "interview_55"]
        assert names[-1] == "interview_56"  # the last of those with nothing done (n % 7 == 0)


async def test_moving_while_counting_keeps_the_cursor_and_every_figure(many: Project):
    app = KwaliApp(many, "anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown", "pagedown", "down")
        screen = app.screen
        assert isinstance(screen, DocumentsScreen)
        table = screen.query_one(DocumentTable)
        at = table.cursor
        await _all_counted(screen, pilot)
        assert table.cursor == at
        assert all("…" not in table.row_text(i)[-1] for i in range(table.row_count))


async def test_long_transcripts_every_column_fits_80_columns(tmp_path: Path):
    """At 1,000 sentences a figure is 1000/1000: the last coder's column still fits."""
    project = Project.create(tmp_path / "lang.kwali")
    project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
    name = "een_heel_lang_interview_met_een_lange_naam"
    sentences = add_interview(project, name, [f"Zin nummer {n}." for n in range(1000)])
    attributes = {"rol": "werkzoekende", "gender": "vrouw", "groep": "groep noord-oost"}
    for key, value in attributes.items():
        project.set_attribute(sentences[0].document_id, key, value)
    s = sentences[0]
    project.add_coding(s.document_id, s.start, s.end, "dwang", "bram")
    every = [s.id for s in sentences if s.kind == "sentence"]
    for coder in ("anna", "carla"):  # done with all of it
        project.add_coding(s.document_id, s.start, s.end, "dwang", coder)
        project.mark_reviewed(every, coder, about="document 1")
    app = KwaliApp(project, "anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DocumentTable)
        assert table.row_text(0)[-1] == "1000/1000"  # carla's figure, whole
        assert sum(table.widths) + 2 * len(table.widths) <= table.size.width


async def test_back_from_a_transcript_every_figure_is_counted_again(many: Project):
    app = KwaliApp(many, "anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("end", "enter")  # the last document, off the first screen
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "down", "r")  # not coded: reviewed
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DocumentsScreen)
        await _all_counted(screen, pilot)
        expected = many.progress(["anna", "bram"])
        last = screen.rows[-1]
        assert (
            last.progress["anna"] == expected["anna"][last.summary.id] == 59 % 7 + 1
        )  # 3 coded, 1 marked
        assert all(
            row.progress[c] == expected[c].get(row.summary.id, 0)
            for row in screen.rows
            for c in ("anna", "bram")
        )
