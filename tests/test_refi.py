"""Shared REFI-QDA helpers: GUIDs, slugs and keys, safe XML, Descriptions, the Codes tree."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwali.errors import CodebookError, InputError
from kwali.io.refi import (
    assign_keys,
    build_codes,
    children,
    format_description,
    guid_for,
    normalise_guid,
    parse_description,
    parse_xml,
    read_codes,
    slugify,
)
from kwali.model import Code, Signals

GUID = re.compile(r"^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$")
FILE = Path("codes.qdc")


def codes_element(xml: str):
    root = parse_xml(
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{xml}</Codes></CodeBook>'.encode(), FILE
    )
    return children(root, "Codes")[0]


# --- GUIDs, slugs, keys ---------------------------------------------------------------


def test_guids_are_stable_valid_and_distinct():
    assert guid_for("code", "werkdruk") == guid_for("code", "werkdruk")
    assert guid_for("code", "werkdruk") != guid_for("code", "werkdrukte")
    assert guid_for("code", "x") != guid_for("user", "x")
    assert GUID.match(guid_for("code", "werkdruk"))
    assert uuid.UUID(guid_for("code", "werkdruk")).version == 5


def test_normalise_guid_accepts_braces_and_upper_case():
    assert (
        normalise_guid("{A182CD3A-D83C-4D8C-BC80-26D9103EC6D6}")
        == "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"
    )


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ontheffing", "ontheffing"),
        ("Één cliënt, twéé reïntegratie", "een_client_twee_reintegratie"),
        ("Zorg & ziekte (mantelzorg)", "zorg_ziekte_mantelzorg"),
        ("  Straße  ", "strasse"),
        ("1. Oltás típusa", "1_oltas_tipusa"),
        ("😀", ""),
    ],
)
def test_slugify_gives_ascii_snake_case(name, slug):
    assert slugify(name) == slug


def test_slugify_keeps_keys_short():
    slug = slugify("een heel lange naam " * 20)
    assert len(slug) <= 60 and not slug.endswith("_")


def test_same_name_under_different_parents_gets_the_parents_key():
    names = ["competencies", "programming", "cs_as", "programming"]
    keys = assign_keys(names, [None, 0, None, 2])
    assert keys == ["competencies", "programming_competencies", "cs_as", "programming_cs_as"]


def test_keys_stay_unique_whatever_the_names():
    names = ["a", "a", "b", "a", "a_b", "", "😀"]
    keys = assign_keys(names, [None, None, None, 2, None, None, None])
    assert len(set(keys)) == len(keys)
    assert keys[5].startswith("code") and keys[6].startswith("code")


def test_explicit_keys_are_kept_and_never_handed_out_again():
    keys = assign_keys(["werk", "werk"], [None, None], explicit={1: "werk"})
    assert keys[1] == "werk" and keys[0] != "werk"


# --- Safe XML ----------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<CodeBook><Codes><Code guid="x" name="&lol2;" isCodable="true"/></Codes></CodeBook>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><CodeBook>&xxe;</CodeBook>"""


@pytest.mark.parametrize(
    "data", [BILLION_LAUGHS, EXTERNAL, b'<!DOCTYPE x SYSTEM "http://e/x.dtd"><x/>']
)
def test_parse_xml_refuses_dtds_and_entities(data):
    with pytest.raises(CodebookError) as info:
        parse_xml(data, FILE)
    assert "codes.qdc" in str(info.value) and "DTD" in str(info.value)


def test_parse_xml_error_class_can_be_chosen_and_is_one_line():
    with pytest.raises(InputError) as info:
        parse_xml(b"not <xml", Path("p.qde"), error=InputError)
    assert "p.qde" in str(info.value) and "\n" not in str(info.value)


# --- Descriptions --------------------------------------------------------------------------


def full_code(**changes) -> Code:
    values = dict(
        key="tegenprestatie_verplicht",
        label="Verplichting",
        definition="Moeten werken.\nZonder loon.",
        include="Uitspraken over moeten.\nWel: ook dit is tekst",
        exclude="Vrijwilligerswerk",
        examples=("ik moet 20 uur", '"precies zo"', "- met streep", "twee\nregels", " spatie"),
        signals=Signals(
            lemmas=("moeten", "verplichten"),
            regex=(r"\bverplicht(e|ing)?\b: x",),
            exclude=("mogen",),
        ),
    )
    values.update(changes)
    return Code(**values)


