"""The codebook command group: export (the codebook as it is now, to YAML or .qdc)."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import project_option


@click.group()
def codebook() -> None:
    """Work with the project's codebook as a file."""


@codebook.command("export")
@project_option
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The file to write: NAME.yaml (kwali) or NAME.qdc (REFI-QDA).",
)
@click.option("--force", is_flag=True, help="Replace the --output file if it exists.")
def codebook_export(project_path: Path, output: Path, force: bool) -> None:
    """Write the project's codebook as it is now, with every edit, to YAML or a .qdc.

    The format follows the extension. kwali evaluate --codebook reads the YAML; kwali import
    and other REFI-QDA programs read the .qdc.

    \b
    Example: kwali codebook export -p studie.kwali -o codeboek.yaml
             kwali codebook export -p studie.kwali -o codeboek.qdc
    """
    from kwali.export.codebook_file import write_codebook_file
    from kwali.store import Project

    with Project.open(project_path, readonly=True) as project:
        current = project.codebook()
    warnings = write_codebook_file(current, output, force=force)
    for warning in warnings:
        click.echo(f"kwali: warning: {warning}", err=True)
    click.echo(f"Wrote the codebook ({len(current.codes)} codes) to {output}.")


COMMANDS = [codebook]
