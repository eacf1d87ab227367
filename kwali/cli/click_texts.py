"""Click's own texts ("Usage:", "Options", "Missing option …") in the language kwali speaks.

Click translates its texts through the standard library's global gettext, whose language comes
from the environment (``LANGUAGE``, ``LANG``): a Dutch help page would get English headings and
an English user on a Dutch system Dutch ones. kwali hands click's modules the catalogue of the
language in use instead (kwali/locale/<lang>/LC_MESSAGES/click.po; its source texts are click's
English, so only Dutch has one). ``make catalogues`` extracts click's texts from the installed
click and a test fails when one of them has no Dutch.
"""

from __future__ import annotations

import gettext
import importlib

import click

from kwali.i18n import _, catalogue, language

DOMAIN = "click"
# the click modules that translate (each did `from gettext import gettext as _, ngettext`)
MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "termui",
    "types",
    "utils",
    "shell_completion",
)


def click_gettext(message: str) -> str:
    return catalogue(language(), domain=DOMAIN).gettext(message)


def click_ngettext(singular: str, plural: str, n: int) -> str:
    return catalogue(language(), domain=DOMAIN).ngettext(singular, plural, n)


def speak_kwali_language() -> None:
    """Route click's translations through kwali's language (idempotent)."""
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if getattr(module, "_", None) in (gettext.gettext, click_gettext):
            module._ = click_gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) in (gettext.ngettext, click_ngettext):
            module.ngettext = click_ngettext  # type: ignore[attr-defined]


def name_the_placeholders(command: click.Command) -> None:
    """Click's usage line (``[OPTIONS] COMMAND [ARGS]...``) in kwali's language, for every command."""
    command.options_metavar = _("[OPTIES]")
    if isinstance(command, click.Group):
        command.subcommand_metavar = _("OPDRACHT [ARGUMENTEN]...")
        for subcommand in command.commands.values():
            name_the_placeholders(subcommand)
