"""Coder agreement commands: agree, disagreements, settle, merge."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.decorators import FC

from kwali.cli.options import coder_option_with, described, file_option, project_option
from kwali.i18n import _, ngettext
from kwali.store import Project

if TYPE_CHECKING:
    from kwali.app.agreeing import AgreementReport

_UNITS = ("sentence", "turn", "answer", "char")
_SHORT_NAMES = {  # the statistics' names in a column heading, alike in both languages
    "holsti": "holsti",
    "cohen_kappa": "cohen",
    "fleiss_kappa": "fleiss",
    "krippendorff_alpha": "alpha",
    "krippendorff_alpha_units": "alpha-units",
    "alpha_below_0.667": "q<.667",
    "alpha_below_0.8": "q<.8",
    "brennan_prediger": "bp",
    "gwet_ac1": "ac1",
    "binary_u_alpha": "alpha-bin",
    "u_alpha": "u-alpha",
    "cu_alpha": "cu-alpha",
}


def _split(values: tuple[str, ...] | str) -> list[str]:
    """Accept both `--codes a --codes b` and `--codes a,b`."""
    items = (values,) if isinstance(values, str) else values
    return [part.strip() for value in items for part in value.split(",") if part.strip()]


def _scope(f: FC) -> FC:
    """The options every agreement command shares."""
    for option in reversed(
        [
            project_option,
            click.option(
                "--coders",
                default="",
                metavar="A,B,...",
                help=_("De codeurs om te vergelijken (standaard: iedereen behalve 'consensus')."),
            ),
            click.option(
                "--unit",
                type=click.Choice(_UNITS),
                default="sentence",
                show_default=True,
                help=_(
                    "Wat één eenheid is: een zin (sentence), een beurt van een spreker (turn), "
                    "een antwoord op een enquêtevraag (answer) of een teken (char)."
                ),
            ),
            click.option(
                "--include-interviewer",
                is_flag=True,
                help=_(
                    "Tel ook wat de interviewer zegt en de kopregels boven de eerste spreker "
                    "als eenheden (standaard niet: ongecodeerde vragen en kopregels drijven de "
                    "procentuele overeenstemming op)."
                ),
            ),
            click.option(
                "--codes",
                multiple=True,
                metavar=_("CODE,..."),
                help=_(
                    "Alleen deze codes, met sleutel, label of pad (een categorie brengt haar "
                    "codes mee, @GROEP die van een codegroep); standaard: elke gebruikte code."
                ),
            ),
        ]
    ):
        f = option(f)
    return f


def _header(name: str) -> str:
    """A statistic's column heading."""
    return _("overeenst. (%)") if name == "percent" else _SHORT_NAMES[name]


def _figure(name: str, value: float | None) -> str:
    """A statistic: a percentage with one decimal, a coefficient or q with three, a value
    with its interval ("bound") with two."""
    if value is None:
        return ""
    if math.isnan(value):
        return _("n.v.t.")
    if name == "percent":
        return f"{value * 100:.1f}"
    return f"{value:.2f}" if name == "bound" else f"{value:.3f}"


def _table(report: AgreementReport) -> list[str]:
    names = report.columns()
    headers = [_("code"), _("eenheden"), *report.coders, *[_header(n) for n in names]]
    lines = report.table(_figure, _("(alle codes)"))
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    out = [fmt(headers), fmt(["-" * w for w in widths])]
    out += [fmt(line) for line in lines[:-1]]
    out += [fmt(["-" * w for w in widths]), fmt(lines[-1])]
    return out


