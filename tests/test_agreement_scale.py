"""Agreement at scale gives the same figures as before (issue #18).

The statistics now run on tallies (each distinct unit once, with how often it occurs)
and the character level on span boundaries instead of arrays over every character. Two
kinds of check:

* every figure ``kwali agree`` reports on seeded random projects (three coders and two, the
  sentence and the character unit, domains, a coder who skipped a document, intervals with
  a fixed seed) equals the report the old code made (``GOLDEN``, written by the code of
  commit 8eb6aef with ``python tests/test_agreement_scale.py``) within 1e-12;
* each statistic of ``kwali.agreement`` on a tally equals the same statistic on the
  expanded coders × units data, on random data of several shapes.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import numpy as np
import pytest

from kwali.model import Code, Codebook, Segment, Transcript
from kwali.store import Project

TOLERANCE = 1e-12
CODERS = ("anna", "bram", "cees")
CODES = ("werk", "geld", "zorg", "taal", "dwang", "vrij", "klant", "boete")
DOMAINS = {"houding": ("pos", "neg", "neutraal"), "steun": ("familie", "vrienden")}
WORDS = ("ik", "moest", "van", "de", "gemeente", "werken", "in", "het", "buurthuis", "geld")


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize() + "."


def _document(rng: random.Random, number: int) -> tuple[Transcript, list[tuple[int, int, int]]]:
    """An I:/R: interview and its respondent sentences (turn, start, end)."""
    from kwali.io.turns import detect_turns

    text = f"Interview {number}\n\n"
    for turn in range(12):
        label = "I" if turn % 2 == 0 else "R"
        text += f"{label}: " + " ".join(_sentence(rng) for _ in range(rng.randint(1, 4))) + "\n\n"
    turns = detect_turns(text)
    sentences = []
    for turn in turns:
        content = text[turn.content_start : turn.content_end]
        start = turn.content_start
        for end_mark in [i for i, ch in enumerate(content) if ch == "."]:
            end = turn.content_start + end_mark + 1
            sentences.append((turn.number, start, end, turn.role))
            start = end + 1
    return Transcript(text, turns, f"interview_{number}.txt", "txt"), sentences


def build(path: Path | None, seed: int, documents: int = 6) -> Project:
    """A seeded project: three coders, 8 codes and two domains; cees skips document 2."""
    rng = random.Random(seed)
    project = Project.create(path) if path else Project.in_memory()
    codes = [Code(k, k.capitalize()) for k in CODES]
    for domain, members in DOMAINS.items():
        codes.append(Code(domain, domain.capitalize(), kind="category"))
        codes += [Code(k, k.capitalize(), parent=domain) for k in members]
    project.set_codebook(Codebook("schaal", tuple(codes)), "kwali")
    for number in range(1, documents + 1):
        transcript, sentences = _document(rng, number)

        def segments(doc_id: int, uid: str, s=sentences, t=transcript) -> list[Segment]:
            rows = [
                Segment(f"{uid}:{turn}.{i}", doc_id, "sentence", turn, i, a, b, 1, "")
                for i, (turn, a, b, _role) in enumerate(s, start=1)
            ]
            rows += [
                Segment(
                    f"{uid}:{x.number}",
                    doc_id,
                    "turn",
                    x.number,
                    0,
                    x.content_start,
                    x.content_end,
                    1,
                    "",
                )
                for x in t.turns
            ]
            return rows

        stored, _ = project.add_document(transcript, segments)
        answers = [s for s in sentences if s[3] != "interviewer"]
        truth = {(rng.randrange(len(answers)), rng.choice(CODES)) for _ in range(10)}
        mood = {
            u: rng.choice(DOMAINS["houding"]) for u in range(len(answers)) if rng.random() < 0.5
        }
        for coder in CODERS:
            if coder == "cees" and number == 2:
                continue
            found = {p for p in sorted(truth) if rng.random() < 0.8}
            found |= {(rng.randrange(len(answers)), rng.choice(CODES)) for _ in range(3)}
            for u, key in sorted(found):
                _turn, a, b, _role = answers[u]
                if rng.random() < 0.3 and b - a > 3:
                    a = rng.randint(a, b - 2)
                    b = rng.randint(a + 1, b)
                elif rng.random() < 0.1 and u + 1 < len(answers):
                    b = answers[u + 1][2]  # into the next sentence
                project.add_coding(stored.id, a, b, key, coder)
            for u, value in mood.items():  # one domain value per sentence: no overlap
                if rng.random() < 0.25:
                    value = rng.choice(DOMAINS["houding"])
                _turn, a, b, _role = answers[u]
                project.add_coding(stored.id, a, b, value, coder)
            for _ in range(2):  # 'steun' may get both of its codes: conflicts
                _turn, a, b, _role = answers[rng.randrange(len(answers))]
                project.add_coding(stored.id, a, b, rng.choice(DOMAINS["steun"]), coder)
    return project


SCENARIOS = {
    "sentence3": {"unit": "sentence", "coders": []},
    "sentence2": {"unit": "sentence", "coders": ["anna", "bram"]},
    "turn3": {"unit": "turn", "coders": []},
    "char3": {"unit": "char", "coders": []},
    "char2": {"unit": "char", "coders": ["anna", "cees"]},
}
SEEDS = (1, 2)


def reports() -> dict[str, dict]:
    """Every scenario's report as ``kwali agree --json`` gives it."""
    from kwali.app.agreeing import agreement_report

    result = {}
    for seed in SEEDS:
        with build(None, seed) as project:
            for name, scenario in SCENARIOS.items():
                report = agreement_report(
                    project,
                    scenario["coders"],
                    scenario["unit"],
                    [],
                    domains=list(DOMAINS),
                    resamples=200,
                    seed=2007,
                )
                result[f"{name}-{seed}"] = report.to_dict()
    return result


