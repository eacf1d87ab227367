"""`kwali query`: the quotations an expression of codes finds, in the terminal or a file.

The language and what it counts are in docs/query.md; the engine is kwali.analysis.
"""

from __future__ import annotations

import getpass
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kwali.app.document_filter import where_pairs
from kwali.cli.options import chosen_coders, coder_scope_options, described, project_option
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.i18n import _, ngettext
from kwali.store.attribute_types import shown_value

if TYPE_CHECKING:
    from kwali.analysis import QueryResult

OUTPUTS = (".csv", ".xlsx", ".docx")


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(1, width - 1)].rstrip() + "…"


def _named(codes: tuple[str, ...], labels: Mapping[str, str]) -> str:
    """A quotation's codes as the team reads them: by label."""
    return ", ".join(labels.get(k) or k for k in codes)


def _print_table(result: QueryResult, by: str | None, labels: Mapping[str, str]) -> None:
    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    quotations = result.quotations
    ref_w = max([9, *(len(q.reference) for q in quotations)])
    code_w = min(24, max([5, *(len(_named(q.codes, labels)) for q in quotations)]))
    text_w = max(20, width - ref_w - code_w - 4)
    for q in quotations:
        codes = _shorten(_named(q.codes, labels), code_w)
        click.echo(
            visible(f"{q.reference:<{ref_w}}  {codes:<{code_w}}  {_shorten(q.text, text_w)}")
        )
    if quotations:
        click.echo()
    per_document = result.per_document()
    found = [(d, n) for d, n in per_document if n]
    click.echo(
        _("{quotes} in {found} van {documents} ({scope})").format(
            quotes=ngettext("{n} citaat", "{n} citaten", len(quotations)).format(n=len(quotations)),
            found=len(found),
            documents=ngettext("{n} document", "{n} documenten", len(per_document)).format(
                n=len(per_document)
            ),
            scope=result.scope.describe(),
        )
    )
    if by:
        units = _("documenten") if result.units is None else _("respondenten")
        quotes = _("citaten")
        click.echo(f"\n{by:<24} {quotes:>10} {units:>10}")
        for value, n, with_one, total in result.per_group(by):
            label = shown_value(value) if value else _("(geen waarde)")
            share = _("{n:>6} van {total}").format(n=with_one, total=total)
            click.echo(visible(f"{_shorten(label, 24):<24} {n:>10} {share}"))
        if result.units is not None:
            click.echo(_("(respondenten geteld als: {counted})").format(counted=result.counted))
    elif found:
        click.echo()
        name_w = min(40, max(len(d.name) for d, _n in found))
        for d, n in found:
            click.echo(visible(f"{d.number:>4}  {_shorten(d.name, name_w):<{name_w}}  {n:>6}"))


def _write(
    result: QueryResult, out: Path, by: str | None, force: bool, labels: Mapping[str, str]
) -> None:
    from kwali.analysis.frame import counts, table
    from kwali.export.files import write_csv, write_docx, write_xlsx

    suffix = out.suffix.lower()
    quotes = table(result)
    if suffix == ".csv":
        write_csv(quotes, out, force=force)
    elif suffix == ".xlsx":
        sheets = {_("Citaten"): quotes, _("Per document"): counts(result)}
        if by:
            sheets[_("Per {attribute}").format(attribute=by)] = counts(result, by)
        write_xlsx(sheets, out, force=force, wrap=("text",))
    else:
        write_docx(_docx(result, labels), out, force=force)


def _docx(result: QueryResult, labels: Mapping[str, str]):  # noqa: ANN202 - python-docx, lazily
    from kwali.export.word import add_row, clean, muted, new_document, styled_table

    doc = new_document(
        _("Zoekvraag: {expression}").format(expression=result.expression),
        result.scope.describe(dutch=True),
    )
    widths = [9.0, 3.0, 2.6, 2.0]
    grid = styled_table(doc, [_("Citaat"), _("Respondent"), _("Bron"), _("Codes")], widths)
    for q in result.quotations:
        cells = add_row(grid, widths)
        cells[0].paragraphs[0].add_run(clean(q.text))
        cells[1].paragraphs[0].add_run(clean(q.respondent or "—"))
        cells[2].paragraphs[0].add_run(clean(q.reference))
        muted(cells[2].add_paragraph(), q.document_name, size=8)
        cells[3].paragraphs[0].add_run(clean(_named(q.codes, labels)))
    if not result.quotations:
        muted(doc.add_paragraph(), _("Geen citaten voor deze zoekvraag."), italic=True)
    return doc


