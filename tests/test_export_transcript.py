"""The coded transcript's data, worked out by hand on a small transcript: which rows a line
becomes, which codings cover which rows, and the lanes that keep overlapping bars apart."""

from __future__ import annotations

from kwali.export.anonymize import Anonymizer
from kwali.export.transcript_data import Layout, layout, line_spans
from kwali.io.turns import detect_turns
from kwali.model import Coding

TEXT = (
    "[00:00:01] I: Hoe gaat het met u? Vertel eens.\n"
    "\n"
    "[00:00:05] R: Goed. Ik moest van de gemeente. Dat vond ik niet fijn.\n"
    "Daarna kreeg ik een brief."
)
TURNS = detect_turns(TEXT)


def span(text: str, last: str | None = None) -> tuple[int, int]:
    """From the start of ``text`` to the end of ``last`` (or of ``text``) in TEXT."""
    start = TEXT.index(text)
    end = TEXT.index(last) + len(last) if last else start + len(text)
    return start, end


def coding(number: int, where: tuple[int, int], key: str, coder: str) -> Coding:
    return Coding(number, 1, where[0], where[1], key, coder)


MOEST = span("Ik moest van de gemeente.")
CODINGS = [
    coding(1, MOEST, "dwang", "anna"),
    coding(2, span("Ik moest", "niet fijn."), "sanctie", "anna"),
    coding(3, span("Vertel eens.", "Goed."), "vertrouwen", "bram"),  # across the turn boundary
    coding(4, span("Daarna kreeg ik een brief."), "dwang", "bram"),
    coding(5, MOEST, "dwang", "bram"),  # the same span and code as anna's
]


def texts(drawn: Layout) -> list[tuple[int | None, str]]:
    """(number shown, text) per row: a line's number on its first row only."""
    return [(row.line if row.first else None, row.text) for row in drawn.rows]


def marks(drawn: Layout, margin: int = 0) -> set[tuple[str, tuple[str, ...], int, int, int]]:
    return {
        (m.code_key, m.coders, m.first_row, m.last_row, m.lane) for m in drawn.margins[margin].marks
    }


def test_a_line_is_cut_where_a_coding_starts_or_ends_and_keeps_its_number_once():
    drawn = layout(TEXT, TURNS, CODINGS)
    assert texts(drawn) == [
        (1, "[00:00:01] I: Hoe gaat het met u?"),
        (None, "Vertel eens."),
        (2, ""),
        (3, "[00:00:05] R: Goed."),
        (None, "Ik moest van de gemeente."),
        (None, "Dat vond ik niet fijn."),
        (4, "Daarna kreeg ik een brief."),
    ]
    assert drawn.lines() == 4 == len(line_spans(TEXT))


def test_overlapping_codings_get_lanes_of_their_own_and_a_shared_coding_is_one_bar():
    drawn = layout(TEXT, TURNS, CODINGS, order={"vertrouwen": 0, "dwang": 1, "sanctie": 2})
    (margin,) = drawn.margins
    assert margin.coder is None and margin.lanes == 2
    assert marks(drawn) == {
        # across the turn boundary: its first line's second row, the empty line, the next turn
        ("vertrouwen", ("bram",), 1, 3, 0),
        # sanctie runs on one row further than dwang: the longer bar takes the free lane first
        ("sanctie", ("anna",), 4, 5, 0),
        ("dwang", ("anna", "bram"), 4, 4, 1),  # anna's and bram's dwang on the same words
        ("dwang", ("bram",), 6, 6, 0),
    }
    assert [m.code_key for m in margin.starting(4)] == ["sanctie", "dwang"]  # by lane
    assert margin.at(2, 0) is not None and margin.at(2, 1) is None  # the bar crosses the gap
    assert margin.at(0, 0) is None
    grid = margin.grid(len(drawn.rows))
    assert [[margin.at(r, lane) for lane in range(2)] for r in range(len(drawn.rows))] == grid


def test_per_coder_each_coder_has_a_margin_and_a_coder_without_codings_an_empty_one():
    drawn = layout(TEXT, TURNS, CODINGS, per_coder=True, coders=["anna", "bram", "cees"])
    assert [m.coder for m in drawn.margins] == ["anna", "bram", "cees"]
    assert marks(drawn, 0) == {("sanctie", ("anna",), 4, 5, 0), ("dwang", ("anna",), 4, 4, 1)}
    assert marks(drawn, 1) == {
        ("vertrouwen", ("bram",), 1, 3, 0),
        ("dwang", ("bram",), 4, 4, 0),  # vertrouwen ended on row 3: the lane is free again
        ("dwang", ("bram",), 6, 6, 0),
    }
    assert drawn.margins[2].marks == () and drawn.margins[2].lanes == 0


