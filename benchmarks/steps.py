"""One benchmark step at one size, in a process of its own; run.py calls this.

    python benchmarks/steps.py STEP --n N --words W --work DIR

prints one JSON object (the step's figures, plus ``peak_rss_mb``: this process's peak resident
memory, so each step and size is measured alone). N is always a number of documents:

    pipeline   import N synthetic transcripts and suggest codes (rules), against spaCy's bare
               ``spacy.blank("nl")`` tokenizer on the same texts
    agreement  nominal Krippendorff's alpha on 30 codes x 3 coders x (N x 40) units, kwali
               against the ``krippendorff`` package on the same arrays
    build      the coded project that export and tui use: N transcripts, every one with
               suggestions and CODINGS_PER_DOCUMENT codings (so N x 10 quotes)
    export     ``kwali.export.export`` quotes to Word and to Excel from that project
    tui        the Textual UI on that project: open time (median of 3) and keypress latency
    analysis   the study-wide analysis on a generated project of N transcripts of 10,000 words
               with N x 100 codings over 100 codes (benchmarks/query_bench.py's): the slowest query
               (``query_s``), table (``table_s``) and project-wide word search (``search_s``)
    replace    not sized by N: three sample interviews coded and replaced by a corrected
               version with 30 edits each (benchmarks/replace_bench.py): codings carried
               over exactly, moved, not placed, lost
    survey_import  not sized by N: a generated .sav survey of 5,000 respondents x 3 open
               questions (benchmarks/survey_bench.py) imported and suggested for, then a newer
               file with 500 more respondents and the same file again: import_s, suggest_s,
               update_s, same_file_s
    survey_ui  not sized by N: the survey screen on the first question of that survey at 5,000
               respondents (benchmarks/survey_ui_bench.py): open_ms, keypress_ms (median of
               moving, coding, next uncoded), and per key median and max
    agree_scale  `kwali agree` (sentence and char units) at the issue-18 study size
    export_scale  quotes to Word and Excel at ~300 codings a ~58,500-character document
    tui_scale  the UI on N transcripts all coded by three coders; start-up of status/show/export
    reliability  not sized by N: writers SIGKILLed at random moments (store API and the coding
               screen) and four writers at once, with the crash and concurrency proofs' own
               workload (tests/reliability_workload.py): kills, acknowledged, lost, duplicated

Only public kwali API: kwali.store.Project, kwali.app.*, kwali.export.export, kwali.ui (pilot).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import best_of, peak_memory_mb  # noqa: E402

CODINGS_PER_DOCUMENT = 10
ANALYSIS_WORDS = 10_000  # per transcript in the analysis step (issue #14's scale)
AGREEMENT_CODERS, AGREEMENT_CODES = 3, 30
CODEBOOK = ROOT / "codebooks" / "tegenprestatie.yaml"


def coded_project(work: Path, n: int) -> Path:
    return work / f"coded-{n}.kwali"


def pipeline(n: int, words: int, work: Path) -> dict[str, object]:
    """Import + segment + suggest, end to end through kwali.app, as ``kwali import`` and
    ``kwali suggest`` run them; the spaCy pipeline is loaded (and timed) beforehand."""
    import spacy
    from corpus import sample_files, write_corpus

    from kwali.app.importing import import_files
    from kwali.app.suggesting import suggest_project
    from kwali.io.codebook import load_codebook
    from kwali.nlp import make_nlp
    from kwali.store import Project

    paths = write_corpus(work / f"corpus-{n}", n, words)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    chars = sum(len(t) for t in texts)
    start = time.perf_counter()
    make_nlp()
    load_s = time.perf_counter() - start
    codebook = load_codebook(CODEBOOK)
    # The first import pays one-off costs (reader modules, lookups); a real session pays them
    # once too, so they are kept out of the throughput.
    with Project.create(work / f"warm-{n}.kwali") as project:
        import_files(project, sample_files()[:1])
        suggest_project(project, codebook=codebook)
    with Project.create(work / f"pipeline-{n}.kwali") as project:
        start = time.perf_counter()
        results = import_files(project, paths)
        import_s = time.perf_counter() - start
        start = time.perf_counter()
        suggested = suggest_project(project, codebook=codebook)
        suggest_s = time.perf_counter() - start
        counts = project.counts()
    failed = sum(1 for r in results if not r.ok)
    nlp = spacy.blank("nl")
    nlp(texts[0])
    tokenizer_s = best_of(3, lambda: [nlp(t) for t in texts])
    total = import_s + suggest_s
    return {
        "documents": counts["documents"],
        "failed": failed,
        "chars": chars,
        "sentences": counts["sentences"],
        "suggestions": suggested.suggestions,
        "nlp_load_s": load_s,
        "import_s": import_s,
        "suggest_s": suggest_s,
        "pipeline_s": total,
        "pipeline_chars_per_s": chars / total,
        "tokenizer_s": tokenizer_s,
        "tokenizer_chars_per_s": chars / tokenizer_s,
        "pipeline_vs_tokenizer": tokenizer_s / total,
    }


def agreement(n: int, words: int, work: Path) -> dict[str, object]:
    import numpy as np
    from agreement_bench import UNITS_PER_DOCUMENT, code_matrices

    from kwali.agreement import krippendorff_alpha

    arrays = [np.array(m, dtype=float) for m in code_matrices(np.random.default_rng(7), n)]
    kwali_s = best_of(3, lambda: [krippendorff_alpha(a, "nominal") for a in arrays])
    figures: dict[str, object] = {
        "units": n * UNITS_PER_DOCUMENT,
        "coders": AGREEMENT_CODERS,
        "codes": len(arrays),
        "kwali_s": kwali_s,
    }
    try:
        import krippendorff
    except ImportError:  # a test-only dependency: `make bench` installs it
        return figures

    def theirs(a: np.ndarray) -> float:
        return float(krippendorff.alpha(reliability_data=a, level_of_measurement="nominal"))

    theirs_s = best_of(3, lambda: [theirs(a) for a in arrays])
    figures["krippendorff_s"] = theirs_s
    figures["agreement_vs_krippendorff"] = kwali_s / theirs_s
    figures["largest_alpha_difference"] = max(
        abs(krippendorff_alpha(a, "nominal") - theirs(a)) for a in arrays
    )
    return figures


def build(n: int, words: int, work: Path) -> dict[str, object]:
    from ui_bench import build as build_project

    path = coded_project(work, n)
    path.unlink(missing_ok=True)
    start = time.perf_counter()
    # Short transcripts: a suggestion on every other segment, so the UI's n/p and accept keys
    # have somewhere to go.
    counts = build_project(
        path, n, words, coded=n, codings=CODINGS_PER_DOCUMENT, suggest_every=2, quiet=True
    )
    return {
        "build_s": time.perf_counter() - start,
        "file_mb": path.stat().st_size / 2**20,
        **{key: counts[key] for key in ("documents", "sentences", "characters", "suggestions")},
    }


def export(n: int, words: int, work: Path) -> dict[str, object]:
    """Quotes to .docx and .xlsx. The return value of export() is not used: it may be a Path
    or a result object while the export registry changes."""
    from kwali.export import export as export_file
    from kwali.store import Project

    out = work / f"export-{n}"
    out.mkdir(exist_ok=True)
    figures: dict[str, object] = {}
    with Project.open(coded_project(work, n), readonly=True) as project:
        figures["quotes"] = len(project.codings())
        # python-docx and openpyxl are imported on first use: pay that outside the timing.
        export_file(project, "codebook", out / "warm.docx")
        export_file(project, "codebook", out / "warm.xlsx")
        repeat = 3 if n <= 100 else 1  # small sizes are quick and noisy: best of 3
        for fmt in ("docx", "xlsx"):
            times = []
            for attempt in range(repeat):
                start = time.perf_counter()
                export_file(project, "quotes", out / f"quotes-{attempt}.{fmt}")
                times.append(time.perf_counter() - start)
            figures[f"{fmt}_s"] = min(times)
            figures[f"{fmt}_mb"] = (out / f"quotes-0.{fmt}").stat().st_size / 2**20
    return figures


def tui(n: int, words: int, work: Path, presses: int = 20) -> dict[str, object]:
    """Open time (median of three opens) and keypress latency, with ui_bench's pilot driver."""
    from ui_bench import measure

    path = coded_project(work, n)
    # The first open in a process also pays Textual's one-off set-up (CSS, widgets); the
    # median of three is a warm open of this project.
    opens = [asyncio.run(measure(path, 0)).open_ms for _ in range(2)]
    full = asyncio.run(measure(path, presses))
    opens.append(full.open_ms)
    every = [v for values in full.keys.values() for v in values]
    return {
        "rows": full.rows,
        "open_s": statistics.median(opens) / 1000,
        "opens_s": [o / 1000 for o in opens],
        "open_transcript_ms": full.open_transcript_ms,
        "keypress_ms": statistics.median(every),
        "keypresses": len(every),
        "unchanged_presses": sum(full.unchanged.values()),
        "keys_median_ms": {k: statistics.median(v) for k, v in full.keys.items() if v},
    }


