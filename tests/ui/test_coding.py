"""Coding screen key flows: each key changes the project file, then the screen."""

from __future__ import annotations

from textual.binding import Binding

from kwali.ui.screens.code_picker import CodePickerModal, rank_codes
from kwali.ui.screens.coding import CodingScreen
from kwali.ui.screens.documents import DocumentsScreen
from kwali.ui.screens.help import HelpScreen
from kwali.ui.widgets.transcript_view import BAR, GUTTER, TranscriptView

from ui_helpers import notifications, panel_text


def _segment_text(screen: CodingScreen) -> str:
    return screen.segment.text


async def test_opens_on_first_open_suggestion_with_evidence(make_app, open_document):
    app = make_app()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        assert _segment_text(screen) == "Ik kreeg een brief van de gemeente."
        panel = panel_text(screen)
        assert "Brieven van de gemeente" in panel and "0.90" in panel and "“brief”" in panel
        view = screen.query_one(TranscriptView)
        start = screen.segment.start
        assert view.current == (start, screen.segment.end)
        assert view.evidence == ((start + 13, start + 18),)  # "brief" highlighted


async def test_accept_and_reject(make_app, open_document, open_project):
    app = make_app()
    check = open_project()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        doc_id = screen.state.document.id
        await pilot.press("a")
        codings = check.codings(document_id=doc_id, coder="anna")
        assert [(c.code_key, c.origin) for c in codings] == [("brief", "suggestion")]
        assert "opgeslagen" in screen.last_saved
        await pilot.press("n")
        assert _segment_text(screen).startswith("Ik was echt bang")
        await pilot.press("x")  # reject the best one (dwang)
        open_keys = [s.code_key for s in check.suggestions(document_id=doc_id, open_for="anna")]
        assert "dwang" not in open_keys and "brief" in open_keys
        assert len(check.codings(document_id=doc_id, coder="anna")) == 1


async def test_next_previous_and_cycle(make_app, open_document, open_project):
    app = make_app()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        await pilot.press("n")
        assert _segment_text(screen).startswith("Ik was echt bang")
        await pilot.press("n")
        assert _segment_text(screen) == "Nu vind ik het leuk."
        await pilot.press("p")
        assert _segment_text(screen).startswith("Ik was echt bang")
        await pilot.press("tab", "a")  # the second suggestion of this sentence
        codings = open_project().codings(document_id=screen.state.document.id, coder="anna")
        assert [c.code_key for c in codings] == ["brief"]
        await pilot.press("down")
        assert _segment_text(screen) == "En hoe is het nu?"


def test_fuzzy_code_search_uses_keys_labels_and_definitions(codebook):
    assert rank_codes(codebook, "plez")[0].key == "plezier"
    assert rank_codes(codebook, "Brieven")[0].key == "brief"
    assert rank_codes(codebook, "korting")[0].key == "dwang"  # only in the definition
    assert rank_codes(codebook, "xyzzy") == []


async def test_add_code_with_fuzzy_picker_and_remove_it(make_app, open_document, open_project):
    app = make_app()
    check = open_project()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        segment = screen.segment
        await pilot.press("c")
        assert isinstance(app.screen, CodePickerModal)
        await pilot.press(*"angst sancties", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        codings = check.codings(document_id=segment.document_id, coder="anna")
        assert [(c.code_key, c.start, c.end, c.origin) for c in codings] == [
            ("dwang", segment.start, segment.end, "manual")
        ]
        await pilot.press("d")  # at once, with an undo notice (tests/ui/test_coding_keys.py)
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert check.codings(document_id=segment.document_id, coder="anna") == []


async def test_memo_on_segment(make_app, open_document, open_project):
    app = make_app()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        await pilot.press("m", *"let op de toon", "ctrl+s")
        await pilot.pause()
        memos = open_project().memos("segment", screen.segment.id)
        assert [(m.text, m.coder) for m in memos] == [("let op de toon", "anna")]
        assert "let op de toon" in panel_text(screen)


async def test_memo_on_coding(make_app, open_document, open_project):
    app = make_app()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        await pilot.press("a", "m")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#target").value = 1  # the coding, not the segment
        await pilot.pause()
        await pilot.press(*"twijfel", "ctrl+s")
        await pilot.pause()
        coding = open_project().codings(document_id=screen.state.document.id, coder="anna")[0]
        assert coding.memo == "twijfel"


async def test_search_jumps_to_match(make_app, open_document):
    app = make_app()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        await pilot.press("slash", *"VRIJDAG", "enter")
        await pilot.pause()
        assert "vrijdag" in _segment_text(screen)
        assert len(screen.matches) == 1


async def test_filter_by_code(make_app, open_document):
    app = make_app()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        await pilot.press("f", *"plezier", "enter")
        await pilot.pause()
        assert screen.filter_code == "plezier"
        await pilot.press("n")
        assert _segment_text(screen) == "Nu vind ik het leuk."
        view = screen.query_one(TranscriptView)
        assert view.focus_spans == ((screen.segment.start, screen.segment.end),)
        await pilot.press("escape")  # clears the filter, stays on the screen
        assert screen.filter_code is None and isinstance(app.screen, CodingScreen)


async def test_select_span_larger_and_smaller_than_a_segment(make_app, open_document, open_project):
    app = make_app()
    check = open_project()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        first = screen.segment
        second = screen.state.segments[screen.index + 1]
        await pilot.press("s", "shift+down", "enter", *"brief", "enter")
        await pilot.pause()
        await pilot.press("s", "left", "left", "shift+right", "c", *"plezier", "enter")
        await pilot.pause()
        spans = {
            c.code_key: (c.start, c.end)
            for c in check.codings(document_id=first.document_id, coder="anna")
        }
        assert spans["brief"] == (first.start, second.end)
        text = screen.state.document.text
        assert text[slice(*spans["plezier"])] == "kreeg een brief van de"


async def test_click_selects_segment(make_app, open_document):
    app = make_app()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        view = screen.query_one(TranscriptView)
        target = screen.state.segments[-1]
        line = view.line_of(target.start)
        column = GUTTER + BAR + target.start - view.lines[line].start + 1
        await pilot.click(TranscriptView, offset=(column, line - int(view.scroll_y)))
        await pilot.pause()
        assert screen.segment == target


async def test_store_error_is_a_notification_not_a_crash(make_app, open_document, open_project):
    app = make_app(project=open_project(readonly=True))
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        await pilot.press("a", "u")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        messages = [n.message for n in notifications(app)]
        assert any("alleen-lezen" in m for m in messages)
        assert not open_project().codings(document_id=screen.state.document.id)


async def test_help_lists_every_binding_and_palette_offers_them(make_app, open_document):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_document(app, pilot)
        commands = {c.title for c in app.get_system_commands(screen)}
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        described = {description for _, description in app.screen.rows}
        for binding in CodingScreen.BINDINGS:
            assert binding.description in described
        for wanted in (
            "Accepteer",
            "Wijs af",
            "Ongedaan",
            "Opnieuw",
            "Zoek",
            "Filter",
            "Memo",
            "Stoppen",
        ):
            assert wanted in commands
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, DocumentsScreen)
        await pilot.press("q")
    assert app.return_code == 0


def test_every_binding_has_a_description_and_an_id():
    import inspect

    from kwali.ui import app as app_module
    from kwali.ui.screens import choice, code_picker, coding, confirm, documents, help, memo, search

    ids = []
    for module in (app_module, choice, code_picker, coding, confirm, documents, help, memo, search):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding) and binding.description and binding.id, (
                    cls,
                    binding,
                )
                ids.append(binding.id)
    assert len(ids) == len(set(ids))
