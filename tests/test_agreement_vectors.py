"""Published agreement examples from ../shared/agreement/vectors.json.

The file lives next to the repository, not in it; when it is absent these tests skip.
Each example's ``data.format`` is converted here into kwali.agreement's own input.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kwali.agreement import (
    binary_u_alpha,
    character_agreement,
    cohen_kappa,
    cu_alpha,
    fleiss_kappa,
    k_u_alpha,
    krippendorff_alpha,
    krippendorff_alpha_result,
    percent_agreement,
    u_alpha,
)

from helpers import SHARED

VECTORS = SHARED / "agreement" / "vectors.json"  # ../shared, as helpers.shared_path finds it


def _load() -> list[Any]:
    if not VECTORS.exists():
        return [pytest.param(None, id="vectors-absent")]
    return [pytest.param(v, id=v["name"]) for v in json.loads(VECTORS.read_text(encoding="utf-8"))]


def coder_rows(data: dict[str, Any]) -> list[list[Any]]:
    kind = data["format"]
    if kind == "coders_x_units":
        return data["values"]
    if kind == "units_x_coders":
        return [list(row) for row in zip(*data["values"], strict=True)]
    if kind == "contingency_table":
        a, b = [], []
        for i, row in enumerate(data["table"]):
            for j, count in enumerate(row):
                a += [i] * count
                b += [j] * count
        return [a, b]
    raise AssertionError(f"not reliability data: {kind}")


def continuum(data: dict[str, Any]) -> tuple[int, list[tuple], list[tuple]]:
    """(length, spans, holes) from either unitized format."""
    length = data["continuum"]["length"]
    begin = data["continuum"].get("begin", 0)
    if data["format"] == "unitized_continuum":
        spans = [
            (coder, s["start"] - begin, s["start"] - begin + s["length"], s["value"])
            for coder, pieces in enumerate(data["coders"])
            for s in pieces
        ]
        return length, spans, []
    spans, holes = [], []
    for coder, pieces in data["coders"].items():
        covered = set()
        for p in pieces:
            covered.update(range(p["start"] - begin, p["end"] - begin))
            if p["value"] is not None:
                spans.append((coder, p["start"] - begin, p["end"] - begin, p["value"]))
        # Positions no piece covers are holes: the coder gave no value there at all.
        holes += [(coder, x, x + 1) for x in range(length) if x not in covered]
    return length, spans, holes


def compute(vector: dict[str, Any]) -> float:
    metric, data, level = vector["metric"], vector["data"], vector["level"]
    if data["format"] == "char_counts":
        both, one_only, neither = data["both"], data["one_only"], data["neither"]
        length = both + one_only + neither
        result = character_agreement(length, [(0, both + one_only)], [(0, both)])
        assert metric == "percent_agreement"
        return result.percent_agreement
    if data["format"].startswith("unitized"):
        length, spans, holes = continuum(data)
        if metric == "u_alpha_2016":
            return u_alpha(length, spans, holes=holes)
        if metric == "binary_u_alpha_2016":
            return binary_u_alpha(length, spans, holes=holes)
        if metric == "cu_alpha_2016":
            return cu_alpha(length, spans, holes=holes)
        if metric == "k_u_alpha_2016":
            code = vector.get("value", vector["name"].rsplit("_", 1)[1])
            return k_u_alpha(length, spans, code, holes=holes)
        raise AssertionError(f"unknown unitizing metric {metric}")
    rows = coder_rows(data)
    if metric == "krippendorff_alpha":
        return krippendorff_alpha(rows, level)
    if metric == "krippendorff_alpha_expected_agreement":
        return krippendorff_alpha_result(rows, level).expected_agreement
    if metric in ("percent_agreement", "percent_agreement_pairwise"):
        return percent_agreement(rows)
    if metric == "cohen_kappa":
        return cohen_kappa(rows)
    if metric == "fleiss_kappa":
        return fleiss_kappa(rows)
    raise AssertionError(f"unknown metric {metric}")


@pytest.mark.parametrize("vector", _load())
def test_published_vector(vector):
    if vector is None:
        pytest.skip(f"{VECTORS} is not available")
    assert compute(vector) == pytest.approx(vector["expected"], abs=vector["tolerance"])
