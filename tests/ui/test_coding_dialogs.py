"""The coding screen's dialogs and palette commands act on the project like its keys do."""

from __future__ import annotations

from textual.widgets import OptionList

from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.coding import CodingScreen


async def _code(pilot, query: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("c", *query, "enter")
    await pilot.pause()


async def test_removing_one_of_two_codes_asks_which(make_app, open_document, open_project):
    app = make_app()
    check = open_project()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        segment = screen.segment
        await _code(pilot, "angst sancties")
        await _code(pilot, "plezier")

        def mine() -> list[str]:
            codings = check.codings(document_id=segment.document_id, coder="anna")
            return sorted(c.code_key for c in codings)

        assert mine() == ["dwang", "plezier"]

        await pilot.press("d")
        assert isinstance(app.screen, ChoiceModal)
        prompts = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert len(prompts) == 2
        assert any(p.startswith("Gevoel van dwang") for p in prompts)
        await pilot.press("escape")  # no answer: nothing removed
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert mine() == ["dwang", "plezier"]

        await pilot.press("d")
        options = app.screen.query_one(OptionList)
        chosen = next(o for o in options.options if str(o.prompt).startswith("Plezier"))
        options.highlighted = options.get_option_index(chosen.id or "")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert mine() == ["dwang"]
        assert "Plezier verwijderd" in screen.last_saved


async def test_a_palette_command_does_what_its_key_does(make_app, open_document, open_project):
    app = make_app()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        segment = screen.segment
        command = next(c for c in app.get_system_commands(screen) if c.title == "Accepteer")
        await command.callback()
        await pilot.pause()
        codings = open_project().codings(document_id=segment.document_id, coder="anna")
        assert [(c.code_key, c.start, c.end) for c in codings] == [
            ("brief", segment.start, segment.end)
        ]
