"""Running a query: which quotations an expression finds, with where they are and who said it.

The unit, as in Atlas.ti's Query Tool, is the *quotation*: a distinct coded span (document,
start, end), whoever coded it and with whichever codes. In scope are the confirmed codings
of the chosen coders (default: every coder but the ``consensus`` layer) in the documents the
``where`` filter keeps. Then, for quotation sets X and Y:

- ``code``: the quotations coded with it, or with any code under it when it is a category;
- ``X AND Y`` / ``X OR Y``: quotations in both / in either (AND is the *same* span, coded
  with both; spans that merely overlap are ``OVERLAPS``);
- ``NOT X``: the quotations in scope that are not in X;
- ``X OVERLAPS Y``: the quotations of X that share at least one character with one of Y
  (the same span counts);
- ``X SAME SENTENCE Y``: those of X that share a sentence with one of Y (touch it: share a
  character with it);
- ``X SAME TURN Y``: those of X that share a turn with one of Y, a quotation's turns being
  the turns of the sentences it touches;
- ``X WITHIN n Y``: those of X no more than n sentences away from one of Y (0: the same
  sentence, 1: the next or previous one), across turns, in the same document;
- ``X FOLLOWED BY Y``: those of X after which one of Y starts (at or after X's end) in the
  turn where X ends or the turn after it: a question and its answer.

A quotation that touches no sentence (a speaker's label, say) meets nothing by sentence or
turn. The result is always the left operand's quotations. ``role`` keeps the quotations
whose first sentence is spoken in a turn of that role (``respondent``: anyone but the
interviewer); it filters the result, not the operands, so ``vraag FOLLOWED BY antwoord
--role interviewer`` finds the interviewer's questions that got such an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from kwali.analysis import reading
from kwali.analysis.grammar import Bool, Near, Node, Not, QueryError
from kwali.analysis.resolving import Codes, resolve
from kwali.analysis.spans import followed, overlapping, ranges_meet
from kwali.analysis.unit_scope import UnitScope, documents_in
from kwali.app.attribution import INTERVIEWER, attribution
from kwali.app.document_filter import UnknownAttribute, kept_where
from kwali.app.units import Counted, Unit, counted_kind, counted_words
from kwali.errors import InputError
from kwali.i18n import _
from kwali.model import Turn
from kwali.store import Project

Span = tuple[int, int, int]  # document id, start, end
RESPONDENT = "respondent"


@dataclass(frozen=True, slots=True)
class Scope:
    """Which codings and documents a query looks at, and which quotations it keeps."""

    where: tuple[tuple[str, str], ...] = ()  # attribute key, value (all must hold)
    role: str | None = None  # respondent | interviewer | a turn role
    coders: tuple[str, ...] | None = None  # None: every coder but the consensus layer

    def describe(self, dutch: bool = False) -> str:
        """In words, in the reader's language: what is being counted (``dutch`` is kept for
        old callers; the language is kwali's)."""
        parts = [
            _("alle bevestigde coderingen (zonder de consensuslaag)")
            if self.coders is None
            else _("de bevestigde coderingen van {coders}").format(coders=", ".join(self.coders))
        ]
        if self.where:
            parts.append(
                _("documenten met {terms}").format(
                    terms=_(" en ").join(f"{k}={v}" for k, v in self.where)
                )
            )
        if self.role:
            parts.append(_("citaten van {role}").format(role=self.role))
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Quotation:
    """One quotation a query found."""

    document_id: int
    document: int  # the document's number
    document_name: str
    start: int
    end: int
    reference: str  # 3:12.2: document, turn, sentence where it starts
    codes: tuple[str, ...]  # every code on this span in scope, codebook order
    coders: tuple[str, ...]
    respondent: str  # attribution: role and gender, never a name
    text: str
    case: str = ""  # the speaker's case, where one is linked
    unit: tuple[str, int] = ("document", 0)  # whom it counts for: ("case", id) or the document