def parts_of(code: Code) -> tuple:
    return (code.definition, code.include, code.exclude, code.examples, code.signals)


def test_description_round_trips_every_field():
    code = full_code()
    text = format_description(code, key_needed=True)
    assert text.startswith("Moeten werken.\nZonder loon.\n\n[kwali]\nSleutel: tegenprestatie_")
    assert text.endswith("\n[/kwali]")
    assert "\nWel: " in text and "\nNiet: " in text and "\nVoorbeelden:\n- " in text
    assert "\nSignalen:\n- lemmas: moeten" in text
    parts = parse_description(text)
    assert parts.key == code.key
    assert (
        parts.definition,
        parts.include,
        parts.exclude,
        parts.examples,
        parts.signals,
    ) == parts_of(code)


def test_quoted_examples_stay_readable():
    code = Code(key="k", label="K", examples=('"anders word je gekort"', "twee\nregels"))
    text = format_description(code)
    assert '\n- "anders word je gekort"\n' in text and '\n- "twee\\nregels"' in text
    assert parse_description(text).examples == code.examples


def test_definition_only_is_written_plain_and_read_back():
    code = Code(key="k", label="K", definition="Gewoon een omschrijving.\n  ingesprongen")
    assert format_description(code) == code.definition
    assert parse_description(code.definition).definition == code.definition


def test_definition_that_looks_like_a_header_is_kept_whole():
    code = Code(key="k", label="K", definition="Wel: dit hoort bij de definitie")
    text = format_description(code)
    assert text.startswith("Wel: dit hoort bij de definitie\n\n[kwali]")  # older kwali: safe
    for legacy in (False, True):
        assert parse_description(text, legacy=legacy).definition == code.definition
        assert parse_description(text, legacy=legacy).include == ""


def test_foreign_descriptions_are_definitions_verbatim_and_kwalis_old_form_is_read():
    assert parse_description("COVID vay nem COVID").definition == "COVID vay nem COVID"
    foreign = "Intro\nDefinition: text\nInclude: yes\nExamples:\nfirst\n* second"
    assert parse_description(foreign).definition == foreign
    parts = parse_description(foreign, legacy=True)  # only for files kwali wrote
    assert parts.definition == "Intro\n\ntext"
    assert parts.include == "yes"
    assert parts.examples == ("first", "second")


def test_a_bad_signal_line_is_reported():
    with pytest.raises(ValueError, match="signaalregel"):
        parse_description("[kwali]\nSignalen:\n- kleur: rood\n[/kwali]")
    with pytest.raises(ValueError, match="signaalregel"):
        parse_description("Signalen:\n- kleur: rood", legacy=True)


pieces = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    ["\n", '"', "\\", "- ", ": ", " ", '"a"', '"\\n"', "Wel: ", "  "]
)
text_values = st.lists(pieces, max_size=12).map("".join)
stripped = text_values.map(str.strip)


@settings(max_examples=300, deadline=None)
@given(
    definition=stripped,
    include=stripped,
    exclude=stripped,
    examples=st.lists(text_values, max_size=3),
    lemmas=st.lists(text_values, max_size=3),
    regex=st.lists(text_values, max_size=2),
)
def test_description_round_trip_property(definition, include, exclude, examples, lemmas, regex):
    code = Code(
        key="k",
        label="K",
        definition=definition,
        include=include,
        exclude=exclude,
        examples=tuple(examples),
        signals=Signals(lemmas=tuple(lemmas), regex=tuple(regex)),
    )
    parts = parse_description(format_description(code))
    assert (
        parts.definition,
        parts.include,
        parts.exclude,
        parts.examples,
        parts.signals,
    ) == parts_of(code)


# --- The Codes tree ------------------------------------------------------------------------


