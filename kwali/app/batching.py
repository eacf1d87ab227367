"""Store the results of a long run in a few transactions instead of one per document.

Each commit waits for the disk (the project is opened with ``synchronous=FULL``, and a commit
copies its pages into the main file): about 10 ms, more than importing or suggesting a short
transcript costs. A run therefore commits what it has done about every
:data:`COMMIT_EVERY_S` seconds. The work itself (segmenting, suggesting) happens between the
commits, never while the write lock is held, so another kwali can save meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from kwali.errors import KwaliError
from kwali.store import Project

COMMIT_EVERY_S = 0.5

Item = TypeVar("Item")
Result = TypeVar("Result")


def stored_in_batches(
    project: Project,
    items: Iterable[Item],
    store: Callable[[Item], Result],
    every: float = COMMIT_EVERY_S,
) -> Iterator[Result]:
    """``store(item)`` for each item, in order, committed in batches; each result is yielded
    once it is committed (so what a caller reports as done is on disk).

    ``items`` is produced outside any transaction. When a batch's transaction fails as a
    whole (a busy or full disk), its items are stored again one transaction each, as they
    would have been without batching: ``store`` then reports or raises per item.
    """
    done: list[Item] = []
    since = time.monotonic()
    for item in items:
        done.append(item)
        if time.monotonic() - since >= every:
            yield from _commit(project, done, store)
            done, since = [], time.monotonic()
    if done:
        yield from _commit(project, done, store)


def _commit(
    project: Project, items: list[Item], store: Callable[[Item], Result]
) -> Iterator[Result]:
    if len(items) > 1:
        try:
            with project.transaction():
                results = [store(item) for item in items]
        except KwaliError:
            pass
        else:
            yield from results
            return
    for item in items:
        yield store(item)
