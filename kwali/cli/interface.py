"""``kwali tui``: the terminal interface. Textual is imported only when the command runs."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import coder_option, described, project_option
from kwali.i18n import _


@click.command(
    help=described(
        _(
            "Transcripten coderen in de terminal: suggesties beoordelen, codes toekennen, "
            "memo's schrijven.\n\nElke handeling wordt meteen in het projectbestand bewaard; "
            "`u` maakt ongedaan, ook na een herstart."
        ),
        "kwali tui -p studie.kwali --coder anna",
    )
)
@project_option
@coder_option
@click.option(
    "--blind", is_flag=True, help=_("Toon alleen uw eigen coderingen (voor overeenstemming).")
)
def tui(project_path: Path, coder: str, blind: bool) -> None:
    """``kwali tui``: run the terminal interface."""
    from kwali.ui.app import run

    code = run(project_path, coder, blind)
    if code:
        raise click.exceptions.Exit(code)


COMMANDS = [tui]