def _same(old: object, new: object, where: str) -> None:
    if isinstance(old, float) or isinstance(new, float):
        assert isinstance(old, (int, float)) and isinstance(new, (int, float)), where
        if math.isnan(old) or math.isnan(new):
            assert math.isnan(old) and math.isnan(new), (where, old, new)
            return
        assert math.isclose(old, new, rel_tol=0, abs_tol=TOLERANCE), (where, old, new)
    elif isinstance(old, dict):
        assert isinstance(new, dict) and old.keys() == new.keys(), (where, old, new)
        for key in old:
            _same(old[key], new[key], f"{where}.{key}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(old) == len(new), (where, old, new)
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            _same(a, b, f"{where}[{i}]")
    else:
        assert old == new, (where, old, new)


GOLDEN_FILE = Path(__file__).with_suffix(".json")


@pytest.fixture(scope="module")
def golden() -> dict[str, dict]:
    return json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def now() -> dict[str, dict]:
    return reports()


@pytest.mark.parametrize("name", [f"{s}-{seed}" for seed in SEEDS for s in SCENARIOS])
def test_report_is_the_old_report(golden, now, name):
    _same(golden[name], now[name], name)


# -- the statistics on a tally equal them on the expanded data -------------------------------


def _random_data(rng: np.random.Generator, coders: int, units: int, values: int) -> np.ndarray:
    """Coders × units of a few categories, with missing values and many repeated columns."""
    data = rng.integers(0, values, size=(coders, units)).astype(float)
    data[rng.random(data.shape) < 0.15] = np.nan
    return data


SHAPES = [(2, 60, 2), (3, 200, 2), (3, 150, 4), (4, 300, 3), (5, 80, 2)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_statistics_on_a_tally_equal_the_expanded_data(shape, seed):
    from kwali import agreement as a
    from kwali.agreement import Tally

    data = _random_data(np.random.default_rng(seed), *shape)
    tally = Tally.of(data)
    assert tally.shape == data.shape and tally.columns.shape[1] < data.shape[1]
    categories = tuple(range(shape[2]))
    checks = {
        "percent": lambda d: a.percent_agreement_result(d),
        "holsti": lambda d: a.holsti_result(d),
        "holsti_absent": lambda d: a.holsti_result(d, absent=0),
        "brennan_prediger": lambda d: a.brennan_prediger_result(d, n_categories=shape[2]),
        "gwet_ac1": lambda d: a.gwet_ac_result(d, categories=categories),
        "gwet_ac2": lambda d: a.gwet_ac_result(d, "quadratic"),
        **{
            f"alpha_{level}": (lambda d, level=level: a.krippendorff_alpha_result(d, level))
            for level in a.LEVELS
        },
    }
    if shape[0] == 2:
        checks["cohen"] = lambda d: a.cohen_kappa_result(d)
        checks["cohen_linear"] = lambda d: a.cohen_kappa_result(d, "linear")
        checks["scott"] = lambda d: a.scott_pi_result(d)
    for name, statistic in checks.items():
        expected, got = statistic(data), statistic(tally)
        _same(expected.__dict__, got.__dict__, name)
    complete = ~np.isnan(data).any(axis=0)
    _same(
        a.fleiss_kappa_result(data[:, complete]).__dict__,
        a.fleiss_kappa_result(Tally.of(data[:, complete])).__dict__,
        "fleiss",
    )


@pytest.mark.parametrize("shape", SHAPES)
def test_bootstrap_intervals_on_a_tally_equal_the_expanded_data(shape):
    from kwali.agreement import Tally, alpha_interval, gwet_interval, kappa_interval

    data = _random_data(np.random.default_rng(7), *shape)
    tally = Tally.of(data)
    intervals = {
        "alpha_hk": lambda d: alpha_interval(d, resamples=300, seed=5),
        "alpha_units": lambda d: alpha_interval(d, method="units", resamples=300, seed=5),
        "alpha_units_ordinal": lambda d: alpha_interval(
            d, "ordinal", method="units", resamples=300, seed=5
        ),
        "gwet": lambda d: gwet_interval(d, resamples=300, seed=5),
    }
    if shape[0] == 2:
        intervals["kappa"] = lambda d: kappa_interval(d, resamples=300, seed=5)
    for name, interval in intervals.items():
        _same(interval(data).__dict__, interval(tally).__dict__, name)


def test_pooled_table_is_every_code_side_by_side():
    """The pooled tally holds the columns the old codes × coders × units array held."""
    from kwali.agreement import Tally
    from kwali.agreement.units import unit_table

    rng = random.Random(3)
    segments = [(d, 10 * u, 10 * u + 9) for d in (1, 2, 3) for u in range(40)]
    codings = [
        (d, 10 * u + rng.randint(0, 4), 10 * u + rng.randint(5, 9), rng.choice("xyz"), coder)
        for d in (1, 2, 3)
        for coder in ("a", "b", "c")
        if not (coder == "c" and d == 2)
        for u in rng.sample(range(40), 12)
    ]
    table = unit_table(segments, codings, ["a", "b", "c"], ["x", "y", "z"])
    expanded = np.concatenate([table.data(code) for code in "xyz"], axis=1)
    pooled = table.pooled()
    assert pooled.shape == expanded.shape
    want = Tally.of(expanded)
    assert np.array_equal(pooled.counts, want.counts)
    assert np.array_equal(np.isnan(pooled.columns), np.isnan(want.columns))
    assert np.array_equal(np.nan_to_num(pooled.columns, nan=9), np.nan_to_num(want.columns, nan=9))


def test_alpha_over_units_interval_of_a_study_sized_pooled_table():
    """The old pooled array of a study (30 codes × 95,000 sentences) was too big for the
    bootstrap over units, so the overall row lost that interval; a tally is not."""
    from kwali.agreement import Tally, alpha_interval

    small = _random_data(np.random.default_rng(4), 3, 300, 2)
    tally = Tally.of(small)
    big = Tally(tally.columns, tally.counts * 10_000)  # 3 million units
    interval = alpha_interval(big, method="units", resamples=200, seed=1)
    pairable = (~np.isnan(tally.columns)).sum(axis=0) >= 2
    assert interval.draws == 10_000 * int(tally.counts[pairable].sum()) > 2_000_000
    assert interval.low <= interval.value <= interval.high


# -- the character sweep equals counting every character -------------------------------------


def _per_character(length, rows, coders, holes):
    """The old count: a coders × characters array of values (the reference)."""
    from kwali.agreement.continuum import GAP, _ordered, _units

    codes = _ordered(row[3] for row in rows)
    index = {code: i + 1 for i, code in enumerate(codes)}
    m, n_values = len(coders), len(codes) + 1
    positions = np.zeros((m, length), dtype=np.int64)
    units = []
    for i, coder in enumerate(coders):
        for start, end, code in _units(rows, coder):
            positions[i, start:end] = index[code]
            units.append((i, start, end, index[code]))
    missing = np.zeros((m, length), dtype=bool)
    for coder, start, end in holes:
        missing[coders.index(coder), start:end] = True
    positions[missing] = n_values
    size = n_values + 1
    observed = np.zeros((size, size))
    for i in range(m - 1):
        for j in range(i + 1, m):
            observed += np.bincount(positions[i] * size + positions[j], minlength=size**2).reshape(
                size, size
            )
    observed = (observed + observed.T)[:n_values, :n_values] / (m - 1)
    valued = (positions != GAP) & ~missing
    self_weight = np.zeros(n_values)
    overlap_weight = np.zeros(n_values)
    for i, start, end, value in units:
        self_weight[value] += (end - start) ** 2
        others = valued[:, start:end].sum(axis=1)
        others[i] = 0
        overlap_weight[value] += float((others.astype(float) ** 2).sum())
    self_weight[GAP] = float((positions == GAP).sum())
    return observed, self_weight, overlap_weight


@pytest.mark.parametrize("seed", range(6))
def test_character_sweep_equals_counting_every_character(seed):
    from kwali.agreement.continuum import build

    rng = random.Random(seed)
    length, coders = 400, ("a", "b", "c")
    rows, holes = [], []
    for coder in coders:
        position = rng.randint(0, 20)
        while position < length - 5:  # spans of one coder do not overlap across codes
            end = min(length, position + rng.randint(1, 40))
            rows.append((coder, position, end, rng.choice("pqr")))
            if rng.random() < 0.2:  # the same code again, overlapping: merged
                rows.append((coder, position + 1, min(length, end + 3), rows[-1][3]))
                end = min(length, end + 3)
            position = end + rng.randint(0, 30)
    hole_start = rng.randint(0, length - 50)
    holes.append(("c", hole_start, hole_start + 50))
    rows = [r for r in rows if not (r[0] == "c" and r[1] < hole_start + 50 and r[2] > hole_start)]
    swept = build(length, rows, coders, holes)
    observed, self_weight, overlap_weight = _per_character(length, rows, coders, holes)
    assert np.array_equal(swept.observed, observed)
    assert np.array_equal(swept.self_weight, self_weight)
    assert np.array_equal(swept.overlap_weight, overlap_weight)


def test_blas_runs_on_one_thread_inside_a_report():
    from threadpoolctl import threadpool_info

    from kwali.agreement.data import one_blas_thread

    with one_blas_thread():
        blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
        assert blas and all(pool["num_threads"] == 1 for pool in blas)


if __name__ == "__main__":  # write GOLDEN_FILE with the code that is imported
    GOLDEN_FILE.write_text(json.dumps(reports(), indent=1, sort_keys=True) + "\n")
