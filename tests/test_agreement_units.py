"""From codings to agreement inputs: which units a coding marks, missing documents, domains."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwali.agreement import AgreementError, krippendorff_alpha
from kwali.agreement.units import NO_VALUE, NONE, continuum, domain_table, unit_table

# Two documents: 1 has units [0,10) [10,20) [25,40); 2 has [0,5) [5,30).
UNITS = [(1, 0, 10), (1, 10, 20), (1, 25, 40), (2, 0, 5), (2, 5, 30)]


def test_a_coding_marks_every_unit_it_overlaps_by_one_character():
    codings = [
        (1, 3, 6, "x", "anna"),  # a phrase inside unit 0
        (1, 19, 26, "x", "bram"),  # last char of unit 1, gap, first char of unit 2
        (1, 20, 25, "y", "anna"),  # only the gap between units: marks nothing
        (2, 0, 30, "y", "bram"),  # both units of document 2
    ]
    table = unit_table(UNITS, codings, ["anna", "bram"], ["x", "y"])
    x, y = table.present
    assert x.tolist() == [[True, False, False, False, False], [False, True, True, False, False]]
    assert y.tolist() == [[False] * 5, [False, False, False, True, True]]


def test_min_share_ignores_a_selection_that_spills_into_the_next_unit():
    codings = [(1, 0, 11, "x", "anna"), (1, 12, 14, "x", "anna")]
    loose = unit_table(UNITS, codings, ["anna"], ["x"]).present[0, 0]
    strict = unit_table(UNITS, codings, ["anna"], ["x"], min_share=0.5).present[0, 0]
    assert loose[:2].tolist() == [True, True]
    assert strict[:2].tolist() == [True, False]  # 1 + 2 characters of a 10-character unit


def test_a_document_a_coder_never_coded_is_missing_not_absent():
    codings = [(1, 0, 10, "x", "anna"), (1, 0, 10, "x", "bram"), (2, 0, 5, "x", "anna")]
    table = unit_table(UNITS, codings, ["anna", "bram"], ["x"])
    assert table.covered.tolist() == [[True] * 5, [True, True, True, False, False]]
    assert table.comparable().tolist() == [True, True, True, False, False]
    data = table.data("x")
    assert data.shape == (2, 3) and not np.isnan(data).any()
    assert table.coded_counts("x") == {"anna": 1, "bram": 1}  # document 2 is not compared
    covered = unit_table(
        UNITS, codings, ["anna", "bram"], ["x"], covered={"anna": {1, 2}, "bram": {1, 2}}
    )
    assert covered.data("x").shape == (2, 5)


def test_differing_units_and_pooled_data():
    codings = [
        (1, 0, 10, "x", "anna"),
        (1, 0, 10, "x", "bram"),
        (1, 10, 20, "y", "anna"),
        (2, 0, 5, "x", "anna"),
        (2, 6, 7, "y", "bram"),
    ]
    table = unit_table(UNITS, codings, ["anna", "bram"], ["x", "y"])
    assert table.differing().tolist() == [False, True, False, True, True]
    assert table.differing(["x"]).tolist() == [False, False, False, True, False]
    pooled = table.pooled()
    assert pooled.shape == (2, 10)
    assert krippendorff_alpha(pooled) == pytest.approx(
        krippendorff_alpha(np.concatenate([table.data("x"), table.data("y")], axis=1))
    )


def test_overlapping_units_are_refused():
    with pytest.raises(AgreementError, match="overlappen"):
        unit_table([(1, 0, 10), (1, 5, 15)], [], ["a"], ["x"])


def test_domain_values_none_and_conflicts():
    codings = [
        (1, 0, 10, "wel", "anna"),
        (1, 0, 10, "wel", "bram"),
        (1, 10, 20, "wel", "anna"),
        (1, 10, 20, "niet", "anna"),  # anna breaks the domain
        (1, 10, 20, "niet", "bram"),
        (1, 25, 40, "niet", "bram"),
    ]
    table = unit_table(UNITS, codings, ["anna", "bram"], ["wel", "niet"])
    domain = domain_table(table, ["wel", "niet"])
    assert domain.values[:, :3].tolist() == [[0, NO_VALUE, NONE], [0, 1, 1]]
    assert domain.conflicts.sum() == 1 and domain.conflicts[0, 1]
    assert (domain.values[:, 3:] == NO_VALUE).all()  # document 2 uncoded by both
    assert domain.data().tolist() == [[0.0, -1.0], [0.0, 1.0]]  # units with two values
    assert domain.label(1) == "niet" and domain.label(NONE) is None
    with pytest.raises(AgreementError, match="niet een van de vergeleken"):
        domain_table(table, ["wel", "elders"])


def test_continuum_lays_documents_end_to_end_with_holes():
    codings = [
        (1, 2, 5, "x", "anna"),
        (2, 0, 4, "x", "anna"),
        (2, 1, 3, "x", "bram"),
        (3, 0, 1, "x", "bram"),
    ]
    line = continuum({1: 10, 2: 6}, codings, ["anna", "bram"])
    assert line.length == 16 and line.offsets == {1: 0, 2: 10}
    assert sorted(line.spans) == [("anna", 2, 5, "x"), ("anna", 10, 14, "x"), ("bram", 11, 13, "x")]
    assert line.holes == (("bram", 0, 10),)  # bram never coded document 1
    assert line.coder_spans("anna", ["x"]) == [(2, 5), (10, 14)]


@settings(max_examples=60, deadline=None)
@given(
    cuts=st.lists(st.integers(1, 8), min_size=1, max_size=8),
    raw=st.lists(
        st.tuples(
            st.integers(0, 60), st.integers(1, 12), st.sampled_from("xy"), st.sampled_from("ab")
        ),
        max_size=12,
    ),
    share=st.sampled_from([0.0, 0.5, 1.0]),
)
def test_matches_a_character_by_character_reading(cuts, raw, share):
    units, position = [], 0
    for size in cuts:  # units separated by one-character gaps
        units.append((1, position, position + size))
        position += size + 1
    codings = [
        (1, s, min(s + n, position), code, coder) for s, n, code, coder in raw if s < position
    ]
    table = unit_table(
        units, codings, ["a", "b"], ["x", "y"], covered={"a": {1}, "b": {1}}, min_share=share
    )
    for k, code in enumerate("xy"):
        for i, coder in enumerate("ab"):
            for u, (_, start, end) in enumerate(units):
                overlaps = [
                    min(e, end) - max(s, start)
                    for _, s, e, c, who in codings
                    if c == code and who == coder
                ]
                need = max(1, -(-share * (end - start) // 1))
                assert table.present[k, i, u] == any(o >= need for o in overlaps)
