"""The framework matrix (NVivo) or summary grid (MAXQDA): units × codes, per cell the quotes
and the coders' summaries.

Rows are units as kwali.app.units counts them: every case, then each document for what no
case covers (a document without linked speakers, or one whose unlinked speakers said
something coded or summarised). Columns are the chosen codes; by default the codebook's
top-level codes in tree order: its themes when the codebook has categories, every code when
it is flat. A cell of a category holds the quotes of the category and of every code below it.

A quote is a confirmed coded span (each span once, however many coders or codes below the
column mark it) counted for the unit its start falls in (``Units.of``). Codings of the
consensus layer are left out unless asked for, as in the tables. With ``coders`` (blind
mode: the coder alone) only those coders' codings and summaries are in the grid.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kwali.app.attribution import attribution
from kwali.app.code_names import code_key
from kwali.app.units import Counted, Unit, Units, counted_kind, counted_words
from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.model import Code, Codebook
from kwali.store import Project
from kwali.store.summaries import Summary

CONSENSUS = "consensus"  # the settled layer (kwali.app.agreeing_data): a copy, not a coder


@dataclass(frozen=True, slots=True)
class FrameworkQuote:
    """One coded span in a cell: where it is (``3:2.1``), who said it, the text."""

    document_id: int
    document_number: int
    document_name: str
    start: int
    end: int
    reference: str
    speaker: str  # the turn's speaker label ("Coach A"), "" without one
    said_by: str  # role and gender as the study attributes quotes ("coach, vrouw")
    codes: tuple[str, ...]  # the codes of this column on the span (the column or below it)
    coders: tuple[str, ...]
    text: str

    @property
    def who(self) -> str:
        """The speaker and their attribution, as a reader wants it next to the quote."""
        return " · ".join(p for p in (self.speaker, self.said_by) if p)

    @property
    def respondent(self) -> str:  # as kwali.analysis's Quotation names it (the quotes screen)
        return self.who


@dataclass(frozen=True, slots=True)
class Cell:
    unit: Unit
    code: Code
    quotes: tuple[FrameworkQuote, ...] = ()
    summaries: tuple[Summary, ...] = ()  # one per coder, by coder

    def summary_of(self, coder: str) -> Summary | None:
        return next((s for s in self.summaries if s.coder == coder), None)


@dataclass(frozen=True)
class Framework:
    units: list[Unit]
    codes: list[Code]
    coders: tuple[str, ...] | None  # None: every coder (but the consensus layer's codings)
    cells: dict[tuple[tuple[str, int], str], Cell] = field(default_factory=dict)

    def cell(self, unit: Unit, code_key: str) -> Cell:
        found = self.cells.get((unit.key, code_key))
        if found is not None:
            return found
        code = next(c for c in self.codes if c.key == code_key)
        return Cell(unit, code)

    @property
    def counted_kind(self) -> Counted:
        """What the rows are, as a code (``documents``, ``cases`` or ``mixed``)."""
        return counted_kind(u.kind for u in self.units)

    @property
    def counted_as(self) -> str:
        """What the rows are, in words ("cases", "documenten", or both)."""
        return counted_words(self.counted_kind)

    def quote_count(self, unit: Unit, code_key: str) -> int:
        return len(self.cell(unit, code_key).quotes)


def default_codes(codebook: Codebook) -> list[Code]:
    """The columns when none are chosen: the top-level codes, in tree order."""
    return [
        c for c in codebook.in_tree_order() if c.parent is None or codebook.get(c.parent) is None
    ]


def find_code(project: Project, name: str) -> Code:
    """A code by its key or label (any case); one line naming the project if there is none."""
    code = project.codebook().get(code_key(project, name))  # the one rule: kwali.app.code_names
    assert code is not None  # code_key names only codes the codebook has
    return code


def find_unit(project: Project, name: str) -> Unit:
    """A unit as a person names it: a case's name, or ``document:N`` (a document's number
    or name); one line naming the project if there is none."""
    kind, sep, ref = name.strip().partition(":")
    if sep and kind.strip().casefold() in ("document", "doc", "documents"):
        document = project.document(ref.strip())
        if document is None:
            raise ProjectError(
                _("heeft geen document {ref!r}").format(ref=ref.strip()), path=project.location
            )
        return Unit("document", document.id, document.name, dict(document.attributes))
    case = project.case_named(name.strip())
    if case is None:
        raise ProjectError(
            _("heeft geen case {name!r}").format(name=name.strip()),
            path=project.location,
            hint=_('noem een case, of een document als "document:3"'),
        )
    return Unit("case", case.id, case.name, dict(case.attributes))


def _descendants(codebook: Codebook, key: str) -> set[str]:
    found, stack = {key}, [key]
    while stack:
        for child in codebook.children(stack.pop()):
            if child.key not in found:
                found.add(child.key)
                stack.append(child.key)
    return found


class _Places:
    """References and speakers of spans in one document (its sentences and turns, read once)."""

    def __init__(self, project: Project, document_id: int) -> None:
        # Positions only: project.segments() cuts every sentence's text out of the document,
        # which took 1.8 s for a survey question of 5,000 answers.
        self.sentences = project.db.execute(
            'SELECT start, "end", turn_number, sentence_number FROM segments '
            "WHERE document_id = ? AND kind = 'sentence' ORDER BY start",
            (document_id,),
        ).fetchall()
        self.starts = [s[0] for s in self.sentences]
        self.turns = project.turns(document_id)
        self.turn_starts = [t.start for t in self.turns]

    def reference(self, number: int, start: int, end: int) -> str:
        """``3:2.1``: the first sentence the span touches, as the query's references are."""
        i = bisect.bisect_right(self.starts, start) - 1
        for j in (i, i + 1):
            if 0 <= j < len(self.sentences):
                s_start, s_end, turn, sentence = self.sentences[j]
                if s_end > start and s_start < end:
                    return f"{number}:{turn}.{sentence}"
        return str(number)

    def turn(self, start: int):  # noqa: ANN201 - a Turn or None
        i = bisect.bisect_right(self.turn_starts, start) - 1
        return self.turns[i] if i >= 0 else None


