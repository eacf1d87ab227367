"""`kwali words`: word frequencies (lemmas) of a code, document or group, with their keyness
against the rest of the project. What is counted and the formulas: docs/words.md."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kwali.cli.options import chosen_coders, coder_scope_options, described, project_option
from kwali.cli.project import visible
from kwali.i18n import _, ngettext

if TYPE_CHECKING:
    from kwali.analysis.words import WordsResult


def _print(result: WordsResult, top: int) -> None:
    keyed = bool(result.reference_tokens)
    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    lemma_w = min(28, max([5, *(len(k.lemma) for k in result.keywords[:top])]))
    lemma_w = min(lemma_w, width - 50)
    lemma, count, per_10k = _("lemma"), _("aantal"), _("per 10k")
    header = f"{lemma:<{lemma_w}} {count:>6} {per_10k:>8}"
    if keyed:
        rest, rest_10k, log_ratio = _("rest"), _("rest/10k"), _("log ratio")
        header += f" {rest:>6} {rest_10k:>8} {'LL':>8} {'':<4} {log_ratio:>9}"
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
    total = len(result.keywords)
    summary = ngettext(
        "{shown} van {n} lemma. {counted}.", "{shown} van {n} lemma's. {counted}.", total
    ).format(shown=shown, n=total, counted=result.describe())
    if keyed:
        summary += " " + _("* p < 0,05, ** p < 0,01, *** p < 0,001, **** p < 0,0001.")
    click.echo(visible(summary))


@click.command(
    name="words",
    help=described(
        _(
            "Woordfrequenties van een code, een document of een groep, en hoe kenmerkend de "
            "woorden zijn.\n\n"
            "Telt de lemma's van wat respondenten zeggen (zonder Nederlandse stopwoorden en "
            "vulwoorden) in het doel en in de rest van het project, en sorteert ze op "
            "log-likelihood (LL): eerst de woorden die een code, document of groep vaker heeft "
            "dan de rest van het project. Zonder doel: de frequenties van het hele project. "
            "Zie docs/words.md."
        ),
        "kwali words -p studie.kwali --code dwang",
        "kwali words -p studie.kwali --code dwang --where aanpak=Meedoen010 --min 3",
        "kwali words -p studie.kwali --document 3 --top 50",
        "kwali words -p studie.kwali --where rol=werkzoekende -o woorden.xlsx",
    ),
)
@project_option
@click.option(
    "--code",
    metavar=_("CODE"),
    help=_("De tekst van de coderingen van deze code (sleutel, label of pad)."),
)
@click.option(
    "--document",
    metavar=_("DOC"),
    help=_("Dit document (nummer, naam of bestandsnaam)."),
)
@click.option(
    "--where",
    multiple=True,
    metavar=_("KENMERK=WAARDE"),
    help=_(
        "Documenten met deze waarde van een kenmerk (herhaal: alle moeten gelden); met "
        "--code: de coderingen in die documenten."
    ),
)
@coder_scope_options(_("Met --code: "))
@click.option(
    "--min",
    "min_count",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help=_("Laat lemma's weg die het doel minder vaak heeft."),
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help=_("Toon (en schrijf) zoveel lemma's; een .docx toont er hooguit 200."),
)
@click.option("--all", "show_all", is_flag=True, help=_("Toon en schrijf elk lemma (geen --top)."))
@click.option(
    "--interviewers",
    is_flag=True,
    help=_("Tel ook de woorden van de interviewers (standaard: alleen wat respondenten zeggen)."),
)
@click.option(
    "--keep-fillers",
    is_flag=True,
    help=_("Tel ook vulwoorden zoals eh, ehm, nou, nee, oké."),
)
@click.option(
    "--model",
    metavar=_("NAAM"),
    help=_(
        "Een getrainde spaCy-pipeline (nl_core_news_sm …) voor de lemma's; trager. "
        "Standaard: kwali's eigen Nederlandse opzoeklijst van lemma's."
    ),
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help=_("Schrijf de tabel naar BESTAND.csv, BESTAND.xlsx of BESTAND.docx."),
)
@click.option("--force", is_flag=True, help=_("Overschrijf het uitvoerbestand als het al bestaat."))
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
    from kwali.analysis.words import keywords
    from kwali.app.code_names import code_key
    from kwali.export.words import check_output, write_words
    from kwali.store import Project

    chosen = chosen_coders(coders, consensus)
    if document is not None and where:
        raise click.UsageError(_("--document en --where sluiten elkaar uit."))
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
        lemmas = ngettext(
            "{n} lemma geschreven naar {path}.", "{n} lemma's geschreven naar {path}.", written
        )
        click.echo(lemmas.format(n=written, path=out), err=True)
        return
    _print(result, len(result.keywords) if limit is None else limit)


COMMANDS = [words]
