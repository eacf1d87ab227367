"""Option sets shared by several commands, and the shape of a command's help."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.decorators import FC

from kwali.app.wording import number
from kwali.i18n import _, ngettext

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


def counted(what: str, n: int) -> str:
    """``n`` things in words, in the reader's language: "1 codering", "3.551 coderingen".

    ``what`` names the things by an English plural (``ExportResult.counts``' keys, the store's
    usage counts); a name without forms here is shown after the number as it is.
    """
    forms = {
        "documents": ngettext("{n} document", "{n} documenten", n),
        "codes": ngettext("{n} code", "{n} codes", n),
        "codings": ngettext("{n} codering", "{n} coderingen", n),
        "coders": ngettext("{n} codeur", "{n} codeurs", n),
        "memos": ngettext("{n} memo", "{n} memo's", n),
        "groups": ngettext("{n} groep", "{n} groepen", n),
        "children": ngettext("{n} subcode", "{n} subcodes", n),
        "suggestions": ngettext("{n} suggestie", "{n} suggesties", n),
        "sentences": ngettext("{n} zin", "{n} zinnen", n),
    }
    return forms[what].format(n=number(n)) if what in forms else f"{number(n)} {what}"


def described(text: str, *examples: str, block: str = "", after: str = "", label: str = "") -> str:
    """A command's help: ``text`` (paragraphs click rewraps), then ``block`` and the examples
    as written (click's ``\\b`` keeps their lines) after ``label`` (by default "Voorbeeld:"),
    then ``after``.

    The examples are commands, the same in every language; only their label is translated,
    so a msgid holds no ``\\b`` and no command line.
    """
    parts = [text]
    if block:
        parts.append("\b\n" + block)
    if examples:
        if not label:
            label = _("Voorbeeld:") if len(examples) == 1 else _("Voorbeelden:")
        indent = " " * (len(label) + 1)
        lines = [f"{label} {examples[0]}", *(indent + e for e in examples[1:])]
        parts.append("\b\n" + "\n".join(lines))
    if after:
        parts.append(after)
    return "\n\n".join(parts)


def file_option(*names: str, help: str, required: bool = False) -> Callable[[FC], FC]:
    """An option naming one file (not a folder), passed to the command as a Path."""
    return click.option(
        *names, required=required, type=click.Path(path_type=Path, dir_okay=False), help=help
    )


def warn_of_password(value: str) -> None:
    """A password typed in an address stays in the shell's history: say so, once, on stderr."""
    from kwali.store.postgres import has_password, shown

    if has_password(value):
        click.echo(
            _(
                "kwali: let op: het adres {database} bevat een wachtwoord, dat zo in uw "
                "shell-geschiedenis blijft; zet het liever in ~/.pgpass of een servicebestand"
            ).format(database=shown(value)),
            err=True,
        )


class ProjectLocation(click.Path):
    """A project: a file (a :class:`~pathlib.Path`) or a team project on PostgreSQL, given as
    ``postgresql://…`` (a :class:`~kwali.store.postgres.ServerAddress`, which prints without
    its password and parameters)."""

    name = "project"

    def __init__(self) -> None:
        super().__init__(path_type=Path, dir_okay=False)

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> str | bytes | os.PathLike[str]:
        from kwali.store.postgres import ServerAddress, is_postgres_url

        if isinstance(value, str) and is_postgres_url(value):
            warn_of_password(value)
            return ServerAddress(value)
        return super().convert(value, param, ctx)


PROJECT_HELP = _(
    "Het project: een bestand NAAM.kwali, of postgresql://gebruiker@server/database voor een "
    "teamproject (ook via KWALI_PROJECT)."
)


def project_location_option(
    *names: str,
    required: bool = True,
    help: str = PROJECT_HELP,
    envvar: str | None = "KWALI_PROJECT",
) -> Callable[[FC], FC]:
    """``-p`` / ``--project``: where the project is (a file or a server); ``KWALI_PROJECT`` when
    not given, so that a team's address need not be typed each time."""
    return click.option(*names, required=required, type=ProjectLocation(), envvar=envvar, help=help)


def coder_option_with(help: str) -> Callable[[FC], FC]:
    """``--coder``, by default the login name; ``help`` says what the coder's name is for."""
    return click.option(
        "--coder",
        default=lambda: __import__("getpass").getuser(),
        show_default=_("uw inlognaam"),
        help=help,
    )


project_option = project_location_option("-p", "--project", "project_path")
coder_option = coder_option_with(_("Wie er codeert; elke codeur heeft een eigen laag coderingen."))


def progress(length: int, label: str) -> ProgressBar[int]:
    """A progress bar on stderr, only when a person watches it (not in pipes or CI logs)."""
    import sys

    return click.progressbar(
        length=length, label=label, file=sys.stderr, show_pos=True, hidden=not sys.stderr.isatty()
    )


def newline_if_bar() -> str:
    """Messages printed under a live progress bar start on a fresh line."""
    import sys

    return "\n" if sys.stderr.isatty() else ""


def coder_scope_options(about: str = "") -> Callable[[FC], FC]:
    """``--coder NAME`` (repeatable) and ``--consensus``: whose confirmed codings a table, a
    query or a word list counts; ``about`` (translated) starts the help (``Met --code: ``)."""
    if about:
        coder_help = _(
            "{about}alleen de coderingen van deze codeur (herhaalbaar). Standaard: de "
            "bevestigde coderingen van alle codeurs, zonder de consensuslaag."
        ).format(about=about)
        consensus_help = _("{about}alleen de vastgestelde coderingen (de consensuslaag).").format(
            about=about
        )
    else:
        coder_help = _(
            "Alleen de coderingen van deze codeur (herhaalbaar). Standaard: de bevestigde "
            "coderingen van alle codeurs, zonder de consensuslaag."
        )
        consensus_help = _("Alleen de vastgestelde coderingen (de consensuslaag).")
    coder = click.option("--coder", "coders", multiple=True, metavar=_("NAAM"), help=coder_help)
    consensus = click.option("--consensus", is_flag=True, help=consensus_help)

    def decorate(command: FC) -> FC:
        return coder(consensus(command))

    return decorate


def chosen_coders(coders: tuple[str, ...], consensus: bool) -> tuple[str, ...] | None:
    """The coders ``--coder``/``--consensus`` name (None: everyone but the consensus layer);
    both at once is a usage error."""
    if consensus and coders:
        raise click.UsageError(_("--consensus en --coder sluiten elkaar uit."))
    return ("consensus",) if consensus else (tuple(coders) or None)
