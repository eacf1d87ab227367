"""A code moved to another parent is ordered and numbered under its new parent in every export.

The store keeps a moved code's old position; the report, the quote tables, the codebook
appendix and the matrix walk ``Codebook.in_tree_order()`` so "2.1" never follows "1.2" (#12).
"""

from __future__ import annotations

import docx
import pytest

from kwali.export import export
from kwali.export.tables import matrix, select_codes
from kwali.model import Code, Codebook

from helpers import build_study

MOVED_TREE = [
    "verplichting",
    "sanctie",
    "ontheffing",
    "persoon",
    "dwang",  # moved under "persoon": first among its siblings, as its position is lowest
    "gezondheid",
    "taal",
]


@pytest.fixture
def moved(project, nlp, tmp_path):
    study = build_study(project, nlp, tmp_path)
    study.update_code("dwang", "anna", parent="persoon")  # as the codebook screen moves it
    return study


def _headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def test_in_tree_order_puts_parents_first_and_keeps_sibling_order():
    codebook = Codebook(
        "t",
        (
            Code("b1", "B1", parent="b"),
            Code("a", "A"),
            Code("a1", "A1", parent="a"),
            Code("b", "B"),
            Code("a2", "A2", parent="a"),
            Code("wees", "Wees", parent="weg"),  # a missing parent: a root, never lost
        ),
    )
    assert [c.key for c in codebook.in_tree_order()] == ["a", "a1", "a2", "b", "b1", "wees"]


def test_in_tree_order_keeps_every_code_of_a_cycle():
    codebook = Codebook("t", (Code("x", "X", parent="y"), Code("y", "Y", parent="x")))
    assert sorted(c.key for c in codebook.in_tree_order()) == ["x", "y"]


def test_the_report_numbers_and_orders_a_moved_code_under_its_new_parent(moved, tmp_path):
    out = export(moved, "report", tmp_path / "rapport.docx", coders=["consensus"]).path
    headings = [h for h in _headings(docx.Document(str(out))) if h[:1].isdigit()]
    assert headings == [
        "1 Verplichting & handhaving",
        "1.1 Sancties",
        "1.2 Ontheffing",
        "2 Persoonlijke situatie",
        "2.1 Ervaren verplichting",
        "2.2 Gezondheid",
        "2.3 Taal",
    ]


def test_quote_tables_follow_the_tree(moved, tmp_path):
    out = export(moved, "quotes", tmp_path / "citaten.docx", coders=["consensus"]).path
    headings = [h for h in _headings(docx.Document(str(out))) if h[:1].isdigit()]
    numbers = [h.split()[0] for h in headings]
    assert numbers == ["1", "1.1", "1.2", "2", "2.1", "2.2", "2.3"]
    assert headings[4] == "2.1 Ervaren verplichting"


def test_the_matrix_rows_follow_the_tree(moved):
    table = matrix(moved, by="document")
    assert list(table["code"]) == MOVED_TREE
    row = table[table["code"] == "dwang"].iloc[0]
    assert row["code_path"].startswith("Persoonlijke situatie")
    assert [c.key for c in select_codes(moved.codebook(), ["persoon"])] == MOVED_TREE[3:]


def test_the_codebook_appendix_follows_the_tree(moved, tmp_path):
    out = export(moved, "codebook", tmp_path / "codeboek.docx").path
    headings = [h for h in _headings(docx.Document(str(out))) if h[:1].isdigit()]
    assert [h.split()[0] for h in headings] == ["1", "1.1", "1.2", "2", "2.1", "2.2", "2.3"]
    assert headings[4] == "2.1 Ervaren verplichting"
