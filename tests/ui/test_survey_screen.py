"""Pilot tests for the survey screen (V): number keys code the answer's content span, marked
answers are coded in one action that one undo takes back, a suggestion is accepted or
rejected, the group and coded filters, blind mode, and a project without surveys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from survey_screen_helpers import SUGGESTER, add_survey_question, build_survey_project

from kwali.store import Project
from kwali.ui.app import KwaliApp
from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.code_picker import CodePickerModal
from kwali.ui.screens.survey import NO_SURVEYS, SurveyScreen
from kwali.ui.widgets.document_table import DocumentTable


@pytest.fixture
def survey_path(tmp_path: Path) -> Path:
    return build_survey_project(tmp_path / "enquete.kwali")


@pytest.fixture
def opened(survey_path: Path) -> Iterator[list[Project]]:
    projects: list[Project] = []
    yield projects
    for project in projects:
        project.close()


def make(survey_path: Path, opened: list[Project], coder: str = "anna", blind: bool = False):  # type: ignore[no-untyped-def]
    project = Project.open(survey_path)
    opened.append(project)
    return KwaliApp(project, coder, blind=blind)


async def open_survey(app, pilot) -> SurveyScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("V")
    await pilot.pause()
    assert isinstance(app.screen, SurveyScreen)
    return app.screen


def turn_spans(project: Project) -> dict[str, tuple[int, int]]:
    """respondent -> the content span of their answer, read from the turns."""
    doc_id = project.surveys()[0].questions[0].document_id
    assert doc_id is not None
    return {t.speaker or "": (t.content_start, t.content_end) for t in project.turns(doc_id)}


def codings(project: Project, coder: str = "anna") -> list[tuple[int, int, str]]:
    return [(c.start, c.end, c.code_key) for c in project.codings(coder=coder)]


def text_of(screen: SurveyScreen, widget: str) -> str:
    return str(screen.query_one(widget).render())


async def test_a_number_key_codes_exactly_the_answers_content_span(
    survey_path: Path, opened: list[Project]
) -> None:
    app = make(survey_path, opened)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await open_survey(app, pilot)
        assert "6 beantwoord · 1 leeg · 1 weet niet" in text_of(screen, "#survey-counts")
        await pilot.press("down", "4")  # respondent 1002, "Zinvol bezig"
        await pilot.pause()
        spans = turn_spans(app.project)
        assert codings(app.project) == [(*spans["1002"], "zinvol")]
        assert "opgeslagen" in text_of(screen, "#survey-status")
        assert "Zinvol bezig" in DocumentTable.row_text(screen.query_one(DocumentTable), 1)[4]
        assert "1 gecodeerd door jou" in text_of(screen, "#survey-counts")
        # the same number again takes the code off (u would too)
        await pilot.press("4")
        await pilot.pause()
        assert codings(app.project) == []
    with Project.open(survey_path) as again:  # committed: another connection reads it
        assert codings(again) == []


async def test_three_marked_answers_are_coded_in_one_action_and_one_undo_takes_them_back(
    survey_path: Path, opened: list[Project]
) -> None:
    app = make(survey_path, opened)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await open_survey(app, pilot)
        before = len(app.project.history("anna", limit=100))
        await pilot.press("space", "space", "space")
        assert "3 gemarkeerd" in text_of(screen, "#survey-status")
        await pilot.press("2")
        await pilot.pause()
        spans = turn_spans(app.project)
        assert sorted(codings(app.project)) == sorted(
            (*spans[r], "contact") for r in ("1001", "1002", "1004")
        )
        assert len(app.project.history("anna", limit=100)) == before + 1
        assert "3 antwoorden" in text_of(screen, "#survey-status")
        assert "gemarkeerd" not in text_of(screen, "#survey-status")
        with Project.open(survey_path) as other:  # saved before the screen said so
            assert len(codings(other)) == 3
        await pilot.press("u")
        await pilot.pause()
        assert codings(app.project) == []
        table = screen.query_one(DocumentTable)
        assert all(not table.row_text(i)[4].strip() for i in range(table.row_count))
        assert "Ongedaan" in text_of(screen, "#survey-status")


async def test_c_codes_the_marked_answers_with_a_picked_code(
    survey_path: Path, opened: list[Project]
) -> None:
    app = make(survey_path, opened)
    async with app.run_test(size=(140, 30)) as pilot:
        await open_survey(app, pilot)
        await pilot.press("space", "down", "space", "c")
        await pilot.pause()
        assert isinstance(app.screen, CodePickerModal)
        await pilot.press(*"moeten", "enter")
        await pilot.pause()
        spans = turn_spans(app.project)
        assert sorted(codings(app.project)) == sorted(
            (*spans[r], "verplicht") for r in ("1001", "1004")
        )


async def test_a_accepts_the_top_suggestion_and_x_rejects_it(
    survey_path: Path, opened: list[Project]
) -> None:
    app = make(survey_path, opened)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await open_survey(app, pilot)
        assert "korting" in text_of(screen, "#survey-detail")  # the evidence
        await pilot.press("a")
        await pilot.pause()
        [coding] = app.project.codings(coder="anna")
        assert (coding.code_key, coding.origin) == ("geld", "suggestion")
        assert (coding.start, coding.end) == turn_spans(app.project)["1001"]
        row = screen.query_one(DocumentTable).row_text(0)
        assert "Geld" in row[4] and not row[5].strip()  # coded; no open suggestion left
        await pilot.press("down", "x")
        await pilot.pause()
        assert len(app.project.codings(coder="anna")) == 1
        assert "contact" not in {s.code_key for s in app.project.suggestions(open_for="anna")}
        assert "afgewezen" in text_of(screen, "#survey-status")
        await pilot.press("down", "down", "a")  # 1006 has no suggestion
        await pilot.pause()
        assert any("Geen open suggestie" in n for n, _ in app_notes(app))


def app_notes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    from ui_helpers import notifications

    return [(n.message, n.severity) for n in notifications(app)]


async def test_enter_goes_to_the_next_uncoded_answer(
    survey_path: Path, opened: list[Project]
) -> None:
    app = make(survey_path, opened)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await open_survey(app, pilot)
        await pilot.press("down", "1", "up", "1", "enter")  # 1001 and 1002 coded
        await pilot.pause()
        assert screen.current is not None and screen.current.respondent == "1004"


async def test_o_and_f_filter_by_coded_and_by_group(
    survey_path: Path, opened: list[Project]
) -> None:
    app = make(survey_path, opened)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await open_survey(app, pilot)
        table = screen.query_one(DocumentTable)
        await pilot.press("1")
        await pilot.press("o")  # uncoded
        await pilot.pause()
        assert [table.row_text(i)[1] for i in range(table.row_count)] == [
            "1002",
            "1004",
            "1006",
            "1007",
            "1008",
        ]
        assert "toon (o): ongecodeerd" in text_of(screen, "#survey-status")
        await pilot.press("o")  # coded
        await pilot.pause()
        assert [table.row_text(i)[1] for i in range(table.row_count)] == ["1001"]
        await pilot.press("o", "f")  # all again; then the group
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("down", "enter")  # aanpak = Meedoen010
        await pilot.pause()
        assert [table.row_text(i)[1] for i in range(table.row_count)] == ["1004", "1006", "1008"]
        assert all(table.row_text(i)[2] == "Meedoen010" for i in range(table.row_count))
        assert "groep (f): aanpak = Meedoen010" in text_of(screen, "#survey-status")


async def test_blind_mode_shows_nothing_of_another_coders_codings(
    survey_path: Path, opened: list[Project]
) -> None:
    with Project.open(survey_path) as project:
        start, end = turn_spans(project)["1001"]
        project.add_coding(
            project.surveys()[0].questions[0].document_id or 0, start, end, "contact", "bram"
        )
    for blind in (False, True):
        app = make(survey_path, opened, blind=blind)
        async with app.run_test(size=(140, 30)) as pilot:
            screen = await open_survey(app, pilot)
            row = " ".join(screen.query_one(DocumentTable).row_text(0))
            detail = text_of(screen, "#survey-detail")
            if blind:
                assert "bram" not in row and "bram" not in detail
                assert "Sociaal contact" not in row + detail
                await pilot.press("o")  # bram's coding does not make it coded for anna
                await pilot.pause()
                assert screen.query_one(DocumentTable).row_text(0)[1] == "1001"
            else:
                assert "bram" in row and "Sociaal contact (bram)" in detail


async def test_blind_mode_hides_suggestions_learned_from_others(
    tmp_path: Path, opened: list[Project]
) -> None:
    path = tmp_path / "geleerd.kwali"
    build_survey_project(path)
    with Project.open(path) as project:
        doc_id = project.surveys()[0].questions[0].document_id or 0
        learned = [
            s.__class__(**{**_fields(s), "suggester": SUGGESTER + "+learned.1", "id": None})
            for s in project.suggestions(document_id=doc_id)
        ]
        project.replace_suggestions(doc_id, SUGGESTER + "+learned.1", learned)
    app = make(path, opened, blind=True)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await open_survey(app, pilot)
        assert "Suggesties" not in text_of(screen, "#survey-detail")


def _fields(suggestion) -> dict:  # type: ignore[no-untyped-def]
    return {name: getattr(suggestion, name) for name in suggestion.__dataclass_fields__}


async def test_q_switches_between_questions_of_all_surveys(
    survey_path: Path, opened: list[Project]
) -> None:
    with Project.open(survey_path) as project:
        rows = [("2001", "Om te leren koken.", "answered", "Prestatie010", "man")]
        add_survey_question(
            project, rows, survey="tweede.sav", question="Q9", label="Wat leert u?", suggested={}
        )
    app = make(survey_path, opened)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await open_survey(app, pilot)
        assert "vraag 1/2" in text_of(screen, "#survey-title")
        await pilot.press("q", "down", "enter")
        await pilot.pause()
        assert "Q9 · Wat leert u?" in text_of(screen, "#survey-title")
        assert screen.query_one(DocumentTable).row_text(0)[1] == "2001"


async def test_without_surveys_one_line_says_so(tmp_path: Path, opened: list[Project]) -> None:
    path = tmp_path / "leeg.kwali"
    Project.create(path).close()
    app = make(path, opened)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_survey(app, pilot)
        assert text_of(screen, "#survey-title") == NO_SURVEYS
        await pilot.press("1", "space", "a", "enter", "o", "f", "q")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SurveyScreen)


async def test_a_read_only_project_says_nothing_was_saved(
    survey_path: Path, opened: list[Project]
) -> None:
    project = Project.open(survey_path, readonly=True)
    opened.append(project)
    app = KwaliApp(project, "anna")
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await open_survey(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        assert "opgeslagen" not in text_of(screen, "#survey-status")
        assert any(severity == "error" for _, severity in app_notes(app))


@pytest.fixture(scope="module")
def generated_survey(tmp_path_factory: pytest.TempPathFactory, nlp) -> Path:  # type: ignore[no-untyped-def]
    """The generated survey of 505 respondents (tests/survey_data.py) imported and suggested
    for, as `kwali import --survey` and `kwali suggest` do it."""
    from survey_data import survey_project

    from kwali.app.suggesting import suggest_project

    path = survey_project(tmp_path_factory.mktemp("enquete"), 505, nlp=nlp)
    with Project.open(path) as project:
        suggest_project(project)
    return path


@pytest.mark.parametrize(
    "question",
    [
        "Q9",  # "anders, namelijk": 135 answered, 350 empty, 20 weet niet
        pytest.param("Q7", marks=pytest.mark.slow),  # 457 answered: about a minute of keys
    ],
)
async def test_a_coder_codes_a_505_respondent_question_without_the_mouse(
    generated_survey: Path, opened: list[Project], question: str
) -> None:
    """A whole question: the first answers one by one (a accepts the top suggestion, x
    rejects one and a number key codes instead, Enter goes on), then the rest in runs
    marked with space and coded with one number key each, one action a run."""
    app = make(generated_survey, opened)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_survey(app, pilot)
        number = ["Q7", "Q9", "Q12"].index(question)
        await pilot.press("q", *["down"] * number, "enter")  # the question picker
        await pilot.pause()
        assert screen.answers is not None and screen.answers.question.name == question
        counts = screen.answers.counts
        answered = counts["answered"]
        assert answered + counts["empty"] + counts["weet_niet"] == 505
        assert counts["empty"] and counts["weet_niet"]
        assert f"{answered} beantwoord · {counts['empty']} leeg" in text_of(
            screen, "#survey-counts"
        )
        assert len(screen.shown) == answered  # empty and "weet niet" are not listed
        history = app.project.history
        for _ in range(20):  # one by one
            current = screen.current
            assert current is not None
            if current.top is not None and current.index % 3:
                await pilot.press("a", "enter")
            elif current.top is not None:
                await pilot.press("x", "3", "enter")
            else:
                await pilot.press("4", "enter")
        assert screen.answers.coded_count() == 20
        before = len(history("anna", limit=1000))
        runs = 0
        while (current := screen.current) is not None and not screen.answers.coded(current):
            for _ in range(25):  # a run of marks (space moves on)
                current = screen.current
                if current is None or screen.answers.coded(current):
                    break
                await pilot.press("space")
            await pilot.press(str(1 + runs % 9))
            runs += 1
            await pilot.press("enter")
        assert screen.answers.coded_count() == answered
        assert len(history("anna", limit=1000)) == before + runs  # one action a run
        assert f"{answered} gecodeerd door jou" in text_of(screen, "#survey-counts")
        await pilot.press("o")  # only the uncoded: none left
        await pilot.pause()
        assert screen.query_one(DocumentTable).row_count == 0
        await pilot.press("enter", "1", "a")  # nothing to act on: no crash, nothing written
        await pilot.pause()
        assert len(history("anna", limit=1000)) == before + runs
    with Project.open(generated_survey) as again:  # all committed
        survey = again.survey_named("enquete")
        assert survey is not None
        doc_id = survey.questions[number].document_id
        spans = [(t.content_start, t.content_end) for t in again.turns(doc_id or 0)]
        mine = again.codings(document_id=doc_id, coder="anna")
        assert len(spans) == answered
        assert all(any(c.start < e and c.end > s for c in mine) for s, e in spans)
        # and reported: the question's table per aanpak counts every answer as coded, in Word
        from kwali.analysis.survey_tables import NO_CODE, survey_table
        from kwali.export.survey_tables import write_survey_table

        table = survey_table(again, question, by=("aanpak",))
        assert table.columns == ["Prestatie010", "Meedoen010"]  # the SPSS codes' order
        assert sum(table.n(c) for c in table.columns) == answered
        assert table.count(NO_CODE, "Totaal") == 0
        out = write_survey_table(table, generated_survey.parent / f"{question}.docx")
        assert out.stat().st_size > 0 and oct(out.stat().st_mode & 0o777) == "0o600"


async def test_d_removes_a_code_and_ctrl_r_brings_an_undone_coding_back(
    survey_path: Path, opened: list[Project]
) -> None:
    app = make(survey_path, opened)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await open_survey(app, pilot)
        await pilot.press("1", "2", "d")  # two codes: d asks which one
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("down", "enter")  # the second: Sociaal contact
        await pilot.pause()
        assert [key for _, _, key in codings(app.project)] == ["geld"]
        assert "Sociaal contact verwijderd" in text_of(screen, "#survey-status")
        await pilot.press("u")  # the removal is undone
        await pilot.pause()
        assert sorted(key for _, _, key in codings(app.project)) == ["contact", "geld"]
        await pilot.press("u")  # and then the coding with contact
        await pilot.pause()
        assert [key for _, _, key in codings(app.project)] == ["geld"]
        assert "Sociaal" not in screen.query_one(DocumentTable).row_text(0)[4]
        await pilot.press("ctrl+r")  # done again
        await pilot.pause()
        assert sorted(key for _, _, key in codings(app.project)) == ["contact", "geld"]
        assert "Sociaal contact" in screen.query_one(DocumentTable).row_text(0)[4]


async def test_a_coding_made_by_another_kwali_shows_when_the_project_changes(
    survey_path: Path, opened: list[Project]
) -> None:
    from kwali.ui.messages import ProjectChanged

    app = make(survey_path, opened)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await open_survey(app, pilot)
        with Project.open(survey_path) as other:
            start, end = turn_spans(other)["1004"]
            doc_id = other.surveys()[0].questions[0].document_id or 0
            other.add_coding(doc_id, start, end, "verplicht", "anna")
        screen.post_message(ProjectChanged())  # what the app's poll posts
        await pilot.pause()
        assert "Moeten" in screen.query_one(DocumentTable).row_text(2)[4]
        assert "1 gecodeerd door jou" in text_of(screen, "#survey-counts")
