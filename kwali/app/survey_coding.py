"""Coding the answers of one survey question: what the survey screen shows and changes.

A question is one document whose turns are the answered answers (one per respondent, the
speaker label being the respondent's case); empty and "weet niet" answers are rows in
``survey_answers`` only, counted but never coded. An answer's codes are the confirmed codings
that overlap its content span; in blind mode only the coder's own are read, as on the coding
screen. Its suggestions are the open ones the coder may see (:mod:`kwali.app.reviewing`),
best first. Whom an answer counts for, and so its group values, is :class:`Units`' rule.

Every change is one store action, committed before it returns: coding several answers with
one code is ONE action (the codings join it), so one undo takes them all back.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from kwali.app.reviewing import blind_view, open_suggestions
from kwali.app.units import Units
from kwali.i18n import TranslatedWords, _
from kwali.model import Codebook, Coding, Suggestion
from kwali.store import Project, Verb

Show = Literal["all", "uncoded", "coded"]
SHOWS: tuple[Show, ...] = ("all", "uncoded", "coded")
SHOW_WORDS: Mapping[str, str] = TranslatedWords(
    lambda: {"all": _("alle"), "uncoded": _("ongecodeerd"), "coded": _("gecodeerd")}
)
"""Each :data:`Show` in the reader's language, for the screens."""
MAX_GROUP_VALUES = 12  # an attribute with more values (age, a free text) is no group
KEYS_PER_PAGE = 9  # number keys 1–9


@dataclass(frozen=True, slots=True)
class Question:
    """An open question with a document to code, of any survey in the project."""

    survey_id: int
    survey: str
    name: str
    label: str
    document_id: int

    @property
    def title(self) -> str:
        return self.name if self.label in ("", self.name) else f"{self.name} · {self.label}"


def questions(project: Project) -> list[Question]:
    """Every codable question of every survey, in import and column order."""
    return [
        Question(survey.id, survey.name, q.name, q.label, q.document_id)
        for survey in project.surveys()
        for q in survey.questions
        if q.document_id is not None
    ]


@dataclass(slots=True)
class Answer:
    """One answered answer: its respondent, its content span and what is on it."""

    index: int
    respondent: str
    case_id: int | None
    start: int
    end: int
    text: str
    attributes: Mapping[str, str]
    segment_ids: tuple[str, ...]
    codings: list[Coding] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)

    def codes(self, coder: str) -> list[str]:
        """The code keys ``coder`` put on this answer, each once, in order of coding."""
        return list(dict.fromkeys(c.code_key for c in self.codings if c.coder == coder))

    def others(self, coder: str) -> list[tuple[str, str]]:
        """(code key, coder) of the other coders' codings (none are read in blind mode)."""
        return list(dict.fromkeys((c.code_key, c.coder) for c in self.codings if c.coder != coder))

    @property
    def top(self) -> Suggestion | None:
        return self.suggestions[0] if self.suggestions else None


def numbered_codes(codebook: Codebook, page: int = 0) -> list[tuple[int, str]]:
    """``[(number, code key)]``: the codes (not categories) that keys 1–9 apply on ``page``,
    in codebook order; the pages wrap round."""
    codes = [c.key for c in codebook if c.kind == "code"]
    if not codes:
        return []
    pages = (len(codes) + KEYS_PER_PAGE - 1) // KEYS_PER_PAGE
    first = (page % pages) * KEYS_PER_PAGE
    return list(enumerate(codes[first : first + KEYS_PER_PAGE], start=1))


