"""`kwali table`: code × document, code × attribute value and co-occurrence tables, with the
quotes behind any cell. The counting is kwali.analysis.tables (the Tables screen's too)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kwali.app.code_names import code_key
from kwali.app.document_filter import where_pairs
from kwali.cli.options import chosen_coders, coder_scope_options, described, project_option
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.i18n import _, ngettext
from kwali.store import Project
from kwali.store.attribute_types import shown_value

if TYPE_CHECKING:
    from kwali.analysis.tables import CodeTable

KINDS = ("codes-by-document", "codes-by", "cooccurrence")
OUTPUTS = (".csv", ".xlsx")


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(1, width - 1)].rstrip() + "…"


def _cell(table: CodeTable, row: str, column: str, percent: str | None, c: bool) -> str:
    if c:
        value = table.c_coefficient(row, column)
        return "" if value is None else f"{value:.2f}"
    if percent:
        share = table.percent(row, column, percent)
        return "–" if share is None else f"{share:.1f}%"
    return str(table.value(row, column))


def _heading(table: CodeTable, column: str) -> str:
    """A column as a reader names it: a co-occurrence column by its code's label, an
    attribute value as written (``ontvangende organisatie``), a document by its name."""
    if table.pairs:
        return next((r.label.rsplit(" > ", 1)[-1] for r in table.rows if r.key == column), column)
    return column if table.kind == "document" else shown_value(column)


def _print_table(table: CodeTable, percent: str | None, c: bool) -> None:
    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    label_w = min(
        32, max([4, *(len(r.label.rsplit(" > ", 1)[-1]) + 2 * r.depth for r in table.rows)])
    )
    headers = [_shorten(_heading(table, col), 20) for col in table.columns]
    totals = not table.pairs
    cols = [*headers, _("Totaal")] if totals else headers
    col_w = [max(6, len(h)) for h in cols]
    if label_w + sum(w + 2 for w in col_w) > width:
        click.echo(
            _("(de tabel is {n} kolommen breed: -o BESTAND.xlsx schrijft haar helemaal)").format(
                n=len(cols)
            )
        )
    click.echo(
        visible(" " * label_w + "".join(f"  {h:>{w}}" for h, w in zip(cols, col_w, strict=True)))
    )
    for row in table.rows:
        indent = "  " * row.depth  # (not through _shorten: it folds spaces)
        name = indent + _shorten(row.label.rsplit(" > ", 1)[-1], label_w - len(indent))
        cells = [_cell(table, row.key, col, percent, c) for col in table.columns]
        if totals:
            cells.append("100.0%" if percent == "row" else str(table.row_total(row.key)))
        line = f"{name:<{label_w}}" + "".join(
            f"  {v:>{w}}" for v, w in zip(cells, col_w, strict=True)
        )
        click.echo(visible(line.upper() if row.category else line))
    if totals:
        cells = [
            "100.0%" if percent == "column" else str(table.column_total(col))
            for col in table.columns
        ]
        cells.append(str(table.grand_total()))
        total = _("Totaal")
        click.echo(
            f"{total:<{label_w}}"
            + "".join(f"  {v:>{w}}" for v, w in zip(cells, col_w, strict=True))
        )


def _describe(table: CodeTable, where: tuple[tuple[str, str], ...]) -> str:
    who = (
        _("de bevestigde coderingen van alle codeurs (niet de consensuslaag)")
        if table.coders is None
        else _("de bevestigde coderingen van {coders}").format(coders=", ".join(table.coders))
    )
    parts = [_("{what} geteld").format(what=_count_word(table.count)), who]
    if where:
        parts.append(
            _("documenten met {pairs}").format(pairs=_(" en ").join(f"{k}={v}" for k, v in where))
        )
    return "; ".join(parts)


def _count_word(count: str) -> str:
    """What a cell counts (``--count``), as the reader says it."""
    words = {
        "codings": _("coderingen"),
        "documents": _("documenten"),
        "respondents": _("respondenten"),
    }
    return words.get(count, count)


def _write(table: CodeTable, out: Path, percent: str | None, force: bool) -> None:
    from kwali.export.files import write_csv, write_xlsx

    if out.suffix.lower() == ".csv":
        write_csv(table.frame(percent=percent, c=False), out, force=force)
        return
    sheets = {_("Aantallen"): table.frame()}  # the workbook's sheets
    if table.pairs:
        sheets[_("c-coëfficiënt")] = table.frame(c=True)
    else:
        sheets[_("Rij %")] = table.frame(percent="row")
        sheets[_("Kolom %")] = table.frame(percent="column")
    write_xlsx(sheets, out, force=force)


def _cell_row(project: Project, table: CodeTable, name: str) -> str:
    """The row ``--cell`` names: a saved query (``@name``), a code group (``group:NAME``)
    or a code by key, label or path."""
    if name.startswith(("@", "group:")) or any(r.key == name for r in table.rows):
        return name
    return code_key(project, name, option="--cell")


def _cell_column(project: Project, table: CodeTable, name: str) -> str:
    """The column ``--cell`` names: a code (co-occurrence) or a value as stored or as shown."""
    from kwali.analysis.tables import TOTAL

    if name in table.columns:
        return name
    if name.casefold() in {TOTAL.casefold(), _("Totaal").casefold()}:  # in either language
        return TOTAL
    if table.pairs:
        return code_key(project, name, option="--cell")
    shown = {shown_value(c).casefold(): c for c in table.columns}
    return shown.get(" ".join(name.split()).casefold(), name)  # else the table says it has none


def _print_quotes(table: CodeTable, quotes: list, row: str, column: str | None) -> None:
    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    ref_w = max([9, *(len(q.reference) for q in quotes)])
    for q in quotes:
        text_w = max(20, width - ref_w - 2)
        click.echo(visible(f"{q.reference:<{ref_w}}  {_shorten(q.text, text_w)}"))
    name = next((r.label.rsplit(" > ", 1)[-1] for r in table.rows if r.key == row), row)
    where = (
        f"{name} × {_heading(table, column)}"
        if column
        else _("{name} (hele rij)").format(name=name)
    )
    click.echo(
        "\n"
        + ngettext("{n} citaat in {where}", "{n} citaten in {where}", len(quotes)).format(
            n=len(quotes), where=where
        )
    )


@click.command(
    name="table",
    help=described(
        _(
            "Tel codes per document, per kenmerkwaarde of per andere code.\n\nDe rij van een "
            "categorie telt elke code eronder één keer: een subtotaal, geen som."
        ),
        "kwali table -p studie.kwali codes-by aanpak --percent column",
        "kwali table -p studie.kwali codes-by aanpak geslacht --count documents",
        "kwali table -p studie.kwali codes-by aanpak --cell dwang,Meedoen010",
        "kwali table -p studie.kwali codes-by aanpak --query druk --cell @druk,Meedoen010",
        "kwali table -p studie.kwali codes-by rol --group kern --cell group:kern,coach",
        "kwali table -p studie.kwali cooccurrence --c -o samen.xlsx",
        block=_(
            "SOORT is een van:\n"
            "  codes-by-document      een rij per code, een kolom per document\n"
            "  codes-by KENMERK [KENMERK2]\n"
            "                         een kolom per waarde van KENMERK (of per paar waarden)\n"
            "  cooccurrence           codes × codes op overlappende tekst, met --c de\n"
            "                         c-coëfficiënt n12 / (n1 + n2 - n12) zoals Atlas.ti"
        ),
        after=_("Het project wordt alleen-lezen geopend."),
    ),
)
@project_option
@click.argument("kind", metavar=_("SOORT"), type=click.Choice(KINDS))
@click.argument("attributes", nargs=-1, metavar=_("[KENMERK [KENMERK2]]"))
@click.option(
    "--count",
    type=click.Choice(("codings", "documents", "respondents")),
    default="codings",
    show_default=True,
    help=_(
        "Wat een cel telt: verschillende gecodeerde citaten (codings), de documenten waarin "
        "ze staan (documents), of respondenten (respondents; voorlopig: documenten)."
    ),
)
@click.option(
    "--percent",
    type=click.Choice(("row", "column")),
    help=_("Toon elke cel als percentage van het totaal van haar rij (row) of kolom (column)."),
)
@click.option(
    "--c",
    "c_coefficient",
    is_flag=True,
    help=_("cooccurrence: toon de c-coëfficiënt per cel."),
)
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar=_("CODE"),
    help=_(
        "Alleen deze codes als rijen, met sleutel, label of pad (een categorie met haar codes, "
        "@GROEP die van een codegroep); herhaalbaar."
    ),
)
@click.option(
    "--query",
    "queries",
    multiple=True,
    metavar=_("NAAM"),
    help=_("Een rij erbij voor deze opgeslagen zoekvraag (zie kwali query --list); herhaalbaar."),
)
@click.option(
    "--group",
    "code_groups",
    multiple=True,
    metavar=_("NAAM"),
    help=_(
        "Een rij erbij voor deze codegroep (rijsleutel group:NAAM): de citaten van haar codes, "
        "elk één keer; herhaalbaar."
    ),
)
@click.option(
    "--where",
    multiple=True,
    metavar=_("KENMERK=WAARDE"),
    help=_("Alleen documenten met deze kenmerkwaarde (herhaalbaar: alle moeten kloppen)."),
)
@coder_scope_options()
@click.option(
    "--cell",
    metavar=_("CODE[,KOLOM]"),
    help=_(
        "Toon de citaten achter één cel (CODE: sleutel, label of pad; zonder KOLOM: de hele "
        "rij) in plaats van de tabel."
    ),
)
@click.option(
    "-o",
    "--output",
    "out",
    metavar=_("BESTAND"),
    type=click.Path(path_type=Path, dir_okay=False),
    help=_("Schrijf de tabel naar BESTAND.csv of BESTAND.xlsx (aantallen en percentages, of c)."),
)
@click.option("--force", is_flag=True, help=_("Overschrijf het uitvoerbestand als het bestaat."))
def table(
    project_path: Path,
    kind: str,
    attributes: tuple[str, ...],
    count: str,
    percent: str | None,
    c_coefficient: bool,
    codes: tuple[str, ...],
    queries: tuple[str, ...],
    code_groups: tuple[str, ...],
    where: tuple[str, ...],
    coders: tuple[str, ...],
    consensus: bool,
    cell: str | None,
    out: Path | None,
    force: bool,
) -> None:
    """``kwali table``: a code table, or the quotes behind one cell."""
    from kwali.analysis.table_quotes import cell_quotes
    from kwali.analysis.tables import code_table, cooccurrence_table
    from kwali.app.code_names import code_keys

    who = chosen_coders(coders, consensus)
    if kind == "codes-by" and not 1 <= len(attributes) <= 2:
        raise click.UsageError(
            _("codes-by vraagt een of twee kenmerken: codes-by aanpak [geslacht]")
        )
    if kind != "codes-by" and attributes:
        raise click.UsageError(
            _("{kind} neemt geen kenmerken (bedoelt u codes-by?)").format(kind=kind)
        )
    if c_coefficient and kind != "cooccurrence":
        raise click.UsageError(_("--c hoort bij de tabel cooccurrence."))
    if percent and kind == "cooccurrence":
        raise click.UsageError(_("--percent hoort bij codes-by-document en codes-by."))
    if out is not None and out.suffix.lower() not in OUTPUTS:
        raise InputError(
            _("kan {suffix} niet schrijven: gebruik .csv of .xlsx").format(
                suffix=out.suffix or _("een bestand zonder extensie")
            ),
            path=out,
        )
    pairs = where_pairs(where)
    with Project.open(project_path, readonly=True) as project:
        chosen = code_keys(project, codes, option="--code") if codes else None
        if kind == "cooccurrence":
            if queries or code_groups:
                raise click.UsageError(
                    _("rijen met --query en --group horen bij codes-by-document en codes-by.")
                )
            made = cooccurrence_table(project, count=count, codes=chosen, coders=who, where=pairs)
        else:
            by = "document" if kind == "codes-by-document" else attributes
            made = code_table(
                project,
                by,
                count=count,
                codes=chosen,
                coders=who,
                where=pairs,
                queries=queries,
                code_groups=code_groups,
            )
        if cell is not None:
            row, _comma, column = (part.strip() for part in cell.partition(","))
            row = _cell_row(project, made, row)
            column = _cell_column(project, made, column) if column else ""
            quotes = cell_quotes(project, made, row, column or None)
            _print_quotes(made, quotes, row, column or None)
            return
    if out is not None:
        _write(made, out, percent, force)
        click.echo(
            _("{rows} × {columns} geschreven naar {path}.").format(
                rows=ngettext("{n} rij", "{n} rijen", len(made.rows)).format(n=len(made.rows)),
                columns=ngettext("{n} kolom", "{n} kolommen", len(made.columns)).format(
                    n=len(made.columns)
                ),
                path=out,
            ),
            err=True,
        )
        return
    _print_table(made, percent, c_coefficient)
    click.echo(f"\n({_describe(made, pairs)})")


COMMANDS = [table]
