"""Tagging commands: evaluate the suggester on labelled texts, suggest codes in a project."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kwali.cli.options import (
    coder_option,
    coder_option_with,
    described,
    file_option,
    progress,
    project_location_option,
    project_option,
)
from kwali.cli.project import visible
from kwali.i18n import _, ngettext
from kwali.model import MIN_CODINGS

if TYPE_CHECKING:
    from kwali.tagging.evaluate import Evaluation


def _min_codings_option(help: str) -> Any:
    """``--min-codings``: how many confirmed codings a code needs before it is learned."""
    return click.option(
        "--min-codings", default=MIN_CODINGS, show_default=True, type=click.IntRange(1), help=help
    )


@click.command(
    help=described(
        _(
            "Toets de codesuggesties aan uw eigen gelabelde teksten.\n\n"
            "Toont precisie, recall en F1 per code, micro- en macrogemiddelden, recall@k, en "
            "dezelfde cijfers voor een basislijn die naar de woorden van het label van elke "
            "code zoekt, zoals zoeken op trefwoorden in Atlas.ti. Labels die geen sleutel in "
            "het codeboek zijn, worden genoemd en weggelaten.\n\n"
            "Met --train of --folds meet het wat `kwali suggest --learn` doet in een project "
            "waarin een deel van de teksten al gecodeerd is.\n\n"
            "Met -p en --coder zijn de gelabelde teksten de zinnen die die codeur in het project "
            "las, met de codes die hij bevestigde (zoals `kwali export gold` ze schrijft); met "
            "--folds leert het model telkens van de andere documenten.\n\n"
            "Een kalibratietabel laat per scoreband zien hoe vaak een suggestie goed was."
        ),
        "kwali evaluate --gold citaten.jsonl --codebook codebooks/tegenprestatie.yaml",
        "kwali evaluate -p studie.kwali --coder anna --folds 5",
    )
)
@file_option(
    "--gold",
    "gold_path",
    help=_('JSON Lines: per regel één {"text": ..., "themes": [codesleutels]}.'),
)
@file_option("--codebook", "codebook_path", help=_("Het codeboek (YAML)."))
@project_location_option(
    "-p",
    "--project",
    "project_path",
    required=False,
    envvar=None,  # the project is a choice here (instead of --gold), never taken unasked
    help=_("Toets aan de bevestigde coderingen in dit project (in plaats van --gold)."),
)
@coder_option_with(_("Met -p: wiens bevestigde coderingen de maat zijn."))
@_min_codings_option(
    _("Met -p en --folds: leer een code pas als hij minstens zo vaak bevestigd is.")
)
@click.option(
    "--k",
    "k",
    default=3,
    show_default=True,
    type=click.IntRange(1),
    help=_("Hoeveel van de bovenste suggesties tellen voor recall@k."),
)
@click.option(
    "--threshold",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0, 1),
    help=_("De laagste score die als suggestie telt voor precisie en recall."),
)
@click.option(
    "--json", "as_json", is_flag=True, help=_("Druk één JSON-object af in plaats van een tabel.")
)
@click.option(
    "--model", help=_("Een getrainde spaCy-pipeline om te gebruiken (bijv. nl_core_news_sm).")
)
@file_option(
    "--train",
    "train_path",
    help=_(
        "Leer ook van deze gelabelde teksten (zelfde formaat), zoals van bevestigde coderingen."
    ),
)
@click.option(
    "--folds",
    type=click.IntRange(2),
    default=None,
    help=_(
        "Leer van het gold-bestand zelf: elk van N delen krijgt scores van een model dat "
        "van de andere delen leerde."
    ),
)
def evaluate(
    gold_path: Path | None,
    codebook_path: Path | None,
    project_path: Path | None,
    coder: str,
    min_codings: int,
    k: int,
    threshold: float,
    as_json: bool,
    model: str | None,
    train_path: Path | None,
    folds: int | None,
) -> None:
    from kwali.io.codebook import load_codebook
    from kwali.nlp import make_nlp
    from kwali.tagging.evaluate import cross_validate, train_model
    from kwali.tagging.evaluate import evaluate as run_evaluation
    from kwali.tagging.gold import load_gold
    from kwali.tagging.suggest import Suggester

    if train_path is not None and folds is not None:
        raise click.UsageError(_("gebruik --train of --folds, niet allebei"))
    if project_path is not None:
        if gold_path or codebook_path or train_path:
            raise click.UsageError(_("gebruik -p of --gold, --codebook en --train, niet allebei"))
        from kwali.app.evaluating import evaluate_project
        from kwali.store import Project

        with Project.open(project_path, readonly=True) as project:
            result = evaluate_project(
                project,
                coder,
                folds=folds,
                model=model,
                k=k,
                threshold=threshold,
                min_codings=min_codings,
            )
        _show_evaluation(result, as_json)
        return
    if gold_path is None or codebook_path is None:
        raise click.UsageError(_("geef --gold en --codebook, of -p met een project"))
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
    _show_evaluation(result, as_json)


def _show_evaluation(result: Evaluation, as_json: bool) -> None:
    from kwali.tagging.evaluate import format_report

    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        # code keys and labels come from the project: they can't drive the terminal
        click.echo("\n".join(visible(line) for line in format_report(result).splitlines()))


@click.command(
    help=described(
        _(
            "Stel codes voor bij de zinnen van de documenten van een project.\n\n"
            "Suggesties worden opgeslagen onder de naam en versie van de suggestiemaker, los van "
            "de coderingen: een codeur accepteert of wijst ze af in het codeerscherm. Documenten "
            "die al met dezelfde suggestiemaker en hetzelfde codeboek gedaan zijn, worden "
            "overgeslagen, tenzij --all gegeven is.\n\n"
            "Met --learn leert kwali ook van de coderingen die tot nu toe bevestigd zijn welke "
            "woorden in deze studie bij welke code horen, en zegt het door welke woorden het een "
            'code voorstelde ("geleerd"). Nieuwe coderingen geven een nieuw model, dus de '
            "volgende keer met --learn komen er weer suggesties voor elk document. Een code wordt "
            "pas geleerd als hij minstens --min-codings keer bevestigd is. Wie blind codeert "
            "(kwali tui --blind), ziet van een suggestie die van de codes van anderen leerde "
            "alleen wat de regels ervan vonden; geleerd van alleen de eigen codes (--learn-from) "
            "ziet hij helemaal."
        ),
        "kwali suggest -p studie.kwali --codebook codebooks/tegenprestatie.yaml",
    )
)
@project_option
@file_option(
    "--codebook",
    "codebook_path",
    help=_(
        "Voeg dit codeboek eerst samen met dat van het project, zoals kwali codebook import "
        "doet (wijzigingen in het project blijven)."
    ),
)
@click.option(
    "--min-score",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0, 1),
    help=_("Bewaar suggesties met minstens deze score."),
)
@click.option(
    "--all",
    "redo_all",
    is_flag=True,
    help=_("Stel voor bij elk document, niet alleen bij nieuwe of gewijzigde."),
)
@click.option(
    "--model", help=_("Een getrainde spaCy-pipeline om te gebruiken (bijv. nl_core_news_sm).")
)
@click.option(
    "--include-interviewer",
    is_flag=True,
    help=_("Stel ook codes voor bij de beurten van de interviewer (standaard overgeslagen)."),
)
@click.option(
    "--learn",
    is_flag=True,
    help=_("Leer ook van de coderingen die tot nu toe bevestigd zijn (elke keer opnieuw)."),
)
@click.option(
    "--learn-from",
    "learn_from",
    multiple=True,
    metavar=_("CODEUR"),
    help=_("Leer alleen van de coderingen van deze codeur (herhaalbaar; betekent --learn)."),
)
@_min_codings_option(_("Leer een code pas als hij minstens zo vaak bevestigd is."))
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
    min_codings: int,
    coder: str,
) -> None:
    from kwali.app.codebook_import import read_codebook_file
    from kwali.app.suggesting import suggest_project
    from kwali.store import Project

    codebook = read_codebook_file(codebook_path) if codebook_path is not None else None
    learn = learn or bool(learn_from)
    with Project.open(project_path) as project:
        with progress(len(project.document_ids()), _("Suggesties maken")) as bar:
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
                min_codings=min_codings,
                progress=bar.update,
            )
        if result.codebook is not None:
            for line in result.codebook.lines():
                click.echo(visible(line), err=True)
    if result.learned_texts:
        codings = ngettext(
            "{n} bevestigde codering", "{n} bevestigde coderingen", result.learned_codings
        ).format(n=result.learned_codings)
        sentences = ngettext("{n} zin", "{n} zinnen", result.learned_texts).format(
            n=result.learned_texts
        )
        learned = _("Geleerd van {codings} in {sentences}.")
        click.echo(learned.format(codings=codings, sentences=sentences), err=True)
    if result.too_few:
        listed = ", ".join(f"{code} ({n})" for code, n in result.too_few.items())
        few = _(
            "Niet geleerd, minder dan {n} bevestigde coderingen (--min-codings): {codes}."
        ).format(n=result.min_codings, codes=listed)
        click.echo(visible(few), err=True)
    suggestions = ngettext("{n} suggestie", "{n} suggesties", result.suggestions).format(
        n=result.suggestions
    )
    documents = ngettext("{n} document", "{n} documenten", result.documents).format(
        n=result.documents
    )
    click.echo(
        _("{suggestions} in {documents} ({suggester}).").format(
            suggestions=suggestions, documents=documents, suggester=result.suggester
        )
    )


COMMANDS = [evaluate, suggest]
