"""The ``kwali`` command. Commands are thin: parse options, call kwali.app/store, print."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from kwali import __version__, i18n
from kwali.cli.click_texts import name_the_placeholders, speak_kwali_language
from kwali.errors import KwaliError


class KwaliGroup(click.Group):
    """Turns every kwali error into one line on stderr and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KwaliError as exc:
            click.echo(f"kwali: error: {exc.one_line()}", err=True)
            ctx.exit(1)
        except BrokenPipeError:
            # `kwali show ... | head`: the reader left; that is not an error.
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
            ctx.exit(0)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"kwali: error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(1)
        except Exception as exc:
            if type(exc).__module__ != "sqlite3":
                raise
            # The store wraps failed writes in ProjectError; a read of a damaged or vanished
            # file can still end here: that is the file, not a kwali bug (and sqlite3 may
            # only be imported by the store, hence the module name).
            click.echo(
                f"kwali: error: the project file cannot be read or written ({exc})", err=True
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


@click.group(cls=KwaliGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kwali")
@click.option(
    "--lang",
    type=click.Choice(i18n.LANGUAGES, case_sensitive=False),
    envvar=i18n.ENV_VAR,
    is_eager=True,
    expose_value=False,
    callback=_use_language,
    help="Language of kwali's texts: nl (the default) or en. Also KWALI_LANG.",
)
def cli() -> None:
    """kwali: code Dutch interview transcripts in the terminal.

    \b
    Start:  kwali init studie.kwali
            kwali import -p studie.kwali transcripts/*.txt
            kwali tui -p studie.kwali --coder anna
    """


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
        click.echo("kwali: interrupted; everything confirmed so far is saved", err=True)
        sys.exit(130)
    except Exception as exc:  # last resort: no tracebacks for researchers
        if os.environ.get("KWALI_DEBUG"):
            raise
        click.echo(
            f"kwali: internal error: {exc.__class__.__name__}: {exc} "
            "(set KWALI_DEBUG=1 to see details, and please report it)",
            err=True,
        )
        sys.exit(1)