@dataclass
class QueryResult:
    expression: str
    scope: Scope
    quotations: list[Quotation]
    documents: list[reading.DocumentInfo]  # every document in scope, number order
    units: list[Unit] | None = None  # with cases: every unit in scope (else: the documents)

    @property
    def counted(self) -> str:
        """What :meth:`per_group` counts besides quotations, in words."""
        return counted_words(self.counted_kind)

    @property
    def counted_kind(self) -> Counted:
        """What :meth:`per_group` counts besides quotations, as a code."""
        if self.units is None:
            return "documents"
        return counted_kind({u.kind for u in self.units})

    def per_document(self) -> list[tuple[reading.DocumentInfo, int]]:
        """Quotations per document in scope (zero included)."""
        counts: dict[int, int] = {}
        for q in self.quotations:
            counts[q.document_id] = counts.get(q.document_id, 0) + 1
        return [(d, counts.get(d.id, 0)) for d in self.documents]

    def per_group(self, key: str) -> list[tuple[str, int, int, int]]:
        """``(value, quotations, documents with one, documents)`` per value of attribute
        ``key`` (empty: documents without it), values in sorted order. With cases, units
        (cases, and documents for the rest; see :attr:`counted`) instead of documents."""
        groups: dict[str, list[int]] = {}
        if self.units is not None:
            per_unit: dict[tuple[str, int], int] = {}
            for q in self.quotations:
                per_unit[q.unit] = per_unit.get(q.unit, 0) + 1
            for unit in self.units:
                n = per_unit.get(unit.key, 0)
                row = groups.setdefault(unit.attributes.get(key, ""), [0, 0, 0])
                row[0] += n
                row[1] += 1 if n else 0
                row[2] += 1
            return [(value, *groups[value]) for value in sorted(groups)]  # type: ignore[misc]
        for doc, n in self.per_document():
            row = groups.setdefault(doc.attributes.get(key, ""), [0, 0, 0])
            row[0] += n
            row[1] += 1 if n else 0
            row[2] += 1
        return [(value, *groups[value]) for value in sorted(groups)]  # type: ignore[misc]  # three ints


# -- evaluating --------------------------------------------------------------------------------
_NOWHERE = 1 << 62  # past the end of any document


def _codes_in(node: Node) -> set[str]:
    if isinstance(node, Codes):
        return set(node.keys)
    if isinstance(node, Not):
        return _codes_in(node.operand)
    if isinstance(node, Bool | Near):
        return _codes_in(node.left) | _codes_in(node.right)
    return set()


