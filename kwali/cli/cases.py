"""``kwali cases``: the cases of a project (a group interview's speakers, a survey's
respondents), their attributes and the speakers linked to them.

Every change is one undoable action of ``--coder`` (``u`` in kwali tui undoes it).
"""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import coder_option_with, project_option
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.store import Project

coder_option = coder_option_with("Whose action this is: that coder can undo it.")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@click.group(name="cases")
def cases() -> None:
    """Cases: whom a study counts, e.g. each speaker of a group interview.

    Words a linked speaker said count for their case (with the case's attributes), the rest
    for its document, in tables, queries and exports.

    \b
    Example: kwali cases import -p studie.kwali sprekers.csv
             kwali cases list -p studie.kwali
             kwali cases link -p studie.kwali 3 "Coach A" coach_noord_1
             kwali cases link -p studie.kwali 3 "Coach A" --unlink
    """


@cases.command(name="import")
@project_option
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@coder_option
def import_(project_path: Path, file: Path, coder: str) -> None:
    """Link speakers to cases from a CSV with the columns document (number, name or file
    name), speaker (its label in the transcript) and case; every further column is an
    attribute of the case. One undoable action; on any error nothing is changed.

    Example: kwali cases import -p studie.kwali sprekers.csv
    """
    from kwali.app.cases_import import import_cases_table

    with Project.open(project_path) as project:
        done = import_cases_table(project, file, coder)
    click.echo(
        f"Read {_plural(done.rows, 'row')} of {file.name}: {_plural(done.made, 'new case')}, "
        f"{_plural(done.linked, 'speaker')} linked, {_plural(done.changed, 'attribute value')} "
        "changed."
    )


@cases.command(name="list")
@project_option
def list_(project_path: Path) -> None:
    """List the cases with their attributes and linked speakers (document:speaker).

    Example: kwali cases list -p studie.kwali

    The project is opened read-only.
    """
    from kwali.app.cases_import import linked_speakers

    with Project.open(project_path, readonly=True) as project:
        found = project.cases()
        speakers = linked_speakers(project)
    if not found:
        click.echo(f"{project_path} has no cases yet.")
        return
    for case in found:
        attrs = ", ".join(f"{k}={v}" for k, v in case.attributes.items())
        said = ", ".join(speakers.get(case.id, [])) or "no speakers"
        click.echo(visible(f"{case.name}  {said}" + (f"  [{attrs}]" if attrs else "")))
    linked_count = sum(len(v) for v in speakers.values())
    click.echo(f"{_plural(len(found), 'case')}, {_plural(linked_count, 'linked speaker')}.")


@cases.command()
@project_option
@click.argument("document")
@click.argument("speaker")
@click.argument("case", required=False)
@click.option("--unlink", is_flag=True, help="Unlink SPEAKER: it counts for its document again.")
@coder_option
def link(
    project_path: Path, document: str, speaker: str, case: str | None, unlink: bool, coder: str
) -> None:
    """Link SPEAKER of DOCUMENT (its number or name) to CASE (made if new), or unlink it.

    \b
    Example: kwali cases link -p studie.kwali 3 "Coach A" coach_noord_1
             kwali cases link -p studie.kwali 3 "Coach A" --unlink
    """
    if unlink == bool(case):
        raise click.UsageError("name a CASE, or pass --unlink (not both)")
    with Project.open(project_path) as project:
        doc = project.find_document(document)
        current = project.speaker_cases([doc.id]).get(doc.id, {}).get(speaker)
        if unlink and current is None and speaker in project.document_speakers(doc.id):
            raise InputError(
                f"{speaker!r} of document {doc.number} is not linked to a case", path=project_path
            )
        project.link_speaker(doc.id, speaker, None if unlink else (case or "").strip(), coder)
    where = f"{speaker} of document {doc.number} ({doc.name})"
    if unlink:
        click.echo(visible(f"Unlinked {where}: it counts for its document again."))
    else:
        click.echo(visible(f"Linked {where} to case {(case or '').strip()}."))


COMMANDS = [cases]
