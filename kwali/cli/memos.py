"""Memo commands: add, list, edit and remove memos on the project, a document, a code, a
sentence or a coding.

Every change is one undoable action of ``--coder`` (``u`` in kwali tui undoes it). A memo is
named by the number ``kwali memo list`` shows: ``12``, or ``c34`` for the memo on coding 34.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kwali.app import memos as memo_app
from kwali.app.code_names import code_key
from kwali.cli.options import coder_option_with, file_option, project_option
from kwali.cli.project import visible
from kwali.errors import InputError
from kwali.store import Project

coder_option = coder_option_with("Who writes the memo: only they can edit or remove it.")
# `memo add` has --project for a memo on the project itself, so its file is -p only
short_project_option = file_option(
    "-p", "project_path", required=True, help="The project file (NAME.kwali)."
)


def _text(text: str) -> str:
    """TEXT, or standard input for ``-``; an empty memo is refused."""
    if text == "-":
        text = sys.stdin.read()
    if not text.strip():
        raise InputError("the memo is empty")
    return text.strip()


def _show(entry: memo_app.MemoEntry) -> None:
    when = entry.changed[:16].replace("T", " ")
    click.echo(visible(f"{entry.ref:>5}  {entry.target.about}  — {entry.coder}, {when}"))
    for line in entry.text.splitlines() or [""]:
        click.echo(visible(f"       {line}"))


@click.group(name="memo")
def memo() -> None:
    """Write, list, edit and remove memos on the project, documents, codes, sentences and
    codings.

    \b
    Example: kwali memo add -p studie.kwali --coder anna --code sanctie "Vooral dreiging."
             kwali memo list -p studie.kwali --kind code --search dreiging
             kwali memo edit -p studie.kwali --coder anna 12 "Vooral dreiging, weinig straf."
             kwali memo remove -p studie.kwali --coder anna 12
    """


@memo.command()
@short_project_option
@click.option("--project", "on_project", is_flag=True, help="A memo on the whole project.")
@click.option("--document", help="A memo on this document (its number or name).")
@click.option("--code", help="A memo on this code (its key, label or path).")
@click.option("--segment", help="A memo on this sentence, cited as 3:12.2 (3:12 for a turn).")
@click.option("--coding", help="A memo on this coding (its id).")
@click.argument("text")
@coder_option
def add(
    project_path: Path,
    on_project: bool,
    document: str | None,
    code: str | None,
    segment: str | None,
    coding: str | None,
    text: str,
    coder: str,
) -> None:
    """Write a memo TEXT (or - to read it from standard input) on one target.

    Each add is a new memo; `kwali memo edit` changes one.

    Example: kwali memo add -p studie.kwali --coder anna --segment 3:12.2 "Ironisch bedoeld?"
    """
    chosen = [
        (kind, ref)
        for kind, ref in (
            ("project", "" if on_project else None),
            ("document", document),
            ("code", code),
            ("segment", segment),
            ("coding", coding),
        )
        if ref is not None
    ]
    if len(chosen) != 1:
        raise click.UsageError(
            "Say what the memo is on: one of --project, --document, --code, --segment, --coding."
        )
    ((kind, ref),) = chosen
    body = _text(text)
    with Project.open(project_path) as project:
        if kind == "code":
            ref = code_key(project, ref, option="--code")
        target = memo_app.target_for(project, kind, ref)
        entry = memo_app.write_memo(project, coder, target, body, replace=False)
        click.echo(visible(f"Memo {entry.ref} on {target.about} saved (undo removes it)."))


@memo.command(name="list")
@project_option
@click.option("--coder", help="Only this coder's memos.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    help="Only memos on this kind of thing: project, document, code, segment, coding (repeatable).",
)
@click.option("--document", help="Only memos in this document (its number or name).")
@click.option("--code", help="Only memos on this code (key, label or path) or on codings with it.")
@click.option("--search", default="", help="Only memos holding all these words.")
@click.option("--blind", is_flag=True, help="Blind coding: show only --coder's own memos.")
def list_(
    project_path: Path,
    coder: str | None,
    kinds: tuple[str, ...],
    document: str | None,
    code: str | None,
    search: str,
    blind: bool,
) -> None:
    """List memos, each with what it is about, who wrote it and when.

    Example: kwali memo list -p studie.kwali --document 3 --search dreiging
    """
    if blind and not coder:
        raise click.UsageError("--blind needs --coder: whose memos may be seen.")
    with Project.open(project_path, readonly=True) as project:
        entries = memo_app.filter_memos(
            memo_app.all_memos(project, coder, blind=blind),
            kinds=[memo_app.kind_of(k) for k in kinds],
            coder=coder,
            document_id=project.find_document(document).id if document else None,
            code_key=code_key(project, code, option="--code") if code else None,
            search=search,
        )
        for entry in entries:
            _show(entry)
        click.echo(f"{len(entries)} memo{'' if len(entries) == 1 else 's'}.")


@memo.command()
@project_option
@click.argument("memo_ref", metavar="ID")
@click.argument("text")
@coder_option
def edit(project_path: Path, memo_ref: str, text: str, coder: str) -> None:
    """Replace the text of your memo ID with TEXT (or - for standard input).

    Example: kwali memo edit -p studie.kwali --coder anna 12 "Vooral dreiging."
    """
    body = _text(text)
    with Project.open(project_path) as project:
        entry = memo_app.edit_memo(project, memo_ref, body, coder)
        click.echo(visible(f"Memo {entry.ref} on {entry.target.about} changed (undo restores it)."))


@memo.command()
@project_option
@click.argument("memo_ref", metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@coder_option
def remove(project_path: Path, memo_ref: str, yes: bool, coder: str) -> None:
    """Remove your memo ID (undo brings it back).

    Example: kwali memo remove -p studie.kwali --coder anna 12
    """
    with Project.open(project_path) as project:
        entry = memo_app.find_memo(project, memo_ref)
        _show(entry)
        if entry.coder == coder and not yes and not click.confirm("Remove it?", default=False):
            click.echo("Nothing was removed.")
            return
        memo_app.remove_memo(project, memo_ref, coder)
        click.echo(
            visible(f"Removed memo {entry.ref} on {entry.target.about} (undo brings it back).")
        )


COMMANDS = [memo]
