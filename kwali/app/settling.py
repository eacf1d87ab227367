"""The units coders disagree on, and settling them in the ``consensus`` layer.

:func:`disagreements` lists every unit where the coders who coded its document gave
different codes, with what the team settled so far; :func:`find_unit` finds a unit by its
reference (``3:12.2``); and :func:`settle` writes what the team agreed into the separate
coder layer ``consensus``, never touching the original layers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from kwali.agreement.units import UnitTable, unit_table
from kwali.app.agreeing_data import (
    CONSENSUS,
    load,
    survey_questions,
    unit_references,
    unit_segments,
)
from kwali.app.code_names import find_key, label_of
from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.model import Segment
from kwali.store import Project, Verb

SETTLED_MEMO = "Vastgesteld door"  # stored in the project and matched there: data, not translated

__all__ = [
    "Disagreement",
    "SettleResult",
    "disagreements",
    "find_unit",
    "settle",
]


@dataclass(frozen=True)
class Disagreement:
    """A unit the coders coded differently, with each coder's codes (codebook order)."""

    segment: Segment
    reference: str
    codes: Mapping[str, tuple[str, ...]]  # coders who coded this document
    consensus: tuple[str, ...] | None  # what was settled, None when not yet
    labels: Mapping[str, str] = field(default_factory=dict, repr=False)  # key → label

    @property
    def text(self) -> str:
        return self.segment.text

    def named(self, keys: Sequence[str]) -> list[str]:
        """``keys`` as a reader sees them: their labels (a key without one as it is)."""
        return [self.labels.get(k) or k for k in keys]


@dataclass(frozen=True)
class SettleResult:
    added: tuple[str, ...]
    removed: tuple[str, ...]


def _consensus_table(project: Project, segments: list[Segment], keys: list[str]) -> UnitTable:
    rows = [
        (c.document_id, c.start, c.end, c.code_key, c.coder)
        for c in project.codings(coder=CONSENSUS)
    ]
    units = [(s.document_id, s.start, s.end) for s in segments]
    everything = {CONSENSUS: {s.document_id for s in segments}}
    return unit_table(units, rows, [CONSENSUS], keys, covered=everything)


def disagreements(
    project: Project,
    coders: Sequence[str] = (),
    unit: str = "sentence",
    codes: Sequence[str] = (),
    *,
    include_interviewer: bool = False,
) -> list[Disagreement]:
    """Every unit where the coders who coded its document gave different codes.

    The units are those the figures count (``agreeing_data.unit_selection``): without the
    interviewer's turns and the headers unless ``include_interviewer``.

    The ``char`` unit is listed per sentence: settling works on whole units. An ``answer``
    is cited by its question and respondent (``Q7 · 1023``).
    """
    if unit == "answer":
        survey_questions(project)
    loaded = load(project, coders, codes, ())
    keys = [code.key for code in loaded.codes]
    segments = sorted(
        unit_segments(project, unit, include_interviewer), key=lambda s: (s.document_id, s.start)
    )
    table = unit_table(
        [(s.document_id, s.start, s.end) for s in segments],
        loaded.rows,
        loaded.coders,
        keys,
        covered=loaded.covered,
    )
    differing = np.flatnonzero(table.differing())
    if not len(differing):
        return []
    every = list(loaded.codebook.keys())  # the team may settle on a code no coder used
    agreed = _consensus_table(project, segments, every)
    settled = {
        m.target_id
        for m in project.memos("segment", coder=CONSENSUS)
        if m.text.startswith(SETTLED_MEMO)
    }
    reference = unit_references(project, unit)
    labels = loaded.codebook.labels()  # one mapping, shared by every item
    result = []
    for u in differing.tolist():
        segment = segments[u]
        per_coder = {
            coder: tuple(k for j, k in enumerate(keys) if table.present[j, i, u])
            for i, coder in enumerate(loaded.coders)
            if table.covered[i, u]
        }
        chosen = tuple(k for j, k in enumerate(every) if agreed.present[j, 0, u])
        done = chosen if chosen or segment.id in settled else None
        result.append(Disagreement(segment, reference(segment), per_coder, done, labels))
    return result


