"""Signals become spaCy matcher patterns: words, stems, compound parts, phrases on lemmas."""

from __future__ import annotations

import re

import pytest

from kwali.model import Code, Codebook, Signals
from kwali.tagging.patterns import build_patterns, compound_regex, definition_words, related_codes


def codebook(**signals: tuple[str, ...]) -> Codebook:
    return Codebook(
        "t",
        (
            Code("cat", "Categorie", kind="category"),
            Code("x", "X", parent="cat", signals=Signals(**signals)),
        ),
    )


def matched(nlp, book: Codebook, text: str) -> list[tuple[str, str]]:
    """(kind, matched text) for every match in ``text``."""
    compiled = build_patterns(book, nlp, use_definitions=False)
    doc = nlp(text)
    found = []
    for matcher in (compiled.matcher, compiled.phrases_lower, compiled.phrases_lemma):
        if not len(matcher):
            continue
        for match_id, start, end in matcher(doc):
            found.append((compiled.rule(match_id).kind, doc[start:end].text))
    return sorted(set(found))


@pytest.mark.parametrize(
    "word",
    [
        "werkverdringing",
        "verdringingseffect",
        "verdringingseffecten",
        "banenverdringing",
        "zorg-verdringing",
    ],
)
def test_compound_regex_finds_the_part_as_head_or_modifier(word):
    assert re.match(compound_regex(["verdringing"]), word)


@pytest.mark.parametrize("word", ["verdringing", "dringend", "verdriet", "ringen"])
def test_compound_regex_leaves_other_words(word):
    assert not re.match(compound_regex(["verdringing"]), word)


def test_compound_parts_shorter_than_four_letters_are_ignored():
    assert compound_regex(["ww"]) is None
    assert re.match(compound_regex(["korting", "ww"]), "uitkeringskortingen")


def test_compound_parts_match_inside_text(nlp):
    book = codebook(compounds=("korting", "verdringing"))
    found = matched(nlp, book, "Een uitkeringskorting en werkverdringing, geen korting.")
    assert ("compound", "uitkeringskorting") in found and ("compound", "werkverdringing") in found
    assert ("compound", "korting") not in found  # the bare word is a lemma signal's job


def test_lemma_signals_match_word_and_lemma(nlp):
    book = codebook(lemmas=("korten", "helpen"))
    found = matched(nlp, book, "Ik werd gekort. Zij hebben me geholpen.")
    assert ("lemma", "gekort") in found and ("lemma", "geholpen") in found


def test_stems_come_from_lemmas_and_from_the_stem_list(nlp):
    book = codebook(lemmas=("verplichting",), stems=("motiv",))
    found = matched(nlp, book, "De verplichtingen waren streng; ze motiveerden niet.")
    assert ("stem", "verplichtingen") in found
    assert ("stem", "motiv") not in found and not any(text == "motiveerden" for _, text in found)


def test_phrases_match_on_words_and_on_lemmas(nlp):
    book = codebook(phrases=("stok achter de deur", "helpen bij"))
    found = matched(nlp, book, "Een Stok achter de deur. Ik werd geholpen bij het zoeken.")
    assert ("phrase", "Stok achter de deur") in found
    assert ("phrase", "geholpen bij") in found  # only the lemma shadow matches this


def test_single_word_phrases_count_as_words(nlp):
    found = matched(nlp, codebook(phrases=("lockdown",)), "Tijdens de lockdown.")
    assert ("lemma", "lockdown") in found


def test_exclusions_are_compiled_as_their_own_rule(nlp):
    found = matched(
        nlp,
        codebook(lemmas=("welzijn",), exclude=("welzijnsorganisatie",)),
        "De welzijnsorganisatie en mijn welzijn.",
    )
    assert ("exclude", "welzijnsorganisatie") in found and ("lemma", "welzijn") in found


def test_definition_words_skip_words_many_codes_share(nlp):
    book = Codebook(
        "t",
        tuple(
            Code(key, key, definition=f"Gesprekken over {word} met de activeringscoach.")
            for key, word in (("a", "schulden"), ("b", "kinderopvang"), ("c", "verslaving"))
        ),
    )
    words = definition_words(book, nlp)
    assert "schuld" in words["a"] and "kinderopvang" in words["b"]
    assert "activeringscoach" not in words["a"]  # in all three definitions


def test_pattern_count_reflects_the_codebook(nlp):
    small = build_patterns(codebook(lemmas=("a1",)), nlp, use_definitions=False).pattern_count
    large = build_patterns(
        codebook(lemmas=("a1", "b2"), phrases=("een twee", "drie vier")), nlp, use_definitions=False
    ).pattern_count
    assert large > small > 0


@pytest.mark.parametrize(
    "text, lemma",
    [
        ("Ik werd onder druk gezet.", "zetten"),
        ("Hij moest komen.", "moeten"),
        ("Zij zat thuis.", "zitten"),
        ("Ze werkt drie dagen.", "werken"),
        ("Ik ben uitgenodigd.", "uitnodigen"),
        ("Hij heeft afgehaakt.", "afhaken"),
    ],
)
def test_lemma_signals_find_irregular_and_unlisted_verb_forms(nlp, text, lemma):
    found = matched(nlp, codebook(lemmas=(lemma,)), text)
    assert any(kind == "lemma" for kind, _ in found), found


def test_verb_lemmas_leave_nouns_and_function_words_alone(nlp):
    doc = nlp("Ze zei dat de kracht van de markt groot is.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["Ze"].lower() == "ze" and lemmas["kracht"] == "kracht"
    assert lemmas["zei"] == "zeggen"


def test_long_word_signals_count_as_compound_heads(nlp):
    compiled = build_patterns(
        codebook(lemmas=("uitkering", "gesprek", "afhaken")), nlp, use_definitions=False
    )
    doc = nlp("Een bijstandsuitkering, keukentafelgesprekken en een uitkering.")
    heads = {t.text: [signal for _, signal in compiled.heads(t.text)] for t in doc}
    assert heads["bijstandsuitkering"] == ["uitkering"]
    assert heads["keukentafelgesprekken"] == ["gesprek"]
    assert heads["uitkering"] == []  # the word itself is the lemma rule's job
    assert compiled.heads("doorafhaken") == []  # verbs in -en head no compound


def test_definition_words_drop_generic_words_and_read_examples(nlp):
    book = Codebook(
        "t",
        (
            Code(
                "a",
                "A",
                definition="Mensen die komen voor de voedselbank.",
                examples=("Ik ga elke week naar de deurwaarder.",),
            ),
            Code("b", "B", definition="Iets anders over taalcursus."),
        ),
    )
    words = definition_words(book, nlp)
    assert {"voedselbank", "deurwaarder"} <= words["a"]
    assert "komen" not in words["a"] and "week" not in words["a"]


def test_related_codes_come_from_siblings_and_exclusion_pointers():
    book = Codebook(
        "t",
        (
            Code("c1", "C1", kind="category"),
            Code("a", "A", parent="c1", exclude="Een straf → b; iets anders → ook d."),
            Code("c", "C", parent="c1"),
            Code("c2", "C2", kind="category"),
            Code("b", "B", parent="c2"),
            Code("d", "D", parent="c2"),
        ),
    )
    near = related_codes(book)
    assert near["a"] == {"b", "c", "d"}
    assert "a" in near["b"] and "d" in near["b"]  # pointers work both ways; d is a sibling
    assert related_codes(book, siblings=False)["c"] == set()
