"""Option sets shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.decorators import FC

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


def file_option(*names: str, help: str, required: bool = False) -> Callable[[FC], FC]:
    """An option naming one file (not a folder), passed to the command as a Path."""
    return click.option(
        *names, required=required, type=click.Path(path_type=Path, dir_okay=False), help=help
    )


def coder_option_with(help: str) -> Callable[[FC], FC]:
    """``--coder``, by default the login name; ``help`` says what the coder's name is for."""
    return click.option(
        "--coder",
        default=lambda: __import__("getpass").getuser(),
        show_default="your login name",
        help=help,
    )


project_option = file_option(
    "-p", "--project", "project_path", required=True, help="The project file (NAME.kwali)."
)
coder_option = coder_option_with("Who is coding; each coder has their own layer of codings.")


def progress(length: int, label: str) -> ProgressBar[int]:
    """A progress bar on stderr, only when a person watches it (not in pipes or CI logs)."""
    import sys

    return click.progressbar(
        length=length, label=label, file=sys.stderr, show_pos=True, hidden=not sys.stderr.isatty()
    )


def newline_if_bar() -> str:
    """Messages printed under a live progress bar start on a fresh line."""
    import sys

    return "\n" if sys.stderr.isatty() else ""
