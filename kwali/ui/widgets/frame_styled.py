"""A scroll view whose line renderer reads the widget's style once a frame."""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.strip import Strip


class FrameStyledView(ScrollView):
    """``rich_style`` walks every ancestor's styles; a ``render_line`` that asked for it per
    line paid that walk per line. Here it is read once for each frame drawn."""

    _frame_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    @property
    def frame_style(self) -> Style:
        """The widget's style: the frame's while one is drawn."""
        return self._frame_style or self.rich_style
