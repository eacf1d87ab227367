"""The codebook command group: export the codebook as it is now, import a file into it by
merging, delete a code. Every change is one undoable action of ``--coder``."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import coder_option_with, counted, described, project_option
from kwali.cli.project import visible
from kwali.i18n import _, ngettext
from kwali.model import Code

coder_option = coder_option_with(_("Van wie deze actie is: die codeur kan haar ongedaan maken."))


@click.group(help=_("Werk met het codeboek van het project als bestand."))
def codebook() -> None:
    pass


@codebook.command(
    "export",
    help=described(
        _(
            "Schrijf het codeboek van het project zoals het nu is, met elke wijziging, naar "
            "YAML of een .qdc.\n\n"
            "De extensie bepaalt het formaat. kwali evaluate --codebook leest de YAML; kwali "
            "import en andere REFI-QDA-programma's lezen de .qdc."
        ),
        "kwali codebook export -p studie.kwali -o codeboek.yaml",
        "kwali codebook export -p studie.kwali -o codeboek.qdc",
    ),
)
@project_option
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help=_("Het bestand dat geschreven wordt: NAAM.yaml (kwali) of NAAM.qdc (REFI-QDA)."),
)
@click.option(
    "--force", is_flag=True, help=_("Vervang het bestand van --output als het al bestaat.")
)
def codebook_export(project_path: Path, output: Path, force: bool) -> None:
    from kwali.export.codebook_file import write_codebook_file
    from kwali.store import Project

    with Project.open(project_path, readonly=True) as project:
        current = project.codebook()
        groups = project.code_groups_for_file()  # a .qdc holds them as Sets
    warnings = write_codebook_file(current, output, force=force, groups=groups)
    for warning in warnings:
        click.echo(_("kwali: waarschuwing: {warning}").format(warning=warning), err=True)
    codes = ngettext("{n} code", "{n} codes", len(current.codes)).format(n=len(current.codes))
    click.echo(_("Codeboek ({codes}) geschreven naar {path}.").format(codes=codes, path=output))


@codebook.command(
    "import",
    help=described(
        _(
            "Voeg een codeboekbestand (BESTAND.yaml of BESTAND.qdc) samen met het codeboek van "
            "het project.\n\n"
            "Nieuwe codes komen erbij en codes die in het bestand veranderd zijn, worden "
            "bijgewerkt; wat in het project gewijzigd is sinds het codeboek voor het laatst "
            "geladen werd, blijft, tenzij --theirs gegeven is. Een veld dat het bestand leeg "
            "laat, maakt dat van het project nooit leeg (een .qdc heeft geen signaalwoorden), en "
            "een code die niet in het bestand staat, blijft: verwijder codes met kwali codebook "
            "delete. Codes worden gezocht op sleutel, dan op label. Elke beslissing wordt "
            "getoond; de import is één actie die ongedaan gemaakt kan worden."
        ),
        "kwali codebook import -p studie.kwali codeboek.yaml --dry-run",
        "kwali codebook import -p studie.kwali codeboek.qdc",
    ),
)
@project_option
@click.argument(
    "codebook_path", metavar=_("BESTAND"), type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "--theirs",
    is_flag=True,
    help=_(
        "Neem de versie van het bestand waar het project een code veranderde sinds het "
        "codeboek voor het laatst geladen werd, en zet codes terug die in het project "
        "verwijderd zijn (een veld dat het bestand leeg laat, maakt dat van het project nog "
        "steeds nooit leeg)."
    ),
)
@click.option("--dry-run", is_flag=True, help=_("Toon alleen wat het samenvoegen zou doen."))
@coder_option
def codebook_import(
    project_path: Path, codebook_path: Path, theirs: bool, dry_run: bool, coder: str
) -> None:
    from kwali.app.codebook_import import merge_codebook, read_codebook_file
    from kwali.app.exchange_sets import import_file_code_groups
    from kwali.store import Project

    incoming = read_codebook_file(codebook_path)
    groups: tuple[str, ...] = ()
    with Project.open(project_path, readonly=dry_run) as project:
        report = merge_codebook(
            project,
            incoming,
            source=codebook_path.name,
            coder=coder,
            theirs=theirs,
            dry_run=dry_run,
        )
        if not dry_run:  # a .qdc's code groups (Sets), after its codes
            groups = import_file_code_groups(project, codebook_path, report.keys, coder)
    for line in (*report.lines(), *groups):
        click.echo(visible(line))
    if dry_run:
        click.echo(_("Proefdraai: er is niets veranderd."))
    elif report.changes_anything:
        click.echo(
            _("{file} geïmporteerd (ongedaan maken brengt het codeboek terug).").format(
                file=codebook_path.name
            )
        )
    else:
        click.echo(_("Niets te veranderen."))


def _named(code: Code) -> str:
    """A code in a question or report on a deletion: its label, and its key to be sure."""
    return f"{code.label} ({code.key})" if code.label and code.label != code.key else code.key


@codebook.command(
    "delete",
    help=described(
        _(
            "Verwijder CODE (de sleutel, het label of het pad) uit het codeboek, als één actie "
            "die ongedaan gemaakt kan worden.\n\n"
            "Dat wordt geweigerd zolang de code coderingen heeft, tenzij --move-to de code noemt "
            "waar ze heen gaan. De subcodes gaan een niveau omhoog, naar de bovenliggende code; "
            "de suggesties van de code verdwijnen mee."
        ),
        "kwali codebook delete -p studie.kwali oud_thema",
        "kwali codebook delete -p studie.kwali sanctie --move-to dwang",
        'kwali codebook delete -p studie.kwali "Sancties en dreiging" --move-to "Dwang"',
    ),
)
@project_option
@click.argument("code", metavar=_("CODE"))
@click.option(
    "--move-to",
    "move_to",
    metavar=_("ANDERE"),
    help=_(
        "Verplaats eerst de coderingen (en memo's) van de code naar deze code (sleutel, label "
        "of pad)."
    ),
)
@click.option("--yes", is_flag=True, help=_("Vraag niet om bevestiging."))
@coder_option
def codebook_delete(
    project_path: Path, code: str, move_to: str | None, yes: bool, coder: str
) -> None:
    from kwali.app.backups import rolling_backup
    from kwali.app.code_names import code_key
    from kwali.store import Project

    with Project.open(project_path) as project:
        code = code_key(project, code, option="CODE")
        move_to = code_key(project, move_to, option="--move-to") if move_to else None
        doomed = project.require_code(code)
        target = project.require_code(move_to) if move_to else None
        use = project.code_use(code)
        if use["codings"] and target is None:
            project.delete_code(code, coder)  # refused there: one line with the number
        what = [_named(doomed)]
        if target is not None:
            what.append(
                _("de {codings} en {memos} ervan gaan naar {target}").format(
                    codings=counted("codings", use["codings"]),
                    memos=counted("memos", use["memos"]),
                    target=_named(target),
                )
            )
        elif use["memos"]:
            what.append(
                _("de {memos} ervan verdwijnen mee").format(memos=counted("memos", use["memos"]))
            )
        if use["children"]:
            above = project.code(doomed.parent) if doomed.parent else None
            children = counted("children", use["children"])
            if above:
                moves = _("de {subcodes} ervan gaan naar {parent}")
                what.append(moves.format(subcodes=children, parent=_named(above)))
            else:
                moves = _("de {subcodes} ervan gaan naar het bovenste niveau")
                what.append(moves.format(subcodes=children))
        if use["suggestions"]:
            what.append(
                _("de {suggestions} ervan verdwijnen mee").format(
                    suggestions=counted("suggestions", use["suggestions"])
                )
            )
        click.echo(visible(_("Verwijderen: {what}.").format(what="; ".join(what))))
        if not yes and not click.confirm(_("Deze code verwijderen?"), default=False):
            click.echo(_("Er is niets verwijderd."))
            return
        rolling_backup(project, "delete")
        moved = project.delete_code(code, coder, move_to=move_to)
    if target:
        done = _(
            "Code {code} verwijderd; {codings} verplaatst naar {target} (ongedaan maken brengt "
            "hem terug)."
        ).format(code=_named(doomed), codings=counted("codings", moved), target=_named(target))
    else:
        done = _("Code {code} verwijderd (ongedaan maken brengt hem terug).").format(
            code=_named(doomed)
        )
    click.echo(visible(done))


@click.command(
    "codes",
    help=described(
        _(
            "Toon de codes van een project: elk label in de boom, met zijn sleutel.\n\n"
            "Elke opdracht die een code neemt, accepteert de sleutel, het label (hoofdletters "
            'of niet, met of zonder accenten) of het pad ("Persoonlijke situatie > Taal"); '
            "de sleutel is alleen nodig waar twee codes hetzelfde label hebben."
        ),
        "kwali codes -p studie.kwali",
        after=_("Het project wordt alleen-lezen geopend."),
    ),
)
@project_option
def codes(project_path: Path) -> None:
    from kwali.store import Project

    with Project.open(project_path, readonly=True) as project:
        codebook = project.codebook()
        used = project.code_counts()  # confirmed codings, every layer
    ordered = codebook.in_tree_order()
    names = [("  " * (len(codebook.path(c.key)) - 1)) + (c.label or c.key) for c in ordered]
    width = min(48, max([4, *(len(n) for n in names)]))
    key_w = min(32, max([3, *(len(c.key) for c in ordered)]))
    for code, name in zip(ordered, names, strict=True):
        what = (
            _("categorie") if code.kind == "category" else counted("codings", used.get(code.key, 0))
        )
        click.echo(visible(f"{name:<{width}}  {code.key:<{key_w}}  {what}"))
    click.echo(ngettext("{n} code.", "{n} codes.", len(ordered)).format(n=len(ordered)))


COMMANDS = [codebook, codes]
