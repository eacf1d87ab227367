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

from kwali.cli.options import chosen_coders, coder_scope_options, project_option
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.store.attribute_types import shown_value

if TYPE_CHECKING:
    from kwali.analysis import QueryResult

OUTPUTS = (".csv", ".xlsx", ".docx")


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
        f"{len(quotations)} quotation{'s' if len(quotations) != 1 else ''} in {len(found)} of "
        f"{len(per_document)} documents ({result.scope.describe()})"
    )
    if by:
        units = "documents" if result.units is None else "respondents"
        click.echo(f"\n{by:<24} {'quotations':>10} {units:>10}")
        for value, n, with_one, total in result.per_group(by):
            label = shown_value(value) if value else "(no value)"
            click.echo(visible(f"{_shorten(label, 24):<24} {n:>10} {with_one:>6} of {total}"))
        if result.units is not None:
            click.echo(f"(respondents counted as: {result.counted})")
    elif found:
        click.echo()
        name_w = min(40, max(len(d.name) for d, _ in found))
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
        sheets = {"Citaten": quotes, "Per document": counts(result)}
        if by:
            sheets[f"Per {by}"] = counts(result, by)
        write_xlsx(sheets, out, force=force, wrap=("text",))
    else:
        write_docx(_docx(result, labels), out, force=force)


def _docx(result: QueryResult, labels: Mapping[str, str]):  # noqa: ANN202 - python-docx, lazily
    from kwali.export.word import add_row, clean, muted, new_document, styled_table

    doc = new_document(f"Zoekvraag: {result.expression}", result.scope.describe(dutch=True))
    widths = [9.0, 3.0, 2.6, 2.0]
    grid = styled_table(doc, ["Citaat", "Respondent", "Bron", "Codes"], widths)
    for q in result.quotations:
        cells = add_row(grid, widths)
        cells[0].paragraphs[0].add_run(clean(q.text))
        cells[1].paragraphs[0].add_run(clean(q.respondent or "—"))
        cells[2].paragraphs[0].add_run(clean(q.reference))
        muted(cells[2].add_paragraph(), q.document_name, size=8)
        cells[3].paragraphs[0].add_run(clean(_named(q.codes, labels)))
    if not result.quotations:
        muted(doc.add_paragraph(), "Geen citaten voor deze zoekvraag.", italic=True)
    return doc


@click.command(name="query")
@project_option
@click.argument("expression", required=False)
@click.option(
    "--where",
    multiple=True,
    metavar="KEY=VALUE",
    help="Only documents with this attribute value (repeat: all must hold).",
)
@click.option(
    "--role",
    metavar="ROLE",
    help="Only quotations spoken by this role: respondent (anyone but the interviewer), "
    "interviewer, or a turn role such as coach.",
)
@coder_scope_options()
@click.option("--by", metavar="KEY", help="Count per value of this attribute, not per document.")
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the quotations to FILE.csv, FILE.xlsx (with the counts) or FILE.docx.",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option("--save", "save_as", metavar="NAME", help="Keep the expression as @NAME.")
@click.option("--replace", is_flag=True, help="With --save: overwrite a saved query of that name.")
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries.")
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
    """Find the quotations an expression of codes describes.

    \b
    EXPRESSION combines codes (key, or "label" in quotes; a category means
    every code under it) with AND, OR, NOT, parentheses and
      A OVERLAPS B        A SAME SENTENCE B     A SAME TURN B
      A WITHIN 2 B        A FOLLOWED BY B       @saved_query
    (Dutch: EN, OF, NIET, OVERLAPT, ZELFDE ZIN, ZELFDE BEURT, BINNEN 2,
    GEVOLGD DOOR). See docs/query.md.

    \b
    Examples:
      kwali query -p studie.kwali "dwang AND NOT ontheffing" --where aanpak=Meedoen010
      kwali query -p studie.kwali "dwang SAME TURN sanctie" --role respondent --by aanpak
      kwali query -p studie.kwali "verplichting OR sanctie" --save druk
      kwali query -p studie.kwali "@druk" -o druk.xlsx
      kwali query -p studie.kwali --list
    """
    from kwali.analysis import QueryError, run_query, save_query, saved_queries
    from kwali.analysis.frame import scope
    from kwali.store import Project

    who = chosen_coders(coders, consensus)
    if out is not None and out.suffix.lower() not in OUTPUTS:
        raise InputError(
            f"cannot write {out.suffix or 'a file without extension'}: use .csv, .xlsx or .docx",
            path=out,
        )
    if list_saved:
        with Project.open(project_path, readonly=True) as project:
            saved = saved_queries(project)
        if not saved:
            click.echo(f"{project_path} has no saved queries yet (save one with --save NAME).")
        for name, text in saved.items():
            click.echo(visible(f"@{name:<20} {text}"))
        if expression is None:
            return
    if expression is None:
        raise click.UsageError("Give an EXPRESSION (or --list).")
    try:
        with Project.open(project_path, readonly=save_as is None) as project:
            if save_as is not None:
                save_query(project, save_as, expression, getpass.getuser(), replace=replace)
                click.echo(f"Saved as @{save_as.lstrip('@')}.", err=True)
            result = run_query(project, expression, scope(_pairs(where), role, who))
            labels = project.codebook().labels()
            owners = result.units if result.units is not None else result.documents
            if by and owners and not any(by in o.attributes for o in owners):
                owner = "document" if result.units is None else "document or case"
                raise InputError(f"no {owner} has the attribute {by!r}", path=project_path)
    except QueryError as exc:
        click.echo(f"kwali: error: {exc.one_line()}", err=True)
        if exc.caret():
            click.echo(exc.caret(), err=True)
        click.get_current_context().exit(1)
    if out is not None:
        _write(result, out, by, force, labels)
        click.echo(f"Wrote {len(result.quotations)} quotations to {out}.", err=True)
        return
    _print_table(result, by, labels)


COMMANDS = [query]
