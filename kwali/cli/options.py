"""Option sets shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

project_option = click.option(
    "-p", "--project", "project_path", required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The project file (NAME.kwali).",
)
coder_option = click.option(
    "--coder", default=lambda: __import__("getpass").getuser(), show_default="your login name",
    help="Who is coding; each coder has their own layer of codings.",
)
