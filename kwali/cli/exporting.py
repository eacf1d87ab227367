"""Export commands: `kwali export WHAT` and the anonymisation list (`kwali anonymize`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kwali.cli.options import coder_option, counted, described, project_option
from kwali.cli.project import visible  # what a project holds can't drive the terminal
from kwali.export.registry import EXPORTERS  # no pandas: `kwali --help` stays fast
from kwali.i18n import _, ngettext

# Every format some export writes; each exporter refuses the ones it doesn't.
FORMATS = tuple(dict.fromkeys(f for exporter in EXPORTERS.values() for f in exporter.formats))


def _split(values: tuple[str, ...]) -> list[str]:
    """Accept both `--code a --code b` and `--code a,b`."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _shown(*names: str, **settings: Any) -> Any:
    """An option whose default the help shows."""
    return click.option(*names, show_default=True, **settings)


def _several(flag: str, name: str, metavar: str, help: str) -> Any:
    """An option given once per value (or comma-separated: see _split)."""
    return click.option(flag, name, multiple=True, metavar=metavar, help=help)


def _export_help() -> str:
    whats = "\n".join(f"  {e.name:<13} {e.summary}" for e in EXPORTERS.values())
    return described(
        _("Exporteer citaten, een rapport, het codeboek of tellingen naar Word, Excel of CSV."),
        "kwali export quotes -p studie.kwali -o citaten.docx --consensus --anonymize",
        "kwali export matrix -p studie.kwali -o matrix.xlsx --by aanpak",
        "kwali export transcript -p studie.kwali 3 -o interview3.docx --coder anna --per-coder",
        block=_("WAT is een van:") + "\n" + whats,
        after=_("Het project wordt alleen-lezen geopend: exporteren verandert het nooit."),
    )


