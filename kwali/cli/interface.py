"""``kwali tui``: the terminal interface. Textual is imported only when the command runs."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import coder_option, project_option


@click.command()
@project_option
@coder_option
@click.option("--blind", is_flag=True, help="Show only your own codings (for agreement work).")
def tui(project_path: Path, coder: str, blind: bool) -> None:
    """Code transcripts in the terminal: review suggestions, apply codes, write memos.

    Every action is saved in the project file at once; `u` undoes, also after a restart.

    Example: kwali tui -p studie.kwali --coder anna
    """
    from kwali.ui.app import run

    code = run(project_path, coder, blind)
    if code:
        raise click.exceptions.Exit(code)


COMMANDS = [tui]
