"""The frequency table of a survey question's codes per group, as a report shows it.

For one open question: a row per code (codebook tree order; a category counts the answers
with any code below it, each answer once), a column per group of a case attribute (two
attributes crossed, as :func:`~kwali.analysis.table_data.crossed_groups` crosses them) and
``Totaal``. A cell counts *answers* (respondents), not codings: an answer counts for a code when
a confirmed coding of that code, or of a code below it, overlaps the answer's text, however
many coders coded it. Its percentage is of the answered answers of the column (``n``), so an
answer with two codes counts in both rows and the column may add up to more than 100%: the
table then says so. ``Geen code`` counts answered answers no coding in scope touches; empty
and "weet niet" answers are counted apart, below the table, and are never part of ``n``.

The group of an answer is its respondent's, as :class:`kwali.app.units.Units` attributes it
(the case's attributes over the question document's). The codings are read as
:func:`~kwali.analysis.table_data.coded_rows` reads them for every code table.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from kwali.analysis.reading import CONSENSUS, DocumentInfo
from kwali.analysis.table_data import (
    TableError,
    code_path,
    coded_rows,
    crossed_groups,
    total_label,
)
from kwali.analysis.table_data import select_codes as _select_codes
from kwali.app.units import Units
from kwali.app.wording import percent
from kwali.i18n import _
from kwali.model import Codebook
from kwali.store import Project
from kwali.store.surveys import STATUS_WORDS, Survey, SurveyAnswer, SurveyQuestion

if TYPE_CHECKING:
    import pandas as pd

TOTAL = "Totaal"  # the total column's key; shown as total_label()
NO_CODE = "(geen code)"  # row keys of the extra rows: never a code key (keys start plainly)
OTHER_CODES = "(andere codes)"


def no_code_label() -> str:
    return _("Geen code")


def other_codes_label() -> str:
    return _("Alleen andere codes")


def multiple_note() -> str:
    return _("Meerdere codes per antwoord mogelijk; percentages tellen op tot meer dan 100%")


def column_label(column: str) -> str:
    """A column as shown: its group, or ``Totaal`` in the reader's language."""
    return total_label() if column == TOTAL else column


STATUSES = ("empty", "weet_niet")  # counted below the table, outside n