def code_pages(codebook: Codebook) -> int:
    codes = sum(1 for c in codebook if c.kind == "code")
    return max(1, (codes + KEYS_PER_PAGE - 1) // KEYS_PER_PAGE)


class QuestionAnswers:
    """The answers of one question as ``coder`` sees them, read once and then kept current
    answer by answer after each change made here."""

    def __init__(self, project: Project, question: Question, coder: str, blind: bool) -> None:
        self.project = project
        self.question = question
        self.coder = coder
        self.blind = blind
        self.counts: dict[str, int] = {}
        self.answers: list[Answer] = []
        self._starts: list[int] = []
        self._of_suggestion: dict[int, Answer] = {}  # every suggestion's answer, open or not
        self._reviewed: set[int] = set()
        self._groups: dict[str, list[tuple[str, int]]] | None = None
        self.load()

    # -- reading --------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the answers, their respondents and attributes, then codings and suggestions."""
        project, doc_id = self.project, self.question.document_id
        self.counts = project.survey_status_counts(self.question.survey_id, self.question.name)
        cases = {
            a.turn_number: a.case_id
            for a in project.survey_answers(
                self.question.survey_id, self.question.name, statuses=("answered",)
            )
        }
        units = Units.load(project, [doc_id])
        text = project.require_document(doc_id).text
        # ids and starts only: Project.segments cuts each sentence's text out of the
        # document, which for one 5,000-answer document costs most of a second
        segments = project.db.execute(
            "SELECT id, start FROM segments WHERE document_id = ? AND kind = 'sentence' "
            "ORDER BY start",
            (doc_id,),
        ).fetchall()
        seg_starts = [s[1] for s in segments]
        self.answers = []
        for turn in project.turns(doc_id):
            start, end = turn.content_start, turn.content_end
            if start >= end:
                continue
            unit = units.of_speaker(doc_id, turn.speaker)
            lo = bisect.bisect_left(seg_starts, start)
            hi = bisect.bisect_left(seg_starts, end)
            self.answers.append(
                Answer(
                    index=len(self.answers),
                    respondent=unit.name if unit.kind == "case" else (turn.speaker or ""),
                    case_id=cases.get(turn.number, unit.id if unit.kind == "case" else None),
                    start=start,
                    end=end,
                    text=text[start:end],
                    attributes=unit.attributes,
                    segment_ids=tuple(s[0] for s in segments[lo:hi]),
                )
            )
        self._starts = [a.start for a in self.answers]
        self._groups = None
        self._of_suggestion = {
            suggestion_id: answer
            for suggestion_id, start in project.db.execute(
                "SELECT id, start FROM suggestions WHERE document_id = ?", (doc_id,)
            )
            for answer in self._overlapping(start, start + 1)
        }
        self.reload()

    def reload(self) -> None:
        """Re-read every answer's codings and open suggestions (after an undo, or a change
        made elsewhere)."""
        doc_id = self.question.document_id
        for answer in self.answers:
            answer.codings, answer.suggestions = [], []
        coder = self.coder if self.blind else None
        for coding in self.project.codings(document_id=doc_id, coder=coder):
            for answer in self._overlapping(coding.start, coding.end):
                answer.codings.append(coding)
        for suggestion in open_suggestions(self.project, doc_id, self.coder, self.blind):
            for answer in self._overlapping(suggestion.start, suggestion.end):
                answer.suggestions.append(suggestion)
        for answer in self.answers:
            answer.suggestions.sort(key=lambda s: -s.score)
        self._reviewed = self._reviewed_ids()

    def catch_up(self) -> list[Answer]:
        """After an undo or redo: find the answers whose codings or reviews changed, re-read
        only those (a full reload of 5,000 answers takes a few hundred ms); returns them."""
        coder = self.coder if self.blind else None
        found: dict[int, list[Coding]] = {}
        for coding in self.project.codings(document_id=self.question.document_id, coder=coder):
            for answer in self._overlapping(coding.start, coding.end):
                found.setdefault(answer.index, []).append(coding)
        changed = {a.index: a for a in self.answers if a.codings != found.get(a.index, [])}
        reviewed = self._reviewed_ids()
        for suggestion_id in reviewed ^ self._reviewed:
            owner = self._of_suggestion.get(suggestion_id)
            if owner is not None:
                changed[owner.index] = owner
        self._reviewed = reviewed
        touched = sorted(changed.values(), key=lambda a: a.index)
        self.refresh(touched)
        return touched

    def _reviewed_ids(self) -> set[int]:
        """The suggestions of this question the coder accepted or rejected."""
        rows = self.project.db.execute(
            "SELECT r.suggestion_id FROM suggestion_reviews r "
            "JOIN suggestions s ON s.id = r.suggestion_id "
            "WHERE s.document_id = ? AND r.coder = ?",
            (self.question.document_id, self.coder),
        )
        return {r[0] for r in rows}

    def refresh(self, answers: Iterable[Answer]) -> None:
        """Re-read the codings and open suggestions of these answers only: what a change
        made here can have touched, at a few indexed queries per answer."""
        coder = self.coder if self.blind else None
        for answer in answers:
            answer.codings = self.project.codings(
                document_id=self.question.document_id,
                coder=coder,
                start=answer.start,
                end=answer.end,
            )
            found = [
                s
                for segment_id in answer.segment_ids
                for s in self.project.suggestions(segment_id=segment_id, open_for=self.coder)
            ]
            if self.blind:
                found = blind_view(self.project, found, self.coder)
            answer.suggestions = sorted(found, key=lambda s: -s.score)

    def _overlapping(self, start: int, end: int) -> list[Answer]:
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        found = []
        while i < len(self.answers) and self.answers[i].start < end:
            if self.answers[i].end > start:
                found.append(self.answers[i])
            i += 1
        return found

    def coded(self, answer: Answer) -> bool:
        return any(c.coder == self.coder for c in answer.codings)

    def coded_count(self) -> int:
        return sum(1 for a in self.answers if self.coded(a))

    def groups(self) -> dict[str, list[tuple[str, int]]]:
        """``{attribute: [(value, respondents)]}`` of the attributes that divide the
        respondents into a few groups (2 to MAX_GROUP_VALUES values), by name."""
        if self._groups is None:  # attributes change only with a new load
            self._groups = self._count_groups()
        return self._groups

    def _count_groups(self) -> dict[str, list[tuple[str, int]]]:
        counts: dict[str, Counter[str]] = {}
        for answer in self.answers:
            for key, value in answer.attributes.items():
                counts.setdefault(key, Counter())[value] += 1
        return {
            key: sorted(values.items())
            for key, values in sorted(counts.items())
            if 2 <= len(values) <= MAX_GROUP_VALUES
        }

    def shown(self, show: Show = "all", group: tuple[str, str] | None = None) -> list[Answer]:
        """The answers the filters keep, in the file's respondent order."""
        return [
            a
            for a in self.answers
            if (group is None or a.attributes.get(group[0]) == group[1])
            and (show == "all" or self.coded(a) == (show == "coded"))
        ]

    def next_uncoded(self, answers: Sequence[Answer], after: int) -> int | None:
        """The position in ``answers`` of the first uncoded one after ``after`` (wrapping)."""
        n = len(answers)
        for step in range(1, n + 1):
            i = (after + step) % n
            if not self.coded(answers[i]):
                return i
        return None

    # -- changes (each one action, committed before it returns) ---------------------------------
    def code(self, answers: Sequence[Answer], code_key: str) -> list[Answer]:
        """Code each answer that lacks it with ``code_key`` on its whole content span, as one
        undoable action; the answers that were coded."""
        todo = [a for a in answers if code_key not in a.codes(self.coder)]
        if not todo:
            return []
        self.project.require_code(code_key)
        doc_id = self.question.document_id
        with self.project.action(self.coder, Verb.CODE, code_key):
            for answer in todo:
                self.project.add_coding(doc_id, answer.start, answer.end, code_key, self.coder)
        self.refresh(todo)
        return todo

    def uncode(self, answers: Sequence[Answer], code_key: str) -> list[Answer]:
        """Remove this coder's codings of ``code_key`` from these answers, as one undoable
        action; the answers it was removed from."""
        found = [
            (a, c)
            for a in answers
            for c in a.codings
            if c.coder == self.coder and c.code_key == code_key
        ]
        if not found:
            return []
        with self.project.action(self.coder, Verb.REMOVE_CODING, code_key):
            for _unused, coding in found:
                self.project.remove_coding(coding.id, self.coder)
        touched = list({id(a): a for a, _unused in found}.values())
        self.refresh(touched)
        return touched

    def accept(self, answer: Answer) -> Suggestion | None:
        """Accept the answer's top suggestion (a coding of its sentence by this coder)."""
        top = answer.top
        if top is None or top.id is None:
            return None
        self.project.accept_suggestion(top.id, self.coder)
        self._reviewed.add(top.id)
        self.refresh([answer])
        return top

    def reject(self, answer: Answer) -> Suggestion | None:
        top = answer.top
        if top is None or top.id is None:
            return None
        self.project.reject_suggestion(top.id, self.coder)
        self._reviewed.add(top.id)
        self.refresh([answer])
        return top
