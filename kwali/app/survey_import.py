"""Import a survey (.csv, .xlsx, .sav) into a project: respondents as cases, closed answers
as their typed attributes, each open question as one document of answers.

A question's document holds its answered answers in file order, one turn each, laid out as
``<id>: <answer>`` with a blank line between; the turn's speaker is the respondent's id, linked
to the respondent's case. Empty answers and "weet niet" (see :data:`WEET_NIET`) are no turn:
they are kept in ``survey_answers`` with their status and text, so they are counted, never
dropped. Everything is checked before anything is written; the import is one action, so a
refused file changes nothing.

Importing the same file again (same bytes) changes nothing. A newer version of the survey (same
survey name: the file's stem, or ``survey_name``) updates the case attributes that changed and
appends the answers of NEW respondents to the question documents through the replace path
(:mod:`kwali.app.replacing`): the old text is a prefix of the new one, so every coding keeps
its document, start, end and text. An existing respondent's answer that differs in the new
file is kept as it was and reported (how many, and the first ids), never silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.app.backups import rolling_backup
from kwali.app.importing import segment_many
from kwali.app.storing import next_document_id, store_transcript
from kwali.errors import InputError, ProjectError
from kwali.i18n import _, ngettext
from kwali.io.survey import SURVEY_SUFFIXES, SurveyColumn, SurveyTable, file_sha256, read_survey
from kwali.model import Document, Transcript, Turn
from kwali.store import Project, Verb, content_hash
from kwali.store.attribute_types import TYPE_WORDS, BadValue, canonical
from kwali.store.groups import Group
from kwali.store.surveys import AnswerStatus, Survey

if TYPE_CHECKING:
    from spacy.language import Language

WEET_NIET = frozenset(
    {
        "weet niet",
        "weet ik niet",
        "weet het niet",
        "ik weet het niet",
        "ik weet niet",
        "weet niet geen antwoord",
        "weetniet",
        "wn",
        "geen idee",
    }
)
"""Answers that are "weet niet", compared casefolded, without punctuation and with single
spaces (so ``Weet ik niet.``, ``WN`` and ``w.n.`` are too). An answer without a letter or
digit (``-``, ``.``, ``?``) counts as empty."""

FORMAT = "survey"
ROLE = "respondent"
SHOWN_IDS = 5  # ids named in a warning or error before "..."


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """One open question after the import: its counts over all respondents."""

    name: str
    label: str
    document: Document | None
    answered: int
    empty: int
    weet_niet: int
    added: int  # answers this import added (all of them on a first import)


@dataclass(frozen=True, slots=True)
class SurveyImportResult:
    """What an import did (or, for a file imported before, that it did nothing)."""

    path: Path
    survey: Survey
    created: bool  # a new survey (else an update, or nothing)
    unchanged: bool  # the same file was imported before: nothing changed
    respondents: int
    questions: tuple[QuestionResult, ...] = ()
    cases_made: int = 0
    cases_updated: int = 0
    attribute_types: Mapping[str, str] = field(default_factory=dict)
    changed_answers: tuple[str, ...] = ()  # ids whose answer differs in the file: kept as was
    warnings: tuple[str, ...] = ()


def answer_status(text: str) -> AnswerStatus:
    """``answered``, ``empty`` or ``weet_niet`` (see :data:`WEET_NIET`)."""
    plain = " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
    if not plain:
        return "empty"
    if plain in WEET_NIET or plain.replace(" ", "") in WEET_NIET:
        return "weet_niet"
    return "answered"


def _names(items: Sequence[str]) -> str:
    shown = ", ".join(items[:SHOWN_IDS])
    if len(items) <= SHOWN_IDS:
        return shown
    return _("{shown} en nog {n}").format(shown=shown, n=len(items) - SHOWN_IDS)


def split_columns(text: str | Sequence[str] | None) -> list[str]:
    """``Q7,Q9`` (or a list of such) as column names, in order, each once."""
    if text is None:
        return []
    parts = [text] if isinstance(text, str) else list(text)
    names = [n.strip() for part in parts for n in part.split(",")]
    return list(dict.fromkeys(n for n in names if n))


@dataclass(frozen=True, slots=True)
class _Plan:
    """The checked file: what the import is to write."""

    table: SurveyTable
    name: str
    id_column: str
    ids: list[str]
    questions: list[str]
    attributes: dict[str, str]  # key -> type
    values: dict[str, dict[str, str]]  # id -> key -> stored value
    notes: list[str]  # warnings about the attributes' types


def _plan(
    project: Project,
    path: Path,
    table: SurveyTable,
    id_column: str,
    questions: Sequence[str],
    attributes: Sequence[str] | None,
    all_other_columns: bool,
    survey_name: str | None,
) -> _Plan:
    known = table.names
    hint = _("kolommen: {columns}").format(
        columns=", ".join(known[:30]) + (" ..." if len(known) > 30 else "")
    )
    if id_column not in known:
        raise InputError(
            _("heeft geen id-kolom {name!r}").format(name=id_column), path=path, hint=hint
        )
    if not questions:
        raise InputError(_("geen open vraag gegeven (--text)"), path=path, hint=hint)
    for kind, names in (("question", questions), ("attribute", attributes or ())):
        unknown = [n for n in names if n not in known]
        if unknown:
            names_ = ", ".join(map(repr, unknown))
            message = (
                ngettext(
                    "heeft geen vraagkolom {names}",
                    "heeft geen vraagkolommen {names}",
                    len(unknown),
                )
                if kind == "question"
                else ngettext(
                    "heeft geen kenmerkkolom {names}",
                    "heeft geen kenmerkkolommen {names}",
                    len(unknown),
                )
            )
            raise InputError(message.format(names=names_), path=path, hint=hint)
    if id_column in questions:
        raise InputError(
            _("{name!r} is de id-kolom, geen open vraag").format(name=id_column), path=path
        )
    both = [n for n in attributes or () if n in questions or n == id_column]
    if both:
        raise InputError(
            _(
                "{names}: een kolom is een open vraag, de id of een kenmerk, niet twee daarvan"
            ).format(names=", ".join(map(repr, both))),
            path=path,
        )
    ids = table.values(id_column)
    missing = [str(i + 2) for i, v in enumerate(ids) if not v.strip()]
    if missing:
        raise InputError(
            _("rijen zonder id ({column}): {rows}").format(column=id_column, rows=_names(missing)),
            path=path,
        )
    ids = [v.strip() for v in ids]
    seen: set[str] = set()
    twice = [v for v in ids if v in seen or seen.add(v)]  # type: ignore[func-returns-value]
    if twice:
        twice = list(dict.fromkeys(twice))
        raise InputError(
            ngettext(
                "heeft {n} dubbele id in {column}: {ids}",
                "heeft {n} dubbele id's in {column}: {ids}",
                len(twice),
            ).format(n=len(twice), column=id_column, ids=_names(twice)),
            path=path,
        )
    if all_other_columns:
        attributes = [n for n in known if n != id_column and n not in questions]
    types, values, notes = _attribute_values(project, path, table, ids, list(attributes or ()))
    return _Plan(
        table,
        (survey_name or path.stem).strip() or path.stem,
        id_column,
        ids,
        list(questions),
        types,
        values,
        notes,
    )


def _label_order(column: SurveyColumn) -> list[str]:
    """An SPSS variable's value labels in the order of their codes (1 Prestatie010, 2
    Meedoen010): the order its groups are shown in tables. Empty without labels."""

    def code(value: str) -> tuple[int, float, str]:
        try:
            return (0, float(value), "")
        except ValueError:
            return (1, 0.0, value)

    return [column.value_labels[k] for k in sorted(column.value_labels, key=code)]


def _attribute_values(
    project: Project, path: Path, table: SurveyTable, ids: list[str], keys: list[str]
) -> tuple[dict[str, str], dict[str, dict[str, str]], list[str]]:
    """Each key's type and every respondent's stored value. A key the project knows keeps its
    type (the one registry); a new key is a number or date when its column is one. SPSS value
    labels are the values (text)."""
    registry = project.attribute_types()
    used = set(project.attribute_keys()) | set(project.case_attribute_keys()) | set(registry)
    types: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {i: {} for i in ids}
    notes: list[str] = []
    for key in keys:
        column = table.column(key)
        kind = "text" if column.value_labels else column.kind
        chosen = registry.get(key, "text") if key in used else kind
        cells = table.values(key)
        stored: list[str] = []
        for respondent, value in zip(ids, cells, strict=True):
            try:
                stored.append(canonical(key, value, chosen))
            except BadValue as exc:
                if key in used:
                    raise InputError(
                        _(
                            "respondent {respondent}: {why}; {key!r} is een {type} in dit project"
                        ).format(
                            respondent=respondent,
                            why=exc,
                            key=key,
                            type=TYPE_WORDS.get(chosen, chosen),
                        ),
                        path=path,
                    ) from exc
                chosen, stored = "text", [v.strip() for v in cells]  # a column of mixed values
                break
        if chosen == "text" and kind != "text":
            word = TYPE_WORDS.get(kind, kind)
            note = (
                _("{key!r} bevat waarden van het type {type} maar blijft tekst in dit project")
                if key in used
                else _(
                    "{key!r} bevat waarden van het type {type} maar blijft tekst in dit bestand "
                    "(niet elke waarde is er een)"
                )
            )
            notes.append(note.format(key=key, type=word))
        types[key] = chosen
        for respondent, value in zip(ids, stored, strict=True):
            if value:
                values[respondent][key] = value
    return types, values, notes


def _layout(pairs: Sequence[tuple[str, str]], start: int, first: int) -> tuple[str, list[Turn]]:
    """``<id>: <answer>`` turns separated by blank lines, the first at ``start`` (after a
    blank line when ``start`` > 0), numbered from ``first``."""
    pieces: list[str] = []
    turns: list[Turn] = []
    position = start
    for number, (respondent, answer) in enumerate(pairs, first):
        if position > 0:
            pieces.append("\n\n")
            position += 2
        label = f"{respondent}: "
        text = answer.replace("\r\n", "\n").replace("\r", "\n").strip()
        begin, content = position, position + len(label)
        pieces.append(label + text)
        position = content + len(text)
        turns.append(Turn(number, begin, position, content, position, respondent, ROLE))
    return "".join(pieces), turns


def _question_label(table: SurveyTable, name: str) -> str:
    label = table.column(name).label
    return label if label != name else ""


def _document_name(survey: str, question: str) -> str:
    return f"{survey} · {question}"


def import_survey(
    project: Project,
    path: Path,
    *,
    id_column: str,
    questions: Sequence[str],
    attributes: Sequence[str] | None = None,
    all_other_columns: bool = False,
    survey_name: str | None = None,
    encoding: str | None = None,
    model: str | None = None,
    nlp: Language | None = None,
    coder: str = "kwali",
) -> SurveyImportResult:
    """Import the survey in ``path`` (see the module). ``questions``: the open questions'
    columns; ``attributes``: the closed ones that become case attributes (or
    ``all_other_columns``). Bad input raises a one-line :class:`~kwali.errors.InputError`
    naming the file, and nothing changes."""
    path = Path(path)
    questions = split_columns(questions)
    attributes = split_columns(attributes) if attributes is not None else None
    if attributes and all_other_columns:
        raise InputError(
            _("kies de kenmerkkolommen of alle andere kolommen, niet beide"), path=path
        )
    same = (
        project.survey_with_sha(file_sha256(path))
        if path.suffix.lower() in SURVEY_SUFFIXES
        else None
    )
    if same is not None:  # recognised before it is parsed again
        return _unchanged(project, path, same)
    table = read_survey(path, encoding)
    plan = _plan(
        project, path, table, id_column, questions, attributes, all_other_columns, survey_name
    )
    existing = project.survey_named(plan.name)
    if existing is not None and existing.name != plan.name:
        existing = None  # survey_named also matches a source file name: only the name counts
    if existing is not None and existing.id_column != id_column:
        raise InputError(
            _("enquête {name!r} heeft id-kolom {have!r}, niet {given!r}").format(
                name=existing.name, have=existing.id_column, given=id_column
            ),
            path=path,
            hint=_("geef --survey-name om hem als een andere enquête te importeren"),
        )
    return _write(project, path, plan, existing, model, nlp, coder)


def _unchanged(project: Project, path: Path, survey: Survey) -> SurveyImportResult:
    return SurveyImportResult(
        path,
        survey,
        created=False,
        unchanged=True,
        respondents=sum(project.survey_status_counts(survey.id, survey.questions[0].name).values())
        if survey.questions
        else 0,
        questions=_results(project, survey, {}),
    )


def _results(
    project: Project, survey: Survey, added: Mapping[str, int]
) -> tuple[QuestionResult, ...]:
    found = []
    for question in survey.questions:
        counts = project.survey_status_counts(survey.id, question.name)
        document = (
            project.document(question.document_id) if question.document_id is not None else None
        )
        found.append(
            QuestionResult(
                question.name,
                question.label,
                document,
                counts["answered"],
                counts["empty"],
                counts["weet_niet"],
                added.get(question.name, 0),
            )
        )
    return tuple(found)


@dataclass
class _QuestionWork:
    """What the write does for one question."""

    name: str
    label: str
    position: int
    answers: list[tuple[str, AnswerStatus, str, int | None]]  # id, status, text, turn
    document: Document | None = None  # the question's document before the import
    transcript: Transcript | None = None  # its new text (a new or longer document)
    segments: list = field(default_factory=list)
    replacement: object = None  # a planned replace (an appended document)


def _write(
    project: Project,
    path: Path,
    plan: _Plan,
    existing: Survey | None,
    model: str | None,
    nlp: Language | None,
    coder: str,
) -> SurveyImportResult:
    table = plan.table
    old_questions = {q.name: q for q in existing.questions} if existing else {}
    positions = [q.position for q in old_questions.values()]
    next_position = max(positions, default=-1) + 1
    warnings: list[str] = list(plan.notes)
    changed_answers: list[str] = []
    works: list[_QuestionWork] = []
    for name in plan.questions:
        old = old_questions.get(name)
        before = (
            {a.case_name: a for a in project.survey_answers(existing.id, name)}
            if existing is not None and old is not None
            else {}
        )
        document = (
            project.document(old.document_id)
            if old is not None and old.document_id is not None
            else None
        )
        turns = project.turns(document.id) if document is not None else []
        answers: list[tuple[str, AnswerStatus, str, int | None]] = []
        new_pairs: list[tuple[str, str]] = []
        for respondent, text in zip(plan.ids, table.values(name), strict=True):
            text = text.strip()
            status = answer_status(text)
            if respondent in before:
                had = before[respondent]
                if (had.status, had.text) != (status, text) and respondent not in changed_answers:
                    changed_answers.append(respondent)
                continue
            answers.append((respondent, status, text, None))
            if status == "answered":
                new_pairs.append((respondent, text))
        work = _QuestionWork(
            name,
            _question_label(table, name),
            old.position if old is not None else next_position,
            answers,
            document,
        )
        if old is None:
            next_position += 1
        if new_pairs:
            start = len(document.text) if document is not None else 0
            first = (turns[-1].number + 1) if turns else 1
            added_text, added_turns = _layout(new_pairs, start, first)
            numbers = {t.speaker: t.number for t in added_turns}
            work.answers = [
                (r, s, t, numbers.get(r) if s == "answered" else None)
                for r, s, t, _unused in answers
            ]
            old_text = document.text if document is not None else ""
            source = document.source_name if document is not None else f"{path.name}#{name}"
            work.transcript = Transcript(
                old_text + added_text, (*turns, *added_turns), source, FORMAT
            )
        works.append(work)
    if existing is not None and existing.questions:
        question = existing.questions[0].name
        listed = set(plan.ids)
        gone = sorted({a.case_name for a in project.survey_answers(existing.id, question)} - listed)
        if gone:
            warnings.append(
                ngettext(
                    "{n} respondent van de enquête staat niet in dit bestand: {ids}; "
                    "de antwoorden en kenmerken zijn gehouden",
                    "{n} respondenten van de enquête staan niet in dit bestand: {ids}; "
                    "hun antwoorden en kenmerken zijn gehouden",
                    len(gone),
                ).format(n=len(gone), ids=_names(gone))
            )
    if changed_answers:
        warnings.append(
            ngettext(
                "{n} respondent antwoordde in dit bestand anders dan in het project: {ids}; "
                "het antwoord in het project is gehouden",
                "{n} respondenten antwoordden in dit bestand anders dan in het project: {ids}; "
                "hun antwoorden in het project zijn gehouden",
                len(changed_answers),
            ).format(n=len(changed_answers), ids=_names(changed_answers))
        )
    if existing is None:
        cases = {c.name for c in project.cases()}
        joined = [i for i in plan.ids if i in cases]
        if joined:
            warnings.append(
                ngettext(
                    "{n} id is al een case in het project: {ids}; de antwoorden en kenmerken "
                    "komen bij die case",
                    "{n} id's zijn al cases in het project: {ids}; hun antwoorden en kenmerken "
                    "komen bij die cases",
                    len(joined),
                ).format(n=len(joined), ids=_names(joined))
            )
    nlp = _segment(project, works, nlp, model)
    rolling_backup(project, "survey")
    return _store(project, path, plan, existing, works, nlp, coder, warnings, changed_answers)


def _segment(
    project: Project, works: list[_QuestionWork], nlp: Language | None, model: str | None
) -> Language | None:
    """Segment the new documents and plan the longer ones BEFORE the write transaction: the
    write lock is held for the inserts only (as kwali.app.importing does)."""
    todo = [w for w in works if w.transcript is not None]
    if not todo:
        return nlp
    if nlp is None:
        from kwali.nlp import make_nlp

        nlp = make_nlp(model)
    guess = next_document_id(project)
    fresh = [w for w in todo if w.document is None]
    jobs = []
    for offset, work in enumerate(fresh):
        assert work.transcript is not None
        sha = content_hash(work.transcript.text)
        jobs.append((work.transcript.text, work.transcript.turns, guess + offset, sha[:12]))
    for work, segments in zip(fresh, segment_many(nlp, jobs), strict=True):
        work.segments = segments
    for work in todo:
        if work.document is not None:
            work.replacement = _plan_append(project, work, nlp)
    return nlp


def _plan_append(project: Project, work: _QuestionWork, nlp: Language) -> object:
    """The replace of a question's document by its longer text. The old text is a prefix of
    the new one, so every coding must stay exactly where it is: anything else is refused."""
    from kwali.app.replacing import plan_replacement

    assert work.document is not None and work.transcript is not None
    replacement, report = plan_replacement(project, work.document, work.transcript, nlp)
    moved = [c for c in report.carried if c.placement != "exact"]
    if moved:
        raise ProjectError(
            ngettext(
                "antwoorden toevoegen aan {name} zou {n} codering of memo verplaatsen; "
                "er is niets veranderd",
                "antwoorden toevoegen aan {name} zou {n} coderingen of memo's verplaatsen; "
                "er is niets veranderd",
                len(moved),
            ).format(name=work.document.name, n=len(moved)),
            path=project.location,
        )
    return replacement


def _store(
    project: Project,
    path: Path,
    plan: _Plan,
    existing: Survey | None,
    works: list[_QuestionWork],
    nlp: Language | None,
    coder: str,
    warnings: list[str],
    changed_answers: list[str],
) -> SurveyImportResult:
    from kwali.nlp.pipeline import pipeline_name

    registry = project.attribute_types()
    made = updated = 0
    verb = Verb.UPDATE_SURVEY if existing else Verb.IMPORT_SURVEY
    with project.action(coder, verb, path.name, undoable=False):
        if existing is None:
            survey_id = project._put_survey(plan.name, path.name, plan.table.sha256, plan.id_column)
        else:
            survey_id = existing.id
            project._update_survey(survey_id, path.name, plan.table.sha256)
        for key, type_ in plan.attributes.items():
            if type_ != "text" and registry.get(key) != type_:
                project.set_attribute_type(key, type_, coder)  # a new key: joins this action
        project._put_attribute_orders(
            {key: _label_order(plan.table.column(key)) for key in plan.attributes}
        )
        case_ids: dict[str, int] = {}
        before = {c.name for c in project.cases()}
        for respondent in plan.ids:
            case_ids[respondent] = project._ensure_case(respondent)
            changed = project._put_case_attributes(case_ids[respondent], plan.values[respondent])
            if respondent not in before:
                made += 1
            elif changed:
                updated += 1
        documents: list[int] = []
        for work in works:
            document_id = work.document.id if work.document is not None else None
            if work.transcript is not None and work.document is None:
                document, created = store_transcript(
                    project,
                    work.transcript,
                    work.segments,
                    segmenter=pipeline_name(nlp) if nlp is not None else "",
                    name=_document_name(plan.name, work.name),
                    coder=coder,
                )
                if not created:
                    raise InputError(
                        _(
                            "de antwoorden op {question} zijn al de tekst van document "
                            "{number} ({name}); er is niets veranderd"
                        ).format(question=work.name, number=document.number, name=document.name),
                        path=path,
                    )
                document_id = document.id
            elif work.replacement is not None:
                project.replace_document_text(work.replacement, coder)  # type: ignore[arg-type]
            project._put_survey_question(
                survey_id, work.name, work.label, document_id, work.position
            )
            for respondent, status, text, turn in work.answers:
                project._put_survey_answer(
                    survey_id, work.name, case_ids[respondent], status, text, turn
                )
                if turn is not None and document_id is not None:
                    project._link_speaker(document_id, respondent, case_ids[respondent])
            if document_id is not None:
                documents.append(document_id)
        if documents:
            project.import_groups(
                [Group("document", plan.name, "", tuple(documents))], [], coder, path.name
            )
    survey = project.survey_named(plan.name)
    assert survey is not None
    added = {w.name: sum(1 for a in w.answers if a[1] == "answered") for w in works}
    return SurveyImportResult(
        path,
        survey,
        created=existing is None,
        unchanged=False,
        respondents=len(plan.ids),
        questions=_results(project, survey, added),
        cases_made=made,
        cases_updated=updated,
        attribute_types=dict(plan.attributes),
        changed_answers=tuple(changed_answers),
        warnings=tuple(warnings),
    )
