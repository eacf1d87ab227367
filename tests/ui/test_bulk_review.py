"""`A` and `X` on the coding screen: all open suggestions of one code at once, after a question
that says how many; one undo takes them back; blind, only what the coder may see."""

from __future__ import annotations

from kwali.model import Evidence, Suggestion
from kwali.ui.screens.coding import CodingScreen
from kwali.ui.screens.confirm import ConfirmModal


def _question(app) -> str:  # type: ignore[no-untyped-def]
    """The question and its explanation, as one line."""
    assert isinstance(app.screen, ConfirmModal)
    return f"{app.screen.question} {app.screen.body}"


def _open(project, doc_id: int, code: str) -> list[Suggestion]:  # type: ignore[no-untyped-def]
    return [
        s for s in project.suggestions(document_id=doc_id, open_for="anna") if s.code_key == code
    ]


async def test_accept_all_of_a_code_asks_then_undo_takes_all_back(
    make_app, open_document, open_project
):
    app = make_app()
    check = open_project()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        doc_id = screen.state.document.id
        assert screen.current_suggestion().code_key == "brief"
        await pilot.press("A")
        assert _question(app) == (
            "2 suggesties accepteren? Alle open suggesties van Brieven van de gemeente in dit "
            "document. Elke suggestie wordt een codering van jou (anna). In één keer ongedaan "
            "te maken met u."
        )
        await pilot.press("enter")  # Enter is no
        assert isinstance(app.screen, CodingScreen)
        assert check.codings(document_id=doc_id) == [] and len(_open(check, doc_id, "brief")) == 2
        await pilot.press("A", "j")
        await pilot.pause()
        codings = check.codings(document_id=doc_id, coder="anna")
        assert sorted((c.code_key, c.origin) for c in codings) == [("brief", "suggestion")] * 2
        assert _open(check, doc_id, "brief") == []
        assert {s.code_key for s in check.suggestions(document_id=doc_id, open_for="anna")} == {
            "dwang",
            "plezier",
        }
        assert "2 suggesties Brieven van de gemeente geaccepteerd" in screen.last_saved
        await pilot.press("u")  # one action: one undo
        await pilot.pause()
        assert check.codings(document_id=doc_id) == []
        assert len(_open(check, doc_id, "brief")) == 2
        assert screen.state.open_count == 4


async def test_reject_all_in_the_selection_only(make_app, open_document, open_project):
    app = make_app()
    check = open_project()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        doc_id = screen.state.document.id
        await pilot.press("n")  # "Ik was echt bang ...": dwang (0.8) and brief (0.3)
        await pilot.press("tab")  # highlight brief
        assert screen.current_suggestion().code_key == "brief"
        await pilot.press("s", "X")
        assert _question(app).startswith(
            "1 suggestie afwijzen? De open suggestie van Brieven van de gemeente in de selectie."
        )
        await pilot.press("j")
        await pilot.pause()
        left = _open(check, doc_id, "brief")
        kreeg = next(s for s in screen.state.segments if s.text.startswith("Ik kreeg"))
        assert [s.segment_id for s in left] == [kreeg.id]  # the other sentence's stays open
        assert check.codings(document_id=doc_id) == []


async def test_no_code_chosen_says_so(make_app, open_document):
    app = make_app()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        await pilot.press("down")  # a sentence without suggestions, no filter
        assert screen.current_suggestion() is None
        await pilot.press("X")
        assert isinstance(app.screen, CodingScreen)


async def test_blind_accept_all_leaves_learned_and_others_searches_unseen(
    make_app, open_document, open_project
):
    setup = open_project()
    leuk = next(s for s in setup.segments(1) if s.text == "Nu vind ik het leuk.")
    kreeg = next(s for s in setup.segments(1) if s.text.startswith("Ik kreeg"))

    def suggestion(segment, suggester: str, rule: str = "lemma") -> Suggestion:  # type: ignore[no-untyped-def]
        evidence = (Evidence(segment.start, segment.start + 2, segment.text[:2], rule),)
        return Suggestion(
            segment.id, 1, segment.start, segment.end, "brief", 0.6, evidence, suggester
        )

    setup.replace_suggestions(
        1, "kwali-rules@1+learned.abc", [suggestion(leuk, "kwali-rules@1+learned.abc", "learned")]
    )
    setup.add_search_suggestions([suggestion(leuk, "search:leuk@bram")], "bram")
    setup.add_search_suggestions([suggestion(kreeg, "search:kreeg@anna")], "anna")
    assert len(_open(setup, 1, "brief")) == 5

    app = make_app(blind=True)
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        shown = {s.suggester for items in screen.state.open.values() for s in items}
        assert shown == {"toets", "search:kreeg@anna"}
        await pilot.press("A")
        assert _question(app).startswith(
            "3 suggesties accepteren? Alle open suggesties van Brieven van de gemeente"
        )
        await pilot.press("j")
        await pilot.pause()
    left = {s.suggester for s in _open(setup, 1, "brief")}
    assert left == {"kwali-rules@1+learned.abc", "search:leuk@bram"}
