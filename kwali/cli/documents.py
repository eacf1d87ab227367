"""Document commands: list, rename and remove documents; set, unset and import attributes.

Every change is one undoable action of ``--coder`` (``u`` in kwali tui undoes it).
"""

from __future__ import annotations

from pathlib import Path

import click

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
from kwali.store.attribute_types import TYPE_WORDS, TYPES
from kwali.store.attribute_types import sort_key as sort_order

coder_option = coder_option_with(_("Van wie deze actie is: die codeur kan haar ongedaan maken."))


def _pairs(values: tuple[str, ...], path: Path) -> dict[str, str]:
    """``key=value`` arguments; one that is not is refused, naming it."""
    pairs = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise InputError(
                _("{value} is niet kenmerk=waarde").format(value=repr(value)), path=path
            )
        pairs[key.strip()] = val.strip()
    return pairs


def _missing_project() -> click.UsageError:
    return click.UsageError(_("Optie '-p' / '--project' ontbreekt."))


@click.group(
    name="documents",
    invoke_without_command=True,
    help=described(
        _(
            "Toon de documenten van een project; geef er een een andere naam, verwijder of vervang er een."
        ),
        "kwali documents -p studie.kwali",
        "kwali documents -p studie.kwali --sort leeftijd",
        'kwali documents rename -p studie.kwali 3 "Interview Anna"',
        "kwali documents remove -p studie.kwali 3",
        "kwali documents replace -p studie.kwali 3 int03-gecorrigeerd.docx",
        "kwali documents review -p studie.kwali",
    ),
)
@project_location_option("-p", "--project", "project_path", required=False)
@click.option(
    "--sort",
    "sort_key",
    metavar=_("KENMERK"),
    help=_("Toon ze in de volgorde van dit kenmerk (getallen naar grootte, datums naar tijd)."),
)
@click.pass_context
def documents(ctx: click.Context, project_path: Path | None, sort_key: str | None) -> None:
    if ctx.invoked_subcommand is not None:
        return
    if project_path is None:
        raise _missing_project()
    with Project.open(project_path, readonly=True) as project:
        summaries = project.document_summaries()
        codings = project.coding_counts_by_document()
        if not summaries:
            click.echo(_("{path} heeft nog geen documenten.").format(path=project_path))
            return
        if sort_key is not None:
            known = project.attribute_keys()
            if sort_key not in known:
                raise InputError(
                    _("geen document heeft het kenmerk {key} (bekend: {known})").format(
                        key=repr(sort_key), known=", ".join(known) or _("geen")
                    ),
                    path=project_path,
                )
            kind = project.attribute_types().get(sort_key, "text")
            summaries.sort(key=lambda d: sort_order(d.attributes.get(sort_key, ""), kind))
        width = min(40, max(len(d.name) for d in summaries))
        for d in summaries:
            per_coder = codings.get(d.id, {})
            coded = (
                ", ".join(f"{coder} {n}" for coder, n in per_coder.items())
                if per_coder
                else _("geen")
            )
            attrs = ", ".join(f"{k}={v}" for k, v in d.attributes.items())
            turns = ngettext("{n} beurt", "{n} beurten", d.turns).format(n=f"{d.turns:>4}")
            sentences = ngettext("{n} zin", "{n} zinnen", d.segments).format(n=f"{d.segments:>5}")
            codings_of = _("coderingen: {coded}").format(coded=coded)
            click.echo(
                visible(
                    f"{d.number:>4}  {d.name:<{width}}  {turns}  {sentences}  {codings_of}"
                    + (f"  [{attrs}]" if attrs else "")
                )
            )
        n = len(summaries)
        click.echo(ngettext("{n} document.", "{n} documenten.", n).format(n=n))


@documents.command(
    help=described(
        _("Geef DOCUMENT (het nummer of de naam) de naam NIEUWE_NAAM."),
        'kwali documents rename -p studie.kwali 3 "Interview Anna"',
    )
)
@project_option
@click.argument("document", metavar=_("DOCUMENT"))
@click.argument("new_name", metavar=_("NIEUWE_NAAM"))
@coder_option
def rename(project_path: Path, document: str, new_name: str, coder: str) -> None:
    with Project.open(project_path) as project:
        doc = project.find_document(document)
        renamed = project.rename_document(doc.id, new_name, coder)
        click.echo(
            visible(
                _("Document {number}: {old} heet nu {new}.").format(
                    number=renamed.number, old=doc.name, new=renamed.name
                )
            )
        )


