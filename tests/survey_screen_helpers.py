"""A small survey project built straight through the store, for the survey screen's tests.

One question document in the importer's layout ("<id>: <answer>" turns, speaker = the
respondent's case), each respondent a case with attributes, empty and "weet niet" answers as
rows only, a codebook and a suggestion per answer where a rule would fire. No spaCy: each
answer is one sentence segment, which is what short survey answers are.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kwali.model import Code, Codebook, Evidence, Segment, Suggestion, Transcript, Turn
from kwali.store import Project, Verb

CODEBOOK = Codebook(
    name="enquête",
    codes=(
        Code("geld", "Geld en uitkering", definition="Het gaat om geld, korting, uitkering."),
        Code("contact", "Sociaal contact", definition="Mensen ontmoeten, collega's."),
        Code("verplicht", "Moeten", definition="Het was verplicht, geen keus."),
        Code("zinvol", "Zinvol bezig", definition="Iets nuttigs doen."),
    ),
)

# (respondent, answer, status, aanpak, geslacht); the answer of "empty"/"weet_niet" is raw
ANSWERS: list[tuple[str, str, str, str, str]] = [
    (
        "1001",
        "Ik moest wel, anders een korting op mijn uitkering.",
        "answered",
        "Prestatie010",
        "vrouw",
    ),
    ("1002", "Leuk om nieuwe mensen te ontmoeten.", "answered", "Prestatie010", "man"),
    ("1003", "", "empty", "Meedoen010", "vrouw"),
    ("1004", "Het was verplicht van de gemeente.", "answered", "Meedoen010", "man"),
    ("1005", "weet niet", "weet_niet", "Prestatie010", "vrouw"),
    ("1006", "Ik wilde iets nuttigs doen met mijn tijd.", "answered", "Meedoen010", "vrouw"),
    ("1007", "Voor het geld, eerlijk gezegd.", "answered", "Prestatie010", "man"),
    ("1008", "Mijn collega's zijn aardig.", "answered", "Meedoen010", "man"),
]
# respondent -> (code, score, evidence word): what a rule suggests for the answer
SUGGESTED = {
    "1001": ("geld", 0.9, "korting"),
    "1002": ("contact", 0.8, "mensen"),
    "1004": ("verplicht", 0.85, "verplicht"),
    "1007": ("geld", 0.7, "geld"),
}
SUGGESTER = "kwali-rules@toets"


def add_survey_question(
    project: Project,
    rows: Sequence[tuple[str, str, str, str, str]] = ANSWERS,
    *,
    survey: str = "enquete.csv",
    question: str = "Q7",
    label: str = "Waarom doet u mee?",
    suggested: dict[str, tuple[str, float, str]] | None = None,
) -> int:
    """Store one question (and its survey, made if new) with cases; its document id."""
    suggested = SUGGESTED if suggested is None else suggested
    parts: list[str] = []
    turns: list[Turn] = []
    at = 0
    answered = [r for r in rows if r[2] == "answered"]
    for number, (respondent, answer, _, _, _) in enumerate(answered, start=1):
        if parts:
            parts.append("\n\n")
            at += 2
        piece = f"{respondent}: {answer}"
        begin = at + len(respondent) + 2
        turns.append(
            Turn(number, at, at + len(piece), begin, begin + len(answer), respondent, "respondent")
        )
        parts.append(piece)
        at += len(piece)
    text = "".join(parts)
    transcript = Transcript(text, tuple(turns), f"{survey}#{question}", "survey")

    def segments(doc_id: int, uid: str) -> list[Segment]:
        return [
            Segment(
                f"{uid}-{t.number}.1",
                doc_id,
                "sentence",
                t.number,
                1,
                t.content_start,
                t.content_end,
                1 + 2 * (t.number - 1),
                text[t.content_start : t.content_end],
                t.speaker,
            )
            for t in turns
        ]

    document, _ = project.add_document(transcript, segments, name=f"{survey} {question}")
    with project.action("kwali", Verb.IMPORT_SURVEY, survey, undoable=False):
        # the store's own steps of a case import, without its per-speaker checks (which
        # read every speaker of the document again for each link: slow at 5,000)
        cases = {}
        for respondent, _, _, aanpak, geslacht in rows:
            cases[respondent] = project._ensure_case(respondent)
            project._put_case_attributes(
                cases[respondent], {"aanpak": aanpak, "geslacht": geslacht}
            )
        for respondent, *_ in answered:
            project._link_speaker(document.id, respondent, cases[respondent])
        found = project.survey_named(survey)
        if found is None:
            (survey_id,) = project._insert(
                "surveys",
                {
                    "name": survey,
                    "source_name": survey,
                    "sha256": "0" * 64,
                    "id_column": "respnr",
                    "imported_at": "2026-01-01T00:00:00",
                },
            )
        else:
            survey_id = found.id
        position = len(found.questions) if found else 0
        project._insert(
            "survey_questions",
            {
                "survey_id": survey_id,
                "name": question,
                "label": label,
                "document_id": document.id,
                "position": position,
            },
        )
        numbers = {t.speaker: t.number for t in turns}
        for respondent, answer, status, _, _ in rows:
            project._put_survey_answer(
                survey_id,
                question,
                cases[respondent],
                status,  # type: ignore[arg-type]
                answer,
                numbers.get(respondent),
            )
    suggestions = []
    by_speaker = {t.speaker: t for t in turns}
    for segment in project.segments(document.id):
        if segment.speaker in suggested and segment.speaker in by_speaker:
            code, score, word = suggested[segment.speaker]
            at = text.index(word, segment.start)
            suggestions.append(
                Suggestion(
                    segment.id,
                    document.id,
                    segment.start,
                    segment.end,
                    code,
                    score,
                    (Evidence(at, at + len(word), word, f"lemma:{word}"),),
                    SUGGESTER,
                )
            )
    project.replace_suggestions(document.id, SUGGESTER, suggestions)
    return document.id


def build_survey_project(path: Path) -> Path:
    """A project file with the codebook and one question (Q7) of eight respondents."""
    with Project.create(path) as project:
        project.set_codebook(CODEBOOK, "kwali")
        add_survey_question(project)
    return path