def find_unit(project: Project, reference: str, unit: str = "sentence") -> Segment:
    """The segment cited as ``3:12.2`` (document 3, turn 12, sentence 2), ``3:12`` (a turn)
    or, for a survey answer, ``Q7 · 1023`` or ``Q7:1023`` (question and respondent)."""
    answer = _find_answer(project, reference)
    if answer is not None:
        return answer
    number, _unused, rest = reference.partition(":")
    turn, _unused, sentence = rest.partition(".")
    try:
        doc_number, turn_number = int(number), int(turn)
        sentence_number = int(sentence) if sentence else None
    except ValueError:
        raise ProjectError(
            _("{reference!r} is geen verwijzing naar een eenheid zoals 3:12.2 of 3:12").format(
                reference=reference
            )
        ) from None
    document = project.document(str(doc_number))
    if document is None or document.number != doc_number:
        raise ProjectError(
            _("heeft geen document met nummer {number}").format(number=doc_number),
            path=project.location,
        )
    kind = "turn" if sentence_number is None else "sentence"
    for segment in project.segments(document.id, kind=kind):
        if segment.turn_number == turn_number and (
            sentence_number is None or segment.sentence_number == sentence_number
        ):
            return segment
    raise ProjectError(
        _("heeft geen eenheid {reference}").format(reference=reference), path=project.location
    )


def _find_answer(project: Project, reference: str) -> Segment | None:
    """The answer ``Q7 · 1023`` names; None when the reference is not a question's."""
    question, sep, respondent = reference.partition("·")
    if not sep:
        question, sep, respondent = reference.partition(":")
    question, respondent = question.strip(), respondent.strip()
    if not sep or question.isdigit():
        return None
    found = [
        q.document_id
        for survey in project.surveys()
        for q in survey.questions
        if q.name == question and q.document_id is not None
    ]
    if not found:
        return None
    for document_id in found:
        for segment in project.segments(document_id, kind="turn"):
            if segment.speaker == respondent:
                return segment
    raise ProjectError(
        _("vraag {question} heeft geen antwoord van respondent {respondent!r}").format(
            question=question, respondent=respondent
        ),
        path=project.location,
    )


def settle(
    project: Project,
    segment: Segment | str,
    code_keys: Sequence[str],
    settled_by: str,
    *,
    codes: Sequence[str] | None = None,
) -> SettleResult:
    """Make the consensus layer give ``segment`` exactly ``code_keys`` (each a code's key,
    label or path; of ``codes``, the codes under review; default all), as one undoable
    action of ``settled_by``.

    Consensus codings of other codes in scope are taken off this unit only: one that runs
    on into neighbouring units keeps its parts outside it. The original layers are not
    touched. A segment memo of the consensus layer records who settled it, so a unit
    settled as "no code" is not shown as open again.
    """
    if isinstance(segment, str):
        found = project.segment(segment)
        if found is None:
            raise ProjectError(
                _("heeft geen eenheid {reference!r}").format(reference=segment),
                path=project.location,
            )
        segment = found
    if not settled_by or settled_by == CONSENSUS:
        raise ProjectError(_("vaststellen vraagt de naam van wie vaststelt, niet 'consensus'"))
    codebook = project.codebook()
    chosen = list(
        dict.fromkeys(
            find_key(codebook, name, option="--code", path=project.location) for name in code_keys
        )
    )
    scope = set(codes) if codes else set(project.codebook().keys())
    scope |= set(chosen)
    added, removed = [], []
    start, end = segment.start, segment.end
    with project.action(settled_by, Verb.SETTLE, segment.id):
        have = set()
        for coding in project.codings(
            document_id=segment.document_id, coder=CONSENSUS, start=start, end=end
        ):
            if coding.code_key in chosen:
                if coding.start <= start and coding.end >= end:
                    have.add(coding.code_key)
                continue
            if coding.code_key not in scope:
                continue
            project.remove_coding(coding.id, settled_by)
            removed.append(coding.code_key)
            for s, e in ((coding.start, start), (end, coding.end)):
                if s < e:
                    project.add_coding(
                        coding.document_id, s, e, coding.code_key, CONSENSUS, memo=coding.memo
                    )
        for key in chosen:
            if key not in have:
                project.add_coding(
                    segment.document_id,
                    start,
                    end,
                    key,
                    CONSENSUS,
                    memo=f"{SETTLED_MEMO.lower()} {settled_by}",
                )
                added.append(key)
        named = ", ".join(label_of(codebook, k) for k in chosen)
        text = f"{SETTLED_MEMO} {settled_by}: {named or 'geen code'}"  # stored: see SETTLED_MEMO
        memo = next(
            (
                m
                for m in project.memos("segment", segment.id, coder=CONSENSUS)
                if m.text.startswith(SETTLED_MEMO)
            ),
            None,
        )
        if memo is None:
            project.add_memo("segment", segment.id, text, CONSENSUS)
        else:
            project.update_memo(memo.id, text, settled_by)
    return SettleResult(tuple(added), tuple(removed))
