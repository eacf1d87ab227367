"""Builders for the cases tests: a group interview with named speakers, and a small survey
built through the store (a question document whose turns are the respondents' answers).

Each turn is one sentence, segmented by hand (no Dutch pipeline needed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kwali.model import Document, Segment, Transcript, Turn
from kwali.store import Project
from kwali.store.actions import Verb
from kwali.store.base import now

GROUP = (
    ("I", "interviewer", "Hoe werken jullie samen met de werkzoekenden?"),
    ("Coach A", "respondent", "Ik bel ze elke week, dat werkt goed."),
    ("Coach B", "respondent", "Bij ons moeten ze eerst een intake doen."),
    ("I", "interviewer", "En de gemeente?"),
    ("Coach A", "respondent", "De gemeente stuurt een brief met de verplichting."),
)


def add_turns_document(
    project: Project,
    name: str,
    turns: Sequence[tuple[str, str, str]],
    attributes: Mapping[str, str] | None = None,
    fmt: str = "txt",
    separator: str = "\n",
) -> Document:
    """A document of ``(speaker, role, text)`` turns, "SPEAKER: text" a line, each turn one
    sentence and one turn segment."""
    text, built = "", []
    for number, (speaker, role, said) in enumerate(turns, start=1):
        start = len(text)
        text += f"{speaker}: "
        content = len(text)
        text += said
        built.append(Turn(number, start, len(text), content, len(text), speaker, role))
        text += separator

    def segments(document_id: int, uid: str) -> list[Segment]:
        found = []
        for t in built:
            said = text[t.content_start : t.content_end]
            for kind, sentence in (("turn", 0), ("sentence", 1)):
                found.append(
                    Segment(
                        f"{uid}:{t.number}" + (f".{sentence}" if sentence else ""),
                        document_id,
                        kind,  # type: ignore[arg-type]
                        t.number,
                        sentence,
                        t.content_start,
                        t.content_end,
                        t.number,
                        said,
                        t.speaker,
                        t.role,
                    )
                )
        return found

    document, _ = project.add_document(
        Transcript(text, tuple(built), f"{name}.{fmt}", fmt),
        segments,
        name=name,
        attributes=dict(attributes or {}),
    )
    return document


def add_group_interview(project: Project, name: str = "groep_noord") -> Document:
    """GROUP: the interviewer and coaches A and B, "werkvorm=groep" (the name in the first
    question, so that two group interviews are two documents)."""
    first = (GROUP[0][0], GROUP[0][1], f"{GROUP[0][2]} ({name})")
    return add_turns_document(project, name, (first, *GROUP[1:]), {"werkvorm": "groep"})


def add_survey(
    project: Project,
    questions: Mapping[str, Mapping[str, str]],
    name: str = "telefonische enquête",
    attributes: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Document]:
    """A survey as the importer stores it: per question ``{respondent id: answer}`` (an empty
    answer or "weet niet" is a status, no turn), each respondent a case linked to its answers.
    ``{question: its document}``."""
    documents = {}
    statuses = {}
    for question, answers in questions.items():
        given = [(rid, text) for rid, text in answers.items() if text and text != "weet niet"]
        documents[question] = add_turns_document(
            project,
            question,
            [(rid, "respondent", text) for rid, text in given],
            fmt="survey",
            separator="\n\n",
        )
        statuses[question] = answers
    links = [
        (documents[q].id, rid, rid)
        for q, answers in questions.items()
        for rid, text in answers.items()
        if text and text != "weet niet"
    ]
    project.import_cases(links, attributes or {}, "enquete.csv")
    with project.action("kwali", Verb.IMPORT_SURVEY, name):
        survey_id = project._insert(
            "surveys",
            {
                "name": name,
                "source_name": "enquete.csv",
                "sha256": "0" * 64,
                "id_column": "respnr",
                "imported_at": now(),
            },
        )[0]
        for position, (question, answers) in enumerate(questions.items()):
            project._insert(
                "survey_questions",
                {
                    "survey_id": survey_id,
                    "name": question,
                    "label": question,
                    "document_id": documents[question].id,
                    "position": position,
                },
            )
            turn = 0
            for rid, text in answers.items():
                status = "answered" if text and text != "weet niet" else "empty"
                if text == "weet niet":
                    status = "weet_niet"
                turn += status == "answered"
                case_id = project._ensure_case(rid)
                project._put_survey_answer(
                    survey_id,
                    question,
                    case_id,
                    status,  # type: ignore[arg-type]
                    text,
                    turn if status == "answered" else None,
                )
    return documents
