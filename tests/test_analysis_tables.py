"""The code tables against an independent pandas computation over the quotes export.

The oracle reads ``kwali.export.quotes`` (one row per coding) and counts with plain pandas:
distinct (document, start, end) per code, a category's over every code below it; nothing of
kwali.analysis.tables.
"""

from __future__ import annotations

from itertools import product

import pandas as pd
import pytest
from query_project import build_query_project

from kwali.analysis.table_data import NO_VALUE, TableError
from kwali.analysis.table_quotes import cell_quotes
from kwali.analysis.tables import code_table, cooccurrence_table
from kwali.export import quotes
from kwali.store import Project

SPAN = ["document_id", "start", "end"]


@pytest.fixture(params=[1, 7])
def study(request, tmp_path):
    with Project.create(tmp_path / "t.kwali") as project:
        build_query_project(project, seed=request.param, documents=8)
        yield project


def _oracle(project: Project, coders=None) -> pd.DataFrame:
    """Every confirmed coding in scope with its span, its codes' ancestors and attributes."""
    frame = quotes(project)
    ids = {d.number: d.id for d in project.document_summaries()}
    frame["document_id"] = frame["document"].map(ids)
    if coders is None:
        return frame[frame["coder"] != "consensus"]
    return frame[frame["coder"].isin(coders)]


def _below(project: Project, key: str) -> set[str]:
    codebook = project.codebook()
    return {c.key for c in codebook if any(a.key == key for a in codebook.path(c.key))}


def _group(frame: pd.DataFrame, by: list[str]) -> pd.Series:
    values = [frame[b].replace("", NO_VALUE).fillna(NO_VALUE) for b in by]
    if len(values) == 1:
        return values[0]
    return values[0] + " · " + values[1]


def _expected(project, frame, by, count):
    """{(code, group): count} the pandas way."""
    out = {}
    frame = frame.assign(group=_group(frame, by))
    for code in project.codebook():
        mine = frame[frame["code"].isin(_below(project, code.key))]
        spans = mine.drop_duplicates([*SPAN, "group"])
        if count == "codings":
            sizes = spans.groupby("group").size()
        else:
            sizes = spans.groupby("group")["document_id"].nunique()
        for group, n in sizes.items():
            out[(code.key, group)] = int(n)
    return out


@pytest.mark.parametrize("count", ["codings", "documents", "respondents"])
@pytest.mark.parametrize("by", [["aanpak"], ["geslacht"], ["aanpak", "geslacht"]])
def test_counts_match_pandas_over_the_quotes_export(study, by, count):
    table = code_table(study, by if len(by) > 1 else by[0], count=count)
    expected = _expected(study, _oracle(study), by, count)
    for row, column in product(table.rows, table.columns):
        assert table.value(row.key, column) == expected.get((row.key, column), 0), (row, column)
    assert set(column for _, column in expected) <= set(table.columns)


def test_code_by_document_has_a_column_per_document(study):
    table = code_table(study, "document")
    frame = _oracle(study)
    names = {d.id: d.name for d in study.document_summaries()}
    assert table.columns == [d.name for d in study.document_summaries()]
    for row in table.rows:
        mine = frame[frame["code"].isin(_below(study, row.key))].drop_duplicates(SPAN)
        per_document = mine.groupby("document_id").size()
        for doc_id, n in per_document.items():
            assert table.value(row.key, names[doc_id]) == n
        assert table.row_total(row.key) == len(mine)


def test_row_and_column_percentages(study):
    table = code_table(study, "aanpak")
    frame = _oracle(study).drop_duplicates([*SPAN, "code"])
    for column in table.columns:
        in_column = frame[frame["aanpak"] == column].drop_duplicates(SPAN)
        assert table.column_total(column) == len(in_column)
    for row in table.rows:
        for column in table.columns:
            n = table.value(row.key, column)
            row_total, column_total = table.row_total(row.key), table.column_total(column)
            assert table.percent(row.key, column, "row") == (
                pytest.approx(100 * n / row_total) if row_total else None
            )
            assert table.percent(row.key, column, "column") == (
                pytest.approx(100 * n / column_total) if column_total else None
            )
    with pytest.raises(TableError, match="percentage"):
        table.percent(table.rows[0].key, table.columns[0], "cell")


