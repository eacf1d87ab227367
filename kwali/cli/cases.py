"""``kwali cases``: the cases of a project (a group interview's speakers, a survey's
respondents), their attributes and the speakers linked to them.

Every change is one undoable action of ``--coder`` (``u`` in kwali tui undoes it).
"""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import coder_option_with, described, project_option
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.i18n import _, ngettext
from kwali.store import Project

coder_option = coder_option_with(_("Wiens handeling dit is: die codeur kan haar ongedaan maken."))


@click.group(
    name="cases",
    help=described(
        _(
            "Cases: wie een onderzoek telt, bijvoorbeeld elke spreker van een groepsinterview."
            "\n\nWat een gekoppelde spreker zei, telt voor zijn case (met de kenmerken van de "
            "case), de rest voor het document, in tabellen, zoekvragen en exports."
        ),
        "kwali cases import -p studie.kwali sprekers.csv",
        "kwali cases list -p studie.kwali",
        'kwali cases link -p studie.kwali 3 "Coach A" coach_noord_1',
        'kwali cases link -p studie.kwali 3 "Coach A" --unlink',
    ),
)
def cases() -> None:
    """``kwali cases``: the group of case commands."""


@cases.command(
    name="import",
    help=described(
        _(
            "Koppel sprekers aan cases vanuit een CSV met de kolommen document (nummer, naam "
            "of bestandsnaam), spreker (het label in het transcript) en case; elke verdere "
            "kolom is een kenmerk van de case. Eén handeling die ongedaan kan worden; bij een "
            "fout verandert er niets."
        ),
        "kwali cases import -p studie.kwali sprekers.csv",
    ),
)
@project_option
@click.argument("file", metavar=_("BESTAND"), type=click.Path(path_type=Path, dir_okay=False))
@coder_option
def import_(project_path: Path, file: Path, coder: str) -> None:
    """``kwali cases import``: link speakers to cases from a CSV."""
    from kwali.app.cases_import import import_cases_table

    with Project.open(project_path) as project:
        done = import_cases_table(project, file, coder)
    click.echo(
        _("{rows} van {file} gelezen: {made}, {linked} gekoppeld, {changed} gewijzigd.").format(
            rows=ngettext("{n} rij", "{n} rijen", done.rows).format(n=done.rows),
            file=file.name,
            made=ngettext("{n} nieuwe case", "{n} nieuwe cases", done.made).format(n=done.made),
            linked=ngettext("{n} spreker", "{n} sprekers", done.linked).format(n=done.linked),
            changed=ngettext("{n} kenmerkwaarde", "{n} kenmerkwaarden", done.changed).format(
                n=done.changed
            ),
        )
    )


@cases.command(
    name="list",
    help=described(
        _("Toon de cases met hun kenmerken en gekoppelde sprekers (document:spreker)."),
        "kwali cases list -p studie.kwali",
        after=_("Het project wordt alleen-lezen geopend."),
    ),
)
@project_option
def list_(project_path: Path) -> None:
    """``kwali cases list``: the cases, their attributes and speakers."""
    from kwali.app.cases_import import linked_speakers

    with Project.open(project_path, readonly=True) as project:
        found = project.cases()
        speakers = linked_speakers(project)
    if not found:
        click.echo(_("{path} heeft nog geen cases.").format(path=project_path))
        return
    for case in found:
        attrs = ", ".join(f"{k}={v}" for k, v in case.attributes.items())
        said = ", ".join(speakers.get(case.id, [])) or _("geen sprekers")
        click.echo(visible(f"{case.name}  {said}" + (f"  [{attrs}]" if attrs else "")))
    linked_count = sum(len(v) for v in speakers.values())
    cases_n = ngettext("{n} case", "{n} cases", len(found)).format(n=len(found))
    speakers_n = ngettext("{n} gekoppelde spreker", "{n} gekoppelde sprekers", linked_count).format(
        n=linked_count
    )
    click.echo(f"{cases_n}, {speakers_n}.")


@cases.command(
    help=described(
        _(
            "Koppel SPREKER van DOCUMENT (het nummer of de naam) aan CASE (nieuw als die nog "
            "niet bestaat), of ontkoppel hem."
        ),
        'kwali cases link -p studie.kwali 3 "Coach A" coach_noord_1',
        'kwali cases link -p studie.kwali 3 "Coach A" --unlink',
    )
)
@project_option
@click.argument("document", metavar=_("DOCUMENT"))
@click.argument("speaker", metavar=_("SPREKER"))
@click.argument("case", metavar=_("[CASE]"), required=False)
@click.option(
    "--unlink",
    is_flag=True,
    help=_("Ontkoppel SPREKER: die telt weer voor het document."),
)
@coder_option
def link(
    project_path: Path, document: str, speaker: str, case: str | None, unlink: bool, coder: str
) -> None:
    """``kwali cases link``: link a speaker to a case, or unlink it."""
    if unlink == bool(case):
        raise click.UsageError(_("noem een CASE, of geef --unlink (niet allebei)"))
    with Project.open(project_path) as project:
        doc = project.find_document(document)
        current = project.speaker_cases([doc.id]).get(doc.id, {}).get(speaker)
        if unlink and current is None and speaker in project.document_speakers(doc.id):
            raise InputError(
                _("{speaker} van document {number} is aan geen case gekoppeld").format(
                    speaker=repr(speaker), number=doc.number
                ),
                path=project_path,
            )
        project.link_speaker(doc.id, speaker, None if unlink else (case or "").strip(), coder)
    where = _("{speaker} van document {number} ({name})").format(
        speaker=speaker, number=doc.number, name=doc.name
    )
    if unlink:
        click.echo(
            visible(_("{where} ontkoppeld: telt weer voor het document.").format(where=where))
        )
    else:
        click.echo(
            visible(
                _("{where} gekoppeld aan case {case}.").format(
                    where=where, case=(case or "").strip()
                )
            )
        )


COMMANDS = [cases]
