"""`kwali words`: word frequencies (lemmas) of a code, document or group, with their keyness
against the rest of the project. What is counted and the formulas: docs/words.md."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kwali.cli.options import chosen_coders, coder_scope_options, project_option
from kwali.cli.project import visible

if TYPE_CHECKING:
    from kwali.analysis.words import WordsResult


def _print(result: WordsResult, top: int) -> None:
    keyed = bool(result.reference_tokens)
    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    lemma_w = min(28, max([5, *(len(k.lemma) for k in result.keywords[:top])]))
    lemma_w = min(lemma_w, width - 50)
    header = f"{'lemma':<{lemma_w}} {'count':>6} {'per 10k':>8}"
    if keyed:
        header += f" {'rest':>6} {'rest/10k':>8} {'LL':>8} {'':<4} {'log ratio':>9}"
    click.echo(header)
    for k in result.keywords[:top]:
        line = f"{k.lemma[:lemma_w]:<{lemma_w}} {k.target:>6} {k.target_per_10k:>8.1f}"
        if keyed:
            line += (
                f" {k.reference:>6} {k.reference_per_10k:>8.1f} {k.ll:>8.2f} {k.marker:<4}"
                f" {k.log_ratio if not math.isnan(k.log_ratio) else 0:>+9.2f}"
            )
        click.echo(visible(line))
    shown = min(top, len(result.keywords))
    click.echo()
    click.echo(
        visible(
            f"{shown} of {len(result.keywords)} lemmas. {result.describe()}."
            + (" * p < 0.05, ** p < 0.01, *** p < 0.001, **** p < 0.0001." if keyed else "")
        )
    )


@click.command(name="words")
@project_option
@click.option(
    "--code", metavar="CODE", help="The text of this code's codings (key, label or path)."
)
@click.option("--document", metavar="DOC", help="This document (number, name or file name).")
@click.option(
    "--where",
    multiple=True,
    metavar="KEY=VALUE",
    help="Documents with this attribute value (repeat: all must hold); with --code: "
    "its codings in those documents.",
)
@coder_scope_options("With --code: ")
@click.option(
    "--min",
    "min_count",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Leave out lemmas the target has fewer times.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="Show (and write) this many lemmas; a .docx shows at most 200.",
)
@click.option("--all", "show_all", is_flag=True, help="Show and write every lemma (no --top).")
@click.option(
    "--interviewers",
    is_flag=True,
    help="Count the interviewers' words too (default: only what the respondents say).",
)
@click.option(
    "--keep-fillers",
    is_flag=True,
    help="Count fillers such as eh, ehm, nou, nee, oké too.",
)
@click.option(
    "--model",
    metavar="NAME",
    help="A trained spaCy pipeline (nl_core_news_sm …) for the lemmas; slower. Default: "
    "kwali's built-in Dutch lookup lemmatiser.",
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the table to FILE.csv, FILE.xlsx or FILE.docx.",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def words(
    project_path: Path,
    code: str | None,
    document: str | None,
    where: tuple[str, ...],
    coders: tuple[str, ...],
    consensus: bool,
    min_count: int,
    top: int,
    show_all: bool,
    interviewers: bool,
    keep_fillers: bool,
    model: str | None,
    out: Path | None,
    force: bool,
) -> None:
    """Word frequencies of a code, a document or a group, and their keyness.

    \b
    Counts lemmas of what respondents say (Dutch stop words and fillers
    left out) in the target and in the rest of the project, and sorts
    them by log-likelihood (LL): the words a code, document or group has
    more than the rest of the project first. Without a target: the
    frequencies of the whole project. See docs/words.md.

    \b
    Examples:
      kwali words -p studie.kwali --code dwang
      kwali words -p studie.kwali --code dwang --where aanpak=Meedoen010 --min 3
      kwali words -p studie.kwali --document 3 --top 50
      kwali words -p studie.kwali --where rol=werkzoekende -o woorden.xlsx
    """
    from kwali.analysis.words import keywords
    from kwali.app.code_names import code_key
    from kwali.export.words import check_output, write_words
    from kwali.store import Project

    chosen = chosen_coders(coders, consensus)
    if document is not None and where:
        raise click.UsageError("--document and --where exclude each other.")
    if out is not None:
        check_output(out)
    with Project.open(project_path, readonly=True) as project:
        result = keywords(
            project,
            code=code_key(project, code, option="--code") if code is not None else None,
            document=document,
            where=where,
            coders=chosen,
            interviewers=interviewers,
            keep_fillers=keep_fillers,
            min_count=min_count,
            model=model,
        )
    limit = None if show_all else top
    if out is not None:
        write_words(result, out, top=limit, force=force)
        written = len(result.keywords) if limit is None else min(limit, len(result.keywords))
        click.echo(f"Wrote {written} lemmas to {out}.", err=True)
        return
    _print(result, len(result.keywords) if limit is None else limit)


COMMANDS = [words]
