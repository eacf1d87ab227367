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
- ``X SAME SENTENCE Y`` / ``X SAME TURN Y``: those of X that touch a sentence / turn that a
  quotation of Y touches;
- ``X WITHIN n Y``: those of X no more than n sentences away from one of Y (0: the same
  sentence, 1: the next or previous one), across turns, in the same document;
- ``X FOLLOWED BY Y``: those of X after which one of Y starts (at or after X's end), in the
  turn where X ends or the turn after it: a question and its answer.

The result is always the left operand's quotations. ``role`` keeps the quotations whose
first turn is spoken by that role (``respondent``: anyone but the interviewer); it filters
the result, not the operands, so ``vraag FOLLOWED BY antwoord --role interviewer`` works.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kwali.analysis import reading
from kwali.analysis.grammar import (
    Bool,
    CodeRef,
    Near,
    Node,
    Not,
    QueryError,
    SavedRef,
    parse,
)
from kwali.analysis.spans import followed, index_range, overlapping, ranges_meet
from kwali.app.attribution import INTERVIEWER, attribution
from kwali.app.document_filter import DocumentFilter, matches
from kwali.model import Codebook, Turn
from kwali.store import Project

Span = tuple[int, int, int]  # document id, start, end
RESPONDENT = "respondent"


@dataclass(frozen=True, slots=True)
class Codes:
    """A code reference resolved: the keys it stands for (a category: with all below it)."""

    name: str
    keys: frozenset[str]


@dataclass(frozen=True, slots=True)
class Scope:
    """Which codings and documents a query looks at, and which quotations it keeps."""

    where: tuple[tuple[str, str], ...] = ()  # attribute key, value (all must hold)
    role: str | None = None  # respondent | interviewer | a turn role
    coders: tuple[str, ...] | None = None  # None: every coder but the consensus layer

    def describe(self) -> str:
        """In words, for the CLI and the screen: what is being counted."""
        who = (
            "all coders' confirmed codings (not the consensus layer)"
            if self.coders is None
            else f"the confirmed codings of {', '.join(self.coders)}"
        )
        parts = [who]
        if self.where:
            parts.append("documents with " + " and ".join(f"{k}={v}" for k, v in self.where))
        if self.role:
            parts.append(f"quotations spoken by {self.role}")
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


@dataclass
class QueryResult:
    expression: str
    scope: Scope
    quotations: list[Quotation]
    documents: list[reading.DocumentInfo]  # every document in scope, number order

    def per_document(self) -> list[tuple[reading.DocumentInfo, int]]:
        """Quotations per document in scope (zero included)."""
        counts: dict[int, int] = {}
        for q in self.quotations:
            counts[q.document_id] = counts.get(q.document_id, 0) + 1
        return [(d, counts.get(d.id, 0)) for d in self.documents]

    def per_group(self, key: str) -> list[tuple[str, int, int, int]]:
        """``(value, quotations, documents with one, documents)`` per value of attribute
        ``key`` (empty: documents without it), values in sorted order."""
        groups: dict[str, list[int]] = {}
        for doc, n in self.per_document():
            row = groups.setdefault(doc.attributes.get(key, ""), [0, 0, 0])
            row[0] += n
            row[1] += 1 if n else 0
            row[2] += 1
        return [(value, *groups[value]) for value in sorted(groups)]  # type: ignore[misc]  # three ints


# -- resolving names ---------------------------------------------------------------------------
def _find_code(codebook: Codebook, ref: CodeRef, expression: str) -> str:
    if codebook.get(ref.name) is not None:
        return ref.name
    folded = ref.name.casefold()
    by_key = [c.key for c in codebook if c.key.casefold() == folded]
    by_label = [c.key for c in codebook if ref.quoted and c.label.casefold() == folded.strip()]
    found = by_key or by_label
    if len(found) == 1:
        return found[0]
    if found:
        raise QueryError(
            f"query: {ref.name!r} at column {ref.column} is the label of several codes "
            f"({', '.join(found)}); write the key instead",
            expression=expression,
            column=ref.column,
        )
    names = {c.key.casefold(): c.key for c in codebook} | {
        c.label.casefold(): c.key for c in codebook
    }
    close = difflib.get_close_matches(folded, list(names), n=3, cutoff=0.6)
    keys = list(dict.fromkeys(names[c] for c in close))
    hint = f"; closest: {', '.join(keys)}" if keys else "; see `kwali codes`"
    raise QueryError(
        f"query: no code {ref.name!r} (column {ref.column}){hint}",
        expression=expression,
        column=ref.column,
    )


def _below(codebook: Codebook) -> dict[str, set[str]]:
    """Each key with every key at or below it."""
    below: dict[str, set[str]] = {c.key: set() for c in codebook}
    for code in codebook:
        for ancestor in codebook.path(code.key):
            below.setdefault(ancestor.key, set()).add(code.key)
    return below


def resolve(
    project: Project,
    expression: str,
    *,
    saved: Mapping[str, str] | None = None,
    _stack: tuple[str, ...] = (),
) -> Node:
    """The tree of ``expression`` with every code and saved query resolved (QueryError for
    an unknown code or saved query, naming it, or a saved query that uses itself)."""
    codebook = project.codebook()
    below = _below(codebook)
    saved = reading.saved_queries(project) if saved is None else saved

    def visit(node: Node) -> Node:
        if isinstance(node, CodeRef):
            key = _find_code(codebook, node, expression)
            return Codes(node.name, frozenset(below.get(key, {key})))  # type: ignore[return-value]  # Codes stands in for a resolved CodeRef
        if isinstance(node, SavedRef):
            if node.name not in saved:
                known = ", ".join(f"@{n}" for n in sorted(saved)) or "none yet"
                raise QueryError(
                    f"query: no saved query @{node.name} (column {node.column}; saved: {known})",
                    expression=expression,
                    column=node.column,
                )
            if node.name in _stack:
                raise QueryError(f"query: saved query @{node.name} uses itself")
            return resolve(project, saved[node.name], saved=saved, _stack=(*_stack, node.name))
        if isinstance(node, Not):
            return Not(visit(node.operand))
        if isinstance(node, Bool):
            return Bool(node.op, visit(node.left), visit(node.right))
        return Near(node.op, visit(node.left), visit(node.right), node.n)

    return visit(parse(expression))


# -- evaluating --------------------------------------------------------------------------------
class _Evaluator:
    def __init__(self, project: Project, rows: Sequence[tuple[int, int, int, str, str]]) -> None:
        self.project = project
        self.universe: set[Span] = set()
        self.by_code: dict[str, set[Span]] = {}
        self.on_span: dict[Span, list[tuple[str, str]]] = {}
        for doc, start, end, code, coder in rows:
            span = (doc, start, end)
            self.universe.add(span)
            self.by_code.setdefault(code, set()).add(span)
            self.on_span.setdefault(span, []).append((code, coder))
        self._layouts: dict[int, reading.Layout] = {}

    def layouts(self, docs: set[int]) -> dict[int, reading.Layout]:
        missing = docs - self._layouts.keys()
        if missing:
            self._layouts.update(reading.layouts(self.project, missing))
            for doc in missing:
                self._layouts.setdefault(doc, reading.Layout())
        return self._layouts

    def run(self, node: Node) -> set[Span]:
        if isinstance(node, Codes):
            found: set[Span] = set()
            for key in node.keys:
                found |= self.by_code.get(key, set())
            return found
        if isinstance(node, Not):
            return self.universe - self.run(node.operand)
        if isinstance(node, Bool):
            left, right = self.run(node.left), self.run(node.right)
            return left & right if node.op == "and" else left | right
        if isinstance(node, Near):
            return self.near(node.op, node.n, self.run(node.left), self.run(node.right))
        raise TypeError(f"unresolved node {node!r}")

    def near(self, op: str, n: int, xs: set[Span], ys: set[Span]) -> set[Span]:
        left: dict[int, list[tuple[int, int]]] = {}
        right: dict[int, list[tuple[int, int]]] = {}
        for doc, start, end in xs:
            left.setdefault(doc, []).append((start, end))
        for doc, start, end in ys:
            right.setdefault(doc, []).append((start, end))
        docs = left.keys() & right.keys()
        layouts = self.layouts(set(docs)) if op != "overlaps" else {}
        kept: set[Span] = set()
        for doc in docs:
            mine, theirs = left[doc], right[doc]
            if op == "overlaps":
                hits = overlapping(mine, theirs)
            elif op == "followed_by":
                lay = layouts[doc]

                def turns(a: int, b: int, lay: reading.Layout = lay) -> tuple[int, int]:
                    first, last = index_range(lay.turn_starts, lay.turn_ends, a, b)
                    return (first, last) if first <= last else (-1, -1)

                hits = followed(
                    [(a, b, turns(a, b)[1]) for a, b in mine],
                    [(a, turns(a, b)[0]) for a, b in theirs],
                )
            else:
                lay = layouts[doc]
                starts, ends = (
                    (lay.turn_starts, lay.turn_ends)
                    if op == "same_turn"
                    else (lay.sentence_starts, lay.sentence_ends)
                )
                hits = ranges_meet(
                    [index_range(starts, ends, a, b) for a, b in mine],
                    [index_range(starts, ends, a, b) for a, b in theirs],
                    n if op == "within" else 0,
                )
            kept.update((doc, a, b) for (a, b), hit in zip(mine, hits, strict=True) if hit)
        return kept


# -- the query ---------------------------------------------------------------------------------
def _in_scope(
    documents: list[reading.DocumentInfo], where: Sequence[tuple[str, str]]
) -> list[reading.DocumentInfo]:
    if not where:
        return documents
    known = {k.casefold() for d in documents for k in d.attributes}
    for key, _ in where:
        if key.strip().casefold() not in known:
            raise QueryError(
                f"query: no document has the attribute {key!r} "
                f"(known: {', '.join(sorted(known)) or 'none'})"
            )
    wanted = DocumentFilter(tuple((k.strip().casefold(), v.strip().casefold()) for k, v in where))
    return [d for d in documents if matches(d, wanted)]


def _speaks(turn: Turn | None, role: str) -> bool:
    if turn is None:
        return False
    if role == RESPONDENT:
        return turn.role != INTERVIEWER
    return (turn.role or "").casefold() == role


def _first_turn(lay: reading.Layout, start: int, end: int) -> Turn | None:
    first, last = index_range(lay.turn_starts, lay.turn_ends, start, end)
    return lay.turns[first] if first <= last else None


def _reference(number: int, lay: reading.Layout, start: int, end: int) -> str:
    first, last = index_range(lay.sentence_starts, lay.sentence_ends, start, end)
    if first <= last:
        turn, sentence = lay.sentence_refs[first]
        return f"{number}:{turn}.{sentence}"
    turn_ = _first_turn(lay, start, end)
    return f"{number}:{turn_.number}" if turn_ else str(number)


def run_query(project: Project, expression: str, scope: Scope = Scope()) -> QueryResult:
    """The quotations ``expression`` finds in ``scope``, in document and text order."""
    tree = resolve(project, expression)
    all_documents = reading.documents(project)
    documents = _in_scope(all_documents, scope.where)
    info = {d.id: d for d in documents}
    ids = None if len(documents) == len(all_documents) else list(info)
    evaluator = _Evaluator(project, reading.codings(project, scope.coders, ids))
    found = evaluator.run(tree)
    layouts = evaluator.layouts({doc for doc, _, _ in found})
    role = scope.role.casefold() if scope.role else None
    if role:
        found = {s for s in found if _speaks(_first_turn(layouts[s[0]], s[1], s[2]), role)}
    spans = sorted(found, key=lambda s: (info[s[0]].number, s[1], s[2]))
    order = {c.key: i for i, c in enumerate(project.codebook().in_tree_order())}
    quotations = []
    for (doc, start, end), text in zip(spans, reading.texts(project, spans), strict=True):
        lay, document = layouts[doc], info[doc]
        on = evaluator.on_span[(doc, start, end)]
        quotations.append(
            Quotation(
                doc,
                document.number,
                document.name,
                start,
                end,
                _reference(document.number, lay, start, end),
                tuple(sorted({c for c, _ in on}, key=lambda c: (order.get(c, len(order)), c))),
                tuple(sorted({coder for _, coder in on})),
                attribution(document.attributes, _first_turn(lay, start, end)),
                text,
            )
        )
    return QueryResult(expression, scope, quotations, documents)
