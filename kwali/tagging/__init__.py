"""Code suggestions from a codebook's signals, and their evaluation against labelled texts.

``Suggester`` and ``Scored`` load spaCy, so they are imported on first use: a command that only
reads a constant of this package (``kwali suggest --help`` reads learning's minimum) starts
without the NLP stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kwali.tagging.suggest import Scored, Suggester

__all__ = ["Scored", "Suggester"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kwali.tagging import suggest

        return getattr(suggest, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
