"""One rule for Dutch counts: the singular for exactly one, a point between thousands."""

from __future__ import annotations

import pytest

from kwali.app.wording import counted, number


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
