"""``kwali cases summary`` and ``kwali cases framework``: summaries per case (or document) and
code, and the framework matrix of them exported to Word or Excel (kwali.app.framework)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kwali.cli.cases import cases
from kwali.cli.options import coder_option_with, file_option, project_option
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.store import Project

coder_option = coder_option_with("Who writes the summary: each coder has their own.")


@cases.command()
@project_option
@click.argument("unit")
@click.argument("code")
@click.argument("text")
@coder_option
def summary(project_path: Path, unit: str, code: str, text: str, coder: str) -> None:
    """Write the summary of UNIT on CODE: TEXT (- reads standard input; "" removes it).

    UNIT is a case's name, or a document as document:3 (its number or name) for what no
    case covers; CODE is a code's key, label or path. One undoable action of --coder; each coder has their own summary.

    \b
    Example: kwali cases summary -p studie.kwali --coder anna coach-a dwang "Ervaart weinig dwang."
             kwali cases summary -p studie.kwali --coder anna document:2 dwang ""
    """
    from kwali.app.code_names import code_key
    from kwali.app.framework import find_code, find_unit

    if text == "-":
        text = sys.stdin.read()
    with Project.open(project_path) as project:
        found = find_unit(project, unit)
        column = find_code(project, code_key(project, code, option="CODE"))
        changed = project.write_summary(found.kind, found.id, column.key, text, coder)
    where = (
        f"{'case' if found.kind == 'case' else 'document'} {found.name} on "
        f"{column.label or column.key}"
    )
    if not changed:
        click.echo(visible(f"The summary of {where} is unchanged."))
    elif text.strip():
        click.echo(visible(f"Saved the summary of {where} (undo removes it)."))
    else:
        click.echo(visible(f"Removed the summary of {where} (undo brings it back)."))


@cases.command()
@project_option
@file_option(
    "-o", "--output", "out", required=True, help="The file to write: NAME.docx or NAME.xlsx."
)
@click.option(
    "--codes",
    help="The columns: codes by key, label or path (@GROUP a code group's), comma-separated "
    "(default: the top-level codes).",
)
@click.option(
    "--coder",
    help="Only this coder's summaries and codings (blind); default: every coder's.",
)
@click.option("--no-counts", is_flag=True, help="Word: leave out the number of quotes per cell.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def framework(
    project_path: Path,
    out: Path,
    codes: str | None,
    coder: str | None,
    no_counts: bool,
    force: bool,
) -> None:
    """Export the framework matrix: cases (and documents for what no case covers) × codes,
    each cell the summaries and the number of quotes. Word: a landscape table; Excel: the
    grid and a sheet with the quotes of every cell.

    \b
    Example: kwali cases framework -p studie.kwali -o matrix.docx
             kwali cases framework -p studie.kwali -o matrix.xlsx --codes dwang,plezier --coder anna
    """
    from kwali.app.code_names import code_keys
    from kwali.app.framework import framework as build
    from kwali.export.framework import write_framework

    if out.suffix.lower() not in (".docx", ".xlsx"):
        raise InputError(
            "is not .docx or .xlsx", path=out, hint="name the output NAME.docx or NAME.xlsx"
        )
    if codes is not None and not codes.replace(",", "").strip():
        raise InputError("--codes names no code")
    with Project.open(project_path, readonly=True) as project:
        chosen = list(code_keys(project, [codes], option="--codes")) if codes else None
        grid = build(project, chosen, [coder] if coder else None)
    by = f"codeur: {coder}" if coder else "alle codeurs"
    written = write_framework(
        grid, out, subtitle=f"{project_path.stem} · {by}", counts=not no_counts, force=force
    )
    quotes = sum(len(c.quotes) for c in grid.cells.values())
    written_summaries = sum(len(c.summaries) for c in grid.cells.values())
    click.echo(
        visible(
            f"Wrote {written}: {len(grid.units)} rows × {len(grid.codes)} codes, "
            f"{written_summaries} summaries, {quotes} quotes."
        )
    )


COMMANDS: list[click.Command] = []  # both commands live in the cases group
