"""Team commands (issue 19): push a project file into PostgreSQL, pull one back into a file."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import described, project_option, warn_of_password
from kwali.i18n import _, ngettext

DATABASE = _("postgresql://…")


def _database(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from kwali.store.postgres import is_postgres_url

    if not is_postgres_url(value):
        raise click.BadParameter(
            _("{value} is geen PostgreSQL-adres (postgresql://gebruiker@server/database)").format(
                value=value
            )
        )
    warn_of_password(value)
    return value


def _copied(source: str, target: str, rows: int, tables: int) -> str:
    from kwali.app.wording import number

    counted = ngettext(
        "{rows} rij uit {tables} tabellen", "{rows} rijen uit {tables} tabellen", rows
    ).format(rows=number(rows), tables=tables)
    return _("{source} gekopieerd naar {target}: {counted}.").format(
        source=source, target=target, counted=counted
    )


@click.command(
    help=described(
        _(
            "Kopieer een project naar een nieuwe, lege PostgreSQL-database, zodat een team er "
            "samen in kan werken.\n\n"
            "Alles gaat mee, onveranderd: documenten, codeboek, coderingen, memo's, "
            "kenmerken en de geschiedenis (ongedaan maken blijft werken). De database moet leeg "
            "zijn; het projectbestand blijft zoals het is. Zet het wachtwoord niet in het adres "
            "maar in ~/.pgpass of een servicebestand van PostgreSQL."
        ),
        "kwali push studie.kwali postgresql://anna@db.uni.nl/studie",
    )
)
@click.argument(
    "source", metavar=_("BESTAND.kwali"), type=click.Path(path_type=Path, dir_okay=False)
)
@click.argument("database", metavar=DATABASE, callback=_database)
def push(source: Path, database: str) -> None:
    from kwali.store.postgres import shown
    from kwali.store.transfer import push as run

    copied = run(source, database)
    click.echo(_copied(str(source), shown(database), copied.total, len(copied.rows)))


@click.command(
    help=described(
        _(
            "Kopieer een project uit een PostgreSQL-database naar een nieuw projectbestand.\n\n"
            "Alles komt mee, onveranderd, als één momentopname; de database blijft zoals hij "
            "is. Een bestaand bestand wordt nooit overschreven."
        ),
        "kwali pull postgresql://anna@db.uni.nl/studie studie-kopie.kwali",
    )
)
@click.argument("database", metavar=DATABASE, callback=_database)
@click.argument(
    "target", metavar=_("BESTAND.kwali"), type=click.Path(path_type=Path, dir_okay=False)
)
def pull(database: str, target: Path) -> None:
    from kwali.store.postgres import shown
    from kwali.store.transfer import pull as run

    copied = run(database, target)
    click.echo(_copied(shown(database), str(target), copied.total, len(copied.rows)))


@click.command(
    help=described(
        _(
            "Geef databaserollen toegang tot een teamproject op PostgreSQL, als codeur.\n\n"
            "Een codeur leest alles en schrijft alleen zijn eigen coderingen, memo's en "
            "beoordelingen: de server zelf houdt dat tegen, niet alleen kwali. Zijn naam als "
            "codeur is zijn rol. De rollen maakt het beheer van de server (CREATE ROLE anna "
            "LOGIN); deze opdracht geeft de eigenaar van het project."
        ),
        "kwali grant -p postgresql://beheer@db.uni.nl/studie anna bram",
    )
)
@project_option
@click.argument("roles", nargs=-1, required=True, metavar=_("ROL..."))
def grant(project_path: Path, roles: tuple[str, ...]) -> None:
    from kwali.errors import ProjectError
    from kwali.store import Project
    from kwali.store.project import PostgresProject

    with Project.open(project_path) as project:
        if not isinstance(project, PostgresProject):
            raise ProjectError(
                _("is een projectbestand: rollen horen bij een teamproject op PostgreSQL"),
                path=project_path,
            )
        for role in roles:
            project.grant_coder(role)
            click.echo(_("{role} codeert nu in {project}.").format(role=role, project=project_path))


COMMANDS = [push, pull, grant]
