"""The ``kwali`` command. Commands are thin: parse options, call kwali.app/store, print."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from kwali import __version__, i18n
from kwali.cli.click_texts import name_the_placeholders, speak_kwali_language
from kwali.errors import KwaliError
from kwali.i18n import _


class KwaliGroup(click.Group):
    """Turns every kwali error into one line on stderr and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KwaliError as exc:
            click.echo(_("kwali: fout: {error}").format(error=exc.one_line()), err=True)
            ctx.exit(1)
        except BrokenPipeError:
            # `kwali show ... | head`: the reader left; that is not an error.
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
            ctx.exit(0)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(
                _("kwali: fout: {error}").format(error=f"{where}{exc.strerror or exc}"), err=True
            )
            ctx.exit(1)
        except Exception as exc:
            if type(exc).__module__ != "sqlite3":
                raise
            # The store wraps failed writes in ProjectError; a read of a damaged or vanished
            # file can still end here: that is the file, not a kwali bug (and sqlite3 may
            # only be imported by the store, hence the module name).
            click.echo(
                _(
                    "kwali: fout: het projectbestand kan niet gelezen of geschreven worden ({why})"
                ).format(why=exc),
                err=True,
            )
            ctx.exit(1)


# Texts are translated when their module is imported (click help, bindings): the language is
# set from the command line before the commands are registered (the --lang option re-checks it).
try:
    i18n.set_language(i18n.language_from(sys.argv[1:]))
except ValueError:
    pass  # --lang / KWALI_LANG below reports the wrong value
speak_kwali_language()  # click's own texts ("Usage:") in that language too


def _use_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        i18n.set_language(value)


def _help() -> str:
    """The group's help, in the language just set (the options module translates on import)."""
    from kwali.cli.options import described

    return described(
        _("kwali: Nederlandse interviewtranscripten coderen in de terminal."),
        "kwali init studie.kwali",
        "kwali import -p studie.kwali transcripts/*.txt",
        "kwali tui -p studie.kwali --coder anna",
        label=_("Beginnen:"),
    )


@click.group(cls=KwaliGroup, context_settings={"help_option_names": ["-h", "--help"]}, help=_help())
@click.version_option(__version__, prog_name="kwali")
@click.option(
    "--lang",
    type=click.Choice(i18n.LANGUAGES, case_sensitive=False),
    envvar=i18n.ENV_VAR,
    is_eager=True,
    expose_value=False,
    callback=_use_language,
    help=_("De taal van kwali's teksten: nl (standaard) of en. Ook via KWALI_LANG."),
)
def cli() -> None:
    """The ``kwali`` group; its help is ``_help()``."""


def _register() -> None:
    from kwali.cli import project

    for command in project.COMMANDS:
        cli.add_command(command)
    for module in (
        "kwali.cli.tagging",
        "kwali.cli.interface",
        "kwali.cli.exporting",
        "kwali.cli.agreeing",
        "kwali.cli.backup",
        "kwali.cli.documents",
        "kwali.cli.codebook",
        "kwali.cli.replacing",  # adds `replace` to the documents group
        "kwali.cli.memos",
        "kwali.cli.groups",
        "kwali.cli.querying",
        "kwali.cli.searching",
        "kwali.cli.tables",
        "kwali.cli.words",
        "kwali.cli.surveys",  # `kwali survey` (list) ...
        "kwali.cli.survey_tables",  # ... and `kwali survey table`
        "kwali.cli.cases",  # `kwali cases` (import, list, link)
        "kwali.cli.framework",  # `kwali cases summary`, `kwali cases framework`
        "kwali.cli.team",  # `kwali push`, `kwali pull` (PostgreSQL)
    ):
        try:
            mod = __import__(module, fromlist=["COMMANDS"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        for command in getattr(mod, "COMMANDS", []):
            cli.add_command(command)


_register()
name_the_placeholders(cli)


def main() -> None:
    """Console entry point."""
    try:
        cli.main(prog_name="kwali", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo(
            _("kwali: onderbroken; alles wat tot nu toe bevestigd is, is opgeslagen"), err=True
        )
        sys.exit(130)
    except Exception as exc:  # last resort: no tracebacks for researchers
        if os.environ.get("KWALI_DEBUG"):
            raise
        click.echo(
            _(
                "kwali: interne fout: {kind}: {error} (zet KWALI_DEBUG=1 om de details te zien, "
                "en meld het alstublieft)"
            ).format(kind=exc.__class__.__name__, error=exc),
            err=True,
        )
        sys.exit(1)