@documents.command(
    help=described(
        _(
            "Verwijder DOCUMENT (het nummer of de naam) met zijn coderingen, memo's en "
            "suggesties.\n\n"
            "Vraagt het eerst; het verwijderen is één actie die ongedaan maken helemaal "
            "terugdraait."
        ),
        "kwali documents remove -p studie.kwali 3",
    )
)
@project_option
@click.argument("document", metavar=_("DOCUMENT"))
@click.option("--yes", is_flag=True, help=_("Vraag niet om bevestiging."))
@coder_option
def remove(project_path: Path, document: str, yes: bool, coder: str) -> None:
    from kwali.app.backups import rolling_backup

    with Project.open(project_path) as project:
        doc = project.find_document(document)
        counts = project.removal_counts(doc.id)
        goes = _("{codings}, {memos} en {suggestions}").format(
            codings=ngettext("{n} codering", "{n} coderingen", counts["codings"]).format(
                n=counts["codings"]
            ),
            memos=ngettext("{n} memo", "{n} memo's", counts["memos"]).format(n=counts["memos"]),
            suggestions=ngettext("{n} suggestie", "{n} suggesties", counts["suggestions"]).format(
                n=counts["suggestions"]
            ),
        )
        click.echo(
            visible(
                _("Document {number}: {name} gaat weg met {goes}.").format(
                    number=doc.number, name=doc.name, goes=goes
                )
            )
        )
        if not yes and not click.confirm(_("Dit document verwijderen?"), default=False):
            click.echo(_("Er is niets verwijderd."))
            return
        rolling_backup(project, "remove")
        project.remove_document(doc.id, coder)
        click.echo(
            visible(
                _("Document {number}: {name} verwijderd (ongedaan maken brengt het terug).").format(
                    number=doc.number, name=doc.name
                )
            )
        )


@click.group(
    name="attributes",
    invoke_without_command=True,
    help=described(
        _(
            "Toon de kenmerken van een project met hun type, of zet, wis, importeer of typeer "
            "ze.\n\n"
            "Een getal wordt opgeslagen als 3.5 en een datum als 2021-03-04, hoe ze ook getypt "
            "zijn (3,5 en 4-3-2021 mogen); getallen en datums sorteren naar grootte en naar tijd."
        ),
        "kwali attributes -p studie.kwali",
        "kwali attributes set -p studie.kwali 3 rol=werkzoekende leeftijd=34",
        "kwali attributes unset -p studie.kwali 3 leeftijd",
        "kwali attributes import -p studie.kwali respondenten.csv",
        "kwali attributes type -p studie.kwali leeftijd number",
    ),
)
@project_location_option("-p", "--project", "project_path", required=False)
@click.pass_context
def attributes(ctx: click.Context, project_path: Path | None) -> None:
    if ctx.invoked_subcommand is not None:
        return
    if project_path is None:
        raise _missing_project()
    with Project.open(project_path, readonly=True) as project:
        types = project.attribute_types()
        values: dict[str, list[str]] = {}
        for d in project.document_summaries():
            for key, value in d.attributes.items():
                values.setdefault(key, []).append(value)
        if not values:
            click.echo(_("{path} heeft nog geen kenmerken.").format(path=project_path))
            return
        width = min(30, max(len(k) for k in values))
        for key in sorted(values, key=str.casefold):
            kind = types.get(key, "text")
            found = sorted({v for v in values[key] if v}, key=lambda v: sort_order(v, kind))
            shown = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
            if kind != "text" and found:
                shown = _("{first} tot {last}").format(first=found[0], last=found[-1])
            n = len(values[key])
            documents_with = ngettext("{n} document", "{n} documenten", n).format(n=n)
            # the type as stored and typed (kwali attributes type KEY number)
            click.echo(visible(f"{key:<{width}}  {kind:<6}  {documents_with}: {shown}"))