@click.command(
    help=described(
        _("Overeenstemming tussen codeurs, per code en over alles."),
        "kwali agree -p studie.kwali --coders anna,bram",
        "kwali agree -p studie.kwali --unit char --domain verplichting -o overeenstemming.docx",
        "kwali agree -p enquete.kwali --unit answer --codes waarom",
        block=_(
            "Eenheden: sentence (zin), turn (beurt) of answer (enquêteantwoord); per code\n"
            "aanwezig of afwezig: procentuele overeenstemming, Holsti, Cohens kappa voor\n"
            "twee codeurs, Fleiss' kappa, Krippendorffs alpha, Brennan-Prediger en Gwets\n"
            "AC1, met bootstrap-betrouwbaarheidsintervallen: alpha volgens Hayes &\n"
            "Krippendorff met q(alpha < 0.667) en q(alpha < 0.8), alpha over eenheden bij\n"
            "drie of meer codeurs, kappa en AC1. Zonder de interviewer en de kopregels,\n"
            "tenzij --include-interviewer. Of char (teken): de procentuele overeenstemming\n"
            "en kappa van NVivo over alle tekens, en de alpha-binary van ATLAS.ti."
        ),
        after=_("Het project wordt alleen-lezen geopend."),
    )
)
@_scope
@click.option(
    "--domain",
    "domains",
    multiple=True,
    metavar=_("CATEGORIE"),
    help=_(
        "Een categorie (sleutel, label of pad) waarvan de codes elkaar uitsluiten: ook als één "
        "variabele vergeleken."
    ),
)
@click.option(
    "--json", "as_json", is_flag=True, help=_("Toon één JSON-object in plaats van een tabel.")
)
@file_option(
    "-o",
    "--output",
    "out",
    help=_("Schrijf het verslag ook weg: .docx (met de verschillen) of .csv."),
)
@click.option(
    "--resamples",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    metavar=_("AANTAL"),
    help=_(
        "Trekkingen per bootstrap-interval (0: geen intervallen). Niet bij --unit char: "
        "tekens zijn geen onafhankelijke eenheden."
    ),
)
@click.option(
    "--seed",
    type=int,
    default=2007,
    show_default=True,
    metavar=_("GETAL"),
    help=_("Startwaarde van het toeval: hetzelfde project geeft steeds dezelfde intervallen."),
)
@click.option("--force", is_flag=True, help=_("Overschrijf het uitvoerbestand als het bestaat."))
def agree(
    project_path: Path,
    coders: str,
    unit: str,
    include_interviewer: bool,
    codes: tuple[str, ...],
    domains: tuple[str, ...],
    as_json: bool,
    out: Path | None,
    resamples: int,
    seed: int,
    force: bool,
) -> None:
    """``kwali agree``: agreement between coders per code and overall."""
    from kwali.app.agreeing import agreement_report
    from kwali.app.code_names import code_keys
    from kwali.app.settling import disagreements

    with Project.open(project_path, readonly=True) as project:
        chosen = list(code_keys(project, codes, option="--codes"))  # labels, @groups: keys
        picked = list(code_keys(project, domains, option="--domain", groups=False))
        report = agreement_report(
            project,
            _split(coders),
            unit,
            chosen,
            domains=picked,
            include_interviewer=include_interviewer,
            resamples=resamples,
            seed=seed,
        )
        if out is not None:
            from kwali.export.agreement import write_agreement

            listed = (
                disagreements(
                    project, report.coders, unit, chosen, include_interviewer=include_interviewer
                )
                if out.suffix == ".docx"
                else []
            )
            write_agreement(report, out, listed=listed, force=force)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        for line in _table(report):
            click.echo(line)
        for note in report.notes:
            click.echo(note)
    if out is not None:
        click.echo(_("Geschreven: {path}").format(path=out), err=as_json)


@click.command(
    name="disagreements",
    help=described(
        _("Toon elke eenheid waar de codeurs verschillende codes gaven, naast elkaar."),
        "kwali disagreements -p studie.kwali --coders anna,bram --open",
    ),
)
@_scope
@click.option(
    "--open", "only_open", is_flag=True, help=_("Alleen eenheden die nog niet vastgesteld zijn.")
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=0,
    metavar=_("AANTAL"),
    help=_("Toon er hoogstens zoveel (0: alle)."),
)
def disagreements_(
    project_path: Path,
    coders: str,
    unit: str,
    include_interviewer: bool,
    codes: tuple[str, ...],
    only_open: bool,
    limit: int,
) -> None:
    """``kwali disagreements``: the units where the coders differ."""
    from kwali.app.code_names import code_keys
    from kwali.app.settling import disagreements

    with Project.open(project_path, readonly=True) as project:
        chosen = list(code_keys(project, codes, option="--codes"))  # labels, @groups: keys
        listed = disagreements(
            project, _split(coders), unit, chosen, include_interviewer=include_interviewer
        )
    if only_open:
        listed = [d for d in listed if d.consensus is None]
    for item in listed[: limit or None]:
        sides = " | ".join(
            f"{coder}: {', '.join(item.named(codes)) or '-'}" for coder, codes in item.codes.items()
        )
        settled = (
            ""
            if item.consensus is None
            else " | "
            + _("consensus: {codes}").format(codes=", ".join(item.named(item.consensus)) or "-")
        )
        click.echo(f"{item.reference:<9} {sides}{settled}")
        click.echo(f"          {' '.join(item.text.split())}")
    differ = ngettext("{n} eenheid verschilt", "{n} eenheden verschillen", len(listed)).format(
        n=len(listed)
    )
    if limit and limit < len(listed):
        differ += " " + _("({n} getoond)").format(n=limit)
    click.echo(differ)


