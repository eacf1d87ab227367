"""``kwali cases summary`` and ``kwali cases framework``: summaries per case (or document) and
code, and the framework matrix of them exported to Word or Excel (kwali.app.framework)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kwali.cli.cases import cases
from kwali.cli.options import coder_option_with, described, file_option, project_option
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.i18n import _, ngettext
from kwali.store import Project

coder_option = coder_option_with(
    _("Wie de samenvatting schrijft: elke codeur heeft een eigen samenvatting.")
)


@cases.command(
    help=described(
        _(
            "Schrijf de samenvatting van EENHEID bij CODE: TEKST (- leest de standaardinvoer; "
            '"" verwijdert hem).\n\n'
            "EENHEID is de naam van een case, of een document als document:3 (het nummer of de "
            "naam) voor wat geen case dekt; CODE is de sleutel, het label of het pad van een "
            "code. Eén actie van --coder die ongedaan gemaakt kan worden; elke codeur heeft een "
            "eigen samenvatting."
        ),
        'kwali cases summary -p studie.kwali --coder anna coach-a dwang "Ervaart weinig dwang."',
        'kwali cases summary -p studie.kwali --coder anna document:2 dwang ""',
    )
)
@project_option
@click.argument("unit", metavar=_("EENHEID"))
@click.argument("code", metavar=_("CODE"))
@click.argument("text", metavar=_("TEKST"))
@coder_option
def summary(project_path: Path, unit: str, code: str, text: str, coder: str) -> None:
    from kwali.app.code_names import code_key
    from kwali.app.framework import find_code, find_unit

    if text == "-":
        text = sys.stdin.read()
    with Project.open(project_path) as project:
        found = find_unit(project, unit)
        column = find_code(project, code_key(project, code, option="CODE"))
        changed = project.write_summary(found.kind, found.id, column.key, text, coder)
    on = _("case {name} bij {code}") if found.kind == "case" else _("document {name} bij {code}")
    where = on.format(name=found.name, code=column.label or column.key)
    if not changed:
        said = _("De samenvatting van {where} is niet veranderd.")
    elif text.strip():
        said = _("De samenvatting van {where} is opgeslagen (ongedaan maken verwijdert hem).")
    else:
        said = _("De samenvatting van {where} is verwijderd (ongedaan maken brengt hem terug).")
    click.echo(visible(said.format(where=where)))


@cases.command(
    help=described(
        _(
            "Exporteer de framework-matrix: cases (en documenten voor wat geen case dekt) × "
            "codes, elke cel met de samenvattingen en het aantal citaten. Word: een liggende "
            "tabel; Excel: het raster en een blad met de citaten van elke cel."
        ),
        "kwali cases framework -p studie.kwali -o matrix.docx",
        "kwali cases framework -p studie.kwali -o matrix.xlsx --codes dwang,plezier --coder anna",
    )
)
@project_option
@file_option(
    "-o",
    "--output",
    "out",
    required=True,
    help=_("Het bestand dat geschreven wordt: NAAM.docx of NAAM.xlsx."),
)
@click.option(
    "--codes",
    help=_(
        "De kolommen: codes op sleutel, label of pad (@GROEP de codes van een codegroep), "
        "gescheiden door komma's (standaard: de codes op het bovenste niveau)."
    ),
)
@click.option(
    "--coder",
    metavar=_("NAAM"),
    help=_(
        "Alleen de samenvattingen en coderingen van deze codeur (blind); standaard: die van "
        "elke codeur."
    ),
)
@click.option("--no-counts", is_flag=True, help=_("Word: laat het aantal citaten per cel weg."))
@click.option("--force", is_flag=True, help=_("Overschrijf het uitvoerbestand als het al bestaat."))
def framework(
    project_path: Path,
    out: Path,
    codes: str | None,
    coder: str | None,
    no_counts: bool,
    force: bool,
) -> None:
    from kwali.app.code_names import code_keys
    from kwali.app.framework import framework as build
    from kwali.export.framework import write_framework

    if out.suffix.lower() not in (".docx", ".xlsx"):
        raise InputError(
            _("is geen .docx of .xlsx"),
            path=out,
            hint=_("noem het uitvoerbestand NAAM.docx of NAAM.xlsx"),
        )
    if codes is not None and not codes.replace(",", "").strip():
        raise InputError(_("--codes noemt geen code"))
    with Project.open(project_path, readonly=True) as project:
        chosen = list(code_keys(project, [codes], option="--codes")) if codes else None
        grid = build(project, chosen, [coder] if coder else None)
    by = _("codeur: {coder}").format(coder=coder) if coder else _("alle codeurs")
    written = write_framework(
        grid, out, subtitle=f"{project_path.stem} · {by}", counts=not no_counts, force=force
    )
    quotes = sum(len(c.quotes) for c in grid.cells.values())
    written_summaries = sum(len(c.summaries) for c in grid.cells.values())
    rows, columns = len(grid.units), len(grid.codes)
    said = _("Geschreven: {path}: {rows} × {codes}, {summaries}, {quotes}.").format(
        path=written,
        rows=ngettext("{n} rij", "{n} rijen", rows).format(n=rows),
        codes=ngettext("{n} code", "{n} codes", columns).format(n=columns),
        summaries=ngettext("{n} samenvatting", "{n} samenvattingen", written_summaries).format(
            n=written_summaries
        ),
        quotes=ngettext("{n} citaat", "{n} citaten", quotes).format(n=quotes),
    )
    click.echo(visible(said))


COMMANDS: list[click.Command] = []  # both commands live in the cases group