@click.command(help=_export_help())
@click.argument("what", type=click.Choice(tuple(EXPORTERS)))
@click.argument("documents", nargs=-1, metavar=_("[DOCUMENT]..."))
@project_option
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help=_("Het bestand dat geschreven wordt; de extensie bepaalt het formaat."),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help=_("Een ander formaat dan de extensie aangeeft."),
)
@click.option("--force", is_flag=True, help=_("Overschrijf het uitvoerbestand als het al bestaat."))
@_several(
    "--code",
    "codes",
    _("CODE"),
    _(
        "Alleen deze codes, op sleutel, label of pad (een categorie met haar codes, @GROEP "
        "de codes van een codegroep); herhaal de optie of scheid met komma's."
    ),
)
@_several(
    "--query",
    "queries",
    _("NAAM"),
    _(
        "Citaten: ook de citaten van deze opgeslagen zoekvraag (kwali query --save), als "
        "rijen met de naam @NAAM; zonder --code alleen die."
    ),
)
@_several("--coder", "coders", _("NAAM"), _("Alleen de coderingen van deze codeurs."))
@click.option(
    "--consensus",
    is_flag=True,
    help=_("Alleen de vastgestelde coderingen (codeur 'consensus')."),
)
@_several(
    "--attribute",
    "attributes",
    _("KENMERK"),
    _(
        "Kenmerken van de documenten om te tonen (citaten); standaard: alle in tabellen, "
        "geen in Word."
    ),
)
@_shown(
    "--attribution",
    default="rol,geslacht",
    help=_("Kenmerken die bij een citaat staan; alleen 'rol' verbergt bijvoorbeeld het geslacht."),
)
@_shown(
    "--context",
    default=0,
    type=click.IntRange(0, 10),
    help=_("Aantal zinnen context voor en na elk citaat."),
)
@_shown(
    "--sort",
    type=click.Choice(["code", "document", "respondent", "coder"]),
    default="code",
    help=_("Volgorde van de citaten."),
)
@click.option("--anonymize", is_flag=True, help=_("Vervang de namen die `kwali anonymize` opsomt."))
@_shown(
    "--by",
    default="document",
    metavar=_("document|KENMERK"),
    help=_("Kolommen van frequencies/matrix: de documenten, of de waarden van een kenmerk."),
)
@_shown(
    "--count",
    type=click.Choice(["segments", "respondents"]),
    default="segments",
    help=_("Wat een cel van de matrix telt (xlsx bevat beide)."),
)
@_shown(
    "--unit",
    type=click.Choice(["overlap", "turn"]),
    default="overlap",
    help=_("Samen voorkomen: overlappende tekst, of dezelfde beurt van een spreker."),
)
@_shown(
    "--kind",
    type=click.Choice(["bars", "heatmap"]),
    default="bars",
    help=_(
        "Grafiek: aantallen per code en groep (--by), of de heatmap van codes die samen voorkomen."
    ),
)
@click.option("--c", "c", is_flag=True, help=_("Grafiek heatmap: de c-coëfficiënt per cel."))
@click.option(
    "--keys",
    is_flag=True,
    help=_(
        "Codesleutels naast de labels, kenmerkwaarden zoals ze opgeslagen zijn "
        "(ontvangende_organisatie)."
    ),
)
@click.option(
    "--per-coder",
    is_flag=True,
    help=_(
        "Citaten: een rij per codering van elke codeur (standaard: elk citaat één keer, met "
        "zijn codeurs samen); transcript: een marge per codeur."
    ),
)
@click.option(
    "--each",
    is_flag=True,
    help=_("Transcript: één bestand per document; -o noemt dan een map."),
)
@click.option(
    "--coder-column",
    is_flag=True,
    help=_(
        "Citaten, memo's (Word): de kolom codeur, ook als er maar één codeur in de export staat."
    ),
)
@click.option("--one-table", is_flag=True, help=_("Citaten: één tabel met een kolom voor de code."))
@click.option("--skip-empty", is_flag=True, help=_("Citaten: laat codes zonder citaten weg."))
@click.option(
    "--group-by",
    metavar=_("KENMERK"),
    help=_("Rapport: tel per dit kenmerk (standaard rol)."),
)
@click.option(
    "--charts",
    is_flag=True,
    help=_(
        "Rapport: de staafgrafiek en de heatmap in het overzicht, en in elk hoofdstuk de "
        "staven per groep."
    ),
)
@click.option(
    "--all-codes",
    is_flag=True,
    help=_("Rapport: teltabellen met elke code en elke groep, ook die met nul."),
)
@_shown(
    "--cite",
    type=click.Choice(["sentence", "line"]),
    default="sentence",
    help=_(
        "Rapport en memo's: verwijs naar een citaat of zin met zijn zin (3:12.2) of zijn regel "
        "(interview 3, r. 45)."
    ),
)
@click.option("--title", default="", help=_("Titel van een Word-document."))
@_shown(
    "--line-endings",
    type=click.Choice(["lf", "crlf"]),
    default="lf",
    help=_("qdpx: de regeleinden van de teksten; crlf voor MAXQDA (de posities schuiven mee)."),
)
@click.option(
    "--unique-names",
    is_flag=True,
    help=_(
        "qdpx: een naam die meerdere codes delen, wordt 'Label (Bovenliggende code)' "
        "(ATLAS.ti, QualCoder)."
    ),
)
@_shown("--sep", default=",", help=_("Scheidingsteken van CSV (';' voor Nederlandse Excel)."))
def export(
    what: str,
    project_path: Path,
    out: Path,
    fmt: str | None,
    force: bool,
    consensus: bool,
    **flags: Any,
) -> None:
    # The help comes from _export_help(), which lists the exports of the registry.
    from kwali.store import Project

    exporter = EXPORTERS[what]
    coders = _split(flags["coders"]) + (["consensus"] if consensus else [])
    codes: tuple[str, ...] = ()
    queries = tuple(_split(flags["queries"]))  # --code @X is a code group, --query X a query
    if queries and "queries" not in exporter.option_names():
        raise click.UsageError(
            _("--query hoort bij de export quotes, niet bij {what}.").format(what=what)
        )
    documents = tuple(_split(flags["documents"]))
    if documents and "documents" not in exporter.option_names():
        raise click.UsageError(
            _("DOCUMENT hoort bij de export transcript, niet bij {what}.").format(what=what)
        )
    if flags["codes"]:  # a key, a label, a path or @GROUP (a code group's codes)
        from kwali.app.code_names import code_keys

        with Project.open(project_path, readonly=True) as project:
            codes = code_keys(project, flags["codes"], option="--code")
    options = exporter.options_from(  # each export takes the flags it has a use for
        {
            **flags,
            "codes": codes,
            "queries": queries,
            "documents": documents,
            "coders": tuple(coders),
            "attributes": tuple(_split(flags["attributes"])) or None,
            "attribution": tuple(_split((flags["attribution"],))),
        }
    )
    with Project.open(project_path, readonly=True) as project:
        # an export that refuses an unknown coder itself says so in its own one line
        quiet = getattr(exporter, "refuses_unknown_coders", False)
        if coders and not quiet and not set(coders) & set(project.coders()):
            said = _("geen coderingen van {coders}").format(coders=", ".join(coders))
            click.echo(_("kwali: waarschuwing: {warning}").format(warning=said), err=True)
        if sys.stderr.isatty():  # a study's export takes a while: say what is coming
            click.echo(_("Schrijven: {path} …").format(path=out), err=True)
        result = exporter.write(project, out, fmt=fmt, force=force, options=options)
    for warning in result.warnings:
        shown = _("kwali: waarschuwing: {warning}").format(warning=visible(warning))
        click.echo(shown, err=True)  # attribute values
    counts = ", ".join(counted(name, n) for name, n in result.counts.items())
    if counts:
        click.echo(_("Geschreven: {path}: {counts}").format(path=result.path, counts=counts))
    else:
        click.echo(_("Geschreven: {path}").format(path=result.path))


