"""Time kwali.agreement on a study-sized workload.

100 documents x 40 segments = 4,000 units, 3 coders, 30 codes: per code, a 3 x 4,000
present/absent matrix goes through every coefficient; NVivo-style character agreement
runs per code x document; the unitizing family runs on a 50,000-character continuum.
Krippendorff's alpha is compared with the ``krippendorff`` package (a test-only
dependency) on the same matrices when it is installed.

Run: .venv/bin/python benchmarks/agreement_bench.py
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from kwali.agreement import (
    binary_u_alpha,
    brennan_prediger,
    character_agreement,
    cohen_kappa,
    cu_alpha,
    fleiss_kappa,
    k_u_alpha,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    u_alpha,
    unitizing_summary,
)

DOCUMENTS, UNITS_PER_DOCUMENT, CODERS, CODES = 100, 40, 3, 30
CONTINUUM = 50_000
DOCUMENT_LENGTH = 5_000
LEVELS = ("nominal", "ordinal", "interval", "ratio")


def code_matrices(
    rng: np.random.Generator, documents: int = DOCUMENTS
) -> list[list[list[int | None]]]:
    """Per code, coder rows of 0/1 over all units; coders mostly follow a shared truth."""
    units = documents * UNITS_PER_DOCUMENT
    matrices = []
    for _ in range(CODES):
        truth = rng.random(units) < 0.15
        rows = []
        for _ in range(CODERS):
            flip = rng.random(units) < 0.08
            row: list[int | None] = (truth ^ flip).astype(int).tolist()
            for i in np.flatnonzero(rng.random(units) < 0.02):  # a few units skipped
                row[i] = None
            rows.append(row)
        matrices.append(rows)
    return matrices


def continuum_spans(rng: np.random.Generator) -> list[tuple[int, int, int, str]]:
    """Non-overlapping spans per coder over 30 codes, with jittered shared boundaries."""
    spans = []
    cuts = np.sort(rng.choice(CONTINUUM, size=1_200, replace=False))
    pieces = list(zip(cuts[:-1:2], cuts[1::2], strict=False))
    codes = rng.integers(0, CODES, size=len(pieces))
    for coder in range(CODERS):
        last_end = 0
        for (start, end), code in zip(pieces, codes, strict=True):
            if rng.random() < 0.1:
                continue
            s = max(last_end, int(start) + int(rng.integers(-3, 4)))
            e = min(CONTINUUM, int(end) + int(rng.integers(-3, 4)))
            if e <= s:
                continue
            label = f"code{code if rng.random() > 0.05 else (code + 1) % CODES}"
            spans.append((coder, s, e, label))
            last_end = e
    return spans


def timed(label: str, work: Callable[[], object], repeat: int = 3) -> float:
    best = min(_once(work) for _ in range(repeat))
    print(f"{label:<58} {best * 1000:9.1f} ms")
    return best


def _once(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    rng = np.random.default_rng(7)
    matrices = code_matrices(rng)
    arrays = [np.array(m, dtype=float) for m in matrices]  # None -> nan
    pairs = [[m[0], m[1]] for m in matrices]
    full = [np.nan_to_num(a, nan=0.0) for a in arrays]  # Fleiss needs complete units
    print(f"{CODES} codes x {CODERS} coders x {DOCUMENTS * UNITS_PER_DOCUMENT} units\n")

    total = 0.0
    total += timed("percent_agreement x30", lambda: [percent_agreement(m) for m in matrices])
    total += timed("cohen_kappa x30 (coders 1-2)", lambda: [cohen_kappa(p) for p in pairs])
    total += timed("scott_pi x30 (coders 1-2)", lambda: [scott_pi(p) for p in pairs])
    total += timed("fleiss_kappa x30 (complete units)", lambda: [fleiss_kappa(a) for a in full])
    total += timed("brennan_prediger x30", lambda: [brennan_prediger(m, 2) for m in matrices])
    ours = {}
    for level in LEVELS:
        ours[level] = timed(
            f"krippendorff_alpha {level} x30 (lists with None)",
            lambda level=level: [krippendorff_alpha(m, level) for m in matrices],
        )
        total += ours[level]
    on_arrays = {
        level: timed(
            f"krippendorff_alpha {level} x30 (numpy arrays with NaN)",
            lambda level=level: [krippendorff_alpha(a, level) for a in arrays],
        )
        for level in LEVELS
    }

    doc_spans = _document_spans(rng)
    total += timed(
        f"character_agreement x{CODES * DOCUMENTS} (code x document)",
        lambda: [character_agreement(DOCUMENT_LENGTH, a, b) for a, b in doc_spans],
    )

    spans = continuum_spans(rng)
    print(f"\nunitizing: {CONTINUUM} characters, {len(spans)} spans, {CODERS} coders")
    codes = sorted({s[3] for s in spans})
    total += timed("u_alpha", lambda: u_alpha(CONTINUUM, spans))
    total += timed("binary_u_alpha (all codes)", lambda: binary_u_alpha(CONTINUUM, spans))
    total += timed(
        "binary_u_alpha x30 (per code)",
        lambda: [binary_u_alpha(CONTINUUM, spans, codes=c) for c in codes],
    )
    total += timed("cu_alpha", lambda: cu_alpha(CONTINUUM, spans))
    total += timed("k_u_alpha x30", lambda: [k_u_alpha(CONTINUUM, spans, c) for c in codes])
    total += timed(
        "unitizing_summary (whole family, one pass)", lambda: unitizing_summary(CONTINUUM, spans)
    )
    print(f"\n{'total (best of 3 per line)':<58} {total * 1000:9.1f} ms")
    _compare(arrays, ours, on_arrays)


def _document_spans(rng: np.random.Generator) -> list[tuple[list, list]]:
    out = []
    for _ in range(CODES * DOCUMENTS):
        starts = np.sort(rng.integers(0, DOCUMENT_LENGTH - 200, size=4))
        a = [(int(s), int(s) + int(rng.integers(20, 200))) for s in starts]
        b = [
            (max(0, s + int(rng.integers(-15, 15))), e + int(rng.integers(0, 15))) for s, e in a[:3]
        ]
        out.append((a, b))
    return out


def _compare(arrays: list[np.ndarray], ours: dict[str, float], on_arrays: dict[str, float]) -> None:
    try:
        import krippendorff
    except ImportError:
        print(
            "\nkrippendorff package not installed: comparison skipped "
            "(.venv/bin/pip install krippendorff)"
        )
        return
    print("\nkrippendorff package on the same 30 matrices (numpy input):")
    for level in LEVELS:
        theirs = timed(
            f"krippendorff.alpha {level} x30",
            lambda level=level: [krippendorff.alpha(a, level_of_measurement=level) for a in arrays],
        )
        print(
            f"{'  time ratio kwali/krippendorff, both numpy input':<58} {on_arrays[level] / theirs:9.2f}"
        )
        print(
            f"{'  time ratio kwali from lists / krippendorff numpy':<58} {ours[level] / theirs:9.2f}"
        )


if __name__ == "__main__":
    main()
