"""Coder agreement commands: agree, disagreements, settle, merge."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.decorators import FC

from kwali.cli.options import coder_option_with, file_option, project_option
from kwali.store import Project

if TYPE_CHECKING:
    from kwali.app.agreeing import AgreementReport

_UNITS = ("sentence", "turn", "answer", "char")
_HEADERS = {
    "percent": "agree%",
    "cohen_kappa": "cohen",
    "fleiss_kappa": "fleiss",
    "krippendorff_alpha": "alpha",
    "brennan_prediger": "bp",
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
                help="Coders to compare (default: everyone but 'consensus').",
            ),
            click.option(
                "--unit",
                type=click.Choice(_UNITS),
                default="sentence",
                show_default=True,
                help="What one unit is: a sentence, a speaker turn, a survey answer, or a character.",
            ),
            click.option(
                "--codes",
                multiple=True,
                metavar="CODE,...",
                help="Only these codes, by key, label or path (a category brings its codes, "
                "@GROUP a code group's); default: every code used.",
            ),
        ]
    ):
        f = option(f)
    return f


def _figure(name: str, value: float | None) -> str:
    if value is None:
        return ""
    if math.isnan(value):
        return "n/a"
    return f"{value * 100:.1f}" if name == "percent" else f"{value:.3f}"


def _table(report: AgreementReport) -> list[str]:
    names = report.statistics()
    headers = ["code", "units", *report.coders, *[_HEADERS[n] for n in names]]
    lines = report.table(_figure, "(all codes)")
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


@click.command()
@_scope
@click.option(
    "--domain",
    "domains",
    multiple=True,
    metavar="CATEGORY",
    help="A category (key, label or path) whose codes exclude each other: also compared "
    "as one variable.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@file_option(
    "-o", "--output", "out", help="Also write the report: .docx (with the disagreements) or .csv."
)
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def agree(
    project_path: Path,
    coders: str,
    unit: str,
    codes: tuple[str, ...],
    domains: tuple[str, ...],
    as_json: bool,
    out: Path | None,
    force: bool,
) -> None:
    """Agreement between coders per code and overall.

    \b
    Units: sentence, turn or answer (a survey answer; present/absent per code: percent
    agreement, Cohen's kappa for two coders, Fleiss' kappa, Krippendorff's alpha,
    Brennan-Prediger), or char
    (NVivo's percent agreement and kappa over all characters, ATLAS.ti's alpha-binary).
    Examples:
      kwali agree -p studie.kwali --coders anna,bram
      kwali agree -p studie.kwali --unit char --domain verplichting -o overeenstemming.docx
      kwali agree -p enquete.kwali --unit answer --codes waarom
    The project is opened read-only.
    """
    from kwali.app.agreeing import agreement_report
    from kwali.app.code_names import code_keys
    from kwali.app.settling import disagreements

    with Project.open(project_path, readonly=True) as project:
        chosen = list(code_keys(project, codes, option="--codes"))  # labels, @groups: keys
        picked = list(code_keys(project, domains, option="--domain", groups=False))
        report = agreement_report(project, _split(coders), unit, chosen, domains=picked)
        if out is not None:
            from kwali.export.agreement import write_agreement

            listed = (
                disagreements(project, report.coders, unit, chosen) if out.suffix == ".docx" else []
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
        click.echo(f"Wrote {out}", err=as_json)


@click.command(name="disagreements")
@_scope
@click.option("--open", "only_open", is_flag=True, help="Only units not yet settled.")
@click.option(
    "--limit", type=click.IntRange(min=0), default=0, help="Show at most this many (0: all)."
)
def disagreements_(
    project_path: Path, coders: str, unit: str, codes: tuple[str, ...], only_open: bool, limit: int
) -> None:
    """List every unit where the coders gave different codes, side by side.

    Example: kwali disagreements -p studie.kwali --coders anna,bram --open
    """
    from kwali.app.code_names import code_keys
    from kwali.app.settling import disagreements

    with Project.open(project_path, readonly=True) as project:
        chosen = list(code_keys(project, codes, option="--codes"))  # labels, @groups: keys
        listed = disagreements(project, _split(coders), unit, chosen)
    if only_open:
        listed = [d for d in listed if d.consensus is None]
    for item in listed[: limit or None]:
        sides = " | ".join(
            f"{coder}: {', '.join(item.named(codes)) or '-'}" for coder, codes in item.codes.items()
        )
        settled = (
            ""
            if item.consensus is None
            else f" | consensus: {', '.join(item.named(item.consensus)) or '-'}"
        )
        click.echo(f"{item.reference:<9} {sides}{settled}")
        click.echo(f"          {' '.join(item.text.split())}")
    click.echo(
        f"{len(listed)} units differ"
        + (f" (showing {limit})" if limit and limit < len(listed) else "")
    )


@click.command()
@project_option
@click.argument("unit_ref", metavar="UNIT")
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="CODE",
    help="A code the team agreed on: its key, label or path (repeat).",
)
@click.option(
    "--none", "no_code", is_flag=True, help="The team agreed the unit gets none of the codes."
)
@coder_option_with("Who settles (recorded with the consensus coding).")
def settle(
    project_path: Path, unit_ref: str, codes: tuple[str, ...], no_code: bool, coder: str
) -> None:
    """Settle a disagreement in the 'consensus' coder layer.

    UNIT is a reference such as 3:12.2 (document 3, turn 12, sentence 2), 3:12 (a turn) or
    "Q7 · 1023" (a survey answer: question and respondent, also Q7:1023); it gets exactly the
    codes given. The coders' own layers are not changed, and the
    settling is one undoable action of --coder.
    Example: kwali settle -p studie.kwali 3:12.2 --code dwang --coder anna
             kwali settle -p studie.kwali 3:12.2 --code "Gezin en combineren" --coder anna
    """
    from kwali.app.code_names import code_keys, label_of
    from kwali.app.settling import find_unit
    from kwali.app.settling import settle as run

    if not codes and not no_code:
        raise click.UsageError("name the agreed codes with --code, or pass --none")
    if codes and no_code:
        raise click.UsageError("--code and --none exclude each other")
    with Project.open(project_path) as project:
        chosen = code_keys(project, codes, option="--code", groups=False)
        segment = find_unit(project, unit_ref)
        result = run(project, segment, chosen, coder)
        codebook = project.codebook()

    def named(keys: tuple[str, ...]) -> str:
        return ", ".join(label_of(codebook, k) for k in keys)

    click.echo(
        f"Settled {unit_ref}: {named(chosen) or 'no code'}"
        + (f" (added {named(result.added)})" if result.added else "")
        + (f" (removed {named(result.removed)})" if result.removed else "")
    )


@click.command()
@click.argument("first", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("second", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@file_option("-o", "--output", "out", required=True, help="The merged project to create.")
@click.option(
    "--rename-coders",
    default="",
    metavar="OLD=NEW,...",
    help="Rename coders of SECOND, when a name in both projects has different codings.",
)
def merge(first: Path, second: Path, out: Path, rename_coders: str) -> None:
    """Merge two copies of a project coded blind into a new project.

    Documents are matched by their text; a document with the same name but another text
    is refused, and so is a coder name with different codings in both (unless renamed).
    Example: kwali merge anna.kwali bram.kwali -o samen.kwali
    """
    from kwali.app.merging import merge_projects

    mapping = {}
    for pair in _split(rename_coders):
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise click.BadParameter(f"{pair!r} is not OLD=NEW", param_hint="--rename-coders")
        mapping[old.strip()] = new.strip()
    report = merge_projects(first, second, out, rename_coders=mapping)
    click.echo(
        f"Created {report.path}: {report.documents} documents ({report.documents_in_both} in both), "
        f"{report.codes} codes, {report.codings} codings by {', '.join(report.coders) or 'nobody'}, "
        f"{report.memos} memos."
    )
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)


COMMANDS = [agree, disagreements_, settle, merge]
