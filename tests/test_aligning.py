"""Aligning a transcript with its corrected version: where does a coded span go?"""

from __future__ import annotations

import random

import pytest

from kwali.app.aligning import align

OLD = (
    "I: Hoe bent u bij het buurthuis terechtgekomen?\n\n"
    "R: Ik kreeg een brief dat ik moest komen. Mijn buurvrouw Fatima zei: ga nou maar.\n\n"
    "I: En hoe gaat het met uw gezondheid?\n\n"
    "R: Mijn rug doet pijn, maar de coach belde elke week. Dat vond ik wel fijn eigenlijk.\n\n"
    "I: Dank u wel voor dit gesprek over het buurthuis en de gemeente.\n"
)


def place(old: str, new: str, text: str, nth: int = 0):
    start = -1
    for _ in range(nth + 1):
        start = old.index(text, start + 1)
    alignment = align(old, new)
    placement = alignment.place(start, start + len(text))
    return placement, new[placement.start : placement.end]


def test_unchanged_text_places_every_span_exactly_where_it_was():
    alignment = align(OLD, OLD)
    for start, end in [(0, 5), (50, 90), (3, len(OLD))]:
        placement = alignment.place(start, end)
        assert (placement.kind, placement.start, placement.end) == ("exact", start, end)


def test_text_inserted_before_shifts_a_span_exactly():
    new = "Interview 3, gecorrigeerd.\n\n" + OLD
    placement, text = place(OLD, new, "Ik kreeg een brief dat ik moest komen.")
    assert placement.kind == "exact"
    assert text == "Ik kreeg een brief dat ik moest komen."


def test_a_typo_moves_the_span_to_the_corrected_word_and_flags_it():
    new = OLD.replace("buurthuis terechtgekomen", "buurthuis terechtgkeomen")
    placement, text = place(OLD, new, "Hoe bent u bij het buurthuis terechtgekomen?")
    assert placement.kind == "moved"
    assert text == "Hoe bent u bij het buurthuis terechtgkeomen?"


def test_a_name_replaced_by_naam_takes_the_coding_along():
    new = OLD.replace("Fatima", "[naam]")
    placement, text = place(OLD, new, "Fatima")
    assert (placement.kind, text) == ("moved", "[naam]")
    placement, text = place(OLD, new, "Mijn buurvrouw Fatima zei: ga nou maar.")
    assert (placement.kind, text) == ("moved", "Mijn buurvrouw [naam] zei: ga nou maar.")


def test_a_removed_passage_is_gone_and_the_rest_stays_exact():
    removed = "Dat vond ik wel fijn eigenlijk."
    new = OLD.replace(" " + removed, "")
    assert place(OLD, new, removed)[0].kind == "gone"
    placement, text = place(OLD, new, "Mijn rug doet pijn, maar de coach belde elke week.")
    assert placement.kind == "exact"


def test_a_moved_paragraph_takes_its_codings_along_exactly():
    paragraphs = OLD.split("\n\n")
    paragraphs.insert(0, paragraphs.pop(3))  # the answer about health comes first now
    new = "\n\n".join(paragraphs)
    for text in ("Mijn rug doet pijn, maar de coach belde elke week.", "Ik kreeg een brief"):
        placement, found = place(OLD, new, text)
        assert (placement.kind, found) == ("exact", text)


def test_a_rewritten_sentence_is_gone_not_guessed():
    new = OLD.replace(
        "Dat vond ik wel fijn eigenlijk.", "Daarover wil ik het liever niet hebben, zei ze."
    )
    assert place(OLD, new, "Dat vond ik wel fijn eigenlijk.")[0].kind == "gone"


def test_a_span_over_two_sentences_with_a_typo_in_one_moves_as_a_whole():
    new = OLD.replace("gezondheid", "gezondhied")
    span = "I: En hoe gaat het met uw gezondheid?\n\nR: Mijn rug doet pijn"
    placement, text = place(OLD, new, span)
    assert placement.kind == "moved"
    assert text == span.replace("gezondheid", "gezondhied")


@pytest.mark.parametrize("seed", range(30))
def test_random_edits_never_place_a_span_outside_the_new_text(seed):
    rng = random.Random(seed)
    new = list(OLD)
    for _ in range(rng.randint(1, 20)):
        at = rng.randrange(len(new))
        action = rng.choice(["delete", "insert", "swap"])
        if action == "delete":
            del new[at : at + rng.randint(1, 30)]
        elif action == "insert":
            new[at:at] = list(rng.choice(["[naam]", "x", " eh, ", "\n\n"]))
        else:
            new[at] = rng.choice("aeiou")
    new_text = "".join(new)
    alignment = align(OLD, new_text)
    for _ in range(50):
        start = rng.randrange(len(OLD) - 1)
        end = rng.randint(start + 1, min(len(OLD), start + 120))
        placement = alignment.place(start, end)
        if placement.kind == "gone":
            continue
        assert 0 <= placement.start < placement.end <= len(new_text)
        if placement.kind == "exact":
            assert new_text[placement.start : placement.end] == OLD[start:end]
        else:
            assert new_text[placement.start : placement.end] != OLD[start:end]
