"""`kwali survey table`: a survey question's codes per group, counted in answers, with column
percentages; printed, or written as .docx, .xlsx, .csv, .png or .svg. The counting is
kwali.analysis.survey_tables; the files are kwali.export.survey_tables'."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kwali.cli.options import chosen_coders, coder_scope_options, described, project_option
from kwali.cli.project import visible
from kwali.i18n import _, ngettext
from kwali.store.attribute_types import shown_value

if TYPE_CHECKING:
    from kwali.analysis.survey_tables import SurveyTable


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(1, width - 1)].rstrip() + "…"


def _print_table(table: SurveyTable) -> None:
    from kwali.analysis.survey_tables import dutch_percent
    from kwali.export.survey_tables import notes

    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    lines = table.lines()
    label_w = min(36, max([12, *(len(x.label) + 2 * x.depth for x in lines)]))
    columns = table.all_columns
    heads = [_shorten(shown_value(c), 22) for c in columns]  # values as written words
    counts_w = max(3, *(len(str(n)) for x in lines for n in x.counts))
    cell_w = [
        max(len(h), len(f"n = {table.n(c)}"), counts_w + 8)
        for h, c in zip(heads, columns, strict=True)
    ]
    if label_w + sum(w + 2 for w in cell_w) > width:
        wide = _("(de tabel is {n} kolommen breed: -o BESTAND.xlsx schrijft hem helemaal)")
        click.echo(wide.format(n=len(columns)))
    click.echo(visible(table.title))
    click.echo("")
    click.echo(
        visible(" " * label_w + "".join(f"  {h:>{w}}" for h, w in zip(heads, cell_w, strict=True)))
    )
    ns = [f"n = {table.n(c)}" for c in columns]
    click.echo(" " * label_w + "".join(f"  {n:>{w}}" for n, w in zip(ns, cell_w, strict=True)))
    for line in lines:
        if line.kind == "status" and line.key == "empty":
            click.echo("-" * min(width, label_w + sum(w + 2 for w in cell_w)))
            click.echo(_("Geen antwoord (niet in n):"))
        indent = "  " * line.depth
        name = indent + _shorten(line.label, label_w - len(indent))
        cells = []
        for i, w in enumerate(cell_w):
            share = "" if line.percents is None else dutch_percent(line.percents[i])
            cells.append(f"{line.counts[i]:>{counts_w}} {share:>7}".rjust(w))
        text = f"{name:<{label_w}}" + "".join(f"  {c}" for c in cells)
        click.echo(visible((text.upper() if line.kind == "category" else text).rstrip()))
    click.echo("")
    for sentence in notes(table):
        click.echo(visible(sentence))


@click.command(
    name="table",
    help=described(
        _(
            "De codes van de antwoorden op een vraag uit een enquête per groep: antwoorden en "
            "kolompercentages.\n\n"
            "Een cel telt antwoorden (respondenten), geen coderingen: een antwoord telt voor een "
            "code als een bevestigde codering ervan, of van een code eronder, het antwoord raakt, "
            "hoeveel codeurs het ook codeerden. Percentages zijn van de beantwoorde antwoorden "
            'van de kolom (n); een antwoord met twee codes telt in beide rijen. "Geen code" '
            "telt de beantwoorde antwoorden die niemand codeerde; leeg en weet niet worden apart "
            "geteld, buiten n."
        ),
        "kwali survey table -p studie.kwali --question Q7 --by aanpak",
        "kwali survey table -p studie.kwali -q Q7 --by aanpak --by geslacht -o q7.docx",
        "kwali survey table -p studie.kwali -q Q7 --by aanpak --consensus -o q7.png",
        after=_("Het project wordt alleen-lezen geopend."),
    ),
)
@project_option
@click.option("--question", "-q", required=True, metavar=_("NAAM"), help=_("De vraag (Q7)."))
@click.option(
    "--survey",
    metavar=_("NAAM"),
    help=_("De enquête, als het project er meer dan één heeft."),
)
@click.option(
    "--by",
    "by",
    multiple=True,
    metavar=_("KENMERK"),
    help=_(
        "Een kolom per waarde van dit kenmerk van de respondenten; twee keer: de twee gekruist."
    ),
)
@click.option(
    "--code",
    "--codes",
    "codes",
    multiple=True,
    metavar=_("CODE"),
    help=_(
        "Alleen deze codes als rijen, ook met nul, op sleutel, label of pad (een categorie "
        "met haar codes, @GROEP de codes van een codegroep); herhaalbaar. Standaard: elke "
        "code die een antwoord heeft."
    ),
)
@coder_scope_options()
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help=_(
        "Schrijf de tabel naar BESTAND.docx, .xlsx of .csv, of de staafgrafiek naar "
        "BESTAND.png of .svg."
    ),
)
@click.option("--force", is_flag=True, help=_("Overschrijf het uitvoerbestand als het al bestaat."))
def table(
    project_path: Path,
    question: str,
    survey: str | None,
    by: tuple[str, ...],
    codes: tuple[str, ...],
    coders: tuple[str, ...],
    consensus: bool,
    out: Path | None,
    force: bool,
) -> None:
    from kwali.analysis.survey_tables import survey_table
    from kwali.app.code_names import code_keys
    from kwali.errors import ExportError
    from kwali.export.survey_tables import FORMATS, write_survey_table
    from kwali.store import Project

    who = chosen_coders(coders, consensus)
    if len(by) > 2:
        raise click.UsageError(_("--by neemt één of twee kenmerken: --by aanpak [--by geslacht]"))
    if out is not None and out.suffix.lower().lstrip(".") not in FORMATS:
        formats = ", ".join("." + f for f in FORMATS)
        if out.suffix:
            refused = _("kan geen {suffix} schrijven (-o: gebruik {formats})").format(
                suffix=out.suffix, formats=formats
            )
        else:
            refused = _(
                "kan geen bestand zonder extensie schrijven (-o: gebruik {formats})"
            ).format(formats=formats)
        raise ExportError(refused, path=out)
    with Project.open(project_path, readonly=True) as project:
        chosen = code_keys(project, codes, option="--code") if codes else None
        made = survey_table(project, question, survey=survey, by=by, codes=chosen, coders=who)
    if out is not None:
        write_survey_table(made, out, force=force)
        rows, columns = len(made.rows), len(made.all_columns)
        written = _("{question} geschreven naar {path}: {codes} × {columns}.").format(
            question=made.question,
            path=out,
            codes=ngettext("{n} code", "{n} codes", rows).format(n=rows),
            columns=ngettext("{n} kolom", "{n} kolommen", columns).format(n=columns),
        )
        click.echo(written, err=True)
        return
    _print_table(made)


def _attach() -> list[click.Command]:
    """``table`` joins the ``survey`` group of kwali.cli.surveys; until that module exists,
    a ``survey`` group of its own carries it."""
    try:
        from kwali.cli.surveys import survey
    except ModuleNotFoundError as exc:
        if exc.name != "kwali.cli.surveys":
            raise
        return [
            click.Group("survey", commands=[table], help=_("Vragen uit enquêtes en hun tabellen."))
        ]
    survey.add_command(table)
    return []


COMMANDS = _attach()
