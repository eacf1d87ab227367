"""Helpers for the UI tests: ``from ui_helpers import ...`` (pytest puts tests/ui on sys.path).

Named ui_helpers, not helpers: tests/helpers.py is on sys.path too, and one module name
would shadow the other.

- ``ScreenApp``: a bare Textual app that hosts one screen, for testing that screen alone.
- ``notifications(app)``: what an app was asked to notify (recorded by the autouse fixture in
  tests/ui/conftest.py, because Textual keeps its own list private).
- ``panel_text(screen)``: the side panel of the coding screen as the coder reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

from kwali.ui.messages import JumpToCoding


class Note(NamedTuple):
    message: str
    severity: str


_told: dict[App, list[Note]] = {}


def notifications(app: App) -> list[Note]:
    """Every notification ``app`` was asked to show, oldest first (none expire here)."""
    return _told.get(app, [])


def record_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record each app's notifications until the test ends; they are still shown as usual."""
    _told.clear()
    real = App.notify

    def notify(self: App, message: str, *, severity: str = "information", **kwargs) -> None:
        _told.setdefault(self, []).append(Note(str(message), severity))
        real(self, message, severity=severity, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(App, "notify", notify)


class ScreenApp(App):
    """A bare app that shows one screen and records the jumps it is asked for.

    ``blind`` is read by screens that ask the app (``getattr(app, "blind", False)``).
    """

    def __init__(self, screen_factory: Callable[[], Screen], blind: bool = False) -> None:
        super().__init__()
        self.screen_factory = screen_factory
        self.blind = blind
        self.jumps: list[tuple[int, int]] = []

    def on_mount(self) -> None:
        self.push_screen(self.screen_factory())

    def on_jump_to_coding(self, message: JumpToCoding) -> None:
        self.jumps.append((message.document_id, message.start))

    @property
    def notes(self) -> list[tuple[str, str]]:
        """(message, severity) of every notification so far."""
        return [(note.message, note.severity) for note in notifications(self)]


def panel_text(screen: Screen) -> str:
    """The coding screen's side panel (suggestions, codings, memos) as plain text."""
    return str(screen.query_one("#panel-body", Static).render())
