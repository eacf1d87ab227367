"""Survey answers leave kwali cited as a survey is read (``Q7 · 1003``), attributed with the
respondent's own attributes, and counted as respondents, not as one document, when the export
checks whether an attribution could identify someone."""

from __future__ import annotations

from pathlib import Path

from survey_data import survey_project

from kwali.export import QuoteOptions, export
from kwali.export.tables import quotes
from kwali.store import Project


def _code_answers(project: Project, question: str, respondents: list[str]) -> None:
    (survey,) = project.surveys()
    document_id = next(q.document_id for q in survey.questions if q.name == question)
    assert document_id is not None
    for turn in project.turns(document_id):
        if turn.speaker in respondents:
            project.add_coding(document_id, turn.content_start, turn.content_end, "dwang", "anna")


def test_a_quoted_answer_is_cited_by_question_and_respondent(tmp_path: Path, nlp) -> None:
    path = survey_project(tmp_path, respondents=40, seed=2, suffix=".csv", nlp=nlp)
    with Project.open(path) as project:
        answered = [a.case_name for a in project.survey_answers(1, "Q7", ["answered"])]
        _code_answers(project, "Q7", answered[:3])
        table = quotes(project, codes=["dwang"], attributes=["aanpak"])
        assert list(table["reference"]) == [f"Q7 · {r}" for r in answered[:3]]
        for respondent, aanpak in zip(answered[:3], table["aanpak"], strict=True):
            case = project.case_named(respondent)
            assert case is not None and aanpak == case.attributes["aanpak"]


def test_an_attribution_shared_by_many_respondents_is_not_flagged(tmp_path: Path, nlp) -> None:
    path = survey_project(tmp_path, respondents=40, seed=2, suffix=".csv", nlp=nlp)
    with Project.open(path) as project:
        answered = [a.case_name for a in project.survey_answers(1, "Q7", ["answered"])]
        _code_answers(project, "Q7", answered)
        options = QuoteOptions(attribution=("aanpak",))
        written = export(project, "quotes", tmp_path / "q.csv", options=options)
        # every answer of Q7 is in one document, but 40 respondents stand behind "Meedoen010"
        assert not [w for w in written.warnings if "herkenbaar" in w]
        # one respondent alone in a group is flagged, counted as a respondent
        only = answered[0]
        project.set_case_attributes(only, {"aanpak": "Proef010"})
        again = export(project, "quotes", tmp_path / "q2.csv", options=options)
        flagged = [w for w in again.warnings if "herkenbaar" in w]
        assert flagged == [
            "de toeschrijving (Proef010) hoort bij maar 1 respondent en kan die herkenbaar "
            "maken; overweeg --attribution aanpak of maskeer de waarde"
        ]