@attributes.command(
    name="type",
    help=described(
        _(
            "Maak kenmerk KENMERK tekst (text), een getal (number) of een datum (date), als "
            "één actie die ongedaan gemaakt kan worden.\n\n"
            "Elke waarde van KENMERK moet bij het type passen (de eerste die dat niet doet, "
            "wordt genoemd, en er verandert niets); waarden worden herschreven in de opgeslagen "
            "vorm (3,5 wordt 3.5, 4-3-2021 wordt 2021-03-04). Latere waarden van KENMERK worden "
            "eraan getoetst."
        ),
        "kwali attributes type -p studie.kwali leeftijd number",
    ),
)
@project_option
@click.argument("key", metavar=_("KENMERK"))
@click.argument("kind", metavar=_("TYPE"), type=click.Choice(TYPES, case_sensitive=False))
@coder_option
def type_(project_path: Path, key: str, kind: str, coder: str) -> None:
    with Project.open(project_path) as project:
        rewritten = project.set_attribute_type(key, kind, coder)
    kind_name = TYPE_WORDS.get(kind.lower(), kind.lower())  # tekst, getal, datum
    if rewritten:
        said = ngettext(
            "{key} is nu van het type {kind} ({n} waarde herschreven).",
            "{key} is nu van het type {kind} ({n} waarden herschreven).",
            rewritten,
        ).format(key=key.strip(), kind=kind_name, n=rewritten)
    else:
        said = _("{key} is nu van het type {kind}.").format(key=key.strip(), kind=kind_name)
    click.echo(visible(said))


@attributes.command(
    name="set",
    help=described(
        _(
            "Zet kenmerken van DOCUMENT (het nummer of de naam), als één actie die ongedaan "
            "gemaakt kan worden."
        ),
        "kwali attributes set -p studie.kwali 3 rol=werkzoekende leeftijd=34",
    ),
)
@project_option
@click.argument("document", metavar=_("DOCUMENT"))
@click.argument("pairs", nargs=-1, required=True, metavar=_("KENMERK=WAARDE..."))
@coder_option
def set_(project_path: Path, document: str, pairs: tuple[str, ...], coder: str) -> None:
    values = _pairs(pairs, project_path)
    with Project.open(project_path) as project:
        doc = project.find_document(document)
        project.set_attributes(doc.id, values, coder)
        after = project.require_document(doc.id).attributes
        shown = ", ".join(f"{k}={v}" for k, v in after.items())
        click.echo(visible(f"{_document_named(doc.number, doc.name)}: {shown}"))


def _document_named(number: int, name: str) -> str:
    return _("Document {number}: {name}").format(number=number, name=name)


@attributes.command(
    help=described(
        _(
            "Wis kenmerken van DOCUMENT (het nummer of de naam), als één actie die ongedaan "
            "gemaakt kan worden."
        ),
        "kwali attributes unset -p studie.kwali 3 leeftijd",
    )
)
@project_option
@click.argument("document", metavar=_("DOCUMENT"))
@click.argument("keys", nargs=-1, required=True, metavar=_("KENMERK..."))
@coder_option
def unset(project_path: Path, document: str, keys: tuple[str, ...], coder: str) -> None:
    with Project.open(project_path) as project:
        doc = project.find_document(document)
        project.unset_attributes(doc.id, [k.strip() for k in keys], coder)
        after = project.require_document(doc.id).attributes
        shown = ", ".join(f"{k}={v}" for k, v in after.items()) or _("geen kenmerken")
        click.echo(visible(f"{_document_named(doc.number, doc.name)}: {shown}"))


@attributes.command(
    name="import",
    help=described(
        _(
            "Lees kenmerken uit een CSV (een kolom 'file' en een kolom per kenmerk) voor "
            "documenten die al in het project staan, als één actie die ongedaan gemaakt kan "
            "worden."
        ),
        "kwali attributes import -p studie.kwali respondenten.csv",
    ),
)
@project_option
@click.argument("file", metavar=_("BESTAND"), type=click.Path(path_type=Path, dir_okay=False))
@coder_option
def import_(project_path: Path, file: Path, coder: str) -> None:
    from kwali.app.importing import read_attribute_table

    table = read_attribute_table(file)
    with Project.open(project_path) as project:
        changes = project.import_attributes(table, str(file), coder)
    documents_changed = ngettext("{n} document", "{n} documenten", len(changes)).format(
        n=len(changes)
    )
    rows = ngettext("{n} rij", "{n} rijen", len(table)).format(n=len(table))
    click.echo(
        _("Kenmerken van {documents} gewijzigd ({rows} in {file}).").format(
            documents=documents_changed, rows=rows, file=file.name
        )
    )


COMMANDS = [documents, attributes]
