"""The documents filter: `kenmerk=waarde` terms match a value exactly, words match whole words."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from kwali.app.document_filter import DocumentFilter, matches, parse_filter


@dataclass
class Doc:
    name: str
    attributes: dict[str, str] = field(default_factory=dict)
    number: int = 1


MAN = Doc("interview_03", {"geslacht": "man", "rol": "werkzoekende", "aanpak": "Prestatie010"})
VROUW = Doc("mantelzorg_noord", {"geslacht": "vrouw", "rol": "mantelzorger"}, 2)


def keeps(text: str, doc: Doc) -> bool:
    return matches(doc, parse_filter(text))


def test_parse_splits_pairs_and_words_in_lower_case():
    assert parse_filter(" Geslacht=Man  Noord ") == DocumentFilter(
        (("geslacht", "man"),), ("noord",)
    )
    assert parse_filter('aanpak="Prestatie 010" x') == DocumentFilter(
        (("aanpak", "prestatie 010"),), ("x",)
    )
    assert not parse_filter("   ")
    assert parse_filter("rol=") == DocumentFilter((("rol", ""),), ())


def test_unclosed_quote_while_typing_is_text_not_an_error():
    assert parse_filter('aanpak="Prestatie') == DocumentFilter((("aanpak", "prestatie"),), ())
    assert parse_filter('aanpak="Prestatie 01') == DocumentFilter((("aanpak", "prestatie 01"),), ())


def test_an_apostrophe_is_part_of_a_word():
    assert parse_filter("collega's x") == DocumentFilter((), ("collega's", "x"))
    assert keeps("collega's", Doc("a", {"over": "collega's"}))


def test_key_value_is_an_exact_case_insensitive_match():
    assert keeps("geslacht=man", MAN)
    assert keeps("GESLACHT=MAN", MAN)
    assert not keeps("geslacht=man", VROUW)
    assert not keeps("geslacht=ma", MAN)
    assert not keeps("rol=mantelzorg", VROUW)
    assert not keeps("leeftijd=40", MAN)  # an attribute the document does not have


def test_all_terms_must_match():
    assert keeps("rol=werkzoekende aanpak=Prestatie010", MAN)
    assert not keeps("rol=werkzoekende aanpak=Prestatie020", MAN)
    assert keeps("geslacht=man interview", MAN)
    assert not keeps("geslacht=man noord", MAN)


@pytest.mark.parametrize(
    ("text", "man", "vrouw"),
    [
        ("man", True, False),  # no longer a substring of mantelzorg/mantelzorger
        ("mantelzorg", False, True),  # a whole word of the name
        ("mantelzorger", False, True),  # a whole attribute value
        ("Noord", False, True),
        ("interview_03", True, False),  # the whole name
        ("03", True, False),  # a word of the name
        ("2", False, True),  # the number
        ("prestatie010", True, False),
        ("zorg", False, False),
    ],
)
def test_free_text_matches_whole_words(text: str, man: bool, vrouw: bool):
    assert (keeps(text, MAN), keeps(text, VROUW)) == (man, vrouw)


def test_empty_value_finds_documents_without_the_attribute():
    assert keeps("aanpak=", VROUW)
    assert not keeps("aanpak=", MAN)


def test_empty_filter_keeps_everything():
    assert keeps("", MAN) and keeps("  ", VROUW)


def test_a_typed_attribute_is_matched_in_its_stored_form():
    """leeftijd is a number stored as 3.5, datum a date stored as ISO: the Dutch ways of
    writing them find the document; without the types they do not."""
    doc = Doc("01_interview", {"leeftijd": "3.5", "datum": "2021-03-04"})
    types = {"leeftijd": "number", "datum": "date"}
    for typed in ("leeftijd=3,5", "leeftijd=3.50", "datum=4-3-2021", "datum=2021-3-4"):
        assert matches(doc, parse_filter(typed), types), typed
        assert not matches(doc, parse_filter(typed)), typed
    assert matches(doc, parse_filter("leeftijd=3.5"), types)
    assert not matches(doc, parse_filter("leeftijd=4"), types)
    assert not matches(doc, parse_filter("leeftijd=drie"), types)  # not a number: no match
