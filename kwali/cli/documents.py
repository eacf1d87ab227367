"""Document commands: list, rename and remove documents; set, unset and import attributes.

Every change is one undoable action of ``--coder`` (``u`` in kwali tui undoes it).
"""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import coder_option_with, file_option, project_option
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.store import Project
from kwali.store.attribute_types import TYPES
from kwali.store.attribute_types import sort_key as sort_order

coder_option = coder_option_with("Whose action this is: that coder can undo it.")


def _pairs(values: tuple[str, ...], path: Path) -> dict[str, str]:
    """``key=value`` arguments; one that is not is refused, naming it."""
    pairs = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise InputError(f"{value!r} is not key=value", path=path)
        pairs[key.strip()] = val.strip()
    return pairs


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@click.group(name="documents", invoke_without_command=True)
@file_option("-p", "--project", "project_path", help="The project file (NAME.kwali).")
@click.option(
    "--sort",
    "sort_key",
    metavar="KEY",
    help="List in the order of this attribute (numbers by size, dates by time).",
)
@click.pass_context
def documents(ctx: click.Context, project_path: Path | None, sort_key: str | None) -> None:
    """List the documents of a project; rename, remove or replace one.

    \b
    Example: kwali documents -p studie.kwali
             kwali documents -p studie.kwali --sort leeftijd
             kwali documents rename -p studie.kwali 3 "Interview Anna"
             kwali documents remove -p studie.kwali 3
             kwali documents replace -p studie.kwali 3 int03-gecorrigeerd.docx
             kwali documents review -p studie.kwali
    """
    if ctx.invoked_subcommand is not None:
        return
    if project_path is None:
        raise click.UsageError("Missing option '-p' / '--project'.")
    with Project.open(project_path, readonly=True) as project:
        summaries = project.document_summaries()
        codings = project.coding_counts_by_document()
        if not summaries:
            click.echo(f"{project_path} has no documents yet.")
            return
        if sort_key is not None:
            known = project.attribute_keys()
            if sort_key not in known:
                raise InputError(
                    f"no document has the attribute {sort_key!r} "
                    f"(known: {', '.join(known) or 'none'})",
                    path=project_path,
                )
            kind = project.attribute_types().get(sort_key, "text")
            summaries.sort(key=lambda d: sort_order(d.attributes.get(sort_key, ""), kind))
        width = min(40, max(len(d.name) for d in summaries))
        for d in summaries:
            per_coder = codings.get(d.id, {})
            coded = (
                ", ".join(f"{coder} {n}" for coder, n in per_coder.items()) if per_coder else "none"
            )
            attrs = ", ".join(f"{k}={v}" for k, v in d.attributes.items())
            click.echo(
                visible(
                    f"{d.number:>4}  {d.name:<{width}}  {d.turns:>4} turns  "
                    f"{d.segments:>5} sentences  codings: {coded}"
                    + (f"  [{attrs}]" if attrs else "")
                )
            )
        click.echo(f"{_plural(len(summaries), 'document')}.")


@documents.command()
@project_option
@click.argument("document")
@click.argument("new_name")
@coder_option
def rename(project_path: Path, document: str, new_name: str, coder: str) -> None:
    """Give DOCUMENT (its number or name) the name NEW_NAME.

    Example: kwali documents rename -p studie.kwali 3 "Interview Anna"
    """
    with Project.open(project_path) as project:
        doc = project.find_document(document)
        renamed = project.rename_document(doc.id, new_name, coder)
        click.echo(visible(f"Document {renamed.number}: {doc.name} is now {renamed.name}."))


@documents.command()
@project_option
@click.argument("document")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@coder_option
def remove(project_path: Path, document: str, yes: bool, coder: str) -> None:
    """Remove DOCUMENT (its number or name) with its codings, memos and suggestions.

    Asks first; the removal is one action that undo reverses completely.

    Example: kwali documents remove -p studie.kwali 3
    """
    from kwali.app.backups import rolling_backup

    with Project.open(project_path) as project:
        doc = project.find_document(document)
        counts = project.removal_counts(doc.id)
        goes = (
            f"{_plural(counts['codings'], 'coding')}, {_plural(counts['memos'], 'memo')} "
            f"and {_plural(counts['suggestions'], 'suggestion')}"
        )
        click.echo(visible(f"Document {doc.number}: {doc.name} goes with {goes}."))
        if not yes and not click.confirm("Remove it?", default=False):
            click.echo("Nothing was removed.")
            return
        rolling_backup(project, "remove")
        project.remove_document(doc.id, coder)
        click.echo(visible(f"Removed document {doc.number}: {doc.name} (undo brings it back)."))