def test_a_turn_label_keeps_its_time_and_speaker_apart_and_stays_with_its_words():
    # a coding from the first word of the answer: the label is not a row of its own
    drawn = layout(TEXT, TURNS, [coding(1, span("Goed.", "fijn."), "dwang", "anna")])
    row = drawn.rows[2]
    assert [(f.kind, f.text) for f in row.fragments] == [
        ("time", "[00:00:05] "),
        ("speaker", "R: "),
        ("text", "Goed. Ik moest van de gemeente. Dat vond ik niet fijn."),
    ]
    assert marks(drawn) == {("dwang", ("anna",), 2, 2, 0)}


def test_a_coding_that_starts_or_ends_inside_a_word_cuts_the_row_at_the_words_edge():
    start = TEXT.index("gemeente") + 3  # "gem|eente"
    drawn = layout(TEXT, TURNS, [coding(1, (TEXT.index("Goed."), start), "dwang", "anna")])
    assert texts(drawn)[2:4] == [
        (3, "[00:00:05] R: Goed. Ik moest van de gemeente."),
        (None, "Dat vond ik niet fijn."),
    ]
    assert marks(drawn) == {("dwang", ("anna",), 2, 2, 0)}
    drawn = layout(TEXT, TURNS, [coding(1, (start, TEXT.index(" Dat")), "dwang", "anna")])
    assert texts(drawn)[2:5] == [
        (3, "[00:00:05] R: Goed. Ik moest van de"),
        (None, "gemeente."),
        (None, "Dat vond ik niet fijn."),
    ]
    assert marks(drawn) == {("dwang", ("anna",), 3, 3, 0)}


def test_a_coding_of_only_a_line_break_draws_nothing():
    newline = TEXT.index("\n")
    drawn = layout(TEXT, TURNS, [coding(1, (newline, newline + 1), "dwang", "anna")])
    assert drawn.margins[0].marks == ()


def test_a_name_a_row_boundary_would_cut_in_two_is_still_replaced():
    text = "R: Ik sprak met Sanne de Vries gisteren. Het ging goed."
    turns = detect_turns(text)
    cut = text.index("de Vries")
    codings = [Coding(1, 1, cut, len(text), "dwang", "anna")]
    clean = Anonymizer({"Sanne de Vries": "[naam klantmanager]"})
    drawn = layout(text, turns, codings, anonymize=clean)
    assert [row.text for row in drawn.rows] == [
        "R: Ik sprak met [naam klantmanager] gisteren. Het ging goed."
    ]
    assert marks(drawn) == {("dwang", ("anna",), 0, 0, 0)}
    assert "Sanne" not in "".join(row.text for row in drawn.rows)
    # without the name in the way the row is cut as usual, and still anonymised
    drawn = layout(text, turns, [Coding(1, 1, text.index("Het"), len(text), "dwang", "anna")])
    assert len(drawn.rows) == 2


def test_a_transcript_without_codings_has_one_empty_margin():
    drawn = layout(TEXT, TURNS, [])
    assert len(drawn.rows) == 4 and [m.lanes for m in drawn.margins] == [0]


def test_a_label_moves_down_its_bar_while_the_labels_above_still_fill_the_margin():
    from kwali.export.transcript_data import Mark, label_rows

    first = Mark("dwang", ("anna",), 0, 1, 0, 0, 0)  # rows 0-0, a label two rows high
    long = Mark("sanctie", ("anna",), 2, 3, 1, 3, 0)  # rows 1-3: its label can wait a row
    short = Mark("taal", ("anna",), 4, 5, 1, 1, 1)  # rows 1-1: its label has nowhere else
    same = Mark("corona", ("anna",), 0, 1, 0, 0, 1)  # starts with the first: shares its cell
    heights = [10.0] * 5
    needs = {first: 15.0, long: 8.0, short: 8.0, same: 5.0}
    assert label_rows([first, long], heights, needs) == {0: [first], 2: [long]}
    assert label_rows([first, short], heights, needs) == {0: [first], 1: [short]}
    assert label_rows([first, same, long], heights, needs) == {0: [first, same], 2: [long]}
    # room enough beside the first row: every label beside its own first row
    assert label_rows([first, long], heights, {first: 9.0, long: 8.0}) == {0: [first], 1: [long]}


def test_a_name_running_over_a_line_break_is_replaced_too():
    text = "I: Hoe gaat het met Fatima  el\nAmrani? Goed, zegt ze.\nEn verder."
    clean = Anonymizer({"Fatima el Amrani": "[buurvrouw]"})
    codings = [Coding(1, 1, text.index("Goed"), len(text), "dwang", "anna")]
    drawn = layout(text, detect_turns(text), codings, anonymize=clean)
    shown = [(row.line, row.text) for row in drawn.rows]
    assert shown == [
        (1, "I: Hoe gaat het met [buurvrouw]? Goed, zegt ze."),  # the text moves up a line
        (2, ""),
        (3, "En verder."),
    ]
    assert not {"fatima", "amrani"} & set(" ".join(t for _, t in shown).casefold().split())
    assert marks(drawn) == {("dwang", ("anna",), 1, 2, 0)}  # bars stay on the lines coded
