"""Export commands: `kwali export WHAT` and the anonymisation list (`kwali anonymize`)."""

from __future__ import annotations

import warnings
from pathlib import Path

import click

from kwali.cli.options import coder_option, project_option

# Kept here so `kwali --help` needn't import pandas; tests/test_cli_export.py checks it matches.
_WHATS = (
    "quotes",
    "report",
    "codebook",
    "memos",
    "respondents",
    "frequencies",
    "matrix",
    "cooccurrence",
    "qdpx",
)


def _split(values: tuple[str, ...]) -> list[str]:
    """Accept both `--code a --code b` and `--code a,b`."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@click.command()
@click.argument("what", type=click.Choice(_WHATS))
@project_option
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="The file to write; its extension picks the format.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["docx", "csv", "xlsx"]),
    help="Overrides the format the extension suggests.",
)
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="KEY",
    help="Only these codes (a category includes its codes); repeat or comma-separate.",
)
@click.option(
    "--coder", "coders", multiple=True, metavar="NAME", help="Only these coders' codings."
)
@click.option("--consensus", is_flag=True, help="Only the agreed codings (coder 'consensus').")
@click.option(
    "--attribute",
    "attributes",
    multiple=True,
    metavar="KEY",
    help="Document attributes to show (quotes); default: all in tables, none in Word.",
)
@click.option(
    "--attribution",
    default="rol,geslacht",
    show_default=True,
    help="Attributes that attribute a quote; e.g. 'rol' alone masks gender.",
)
@click.option(
    "--context",
    default=0,
    show_default=True,
    type=click.IntRange(0, 10),
    help="Sentences of context before and after each quote.",
)
@click.option(
    "--sort",
    type=click.Choice(["code", "document", "respondent", "coder"]),
    default="code",
    show_default=True,
    help="Order of the quotes.",
)
@click.option("--anonymize", is_flag=True, help="Replace the names listed with `kwali anonymize`.")
@click.option(
    "--by",
    default="document",
    show_default=True,
    metavar="document|ATTRIBUTE",
    help="Columns of frequencies/matrix: documents, or the values of an attribute.",
)
@click.option(
    "--count",
    type=click.Choice(["segments", "respondents"]),
    default="segments",
    show_default=True,
    help="What a matrix cell counts (xlsx holds both).",
)
@click.option(
    "--unit",
    type=click.Choice(["overlap", "turn"]),
    default="overlap",
    show_default=True,
    help="Co-occurrence: overlapping text, or the same speaker turn.",
)
@click.option("--one-table", is_flag=True, help="Quotes: one table with a code column.")
@click.option("--skip-empty", is_flag=True, help="Quotes: leave out codes without quotes.")
@click.option(
    "--group-by", metavar="ATTRIBUTE", help="Report: count per this attribute (default rol)."
)
@click.option("--title", default="", help="Title of a Word document.")
@click.option("--sep", default=",", show_default=True, help="CSV separator (';' for Dutch Excel).")
def export(
    what: str,
    project_path: Path,
    out: Path,
    fmt: str | None,
    force: bool,
    codes: tuple[str, ...],
    coders: tuple[str, ...],
    consensus: bool,
    attributes: tuple[str, ...],
    attribution: str,
    context: int,
    sort: str,
    anonymize: bool,
    by: str,
    count: str,
    unit: str,
    one_table: bool,
    skip_empty: bool,
    group_by: str | None,
    title: str,
    sep: str,
) -> None:
    """Export quotes, a report, the codebook or counts to Word, Excel or CSV.

    \b
    WHAT is one of:
      quotes        one row per coding (docx: a table per code)
      report        chapters per category and code, with quotes and counts (docx)
      codebook      the codebook as an appendix (docx) or a table
      memos         every memo, and every coding's memo, with what it is about
      respondents   one row per interview: attributes, words, turns, duration, codings
      frequencies   codings per code and document/attribute group (long table)
      matrix        code x document or code x group (segments and respondents)
      cooccurrence  code x code on the same or overlapping text
      qdpx          REFI-QDA project exchange
    \b
    Examples:
      kwali export quotes -p studie.kwali -o citaten.docx --consensus --anonymize
      kwali export matrix -p studie.kwali -o matrix.xlsx --by aanpak
    The project is opened read-only: exporting never changes it.
    """
    from kwali.export import ExportOptions
    from kwali.export import export as run
    from kwali.store import Project

    if consensus:
        coders = (*coders, "consensus")
    options = ExportOptions(
        codes=_split(codes),
        coders=_split(coders),
        attributes=_split(attributes) or None,
        attribution=_split((attribution,)),
        context=context,
        sort=sort,
        anonymize=anonymize,
        by=by,
        count=count,
        unit=unit,
        one_table=one_table,
        skip_empty=skip_empty,
        group_by=group_by,
        title=title,
        sep=sep,
    )
    with Project.open(project_path, readonly=True) as project:
        if coders and not set(options.coders) & set(project.coders()):
            click.echo(f"kwali: warning: no codings by {', '.join(options.coders)}", err=True)
        if what == "qdpx":  # say what went in, and what REFI-QDA could not hold
            from kwali.export.qdpx import export_qdpx

            result = export_qdpx(project, out, force=force)
            for warning in result.warnings:
                click.echo(f"kwali: warning: {warning}", err=True)
            click.echo(
                f"Wrote {result.path}: {result.documents} documents, {result.codes} codes, "
                f"{result.codings} codings, {result.users} coders, {result.memos} memos"
            )
            return
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            path = run(project, what, out, fmt=fmt, force=force, options=options)
    for warning in caught:
        click.echo(f"kwali: warning: {warning.message}", err=True)
    click.echo(f"Wrote {path}")


@click.group()
def anonymize() -> None:
    """The names replaced in every export made with --anonymize.

    \b
    Example:
      kwali anonymize -p studie.kwali add "Sanne de Vries" "[naam klantmanager]"
      kwali export quotes -p studie.kwali -o citaten.docx --anonymize
    The transcripts in the project are never changed.
    """


@anonymize.command("add")
@project_option
@coder_option
@click.argument("name")
@click.argument("replacement")
def anonymize_add(project_path: Path, coder: str, name: str, replacement: str) -> None:
    """Replace NAME (whole word, any case) by REPLACEMENT."""
    from kwali.store import Project

    with Project.open(project_path) as project:
        project.set_replacement(name, replacement, coder)  # type: ignore[attr-defined]
    click.echo(f"{name} → {replacement}")


@anonymize.command("remove")
@project_option
@coder_option
@click.argument("name")
def anonymize_remove(project_path: Path, coder: str, name: str) -> None:
    """Stop replacing NAME."""
    from kwali.errors import ProjectError
    from kwali.store import Project

    with Project.open(project_path) as project:
        if not project.remove_replacement(name, coder):  # type: ignore[attr-defined]
            raise ProjectError(f"has no replacement for {name!r}", path=project_path)
    click.echo(f"Removed {name}")


@anonymize.command("list")
@project_option
def anonymize_list(project_path: Path) -> None:
    """Show the names and their replacements."""
    from kwali.store import Project

    with Project.open(project_path, readonly=True) as project:
        pairs = project.replacements()  # type: ignore[attr-defined]
    if not pairs:
        click.echo("No names to replace yet.", err=True)
    for name, replacement in pairs.items():
        click.echo(f"{name}\t{replacement}")


@anonymize.command("propose")
@project_option
@click.option("--add", "add_all", is_flag=True, help="Add every proposal with its placeholder.")
@coder_option
def anonymize_propose(project_path: Path, add_all: bool, coder: str) -> None:
    """Let the Dutch de-identifier `deduce` find names, places, dates and phone numbers.

    Needs the optional extra: pip install 'kwali[deidentify]'. Review the list before --add.
    """
    from kwali.export.anonymize import propose
    from kwali.store import Project

    with Project.open(project_path, readonly=not add_all) as project:
        texts = [project.require_document(i).text for i in project.document_ids()]
        found = propose(
            texts,
            known=project.replacements(),  # type: ignore[attr-defined]
            progress=lambda message: click.echo(message, err=True),
        )
        for proposal in found:
            click.echo(
                f"{proposal.count:4d}  {proposal.kind:<15} {proposal.text}\t→ {proposal.suggestion}"
            )
            if add_all:
                project.set_replacement(proposal.text, proposal.suggestion, coder)  # type: ignore[attr-defined]
    if not found:
        click.echo("deduce found nothing new to replace.", err=True)
    elif not add_all:
        click.echo(
            f"{len(found)} proposals; add the ones you want with `kwali anonymize add`.", err=True
        )


COMMANDS = [export, anonymize]