@click.command(
    help=described(
        _(
            "Stel een verschil vast in de codeurslaag 'consensus'.\n\nEENHEID is een "
            "verwijzing zoals 3:12.2 (document 3, beurt 12, zin 2), 3:12 (een beurt) of "
            '"Q7 · 1023" (een antwoord op een enquêtevraag: vraag en respondent, ook '
            "Q7:1023); die krijgt precies de gegeven codes. De eigen lagen van de codeurs "
            "veranderen niet, en het vaststellen is één handeling van --coder die ongedaan kan "
            "worden."
        ),
        "kwali settle -p studie.kwali 3:12.2 --code dwang --coder anna",
        'kwali settle -p studie.kwali 3:12.2 --code "Gezin en combineren" --coder anna',
    )
)
@project_option
@click.argument("unit_ref", metavar=_("EENHEID"))
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar=_("CODE"),
    help=_(
        "Een code waarover het team het eens werd: de sleutel, het label of het pad (herhaalbaar)."
    ),
)
@click.option(
    "--none",
    "no_code",
    is_flag=True,
    help=_("Het team werd het erover eens dat de eenheid geen van de codes krijgt."),
)
@coder_option_with(_("Wie vaststelt (bewaard bij de consensuscodering)."))
def settle(
    project_path: Path, unit_ref: str, codes: tuple[str, ...], no_code: bool, coder: str
) -> None:
    """``kwali settle``: settle a disagreement in the consensus layer."""
    from kwali.app.code_names import code_keys, label_of
    from kwali.app.settling import find_unit
    from kwali.app.settling import settle as run

    if not codes and not no_code:
        raise click.UsageError(_("noem de overeengekomen codes met --code, of geef --none"))
    if codes and no_code:
        raise click.UsageError(_("--code en --none sluiten elkaar uit"))
    with Project.open(project_path) as project:
        chosen = code_keys(project, codes, option="--code", groups=False)
        segment = find_unit(project, unit_ref)
        result = run(project, segment, chosen, coder)
        codebook = project.codebook()

    def named(keys: tuple[str, ...]) -> str:
        return ", ".join(label_of(codebook, k) for k in keys)

    line = _("{unit} vastgesteld: {codes}").format(
        unit=unit_ref, codes=named(chosen) or _("geen code")
    )
    if result.added:
        line += " " + _("({codes} toegevoegd)").format(codes=named(result.added))
    if result.removed:
        line += " " + _("({codes} verwijderd)").format(codes=named(result.removed))
    click.echo(line)


@click.command(
    help=described(
        _(
            "Voeg twee kopieën van een project die blind gecodeerd zijn samen tot een nieuw "
            "project.\n\nDocumenten worden op hun tekst gekoppeld; een document met dezelfde "
            "naam maar een andere tekst wordt geweigerd, en zo ook een codeursnaam met in "
            "beide projecten andere coderingen (tenzij hernoemd)."
        ),
        "kwali merge anna.kwali bram.kwali -o samen.kwali",
    )
)
@click.argument(
    "first",
    metavar=_("EERSTE"),
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
)
@click.argument(
    "second",
    metavar=_("TWEEDE"),
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
)
@file_option(
    "-o", "--output", "out", required=True, help=_("Het samengevoegde project om te maken.")
)
@click.option(
    "--rename-coders",
    default="",
    metavar=_("OUD=NIEUW,..."),
    help=_("Hernoem codeurs van TWEEDE, als een naam in beide projecten andere coderingen heeft."),
)
def merge(first: Path, second: Path, out: Path, rename_coders: str) -> None:
    """``kwali merge``: two copies of a project coded blind into a new project."""
    from kwali.app.merging import merge_projects

    mapping = {}
    for pair in _split(rename_coders):
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise click.BadParameter(
                _("{pair} is niet van de vorm OUD=NIEUW").format(pair=repr(pair)),
                param_hint="--rename-coders",
            )
        mapping[old.strip()] = new.strip()
    report = merge_projects(first, second, out, rename_coders=mapping)
    click.echo(
        _(
            "{path} gemaakt: {documents} ({both} in beide), {codes}, {codings} van {coders}, {memos}."
        ).format(
            path=report.path,
            documents=ngettext("{n} document", "{n} documenten", report.documents).format(
                n=report.documents
            ),
            both=report.documents_in_both,
            codes=ngettext("{n} code", "{n} codes", report.codes).format(n=report.codes),
            codings=ngettext("{n} codering", "{n} coderingen", report.codings).format(
                n=report.codings
            ),
            coders=", ".join(report.coders) or _("niemand"),
            memos=ngettext("{n} memo", "{n} memo's", report.memos).format(n=report.memos),
        )
    )
    for warning in report.warnings:
        click.echo(_("waarschuwing: {warning}").format(warning=warning), err=True)


COMMANDS = [agree, disagreements_, settle, merge]
