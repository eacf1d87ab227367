"""Codebook YAML: the shipped codebook loads, errors name the line, dump/load round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwali.errors import CodebookError
from kwali.io.codebook import dump_codebook, load_codebook, parse_codebook, save_codebook

SHIPPED = Path(__file__).resolve().parents[1] / "codebooks" / "tegenprestatie.yaml"
REQUIRED = (
    "dwang sanctie ontheffing verdringing vrijwilligheid motivatie gezondheid begeleiding zelfregie "
    "matching sociale_contacten ontwikkeling betaald_werk wederkerigheid waardering financien "
    "mantelzorg gezin_combineren taal corona ontvangende_organisatie bureaucratie vertrouwen "
    "samenwerking middelen"
).split()

SMALL = """\
name: Klein
version: "2"
categories:
  - key: verplichting
    label: Verplichting
    colour: "#C0392B"
    codes:
      - key: dwang
        label: Ervaren verplichting
        definition: Het moeten.
        examples: ["Ik moest van de gemeente."]
        signals:
          lemmas: [Dwang, verplicht]
          phrases: ["stok achter de deur"]
          regex: ['\\bmoest\\b']
          exclude: [verplichtingen]
  - key: effecten
    label: Effecten
    codes:
      - key: contact_a
        label: Contact
      - key: contact_b
        label: Contact
"""


def error_of(text: str) -> str:
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, "cb.yaml")
    assert info.value.path == "cb.yaml"
    return info.value.message


def test_shipped_codebook_has_the_study_codes():
    codebook = load_codebook(SHIPPED)
    codes = [c for c in codebook if c.kind == "code"]
    categories = [c for c in codebook if c.kind == "category"]
    assert len(codes) == 27 and len(categories) == 7
    assert set(REQUIRED) <= set(codebook.keys())
    assert {"welbevinden", "professionele_rol"} <= set(codebook.keys())
    for code in codes:
        assert code.parent in {c.key for c in categories}
        assert code.label and code.definition and code.colour.startswith("#")
        assert not code.signals.is_empty(), code.key


def test_parents_come_before_children_and_fields_are_read():
    codebook = parse_codebook(SMALL)
    keys = codebook.keys()
    assert keys.index("verplichting") < keys.index("dwang")
    dwang = codebook.get("dwang")
    assert dwang.parent == "verplichting" and dwang.kind == "code"
    assert codebook.get("verplichting").kind == "category"
    assert dwang.signals.lemmas == ("dwang", "verplicht")  # matched case-insensitively
    assert dwang.signals.phrases == ("stok achter de deur",)
    assert dwang.signals.exclude == ("verplichtingen",)
    assert dwang.examples == ("Ik moest van de gemeente.",)
    assert codebook.version == "2"


def test_same_label_under_different_parents_is_allowed():
    codebook = parse_codebook(SMALL)
    assert codebook.get("contact_a").label == codebook.get("contact_b").label


def test_missing_label_names_the_line():
    text = SMALL.replace("        label: Ervaren verplichting\n", "")
    assert "regel 8: code 'dwang' heeft geen label" in error_of(text)


def test_duplicate_key_names_both_lines():
    text = SMALL.replace("key: contact_b", "key: dwang")
    message = error_of(text)
    assert "sleutel 'dwang' komt twee keer voor" in message and "eerst op regel 8" in message


def test_bad_colour_regex_and_unknown_field_are_all_reported():
    text = (
        SMALL.replace('colour: "#C0392B"', 'colour: "rood"')
        .replace("'\\bmoest\\b'", "'(onaf'")
        .replace("        definition: Het moeten.", "        defintion: Het moeten.")
    )
    message = error_of(text)
    assert "regel 6: kleur 'rood' van 'verplichting' is geen #RRGGBB" in message
    assert "regex '(onaf' van 'dwang' is ongeldig" in message
    assert "regel 10: code 'dwang' heeft een onbekend veld 'defintion'" in message


def test_unknown_parent_and_cycle_in_flat_codes():
    flat = """\
name: Plat
codes:
  - {key: a, label: A, parent: b}
  - {key: b, label: B, parent: a}
  - {key: c, label: C, parent: nergens}
"""
    message = error_of(flat)
    assert "regel 5: bovenliggende code 'nergens' van 'c' bestaat niet" in message
    assert "kring" in message and "regel 3" in message


def test_flat_codes_with_parents_are_ordered_parents_first():
    flat = (
        "name: Plat\ncodes:\n  - {key: kind, label: K, parent: ouder}\n  - {key: ouder, label: O}\n"
    )
    assert parse_codebook(flat).keys() == ["ouder", "kind"]


def test_yaml_syntax_error_names_the_line():
    assert error_of("name: x\ncategories:\n  - key: [unclosed\n").startswith("regel ")


def test_empty_and_missing_files(tmp_path):
    assert error_of("") == "is leeg"
    assert "geen categorieën of codes" in error_of("name: Leeg\n")
    with pytest.raises(CodebookError, match="dit codeboekbestand bestaat niet"):
        load_codebook(tmp_path / "nee.yaml")
    (tmp_path / "latin.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(CodebookError, match="UTF-8"):
        load_codebook(tmp_path / "latin.yaml")


def test_dump_and_load_round_trip(tmp_path):
    for codebook in (parse_codebook(SMALL), load_codebook(SHIPPED)):
        assert parse_codebook(dump_codebook(codebook)) == codebook
    path = tmp_path / "uit.yaml"
    save_codebook(parse_codebook(SMALL), path)
    assert load_codebook(path) == parse_codebook(SMALL)