LineKind = Literal["category", "code", "none", "other", "status"]


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the table as every output writes it: ``counts`` and ``percents`` per column
    of :attr:`SurveyTable.all_columns` (no percentages on the status lines)."""

    kind: LineKind
    key: str
    label: str
    depth: int
    counts: tuple[int, ...]
    percents: tuple[float | None, ...] | None


@dataclass(frozen=True, slots=True)
class SurveyRow:
    key: str
    label: str  # the code's own label
    path: str  # its path of labels, ``Motieven > Geld``
    depth: int
    category: bool  # a category, or has codes below it in the table


@dataclass
class SurveyTable:
    """Answers per code and group; every count is read off sets of answers (case ids)."""

    survey: str
    question: str
    label: str  # the question's label (SPSS variable label), or its name
    by: tuple[str, ...]
    rows: list[SurveyRow]
    columns: list[str]  # the groups, in order; ``Totaal`` is not among them
    coded: dict[str, set[int]]  # row key (also NO_CODE, OTHER_CODES) -> answers
    group_of: dict[int, str]  # respondent (case id) -> column, every respondent of the question
    status_of: dict[int, str]  # respondent -> answered | empty | weet_niet
    multiple: int  # answers counted in two rows that are not above one another
    coders: tuple[str, ...] | None = None  # None: every coder but the consensus layer
    _memo: dict[tuple[str, str], set[int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def all_columns(self) -> list[str]:
        return [*self.columns, TOTAL]

    @property
    def title(self) -> str:
        """``Q7. Waarom doet u mee?`` (the name alone when the label is the name)."""
        label = self.label.strip()
        return f"{self.question}. {label}" if label and label != self.question else self.question

    def _members(self, column: str, status: str = "answered") -> set[int]:
        if (column, status) not in self._memo:  # made once: every cell asks
            self._memo[column, status] = {
                case
                for case, group in self.group_of.items()
                if (column == TOTAL or group == column) and self.status_of[case] == status
            }
        return self._memo[column, status]

    def n(self, column: str) -> int:
        """The answered answers of the column: the base of its percentages."""
        return len(self._members(self._column(column)))

    def count(self, row: str, column: str) -> int:
        return len(self.coded.get(row, set()) & self._members(self._column(column)))

    def percent(self, row: str, column: str) -> float | None:
        """The cell as a percentage of the column's n; None when nobody answered."""
        base = self.n(column)
        return 100.0 * self.count(row, column) / base if base else None

    def status_count(self, status: str, column: str) -> int:
        return len(self._members(self._column(column), status))

    def _column(self, name: str) -> str:
        if name in (TOTAL, total_label()):
            return TOTAL
        if name in self.columns:
            return name
        raise TableError(
            _("de tabel heeft geen kolom {name!r}").format(name=name),
            hint=", ".join(map(column_label, self.all_columns)),
        )

    @property
    def note(self) -> str:
        """The multiple-codes note, when an answer is counted in two rows side by side."""
        return multiple_note() if self.multiple else ""

    def lines(self) -> list[Line]:
        """The code rows, ``Geen code`` (and ``Alleen andere codes`` when codes were left
        out), then ``leeg`` and ``weet niet``: counts only, outside the percentages."""
        columns = self.all_columns
        found: list[Line] = []

        def line(kind: LineKind, key: str, label: str, depth: int = 0) -> Line:
            counts = tuple(self.count(key, c) for c in columns)
            return Line(
                kind, key, label, depth, counts, tuple(self.percent(key, c) for c in columns)
            )

        for row in self.rows:
            found.append(
                line("category" if row.category else "code", row.key, row.label, row.depth)
            )
        found.append(line("none", NO_CODE, no_code_label()))
        if self.coded.get(OTHER_CODES):
            found.append(line("other", OTHER_CODES, other_codes_label()))
        for status in STATUSES:
            counts = tuple(self.status_count(status, c) for c in columns)
            found.append(Line("status", status, STATUS_WORDS[status], 0, counts, None))
        return found

    def frame(self) -> pd.DataFrame:
        """The table as pandas, for CSV: a line ``n``, then :meth:`lines`; per column its
        count (``<group> aantal``) and percentage (``<group> %``, one decimal)."""
        import pandas as pd

        columns = self.all_columns
        kinds = {
            "category": _("categorie"),
            "code": _("code"),
            "none": _("geen code"),
            "other": _("andere codes"),
            "status": _("niet in n"),
        }
        kind, code, label = _("soort"), _("code"), _("label")
        count = {c: _("{column} aantal").format(column=column_label(c)) for c in columns}
        share_of = {c: _("{column} %").format(column=column_label(c)) for c in columns}
        out: list[dict[str, object]] = []
        first: dict[str, object] = {kind: "n", code: "", label: "n"}
        for column in columns:
            first[count[column]] = self.n(column)
            first[share_of[column]] = None
        out.append(first)
        for item in self.lines():
            record: dict[str, object] = {
                kind: kinds[item.kind],
                code: item.key if item.kind in ("category", "code") else "",
                label: item.label,
            }
            for i, column in enumerate(columns):
                record[count[column]] = item.counts[i]
                share = item.percents[i] if item.percents else None
                record[share_of[column]] = None if share is None else round(share, 1)
            out.append(record)
        names = [kind, code, label]
        names += [name for c in columns for name in (count[c], share_of[c])]
        return pd.DataFrame(out, columns=names)


def dutch_percent(value: float | None) -> str:
    """``12,5%`` (``12.5%`` in English); ``–`` for a column nobody answered."""
    return percent(value)


def counted_by(table: SurveyTable) -> str:
    """Whose codings count, in the reader's language (the exports' note)."""
    if table.coders is None:
        return _("alle codeurs (niet de consensuslaag)")
    if table.coders == (CONSENSUS,):
        return _("de consensuslaag")
    return _("codeur {coders}").format(coders=", ".join(table.coders))


