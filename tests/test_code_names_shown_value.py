"""The one display rule for raw attribute values: underscores between letters read as spaces,
numbers the Dutch way; anything else is shown as stored."""

from __future__ import annotations

import pytest

from kwali.store.attribute_types import shown_value


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("ontvangende_organisatie", "ontvangende organisatie"),
        ("vorm_tegenprestatie", "vorm tegenprestatie"),
        ("één_twee", "één twee"),
        ("a__b", "a b"),
        ("face-to-face", "face-to-face"),
        ("Prestatie010", "Prestatie010"),
        ("R_123", "R_123"),  # an id: the underscore may be meant
        ("_intern", "_intern"),
        ("", ""),
    ],
)
def test_a_raw_value_is_shown_as_written_words(raw: str, shown: str) -> None:
    assert shown_value(raw) == shown


def test_a_number_is_shown_the_dutch_way() -> None:
    assert shown_value("3.5", "number") == "3,5"
