"""The small project and tree look-ups the codebook screen's pilot tests share."""

from __future__ import annotations

from textual.widgets import Tree

from kwali.model import Code, Codebook, Transcript, Turn
from kwali.store import Project
from kwali.ui.screens.codebook import CodebookScreen

LINES = [
    ("I", "interviewer", "Hoe gaat het met het vrijwilligerswerk in het buurthuis?"),
    ("R", "respondent", "Ik moet het doen, anders word ik gekort op mijn uitkering."),
    ("I", "interviewer", "En hoe is het contact met de klantmanager?"),
    ("R", "respondent", "Die luistert wel naar me, dat vind ik fijn."),
]


def build_project() -> tuple[Project, list[Turn]]:
    """Two respondents' worth of text is not needed: one document with four turns will do."""
    text, turns, offset = "", [], 0
    for number, (speaker, role, content) in enumerate(LINES, start=1):
        line = f"{speaker}: {content}\n"
        label = len(speaker) + 2
        turns.append(
            Turn(
                number,
                offset,
                offset + len(line) - 1,
                offset + label,
                offset + len(line) - 1,
                speaker=speaker,
                role=role,
            )
        )
        text += line
        offset += len(line)
    project = Project.in_memory()
    project.add_document(
        Transcript(text, tuple(turns), "01_buurthuis.txt", "txt"),
        lambda doc_id, uid: [],
        attributes={"rol": "werkzoekende", "geslacht": "vrouw"},
    )
    project.set_codebook(
        Codebook(
            "test",
            (
                Code("verplichting", "Verplichting", kind="category", colour="#d95f02"),
                Code(
                    "dwang",
                    "Ervaren dwang",
                    parent="verplichting",
                    colour="#d95f02",
                    definition="Hoe de plicht voelt.",
                    include="moeten",
                    exclude="een straf",
                ),
                Code("sanctie", "Sancties", parent="verplichting"),
                Code("begeleiding", "Begeleiding", kind="category", colour="steelblue"),
                Code("contact", "Contact met de klantmanager", parent="begeleiding"),
            ),
        ),
        "kwali",
    )
    doc = project.document_ids()[0]
    r1, r2 = turns[1], turns[3]
    project.add_coding(doc, r1.content_start, r1.content_end, "dwang", "anna")
    project.add_coding(doc, r1.content_start, r1.content_end, "sanctie", "anna")
    project.add_coding(doc, r2.content_start, r2.content_end, "contact", "anna")
    project.add_coding(doc, r1.content_start, r1.content_end, "dwang", "bram")
    project.add_coding(doc, r2.content_start, r2.content_end, "dwang", "bram")
    return project, turns


def labels(screen: CodebookScreen) -> dict[str, str]:
    tree = screen.query_one(Tree)
    found: dict[str, str] = {}

    def walk(node) -> None:  # noqa: ANN001
        for child in node.children:
            found[child.data] = child.label.plain
            walk(child)

    walk(tree.root)
    return found


async def highlight(pilot, key: str) -> None:  # noqa: ANN001
    screen = pilot.app.screen
    tree = screen.query_one(Tree)
    tree.cursor_line = 0
    for _ in range(20):
        if screen.highlighted() and screen.highlighted().key == key:
            return
        await pilot.press("down")
    raise AssertionError(f"{key} not in tree")
