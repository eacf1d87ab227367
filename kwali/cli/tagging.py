"""Tagging commands: evaluate the suggester on labelled texts, suggest codes in a project."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kwali.cli.options import coder_option, project_option
from kwali.errors import ProjectError

_DEFAULT_CODEBOOK = Path(__file__).resolve().parents[2] / "codebooks" / "tegenprestatie.yaml"


@click.command()
@click.option("--gold", "gold_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help='JSON Lines: one {"text": ..., "themes": [code keys]} per line.')
@click.option("--codebook", "codebook_path", required=True,
              type=click.Path(path_type=Path, dir_okay=False), help="The codebook YAML.")
@click.option("--k", "k", default=3, show_default=True, type=click.IntRange(1),
              help="How many top suggestions count for recall@k.")
@click.option("--threshold", default=0.5, show_default=True, type=click.FloatRange(0, 1),
              help="Lowest score that counts as a suggestion for precision and recall.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--model", help="A trained spaCy pipeline to use (e.g. nl_core_news_sm).")
def evaluate(gold_path: Path, codebook_path: Path, k: int, threshold: float, as_json: bool,
             model: str | None) -> None:
    """Score the code suggester against your own labelled texts.

    Prints precision, recall and F1 per code, micro and macro averages, recall@k, and the
    same figures for a baseline that searches each code's label words, as a keyword search
    in Atlas.ti would. Labels that are not codebook keys are listed and left out.

    Example: kwali evaluate --gold citaten.jsonl --codebook codebooks/tegenprestatie.yaml
    """
    from kwali.io.codebook import load_codebook
    from kwali.nlp import make_nlp
    from kwali.tagging.evaluate import evaluate as run_evaluation
    from kwali.tagging.evaluate import format_report, load_gold
    from kwali.tagging.suggest import Suggester

    codebook = load_codebook(codebook_path)
    items = load_gold(gold_path)
    suggester = Suggester(codebook, make_nlp(model))
    result = run_evaluation(items, codebook, suggester, k=k, threshold=threshold)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(result))


@click.command()
@project_option
@click.option("--codebook", "codebook_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Load this codebook into the project first (codes are added or updated).")
@click.option("--min-score", default=0.5, show_default=True, type=click.FloatRange(0, 1),
              help="Keep suggestions scoring at least this.")
@click.option("--all", "redo_all", is_flag=True,
              help="Suggest for every document, not only new or changed ones.")
@click.option("--model", help="A trained spaCy pipeline to use (e.g. nl_core_news_sm).")
@coder_option
def suggest(project_path: Path, codebook_path: Path | None, min_score: float, redo_all: bool,
            model: str | None, coder: str) -> None:
    """Suggest codes for the sentences of a project's documents.

    Suggestions are stored under the suggester's name and version, apart from codings: a
    coder accepts or rejects them in the coding screen. Documents already done with the same
    suggester and codebook are skipped unless --all is given.

    Example: kwali suggest -p studie.kwali --codebook codebooks/tegenprestatie.yaml
    """
    from kwali.io.codebook import load_codebook
    from kwali.nlp import make_nlp
    from kwali.store import Project
    from kwali.tagging.suggest import Suggester

    with Project.open(project_path) as project:
        if codebook_path is not None:
            counts = project.set_codebook(load_codebook(codebook_path), coder=coder)
            click.echo(f"Codebook: {counts['added']} codes added, {counts['updated']} updated.",
                       err=True)
        codebook = project.codebook()
        if not any(not code.signals.is_empty() for code in codebook):
            raise ProjectError("has no codes with signals to suggest from", path=project_path,
                               hint=f"load a codebook with --codebook, e.g. {_DEFAULT_CODEBOOK.name}")
        suggester = Suggester(codebook, make_nlp(model))
        documents = project.document_ids() if redo_all else \
            project.documents_needing_suggestions(suggester.id)
        total = 0
        with click.progressbar(documents, label="Suggesting", file=sys.stderr) as bar:
            for document_id in bar:
                segments = project.segments(document_id, kind="sentence")
                suggestions = suggester.suggest_segments(segments, min_score=min_score)
                total += project.replace_suggestions(document_id, suggester.id, suggestions)
        click.echo(f"{total} suggestions in {len(documents)} documents ({suggester.id}).")


COMMANDS = [evaluate, suggest]
