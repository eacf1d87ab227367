"""Option sets shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

project_option = click.option(
    "-p",
    "--project",
    "project_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The project file (NAME.kwali).",
)
coder_option = click.option(
    "--coder",
    default=lambda: __import__("getpass").getuser(),
    show_default="your login name",
    help="Who is coding; each coder has their own layer of codings.",
)


def progress(length: int, label: str):  # type: ignore[no-untyped-def]
    """A progress bar on stderr, only when a person watches it (not in pipes or CI logs)."""
    import sys

    return click.progressbar(
        length=length, label=label, file=sys.stderr, show_pos=True, hidden=not sys.stderr.isatty()
    )


def newline_if_bar() -> str:
    """Messages printed under a live progress bar start on a fresh line."""
    import sys

    return "\n" if sys.stderr.isatty() else ""
