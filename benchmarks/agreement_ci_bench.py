"""Time kwali.agreement's bootstrap confidence intervals on a study-sized workload.

The workload of agreement_bench.py: 100 documents x 40 segments = 4,000 units, 30 codes,
per code a present/absent matrix (a few units left open). Each interval draws 1,000
resamples: Krippendorff's alpha by Hayes & Krippendorff (2007) and by resampling units,
Cohen's kappa and Gwet's AC1 by resampling units. For scale, a plain loop that resamples units and calls the
coefficient each time is timed on 100 resamples and shown per 1,000 (x10).

Run: .venv/bin/python benchmarks/agreement_ci_bench.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import numpy as np
from agreement_bench import CODES, DOCUMENTS, UNITS_PER_DOCUMENT, code_matrices, timed

from kwali.agreement import bootstrap, cohen_kappa
from kwali.agreement.gwet import gwet_ac1

RESAMPLES = 1000
LOOP_RESAMPLES = 100
alpha_interval = partial(bootstrap.alpha_interval, resamples=RESAMPLES)
kappa_interval = partial(bootstrap.kappa_interval, resamples=RESAMPLES)
gwet_interval = partial(bootstrap.gwet_interval, resamples=RESAMPLES)
alpha_units = partial(bootstrap.alpha_interval, method="units", resamples=RESAMPLES)


def plain_loop(rows: np.ndarray, statistic: Callable[[np.ndarray], float]) -> None:
    rng = np.random.default_rng(1)
    units = rows.shape[1]
    for _ in range(LOOP_RESAMPLES):
        statistic(rows[:, rng.integers(0, units, units)])


def main() -> None:
    rng = np.random.default_rng(7)
    arrays = [np.array(m, dtype=float) for m in code_matrices(rng)]  # None -> nan
    pairs = [a[:2] for a in arrays]
    units = DOCUMENTS * UNITS_PER_DOCUMENT
    print(f"{units} units, {RESAMPLES} resamples per interval\n")
    one = pairs[0]
    alpha_interval(one)  # imports and first-call costs out of the timing

    print("one code, 2 coders:")
    total = 0.0
    total += timed("alpha_interval nominal (Hayes & Krippendorff)", lambda: alpha_interval(one))
    total += timed("alpha_interval interval", lambda: alpha_interval(one, "interval"))
    total += timed("alpha_interval nominal, units resampled", lambda: alpha_units(one))
    total += timed("alpha_interval ordinal, units resampled", lambda: alpha_units(one, "ordinal"))
    total += timed("kappa_interval (units resampled)", lambda: kappa_interval(one))
    total += timed("gwet_interval AC1 (units resampled)", lambda: gwet_interval(one))
    loop = timed(
        f"plain loop: cohen_kappa x{LOOP_RESAMPLES} resamples",
        lambda: plain_loop(one, cohen_kappa),
        repeat=1,
    )
    print(f"{'  the same per 1,000 resamples (x10)':<58} {loop * 10_000:9.1f} ms")
    loop = timed(
        f"plain loop: gwet_ac1 x{LOOP_RESAMPLES} resamples",
        lambda: plain_loop(one, gwet_ac1),
        repeat=1,
    )
    print(f"{'  the same per 1,000 resamples (x10)':<58} {loop * 10_000:9.1f} ms")

    print(f"\nall {CODES} codes:")
    total += timed(
        f"alpha_interval x{CODES} (2 coders)", lambda: [alpha_interval(p) for p in pairs]
    )
    total += timed(
        f"kappa_interval x{CODES} (2 coders)", lambda: [kappa_interval(p) for p in pairs]
    )
    total += timed(f"gwet_interval x{CODES} (2 coders)", lambda: [gwet_interval(p) for p in pairs])
    total += timed(
        f"alpha_interval x{CODES} (3 coders)", lambda: [alpha_interval(a) for a in arrays]
    )
    total += timed(f"gwet_interval x{CODES} (3 coders)", lambda: [gwet_interval(a) for a in arrays])
    total += timed(
        f"alpha_interval units x{CODES} (3 coders)", lambda: [alpha_units(a) for a in arrays]
    )
    print(f"\n{'total (best of 3 per line, loops excluded)':<58} {total * 1000:9.1f} ms")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"{'wall time':<58} {(time.perf_counter() - start) * 1000:9.1f} ms")
