"""Surveys in the project file (schema m007): each imported file, its open questions and every
respondent's answer with its status.

A question is a document whose turns are the answered answers (speaker label = the
respondent's case name); ``survey_answers`` holds every respondent's answer to it, also those
that are empty or "weet niet", which are no turn and so are never coded, but always counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from kwali.i18n import TranslatedWords, _
from kwali.store.base import now
from kwali.store.cases import CasesMixin

AnswerStatus = Literal["answered", "empty", "weet_niet"]
ANSWER_STATUSES: tuple[AnswerStatus, ...] = ("answered", "empty", "weet_niet")
STATUS_WORDS: Mapping[str, str] = TranslatedWords(
    lambda: {"answered": _("beantwoord"), "empty": _("leeg"), "weet_niet": _("weet niet")}
)
"""Each status in the user's language, for the screens and tables (read at use)."""


@dataclass(frozen=True, slots=True)
class SurveyQuestion:
    """An open question of a survey: its column, its label (SPSS variable label or the
    column), and the document that holds its answers."""

    survey_id: int
    name: str
    label: str
    document_id: int | None
    position: int


@dataclass(frozen=True, slots=True)
class Survey:
    id: int
    name: str
    source_name: str
    sha256: str
    id_column: str
    imported_at: str
    questions: tuple[SurveyQuestion, ...] = ()


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    """One respondent's answer to one question. ``turn_number`` is its turn in the question's
    document (answered answers only)."""

    survey_id: int
    question: str
    case_id: int
    case_name: str
    status: AnswerStatus
    text: str
    turn_number: int | None


class SurveysMixin(CasesMixin):
    def _dependent_keys(self, document_id: int) -> dict[str, list[tuple]]:
        """A removed question document takes the question and its answers (undo brings them
        back); the survey, its respondents and their attributes stay."""
        keys = super()._dependent_keys(document_id)
        questions = [
            tuple(r)
            for r in self.db.execute(
                "SELECT survey_id, name FROM survey_questions WHERE document_id = ?",
                (document_id,),
            )
        ]
        answers: list[tuple] = []
        for survey_id, name in questions:
            answers += [
                tuple(r)
                for r in self.db.execute(
                    "SELECT survey_id, question, case_id FROM survey_answers "
                    "WHERE survey_id = ? AND question = ?",
                    (survey_id, name),
                )
            ]
        return {"survey_answers": answers, "survey_questions": questions, **keys}

    # -- reading ----------------------------------------------------------------------------
    def surveys(self) -> list[Survey]:
        rows = self.db.execute(
            "SELECT id, name, source_name, sha256, id_column, imported_at FROM surveys ORDER BY id"
        ).fetchall()
        questions: dict[int, list[SurveyQuestion]] = {}
        for r in self.db.execute(
            "SELECT survey_id, name, label, document_id, position FROM survey_questions "
            "ORDER BY survey_id, position"
        ):
            questions.setdefault(r[0], []).append(SurveyQuestion(r[0], r[1], r[2], r[3], r[4]))
        return [
            Survey(r[0], r[1], r[2], r[3], r[4], r[5], tuple(questions.get(r[0], ()))) for r in rows
        ]

    def survey_named(self, name: str) -> Survey | None:
        return next((s for s in self.surveys() if name in (s.name, s.source_name)), None)

    def survey_question_of(self, document_id: int) -> SurveyQuestion | None:
        """The question whose answers ``document_id`` holds, if it is a survey question."""
        row = self.db.execute(
            "SELECT survey_id, name, label, document_id, position FROM survey_questions "
            "WHERE document_id = ?",
            (document_id,),
        ).fetchone()
        return SurveyQuestion(*row) if row else None

    def survey_document_ids(self) -> set[int]:
        rows = self.db.execute(
            "SELECT document_id FROM survey_questions WHERE document_id IS NOT NULL"
        )
        return {r[0] for r in rows}

    def survey_answers(
        self,
        survey_id: int,
        question: str | None = None,
        statuses: Iterable[AnswerStatus] = ANSWER_STATUSES,
    ) -> list[SurveyAnswer]:
        """The answers of a survey (to one question), in the file's respondent order."""
        sql = (
            "SELECT a.survey_id, a.question, a.case_id, c.name, a.status, a.text, a.turn_number "
            "FROM survey_answers a JOIN cases c ON c.id = a.case_id "
            "WHERE a.survey_id = ? AND a.status IN (SELECT value FROM json_each(?))"
        )
        args: list[object] = [survey_id, json.dumps(list(statuses))]
        if question is not None:
            sql += " AND a.question = ?"
            args.append(question)
        sql += " ORDER BY a.question, a.rowid"
        return [SurveyAnswer(*r) for r in self.db.execute(sql, args)]

    def survey_status_counts(self, survey_id: int, question: str) -> dict[str, int]:
        """``{status: number of respondents}`` for one question (every status, 0 included)."""
        counts: dict[str, int] = dict.fromkeys(ANSWER_STATUSES, 0)
        for status, n in self.db.execute(
            "SELECT status, COUNT(*) FROM survey_answers WHERE survey_id = ? AND question = ? "
            "GROUP BY status",
            (survey_id, question),
        ):
            counts[status] = n
        return counts

    # -- writing (inside an action: the importer's) -----------------------------------------
    def _put_survey_answer(
        self,
        survey_id: int,
        question: str,
        case_id: int,
        status: AnswerStatus,
        text: str,
        turn_number: int | None,
    ) -> None:
        self._delete("survey_answers", (survey_id, question, case_id))
        self._insert(
            "survey_answers",
            {
                "survey_id": survey_id,
                "question": question,
                "case_id": case_id,
                "status": status,
                "text": text,
                "turn_number": turn_number,
            },
        )

    def _put_survey(self, name: str, source_name: str, sha256: str, id_column: str) -> int:
        """A new survey row (inside the importer's action); its id."""
        return int(
            self._insert(
                "surveys",
                {
                    "name": name,
                    "source_name": source_name,
                    "sha256": sha256,
                    "id_column": id_column,
                    "imported_at": now(),
                },
            )[0]
        )

    def _update_survey(self, survey_id: int, source_name: str, sha256: str) -> None:
        """A newer version of the survey's file was imported (inside the importer's action)."""
        self._update(
            "surveys",
            (survey_id,),
            {"source_name": source_name, "sha256": sha256, "imported_at": now()},
        )

    def _put_survey_question(
        self, survey_id: int, name: str, label: str, document_id: int | None, position: int
    ) -> None:
        """A question of a survey, or its document once it has one (inside an action)."""
        values = {"label": label, "document_id": document_id, "position": position}
        current = self._row("survey_questions", (survey_id, name))
        if current is None:
            self._insert("survey_questions", {"survey_id": survey_id, "name": name, **values})
            return
        changed = {k: v for k, v in values.items() if current[k] != v}
        if changed:
            self._update("survey_questions", (survey_id, name), changed)

    def survey_with_sha(self, sha256: str) -> Survey | None:
        """The survey last imported from a file with these bytes, if any."""
        return next((s for s in self.surveys() if s.sha256 == sha256), None)