class _Evaluator:
    """Quotation sets for a resolved tree; reads only the codings of the codes it names (and
    every span in scope only when the tree has a NOT)."""

    def __init__(
        self,
        project: Project,
        tree: Node,
        coders: Sequence[str] | None,
        document_ids: Sequence[int] | None,
    ) -> None:
        self.project = project
        self.by_code: dict[str, set[Span]] = {}
        for doc, start, end, code in reading.coded_spans(
            project, _codes_in(tree), coders, document_ids
        ):
            self.by_code.setdefault(code, set()).add((doc, start, end))
        self.scope = coders, document_ids
        self._universe: set[Span] | None = None
        self.places: dict[Span, reading.Place | None] = {}

    @property
    def universe(self) -> set[Span]:
        """Every quotation in scope, read only when a NOT needs it (``A AND NOT B`` doesn't)."""
        if self._universe is None:
            self._universe = reading.all_spans(self.project, *self.scope)
        return self._universe

    def place(self, spans: set[Span]) -> dict[Span, reading.Place | None]:
        missing = sorted(s for s in spans if s not in self.places)  # index order: fewer pages
        if missing:
            self.places.update(reading.locate(self.project, missing))
        return self.places

    def run(self, node: Node) -> set[Span]:
        if isinstance(node, Codes):
            found: set[Span] = set()
            for key in node.keys:
                found |= self.by_code.get(key, set())
            return found
        if isinstance(node, Not):
            return self.universe - self.run(node.operand)
        if isinstance(node, Bool) and node.op == "and" and isinstance(node.right, Not):
            return self.run(node.left) - self.run(node.right.operand)
        if isinstance(node, Bool) and node.op == "and" and isinstance(node.left, Not):
            return self.run(node.right) - self.run(node.left.operand)
        if isinstance(node, Bool):
            left, right = self.run(node.left), self.run(node.right)
            return left & right if node.op == "and" else left | right
        if isinstance(node, Near):
            return self.near(node.op, node.n, self.run(node.left), self.run(node.right))
        raise TypeError(f"unresolved node {node!r}")

    def near(self, op: str, n: int, xs: set[Span], ys: set[Span]) -> set[Span]:
        docs = {s[0] for s in xs} & {s[0] for s in ys}
        xs = {s for s in xs if s[0] in docs}
        ys = {s for s in ys if s[0] in docs}
        if op == "overlaps":
            return self._per_document(xs, ys, lambda x: (x[1], x[2]), lambda y: (y[1], y[2]))
        places = self.place(xs | ys)
        xs = {s for s in xs if places[s] is not None}
        ys = {s for s in ys if places[s] is not None}

        def at(s: Span) -> reading.Place:
            return cast(reading.Place, places[s])

        def extent(s: Span) -> tuple[int, int]:  # from its first sentence to its last
            return at(s).first_start, at(s).last_end

        if op == "same_sentence" or (op == "within" and n == 0):
            return self._per_document(xs, ys, extent, extent)
        if op == "within":
            ordered = sorted(xs)
            bounds = reading.windows(
                self.project, [(s[0], at(s).first_start, at(s).last_start) for s in ordered], n
            )
            window = {
                s: (0 if a is None else a, _NOWHERE if b is None else b)
                for s, (a, b) in zip(ordered, bounds, strict=True)
            }
            return self._per_document(xs, ys, window.__getitem__, extent)
        kept: set[Span] = set()
        left: dict[int, list[Span]] = {}
        right: dict[int, list[Span]] = {}
        for s in xs:
            left.setdefault(s[0], []).append(s)
        for s in ys:
            right.setdefault(s[0], []).append(s)
        for doc, mine in left.items():
            theirs = right.get(doc, [])
            if op == "same_turn":
                hits = ranges_meet(
                    [(at(s).first_turn, at(s).last_turn) for s in mine],
                    [(at(s).first_turn, at(s).last_turn) for s in theirs],
                )
            else:  # followed_by
                hits = followed(
                    [(s[1], s[2], at(s).last_turn) for s in mine],
                    [(s[1], at(s).first_turn) for s in theirs],
                )
            kept.update(s for s, hit in zip(mine, hits, strict=True) if hit)
        return kept

    @staticmethod
    def _per_document(
        xs: set[Span],
        ys: set[Span],
        x_extent: Callable[[Span], tuple[int, int]],
        y_extent: Callable[[Span], tuple[int, int]],
    ) -> set[Span]:
        """The xs whose extent shares a character with some y's extent in its document."""
        left: dict[int, list[Span]] = {}
        right: dict[int, list[tuple[int, int]]] = {}
        for s in xs:
            left.setdefault(s[0], []).append(s)
        for s in ys:
            right.setdefault(s[0], []).append(y_extent(s))
        kept: set[Span] = set()
        for doc, mine in left.items():
            hits = overlapping([x_extent(s) for s in mine], right.get(doc, []))
            kept.update(s for s, hit in zip(mine, hits, strict=True) if hit)
        return kept


# -- the query ---------------------------------------------------------------------------------
def _in_scope(
    documents: list[reading.DocumentInfo],
    where: Sequence[tuple[str, str]],
    types: Mapping[str, str],
) -> list[reading.DocumentInfo]:
    """The documents ``where`` keeps (a project without cases; with cases UnitScope decides),
    typed values read as their type, as tables read them."""
    try:
        return kept_where(documents, tuple(where), types)
    except UnknownAttribute as exc:
        raise QueryError(exc.one_line()) from exc


