"""Memo commands: add, list, edit and remove memos on the project, a document, a code, a
sentence or a coding.

Every change is one undoable action of ``--coder`` (``u`` in kwali tui undoes it). A memo is
named by the number ``kwali memo list`` shows: ``12``, or ``c34`` for the memo on coding 34.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kwali.app import memos as memo_app
from kwali.app.code_names import code_key
from kwali.cli.options import (
    coder_option_with,
    described,
    project_location_option,
    project_option,
)
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.i18n import _, ngettext
from kwali.store import Project

coder_option = coder_option_with(
    _("Wie de memo schrijft: alleen die kan hem wijzigen of verwijderen.")
)
# `memo add` has --project for a memo on the project itself, so its file is -p only
short_project_option = project_location_option("-p", "project_path")


def _text(text: str) -> str:
    """TEXT, or standard input for ``-``; an empty memo is refused."""
    if text == "-":
        text = sys.stdin.read()
    if not text.strip():
        raise InputError(_("de memo is leeg"))
    return text.strip()


def _show(entry: memo_app.MemoEntry) -> None:
    when = entry.changed[:16].replace("T", " ")
    click.echo(visible(f"{entry.ref:>5}  {entry.target.about}  — {entry.coder}, {when}"))
    for line in entry.text.splitlines() or [""]:
        click.echo(visible(f"       {line}"))


@click.group(
    name="memo",
    help=described(
        _(
            "Schrijf, toon, wijzig en verwijder memo's bij het project, documenten, codes, "
            "zinnen en coderingen."
        ),
        'kwali memo add -p studie.kwali --coder anna --code sanctie "Vooral dreiging."',
        "kwali memo list -p studie.kwali --kind code --search dreiging",
        'kwali memo edit -p studie.kwali --coder anna 12 "Vooral dreiging, weinig straf."',
        "kwali memo remove -p studie.kwali --coder anna 12",
    ),
)
def memo() -> None:
    """``kwali memo``: the group of memo commands."""


@memo.command(
    help=described(
        _(
            "Schrijf een memo TEKST (of - om hem van de standaardinvoer te lezen) bij één "
            "doel.\n\nElke add is een nieuwe memo; `kwali memo edit` wijzigt er een."
        ),
        'kwali memo add -p studie.kwali --coder anna --segment 3:12.2 "Ironisch bedoeld?"',
    )
)
@short_project_option
@click.option("--project", "on_project", is_flag=True, help=_("Een memo bij het hele project."))
@click.option(
    "--document",
    metavar=_("DOCUMENT"),
    help=_("Een memo bij dit document (het nummer of de naam)."),
)
@click.option(
    "--code", metavar=_("CODE"), help=_("Een memo bij deze code (sleutel, label of pad).")
)
@click.option(
    "--segment",
    metavar=_("ZIN"),
    help=_("Een memo bij deze zin, aangehaald als 3:12.2 (3:12 voor een beurt)."),
)
@click.option("--coding", metavar=_("ID"), help=_("Een memo bij deze codering (het id)."))
@click.argument("text", metavar=_("TEKST"))
@coder_option
def add(
    project_path: Path,
    on_project: bool,
    document: str | None,
    code: str | None,
    segment: str | None,
    coding: str | None,
    text: str,
    coder: str,
) -> None:
    """``kwali memo add``: a new memo on one target."""
    chosen = [
        (kind, ref)
        for kind, ref in (
            ("project", "" if on_project else None),
            ("document", document),
            ("code", code),
            ("segment", segment),
            ("coding", coding),
        )
        if ref is not None
    ]
    if len(chosen) != 1:
        raise click.UsageError(
            _(
                "Zeg waar de memo bij hoort: een van --project, --document, --code, --segment, "
                "--coding."
            )
        )
    ((kind, ref),) = chosen
    body = _text(text)
    with Project.open(project_path) as project:
        if kind == "code":
            ref = code_key(project, ref, option="--code")
        target = memo_app.target_for(project, kind, ref)
        entry = memo_app.write_memo(project, coder, target, body, replace=False)
        click.echo(
            visible(
                _("Memo {ref} bij {about} opgeslagen (ongedaan maken verwijdert hem).").format(
                    ref=entry.ref, about=target.about
                )
            )
        )


@memo.command(
    name="list",
    help=described(
        _("Toon de memo's: bij elke memo waar hij over gaat, wie hem schreef en wanneer."),
        "kwali memo list -p studie.kwali --document 3 --search dreiging",
    ),
)
@project_option
@click.option("--coder", metavar=_("NAAM"), help=_("Alleen de memo's van deze codeur."))
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar=_("SOORT"),
    help=_(
        "Alleen memo's bij deze soort: project, document, code, segment (zin), coding "
        "(codering); herhaalbaar."
    ),
)
@click.option(
    "--document",
    metavar=_("DOCUMENT"),
    help=_("Alleen memo's in dit document (het nummer of de naam)."),
)
@click.option(
    "--code",
    metavar=_("CODE"),
    help=_("Alleen memo's bij deze code (sleutel, label of pad) of bij coderingen ermee."),
)
@click.option(
    "--search",
    default="",
    metavar=_("WOORDEN"),
    help=_("Alleen memo's met al deze woorden."),
)
@click.option(
    "--blind", is_flag=True, help=_("Blind coderen: toon alleen de eigen memo's van --coder.")
)
def list_(
    project_path: Path,
    coder: str | None,
    kinds: tuple[str, ...],
    document: str | None,
    code: str | None,
    search: str,
    blind: bool,
) -> None:
    """``kwali memo list``: the memos, filtered."""
    if blind and not coder:
        raise click.UsageError(_("--blind vraagt --coder: wiens memo's gezien mogen worden."))
    with Project.open(project_path, readonly=True) as project:
        entries = memo_app.filter_memos(
            memo_app.all_memos(project, coder, blind=blind),
            kinds=[memo_app.kind_of(k) for k in kinds],
            coder=coder,
            document_id=project.find_document(document).id if document else None,
            code_key=code_key(project, code, option="--code") if code else None,
            search=search,
        )
        for entry in entries:
            _show(entry)
        click.echo(ngettext("{n} memo.", "{n} memo's.", len(entries)).format(n=len(entries)))


@memo.command(
    help=described(
        _("Vervang de tekst van uw memo ID door TEKST (of - voor de standaardinvoer)."),
        'kwali memo edit -p studie.kwali --coder anna 12 "Vooral dreiging."',
    )
)
@project_option
@click.argument("memo_ref", metavar=_("ID"))
@click.argument("text", metavar=_("TEKST"))
@coder_option
def edit(project_path: Path, memo_ref: str, text: str, coder: str) -> None:
    """``kwali memo edit``: replace the text of a memo."""
    body = _text(text)
    with Project.open(project_path) as project:
        entry = memo_app.edit_memo(project, memo_ref, body, coder)
        click.echo(
            visible(
                _("Memo {ref} bij {about} gewijzigd (ongedaan maken zet hem terug).").format(
                    ref=entry.ref, about=entry.target.about
                )
            )
        )


@memo.command(
    help=described(
        _("Verwijder uw memo ID (ongedaan maken brengt hem terug)."),
        "kwali memo remove -p studie.kwali --coder anna 12",
    )
)
@project_option
@click.argument("memo_ref", metavar=_("ID"))
@click.option("--yes", is_flag=True, help=_("Vraag niet om bevestiging."))
@coder_option
def remove(project_path: Path, memo_ref: str, yes: bool, coder: str) -> None:
    """``kwali memo remove``: remove a memo."""
    with Project.open(project_path) as project:
        entry = memo_app.find_memo(project, memo_ref)
        _show(entry)
        if entry.coder == coder and not yes and not click.confirm(_("Verwijderen?"), default=False):
            click.echo(_("Er is niets verwijderd."))
            return
        memo_app.remove_memo(project, memo_ref, coder)
        click.echo(
            visible(
                _("Memo {ref} bij {about} verwijderd (ongedaan maken brengt hem terug).").format(
                    ref=entry.ref, about=entry.target.about
                )
            )
        )


COMMANDS = [memo]
