"""The coding screen's keys of #16: Home/End/PageDown move the cursor with the view, `n`/`p`
go round with a notice, `d` removes a code at once (`u` brings it back), `r` marks a sentence
reviewed and `R` the rest of the document, so the documents screen reaches 100%."""

from __future__ import annotations

from kwali.ui.screens.coding import CodingScreen
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.documents import DocumentsScreen
from kwali.ui.widgets.transcript_view import TranscriptView

from ui_helpers import notifications, panel_text


def _told(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [note.message for note in notifications(app)]


async def test_end_moves_the_cursor_and_n_goes_round_to_the_first_open(make_app, open_document):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_document(app, pilot)
        last = len(screen.state.segments) - 1
        await pilot.press("end")
        await pilot.pause()
        assert screen.index == last
        assert screen.query_one(TranscriptView).current == (
            screen.segment.start,
            screen.segment.end,
        )
        await pilot.press("n")
        await pilot.pause()
        assert screen.segment.text == "Ik kreeg een brief van de gemeente."  # the first open one
        assert "Terug naar het begin." in _told(app)
        await pilot.press("p")
        await pilot.pause()
        assert screen.segment.text == "Nu vind ik het leuk."  # the last open one, going round
        assert "Terug naar het einde." in _told(app)
        await pilot.press("home")
        await pilot.pause()
        assert screen.index == 0


async def test_page_down_moves_the_cursor_into_the_new_view(make_app, open_document):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_document(app, pilot)
        await pilot.press("home")
        await pilot.pause()
        view = screen.query_one(TranscriptView)
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.scroll_y > 0
        top = int(view.scroll_y)
        line = view.line_of(screen.segment.start)
        assert top <= line < top + view.scrollable_content_region.height  # on screen
        assert screen.index > 0
        before = screen.index
        await pilot.press("pageup")
        await pilot.pause()
        assert screen.index < before and view.scroll_y == 0


async def test_d_removes_at_once_and_u_brings_it_back(make_app, open_document, open_project):
    app = make_app()
    check = open_project()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_document(app, pilot)
        document_id = screen.segment.document_id
        await pilot.press("a")  # "Brieven van de gemeente" on the first sentence
        await pilot.pause()
        assert len(check.codings(document_id=document_id, coder="anna")) == 1
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)  # no question
        assert check.codings(document_id=document_id, coder="anna") == []
        assert "“Brieven van de gemeente” verwijderd · u: ongedaan maken" in _told(app)
        await pilot.press("u")
        await pilot.pause()
        assert len(check.codings(document_id=document_id, coder="anna")) == 1


async def test_r_marks_reviewed_counts_as_progress_and_u_undoes_it(
    make_app, open_document, open_project
):
    app = make_app()
    check = open_project()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_document(app, pilot)
        document_id = screen.segment.document_id
        await pilot.press("home")
        await pilot.pause()
        first = screen.segment
        await pilot.press("r")
        await pilot.pause()
        assert screen.index == 1  # on to the next sentence
        assert check.progress(["anna"])["anna"] == {document_id: 1}
        await pilot.press("up")
        await pilot.pause()
        assert "✓ bekeken" in panel_text(screen)
        await pilot.press("u")
        await pilot.pause()
        assert check.progress(["anna"])["anna"] == {}
        assert first.id not in screen.state.marked
        assert "✓ bekeken" not in panel_text(screen)


async def test_document_done_after_a_question_makes_progress_complete(
    make_app, open_document, open_project
):
    app = make_app()
    check = open_project()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_document(app, pilot)
        document_id = screen.segment.document_id
        total = len(check.segments(document_id, kind="sentence"))
        await pilot.press("a")  # one sentence coded, the rest marked by R
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("j")
        await pilot.pause()
        assert check.progress(["anna"])["anna"] == {document_id: total}
        assert check.unfinished_sentences(document_id, "anna") == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DocumentsScreen)
        row = next(r for r in app.screen.rows if r.summary.id == document_id)
        assert row.progress["anna"] == row.summary.segments == total  # the bar is full
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("u")  # the whole document's marks in one step
        await pilot.pause()
        assert check.progress(["anna"])["anna"] == {document_id: 1}


async def test_status_counts_open_suggestions_in_good_dutch(make_app, open_document):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_document(app, pilot)
        status = screen.query_one("#status")
        assert "4 open suggesties" in str(status.render())
        await pilot.press("a", "n", "a", "a")  # the brief sentence, then both on the bang one
        await pilot.pause()
        assert "1 open suggestie " in str(status.render()) + " "
        assert "1 open suggesties" not in str(status.render())
