"""Tagging commands: evaluate the suggester on labelled texts, suggest codes in a project."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kwali.cli.options import coder_option, file_option, progress, project_option
from kwali.cli.project import visible


@click.command()
@file_option(
    "--gold",
    "gold_path",
    required=True,
    help='JSON Lines: one {"text": ..., "themes": [code keys]} per line.',
)
@file_option("--codebook", "codebook_path", required=True, help="The codebook YAML.")
@click.option(
    "--k",
    "k",
    default=3,
    show_default=True,
    type=click.IntRange(1),
    help="How many top suggestions count for recall@k.",
)
@click.option(
    "--threshold",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Lowest score that counts as a suggestion for precision and recall.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--model", help="A trained spaCy pipeline to use (e.g. nl_core_news_sm).")
@file_option(
    "--train",
    "train_path",
    help="Also learn from these labelled texts (same format), as from confirmed codings.",
)
@click.option(
    "--folds",
    type=click.IntRange(2),
    default=None,
    help="Learn from the gold file itself: each of N parts is scored by a model "
    "learned from the other parts.",
)
def evaluate(
    gold_path: Path,
    codebook_path: Path,
    k: int,
    threshold: float,
    as_json: bool,
    model: str | None,
    train_path: Path | None,
    folds: int | None,
) -> None:
    """Score the code suggester against your own labelled texts.

    Prints precision, recall and F1 per code, micro and macro averages, recall@k, and the
    same figures for a baseline that searches each code's label words, as a keyword search
    in Atlas.ti would. Labels that are not codebook keys are listed and left out.

    With --train or --folds it measures what `kwali suggest --learn` does in a project where
    part of the texts is already coded.

    Example: kwali evaluate --gold citaten.jsonl --codebook codebooks/tegenprestatie.yaml
    """
    from kwali.io.codebook import load_codebook
    from kwali.nlp import make_nlp
    from kwali.tagging.evaluate import cross_validate, format_report, train_model
    from kwali.tagging.evaluate import evaluate as run_evaluation
    from kwali.tagging.gold import load_gold
    from kwali.tagging.suggest import Suggester

    if train_path is not None and folds is not None:
        raise click.UsageError("use --train or --folds, not both")
    codebook = load_codebook(codebook_path)
    items = load_gold(gold_path)
    suggester = Suggester(codebook, make_nlp(model))
    if folds is not None:
        result = cross_validate(items, codebook, suggester, folds=folds, k=k, threshold=threshold)
    else:
        if train_path is not None:
            learned = train_model(load_gold(train_path), codebook, suggester.nlp)
            suggester = suggester.learning_from(learned)
        result = run_evaluation(items, codebook, suggester, k=k, threshold=threshold)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(result))


@click.command()
@project_option
@file_option(
    "--codebook",
    "codebook_path",
    help="Merge this codebook into the project's first, as kwali codebook import does "
    "(edits made in the project stay).",
)
@click.option(
    "--min-score",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Keep suggestions scoring at least this.",
)
@click.option(
    "--all",
    "redo_all",
    is_flag=True,
    help="Suggest for every document, not only new or changed ones.",
)
@click.option("--model", help="A trained spaCy pipeline to use (e.g. nl_core_news_sm).")
@click.option(
    "--include-interviewer",
    is_flag=True,
    help="Also suggest codes for the interviewer's turns (skipped by default).",
)
@click.option(
    "--learn",
    is_flag=True,
    help="Also learn from the codings confirmed so far (each run learns afresh).",
)
@click.option(
    "--learn-from",
    "learn_from",
    multiple=True,
    metavar="CODER",
    help="Learn from this coder's codings only (repeatable; implies --learn).",
)
@coder_option
def suggest(
    project_path: Path,
    codebook_path: Path | None,
    min_score: float,
    redo_all: bool,
    model: str | None,
    include_interviewer: bool,
    learn: bool,
    learn_from: tuple[str, ...],
    coder: str,
) -> None:
    """Suggest codes for the sentences of a project's documents.

    Suggestions are stored under the suggester's name and version, apart from codings: a
    coder accepts or rejects them in the coding screen. Documents already done with the same
    suggester and codebook are skipped unless --all is given.

    With --learn, kwali also learns from the codings confirmed so far which words go with
    which code in this study, and says which words made it suggest a code ("learned:").
    New codings make a new model, so the next --learn run suggests for every document again.
    Suggestions are shared by all coders: during blind parallel coding, learn only after the
    comparison, or the suggestions carry one coder's choices to the other.

    Example: kwali suggest -p studie.kwali --codebook codebooks/tegenprestatie.yaml
    """
    from kwali.app.codebook_import import read_codebook_file
    from kwali.app.suggesting import suggest_project
    from kwali.store import Project

    codebook = read_codebook_file(codebook_path) if codebook_path is not None else None
    learn = learn or bool(learn_from)
    with Project.open(project_path) as project:
        with progress(len(project.document_ids()), "Suggesting") as bar:
            result = suggest_project(
                project,
                codebook=codebook,
                codebook_source=codebook_path.name if codebook_path else "",
                coder=coder,
                model=model,
                min_score=min_score,
                redo_all=redo_all,
                include_interviewer=include_interviewer,
                learn=learn,
                learn_from=learn_from or None,
                progress=bar.update,
            )
        if result.codebook is not None:
            for line in result.codebook.lines():
                click.echo(visible(line), err=True)
    if result.learned_texts:
        click.echo(
            f"Learned from {result.learned_codings} confirmed codings in "
            f"{result.learned_texts} sentences.",
            err=True,
        )
    click.echo(
        f"{result.suggestions} suggestions in {result.documents} documents ({result.suggester})."
    )


COMMANDS = [evaluate, suggest]
