"""The query engine against an independent, brute-force computation on generated studies.

The oracle below reads every coding, sentence and turn through the store's plain readers and
checks each operator by looking at every pair of quotations, with sentences and turns as sets
of indexes: nothing of kwali.analysis (no ranges, no bisection, no SQL of its own).
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from query_project import CODES, build_query_project

from kwali.analysis import QueryError, Scope, query, run_query, save_query, saved_queries
from kwali.model import Turn
from kwali.store import Project

Span = tuple[int, int, int]
NAMES = [*CODES, "verplichting", "effecten"]  # codes and categories


class Oracle:
    """Quotation sets of a project, computed the slow, obvious way."""

    def __init__(self, project: Project, coders: set[str] | None = None, docs=None) -> None:
        codebook = project.codebook()
        self.codings = [
            c
            for c in project.codings()
            if (c.coder in coders if coders is not None else c.coder != "consensus")
            and (docs is None or c.document_id in docs)
        ]
        self.universe = {(c.document_id, c.start, c.end) for c in self.codings}
        self.under = {c.key: {a.key for a in codebook.path(c.key)} for c in codebook}
        self.sentences: dict[int, list[tuple[int, int, int]]] = {}
        self.turn_rows: dict[int, dict[int, Turn]] = {}
        for doc in project.document_ids():
            self.sentences[doc] = sorted(
                (s.start, s.end, s.turn_number) for s in project.segments(doc, kind="sentence")
            )
            self.turn_rows[doc] = {t.number: t for t in project.turns(doc)}

    def code(self, name: str) -> set[Span]:
        return {
            (c.document_id, c.start, c.end) for c in self.codings if name in self.under[c.code_key]
        }

    def sent(self, s: Span) -> set[int]:
        """The sentences (indexes in text order) a quotation shares a character with."""
        return {i for i, (a, b, _) in enumerate(self.sentences[s[0]]) if a < s[2] and b > s[1]}

    def turn(self, s: Span) -> set[int]:
        """The turns of those sentences."""
        return {self.sentences[s[0]][i][2] for i in self.sent(s)}

    def role_of(self, s: Span) -> str | None:
        """The role of the turn of its first sentence; "(none)" when it touches none."""
        if not self.sent(s):
            return "(none)"
        return self.turn_rows[s[0]][self.sentences[s[0]][min(self.sent(s))][2]].role

    def pairs(self, xs: set[Span], ys: set[Span], test: Callable[[Span, Span], bool]) -> set[Span]:
        return {x for x in xs if any(y[0] == x[0] and test(x, y) for y in ys)}

    def near(self, op: str, n: int, xs: set[Span], ys: set[Span]) -> set[Span]:
        if op == "overlaps":
            return self.pairs(xs, ys, lambda x, y: x[1] < y[2] and y[1] < x[2])
        if op == "same_sentence":
            return self.pairs(xs, ys, lambda x, y: bool(self.sent(x) & self.sent(y)))
        if op == "same_turn":
            return self.pairs(xs, ys, lambda x, y: bool(self.turn(x) & self.turn(y)))
        if op == "within":
            return self.pairs(
                xs,
                ys,
                lambda x, y: any(abs(i - j) <= n for i in self.sent(x) for j in self.sent(y)),
            )
        assert op == "followed_by"
        return self.pairs(
            xs,
            ys,
            lambda x, y: (
                y[1] >= x[2]
                and bool(self.turn(x))
                and bool(self.turn(y))
                and min(self.turn(y)) <= max(self.turn(x)) + 1
            ),
        )


OPERATORS = {
    "overlaps": "OVERLAPS",
    "same_sentence": "SAME SENTENCE",
    "same_turn": "SAME TURN",
    "within": "WITHIN {n}",
    "followed_by": "FOLLOWED BY",
}


def random_expression(rng: random.Random, oracle: Oracle, depth: int = 0) -> tuple[str, set[Span]]:
    """A random expression and what the oracle says it finds."""
    roll = rng.random()
    if depth >= 3 or roll < 0.3:
        name = rng.choice(NAMES)
        return (f'"{name}"' if name == "zin" else name), oracle.code(name)
    if roll < 0.4:
        text, found = random_expression(rng, oracle, depth + 1)
        return f"NOT ({text})", oracle.universe - found
    left, xs = random_expression(rng, oracle, depth + 1)
    right, ys = random_expression(rng, oracle, depth + 1)
    if roll < 0.55:
        return f"({left}) AND ({right})", xs & ys
    if roll < 0.7:
        return f"({left}) OR ({right})", xs | ys
    op = rng.choice(list(OPERATORS))
    n = rng.randint(0, 3)
    word = OPERATORS[op].format(n=n)
    return f"({left}) {word} ({right})", oracle.near(op, n, xs, ys)


def spans(result) -> set[Span]:
    return {(q.document_id, q.start, q.end) for q in result.quotations}


@pytest.fixture(scope="module", params=[1, 2, 3])
def study(request):
    with Project.in_memory() as project:
        build_query_project(project, seed=request.param, documents=6)
        yield project


@pytest.mark.parametrize("op", list(OPERATORS))
def test_each_operator_on_every_pair_of_codes(study, op):
    oracle = Oracle(study)
    for a in NAMES:
        for b in NAMES:
            for n in (0, 1, 3) if op == "within" else (0,):
                text = f'"{a}" {OPERATORS[op].format(n=n)} "{b}"'
                expected = oracle.near(op, n, oracle.code(a), oracle.code(b))
                assert spans(run_query(study, text)) == expected, text


def test_boolean_operators_on_every_pair_of_codes(study):
    oracle = Oracle(study)
    for a in NAMES:
        assert spans(run_query(study, f'NOT "{a}"')) == oracle.universe - oracle.code(a)
        for b in NAMES:
            xs, ys = oracle.code(a), oracle.code(b)
            assert spans(run_query(study, f'"{a}" AND "{b}"')) == xs & ys
            assert spans(run_query(study, f'"{a}" OR "{b}"')) == xs | ys
            assert spans(run_query(study, f'"{a}" AND NOT "{b}"')) == xs - ys


def test_random_nested_expressions(study):
    oracle = Oracle(study)
    rng = random.Random(14)
    for _ in range(150):
        text, expected = random_expression(rng, oracle)
        assert spans(run_query(study, text)) == expected, text


def test_operators_bind_as_documented(study):
    oracle = Oracle(study)
    a, b, c = oracle.code("dwang"), oracle.code("sanctie"), oracle.code("contact")
    assert spans(run_query(study, "dwang OR sanctie AND contact")) == a | (b & c)
    assert spans(run_query(study, "NOT dwang AND sanctie")) == (oracle.universe - a) & b
    near = oracle.near("overlaps", 0, b, c)
    assert spans(run_query(study, "dwang AND sanctie OVERLAPS contact")) == a & near


def test_a_category_means_itself_and_every_code_under_it(study):
    by_codes = spans(run_query(study, "dwang OR sanctie OR ontheffing"))
    assert spans(run_query(study, "verplichting")) == by_codes
    assert spans(run_query(study, '"Verplichting & handhaving"')) == by_codes


def test_quotations_carry_text_reference_codes_and_coders(study):
    result = run_query(study, "verplichting OR effecten")
    assert result.quotations
    for q in result.quotations:
        document = study.require_document(q.document_id)
        assert q.text == document.text[q.start : q.end]
        touched = [s for s in study.segments(q.document_id) if s.start < q.end and s.end > q.start]
        if touched:
            first = min(touched, key=lambda s: s.start)
            assert q.reference == first.reference(document.number)
        else:
            assert q.reference == str(document.number)
        on = [
            c
            for c in study.codings(document_id=q.document_id)
            if (c.start, c.end) == (q.start, q.end) and c.coder != "consensus"
        ]
        assert set(q.codes) == {c.code_key for c in on}
        assert set(q.coders) == {c.coder for c in on}
    keys = [(q.document, q.start, q.end) for q in result.quotations]
    assert keys == sorted(keys)


def test_rejected_codings_are_not_in_any_query(study):
    confirmed = {(c.document_id, c.start, c.end) for c in study.codings() if c.coder != "consensus"}
    rejected = {
        (c.document_id, c.start, c.end)
        for c in study.codings(status="rejected")
        if c.coder != "consensus"
    }
    assert rejected - confirmed, "the generated study should have a rejected-only span"
    everything = spans(run_query(study, "verplichting OR effecten OR NOT verplichting"))
    assert everything == confirmed
    assert not (rejected - confirmed) & everything


def test_where_keeps_only_matching_documents(study):
    keep = {s.id for s in study.document_summaries() if s.attributes.get("aanpak") == "Meedoen010"}
    oracle = Oracle(study, docs=keep)
    scope = Scope(where=(("AANPAK", " meedoen010 "),))  # the document filter's rule: any case
    assert spans(run_query(study, "NOT dwang", scope)) == oracle.universe - oracle.code("dwang")
    both = Scope(where=(("aanpak", "Meedoen010"), ("geslacht", "man")))
    men = {s.id for s in study.document_summaries() if s.attributes.get("geslacht") == "man"}
    assert {q.document_id for q in run_query(study, "NOT dwang", both).quotations} <= keep & men
    with pytest.raises(QueryError, match="geen document heeft het kenmerk 'regio'.*aanpak"):
        run_query(study, "dwang", Scope(where=(("regio", "noord"),)))


def test_role_filters_the_quotations_by_their_first_turn(study):
    oracle = Oracle(study)

    role_of = oracle.role_of
    everything = oracle.universe
    respondent = spans(run_query(study, "NOT dwang OR dwang", Scope(role="respondent")))
    interviewer = spans(run_query(study, "NOT dwang OR dwang", Scope(role="interviewer")))
    coach = spans(run_query(study, "NOT dwang OR dwang", Scope(role="Coach")))
    assert respondent == {s for s in everything if role_of(s) not in ("interviewer", "(none)")}
    assert interviewer == {s for s in everything if role_of(s) == "interviewer"}
    assert coach == {s for s in everything if role_of(s) == "coach"}
    assert coach and coach <= respondent
    # the role filters the result, not the right operand: an interviewer's question followed
    # by a respondent's answer is found
    found = run_query(study, "NOT dwang FOLLOWED BY NOT dwang", Scope(role="interviewer"))
    assert spans(found) == {
        s
        for s in oracle.near(
            "followed_by", 0, everything - oracle.code("dwang"), everything - oracle.code("dwang")
        )
        if role_of(s) == "interviewer"
    }


def test_an_unknown_role_is_one_line_naming_the_roles(study):
    with pytest.raises(QueryError) as error:
        run_query(study, "dwang", Scope(role="respondnet"))
    assert str(error.value) == (
        "Geen beurt heeft de rol 'respondnet' (rollen: respondent, interviewer, coach)."
    )


@pytest.mark.parametrize("coders", [("anna",), ("anna", "bram"), ("consensus",)])
def test_coders_choose_the_layers(study, coders):
    oracle = Oracle(study, coders=set(coders))
    result = run_query(study, "NOT sanctie", Scope(coders=coders))
    assert spans(result) == oracle.universe - oracle.code("sanctie")
    assert {c for q in result.quotations for c in q.coders} <= set(coders)


def test_saved_queries_are_used_by_name_and_undone(study):
    save_query(study, "druk", "dwang OR sanctie", "anna")
    assert saved_queries(study) == {"druk": "dwang OR sanctie"}
    assert spans(run_query(study, "@druk AND NOT contact")) == spans(
        run_query(study, "(dwang OR sanctie) AND NOT contact")
    )
    save_query(study, "nest", "@druk WITHIN 1 leren", "anna")
    assert spans(run_query(study, "@nest")) == spans(
        run_query(study, "(dwang OR sanctie) WITHIN 1 leren")
    )
    with pytest.raises(QueryError, match="Er is al een zoekvraag @druk"):
        save_query(study, "druk", "contact", "anna")
    with pytest.raises(QueryError, match="gebruikt zichzelf"):
        save_query(study, "druk", "@nest OR contact", "anna", replace=True)
    with pytest.raises(QueryError, match="Geen code 'dwnag'; bedoelt u dwang"):
        save_query(study, "kapot", "dwnag", "anna")
    with pytest.raises(QueryError, match="kan geen naam zijn"):
        save_query(study, "twee woorden", "dwang", "anna")
    assert saved_queries(study) == {"druk": "dwang OR sanctie", "nest": "@druk WITHIN 1 leren"}
    save_query(study, "druk", "contact", "anna", replace=True)
    assert spans(run_query(study, "@druk")) == spans(run_query(study, "contact"))
    study.undo("anna")
    study.undo("anna")
    study.undo("anna")
    assert saved_queries(study) == {}
    with pytest.raises(QueryError, match=r"Geen opgeslagen zoekvraag @druk"):
        run_query(study, "@druk")


def test_saved_query_survives_reopening(tmp_path):
    path = tmp_path / "s.kwali"
    with Project.create(path) as project:
        build_query_project(project, seed=5, documents=2)
        save_query(project, "druk", "verplichting", "anna")
    with Project.open(path, readonly=True) as project:
        assert saved_queries(project) == {"druk": "verplichting"}
        assert spans(run_query(project, "@druk")) == spans(run_query(project, "verplichting"))


def test_unknown_and_ambiguous_codes_are_one_line(study):
    with pytest.raises(QueryError) as error:
        run_query(study, "dwang AND santcie")
    assert str(error.value) == "Geen code 'santcie'; bedoelt u sanctie?"
    assert error.value.column == 11
    with pytest.raises(QueryError, match=r"het label van meer codes \(twee_a, twee_b\)"):
        run_query(study, '"Dubbel"')
    assert run_query(study, '"zin"').quotations == run_query(study, '"Zingeving"').quotations


def test_counts_per_document_and_group(study):
    result = run_query(study, "verplichting")
    per_document = result.per_document()
    assert [d.number for d, _ in per_document] == sorted(d.number for d, _ in per_document)
    assert sum(n for _, n in per_document) == len(result.quotations)
    groups = result.per_group("geslacht")
    assert sum(row[1] for row in groups) == len(result.quotations)
    assert sum(row[3] for row in groups) == len(per_document)
    assert "" in [row[0] for row in groups]  # the document without it


def test_the_pandas_function(study):
    frame = query(study, "dwang", where={"aanpak": "Meedoen010"}, role="respondent")
    result = run_query(study, "dwang", Scope(where=(("aanpak", "Meedoen010"),), role="respondent"))
    assert list(frame["reference"]) == [q.reference for q in result.quotations]
    assert set(frame["aanpak"]) <= {"Meedoen010"}
    assert {"reference", "document", "codes", "coders", "respondent", "text"} <= set(frame.columns)
    assert len(query(study, "dwang", consensus=True)) == len(
        run_query(study, "dwang", Scope(coders=("consensus",))).quotations
    )
