"""Survey import into a project: respondents as cases, open questions as documents of
answers; bad input changes nothing; a re-import changes nothing; a newer file adds
respondents without moving a coding."""

from __future__ import annotations

from pathlib import Path

import pytest
from survey_data import CLOSED, ID_COLUMN, QUESTIONS, survey_rows, write_rows, write_survey

from kwali.app.survey_import import answer_status, import_survey
from kwali.errors import InputError
from kwali.store import Project


def _import(project: Project, path: Path, nlp, **options):
    options.setdefault("id_column", ID_COLUMN)
    options.setdefault("questions", QUESTIONS)
    return import_survey(project, path, nlp=nlp, **options)


def _everything(project: Project) -> dict[str, list[tuple]]:
    """Every row of every table: what 'nothing changed' compares."""
    tables = [
        r[0]
        for r in project.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        t: sorted(tuple(map(repr, r)) for r in project.db.execute(f'SELECT * FROM "{t}"'))
        for t in tables
    }


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("-", "empty"),
        ("?", "empty"),
        ("weet niet", "weet_niet"),
        ("Weet ik niet.", "weet_niet"),
        ("WN", "weet_niet"),
        ("w.n.", "weet_niet"),
        ("weet het niet", "weet_niet"),
        ("Geen idee!", "weet_niet"),
        ("weet niet/geen antwoord", "weet_niet"),
        ("ik weet niet wat ik moet kiezen", "answered"),
        ("nvt", "answered"),
        ("Het moet.", "answered"),
    ],
)
def test_answer_status(text: str, status: str) -> None:
    assert answer_status(text) == status


def test_a_survey_becomes_cases_documents_and_answers(tmp_path: Path, project, nlp) -> None:
    path = write_survey(tmp_path / "enquete.sav", 60, seed=1)
    rows = survey_rows(60, seed=1)
    result = _import(project, path, nlp, attributes=CLOSED)
    assert result.created and not result.unchanged
    assert result.respondents == 60 and result.cases_made == 60
    assert result.attribute_types == {
        "aanpak": "text",
        "geslacht": "text",
        "leeftijd": "number",
        "duur_uitkering": "text",
    }
    assert project.attribute_types()["leeftijd"] == "number"
    # the SPSS codes' order is the order tables show the groups in
    orders = project.attribute_orders()
    assert orders["aanpak"] == ["Prestatie010", "Meedoen010"]
    assert orders["duur_uitkering"][0] == "korter dan 1 jaar" and "leeftijd" not in orders
    case = project.case_named("1001")
    assert case is not None
    first = rows[0]
    assert case.attributes["aanpak"] == {1: "Prestatie010", 2: "Meedoen010"}[first["aanpak"]]
    assert case.attributes["leeftijd"] == str(first["leeftijd"])
    survey = project.survey_named("enquete")
    assert survey is not None and [q.name for q in survey.questions] == list(QUESTIONS)
    assert survey.questions[0].label == "Waarom doet u mee aan de tegenprestatie?"
    for question in survey.questions:
        expected = [(str(r[ID_COLUMN]), answer_status(str(r[question.name]))) for r in rows]
        answers = project.survey_answers(survey.id, question.name)
        assert [(a.case_name, a.status) for a in answers] == expected  # file order, every one
        document = project.require_document(question.document_id)
        assert document.name == f"enquete · {question.name}" and document.format == "survey"
        turns = project.turns(document.id)
        answered = [a for a in answers if a.status == "answered"]
        assert [t.speaker for t in turns] == [a.case_name for a in answered]
        assert all(t.role == "respondent" for t in turns)
        for turn, answer in zip(turns, answered, strict=True):
            assert answer.turn_number == turn.number
            assert document.text[turn.start : turn.content_start] == f"{answer.case_name}: "
            assert document.text[turn.content_start : turn.content_end] == answer.text
        links = project.speaker_cases([document.id])[document.id]
        assert links == {a.case_name: a.case_id for a in answered}
        weet_niet = [a for a in answers if a.status == "weet_niet"]
        assert all(a.text and a.turn_number is None for a in weet_niet)
    group = project.group("document", "enquete")
    assert group is not None and set(group.members) == {q.document_id for q in survey.questions}


def test_all_other_columns_are_attributes(tmp_path: Path, project, nlp) -> None:
    path = write_survey(tmp_path / "enquete.csv", 20)
    result = _import(project, path, nlp, questions=["Q7"], all_other_columns=True)
    assert set(result.attribute_types) == {*CLOSED, "Q9", "Q12"}
    assert [q.name for q in result.questions] == ["Q7"]


