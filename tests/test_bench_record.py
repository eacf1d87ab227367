"""benchmarks/run.py's --scale record: growth, peak memory and headline from fake figures
(no benchmark runs here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_steps(ns: tuple[int, ...], slow_keys: float = 1.0) -> dict[str, dict[int, dict]]:
    """Times linear in N (the keypress as N ** slow_keys), memory flat."""
    steps: dict[str, dict[int, dict]] = {}
    for n in ns:
        steps.setdefault("agree_scale", {})[n] = {
            "sentence_s": 0.01 * n,
            "char_s": 0.02 * n,
            "sentence_peak_rss_mb": 300.0,
            "char_peak_rss_mb": 1200.0,
        }
        steps.setdefault("export_scale", {})[n] = {
            "docx_s": 0.05 * n,
            "xlsx_s": 0.03 * n,
            "docx_peak_rss_mb": 200.0,
            "xlsx_peak_rss_mb": 150.0 + n / 100,
        }
        steps.setdefault("tui_scale", {})[n] = {
            "tui_open_s": 0.3,
            "tui_keypress_ms": 10.0 * n**slow_keys / 10,
            "tui_open_blind_s": 0.3,
            "tui_keypress_blind_ms": 12.0,
            "startup_status_s": 0.4,
            "startup_show_s": 0.5,
            "startup_export_s": 0.6,
        }
    return steps


def test_growth_peak_and_headline(bench) -> None:  # type: ignore[no-untyped-def]
    ns = (10, 100, 1000)
    scale = bench.scale_record(fake_steps(ns), ns)
    assert scale["growth"]["agree_sentence_s"] == pytest.approx(1.0)
    assert scale["growth"]["tui_open_s"] == pytest.approx(0.0)
    assert scale["peak_rss_mb"]["export_xlsx"] == 160.0  # the largest N's
    headline = scale["headline"]
    assert headline["agree_sentence_peak_rss_mb"]["met"]
    assert not headline["agree_char_peak_rss_mb"]["met"]  # 1,200 MB
    assert headline["tui_keypress_ms"] == {
        "value": 1000.0,
        "goal": "< 50",
        "met": False,
        "at_n": 1000,
        "by_n": {"10": 10.0, "100": 100.0, "1000": 1000.0},
        "growth": pytest.approx(1.0),
    }
    assert headline["agree_char_peak_rss_mb"]["growth"] is None  # memory: no exponent
    assert headline["max_growth"]["met"]  # linear is within 1.1


def test_steep_growth_misses_and_table_shows_it(bench) -> None:  # type: ignore[no-untyped-def]
    ns = (10, 30, 100)
    scale = bench.scale_record(fake_steps(ns, slow_keys=1.5), ns)
    steepest = scale["headline"]["max_growth"]
    assert (steepest["figure"], steepest["met"]) == ("tui_keypress_ms", False)
    assert steepest["value"] == pytest.approx(1.5)
    table = bench.scale_table(scale)
    assert "| figure | N=10 | N=30 | N=100 | growth | goal | met |" in table
    assert "| `tui_keypress_ms` | 31.6 | 164 | 1,000 | 1.5 | < 50 | **no** |" in table
    assert "| `startup_show_s` | 0.5 | 0.5 | 0.5 | 0 | < 1 | yes |" in table