def reliability(n: int, words: int, work: Path) -> dict[str, object]:
    """The slow proofs' workload (tests/test_crash.py, tests/test_concurrency.py), counted."""
    sys.path.insert(0, str(ROOT / "tests"))
    from reliability_workload import concurrency_run, crash_run

    folder = Path(tempfile.mkdtemp(prefix="reliability-", dir=work))
    start = time.perf_counter()
    crash = crash_run(folder, kills=50, ui_kills=10)
    crash["seconds"] = time.perf_counter() - start
    concurrency = concurrency_run(folder, seconds=10.0)
    return {"crash": crash, "concurrency": concurrency}


def analysis(n: int, words: int, work: Path) -> dict[str, object]:
    """Queries, tables and search at study scale (issue 14's targets: 1 s, 1 s, 2 s)."""
    import query_bench
    import table_bench

    from kwali.app.searching import search
    from kwali.store import Project

    path = work / f"analysis-{n}.kwali"
    if not path.exists():  # the scale: 10,000 words a transcript, whatever --words says
        query_bench.build(path, n, ANALYSIS_WORDS, n * 100)
    query = query_bench.measure(path)
    tables = table_bench.measure(path)
    with Project.open(path, readonly=True) as project:
        search_s = best_of(3, lambda: search(project, "de"))  # in most sentences: the worst case
    return {
        "query_s": query["query_s"],
        "query_large_s": query["query_large_s"],
        "table_s": tables["table_s"],
        "search_s": search_s,
        "codings": n * 100,
    }


