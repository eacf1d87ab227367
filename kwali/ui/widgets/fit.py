"""How many lines the growing part of a dialog (a list, a text, a question) may take, so that
the dialog's title, hint and buttons stay on screen at 80×24 and it grows on a taller one.

The dialogs' boxes are at most 90% (``.dialog``) or 95% (``.kw-dialog``) of the screen high;
what does not fit in the growing part scrolls inside it.
"""

from __future__ import annotations

from textual.widget import Widget


def room(screen_height: int, reserved: int, share: float = 0.9, least: int = 2) -> int:
    """Lines left in a box of ``share`` of the screen once ``reserved`` lines are taken."""
    return max(least, int(screen_height * share) - reserved)


def fit(widget: Widget, reserved: int, share: float = 0.9, *, height: bool = False) -> None:
    """Cap ``widget`` (or, with ``height``, size it) to the room its dialog leaves it.

    Set on the widget itself: it must win over the app's stylesheet (``#codes`` etc.)."""
    lines = room(widget.app.size.height, reserved, share)
    if height:
        widget.styles.height = lines
    else:
        widget.styles.max_height = lines
