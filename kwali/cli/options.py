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


def coder_scope_options(about: str = "") -> Callable[[FC], FC]:
    """``--coder NAME`` (repeatable) and ``--consensus``: whose confirmed codings a table, a
    query or a word list counts; ``about`` starts the help (``With --code: ``)."""
    only = "only" if about else "Only"
    coder = click.option(
        "--coder",
        "coders",
        multiple=True,
        metavar="NAME",
        help=f"{about}{only} this coder's codings (repeatable). Default: all coders' confirmed "
        "codings, without the consensus layer.",
    )
    consensus = click.option(
        "--consensus",
        is_flag=True,
        help=f"{about}{only} the settled codings (the consensus layer).",
    )

    def decorate(command: FC) -> FC:
        return coder(consensus(command))

    return decorate


def chosen_coders(coders: tuple[str, ...], consensus: bool) -> tuple[str, ...] | None:
    """The coders ``--coder``/``--consensus`` name (None: everyone but the consensus layer);
    both at once is a usage error."""
    if consensus and coders:
        raise click.UsageError("--consensus and --coder exclude each other.")
    return ("consensus",) if consensus else (tuple(coders) or None)
