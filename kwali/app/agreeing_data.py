"""What an agreement run compares: which coders, which codes, and their codings as plain rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kwali.agreement import AgreementError
from kwali.app.attribution import left_out
from kwali.app.citing import answer_reference, question_names
from kwali.app.code_names import find_key, label_of
from kwali.i18n import _
from kwali.model import Code, Codebook, Segment
from kwali.store import Project

CONSENSUS = "consensus"  # the coder layer the team's settled codings go to


@dataclass(frozen=True)
class Loaded:
    coders: tuple[str, ...]
    codes: tuple[Code, ...]
    rows: list[tuple[int, int, int, str, str]]  # document_id, start, end, code, coder
    covered: dict[str, set[int]]  # coder → documents they coded at all
    domains: dict[str, list[str]]  # category key → its mutually exclusive codes
    codebook: Codebook
    notes: tuple[str, ...] = field(default=())

    def label(self, key: str) -> str:
        return label_of(self.codebook, key)


class TooFewCoders(AgreementError):
    """Fewer than two of the coders compared coded anything: nothing to compare yet (the
    screens say so in Dutch; ``active`` are the coders who did code)."""

    def __init__(self, message: str, active: Sequence[str]) -> None:
        super().__init__(message)
        self.active = tuple(active)


def default_coders(project: Project) -> list[str]:
    """Every coder but the consensus layer."""
    return [c for c in project.coders() if c != CONSENSUS]


def _expand(codebook: Codebook, names: Sequence[str], path: str | Path | None) -> list[str]:
    """Named codes (key, label or path) in codebook order; a category brings every code
    below it."""
    wanted = {find_key(codebook, name, option="--codes", path=path) for name in names}
    return [c.key for c in codebook.codes if any(p.key in wanted for p in codebook.path(c.key))]


def load(
    project: Project, coders: Sequence[str], codes: Sequence[str], domains: Sequence[str]
) -> Loaded:
    """Coders (default: all but ``consensus``), their codings of the codes compared, and
    the domains; refuses when fewer than two of the coders coded anything."""
    chosen = list(dict.fromkeys(coders)) or default_coders(project)
    codings = project.codings(coders=chosen) if chosen else []
    covered: dict[str, set[int]] = {c: set() for c in chosen}
    for coding in codings:
        covered[coding.coder].add(coding.document_id)
    active = tuple(c for c in chosen if covered[c])
    if len(active) < 2:
        found = ", ".join(active) or _("geen")
        if coders:
            found = _("{found} (van {chosen})").format(found=found, chosen=", ".join(chosen))
        raise TooFewCoders(
            _(
                "overeenstemming vraagt minstens twee coders die codeerden; "
                "coders met coderingen: {found}"
            ).format(found=found),
            active,
        )
    notes = []
    idle = [c for c in chosen if c not in active]
    if idle:
        notes.append(
            _("Zonder coderingen, niet vergeleken: {coders}.").format(coders=", ".join(idle))
        )
    codebook = project.codebook()
    domain_codes: dict[str, list[str]] = {}
    for name in dict.fromkeys(domains):
        key = find_key(codebook, name, option="--domain", path=project.location)
        members = [c.key for c in codebook.children(key)]
        if len(members) < 2:
            raise AgreementError(
                _("domein {name!r} vraagt minstens twee codes direct eronder").format(
                    name=label_of(codebook, key)
                )
            )
        domain_codes[key] = members
    used = {c.code_key for c in codings}
    by_key = {c.key: c for c in codebook.codes}
    if codes:
        # A named category brings its codes; the category itself only if someone coded it.
        keys = [
            k
            for k in _expand(codebook, codes, project.path)
            if k in used or by_key[k].kind == "code"
        ]
    else:
        keys = [c.key for c in codebook.codes if c.key in used]
    in_domains = {k for members in domain_codes.values() for k in members}
    keys += [k for k in codebook.keys() if k in in_domains and k not in keys]
    scope = set(keys)
    rows = [
        (c.document_id, c.start, c.end, c.code_key, c.coder)
        for c in codings
        if c.code_key in scope and c.coder in active
    ]
    chosen_codes = tuple(code for code in codebook.codes if code.key in scope)  # codebook order
    return Loaded(
        active,
        chosen_codes,
        rows,
        {c: covered[c] for c in active},
        domain_codes,
        codebook,
        tuple(notes),
    )


def union_length(spans: Sequence[tuple[int, int]]) -> int:
    """Characters covered by at least one span (a coder's overlapping codings count once)."""
    total, reach = 0, -1
    for start, end in sorted(spans):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


def survey_questions(project: Project) -> set[int]:
    """The documents of survey questions; refused in one line when the project has none."""
    questions = project.survey_document_ids()
    if not questions:
        raise AgreementError(
            _(
                "--unit answer vergelijkt antwoorden op een enquête, en dit project heeft geen "
                "enquête (importeer er een met kwali import --survey)"
            )
        )
    return questions


def _kept(
    segments: list[Segment], include_interviewer: bool
) -> tuple[list[Segment], list[tuple[int, str]]]:
    """The segments that are units, and the document and reason of each one left out."""
    if include_interviewer:
        return segments, []
    reasons = left_out(segments)
    kept = [s for s, why in zip(segments, reasons, strict=True) if why is None]
    dropped = [(s.document_id, why) for s, why in zip(segments, reasons, strict=True) if why]
    return kept, dropped


def _unit_kind(unit: str) -> str:
    return "turn" if unit in ("turn", "answer") else "sentence"


def unit_selection(
    project: Project, unit: str, include_interviewer: bool = False
) -> tuple[list[Segment], list[tuple[int, str]]]:
    """The segments one unit is, in text order, and the document and reason of each one
    left out (:func:`left_out`; none with ``include_interviewer``). ``answer``: the turns of survey
    questions, each one respondent's answer (empty and "weet niet" answers are no turn, so
    no unit)."""
    if unit == "answer":
        questions = survey_questions(project)
        segments = [s for s in project.segments(kind="turn") if s.document_id in questions]
    else:
        segments = project.segments(kind=_unit_kind(unit))
    return _kept(segments, include_interviewer)


def unit_spans(
    project: Project, unit: str, include_interviewer: bool = False
) -> tuple[list[tuple[int, int, int]], list[tuple[int, str]]]:
    """:func:`unit_selection` as ``(document_id, start, end)`` rows, read one document at a
    time: a department's archive has a million sentences, and their texts all at once
    would take most of a laptop's memory."""
    documents = (
        sorted(survey_questions(project)) if unit == "answer" else sorted(project.document_ids())
    )
    spans: list[tuple[int, int, int]] = []
    dropped: list[tuple[int, str]] = []
    for document_id in documents:
        kept, left = _kept(
            project.segments(document_id, kind=_unit_kind(unit)), include_interviewer
        )
        spans += [(s.document_id, s.start, s.end) for s in kept]
        dropped += left
    return spans, dropped


def unit_segments(project: Project, unit: str, include_interviewer: bool = False) -> list[Segment]:
    """The segments one unit is (:func:`unit_selection`), without the count of the rest."""
    return unit_selection(project, unit, include_interviewer)[0]


def unit_references(project: Project, unit: str) -> Callable[[Segment], str]:
    """How a unit is cited: ``3:12.2`` (document 3, turn 12, sentence 2), ``3:12`` (a turn),
    an answer as its question and respondent (``Q7 · 1023``)."""
    numbers = {s.id: s.number for s in project.document_summaries()}
    if unit != "answer":
        return lambda segment: segment.reference(numbers[segment.document_id])
    names = question_names(project)
    return lambda segment: answer_reference(names[segment.document_id], segment.speaker or "")
