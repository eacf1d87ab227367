"""Export commands: `kwali export WHAT` and the anonymisation list (`kwali anonymize`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kwali.cli.options import coder_option, project_option
from kwali.cli.project import visible  # what a project holds can't drive the terminal
from kwali.export.registry import EXPORTERS  # no pandas: `kwali --help` stays fast

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
    whats = "\n".join(f"      {e.name:<13} {e.summary}" for e in EXPORTERS.values())
    return f"""Export quotes, a report, the codebook or counts to Word, Excel or CSV.

    \b
    WHAT is one of:
{whats}
    \b
    Examples:
      kwali export quotes -p studie.kwali -o citaten.docx --consensus --anonymize
      kwali export matrix -p studie.kwali -o matrix.xlsx --by aanpak
      kwali export transcript -p studie.kwali 3 -o interview3.docx --coder anna --per-coder
    The project is opened read-only: exporting never changes it.
    """


@click.command(help=_export_help())
@click.argument("what", type=click.Choice(tuple(EXPORTERS)))
@click.argument("documents", nargs=-1, metavar="[DOCUMENT]...")
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
    type=click.Choice(FORMATS),
    help="Overrides the format the extension suggests.",
)
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@_several(
    "--code",
    "codes",
    "CODE",
    "Only these codes, by key, label or path (a category includes its codes, @GROUP a code "
    "group's); repeat or comma-separate.",
)
@_several(
    "--query",
    "queries",
    "NAME",
    "Quotes: also the quotations of this saved query (kwali query --save), as rows named @NAME; "
    "without --code only those.",
)
@_several("--coder", "coders", "NAME", "Only these coders' codings.")
@click.option("--consensus", is_flag=True, help="Only the agreed codings (coder 'consensus').")
@_several(
    "--attribute",
    "attributes",
    "KEY",
    "Document attributes to show (quotes); default: all in tables, none in Word.",
)
@_shown(
    "--attribution",
    default="rol,geslacht",
    help="Attributes that attribute a quote; e.g. 'rol' alone masks gender.",
)
@_shown(
    "--context",
    default=0,
    type=click.IntRange(0, 10),
    help="Sentences of context before and after each quote.",
)
@_shown(
    "--sort",
    type=click.Choice(["code", "document", "respondent", "coder"]),
    default="code",
    help="Order of the quotes.",
)
@click.option("--anonymize", is_flag=True, help="Replace the names listed with `kwali anonymize`.")
@_shown(
    "--by",
    default="document",
    metavar="document|ATTRIBUTE",
    help="Columns of frequencies/matrix: documents, or the values of an attribute.",
)
@_shown(
    "--count",
    type=click.Choice(["segments", "respondents"]),
    default="segments",
    help="What a matrix cell counts (xlsx holds both).",
)
@_shown(
    "--unit",
    type=click.Choice(["overlap", "turn"]),
    default="overlap",
    help="Co-occurrence: overlapping text, or the same speaker turn.",
)
@_shown(
    "--kind",
    type=click.Choice(["bars", "heatmap"]),
    default="bars",
    help="Chart: counts per code and group (--by), or the co-occurrence heat map.",
)
@click.option("--c", "c", is_flag=True, help="Chart heatmap: the c-coefficient per cell.")
@click.option(
    "--keys",
    is_flag=True,
    help="Code keys beside the labels, attribute values as stored (ontvangende_organisatie).",
)
@click.option(
    "--per-coder",
    is_flag=True,
    help="Quotes: a row per coder's coding (default: a quote once, its coders joined); "
    "transcript: a margin per coder.",
)
@click.option("--each", is_flag=True, help="Transcript: one file per document; -o names a folder.")
@click.option(
    "--coder-column",
    is_flag=True,
    help="Quotes, memos (Word): the coder column even when one coder is in the export.",
)
@click.option("--one-table", is_flag=True, help="Quotes: one table with a code column.")
@click.option("--skip-empty", is_flag=True, help="Quotes: leave out codes without quotes.")
@click.option(
    "--group-by", metavar="ATTRIBUTE", help="Report: count per this attribute (default rol)."
)
@click.option(
    "--charts",
    is_flag=True,
    help="Report: the overview's bar chart and heat map, and each chapter's bars per group.",
)
@click.option(
    "--all-codes",
    is_flag=True,
    help="Report: count tables with every code and group, zeros included.",
)
@_shown(
    "--cite",
    type=click.Choice(["sentence", "line"]),
    default="sentence",
    help="Report: cite a quote by its sentence (3:12.2) or its line (interview 3, r. 45).",
)
@click.option("--title", default="", help="Title of a Word document.")
@_shown(
    "--line-endings",
    type=click.Choice(["lf", "crlf"]),
    default="lf",
    help="qdpx: line breaks of the texts; crlf for MAXQDA (the offsets follow).",
)
@click.option(
    "--unique-names",
    is_flag=True,
    help="qdpx: a name several codes share becomes 'Label (Parent)' (ATLAS.ti, QualCoder).",
)
@_shown("--sep", default=",", help="CSV separator (';' for Dutch Excel).")
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
        raise click.UsageError(f"--query is for the quotes export, not {what}")
    documents = tuple(_split(flags["documents"]))
    if documents and "documents" not in exporter.option_names():
        raise click.UsageError(f"DOCUMENT is for the transcript export, not {what}")
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
            click.echo(f"kwali: warning: no codings by {', '.join(coders)}", err=True)
        result = exporter.write(project, out, fmt=fmt, force=force, options=options)
    for warning in result.warnings:
        click.echo(f"kwali: warning: {visible(warning)}", err=True)  # attribute values
    # "1 document", "2 documents": every count's name is a plain English plural in -s
    counts = ", ".join(f"{n} {name[:-1] if n == 1 else name}" for name, n in result.counts.items())
    click.echo(f"Wrote {result.path}: {counts}" if counts else f"Wrote {result.path}")


@click.group()
def anonymize() -> None:
    """The names replaced in every export made with --anonymize.

    \b
    Example:
      kwali anonymize add -p studie.kwali "Sanne de Vries" "[naam klantmanager]"
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
        project.set_replacement(name, replacement, coder)
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
        if not project.remove_replacement(name, coder):
            raise ProjectError(f"has no replacement for {name!r}", path=project_path)
    click.echo(f"Removed {name}")


@anonymize.command("list")
@project_option
def anonymize_list(project_path: Path) -> None:
    """Show the names and their replacements."""
    from kwali.store import Project

    with Project.open(project_path, readonly=True) as project:
        pairs = project.replacements()
    if not pairs:
        click.echo("No names to replace yet.", err=True)
    for name, replacement in pairs.items():
        click.echo(visible(f"{name}\t{replacement}"))


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
        click.echo("deduce found nothing new to replace.", err=True)
    elif not add_all:
        click.echo(
            f"{len(found)} proposals; add the ones you want with `kwali anonymize add`.", err=True
        )


COMMANDS = [export, anonymize]
