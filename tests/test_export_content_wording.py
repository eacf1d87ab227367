"""One rule for Dutch counts: the singular for exactly one, a point between thousands."""

from __future__ import annotations

import pytest

from kwali import i18n
from kwali.app.wording import counted, number


@pytest.fixture(autouse=True)
def dutch():  # type: ignore[no-untyped-def]
    before = i18n.language()
    i18n.set_language("nl")
    yield
    i18n.set_language(before)


@pytest.mark.parametrize(
    ("n", "shown"),
    [
        (0, "0 documenten"),
        (1, "1 document"),
        (2, "2 documenten"),
        (3551, "3.551 documenten"),
        (-1, "-1 documenten"),
    ],
)
def test_one_document_many_documenten(n: int, shown: str) -> None:
    assert counted(n, "document", "documenten") == shown


def test_irregular_plurals_are_the_callers() -> None:
    assert counted(1, "citaat", "citaten") == "1 citaat"
    assert counted(2, "memo", "memo's") == "2 memo's"
    assert number(1234567) == "1.234.567"


def test_numbers_follow_the_language() -> None:
    i18n.set_language("en")
    assert number(3551) == "3,551"
