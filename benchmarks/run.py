"""Run every benchmark step, write a machine-readable record and print a table.

    .venv/bin/python benchmarks/run.py            # N = 10, 100, 1000 -> benchmarks/latest.json
    .venv/bin/python benchmarks/run.py --quick    # N = 10, 30, 100  -> benchmarks/latest-quick.json

    .venv/bin/python benchmarks/run.py --step reliability   # one step, into latest.json
    .venv/bin/python benchmarks/run.py --scale [--work DIR]   # issue 18's study size, "scale"

Each step runs at each N in a fresh subprocess (benchmarks/steps.py), so ``peak_rss_mb`` is
that step's own peak (``ru_maxrss``), not the runner's. Headline figures come from the largest
N, except ``agreement_vs_krippendorff``, which is taken at 100 documents (4,000 units). Each
``growth`` exponent is the least-squares slope of log(time) on log(N) over the N values: 1
means linear, 0 constant; fixed costs pull small-N times up and the slope down. The steps in
ONCE are not sized by N and run once, after the others; ``--step`` runs one of them alone and
replaces only its figures in the record.

``--scale`` runs the study-size steps (SCALE: N transcripts of ~58,500 characters, ~300 codings
each; `make bench-scale`, ~10 minutes with the builds, ~1.5 GB of projects) at each N in one
work folder, where the steps cache the projects they build (``--work DIR`` keeps them for the
next run), and replaces only the record's ``"scale"`` key: per step and N the figures, the
growth exponent of each timed figure, the peak memory of agree and export, and the headline
figures at the largest N with their goals (SCALE_HEADLINE).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FULL_N = (10, 100, 1000)
QUICK_N = (10, 30, 100)
WORDS = 500  # per synthetic transcript: real ones run to ~10,000, but scaling is what counts
AGREEMENT_N = 100
# step -> (figure in the step's output, key in the record's ``growth``)
GROWTH = {
    "pipeline": [("pipeline_s", "pipeline_s"), ("tokenizer_s", "tokenizer_s")],
    "agreement": [("kwali_s", "agreement_s"), ("krippendorff_s", "krippendorff_s")],
    "build": [("build_s", "build_s")],
    "export": [("docx_s", "export_docx_s"), ("xlsx_s", "export_xlsx_s")],
    "tui": [("open_s", "tui_open_s"), ("keypress_ms", "tui_keypress_ms")],
    "analysis": [("query_s", "query_s"), ("table_s", "table_s"), ("search_s", "search_s")],
}

# steps not sized by N: run once (at the largest N), their figures recorded under their name
ONCE = ("replace", "survey_import", "survey_ui", "reliability")

# the table's rows: figure, where it was measured, its growth exponent, its step's peak memory
TABLE = [
    ("pipeline_vs_tokenizer", "top", "pipeline_s", "pipeline"),
    ("agreement_vs_krippendorff", "agreement", "agreement_s", "agreement"),
    ("tui_open_s", "top", "tui_open_s", "tui"),
    ("tui_keypress_ms", "top", "tui_keypress_ms", "tui"),
    ("export_docx_s", "quotes", "export_docx_s", "export"),
    ("export_xlsx_s", "quotes", "export_xlsx_s", "export"),
    ("query_s", "top", "query_s", "analysis"),
    ("table_s", "top", "table_s", "analysis"),
    ("search_s", "top", "search_s", "analysis"),
]


# issue 18's study-size steps, run by --scale (each caches its project in the work folder)
SCALE = ("agree_scale", "export_scale", "tui_scale")
# (step, timed figure in its output, key in the scale record's ``growth``)
SCALE_GROWTH = [
    ("agree_scale", "sentence_s", "agree_sentence_s"),
    ("agree_scale", "char_s", "agree_char_s"),
    ("export_scale", "docx_s", "export_docx_s"),
    ("export_scale", "xlsx_s", "export_xlsx_s"),
    ("tui_scale", "tui_open_s", "tui_open_s"),
    ("tui_scale", "tui_keypress_ms", "tui_keypress_ms"),
    ("tui_scale", "tui_open_blind_s", "tui_open_blind_s"),
    ("tui_scale", "tui_keypress_blind_ms", "tui_keypress_blind_ms"),
    ("tui_scale", "startup_status_s", "startup_status_s"),
    ("tui_scale", "startup_show_s", "startup_show_s"),
    ("tui_scale", "startup_export_s", "startup_export_s"),
]
# (step, figure, key in ``peak_rss_mb``): each measured in a fresh process of its own
SCALE_PEAK = [
    ("agree_scale", "sentence_peak_rss_mb", "agree_sentence"),
    ("agree_scale", "char_peak_rss_mb", "agree_char"),
    ("export_scale", "docx_peak_rss_mb", "export_docx"),
    ("export_scale", "xlsx_peak_rss_mb", "export_xlsx"),
]
GROWTH_GOAL = 1.1  # every timed figure's exponent at most this
# issue 18's Done-when at the largest N: (headline key, step, figure, met when below this)
SCALE_HEADLINE = [
    ("agree_sentence_peak_rss_mb", "agree_scale", "sentence_peak_rss_mb", 1000.0),
    ("agree_char_peak_rss_mb", "agree_scale", "char_peak_rss_mb", 1000.0),
    ("export_docx_peak_rss_mb", "export_scale", "docx_peak_rss_mb", 1000.0),
    ("export_xlsx_peak_rss_mb", "export_scale", "xlsx_peak_rss_mb", 1000.0),
    ("tui_open_s", "tui_scale", "tui_open_s", 1.0),
    ("tui_keypress_ms", "tui_scale", "tui_keypress_ms", 50.0),
    ("tui_open_blind_s", "tui_scale", "tui_open_blind_s", 1.0),
    ("tui_keypress_blind_ms", "tui_scale", "tui_keypress_blind_ms", 50.0),
    ("startup_status_s", "tui_scale", "startup_status_s", 1.0),
    ("startup_show_s", "tui_scale", "startup_show_s", 1.0),
    ("startup_export_s", "tui_scale", "startup_export_s", 1.0),
]


def run_step(step: str, n: int, work: Path) -> dict:
    command = [sys.executable, str(HERE / "steps.py"), step, "--n", str(n)]
    command += ["--words", str(WORDS), "--work", str(work)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"benchmark step {step} at N={n} failed")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall_s"] = time.perf_counter() - start
    print(f"  {step:<9} N={n:<5} {figures['wall_s']:6.1f} s", flush=True)
    return figures


def slope(ns: list[int], times: list[float | None]) -> float | None:
    """Least-squares slope of log(time) against log(N)."""
    points = [(math.log(n), math.log(t)) for n, t in zip(ns, times, strict=True) if t and t > 0]
    if len(points) < 2:
        return None
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    spread = sum((x - mx) ** 2 for x, _ in points)
    return round(sum((x - mx) * (y - my) for x, y in points) / spread, 3)


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT)
    return done.stdout.strip()


def metadata(quick: bool, ns: tuple[int, ...]) -> dict:
    from steps import AGREEMENT_CODERS, AGREEMENT_CODES, CODINGS_PER_DOCUMENT

    return {
        "quick": quick,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--", "kwali")),  # uncommitted kwali/ changes
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "n_values": list(ns),
        "sizes": {
            "n_is": "documents (synthetic transcripts) per project",
            "words_per_transcript": WORDS,
            "codings_per_document": CODINGS_PER_DOCUMENT,
            "quotes_exported": max(ns) * CODINGS_PER_DOCUMENT,
            "tui_documents": max(ns),
            "agreement": f"{AGREEMENT_CODES} codes x {AGREEMENT_CODERS} coders x N x 40 units",
            "agreement_ratio_documents": AGREEMENT_N,
        },
        "peak_rss_method": "ru_maxrss of a fresh subprocess per step and N (set-up included)",
        "growth_method": "least-squares slope of log(time) on log(N) over n_values",
    }


def record(steps: dict[str, dict[int, dict]], ns: tuple[int, ...]) -> dict:
    top = max(ns)
    pipeline, agreement = steps["pipeline"][top], steps["agreement"][AGREEMENT_N]
    tui, export = steps["tui"][top], steps["export"][top]
    figures = {
        "pipeline_vs_tokenizer": pipeline["pipeline_vs_tokenizer"],
        "pipeline_chars_per_s": pipeline["pipeline_chars_per_s"],
        "tokenizer_chars_per_s": pipeline["tokenizer_chars_per_s"],
        "agreement_vs_krippendorff": agreement.get("agreement_vs_krippendorff"),
        "tui_open_s": tui["open_s"],
        "tui_keypress_ms": tui["keypress_ms"],
        "export_docx_s": export["docx_s"],
        "export_xlsx_s": export["xlsx_s"],
        "export_quotes": export["quotes"],
        "query_s": steps["analysis"][top]["query_s"],
        "table_s": steps["analysis"][top]["table_s"],
        "search_s": steps["analysis"][top]["search_s"],
        "peak_rss_mb": {
            step: max(r["peak_rss_mb"] for r in runs.values()) for step, runs in steps.items()
        },
        "growth": {
            key: slope(list(ns), [steps[step][n].get(figure) for n in ns])
            for step, pairs in GROWTH.items()
            for figure, key in pairs
        },
    }
    figures["steps"] = {step: {str(n): r for n, r in runs.items()} for step, runs in steps.items()}
    return figures


def table(data: dict) -> str:
    def number(value: float | None, digits: int = 3) -> str:
        return "—" if value is None else f"{value:.{digits}g}"

    growth, rss = data["growth"], data["peak_rss_mb"]
    at = {
        "top": f"N={max(data['n_values'])}",
        "agreement": f"N={AGREEMENT_N}",
        "quotes": f"{data['export_quotes']:,} quotes",
    }
    lines = [
        "| figure | value | at | growth | peak RSS MB |",
        "|---|---:|---|---:|---:|",
    ]
    for name, where, growth_key, step in TABLE:
        lines.append(
            f"| `{name}` | {number(data[name])} | {at[where]} | {number(growth[growth_key], 2)} "
            f"| {rss[step]:.0f} |"
        )
    return "\n".join(lines)


def reliability_line(figures: dict) -> str:
    crash, concurrent = figures["crash"], figures["concurrency"]
    return (
        f"reliability: {crash['kills']} kills, {crash['acknowledged']:,} acknowledged, "
        f"{crash['lost']} lost, {crash['duplicated']} duplicated; {concurrent['writers']} writers, "
        f"{concurrent['acknowledged']:,} acknowledged, {concurrent['lost']} lost, "
        f"{concurrent['duplicated']} duplicated, {concurrent['busy']} busy"
    )


def one_step(step: str, ns: tuple[int, ...], out: Path) -> None:
    """Run one step of ONCE and replace its figures in the record ``out`` (the rest stays)."""
    data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    with tempfile.TemporaryDirectory(prefix=f"kwali-bench-{step}-") as folder:
        data[step] = run_step(step, max(ns), Path(folder))
    data[step]["date"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    data[step]["commit"] = git("rev-parse", "HEAD")  # the record's own date and commit are older
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if step == "reliability":
        print(reliability_line(data[step]))
    print(f"wrote {step} into {out.relative_to(ROOT)}")


def scale_record(steps: dict[str, dict[int, dict]], ns: tuple[int, ...]) -> dict:
    """The ``"scale"`` figures from each SCALE step's output per N (no date or commit)."""
    top = max(ns)
    growth = {
        key: slope(list(ns), [steps[step][n].get(figure) for n in ns])
        for step, figure, key in SCALE_GROWTH
    }
    timed = {key: (step, figure) for step, figure, key in SCALE_GROWTH}
    headline: dict[str, dict] = {}
    for key, step, figure, limit in SCALE_HEADLINE:
        value = steps[step][top].get(figure)
        headline[key] = {
            "value": value,
            "goal": f"< {limit:g}",
            "met": value is not None and value < limit,
            "at_n": top,
            "by_n": {str(n): steps[step][n].get(figure) for n in ns},
            "growth": growth.get(key) if key in timed else None,
        }
    known = {key: value for key, value in growth.items() if value is not None}
    steepest = max(known, key=known.__getitem__) if known else None
    headline["max_growth"] = {
        "value": known[steepest] if steepest else None,
        "figure": steepest,
        "goal": f"<= {GROWTH_GOAL:g}",
        "met": bool(known) and max(known.values()) <= GROWTH_GOAL,
        "missing": sorted(key for key, value in growth.items() if value is None),
    }
    return {
        "n_values": list(ns),
        "steps": {step: {str(n): r for n, r in runs.items()} for step, runs in steps.items()},
        "growth": growth,
        "peak_rss_mb": {key: steps[step][top].get(figure) for step, figure, key in SCALE_PEAK},
        "headline": headline,
    }


