"""The codebook command group: export the codebook as it is now, import a file into it by
merging, delete a code. Every change is one undoable action of ``--coder``."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import coder_option_with, project_option
from kwali.cli.project import visible

coder_option = coder_option_with("Whose action this is: that coder can undo it.")


@click.group()
def codebook() -> None:
    """Work with the project's codebook as a file."""


@codebook.command("export")
@project_option
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The file to write: NAME.yaml (kwali) or NAME.qdc (REFI-QDA).",
)
@click.option("--force", is_flag=True, help="Replace the --output file if it exists.")
def codebook_export(project_path: Path, output: Path, force: bool) -> None:
    """Write the project's codebook as it is now, with every edit, to YAML or a .qdc.

    The format follows the extension. kwali evaluate --codebook reads the YAML; kwali import
    and other REFI-QDA programs read the .qdc.

    \b
    Example: kwali codebook export -p studie.kwali -o codeboek.yaml
             kwali codebook export -p studie.kwali -o codeboek.qdc
    """
    from kwali.export.codebook_file import write_codebook_file
    from kwali.store import Project

    with Project.open(project_path, readonly=True) as project:
        current = project.codebook()
        groups = project.code_groups_for_file()  # a .qdc holds them as Sets
    warnings = write_codebook_file(current, output, force=force, groups=groups)
    for warning in warnings:
        click.echo(f"kwali: warning: {warning}", err=True)
    click.echo(f"Wrote the codebook ({len(current.codes)} codes) to {output}.")


@codebook.command("import")
@project_option
@click.argument("codebook_path", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--theirs",
    is_flag=True,
    help="Take the file's version where the project changed a code since the codebook was "
    "last loaded, and add back codes deleted in the project (a field the file leaves empty "
    "still never empties the project's).",
)
@click.option("--dry-run", is_flag=True, help="Only print what the merge would do.")
@coder_option
def codebook_import(
    project_path: Path, codebook_path: Path, theirs: bool, dry_run: bool, coder: str
) -> None:
    """Merge a codebook file (FILE.yaml or FILE.qdc) into the project's codebook.

    New codes are added and codes changed in the file are updated; what the project edited
    since the codebook was last loaded is kept unless --theirs is given. A field the file
    leaves empty never empties the project's (a .qdc has no signals), and a code missing
    from the file is kept: delete codes with kwali codebook delete. Codes are matched by
    key, then by label. Every decision is printed; the import is one undoable action.

    \b
    Example: kwali codebook import -p studie.kwali codeboek.yaml --dry-run
             kwali codebook import -p studie.kwali codeboek.qdc
    """
    from kwali.app.codebook_import import merge_codebook, read_codebook_file
    from kwali.app.exchange_sets import import_file_code_groups
    from kwali.store import Project

    incoming = read_codebook_file(codebook_path)
    groups: tuple[str, ...] = ()
    with Project.open(project_path, readonly=dry_run) as project:
        report = merge_codebook(
            project,
            incoming,
            source=codebook_path.name,
            coder=coder,
            theirs=theirs,
            dry_run=dry_run,
        )
        if not dry_run:  # a .qdc's code groups (Sets), after its codes
            groups = import_file_code_groups(project, codebook_path, report.keys, coder)
    for line in (*report.lines(), *groups):
        click.echo(visible(line))
    if dry_run:
        click.echo("Dry run: nothing was changed.")
    elif report.changes_anything:
        click.echo(f"Imported {codebook_path.name} (undo brings the codebook back).")
    else:
        click.echo("Nothing to change.")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@codebook.command("delete")
@project_option
@click.argument("code")
@click.option(
    "--move-to",
    "move_to",
    metavar="OTHER",
    help="Move the code's codings (and memos) to this code first.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@coder_option
def codebook_delete(
    project_path: Path, code: str, move_to: str | None, yes: bool, coder: str
) -> None:
    """Delete CODE (its key) from the codebook, as one undoable action.

    Refused while the code has codings, unless --move-to names the code they move to.
    Its subcodes move up to its parent; its suggestions go with it.

    \b
    Example: kwali codebook delete -p studie.kwali oud_thema
             kwali codebook delete -p studie.kwali sanctie --move-to dwang
    """
    from kwali.app.backups import rolling_backup
    from kwali.store import Project

    with Project.open(project_path) as project:
        doomed = project.require_code(code)
        target = project.require_code(move_to) if move_to else None
        use = project.code_use(code)
        if use["codings"] and target is None:
            project.delete_code(code, coder)  # refused there: one line with the number
        what = [f"{doomed.label} ({doomed.key})"]
        if target is not None:
            what.append(
                f"its {_plural(use['codings'], 'coding')} and {_plural(use['memos'], 'memo')} "
                f"move to {target.label} ({target.key})"
            )
        elif use["memos"]:
            what.append(f"its {_plural(use['memos'], 'memo')} go with it")
        if use["children"]:
            parent = f"under {doomed.parent}" if doomed.parent else "to the top level"
            what.append(f"its {_plural(use['children'], 'subcode')} move {parent}")
        if use["suggestions"]:
            what.append(f"its {_plural(use['suggestions'], 'suggestion')} go with it")
        click.echo(visible("Delete " + "; ".join(what) + "."))
        if not yes and not click.confirm("Delete it?", default=False):
            click.echo("Nothing was deleted.")
            return
        rolling_backup(project, "delete")
        moved = project.delete_code(code, coder, move_to=move_to)
    moved_text = f"; {_plural(moved, 'coding')} moved to {move_to}" if move_to else ""
    click.echo(visible(f"Deleted code {code}{moved_text} (undo brings it back)."))


COMMANDS = [codebook]