def test_a_number_column_with_a_word_in_it_is_text(tmp_path: Path, project, nlp) -> None:
    rows = survey_rows(10)
    rows[4]["leeftijd"] = "onbekend"
    result = _import(project, write_rows(tmp_path / "e.csv", rows), nlp, attributes=["leeftijd"])
    assert result.attribute_types == {"leeftijd": "text"}
    assert "leeftijd" not in project.attribute_types()
    assert project.case_named("1005").attributes["leeftijd"] == "onbekend"
    # a later survey whose leeftijd holds only numbers keeps the project's type, and says so
    later = write_survey(tmp_path / "tweede.sav", 5, seed=8)
    second = _import(project, later, nlp, attributes=["leeftijd"], survey_name="tweede")
    assert second.attribute_types == {"leeftijd": "text"}
    assert any(
        "'leeftijd' bevat waarden van het type getal maar blijft tekst in dit project" in w
        for w in second.warnings
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".sav"])
def test_every_format_imports_alike(tmp_path: Path, nlp, suffix: str) -> None:
    found = []
    for kind in (".csv", suffix):
        with Project.in_memory() as project:
            _import(project, write_survey(tmp_path / f"e{kind}", 25, 4), nlp, attributes=CLOSED)
            survey = project.surveys()[0]
            found.append(
                (
                    [c.attributes for c in project.cases()],
                    [project.require_document(q.document_id).text for q in survey.questions],
                )
            )
    assert found[0] == found[1]


def _bad(tmp_path: Path, nlp, words: str, **options) -> None:
    """The import is refused in one line naming the file, and the project is unchanged."""
    path = options.pop("path", None) or write_survey(tmp_path / "enquete.csv", 15)
    with Project.create(tmp_path / "p.kwali") as project:
        _import(project, write_survey(tmp_path / "eerder.csv", 5), nlp, attributes=["aanpak"])
        before = _everything(project)
        with pytest.raises(InputError) as caught:
            _import(project, path, nlp, **options)
        assert _everything(project) == before
    line = caught.value.one_line()
    assert "\n" not in line and path.name in line and words in line, line
    (tmp_path / "p.kwali").unlink()


@pytest.mark.sqlite_only
def test_bad_input_changes_nothing(tmp_path: Path, nlp) -> None:
    _bad(tmp_path, nlp, "heeft geen id-kolom 'nr'", id_column="nr")
    _bad(tmp_path, nlp, "heeft geen vraagkolom 'Q99'", questions=["Q7", "Q99"])
    _bad(tmp_path, nlp, "kolommen: respnr, aanpak", questions=["Q99"])  # the hint lists them
    _bad(tmp_path, nlp, "heeft geen kenmerkkolom 'regio'", attributes=["aanpak", "regio"])
    _bad(tmp_path, nlp, "niet beide", attributes=["aanpak"], all_other_columns=True)
    rows = survey_rows(12)
    rows[5][ID_COLUMN] = rows[2][ID_COLUMN]
    rows[9][ID_COLUMN] = rows[1][ID_COLUMN]
    dup = write_rows(tmp_path / "dubbel.csv", rows)
    _bad(tmp_path, nlp, "2 dubbele id's in respnr: 1003, 1002", path=dup)
    empty = tmp_path / "leeg.csv"
    empty.write_bytes(b"")
    _bad(tmp_path, nlp, "het bestand is leeg", path=empty)
    fake = tmp_path / "nep.sav"
    fake.write_text("respnr;Q7\n1;ja\n", encoding="utf-8")
    _bad(tmp_path, nlp, "is geen SPSS-bestand (.sav)", path=fake)


def test_a_value_that_does_not_fit_a_typed_key_changes_nothing(tmp_path: Path, nlp) -> None:
    with Project.create(tmp_path / "p.kwali") as project:
        project.set_attribute_type("geslacht", "number")
        before = _everything(project)
        with pytest.raises(InputError, match="is een getal in dit project"):
            _import(project, write_survey(tmp_path / "e.csv", 10), nlp, attributes=CLOSED)
        assert _everything(project) == before


def test_the_same_file_again_changes_nothing(tmp_path: Path, nlp) -> None:
    path = write_survey(tmp_path / "enquete.xlsx", 30)
    with Project.create(tmp_path / "p.kwali") as project:
        _import(project, path, nlp, attributes=CLOSED)
        before = _everything(project)
        again = _import(project, path, nlp, attributes=CLOSED)
        assert again.unchanged and not again.created
        assert [q.answered for q in again.questions] == [
            project.survey_status_counts(again.survey.id, q)["answered"] for q in QUESTIONS
        ]
        assert _everything(project) == before