@click.group(name="attributes", invoke_without_command=True)
@file_option("-p", "--project", "project_path", help="The project file (NAME.kwali).")
@click.pass_context
def attributes(ctx: click.Context, project_path: Path | None) -> None:
    """List the attributes of a project with their types, or set, unset, import or type them.

    A number is stored as 3.5 and a date as 2021-03-04, whatever form was typed (3,5 and
    4-3-2021 are fine); numbers and dates sort by size and by time.

    \b
    Example: kwali attributes -p studie.kwali
             kwali attributes set -p studie.kwali 3 rol=werkzoekende leeftijd=34
             kwali attributes unset -p studie.kwali 3 leeftijd
             kwali attributes import -p studie.kwali respondenten.csv
             kwali attributes type -p studie.kwali leeftijd number
    """
    if ctx.invoked_subcommand is not None:
        return
    if project_path is None:
        raise click.UsageError("Missing option '-p' / '--project'.")
    with Project.open(project_path, readonly=True) as project:
        types = project.attribute_types()
        values: dict[str, list[str]] = {}
        for d in project.document_summaries():
            for key, value in d.attributes.items():
                values.setdefault(key, []).append(value)
        if not values:
            click.echo(f"{project_path} has no attributes yet.")
            return
        width = min(30, max(len(k) for k in values))
        for key in sorted(values, key=str.casefold):
            kind = types.get(key, "text")
            found = sorted({v for v in values[key] if v}, key=lambda v: sort_order(v, kind))
            shown = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
            if kind != "text" and found:
                shown = f"{found[0]} to {found[-1]}"
            click.echo(
                visible(
                    f"{key:<{width}}  {kind:<6}  {_plural(len(values[key]), 'document')}: {shown}"
                )
            )


@attributes.command(name="type")
@project_option
@click.argument("key")
@click.argument("kind", metavar="TYPE", type=click.Choice(TYPES, case_sensitive=False))
@coder_option
def type_(project_path: Path, key: str, kind: str, coder: str) -> None:
    """Make attribute KEY text, a number or a date, as one undoable action.

    Every value KEY has must fit the type (the first that does not is named, and nothing
    changes); values are rewritten in the stored form (3,5 becomes 3.5, 4-3-2021 becomes
    2021-03-04). Later values of KEY are checked against it.

    Example: kwali attributes type -p studie.kwali leeftijd number
    """
    with Project.open(project_path) as project:
        rewritten = project.set_attribute_type(key, kind, coder)
    again = f" ({_plural(rewritten, 'value')} rewritten)" if rewritten else ""
    click.echo(visible(f"{key.strip()} is a {kind.lower()}{again}."))


@attributes.command(name="set")
@project_option
@click.argument("document")
@click.argument("pairs", nargs=-1, required=True, metavar="KEY=VALUE...")
@coder_option
def set_(project_path: Path, document: str, pairs: tuple[str, ...], coder: str) -> None:
    """Set attributes of DOCUMENT (its number or name), as one undoable action.

    Example: kwali attributes set -p studie.kwali 3 rol=werkzoekende leeftijd=34
    """
    values = _pairs(pairs, project_path)
    with Project.open(project_path) as project:
        doc = project.find_document(document)
        project.set_attributes(doc.id, values, coder)
        after = project.require_document(doc.id).attributes
        shown = ", ".join(f"{k}={v}" for k, v in after.items())
        click.echo(visible(f"Document {doc.number}: {doc.name}: {shown}"))


@attributes.command()
@project_option
@click.argument("document")
@click.argument("keys", nargs=-1, required=True, metavar="KEY...")
@coder_option
def unset(project_path: Path, document: str, keys: tuple[str, ...], coder: str) -> None:
    """Remove attributes of DOCUMENT (its number or name), as one undoable action.

    Example: kwali attributes unset -p studie.kwali 3 leeftijd
    """
    with Project.open(project_path) as project:
        doc = project.find_document(document)
        project.unset_attributes(doc.id, [k.strip() for k in keys], coder)
        after = project.require_document(doc.id).attributes
        shown = ", ".join(f"{k}={v}" for k, v in after.items()) or "no attributes"
        click.echo(visible(f"Document {doc.number}: {doc.name}: {shown}"))


@attributes.command(name="import")
@project_option
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@coder_option
def import_(project_path: Path, file: Path, coder: str) -> None:
    """Read attributes from a CSV (a 'file' column and one column per attribute) for
    documents already in the project, as one undoable action.

    Example: kwali attributes import -p studie.kwali respondenten.csv
    """
    from kwali.app.importing import read_attribute_table

    table = read_attribute_table(file)
    with Project.open(project_path) as project:
        changes = project.import_attributes(table, str(file), coder)
    click.echo(
        f"Changed attributes of {_plural(len(changes), 'document')} "
        f"({len(table)} rows in {file.name})."
    )


COMMANDS = [documents, attributes]
