"""Run work over documents on every core: one document per task, in worker processes forked
from this one (importing and suggesting use it; it loads nothing, so spaCy stays unloaded
until a text needs it).

spaCy's own ``nlp.pipe(n_process=...)`` sends every Doc back serialised, and reading one
rescans spaCy's entry points (25x slower than one process here). Instead each worker gets a
plain job (texts and offsets), runs the whole step on it with the pipeline it inherited from
the parent at the fork, and sends plain tuples back; the parent keeps the store to itself.

Where processes cannot be forked (Windows, macOS' default), or for one job, the work runs in
this process, with the same results.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

# How many jobs each worker may have queued ahead of the one the parent waits for: enough to
# keep it busy, few enough that jobs read from the store are not all held in memory at once.
AHEAD_PER_WORKER = 16

# Fewer jobs than this run in this process: forking workers that hold spaCy, and sending them
# the texts, costs more than a handful of transcripts take.
POOL_FROM = 16

_task: Callable[[Any], Any] | None = None


def _run(job: Any) -> Any:
    assert _task is not None  # set in the parent before the fork
    return _task(job)


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(jobs: int, workers: int | None = None) -> int:
    """``workers`` when given, else every core for :data:`POOL_FROM` jobs or more, else one."""
    if workers is not None:
        return workers
    return default_workers() if jobs >= POOL_FROM else 1


def in_order(
    task: Callable[[Any], Any], jobs: Iterable[Any], workers: int | None = None
) -> Iterator[Any]:
    """``task(job)`` for each job, in order; on ``workers`` processes (default: every core).

    ``jobs`` is read in this process, a few jobs ahead of the results, so it may read the
    store. ``task`` and everything it uses reach the workers by the fork, not by pickling.
    """
    workers = default_workers() if workers is None else workers
    # What exists now (spaCy's pipeline and vocabulary, the project's caches) lives through
    # the run: frozen, the cyclic collector skips it instead of walking it again and again,
    # and forked workers do not copy the pages it would touch.
    gc.freeze()
    try:
        if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            yield from map(task, jobs)
        else:
            yield from _on_workers(task, jobs, workers)
    finally:
        gc.unfreeze()


def _on_workers(task: Callable[[Any], Any], jobs: Iterable[Any], workers: int) -> Iterator[Any]:
    global _task
    _task = task
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending: deque[Any] = deque()
            for job in jobs:
                pending.append(pool.apply_async(_run, (job,)))
                if len(pending) >= workers * AHEAD_PER_WORKER:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        _task = None