def _code_some(project: Project, coder: str = "anna") -> list[tuple]:
    """Code a part of every fifth answer of each question; (document, start, end, text) each."""
    from kwali.model import Code, Codebook

    project.set_codebook(Codebook("t", (Code("dwang", "Dwang"), Code("taal", "Taal"))))
    for document_id in project.survey_document_ids():
        for turn in project.turns(document_id)[::5]:
            end = min(turn.content_end, turn.content_start + 12)
            project.add_coding(document_id, turn.content_start + 1, end, "dwang", coder)
    return _codings(project)


def _codings(project: Project) -> list[tuple]:
    texts = {d: project.require_document(d).text for d in project.survey_document_ids()}
    return sorted(
        (c.id, c.document_id, c.start, c.end, texts[c.document_id][c.start : c.end])
        for c in project.codings()
    )


def test_a_newer_file_adds_respondents_without_touching_codings(tmp_path: Path, nlp) -> None:
    rows = survey_rows(80, seed=2)
    (tmp_path / "v1").mkdir()
    old = write_rows(tmp_path / "v1" / "enquete.csv", rows[:50])
    rows[3]["aanpak"] = 2 if rows[3]["aanpak"] == 1 else 1  # a changed closed answer
    rows[4]["Q7"] = "Een heel ander antwoord dan eerst."  # a changed open answer: kept
    rows[6]["Q12"] = ""  # and one that is gone: kept too
    new = write_rows(tmp_path / "enquete.csv", rows)
    with Project.create(tmp_path / "p.kwali") as project:
        first = _import(project, old, nlp, attributes=CLOSED)
        coded = _code_some(project)
        assert coded
        texts = {d: project.require_document(d).text for d in project.survey_document_ids()}
        answers_before = {q: project.survey_answers(first.survey.id, q) for q in QUESTIONS}
        result = _import(project, new, nlp, attributes=CLOSED)
        assert not result.created and not result.unchanged
        assert result.cases_made == 30
        assert result.cases_updated == 1
        assert (
            project.case_named(str(rows[3][ID_COLUMN])).attributes["aanpak"]
            == {
                1: "Prestatie010",
                2: "Meedoen010",
            }[rows[3]["aanpak"]]
        )
        assert result.changed_answers == (str(rows[4][ID_COLUMN]), str(rows[6][ID_COLUMN]))
        assert any(
            "antwoordden in dit bestand anders" in w and "zijn gehouden" in w
            for w in result.warnings
        )
        assert _codings(project) == coded  # same document, start, end and text
        survey = project.survey_named("enquete")
        assert survey is not None and survey.sha256 == result.survey.sha256
        for question in survey.questions:
            document = project.require_document(question.document_id)
            assert document.text.startswith(texts[document.id])
            answers = project.survey_answers(survey.id, question.name)
            assert len(answers) == 80
            assert answers[:50] == answers_before[question.name]  # kept as they were
            turns = project.turns(document.id)
            for answer in answers[50:]:
                assert answer.status == answer_status(
                    str(rows[int(answer.case_name) - 1001][question.name])
                )
                if answer.status == "answered":
                    turn = turns[answer.turn_number - 1]
                    assert turn.speaker == answer.case_name
                    assert document.text[turn.content_start : turn.content_end] == answer.text
                    assert (
                        project.speaker_cases([document.id])[document.id][answer.case_name]
                        == answer.case_id
                    )
            counts = project.survey_status_counts(survey.id, question.name)
            assert sum(counts.values()) == 80
        again = _import(project, new, nlp, attributes=CLOSED)
        assert again.unchanged
        fewer = write_rows(tmp_path / "v1" / "enquete.xlsx", rows[2:])
        third = _import(project, fewer, nlp, attributes=CLOSED, survey_name="enquete")
        assert third.cases_made == 0 and _codings(project) == coded
        assert any(
            "2 respondenten van de enquête staan niet in dit bestand" in w for w in third.warnings
        )


def test_survey_name_keeps_two_surveys_apart(tmp_path: Path, project, nlp) -> None:
    _import(project, write_survey(tmp_path / "enquete.csv", 10), nlp)
    (tmp_path / "b").mkdir()
    other = write_survey(tmp_path / "b" / "enquete.csv", 12, seed=5)
    result = _import(project, other, nlp, survey_name="nameting")
    assert result.created and result.survey.name == "nameting"
    assert [s.name for s in project.surveys()] == ["enquete", "nameting"]
    assert any("zijn al cases in het project" in w for w in result.warnings)
