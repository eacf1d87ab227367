"""`kwali survey table`: a survey question's codes per group, counted in answers, with column
percentages; printed, or written as .docx, .xlsx, .csv, .png or .svg. The counting is
kwali.analysis.survey_tables; the files are kwali.export.survey_tables'."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kwali.cli.options import chosen_coders, coder_scope_options, project_option
from kwali.cli.project import visible
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
        click.echo(f"(the table is {len(columns)} columns wide: -o FILE.xlsx writes all of it)")
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
            click.echo("Geen antwoord (niet in n):")
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


@click.command(name="table")
@project_option
@click.option("--question", "-q", required=True, metavar="NAME", help="The question (Q7).")
@click.option("--survey", metavar="NAME", help="The survey, when the project holds several.")
@click.option(
    "--by",
    "by",
    multiple=True,
    metavar="ATTR",
    help="A column per value of this respondent attribute; twice: the two crossed.",
)
@click.option(
    "--code",
    "--codes",
    "codes",
    multiple=True,
    metavar="CODE",
    help="Only these codes as rows, zeros too, by key, label or path (a category with its "
    "codes, @GROUP a code group's); repeatable. Default: every code some answer has.",
)
@coder_scope_options()
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the table to FILE.docx, .xlsx or .csv, or the bar chart to FILE.png or .svg.",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
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
    """The codes of a survey question's answers per group: answers and column percentages.

    A cell counts answers (respondents), not codings: an answer counts for a code when a
    confirmed coding of it, or of a code below it, touches the answer, however many coders
    coded it. Percentages are of the answered answers of the column (n); an answer with two
    codes counts in both rows. "Geen code" counts the answered answers nobody coded; leeg and
    weet niet are counted apart, outside n.

    \b
    Examples:
      kwali survey table -p studie.kwali --question Q7 --by aanpak
      kwali survey table -p studie.kwali -q Q7 --by aanpak --by geslacht -o q7.docx
      kwali survey table -p studie.kwali -q Q7 --by aanpak --consensus -o q7.png
    The project is opened read-only.
    """
    from kwali.analysis.survey_tables import survey_table
    from kwali.app.code_names import code_keys
    from kwali.errors import ExportError
    from kwali.export.survey_tables import FORMATS, write_survey_table
    from kwali.store import Project

    who = chosen_coders(coders, consensus)
    if len(by) > 2:
        raise click.UsageError("--by takes one or two attributes: --by aanpak [--by geslacht]")
    if out is not None and out.suffix.lower().lstrip(".") not in FORMATS:
        raise ExportError(
            f"cannot write {out.suffix or 'a file without extension'} "
            f"(-o: use {', '.join('.' + f for f in FORMATS)})",
            path=out,
        )
    with Project.open(project_path, readonly=True) as project:
        chosen = code_keys(project, codes, option="--code") if codes else None
        made = survey_table(project, question, survey=survey, by=by, codes=chosen, coders=who)
    if out is not None:
        write_survey_table(made, out, force=force)
        click.echo(
            f"Wrote {made.question}: {len(made.rows)} codes × {len(made.all_columns)} columns "
            f"to {out}.",
            err=True,
        )
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
        return [click.Group("survey", commands=[table], help="Survey questions and their tables.")]
    survey.add_command(table)
    return []


COMMANDS = _attach()