def test_read_codes_nesting_kinds_colours_and_guids():
    element = codes_element(
        '<Code guid="{A182CD3A-D83C-4D8C-BC80-26D9103EC6D6}" name="Werk" isCodable="false" color="#FF0000">'
        "<Description>Alles over werk</Description>"
        '<Code guid="2d2466f0-d77f-4f8c-bdf9-628966b6b74d" name="Loon" isCodable="true" color="rood"/>'
        "</Code>"
        '<Code guid="086ac733-7b1c-4749-a138-d7182f63a5c9" name="Zorg" isCodable="0" color="#0aF"/>'
    )
    imported = read_codes(element, FILE)
    werk, loon, zorg = imported.codes
    assert (werk.key, werk.kind, werk.colour, werk.definition, werk.parent) == (
        "werk",
        "category",
        "#FF0000",
        "Alles over werk",
        None,
    )
    assert (loon.key, loon.kind, loon.colour, loon.parent) == ("loon", "code", "", "werk")
    assert zorg.kind == "category" and zorg.colour == "#00aaFF"
    assert imported.guids["werk"] == "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"
    assert imported.keys_by_guid()["2d2466f0-d77f-4f8c-bdf9-628966b6b74d"] == "loon"


@pytest.mark.parametrize(
    ("xml", "problem"),
    [
        ('<Code name="a" isCodable="true"/>', "zonder guid"),
        ('<Code guid="2d2466f0-d77f-4f8c-bdf9-628966b6b74d" isCodable="true"/>', "zonder name"),
        (
            '<Code guid="2d2466f0-d77f-4f8c-bdf9-628966b6b74d" name="a" isCodable="true"/>'
            '<Code guid="2D2466F0-D77F-4F8C-BDF9-628966B6B74D" name="b" isCodable="true"/>',
            "meer dan één code",
        ),
        (
            '<Code guid="2d2466f0-d77f-4f8c-bdf9-628966b6b74d" name="a" isCodable="true">'
            "<Description>[kwali]\nSignalen:\n- onzin\n[/kwali]</Description></Code>",
            "signaalregel",
        ),
    ],
)
def test_read_codes_refuses_broken_codes(xml, problem):
    with pytest.raises(CodebookError, match=problem) as info:
        read_codes(codes_element(xml), FILE)
    assert "codes.qdc" in str(info.value)


def test_read_codes_survives_deep_nesting():
    depth = 3000
    xml = "".join(
        f'<Code guid="{guid_for("t", str(i))}" name="c{i}" isCodable="true">' for i in range(depth)
    )
    imported = read_codes(codes_element(xml + "</Code>" * depth), FILE)
    assert len(imported.codes) == depth and imported.codes[-1].parent == f"c{depth - 2}"


def test_build_codes_nests_children_and_keeps_given_guids():
    codes = [
        Code(key="zorg", label="Zorg", kind="category"),
        Code(key="werk", label="Werk"),
        Code(key="mantelzorg", label="Mantelzorg", parent="zorg", colour="#00ff00"),
    ]
    kept = "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"
    element, warnings = build_codes(codes, guids={"werk": kept})
    assert warnings == ()
    zorg, werk = children(element, "Code")
    assert zorg.get("isCodable") == "false" and werk.get("isCodable") == "true"
    assert werk.get("guid") == kept and zorg.get("guid") == guid_for("code", "zorg")
    (mantelzorg,) = children(zorg, "Code")
    assert mantelzorg.get("color") == "#00ff00" and mantelzorg.get("name") == "Mantelzorg"


def test_build_codes_writes_a_key_only_when_it_cannot_be_derived():
    codes = [Code(key="werk", label="Werk"), Code(key="zorg_en_welzijn", label="Zorg")]
    element, _ = build_codes(codes)
    werk, zorg = children(element, "Code")
    assert children(werk, "Description") == []
    assert children(zorg, "Description")[0].text == "[kwali]\nSleutel: zorg_en_welzijn\n[/kwali]"
    assert [c.key for c in read_codes(element, FILE).codes] == ["werk", "zorg_en_welzijn"]


def test_build_codes_warns_about_a_colour_it_cannot_write():
    element, warnings = build_codes([Code(key="a", label="A", colour="rood")])
    assert "color" not in children(element, "Code")[0].attrib
    assert len(warnings) == 1 and "rood" in warnings[0]


@pytest.mark.parametrize(
    ("codes", "problem"),
    [
        ([Code(key="a", label="A", parent="b")], "onbekende bovenliggende code"),
        ([Code(key="a", label="A", parent="b"), Code(key="b", label="B", parent="a")], "kring"),
        ([Code(key="a", label="A"), Code(key="a", label="B")], "dezelfde sleutel"),
    ],
)
def test_build_codes_refuses_a_broken_hierarchy(codes, problem):
    with pytest.raises(ValueError, match=problem):
        build_codes(codes)
