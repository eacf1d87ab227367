"""What the screens say after an undo or redo: the action in Dutch, as the history words it."""

from __future__ import annotations

from kwali.model import Code, Codebook, Transcript, Turn
from kwali.store import Project
from kwali.ui.screens.codebook import CodebookScreen

from ui_helpers import ScreenApp, notifications

TEXT = "R: Het moet van de gemeente, anders word je gekort op je uitkering."


async def test_codebook_screen_words_undo_and_redo_of_a_merge_in_dutch():
    with Project.in_memory() as project:
        document, _ = project.add_document(
            Transcript(TEXT, (Turn(1, 0, len(TEXT), 3, len(TEXT), "R"),), "a.txt", "txt"),
            lambda i, u: [],
        )
        project.set_codebook(Codebook("t", (Code("dwang", "Dwang"), Code("sanctie", "Sanctie"))))
        project.add_coding(document.id, 3, 20, "sanctie", "anna")
        project.merge_codes("sanctie", "dwang", "anna")
        app = ScreenApp(lambda: CodebookScreen(project, "anna"))
        async with app.run_test(size=(120, 35)) as pilot:
            await pilot.pause()
            await pilot.press("u")
            await pilot.pause()
            assert project.code("sanctie") is not None
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert project.code("sanctie") is None
            await pilot.press("u")  # the redo undone
            await pilot.pause()
        # codes are named by their labels, as the codebook screen shows them
        assert [note.message for note in notifications(app)][-3:] == [
            "Ongedaan gemaakt: Sanctie samengevoegd met Dwang",
            "Opnieuw gedaan: Sanctie samengevoegd met Dwang",
            "Ongedaan gemaakt: opnieuw ongedaan maken van Sanctie samengevoegd met Dwang",
        ]


async def test_coding_screen_words_undo_and_redo_of_an_accepted_suggestion(
    make_app, open_document, open_project
):
    app = make_app()
    check = open_project()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_document(app, pilot)
        await pilot.press("a")
        (coding,) = check.codings(document_id=screen.state.document.id, coder="anna")
        label = screen.state.label(coding.code_key)
        assert label != coding.code_key
        await pilot.press("u")
        assert screen.last_saved == f"ongedaan: suggestie {label} aanvaard"
        await pilot.press("ctrl+r")
        assert screen.last_saved == f"opnieuw gedaan: suggestie {label} aanvaard"