def test_a_category_is_a_subtotal_never_summed_twice(tmp_path):
    with Project.create(tmp_path / "c.kwali") as project:
        build_query_project(project, seed=3, documents=8)
        doc = project.document_ids()[0]
        # one span with two codes of the same category, by two coders
        project.add_coding(doc, 20, 40, "dwang", "anna")
        project.add_coding(doc, 20, 40, "sanctie", "bram")
        table = code_table(project, "aanpak")
        category = table.row("verplichting")
        assert category.category and not table.row("dwang").category
        children = ["dwang", "sanctie", "ontheffing"]
        for column in table.columns:
            spans = set().union(*(set(table.spans(c, column)) for c in children))
            assert table.value("verplichting", column) == len(spans)
        assert table.row_total("verplichting") < sum(table.row_total(c) for c in children)
        # the grand total counts each quotation once, not once per row or per category
        frame = _oracle(project).drop_duplicates(SPAN)
        assert table.grand_total() == len(frame)


def test_a_cells_quotes_are_exactly_what_it_counts(study):
    table = code_table(study, ("aanpak", "geslacht"))
    for row, column in product(table.rows, table.columns):
        found = cell_quotes(study, table, row.key, column)
        spans = [(q.document_id, q.start, q.end) for q in found]
        assert len(spans) == len(set(spans)) == table.value(row.key, column)
        assert spans == sorted(spans, key=lambda s: (s[0], s[1], s[2]))
        for q in found:
            assert set(q.codes) & _below(study, row.key)
            assert q.text
    documents = code_table(study, "aanpak", count="documents")
    row = documents.rows[1].key
    column = documents.columns[0]
    found = cell_quotes(study, documents, row, column)
    assert len({q.document_id for q in found}) == documents.value(row, column)


def test_where_and_coder_filters(study):
    table = code_table(study, "geslacht", where=(("aanpak", "meedoen010"),), coders=("anna",))
    frame = _oracle(study, coders=["anna"])
    frame = frame[frame["aanpak"] == "Meedoen010"]
    expected = _expected(study, frame, ["geslacht"], "codings")
    for row, column in product(table.rows, table.columns):
        assert table.value(row.key, column) == expected.get((row.key, column), 0)
    consensus = code_table(study, "aanpak", coders=("consensus",))
    settled = _expected(study, _oracle(study, coders=["consensus"]), ["aanpak"], "codings")
    assert consensus.value("dwang", "Meedoen010") == settled.get(("dwang", "Meedoen010"), 0)
    with pytest.raises(TableError, match="kenmerk 'regio'"):
        code_table(study, "aanpak", where=(("regio", "noord"),))
    with pytest.raises(TableError, match="kenmerk 'regio'"):
        code_table(study, "regio")
    with pytest.raises(TableError, match="telling"):
        code_table(study, "aanpak", count="zinnen")


def _pairs(project, frame, a, b):
    """Pairs of overlapping quotations of a and b, brute force."""
    xs = frame[frame["code"].isin(_below(project, a))].drop_duplicates(SPAN)
    ys = frame[frame["code"].isin(_below(project, b))].drop_duplicates(SPAN)
    found = set()
    for x in xs.itertuples():
        for y in ys.itertuples():
            if x.document_id == y.document_id and x.start < y.end and y.start < x.end:
                found.add(((x.document_id, x.start, x.end), (y.document_id, y.start, y.end)))
    return found


def test_cooccurrence_counts_and_c_coefficient(study):
    table = cooccurrence_table(study)
    frame = _oracle(study)
    codes = [r.key for r in table.rows]
    for a in codes:
        n_a = len(frame[frame["code"].isin(_below(study, a))].drop_duplicates(SPAN))
        assert table.value(a, a) == n_a
        for b in codes:
            if a == b:
                continue
            related = a in _below(study, b) or b in _below(study, a)
            pairs = set() if related else _pairs(study, frame, a, b)
            assert table.value(a, b) == len(pairs), (a, b)
            n_b = len(frame[frame["code"].isin(_below(study, b))].drop_duplicates(SPAN))
            if n_a + n_b - len(pairs):
                expected = len(pairs) / (n_a + n_b - len(pairs))
                assert table.c_coefficient(a, b) == pytest.approx(expected)
            listed = {(q.document_id, q.start, q.end) for q in cell_quotes(study, table, a, b)}
            assert listed == {s for pair in pairs for s in pair}
    documents = cooccurrence_table(study, count="documents")
    a, b = "dwang", "contact"
    assert documents.value(a, b) == len({x[0] for x, _ in _pairs(study, frame, a, b)})


