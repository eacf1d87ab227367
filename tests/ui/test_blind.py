"""Blind mode: a coder sees only their own codings, for honest agreement figures later."""

from __future__ import annotations

from kwali.ui.widgets.document_table import DocumentTable
from kwali.ui.widgets.transcript_view import TranscriptView

from ui_helpers import panel_text


def _bram_codes_first_suggested_sentence(project) -> None:  # type: ignore[no-untyped-def]
    doc = project.require_document("werkzoekende_buurthuis")
    segment = next(s for s in project.segments(doc.id) if s.text.startswith("Ik kreeg een brief"))
    project.add_coding(doc.id, segment.start, segment.end, "dwang", "bram", memo="bram denkt dwang")


async def test_without_blind_others_codings_show(make_app, open_document, open_project):
    _bram_codes_first_suggested_sentence(open_project())
    app = make_app(blind=False)
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        headers = [c.label for c in app.screen.query_one(DocumentTable).columns]
        assert "bram" in headers
        screen = await open_document(app, pilot)
        assert [a.label for a in screen.query_one(TranscriptView).annotations] == [
            "Gevoel van dwang · bram"
        ]
        assert "bram denkt dwang" in panel_text(screen)


async def test_blind_hides_other_coders(make_app, open_document, open_project):
    _bram_codes_first_suggested_sentence(open_project())
    app = make_app(blind=True)
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        headers = [c.label for c in app.screen.query_one(DocumentTable).columns]
        assert "bram" not in headers
        screen = await open_document(app, pilot)
        assert screen.query_one(TranscriptView).annotations == ()
        panel = panel_text(screen)
        assert "bram" not in panel and "nog niet gecodeerd" in panel
        await pilot.press("a")  # own work still shows
        assert [a.label for a in screen.query_one(TranscriptView).annotations] == [
            "Brieven van de gemeente"
        ]
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("j")  # only anna's own coding is offered for removal
        await pilot.pause()
        remaining = open_project().codings(document_id=screen.state.document.id)
        assert [(c.coder, c.code_key) for c in remaining] == [("bram", "dwang")]