def scale_table(scale: dict) -> str:
    """The headline figures per N with growth and goal, then every timed figure's growth."""

    def number(value: float | None, digits: int = 3) -> str:
        if value is None:
            return "—"
        value += 0.0  # no "-0" for a slope rounded to -0.0
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.{digits}g}"

    ns = scale["n_values"]
    columns = " | ".join(f"N={n}" for n in ns)
    lines = [
        f"| figure | {columns} | growth | goal | met |",
        "|---|" + "---:|" * len(ns) + "---:|---|---|",
    ]
    for key, entry in scale["headline"].items():
        if key == "max_growth":
            continue
        values = " | ".join(number(entry["by_n"][str(n)]) for n in ns)
        lines.append(
            f"| `{key}` | {values} | {number(entry['growth'], 2)} | {entry['goal']} "
            f"| {'yes' if entry['met'] else '**no**'} |"
        )
    steepest = scale["headline"]["max_growth"]
    lines.append(
        f"| steepest growth (`{steepest['figure']}`) | {' | '.join('' for _ in ns)} "
        f"| {number(steepest['value'], 2)} | {steepest['goal']} "
        f"| {'yes' if steepest['met'] else '**no**'} |"
    )
    lines += ["", f"| timed figure | {columns} | growth |", "|---|" + "---:|" * (len(ns) + 1)]
    for step, figure, key in SCALE_GROWTH:
        runs = scale["steps"][step]
        values = " | ".join(number(runs[str(n)].get(figure)) for n in ns)
        lines.append(f"| `{key}` | {values} | {number(scale['growth'][key], 2)} |")
    return "\n".join(lines)


