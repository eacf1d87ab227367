"""The query language: what an expression means as a tree, and a bad one's column."""

from __future__ import annotations

import pytest

from kwali.analysis.grammar import Bool, CodeRef, Near, Not, QueryError, SavedRef, parse


def show(node) -> str:
    """A tree as a fully bracketed string, to compare readably."""
    if isinstance(node, CodeRef):
        return f'"{node.name}"' if node.quoted else node.name
    if isinstance(node, SavedRef):
        return f"@{node.name}"
    if isinstance(node, Not):
        return f"(not {show(node.operand)})"
    if isinstance(node, Bool):
        return f"({show(node.left)} {node.op} {show(node.right)})"
    assert isinstance(node, Near)
    op = f"within {node.n}" if node.op == "within" else node.op
    return f"({show(node.left)} {op} {show(node.right)})"


@pytest.mark.parametrize(
    ("expression", "tree"),
    [
        ("dwang", "dwang"),
        ('"Sancties en dreiging"', '"Sancties en dreiging"'),
        ("@druk", "@druk"),
        ("a OR b AND c", "(a or (b and c))"),
        ("a AND b OR c", "((a and b) or c)"),
        ("(a OR b) AND c", "((a or b) and c)"),
        ("NOT a AND b", "((not a) and b)"),
        ("NOT (a AND b)", "(not (a and b))"),
        ("NOT NOT a", "(not (not a))"),
        ("a AND b OVERLAPS c", "(a and (b overlaps c))"),
        ("NOT a OVERLAPS b", "((not a) overlaps b)"),
        ("a SAME SENTENCE b SAME TURN c", "((a same_sentence b) same_turn c)"),
        ("a WITHIN 3 b", "(a within 3 b)"),
        ("a WITHIN 0 b", "(a within 0 b)"),
        ("a FOLLOWED BY b", "(a followed_by b)"),
        ("a and b or not c", "((a and b) or (not c))"),
        ("a En b Of niet c", "((a and b) or (not c))"),
        ("a overlapt b", "(a overlaps b)"),
        ("a zelfde zin b zelfde beurt c", "((a same_sentence b) same_turn c)"),
        ("a binnen 2 b gevolgd door c", "((a within 2 b) followed_by c)"),
        # words that start like a keyword are codes; a keyword in quotes is a code too
        ("andere AND ordening AND nottingham", "((andere and ordening) and nottingham)"),
        ('"zin" AND "door"', '("zin" and "door")'),
        ("a.b-c OR 2e_kans", "(a.b-c or 2e_kans)"),
        ("  dwang  ", "dwang"),
    ],
)
def test_expressions_parse_as_documented(expression, tree):
    assert show(parse(expression)) == tree


def test_a_code_knows_its_column():
    node = parse('dwang AND "Sancties en dreiging"')
    assert isinstance(node, Bool)
    assert isinstance(node.left, CodeRef) and isinstance(node.right, CodeRef)
    assert (node.left.column, node.right.column) == (1, 11)


@pytest.mark.parametrize(
    ("expression", "message", "column"),
    [
        ("dwang AND AND sanctie", "Onverwacht 'AND' bij kolom 11.", 11),
        ("dwang sanctie", "Onverwacht 'sanctie' bij kolom 7.", 7),
        ("(dwang OR sanctie", "De zoekvraag houdt te vroeg op: er mist een code of ')'.", 18),
        ("dwang AND", "De zoekvraag houdt te vroeg op: er mist een code of ')'.", 10),
        ("dwang)", "Onverwacht ')' bij kolom 6.", 6),
        ("dwang WITHIN sanctie", "Onverwacht 'sanctie' bij kolom 14.", 14),
        ("dwang SAME sanctie", "Onverwacht 'sanctie' bij kolom 12.", 12),
        ("dwang & sanctie", "Onverwacht '&' bij kolom 7.", 7),
        ('dwang OR "Sancties', "Het aanhalingsteken bij kolom 10 wordt niet gesloten.", 10),
        (
            "zin AND dwang",
            "Onverwacht 'zin' bij kolom 1 (een code die zo heet, schrijf je als \"zin\").",
            1,
        ),
        ("", "De zoekvraag is leeg.", None),
        ("   ", "De zoekvraag is leeg.", None),
    ],
)
def test_bad_expressions_name_the_column(expression, message, column):
    with pytest.raises(QueryError) as error:
        parse(expression)
    assert error.value.one_line() == message
    assert "\n" not in error.value.one_line()
    assert error.value.column == column


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("dwang AND AND sanctie", "Unexpected 'AND' at column 11."),
        ("dwang AND", "The query ends too soon: a code or ')' is missing."),
        ("", "The query is empty."),
    ],
)
def test_bad_expressions_are_said_in_english_when_asked(english, expression, message):
    with pytest.raises(QueryError) as error:
        parse(expression)
    assert error.value.one_line() == message
    assert error.value.dutch == message  # the screens' attribute: the same one text


def test_the_caret_points_at_the_column():
    with pytest.raises(QueryError) as error:
        parse("dwang AND AND sanctie")
    line, caret = error.value.caret().splitlines()
    assert line.strip() == "dwang AND AND sanctie"
    assert caret.index("^") == line.index("AND AND") + 4