# -- finding the question ------------------------------------------------------------------------
def find_question(
    project: Project, question: str, survey: str | None = None
) -> tuple[Survey, SurveyQuestion]:
    """The survey and question named; one line naming the project otherwise."""
    surveys = project.surveys()
    if not surveys:
        raise TableError(
            _("heeft geen enquête"),
            path=project.location,
            hint=_("importeer er een met kwali import --survey"),
        )
    if survey is not None:
        chosen = project.survey_named(survey)
        if chosen is None:
            raise TableError(
                _("heeft geen enquête {name!r} (--survey)").format(name=survey),
                path=project.location,
                hint=_("enquêtes: {names}").format(names=", ".join(s.name for s in surveys)),
            )
        surveys = [chosen]
    found = [(s, q) for s in surveys for q in s.questions if q.name == question]
    if not found:  # Q7 for q7
        wanted = question.strip().casefold()
        found = [(s, q) for s in surveys for q in s.questions if q.name.casefold() == wanted]
    if not found:
        names = [q.name for s in surveys for q in s.questions]
        raise TableError(
            _("heeft geen enquêtevraag {name!r} (--question)").format(name=question),
            path=project.location,
            hint=_("vragen: {names}").format(names=", ".join(dict.fromkeys(names)) or _("geen")),
        )
    if len(found) > 1:
        raise TableError(
            _("heeft de vraag {name!r} in {n} enquêtes").format(name=question, n=len(found)),
            path=project.location,
            hint=_("kies er een met --survey: {names}").format(
                names=", ".join(s.name for s, _unused in found)
            ),
        )
    chosen_survey, chosen_question = found[0]
    if chosen_question.document_id is None:
        raise TableError(
            _(
                "vraag {question} van enquête {survey} heeft geen document met antwoorden meer "
                "(het is verwijderd)"
            ).format(question=chosen_question.name, survey=chosen_survey.name),
            path=project.location,
            hint=_("maak het verwijderen ongedaan, of importeer de enquête opnieuw"),
        )
    return chosen_survey, chosen_question


# -- counting ------------------------------------------------------------------------------------
def survey_table(
    project: Project,
    question: str,
    *,
    survey: str | None = None,
    by: Sequence[str] = (),
    codes: Iterable[str] | None = None,
    coders: Sequence[str] | None = None,
) -> SurveyTable:
    """The table of ``question`` per group of ``by`` (none, one attribute or two crossed).

    ``codes``: these codes as rows (a category with everything below it), zeros included;
    without, every code that some answer has, with the codes above it. ``coders``: whose
    confirmed codings (None: everyone's but the consensus layer; ``("consensus",)``: the
    settled layer alone)."""
    by = tuple(by)
    if len(by) > 2:
        raise TableError(_("een enquêtetabel is per hoogstens twee kenmerken (--by)"))
    found_survey, found_question = find_question(project, question, survey)
    document_id = found_question.document_id
    assert document_id is not None  # find_question refuses a removed document
    answers = project.survey_answers(found_survey.id, found_question.name)
    codebook = project.codebook()
    chosen = list(codes) if codes is not None else None
    for key in chosen or ():  # an unknown code: one line naming the option, first
        if codebook.get(key) is None:
            raise TableError(
                _("heeft geen code {key!r} (--code)").format(key=key),
                path=project.location,
                hint=_("zie `kwali codes`"),
            )
    group_of, columns = _groups(project, document_id, answers, by)
    coded = _answers_by_code(project, codebook, document_id, answers, coders)
    rows = _rows(codebook, coded, chosen, project)
    shown = {r.key for r in rows}
    answered = {a.case_id for a in answers if a.status == "answered"}
    with_shown = set().union(*(coded.get(k, set()) for k in shown)) if shown else set()
    with_any = set().union(*coded.values()) if coded else set()
    coded[NO_CODE] = answered - with_any
    coded[OTHER_CODES] = (with_any & answered) - with_shown
    return SurveyTable(
        survey=found_survey.name,
        question=found_question.name,
        label=found_question.label or found_question.name,
        by=by,
        rows=rows,
        columns=columns,
        coded=coded,
        group_of=group_of,
        status_of={a.case_id: a.status for a in answers},
        multiple=_multiple(codebook, coded, rows),
        coders=tuple(coders) if coders is not None else None,
    )


