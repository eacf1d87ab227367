"""The app's own keys: quotes jump into their context, agreement opens (not when blind),
and a screen's key pressed on that screen does not stack a second copy."""

from __future__ import annotations

from kwali.ui.screens.agreement import AgreementScreen
from kwali.ui.screens.codebook import CodebookScreen
from kwali.ui.screens.coding import CodingScreen
from kwali.ui.screens.quotes import QuotesScreen


def _code_korting(project) -> int:  # type: ignore[no-untyped-def]
    doc = project.require_document("werkzoekende_buurthuis")
    segment = next(s for s in project.segments(doc.id) if "korting" in s.text)
    project.add_coding(doc.id, segment.start, segment.end, "dwang", "anna")
    return segment.start


async def test_enter_on_a_quote_opens_its_sentence_in_the_document(make_app, open_project):
    start = _code_korting(open_project())
    app = make_app()
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.pause()
        app.push_screen(QuotesScreen(app.project, "anna", code_key="dwang"))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.segment.start == start
        assert "korting" in app.screen.segment.text


async def test_agreement_key_respects_blind_mode(make_app):
    app = make_app(blind=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert not isinstance(app.screen, AgreementScreen)
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, AgreementScreen)


async def test_screen_keys_do_not_stack_copies(make_app):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        depth = len(app.screen_stack)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen) and len(app.screen_stack) == depth