def replace(n: int, words: int, work: Path) -> dict[str, object]:
    """The replace measurement of issue 12 (not sized by N)."""
    import replace_bench

    return replace_bench.run()


def survey_import(n: int, words: int, work: Path) -> dict[str, object]:
    """Issue 15's survey at 5,000 respondents x 3 answers (not sized by N)."""
    import survey_bench

    return survey_bench.run(work, survey_bench.RESPONDENTS)


def survey_ui(n: int, words: int, work: Path) -> dict[str, object]:
    """Issue 15's survey screen at 5,000 respondents (not sized by N)."""
    import survey_ui_bench

    path = work / "survey-ui.kwali"
    if not path.exists():
        survey_ui_bench.build(path, survey_ui_bench.RESPONDENTS)
    return survey_ui_bench.run(path, work)


def agree_at_scale(n: int, words: int, work: Path) -> dict[str, object]:
    """Issue 18's ``kwali agree`` at study size: N transcripts of ~58,500 characters, three
    coders, ~100 codings each per document (benchmarks/agree_bench.py; each unit timed in a
    fresh subprocess, with its own peak memory)."""
    import agree_bench

    return agree_bench.run(work, n)


def export_at_scale(n: int, words: int, work: Path) -> dict[str, object]:
    """Issue 18's quote export at study size: ~300 codings per ~58,500-character document,
    to Word and Excel (benchmarks/export_bench.py; fresh subprocesses, peak memory each)."""
    import export_bench

    return export_bench.run(work, n)


def tui_fully_coded(n: int, words: int, work: Path) -> dict[str, object]:
    """Issue 18's UI on N transcripts every one of which three coders coded, and start-up to
    the first output of status/show/export (benchmarks/ui_bench.py)."""
    import ui_bench

    return ui_bench.run(work, n)


STEPS: dict[str, Callable[[int, int, Path], dict[str, object]]] = {
    "pipeline": pipeline,
    "agreement": agreement,
    "build": build,
    "export": export,
    "tui": tui,
    "analysis": analysis,
    "replace": replace,
    "survey_import": survey_import,
    "survey_ui": survey_ui,
    "reliability": reliability,
    "agree_scale": agree_at_scale,
    "export_scale": export_at_scale,
    "tui_scale": tui_fully_coded,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("--n", type=int, required=True, help="documents")
    parser.add_argument("--words", type=int, default=500, help="words per synthetic transcript")
    parser.add_argument("--work", type=Path, required=True, help="folder for projects and files")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    figures = STEPS[args.step](args.n, args.words, args.work)
    figures["peak_rss_mb"] = peak_memory_mb()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
