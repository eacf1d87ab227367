"""The codebook command group: export the codebook as it is now, import a file into it by
merging, delete a code. Every change is one undoable action of ``--coder``."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import coder_option_with, project_option
from kwali.cli.project import visible
from kwali.model import Code

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


def _named(code: Code) -> str:
    """A code in a question or report on a deletion: its label, and its key to be sure."""
    return f"{code.label} ({code.key})" if code.label and code.label != code.key else code.key


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@codebook.command("delete")
@project_option
@click.argument("code")
@click.option(
    "--move-to",
    "move_to",
    metavar="OTHER",
    help="Move the code's codings (and memos) to this code (key, label or path) first.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@coder_option
def codebook_delete(
    project_path: Path, code: str, move_to: str | None, yes: bool, coder: str
) -> None:
    """Delete CODE (its key, label or path) from the codebook, as one undoable action.

    Refused while the code has codings, unless --move-to names the code they move to.
    Its subcodes move up to its parent; its suggestions go with it.

    \b
    Example: kwali codebook delete -p studie.kwali oud_thema
             kwali codebook delete -p studie.kwali sanctie --move-to dwang
             kwali codebook delete -p studie.kwali "Sancties en dreiging" --move-to "Dwang"
    """
    from kwali.app.backups import rolling_backup
    from kwali.app.code_names import code_key
    from kwali.store import Project

    with Project.open(project_path) as project:
        code = code_key(project, code, option="CODE")
        move_to = code_key(project, move_to, option="--move-to") if move_to else None
        doomed = project.require_code(code)
        target = project.require_code(move_to) if move_to else None
        use = project.code_use(code)
        if use["codings"] and target is None:
            project.delete_code(code, coder)  # refused there: one line with the number
        what = [_named(doomed)]
        if target is not None:
            what.append(
                f"its {_plural(use['codings'], 'coding')} and {_plural(use['memos'], 'memo')} "
                f"move to {_named(target)}"
            )
        elif use["memos"]:
            what.append(f"its {_plural(use['memos'], 'memo')} go with it")
        if use["children"]:
            above = project.code(doomed.parent) if doomed.parent else None
            parent = f"under {_named(above)}" if above else "to the top level"
            what.append(f"its {_plural(use['children'], 'subcode')} move {parent}")
        if use["suggestions"]:
            what.append(f"its {_plural(use['suggestions'], 'suggestion')} go with it")
        click.echo(visible("Delete " + "; ".join(what) + "."))
        if not yes and not click.confirm("Delete it?", default=False):
            click.echo("Nothing was deleted.")
            return
        rolling_backup(project, "delete")
        moved = project.delete_code(code, coder, move_to=move_to)
    moved_text = f"; {_plural(moved, 'coding')} moved to {_named(target)}" if target else ""
    click.echo(visible(f"Deleted code {_named(doomed)}{moved_text} (undo brings it back)."))


@click.command("codes")
@project_option
def codes(project_path: Path) -> None:
    """List the codes of a project: each label in the tree, with its key.

    Every command that takes a code accepts its key, its label (any case, with or without
    accents) or its path ("Persoonlijke situatie > Taal"); the key is needed only where
    two codes share a label.

    
    Example: kwali codes -p studie.kwali
    The project is opened read-only.
    """
    from kwali.store import Project

    with Project.open(project_path, readonly=True) as project:
        codebook = project.codebook()
        used = project.code_counts()  # confirmed codings, every layer
    ordered = codebook.in_tree_order()
    names = [("  " * (len(codebook.path(c.key)) - 1)) + (c.label or c.key) for c in ordered]
    width = min(48, max([4, *(len(n) for n in names)]))
    key_w = min(32, max([3, *(len(c.key) for c in ordered)]))
    for code, name in zip(ordered, names, strict=True):
        what = "category" if code.kind == "category" else _plural(used.get(code.key, 0), "coding")
        click.echo(visible(f"{name:<{width}}  {code.key:<{key_w}}  {what}"))
    click.echo(f"{_plural(len(ordered), 'code')}.")


COMMANDS = [codebook, codes]
