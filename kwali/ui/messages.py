"""Messages widgets post upwards; screens decide what they mean for the project."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OffsetClicked(Message):
    """The researcher clicked the transcript at this document offset."""

    offset: int


@dataclass
class SpanDragged(Message):
    """The researcher dragged over the transcript, selecting ``[start, end)``."""

    start: int
    end: int


@dataclass
class ProjectChanged(Message):
    """Another kwali committed to the project file: screens reload what they show."""


@dataclass
class RowChosen(Message):
    """A row of a table was chosen (Enter, or a click on the cursor row)."""

    key: int


@dataclass
class ColumnClicked(Message):
    """A column header was clicked: sort by it."""

    index: int


@dataclass
class JumpToCoding(Message):
    """The researcher wants to read a coding in its document (posted to the app)."""

    document_id: int
    start: int