def _speaks(turn: Turn | None, role: str) -> bool:
    if turn is None:
        return False
    if role == RESPONDENT:
        return turn.role != INTERVIEWER
    return (turn.role or "").casefold() == role


def run_query(project: Project, expression: str, scope: Scope = Scope()) -> QueryResult:
    """The quotations ``expression`` finds in ``scope``, in document and text order."""
    tree = resolve(project, expression)
    all_documents = reading.documents(project)
    cases = _cases(project, scope.where)
    if cases is not None:
        documents = documents_in(cases)
    else:
        documents = _in_scope(all_documents, scope.where, project.attribute_types())
    info = {d.id: d for d in documents}
    ids = None if len(documents) == len(all_documents) else list(info)
    evaluator = _Evaluator(project, tree, scope.coders, ids)
    found = evaluator.run(tree)
    if cases is not None and cases.filtered:  # a linked speaker's case may be out of scope
        found = {s for s in found if cases.unit_of(s[0], s[1]) is not None}
    places = evaluator.place(found)
    turns = reading.turns(
        project, {(s[0], p.first_turn) for s in found if (p := places[s]) is not None}
    )

    def turn_of(span: Span) -> Turn | None:
        p = places[span]
        return turns.get((span[0], p.first_turn)) if p is not None else None

    role = scope.role.strip().casefold() if scope.role else None
    if role and role not in (RESPONDENT, INTERVIEWER):
        roles = reading.turn_roles(project)
        if role not in {r.casefold() for r in roles}:
            raise QueryError(
                _("Geen beurt heeft de rol {role!r} (rollen: {roles}).").format(
                    role=scope.role,
                    roles=", ".join(dict.fromkeys([RESPONDENT, INTERVIEWER, *roles])),
                )
            )
    if role:
        found = {s for s in found if _speaks(turn_of(s), role)}
    spans = sorted(found, key=lambda s: (info[s[0]].number, s[1], s[2]))
    on = reading.codes_on(project, spans, scope.coders)
    texts = reading.texts(project, {s[0] for s in spans})
    order = {c.key: i for i, c in enumerate(project.codebook().in_tree_order())}
    said: dict[tuple[int, int | None], str] = {}  # attribution per turn: a turn has many

    def unit(span: Span) -> Unit:
        if cases is not None and span[0] in cases.linked:
            return cases.units.of(span[0], span[1])
        return Unit("document", span[0], info[span[0]].name, info[span[0]].attributes)

    def who(span: Span, place: reading.Place | None) -> str:
        key = (span[0], place.first_turn if place is not None else None)
        if key not in said:
            said[key] = attribution(unit(span).attributes, turn_of(span))
        return said[key]

    def codes(here: list[tuple[str, str]]) -> tuple[str, ...]:
        keys = {c for c, _unused in here}
        if len(keys) == 1:
            return tuple(keys)
        return tuple(sorted(keys, key=lambda c: (order.get(c, len(order)), c)))

    quotations = []
    for span in spans:
        doc, start, end = span
        document, place, here = info[doc], places[span], on.get(span, [])
        reference = (
            f"{document.number}:{place.first_turn}.{place.first_sentence}"
            if place is not None
            else str(document.number)
        )
        quotations.append(
            Quotation(
                doc,
                document.number,
                document.name,
                start,
                end,
                reference,
                codes(here),
                tuple(sorted({coder for _unused, coder in here}))
                if len(here) != 1
                else (here[0][1],),
                who(span, place),
                texts[doc][start:end],
                case=owner.name if (owner := unit(span)).kind == "case" else "",
                unit=owner.key,
            )
        )
    units = list(cases.kept.values()) if cases is not None else None
    return QueryResult(expression, scope, quotations, documents, units)


def _cases(project: Project, where: Sequence[tuple[str, str]]) -> UnitScope | None:
    """The units in scope when the project has cases (None: documents alone, as before)."""
    if not project.has_cases():
        return None
    try:
        return UnitScope(project, where)
    except InputError as exc:
        raise QueryError(exc.one_line()) from exc
