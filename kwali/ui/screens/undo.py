"""`u` and ctrl+r: undo and redo the coder's latest action, whatever screen it was made on."""

from __future__ import annotations

from textual.binding import Binding


def history_bindings(screen_id: str) -> list[Binding]:
    """The same keys and words on every screen that can undo; the screen defines
    ``action_undo`` and ``action_redo``."""
    return [
        Binding("u", "undo", "Ongedaan", id=f"{screen_id}.undo"),
        Binding("ctrl+r", "redo", "Opnieuw", id=f"{screen_id}.redo"),
    ]
