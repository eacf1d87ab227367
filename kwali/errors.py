"""Errors a researcher can read: one line naming the file and what is wrong.

The CLI turns a KwaliError into ``kwali: error: <message>`` and exit code 1;
nothing else should reach the user as a traceback.
"""

from __future__ import annotations

from pathlib import Path


class KwaliError(Exception):
    """An error with a plain message and an optional hint on what to do."""

    def __init__(self, message: str, *, path: str | Path | None = None, hint: str = "") -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        text = f"{text} ({self.hint})" if self.hint else text
        # a value quoted in the message (a key typed across a line break) keeps it one line
        return text.replace("\r", "\\r").replace("\n", "\\n")


class InputError(KwaliError):
    """A file to import cannot be read as a transcript."""


class ProjectError(KwaliError):
    """A project file cannot be opened or written.

    ``reason`` names a failure every screen words alike: ``busy`` (another kwali is writing),
    ``readonly``, ``disk_full``, ``write_failed``; empty for the rest. Code that acts on a
    failure compares the reason, never the message: the message is in the user's language.
    """

    def __init__(
        self, message: str, *, path: str | Path | None = None, hint: str = "", reason: str = ""
    ) -> None:
        self.reason = reason
        super().__init__(message, path=path, hint=hint)


class CodebookError(KwaliError):
    """A codebook file is invalid."""


class ExportError(KwaliError):
    """An export cannot be written."""
