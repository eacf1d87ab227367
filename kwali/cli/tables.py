"""`kwali table`: code × document, code × attribute value and co-occurrence tables, with the
quotes behind any cell. The counting is kwali.analysis.tables (the Tables screen's too)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kwali.app.code_names import code_key
from kwali.cli.options import chosen_coders, coder_scope_options, project_option
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.store import Project
from kwali.store.attribute_types import shown_value

if TYPE_CHECKING:
    from kwali.analysis.tables import CodeTable

KINDS = ("codes-by-document", "codes-by", "cooccurrence")
OUTPUTS = (".csv", ".xlsx")


def _pairs(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--where {value!r} is not key=value")
        pairs.append((key.strip(), val.strip()))
    return tuple(pairs)


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
    cols = [*headers, "Totaal"] if totals else headers
    col_w = [max(6, len(h)) for h in cols]
    if label_w + sum(w + 2 for w in col_w) > width:
        click.echo(f"(the table is {len(cols)} columns wide: -o FILE.xlsx writes all of it)")
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
        click.echo(
            f"{'Totaal':<{label_w}}"
            + "".join(f"  {v:>{w}}" for v, w in zip(cells, col_w, strict=True))
        )


def _describe(table: CodeTable, where: tuple[tuple[str, str], ...]) -> str:
    who = (
        "all coders' confirmed codings (not the consensus layer)"
        if table.coders is None
        else f"the confirmed codings of {', '.join(table.coders)}"
    )
    parts = [f"{table.count} counted", who]
    if where:
        parts.append("documents with " + " and ".join(f"{k}={v}" for k, v in where))
    return "; ".join(parts)


def _write(table: CodeTable, out: Path, percent: str | None, force: bool) -> None:
    from kwali.export.files import write_csv, write_xlsx

    if out.suffix.lower() == ".csv":
        write_csv(table.frame(percent=percent, c=False), out, force=force)
        return
    sheets = {"Aantallen": table.frame()}
    if table.pairs:
        sheets["c-coëfficiënt"] = table.frame(c=True)
    else:
        sheets["Rij %"] = table.frame(percent="row")
        sheets["Kolom %"] = table.frame(percent="column")
    write_xlsx(sheets, out, force=force)


def _cell_row(project: Project, table: CodeTable, name: str) -> str:
    """The row ``--cell`` names: a saved query (``@name``), a code group (``group:NAME``)
    or a code by key, label or path."""
    if name.startswith(("@", "group:")) or any(r.key == name for r in table.rows):
        return name
    return code_key(project, name, option="--cell")


def _cell_column(project: Project, table: CodeTable, name: str) -> str:
    """The column ``--cell`` names: a code (co-occurrence) or a value as stored or as shown."""
    if name == "Totaal" or name in table.columns:
        return name
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
    where = f"{name} × {_heading(table, column)}" if column else f"{name} (whole row)"
    click.echo(f"\n{len(quotes)} quote{'s' if len(quotes) != 1 else ''} in {where}")


@click.command(name="table")
@project_option
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("attributes", nargs=-1, metavar="[ATTR [ATTR2]]")
@click.option(
    "--count",
    type=click.Choice(("codings", "documents", "respondents")),
    default="codings",
    show_default=True,
    help="What a cell counts: distinct coded quotations, the documents they are in, or "
    "respondents (for now: documents).",
)
@click.option(
    "--percent",
    type=click.Choice(("row", "column")),
    help="Show each cell as a percentage of its row's or column's total.",
)
@click.option(
    "--c", "c_coefficient", is_flag=True, help="cooccurrence: show the c-coefficient per cell."
)
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="CODE",
    help="Only these codes as rows, by key, label or path (a category with its codes, @GROUP "
    "a code group's); repeatable.",
)
@click.option(
    "--query",
    "queries",
    multiple=True,
    metavar="NAME",
    help="Add a row for this saved query (see kwali query --list); repeatable.",
)
@click.option(
    "--group",
    "code_groups",
    multiple=True,
    metavar="NAME",
    help="Add a row for this code group (row key group:NAME): its codes' quotes, each once; "
    "repeatable.",
)
@click.option(
    "--where",
    multiple=True,
    metavar="KEY=VALUE",
    help="Only documents with this attribute value (repeat: all must hold).",
)
@coder_scope_options()
@click.option(
    "--cell",
    metavar="CODE[,COLUMN]",
    help="List the quotes behind one cell (CODE: key, label or path; no COLUMN: the whole "
    "row) instead of the table.",
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the table to FILE.csv or FILE.xlsx (counts and percentages, or c).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
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
    """Count codes per document, per attribute value or per other code.

    \b
    KIND is one of:
      codes-by-document      a row per code, a column per document
      codes-by ATTR [ATTR2]  a column per value of ATTR (or per pair of values)
      cooccurrence           codes × codes on overlapping text, with --c the
                             c-coefficient n12 / (n1 + n2 - n12) as Atlas.ti gives it
    A category's row counts every code below it once: a subtotal, not a sum.

    \b
    Examples:
      kwali table -p studie.kwali codes-by aanpak --percent column
      kwali table -p studie.kwali codes-by aanpak geslacht --count documents
      kwali table -p studie.kwali codes-by aanpak --cell dwang,Meedoen010
      kwali table -p studie.kwali codes-by aanpak --query druk --cell @druk,Meedoen010
      kwali table -p studie.kwali codes-by rol --group kern --cell group:kern,coach
      kwali table -p studie.kwali cooccurrence --c -o samen.xlsx
    The project is opened read-only.
    """
    from kwali.analysis.table_quotes import cell_quotes
    from kwali.analysis.tables import code_table, cooccurrence_table
    from kwali.app.code_names import code_keys

    who = chosen_coders(coders, consensus)
    if kind == "codes-by" and not 1 <= len(attributes) <= 2:
        raise click.UsageError("codes-by needs one or two attributes: codes-by aanpak [geslacht]")
    if kind != "codes-by" and attributes:
        raise click.UsageError(f"{kind} takes no attributes (did you mean codes-by?)")
    if c_coefficient and kind != "cooccurrence":
        raise click.UsageError("--c belongs to the cooccurrence table.")
    if percent and kind == "cooccurrence":
        raise click.UsageError("--percent belongs to codes-by-document and codes-by.")
    if out is not None and out.suffix.lower() not in OUTPUTS:
        raise InputError(
            f"cannot write {out.suffix or 'a file without extension'}: use .csv or .xlsx",
            path=out,
        )
    pairs = _pairs(where)
    with Project.open(project_path, readonly=True) as project:
        chosen = code_keys(project, codes, option="--code") if codes else None
        if kind == "cooccurrence":
            if queries or code_groups:
                raise click.UsageError(
                    "--query and --group rows belong to codes-by-document and codes-by."
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
            row, _, column = (part.strip() for part in cell.partition(","))
            row = _cell_row(project, made, row)
            column = _cell_column(project, made, column) if column else ""
            quotes = cell_quotes(project, made, row, column or None)
            _print_quotes(made, quotes, row, column or None)
            return
    if out is not None:
        _write(made, out, percent, force)
        click.echo(f"Wrote {len(made.rows)} rows × {len(made.columns)} columns to {out}.", err=True)
        return
    _print_table(made, percent, c_coefficient)
    click.echo(f"\n({_describe(made, pairs)})")


COMMANDS = [table]
