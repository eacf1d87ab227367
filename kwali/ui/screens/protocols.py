"""What a screen's helpers need from the screen they serve.

The coding screen's dialogs (a helper object it owns) and the `l` action (a mixin whose
``self`` is annotated) see their screen through one of these protocols, so they depend on this
interface rather than on the screen's module, which imports them; mypy checks at each use that
the screen really provides it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textual.app import App
from textual.notifications import SeverityLevel

from kwali.model import Segment
from kwali.store import Project
from kwali.ui.screens.coding_state import DocumentState, Span


class ProjectScreen(Protocol):
    """A screen showing an open project: it can notify and reach the app."""

    project: Project

    @property
    def app(self) -> App[object]: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


class CodingView(ProjectScreen, Protocol):
    """The coding screen as its dialogs (``c``, ``d``, ``m``, ``/``, ``f``) use it."""

    coder: str
    state: DocumentState | None
    selection: Span | None
    filter_code: str | None
    search_text: str
    matches: list[Span]

    @property
    def segment(self) -> Segment | None:
        """The segment the cursor is on."""

    @property
    def target_span(self) -> Span | None:
        """What a code is added to or removed from: the selection, else the current segment."""

    def write(self, change: Callable[[], object], done: str) -> bool:
        """Run one store change; on success reload and say ``done`` is saved."""

    def show(self, scroll: bool = False, annotations: bool = True, jump: bool = False) -> None:
        """Redraw the transcript marks, the panel and the status line."""

    def go(self, index: int, jump: bool = True) -> None:
        """Move the cursor to segment ``index``."""
