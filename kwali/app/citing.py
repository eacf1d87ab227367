"""How a survey answer is cited: by its question and its respondent, ``Q7 · 1023``.

An answer is a turn of its question's document, so ``3:412`` would cite it correctly but
unreadably; the report, the exports and the agreement review cite it the way a survey is read.
"""

from __future__ import annotations

from kwali.store import Project

ANSWER_MARK = " · "


def answer_reference(question: str, respondent: str) -> str:
    """``Q7 · 1023``."""
    return f"{question}{ANSWER_MARK}{respondent}"


def question_names(project: Project) -> dict[int, str]:
    """Document id → question name, for every survey question's document."""
    return {
        q.document_id: q.name
        for survey in project.surveys()
        for q in survey.questions
        if q.document_id is not None
    }
