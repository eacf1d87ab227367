"""``kwali search``: find a word, phrase, lemma or pattern in every document, and optionally
make the hits suggestions of a code for a coder to review."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.app.code_names import code_key as code_key_of
from kwali.app.code_names import label_of
from kwali.app.searching import Mode, SearchResult, check_code, search, suggest_hits
from kwali.cli.options import coder_option_with, project_option
from kwali.cli.project import visible
from kwali.store import Project

coder_option = coder_option_with(
    "Whose suggestions these are (with --suggest): that coder can undo them."
)


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def _print(result: SearchResult, limit: int) -> None:
    for hit in result.hits[:limit] if limit else result.hits:
        click.echo(visible(f"{hit.reference:>9}  {hit.document_name}: {hit.marked()}"))
    shown = min(len(result.hits), limit) if limit else len(result.hits)
    if result.total > shown:
        click.echo(f"… {result.total - shown} more (--limit 0 shows them all)")
    if result.per_document:
        click.echo("")
        width = min(40, max(len(result.names[i][1]) for i in result.per_document))
        for document_id, n in sorted(
            result.per_document.items(), key=lambda kv: result.names[kv[0]]
        ):
            number, name = result.names[document_id]
            click.echo(visible(f"{number:>4}  {name:<{width}}  {_plural(n, 'sentence')}"))
    documents = len(result.per_document)
    click.echo(
        f"{_plural(result.total, 'sentence')} in {_plural(documents, 'document')} "
        f"(of {len(result.names)})."
    )


@click.command(name="search")
@project_option
@click.argument("text")
@click.option(
    "--lemma",
    is_flag=True,
    help="Find every form of the words' lemmas (dwingen: dwong, gedwongen).",
)
@click.option(
    "--regex",
    is_flag=True,
    help="TEXT is a Python regular expression, matched on each document's text.",
)
@click.option(
    "--where",
    "where",
    multiple=True,
    metavar="KEY=VALUE",
    help="Only documents with this attribute value (as in the documents screen's filter); repeatable.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    metavar="N",
    help="Print at most N hits (0: all); the counts are always complete.",
)
@click.option(
    "--suggest",
    "code_key",
    metavar="CODE",
    help="Make every hit a suggestion of CODE (key, label or path), to review in kwali tui "
    "(never a coding).",
)
@coder_option
def search_command(
    project_path: Path,
    text: str,
    lemma: bool,
    regex: bool,
    where: tuple[str, ...],
    limit: int,
    code_key: str | None,
    coder: str,
) -> None:
    """Search every document for TEXT: whole words or a phrase, ignoring case and accents.

    Each hit is a sentence with its reference (3:12.2 is document 3, turn 12, sentence 2),
    the match between « »; then the count per document.

    \b
    Example: kwali search -p studie.kwali "van de gemeente"
             kwali search -p studie.kwali dwingen --lemma --where rol=werkzoekende
             kwali search -p studie.kwali "verplicht\\w*" --regex --limit 0
             kwali search -p studie.kwali dwang --suggest dwang --coder anna
    """
    if lemma and regex:
        raise click.UsageError("--lemma and --regex do not go together: choose one.")
    mode: Mode = "lemma" if lemma else "regex" if regex else "words"
    with Project.open(project_path, readonly=code_key is None) as project:
        if code_key is not None:
            code_key = code_key_of(project, code_key, option="--suggest")
            check_code(project, code_key)
        # every hit when they become suggestions; else the first `limit` are enough to print
        result = search(
            project, text, mode=mode, where=where, limit=None if code_key else (limit or None)
        )
        _print(result, limit)
        if code_key is not None:
            added = suggest_hits(project, result, code_key, coder)
            already = len(result.hits) - added
            click.echo(
                visible(
                    f"{_plural(added, 'new suggestion')} of "
                    f"{label_of(project.codebook(), code_key)} for {coder} "
                    f"({result.label})"
                    + (f"; {already} were suggested already" if already else "")
                    + ". Review them in kwali tui (a/x, A/X for all of a code; u undoes)."
                )
            )


COMMANDS = [search_command]
