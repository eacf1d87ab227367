"""The quotes screen attributes a quote exactly as the export does: one rule, one result."""

from __future__ import annotations

from textual.widgets import DataTable

from kwali.export import quotes
from kwali.io.turns import describe_label
from kwali.model import Code, Codebook, Transcript, Turn
from kwali.ui.screens.quotes import QuotesScreen

from ui_helpers import ScreenApp

# A duo interview of a werkzoekende (vrouw) with her coach, whose gender was masked.
LINES = [
    ("I", "Hoe gaat het met de tegenprestatie?"),
    ("Een activeringscoach, man/vrouw", "Ze komt elke week, dat gaat goed."),
    ("Klantmanager (man)", "Wij kijken eerst wat iemand kan."),
    ("R", "Ik moet het doen, anders word ik gekort."),
]
EXPECTED = {  # quotation -> (rol, geslacht) on the screen, attribution in the export
    "1:1": ("interviewer", "", "interviewer"),
    "1:2": ("activeringscoach", "", "activeringscoach"),  # masked: not the document's vrouw
    "1:3": ("klantmanager", "man", "klantmanager, man"),
    "1:4": ("werkzoekende", "vrouw", "werkzoekende, vrouw"),
}


def add_interview(project) -> None:  # type: ignore[no-untyped-def]
    text, turns = "", []
    for number, (label, content) in enumerate(LINES, start=1):
        line = f"{label}: {content}\n"
        info = describe_label(label)
        start = len(text)
        turns.append(
            Turn(
                number,
                start,
                start + len(line) - 1,
                start + len(label) + 2,
                start + len(line) - 1,
                speaker=label,
                role=info.role,
                gender=info.gender,
            )
        )
        text += line
    document, _ = project.add_document(
        Transcript(text, tuple(turns), "duo.txt", "txt"),
        lambda doc_id, uid: [],
        attributes={"rol": "werkzoekende", "geslacht": "vrouw"},
    )
    for turn in turns:
        project.add_coding(document.id, turn.content_start, turn.content_end, "dwang", "anna")


async def test_screen_and_export_attribute_every_quote_alike(project):
    project.set_codebook(Codebook("t", (Code("dwang", "Ervaren dwang"),)))
    add_interview(project)
    exported = {
        row.quotation: row.respondent for row in quotes(project, codes=["dwang"]).itertuples()
    }
    app = ScreenApp(lambda: QuotesScreen(project, "anna", code_key="dwang"))
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        keys = [column.key.value for column in table.ordered_columns]
        rows = [
            dict(zip(keys, (str(cell) for cell in table.get_row_at(i)), strict=True))
            for i in range(table.row_count)
        ]
    shown = {row["ref"]: (row["role"], row["gender"]) for row in rows}
    assert shown == {ref: (role, gender) for ref, (role, gender, _) in EXPECTED.items()}
    assert exported == {ref: attribution for ref, (_, _, attribution) in EXPECTED.items()}
    for ref, (role, gender) in shown.items():  # the export joins what the screen shows
        assert exported[ref] == ", ".join(v for v in (role, gender) if v)