def _groups(
    project: Project, document_id: int, answers: Sequence[SurveyAnswer], by: tuple[str, ...]
) -> tuple[dict[int, str], list[str]]:
    """Respondent → group, and the groups in display order. An answered answer's respondent
    is whom :class:`Units` says its turn counts for; an empty or "weet niet" answer has no
    turn, so its case is read with Units' own overlay (the case's values over the
    document's)."""
    units = Units.load(project, [document_id])
    starts = {t.number: t.content_start for t in project.turns(document_id)}
    cases = {c.id: c for c in project.cases({a.case_id for a in answers})}
    base = units.document(document_id).attributes
    people: list[DocumentInfo] = []
    for answer in answers:
        start = starts.get(answer.turn_number) if answer.turn_number is not None else None
        if answer.status == "answered" and start is not None:
            attributes = dict(units.of(document_id, start).attributes)
        else:
            case = cases.get(answer.case_id)
            attributes = {**base, **(case.attributes if case else {})}
        people.append(DocumentInfo(answer.case_id, 0, answer.case_name, attributes))
    if not by:
        return {p.id: TOTAL for p in people}, []
    known = sorted({k for p in people for k in p.attributes})
    for key in by:
        if key not in known:
            raise TableError(
                _("geen respondent van deze vraag heeft het kenmerk {key!r} (--by)").format(
                    key=key
                ),
                path=project.location,
                hint=_("bekend: {known}").format(known=", ".join(known) or _("geen")),
            )
    group_of, order = crossed_groups(project, by, people)
    return group_of, order


def _answers_by_code(
    project: Project,
    codebook: Codebook,
    document_id: int,
    answers: Sequence[SurveyAnswer],
    coders: Sequence[str] | None,
) -> dict[str, set[int]]:
    """Per code (a code above another too): the answered answers a confirmed coding in scope
    overlaps. A coding over two answers counts for both; one on the label alone for none."""
    respondent = {a.turn_number: a.case_id for a in answers if a.status == "answered"}
    turns = [t for t in project.turns(document_id) if t.number in respondent]
    turns.sort(key=lambda t: t.content_start)
    starts = [t.content_start for t in turns]
    everything = [c.key for c in codebook.in_tree_order()]
    above, found = coded_rows(project, codebook, everything, coders, [document_id], False)
    coded: dict[str, set[int]] = {}
    for _unused, start, end, key in found:
        index = bisect.bisect_left(starts, end) - 1  # the last answer starting before the end
        while index >= 0 and turns[index].content_end > start:
            case = respondent[turns[index].number]
            for row in above.get(key, ()):
                coded.setdefault(row, set()).add(case)
            index -= 1
    return coded


def _rows(
    codebook: Codebook,
    coded: dict[str, set[int]],
    codes: list[str] | None,
    project: Project,
) -> list[SurveyRow]:
    if codes:
        chosen = _select_codes(codebook, codes, project.path)
    else:  # the codes some answer has; a category above one has it too
        chosen = [c for c in codebook.in_tree_order() if coded.get(c.key)]
    keys = {c.key for c in chosen}
    parents = {c.parent for c in chosen if c.parent in keys}
    return [
        SurveyRow(
            c.key,
            c.label or c.key,
            code_path(codebook, c.key),
            len(codebook.path(c.key)) - 1,
            c.key in parents or c.kind == "category",
        )
        for c in chosen
    ]


def _multiple(codebook: Codebook, coded: dict[str, set[int]], rows: Sequence[SurveyRow]) -> int:
    """Answers in two rows neither of which is above the other: those make a column add up
    to more than 100% (a code and its category are one answer counted once per level)."""
    shown = [r.key for r in rows]
    above = {key: {c.key for c in codebook.path(key)} - {key} for key in shown}
    rows_of: dict[int, set[str]] = {}
    for key in shown:
        for case in coded.get(key, ()):
            rows_of.setdefault(case, set()).add(key)
    count = 0
    for keys in rows_of.values():
        lowest = [k for k in keys if not any(k in above[other] for other in keys)]
        count += len(lowest) > 1
    return count