def test_c_coefficient_by_hand(tmp_path):
    """Two codes: a on three quotations, b on two, one pair overlapping: c = 1 / (3 + 2 - 1)."""
    with Project.create(tmp_path / "h.kwali") as project:
        build_query_project(project, seed=2, documents=1)
        project.db.execute("DELETE FROM codings")
        doc = project.document_ids()[0]
        for start, end in ((10, 20), (30, 40), (50, 60)):
            project.add_coding(doc, start, end, "dwang", "anna")
        project.add_coding(doc, 15, 25, "contact", "anna")
        project.add_coding(doc, 70, 80, "contact", "anna")
        table = cooccurrence_table(project, codes=["dwang", "contact"])
        assert table.value("dwang", "contact") == 1
        assert table.c_coefficient("dwang", "contact") == pytest.approx(0.25)
        assert table.c_coefficient("dwang", "dwang") is None


def test_a_saved_query_is_a_row(study):
    from kwali.analysis import Scope, run_query, save_query

    save_query(study, "druk", "dwang OR sanctie", "anna")
    table = code_table(study, "aanpak", queries=["druk"], where=(("geslacht", "vrouw"),))
    assert table.rows[-1].key == "@druk" and not table.rows[-1].category
    found = run_query(study, "@druk", Scope(where=(("geslacht", "vrouw"),))).quotations
    for column in table.columns:
        expected = {
            (q.document_id, q.start, q.end)
            for q in found
            if table.column_of[q.document_id] == column
        }
        assert set(table.spans("@druk", column)) == expected
        assert table.value("@druk", column) == len(expected)
    listed = cell_quotes(study, table, "@druk", table.columns[0])
    assert len(listed) == table.value("@druk", table.columns[0])


def test_cooccurrence_in_the_same_turn(study):
    """unit="turn": pairs of quotations whose starts lie in one turn (the quotes export's
    ``turn`` column), brute force."""
    table = cooccurrence_table(study, unit="turn")
    frame = _oracle(study)
    codes = [r.key for r in table.rows]
    for a in codes:
        xs = frame[frame["code"].isin(_below(study, a))].drop_duplicates(SPAN)
        for b in codes:
            if a == b:
                continue
            ys = frame[frame["code"].isin(_below(study, b))].drop_duplicates(SPAN)
            related = a in _below(study, b) or b in _below(study, a)
            pairs = {
                (x.document_id, x.start, x.end, y.document_id, y.start, y.end)
                for x in xs.itertuples()
                for y in ys.itertuples()
                if not related and (x.document_id, x.turn) == (y.document_id, y.turn)
            }
            assert table.value(a, b) == len(pairs), (a, b)


def test_a_code_group_is_a_row(study):
    from kwali.store.groups import Group

    study.import_groups([Group("code", "kern", "", ("dwang", "contact"))], [], "anna", "t")
    table = code_table(study, "aanpak", code_groups=["kern"])
    row = table.row("group:kern")
    assert row.label == "groep kern"
    frame = _oracle(study)
    for column in table.columns:
        mine = frame[frame["code"].isin({"dwang", "contact"}) & (frame["aanpak"] == column)]
        expected = set(mine[SPAN].itertuples(index=False, name=None))
        assert set(table.spans("group:kern", column)) == expected
        assert table.value("group:kern", column) == len(expected)
    # the codes' own rows are unchanged by the group's
    plain = code_table(study, "aanpak")
    assert [r.key for r in table.rows][: len(plain.rows)] == [r.key for r in plain.rows]
    assert all(
        table.value(r.key, c) == plain.value(r.key, c) for r in plain.rows for c in plain.columns
    )