@click.command(
    name="query",
    help=described(
        _("Zoek de citaten die een uitdrukking van codes beschrijft."),
        'kwali query -p studie.kwali "dwang AND NOT ontheffing" --where aanpak=Meedoen010',
        'kwali query -p studie.kwali "dwang SAME TURN sanctie" --role respondent --by aanpak',
        'kwali query -p studie.kwali "verplichting OR sanctie" --save druk',
        'kwali query -p studie.kwali "@druk" -o druk.xlsx',
        "kwali query -p studie.kwali --list",
        block=_(
            'UITDRUKKING combineert codes (sleutel, of "label" tussen aanhalingstekens; een\n'
            "categorie betekent elke code eronder) met EN, OF, NIET, haakjes en\n"
            "  A OVERLAPT B         A ZELFDE ZIN B        A ZELFDE BEURT B\n"
            "  A BINNEN 2 B         A GEVOLGD DOOR B      @opgeslagen_zoekvraag\n"
            "(Engels: AND, OR, NOT, OVERLAPS, SAME SENTENCE, SAME TURN, WITHIN 2,\n"
            "FOLLOWED BY). Zie docs/query.md."
        ),
    ),
)
@project_option
@click.argument("expression", metavar=_("[UITDRUKKING]"), required=False)
@click.option(
    "--where",
    multiple=True,
    metavar=_("KENMERK=WAARDE"),
    help=_("Alleen documenten met deze kenmerkwaarde (herhaalbaar: alle moeten kloppen)."),
)
@click.option(
    "--role",
    metavar=_("ROL"),
    help=_(
        "Alleen citaten die gezegd zijn door deze rol: respondent (iedereen behalve de "
        "interviewer), interviewer, of een rol van een beurt zoals coach."
    ),
)
@coder_scope_options()
@click.option(
    "--by",
    metavar=_("KENMERK"),
    help=_("Tel per waarde van dit kenmerk, niet per document."),
)
@click.option(
    "-o",
    "--output",
    "out",
    metavar=_("BESTAND"),
    type=click.Path(path_type=Path, dir_okay=False),
    help=_("Schrijf de citaten naar BESTAND.csv, BESTAND.xlsx (met de aantallen) of BESTAND.docx."),
)
@click.option("--force", is_flag=True, help=_("Overschrijf het uitvoerbestand als het bestaat."))
@click.option(
    "--save",
    "save_as",
    metavar=_("NAAM"),
    help=_("Bewaar de uitdrukking als @NAAM."),
)
@click.option(
    "--replace",
    is_flag=True,
    help=_("Met --save: overschrijf een opgeslagen zoekvraag met die naam."),
)
@click.option("--list", "list_saved", is_flag=True, help=_("Toon de opgeslagen zoekvragen."))
def query(
    project_path: Path,
    expression: str | None,
    where: tuple[str, ...],
    role: str | None,
    coders: tuple[str, ...],
    consensus: bool,
    by: str | None,
    out: Path | None,
    force: bool,
    save_as: str | None,
    replace: bool,
    list_saved: bool,
) -> None:
    """``kwali query``: the quotations an expression of codes finds."""
    from kwali.analysis import QueryError, run_query, save_query, saved_queries
    from kwali.analysis.frame import scope
    from kwali.store import Project

    who = chosen_coders(coders, consensus)
    if out is not None and out.suffix.lower() not in OUTPUTS:
        raise InputError(
            _("kan {suffix} niet schrijven: gebruik .csv, .xlsx of .docx").format(
                suffix=out.suffix or _("een bestand zonder extensie")
            ),
            path=out,
        )
    if list_saved:
        with Project.open(project_path, readonly=True) as project:
            saved = saved_queries(project)
        if not saved:
            click.echo(
                _(
                    "{path} heeft nog geen opgeslagen zoekvragen (bewaar er een met --save NAAM)."
                ).format(path=project_path)
            )
        for name, text in saved.items():
            click.echo(visible(f"@{name:<20} {text}"))
        if expression is None:
            return
    if expression is None:
        raise click.UsageError(_("Geef een UITDRUKKING (of --list)."))
    try:
        with Project.open(project_path, readonly=save_as is None) as project:
            if save_as is not None:
                save_query(project, save_as, expression, getpass.getuser(), replace=replace)
                click.echo(_("Opgeslagen als @{name}.").format(name=save_as.lstrip("@")), err=True)
            result = run_query(project, expression, scope(where_pairs(where), role, who))
            labels = project.codebook().labels()
            owners = result.units if result.units is not None else result.documents
            if by and owners and not any(by in o.attributes for o in owners):
                message = (
                    _("geen document heeft het kenmerk {key}")
                    if result.units is None
                    else _("geen document of case heeft het kenmerk {key}")
                )
                raise InputError(message.format(key=repr(by)), path=project_path)
    except QueryError as exc:
        click.echo(_("kwali: fout: {error}").format(error=exc.one_line()), err=True)
        if exc.caret():
            click.echo(exc.caret(), err=True)
        click.get_current_context().exit(1)
    if out is not None:
        _write(result, out, by, force, labels)
        click.echo(
            ngettext(
                "{n} citaat geschreven naar {path}.",
                "{n} citaten geschreven naar {path}.",
                len(result.quotations),
            ).format(n=len(result.quotations), path=out),
            err=True,
        )
        return
    _print_table(result, by, labels)


COMMANDS = [query]