def scale_steps(ns: tuple[int, ...], out: Path, work: Path | None) -> None:
    """Run SCALE at each N in one work folder (the steps' projects are built once in it) and
    replace only the record's ``"scale"`` key in ``out``."""
    started = time.perf_counter()
    date = datetime.now(timezone.utc).isoformat(timespec="seconds")
    head = {
        "date": date,
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--", "kwali")),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    steps: dict[str, dict[int, dict]] = {step: {} for step in SCALE}
    with tempfile.TemporaryDirectory(prefix="kwali-bench-scale-") as folder:
        where = work or Path(folder)
        where.mkdir(parents=True, exist_ok=True)
        print(f"scale steps in {where}", flush=True)
        for n in ns:
            for step in SCALE:
                steps[step][n] = run_step(step, n, where)
    scale = {**head, **scale_record(steps, ns)}
    scale["wall_s"] = round(time.perf_counter() - started, 1)
    # read the record only now: it may have been rewritten while the steps ran
    data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    data["scale"] = scale
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"\n{scale_table(scale)}\n")
    print(f"wrote scale into {out.relative_to(ROOT)} in {scale['wall_s']:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N <= 100 (under two minutes)")
    parser.add_argument("--out", type=Path, help="default benchmarks/latest[-quick].json")
    parser.add_argument(
        "--step",
        choices=ONCE,
        help="run only this step (one not sized by N) and replace its figures in the record",
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="run the study-size steps (agree, export, UI; ~10 minutes) and replace the "
        'record\'s "scale" figures',
    )
    parser.add_argument(
        "--work",
        type=Path,
        help="with --scale: the folder the steps build their projects in, kept for the next run",
    )
    args = parser.parse_args()
    ns = QUICK_N if args.quick else FULL_N
    out = args.out or HERE / ("latest-quick.json" if args.quick else "latest.json")
    sys.path.insert(0, str(HERE))
    if args.step:
        one_step(args.step, ns, out)
        return
    if args.scale:
        scale_steps(ns, out, args.work)
        return
    data = metadata(args.quick, ns)
    started = time.perf_counter()
    steps: dict[str, dict[int, dict]] = {step: {} for step in GROWTH}
    for n in ns:
        with tempfile.TemporaryDirectory(prefix=f"kwali-bench-{n}-") as folder:
            for step in GROWTH:  # export before tui: the UI's accept/undo keys write
                steps[step][n] = run_step(step, n, Path(folder))
    data.update(record(steps, ns))
    with tempfile.TemporaryDirectory(prefix="kwali-bench-once-") as folder:
        for step in ONCE:
            data[step] = run_step(step, max(ns), Path(folder))
    data["bench_wall_s"] = round(time.perf_counter() - started, 1)
    # The study-size figures (--scale) and the team's on PostgreSQL (benchmarks/team_bench.py
    # --record) come from runs of their own: kept as they are.
    earlier = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    for kept in ("scale", "team"):
        if kept in earlier:
            data[kept] = earlier[kept]
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"\n{table(data)}\n")
    print(reliability_line(data["reliability"]))
    print(
        f"wrote {out.relative_to(ROOT)} in {data['bench_wall_s']:.0f} s ({'quick' if args.quick else 'full'} run)"
    )


if __name__ == "__main__":
    main()
