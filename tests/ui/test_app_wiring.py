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


async def test_placeholders_in_brackets_are_shown_as_written(make_app, open_project, nlp):
    from kwali.io.turns import detect_turns
    from kwali.model import Transcript
    from kwali.nlp import segment_many

    text = "I: En toen?\n\nR: Toen kwam ik bij [naam activeringscoach] en [ik] was opgelucht."
    transcript = Transcript(text, detect_turns(text), "haakjes.txt", "txt")
    project = open_project()
    document, _ = project.add_document(
        transcript,
        lambda doc_id, uid: segment_many(nlp, [(text, transcript.turns, doc_id, uid)])[0],
    )
    sentence = next(s for s in project.segments(document.id) if "[naam" in s.text)
    project.add_coding(document.id, sentence.start, sentence.end, "dwang", "anna")
    project.add_coding(document.id, sentence.start, sentence.end, "plezier", "bram")
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        pane = app.screen.query_one("#agree-unit")
        shown = str(pane.render())
        assert "[naam activeringscoach]" in shown and "[ik]" in shown
