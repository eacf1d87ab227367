"""Backup commands: backup (a checked copy, or the list of rolling backups) and restore."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import project_option
from kwali.errors import ProjectError


@click.command()
@project_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the copy to this file (NAME.kwali).",
)
@click.option("--force", is_flag=True, help="Replace the --output file if it exists.")
@click.option("--list", "list_", is_flag=True, help="List the rolling backups instead.")
def backup(project_path: Path, output: Path | None, force: bool, list_: bool) -> None:
    """Copy a project safely, even while kwali has it open, or list its rolling backups.

    The copy holds every confirmed action (a plain file copy may miss the last ones while
    kwali is open), is checked by SQLite and is readable by you only.

    kwali also keeps rolling backups, in NAME.kwali-backups/ beside the project, before
    imports, loading a codebook over an existing one, and restores (the newest 10).

    \b
    Example: kwali backup -p studie.kwali -o usb/studie-2024-05-01.kwali
             kwali backup -p studie.kwali --list
    """
    from kwali.app.backups import copy_project, list_backups

    if list_ == (output is not None):
        raise click.UsageError("give either -o/--output FILE or --list")
    if output is not None:
        size = copy_project(project_path, output, overwrite=force)
        click.echo(f"Copied {project_path} to {output} ({size:,} bytes, checked).")
        return
    if not project_path.is_file():
        raise ProjectError("no such project file", path=project_path)
    backups = list_backups(project_path)
    if not backups:
        click.echo(f"No rolling backups of {project_path} yet.")
        return
    for b in backups:
        click.echo(
            f"{b.taken.astimezone():%Y-%m-%d %H:%M:%S}  {b.reason:<9} {b.size:>12,} bytes  {b.path}"
        )


@click.command()
@project_option
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The copy to restore (from kwali backup, or one listed by kwali backup --list).",
)
def restore(project_path: Path, source: Path) -> None:
    """Replace a project by a copy of it, keeping the current one as a rolling backup.

    The project must not be open in kwali elsewhere. The copy is checked first; the project
    is replaced all at once or not at all. To undo a restore, restore the backup it names.

    Example: kwali restore -p studie.kwali --from usb/studie-2024-05-01.kwali
    """
    from kwali.app.backups import restore as run

    kept = run(project_path, source)
    click.echo(f"Restored {project_path} from {source}.")
    if kept is not None:
        click.echo(f"The project as it was is kept in {kept} (restore that file to undo this).")


COMMANDS = [backup, restore]
