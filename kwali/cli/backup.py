"""Backup commands: backup (a checked copy, or the list of rolling backups) and restore."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import described, project_option
from kwali.errors import ProjectError
from kwali.i18n import _, ngettext


@click.command(
    help=described(
        _(
            "Kopieer een project veilig, ook terwijl kwali het open heeft, of toon de "
            "automatische reservekopieën ervan.\n\n"
            "De kopie bevat elke bevestigde actie (een gewone kopie van het bestand kan de "
            "laatste missen terwijl kwali open is), wordt door SQLite gecontroleerd en is "
            "alleen door u te lezen.\n\n"
            "kwali maakt ook zelf reservekopieën, in NAAM.kwali-backups/ naast het project, "
            "vóór een import, vóór het laden van een codeboek over een bestaand codeboek en "
            "vóór het terugzetten van een kopie (de nieuwste 10)."
        ),
        "kwali backup -p studie.kwali -o usb/studie-2024-05-01.kwali",
        "kwali backup -p studie.kwali --list",
    )
)
@project_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help=_("Schrijf de kopie naar dit bestand (NAAM.kwali)."),
)
@click.option(
    "--force", is_flag=True, help=_("Vervang het bestand van --output als het al bestaat.")
)
@click.option(
    "--list",
    "list_",
    is_flag=True,
    help=_("Toon in plaats daarvan de automatische reservekopieën."),
)
def backup(project_path: Path, output: Path | None, force: bool, list_: bool) -> None:
    _refuse_server(project_path)
    from kwali.app.backups import copy_project, list_backups

    if list_ == (output is not None):
        raise click.UsageError(_("geef -o/--output BESTAND of --list"))
    if output is not None:
        size = copy_project(project_path, output, overwrite=force)
        copied = ngettext(
            "{project} gekopieerd naar {copy} ({size} byte, gecontroleerd).",
            "{project} gekopieerd naar {copy} ({size} bytes, gecontroleerd).",
            size,
        )
        click.echo(copied.format(project=project_path, copy=output, size=f"{size:,}"))
        return
    if not project_path.is_file():
        raise ProjectError(_("dit projectbestand bestaat niet"), path=project_path)
    backups = list_backups(project_path)
    if not backups:
        click.echo(_("Nog geen reservekopieën van {path}.").format(path=project_path))
        return
    for b in backups:
        shown = ngettext("{size} byte", "{size} bytes", b.size).format(size=f"{b.size:,}")
        click.echo(f"{b.taken.astimezone():%Y-%m-%d %H:%M:%S}  {b.reason:<9} {shown:>18}  {b.path}")


@click.command(
    help=described(
        _(
            "Vervang een project door een kopie ervan; het huidige project blijft bewaard als "
            "reservekopie.\n\n"
            "Het project mag nergens anders open zijn in kwali. De kopie wordt eerst "
            "gecontroleerd; het project wordt in één keer vervangen of helemaal niet. Om het "
            "terugzetten ongedaan te maken, zet u de reservekopie terug die het noemt."
        ),
        "kwali restore -p studie.kwali --from usb/studie-2024-05-01.kwali",
    )
)
@project_option
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help=_("De kopie om terug te zetten (van kwali backup, of een die kwali backup --list toont)."),
)
def restore(project_path: Path, source: Path) -> None:
    _refuse_server(project_path)
    from kwali.app.backups import restore as run

    kept = run(project_path, source)
    click.echo(_("{project} teruggezet uit {source}.").format(project=project_path, source=source))
    if kept is not None:
        click.echo(
            _(
                "Het project zoals het was, staat in {kept} (zet dat bestand terug om dit "
                "ongedaan te maken)."
            ).format(kept=kept)
        )


COMMANDS = [backup, restore]


def _refuse_server(project_path: Path) -> None:
    """A team project's copies are the server's backups, made by research IT."""
    if not isinstance(project_path, Path):
        raise ProjectError(
            _(
                "is een teamproject op PostgreSQL: daarvan maakt het beheer van de server "
                "reservekopieën (pg_dump); een kopie als bestand maakt u met `kwali pull`"
            ),
            path=project_path,
        )