@click.group(
    help=described(
        _("De namen die vervangen worden in elke export met --anonymize."),
        'kwali anonymize add -p studie.kwali "Sanne de Vries" "[naam klantmanager]"',
        "kwali export quotes -p studie.kwali -o citaten.docx --anonymize",
        after=_("De transcripten in het project veranderen nooit."),
    )
)
def anonymize() -> None:
    pass


@anonymize.command(
    "add", help=_("Vervang NAAM (het hele woord, in elke schrijfwijze) door VERVANGING.")
)
@project_option
@coder_option
@click.argument("name", metavar=_("NAAM"))
@click.argument("replacement", metavar=_("VERVANGING"))
def anonymize_add(project_path: Path, coder: str, name: str, replacement: str) -> None:
    from kwali.store import Project

    with Project.open(project_path) as project:
        project.set_replacement(name, replacement, coder)
    click.echo(f"{name} → {replacement}")


@anonymize.command("remove", help=_("Vervang NAAM niet meer."))
@project_option
@coder_option
@click.argument("name", metavar=_("NAAM"))
def anonymize_remove(project_path: Path, coder: str, name: str) -> None:
    from kwali.errors import ProjectError
    from kwali.store import Project

    with Project.open(project_path) as project:
        if not project.remove_replacement(name, coder):
            raise ProjectError(
                _("heeft geen vervanging voor {name}").format(name=repr(name)), path=project_path
            )
    click.echo(_("Verwijderd: {name}").format(name=name))


@anonymize.command("list", help=_("Toon de namen en hun vervangingen."))
@project_option
def anonymize_list(project_path: Path) -> None:
    from kwali.store import Project

    with Project.open(project_path, readonly=True) as project:
        pairs = project.replacements()
    if not pairs:
        click.echo(_("Nog geen namen om te vervangen."), err=True)
    for name, replacement in pairs.items():
        click.echo(visible(f"{name}\t{replacement}"))


@anonymize.command(
    "propose",
    help=_(
        "Laat de Nederlandse de-identificeerder `deduce` namen, plaatsen, datums en "
        "telefoonnummers vinden.\n\n"
        "Daarvoor is de extra nodig: pip install 'kwali[deidentify]'. Bekijk de lijst "
        "voordat u --add gebruikt."
    ),
)
@project_option
@click.option(
    "--add", "add_all", is_flag=True, help=_("Voeg elk voorstel toe met zijn vervanging.")
)
@coder_option
def anonymize_propose(project_path: Path, add_all: bool, coder: str) -> None:
    from kwali.export.anonymize import propose
    from kwali.store import Project

    with Project.open(project_path, readonly=not add_all) as project:
        texts = [project.require_document(i).text for i in project.document_ids()]
        found = propose(
            texts,
            known=project.replacements(),
            progress=lambda message: click.echo(message, err=True),
        )
        for proposal in found:
            click.echo(
                visible(
                    f"{proposal.count:4d}  {proposal.kind:<15} {proposal.text}\t→ {proposal.suggestion}"
                )
            )
            if add_all:
                project.set_replacement(proposal.text, proposal.suggestion, coder)
    if not found:
        click.echo(_("deduce vond niets nieuws om te vervangen."), err=True)
    elif not add_all:
        proposals = ngettext(
            "{n} voorstel; voeg het toe met `kwali anonymize add` als u het wilt.",
            "{n} voorstellen; voeg toe wat u wilt met `kwali anonymize add`.",
            len(found),
        ).format(n=len(found))
        click.echo(proposals, err=True)


COMMANDS = [export, anonymize]
