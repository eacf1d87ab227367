"""``kwali search``: find a word, phrase, lemma or pattern in every document, and optionally
make the hits suggestions of a code for a coder to review."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.app.code_names import code_key as code_key_of
from kwali.app.code_names import label_of
from kwali.app.searching import Mode, SearchResult, check_code, search, suggest_hits
from kwali.cli.options import coder_option_with, described, project_option
from kwali.cli.project import visible
from kwali.i18n import _, ngettext
from kwali.store import Project

coder_option = coder_option_with(
    _("Van wie deze suggesties zijn (met --suggest): die codeur kan ze ongedaan maken.")
)


def _sentences(n: int) -> str:
    return ngettext("{n} zin", "{n} zinnen", n).format(n=n)


def _print(result: SearchResult, limit: int) -> None:
    for hit in result.hits[:limit] if limit else result.hits:
        click.echo(visible(f"{hit.reference:>9}  {hit.document_name}: {hit.marked()}"))
    shown = min(len(result.hits), limit) if limit else len(result.hits)
    if result.total > shown:
        more = _("… nog {n} (--limit 0 toont ze allemaal)")
        click.echo(more.format(n=result.total - shown))
    if result.per_document:
        click.echo("")
        width = min(40, max(len(result.names[i][1]) for i in result.per_document))
        for document_id, n in sorted(
            result.per_document.items(), key=lambda kv: result.names[kv[0]]
        ):
            number, name = result.names[document_id]
            click.echo(visible(f"{number:>4}  {name:<{width}}  {_sentences(n)}"))
    documents = len(result.per_document)
    click.echo(
        _("{sentences} in {documents} (van {total}).").format(
            sentences=_sentences(result.total),
            documents=ngettext("{n} document", "{n} documenten", documents).format(n=documents),
            total=len(result.names),
        )
    )


@click.command(
    name="search",
    help=described(
        _(
            "Zoek TEKST in elk document: hele woorden of een woordgroep, zonder te letten op "
            "hoofdletters en accenten.\n\n"
            "Elke treffer is een zin met zijn verwijzing (3:12.2 is document 3, beurt 12, zin 2), "
            "met de gevonden tekst tussen « »; daarna het aantal per document."
        ),
        'kwali search -p studie.kwali "van de gemeente"',
        "kwali search -p studie.kwali dwingen --lemma --where rol=werkzoekende",
        'kwali search -p studie.kwali "verplicht\\w*" --regex --limit 0',
        "kwali search -p studie.kwali dwang --suggest dwang --coder anna",
    ),
)
@project_option
@click.argument("text", metavar=_("TEKST"))
@click.option(
    "--lemma",
    is_flag=True,
    help=_("Vind elke vorm van de lemma's van de woorden (dwingen: dwong, gedwongen)."),
)
@click.option(
    "--regex",
    is_flag=True,
    help=_("TEKST is een reguliere expressie van Python, gezocht in de tekst van elk document."),
)
@click.option(
    "--where",
    "where",
    multiple=True,
    metavar=_("KENMERK=WAARDE"),
    help=_(
        "Alleen documenten met deze waarde van een kenmerk (zoals het filter van het scherm "
        "met documenten); herhaalbaar."
    ),
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    metavar="N",
    help=_("Toon hooguit N treffers (0: alle); de aantallen zijn altijd volledig."),
)
@click.option(
    "--suggest",
    "code_key",
    metavar=_("CODE"),
    help=_(
        "Maak van elke treffer een suggestie van CODE (sleutel, label of pad), om te bekijken "
        "in kwali tui (nooit een codering)."
    ),
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
    if lemma and regex:
        raise click.UsageError(_("--lemma en --regex gaan niet samen: kies er een."))
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
            made = ngettext(
                "{n} nieuwe suggestie van {code} voor {coder} ({search})",
                "{n} nieuwe suggesties van {code} voor {coder} ({search})",
                added,
            ).format(
                n=added,
                code=label_of(project.codebook(), code_key),
                coder=coder,
                search=result.label,
            )
            if already:
                made += ngettext(
                    "; {n} was al voorgesteld", "; {n} waren al voorgesteld", already
                ).format(n=already)
            review = _(
                "Bekijk ze in kwali tui (a/x, A/X voor alle van een code; u maakt ongedaan)."
            )
            click.echo(visible(f"{made}. {review}"))


COMMANDS = [search_command]