def framework(
    project: Project,
    codes: Sequence[str] | None = None,
    coders: Iterable[str] | None = None,
    *,
    consensus: bool = False,
) -> Framework:
    """The grid: ``codes`` (keys or labels; default :func:`default_codes`) as columns, the
    units as rows; only ``coders``' codings and summaries when given (blind mode)."""
    codebook = project.codebook()
    columns = (
        list(dict.fromkeys(find_code(project, c) for c in codes))
        if codes
        else default_codes(codebook)
    )
    chosen = None if coders is None else tuple(dict.fromkeys(coders))
    column_of: dict[str, list[str]] = {}  # code key -> the columns it counts in
    for column in columns:
        for key in _descendants(codebook, column.key):
            column_of.setdefault(key, []).append(column.key)

    units = Units.load(project)
    codings = [
        c
        for c in project.codings(coders=chosen)
        if c.code_key in column_of and (consensus or chosen is not None or c.coder != CONSENSUS)
    ]
    # Each span once per column, with the codes and coders on it.
    spans: dict[tuple[str, int, int, int], tuple[set[str], set[str]]] = {}
    for c in codings:
        for column_key in column_of[c.code_key]:
            on = spans.setdefault((column_key, c.document_id, c.start, c.end), (set(), set()))
            on[0].add(c.code_key)
            on[1].add(c.coder)

    documents = {d.id: d for d in project.document_summaries()}
    places: dict[int, _Places] = {}
    texts: dict[int, str] = {}
    order = {c.key: i for i, c in enumerate(codebook.in_tree_order())}
    quotes: dict[tuple[tuple[str, int], str], list[FrameworkQuote]] = {}
    for (column_key, doc_id, start, end), (on_codes, on_coders) in sorted(
        spans.items(), key=lambda item: (documents[item[0][1]].number, item[0][2], item[0][3])
    ):
        if doc_id not in places:
            places[doc_id] = _Places(project, doc_id)
            texts[doc_id] = project.require_document(doc_id).text
        place, info = places[doc_id], documents[doc_id]
        turn = place.turn(start)
        unit = units.of(doc_id, start)
        quotes.setdefault((unit.key, column_key), []).append(
            FrameworkQuote(
                doc_id,
                info.number,
                info.name,
                start,
                end,
                place.reference(info.number, start, end),
                (turn.speaker or "") if turn is not None else "",
                attribution(unit.attributes, turn),
                tuple(sorted(on_codes, key=lambda k: (order.get(k, len(order)), k))),
                tuple(sorted(on_coders)),
                texts[doc_id][start:end],
            )
        )

    summaries: dict[tuple[tuple[str, int], str], list[Summary]] = {}
    for s in project.summaries(chosen, [c.key for c in columns]):
        summaries.setdefault(((s.unit_kind, s.unit_id), s.code_key), []).append(s)

    rows = _rows(project, units, documents, {k[0] for k in quotes} | {k[0] for k in summaries})
    grid = Framework(rows, columns, chosen)
    by_key = {c.key: c for c in columns}
    for unit in rows:
        for column in columns:
            at = (unit.key, column.key)
            if at in quotes or at in summaries:
                grid.cells[at] = Cell(
                    unit,
                    by_key[column.key],
                    tuple(quotes.get(at, ())),
                    tuple(summaries.get(at, ())),
                )
    return grid


def _rows(
    project: Project, units: Units, documents: dict, used: set[tuple[str, int]]
) -> list[Unit]:
    """Every case (by name), then the documents no case covers, in number order."""
    linked = {u.key: u for u in units.all_units() if u.kind == "case"}
    cases = [
        linked.get(("case", c.id)) or Unit("case", c.id, c.name, dict(c.attributes))
        for c in sorted(project.cases(), key=lambda c: c.name.casefold())
    ]
    with_cases = set(project.speaker_cases())
    shown = [
        units.document(d.id)
        for d in sorted(documents.values(), key=lambda d: d.number)
        if d.id not in with_cases or ("document", d.id) in used
    ]
    return cases + shown
