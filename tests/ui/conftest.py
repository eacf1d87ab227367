"""A small project on disk for the UI tests: two transcripts, a codebook and suggestions.

Built in tmp_path from the text below (no committed binaries); the UI tests open it the way
`kwali tui` does, so writes go through the real file, and restarts can be tested.
A test of one screen alone hosts it in ``ui_helpers.ScreenApp`` with its own named project.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kwali.model import Code, Codebook, Evidence, Suggestion

from ui_helpers import record_notifications

INTERVIEW_1 = """Interview 1 · werkzoekende · buurthuis

[00:00:04] I: Hoe bent u bij het buurthuis terechtgekomen?

[00:00:10] R: Ik kreeg een brief van de gemeente. Ik moest komen voor een gesprek. Ik was echt bang voor een korting op mijn uitkering.

[00:00:41] I: En hoe is het nu?

[00:00:45] R: Nu vind ik het leuk. De collega's zijn aardig. Ik kook elke vrijdag voor de buurt.

[00:01:20] I: Wat zou de gemeente anders moeten doen?

[00:01:26] R: Schrijf vriendelijke brieven. En kijk naar wat iemand kan.
"""

INTERVIEW_2 = """Interview 2 · klantmanager

[00:00:03] I: Hoe begeleidt u mensen naar de tegenprestatie?

[00:00:09] R: We voeren eerst een gesprek. Daarna zoeken we samen een plek die past.
"""

CODEBOOK = Codebook(
    name="toets",
    codes=(
        Code(
            "ervaring",
            "Ervaring",
            kind="category",
            definition="Hoe de tegenprestatie beleefd wordt.",
        ),
        Code(
            "dwang",
            "Gevoel van dwang",
            parent="ervaring",
            definition="Angst voor sancties zoals een korting op de uitkering.",
            colour="#e15759",
        ),
        Code(
            "plezier",
            "Plezier",
            parent="ervaring",
            definition="Het werk is leuk, collega's zijn aardig.",
        ),
        Code("brief", "Brieven van de gemeente", definition="Oproepen en de toon van brieven."),
    ),
)


def _evidence(text: str, start: int, word: str) -> Evidence:
    at = text.index(word, start)
    return Evidence(at, at + len(word), word, "lemma")


def build_project(path: Path, nlp) -> Path:  # type: ignore[no-untyped-def]
    from kwali.io import read_transcript
    from kwali.nlp import segment_many
    from kwali.store import Project

    with Project.create(path) as project:
        project.set_codebook(CODEBOOK, "kwali")
        for number, (name, text, attrs) in enumerate(
            [
                (
                    "werkzoekende_buurthuis",
                    INTERVIEW_1,
                    {"rol": "werkzoekende", "gender": "vrouw", "groep": "noord"},
                ),
                (
                    "klantmanager_zuid",
                    INTERVIEW_2,
                    {"rol": "klantmanager", "gender": "man", "groep": "zuid"},
                ),
            ],
            start=1,
        ):
            source = path.parent / f"interview_{number}.txt"
            source.write_text(text, encoding="utf-8")
            transcript = read_transcript(source)
            document, _ = project.add_document(
                transcript,
                lambda doc_id, uid, t=transcript: segment_many(
                    nlp, [(t.text, t.turns, doc_id, uid)]
                )[0],
                name=name,
                attributes=attrs,
            )
            if number != 1:
                continue
            by_text = {s.text: s for s in project.segments(document.id)}
            bang = by_text["Ik was echt bang voor een korting op mijn uitkering."]
            brief = by_text["Ik kreeg een brief van de gemeente."]
            leuk = by_text["Nu vind ik het leuk."]
            t = document.text
            project.replace_suggestions(
                document.id,
                "toets",
                [
                    Suggestion(
                        brief.id,
                        document.id,
                        brief.start,
                        brief.end,
                        "brief",
                        0.9,
                        (_evidence(t, brief.start, "brief"),),
                        "toets",
                    ),
                    Suggestion(
                        bang.id,
                        document.id,
                        bang.start,
                        bang.end,
                        "dwang",
                        0.8,
                        (_evidence(t, bang.start, "bang"), _evidence(t, bang.start, "korting")),
                        "toets",
                    ),
                    Suggestion(
                        bang.id,
                        document.id,
                        bang.start,
                        bang.end,
                        "brief",
                        0.3,
                        (_evidence(t, bang.start, "uitkering"),),
                        "toets",
                    ),
                    Suggestion(
                        leuk.id,
                        document.id,
                        leuk.start,
                        leuk.end,
                        "plezier",
                        0.7,
                        (_evidence(t, leuk.start, "leuk"),),
                        "toets",
                    ),
                ],
            )
    return path


@pytest.fixture
def codebook() -> Codebook:
    return CODEBOOK


@pytest.fixture
def project_path(tmp_path: Path, nlp) -> Path:  # type: ignore[no-untyped-def]
    return build_project(tmp_path / "toets.kwali", nlp)


@pytest.fixture
def open_project(project_path: Path) -> Iterator[Callable]:
    """Open the test project (again); every opened project is closed at the end."""
    from kwali.store import Project

    opened = []

    def opener(readonly: bool = False):  # type: ignore[no-untyped-def]
        project = Project.open(project_path, readonly=readonly)
        opened.append(project)
        return project

    yield opener
    for project in opened:
        project.close()


@pytest.fixture
def make_app(open_project: Callable) -> Callable:
    """``make_app(coder="anna", blind=False)`` → a KwaliApp on its own connection."""
    from kwali.ui.app import KwaliApp

    def make(coder: str = "anna", blind: bool = False, project=None):  # type: ignore[no-untyped-def]
        return KwaliApp(project or open_project(), coder, blind=blind)

    return make


@pytest.fixture(autouse=True)
def frozen_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots differ from run to run: keep it still."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setenv("KWALI_THEME", "kwali")


@pytest.fixture(autouse=True)
def recorded_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual keeps an app's notifications private: ``ui_helpers.notifications(app)`` reads these."""
    record_notifications(monkeypatch)


async def _open_document(app, pilot, number: int = 1):  # type: ignore[no-untyped-def]
    from kwali.ui.screens.coding import CodingScreen

    await pilot.pause()
    for _ in range(number - 1):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, CodingScreen)
    return app.screen


@pytest.fixture
def open_document() -> Callable:
    """``await open_document(app, pilot, number)``: Enter on that row; returns the coding screen."""
    return _open_document
