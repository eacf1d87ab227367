"""Project commands: init, import, status, show."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kwali.app.wording import number
from kwali.cli.options import (
    ProjectLocation,
    described,
    newline_if_bar,
    progress,
    project_option,
)
from kwali.errors import InputError
from kwali.i18n import _, ngettext
from kwali.io.turns import format_timestamp
from kwali.store import Project

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kwali.app.finding import Skipped
    from kwali.app.importing import ImportResult
    from kwali.app.survey_import import SurveyImportResult


# Control characters a terminal would obey (ESC starts sequences that clear the screen, retitle
# the window or rewrite what was printed; BEL beeps): everything but newline and tab.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` safe to print: a control character becomes its visible picture (ESC → ␛, BEL →
    ␇, DEL → ␡) or, in the C1 range, ``\\x9b``: a transcript can't drive the terminal."""

    def picture(match: re.Match[str]) -> str:
        code = ord(match.group(0))
        if code < 0x20:
            return chr(0x2400 + code)
        return "\u2421" if code == 0x7F else f"\\x{code:02x}"

    return _CONTROL.sub(picture, text)


def _parse_attrs(values: tuple[str, ...]) -> dict[str, str]:
    attrs = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(
                _("{value} is niet van de vorm kenmerk=waarde").format(value=repr(value)),
                param_hint="--attr",
            )
        attrs[key.strip()] = val.strip()
    return attrs


@click.command(
    help=described(
        _(
            "Maak een nieuw, leeg projectbestand (alleen u kunt het lezen), of een teamproject "
            "in een lege PostgreSQL-database."
        ),
        "kwali init studie.kwali",
        "kwali init postgresql://anna@db.example.nl/studie",
    )
)
@click.argument("path", metavar=_("PAD"), type=ProjectLocation())
def init(path: Path) -> None:
    """``kwali init``: a new, empty project file."""
    with Project.create(path) as project:
        click.echo(
            _("{path} gemaakt (schema {schema}).").format(path=path, schema=project.schema_version)
        )


@click.command(
    name="import",
    help=described(
        _(
            "Importeer transcripten (.txt, .docx, .odt, .vtt, .srt) of REFI-QDA-bestanden "
            "(.qdpx, .qdc).\n\nIn een map wordt daarnaar gezocht, ook in de submappen; andere "
            "bestanden (een README, een CSV, een spreadsheet) worden overgeslagen met elk een "
            "regel, verborgen bestanden en mappen zonder melding. Sprekers, beurten en "
            "tijdcodes blijven bewaard; hetzelfde bestand nog eens importeren wordt aan de "
            "inhoud herkend en voegt niets toe (--attributes werkt de kenmerken wel bij). Een "
            "bestand dat mislukt, wordt gemeld en overgeslagen; de andere worden toch "
            "geïmporteerd. De codes van een .qdpx/.qdc worden samengevoegd met het codeboek "
            "zoals kwali codebook import dat doet: elke beslissing wordt getoond.\n\nEen "
            "enquête (--survey) wordt gelezen met haar SPSS-labels; lege antwoorden en "
            '"weet niet" worden apart geteld. Hetzelfde bestand nog eens verandert niets; een '
            "nieuwere versie van de enquête voegt haar nieuwe respondenten toe en werkt hun "
            "kenmerken bij, zonder een codering te raken."
        ),
        "kwali import -p studie.kwali transcripts/ --attributes kenmerken.csv",
        "kwali import -p studie.kwali enquete.sav --survey --id respnr --text Q7,Q9 \\",
        "    --attributes aanpak,geslacht,leeftijd",
    ),
)
@project_option
@click.argument(
    "files", metavar=_("BESTANDEN..."), nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--attr",
    "attrs",
    multiple=True,
    metavar=_("KENMERK=WAARDE"),
    help=_("Een kenmerk voor elk geïmporteerd document, bijv. --attr rol=werkzoekende."),
)
@click.option(
    "--attributes",
    "attribute_file",
    metavar=_("BESTAND|KOLOMMEN"),
    help=_(
        "Een CSV met een kolom 'file' en een kolom per kenmerk; geldt ook voor bestanden die "
        "al in het project staan. Met --survey: de kolommen van de gesloten vragen (bijv. "
        "aanpak,geslacht) die kenmerken van de respondenten worden."
    ),
)
@click.option(
    "--encoding",
    help=_("De tekencodering van .txt-bestanden, als kwali die niet herkent (bijv. cp1252)."),
)
@click.option(
    "--model",
    help=_("Een getrainde spaCy-pipeline om mee te segmenteren (bijv. nl_core_news_sm)."),
)
@click.option("--create", is_flag=True, help=_("Maak het project als het nog niet bestaat."))
@click.option(
    "--dry-run",
    is_flag=True,
    help=_(
        "Toon wat geïmporteerd en overgeslagen zou worden (bij een .qdpx/.qdc: per bron wat "
        "binnenkomt en wat wegblijft, en hoe het codeboek wordt samengevoegd); verander niets."
    ),
)
@click.option(
    "--theirs",
    is_flag=True,
    help=_(
        "De codes van een .qdpx/.qdc: neem de versie van het bestand waar het project een code "
        "wijzigde, en zet codes terug die in het project verwijderd zijn (zoals kwali codebook "
        "import --theirs)."
    ),
)
@click.option(
    "--survey",
    is_flag=True,
    help=_(
        "Het bestand is een enquête (.csv, .xlsx, .sav): elke respondent wordt een case, elke "
        "open vraag (--text) een document met antwoorden; vraagt --id en --text."
    ),
)
@click.option(
    "--id",
    "id_column",
    metavar=_("KOLOM"),
    help=_("Met --survey: de kolom met de respondentnummers."),
)
@click.option(
    "--text",
    "text_columns",
    metavar=_("KOLOMMEN"),
    help=_("Met --survey: de kolommen van de open vragen, bijv. Q7,Q9."),
)
@click.option(
    "--all-other-columns",
    is_flag=True,
    help=_("Met --survey: elke kolom behalve het id en de open vragen is een kenmerk."),
)
@click.option(
    "--survey-name",
    metavar=_("NAAM"),
    help=_(
        "Met --survey: de naam van de enquête (standaard: de bestandsnaam zonder extensie); "
        "een nieuwer bestand van dezelfde enquête werkt haar bij."
    ),
)
def import_(
    project_path: Path,
    files: tuple[Path, ...],
    attrs: tuple[str, ...],
    attribute_file: str | None,
    encoding: str | None,
    model: str | None,
    create: bool,
    dry_run: bool,
    theirs: bool,
    survey: bool,
    id_column: str | None,
    text_columns: str | None,
    all_other_columns: bool,
    survey_name: str | None,
) -> None:
    """``kwali import``: transcripts, REFI-QDA files or a survey into the project."""
    from kwali.app.finding import find_transcripts

    if survey:
        _import_survey(
            project_path,
            files,
            id_column,
            text_columns,
            attribute_file,
            all_other_columns,
            survey_name,
            encoding=encoding,
            model=model,
            create=create,
            dry_run=dry_run,
        )
        return
    survey_only = {
        "--id": id_column,
        "--text": text_columns,
        "--all-other-columns": all_other_columns,
        "--survey-name": survey_name,
    }
    used = [name for name, value in survey_only.items() if value]
    if used:
        raise click.UsageError(
            ngettext(
                "{options} hoort bij --survey", "{options} horen bij --survey", len(used)
            ).format(options=", ".join(used))
        )
    attributes = _parse_attrs(attrs)
    finding = find_transcripts(files)
    paths = list(finding.files)
    table = _read_table(Path(attribute_file), paths) if attribute_file else None
    failed = 0  # files a dry run finds it cannot import
    if dry_run:
        failed = _dry_run(project_path, paths, finding.skipped, theirs)
    else:
        for skipped in finding.skipped:
            click.echo(visible(skipped.line()))
    for error in finding.errors:  # a folder without transcripts: said, and the rest goes on
        click.echo(visible(_("kwali: fout: {error}").format(error=error)), err=True)
    if not paths and not dry_run:
        click.echo(
            _("Geen transcripten om te importeren; {path} is niet gewijzigd.").format(
                path=project_path
            )
        )
    elif not dry_run:
        _import_paths(project_path, paths, attributes, table, encoding, model, create, theirs)
    if finding.errors or failed:
        raise click.exceptions.Exit(1)


def _dry_run(
    project_path: Path, paths: list[Path], skipped: Sequence[Skipped], theirs: bool
) -> int:
    """Print what the import would do; returns how many files it would fail on."""
    from kwali.app.exchange_dry_run import preview_files

    count = ngettext("{n} bestand", "{n} bestanden", len(paths)).format(n=len(paths))
    click.echo(_("Zou {count} importeren in {path}:").format(count=count, path=project_path))
    for path in paths:
        click.echo(visible(f"  {path}"))
    for skip in skipped:
        click.echo(visible(skip.line()))
    failed = 0
    for _path, report, error in preview_files(project_path, paths, theirs=theirs):
        if report is None:
            failed += 1
            click.echo(visible(_("kwali: fout: {error}").format(error=error)), err=True)
            continue
        click.echo(visible("\n".join(report.lines())))
        for warning in report.warnings:
            click.echo(
                visible(_("kwali: waarschuwing: {warning}").format(warning=warning)), err=True
            )
    click.echo(_("Niets veranderd (--dry-run)."))
    return failed


def _read_table(attribute_file: Path, paths: list[Path]) -> dict[str, dict[str, str]]:
    """The attribute table, after one warning line for each file name it has that no file in
    this import has (a table that cannot be read is an error, before anything is done)."""
    from kwali.app.importing import read_attribute_table, unknown_in_table

    table = read_attribute_table(attribute_file)
    for name in unknown_in_table(table, paths):
        click.echo(
            visible(
                _("kwali: waarschuwing: {warning}").format(
                    warning=_(
                        "{path}: geen bestand met de naam {name} in deze import; de kenmerken "
                        "worden niet toegepast"
                    ).format(path=attribute_file, name=repr(name))
                )
            ),
            err=True,
        )
    return table


def _import_paths(
    project_path: Path,
    paths: list[Path],
    attributes: dict[str, str],
    table: dict[str, dict[str, str]] | None,
    encoding: str | None,
    model: str | None,
    create: bool,
    theirs: bool = False,
) -> None:
    from kwali.app.importing import import_files  # loads spaCy only when a text needs it

    project = (
        Project.create(project_path)
        if create and not project_path.exists()
        else Project.open(project_path)
    )
    failures = 0
    with project, progress(len(paths), _("Importeren")) as bar:

        def report(result: ImportResult) -> None:
            nonlocal failures
            bar.update(1)
            if not result.ok:
                failures += 1
                click.echo(
                    newline_if_bar() + _("kwali: fout: {error}").format(error=result.error),
                    err=True,
                )
            elif result.report is not None:  # a REFI-QDA .qdpx/.qdc: counts, then every warning
                click.echo(newline_if_bar() + "\n".join(result.report.lines()))
                for warning in result.warnings:
                    click.echo(
                        _("kwali: waarschuwing: {warning}").format(warning=warning), err=True
                    )
            elif result.attributes_updated and result.document is not None:
                click.echo(
                    newline_if_bar()
                    + _(
                        "kenmerken bijgewerkt voor {file} (document {number}, {name}): {keys}"
                    ).format(
                        file=result.path.name,
                        number=result.document.number,
                        name=result.document.name,
                        keys=", ".join(result.attributes_updated),
                    )
                )
            elif not result.created and result.document is not None:
                click.echo(
                    newline_if_bar()
                    + _(
                        "{file}: staat al in het project als document {number} ({name}); "
                        "overgeslagen"
                    ).format(
                        file=result.path.name,
                        number=result.document.number,
                        name=result.document.name,
                    ),
                    err=True,
                )

        results = import_files(
            project,
            paths,
            attributes=attributes,
            attribute_table=table,
            encoding=encoding,
            model=model,
            progress=report,
            theirs=theirs,
        )
        created = [r.document for r in results if r.created and r.document is not None]
        for d in created:
            turns = len(project.turns(d.id))
            enc = f", {d.encoding}" if d.encoding else ""
            characters = ngettext("{n} teken", "{n} tekens", len(d.text)).format(
                n=number(len(d.text))
            )
            turn_count = ngettext("{n} beurt", "{n} beurten", turns).format(n=turns)
            click.echo(f"  {d.number:>3}  {d.name}  ({d.format}{enc}, {characters}, {turn_count})")
    exchanged = [r for r in results if r.ok and r.report is not None]
    click.echo(
        ngettext(
            "{done} van {n} bestand geïmporteerd in {path}.",
            "{done} van {n} bestanden geïmporteerd in {path}.",
            len(paths),
        ).format(done=len(created) + len(exchanged), n=len(paths), path=project_path)
    )
    if failures:
        raise click.exceptions.Exit(1)


def _import_survey(
    project_path: Path,
    files: tuple[Path, ...],
    id_column: str | None,
    text_columns: str | None,
    attribute_columns: str | None,
    all_other_columns: bool,
    survey_name: str | None,
    *,
    encoding: str | None,
    model: str | None,
    create: bool,
    dry_run: bool,
) -> None:
    """``kwali import --survey``: one survey file, then its summary."""
    from kwali.app.survey_import import import_survey

    if len(files) != 1:
        raise click.UsageError(_("--survey importeert één enquêtebestand tegelijk"))
    if dry_run:
        raise click.UsageError(_("--dry-run gaat niet samen met --survey"))
    if not id_column or not text_columns:
        raise click.UsageError(_("--survey vraagt --id KOLOM en --text KOLOMMEN"))
    if attribute_columns and all_other_columns:
        raise InputError(
            _("--attributes en --all-other-columns gaan niet samen; kies er een"), path=files[0]
        )
    project = (
        Project.create(project_path)
        if create and not project_path.exists()
        else Project.open(project_path)
    )
    with project:
        result = import_survey(
            project,
            files[0],
            id_column=id_column,
            questions=[text_columns],
            attributes=[attribute_columns] if attribute_columns else None,
            all_other_columns=all_other_columns,
            survey_name=survey_name,
            encoding=encoding,
            model=model,
        )
    for line in survey_lines(result):
        click.echo(visible(line))
    for warning in result.warnings:
        click.echo(
            visible(_("kwali: waarschuwing: {warning}").format(warning=f"{files[0]}: {warning}")),
            err=True,
        )


def survey_lines(result: SurveyImportResult) -> list[str]:
    """The summary of a survey import: per question its counts, the cases, the attributes."""
    survey = result.survey
    if result.unchanged:
        return [
            _("{file}: al geïmporteerd als enquête {name}; er is niets veranderd.").format(
                file=result.path.name, name=repr(survey.name)
            )
        ]
    head = (
        _("Enquête {name} geïmporteerd uit {file}: {respondents} (id-kolom {column})")
        if result.created
        else _("Enquête {name} bijgewerkt uit {file}: {respondents} (id-kolom {column})")
    )
    lines = [
        head.format(
            name=repr(survey.name),
            file=result.path.name,
            respondents=ngettext("{n} respondent", "{n} respondenten", result.respondents).format(
                n=result.respondents
            ),
            column=survey.id_column,
        )
    ]
    width = max((len(q.name) for q in result.questions), default=0)
    for q in result.questions:
        where = (
            _("document {number}").format(number=q.document.number)
            if q.document is not None
            else _("geen document")
        )
        added = "" if result.created else ", " + _("{n} nieuw").format(n=q.added)
        label = "  " + q.label if q.label else ""
        counts = question_counts(q.answered, q.empty, q.weet_niet)
        lines.append(f"  {q.name:<{width}}  {counts}  ({where}{added}){label}")
    lines.append(
        "  "
        + _("cases gemaakt {made}, bijgewerkt {updated}").format(
            made=result.cases_made, updated=result.cases_updated
        )
    )
    if result.attribute_types:
        typed = ", ".join(f"{k} ({t})" for k, t in result.attribute_types.items())
        lines.append("  " + _("kenmerken: {typed}").format(typed=typed))
    return lines


def question_counts(answered: int, empty: int, weet_niet: int) -> str:
    """One question's counts, in columns: answered, empty and "weet niet"."""
    return _("beantwoord {answered:>5}  leeg {empty:>5}  weet niet {weet_niet:>5}").format(
        answered=answered, empty=empty, weet_niet=weet_niet
    )


@click.command(
    help=described(
        _("Toon wat een project bevat: documenten, segmenten, codes en coderingen per codeur."),
        "kwali status -p studie.kwali",
    )
)
@project_option
def status(project_path: Path) -> None:
    """``kwali status``: what a project holds."""
    with Project.open(project_path, readonly=True) as project:
        counts = project.counts()
        click.echo(
            _("Project {path} (schema {schema})").format(
                path=project_path, schema=project.schema_version
            )
        )
        rows = [
            (_("documenten"), counts["documents"]),
            (_("beurten"), counts["turns"]),
            (_("zinnen"), counts["sentences"]),
            (_("tekens"), counts["characters"]),
            (_("codes"), counts["codes"]),
            (_("suggesties"), counts["suggestions"]),
        ]
        name_w = max(len(name) for name, _n in rows)
        for name, n in rows:
            click.echo(f"  {name:<{name_w}}  {number(n):>8}")
        coders = project.coder_counts()
        click.echo(
            "  " + (_("coderingen per codeur:") if coders else _("coderingen per codeur: nog geen"))
        )
        for coder, n in coders.items():
            click.echo(visible(f"    {coder:<20} {number(n):>6}"))
        if counts["documents"]:
            click.echo("")
            for d in project.document_summaries():
                attrs = ", ".join(f"{k}={v}" for k, v in d.attributes.items())
                sizes = _("{turns:>4} beurten {sentences:>5} zinnen").format(
                    turns=d.turns, sentences=d.segments
                )
                click.echo(visible(f"  {d.number:>3}  {d.name:<40} {sizes}  {attrs}"))


@click.command(
    help=described(
        _(
            "Toon de beurten van een document met hun verwijzingen (document:beurt, regel)."
            "\n\nDOCUMENT is het nummer, de naam of de bestandsnaam van het document."
        ),
        "kwali show -p studie.kwali 3",
    )
)
@project_option
@click.argument("document", metavar=_("DOCUMENT"))
@click.option("--sentences", is_flag=True, help=_("Toon elke zin met een eigen verwijzing."))
@click.option(
    "--width",
    default=100,
    show_default=True,
    metavar=_("BREEDTE"),
    help=_("Breek de tekst af op deze breedte."),
)
def show(project_path: Path, document: str, sentences: bool, width: int) -> None:
    """``kwali show``: a document's turns with their references."""
    with Project.open(project_path, readonly=True) as project:
        doc = project.document(int(document) if document.isdigit() else document)
        if doc is None:
            doc = project.document(document)
        if doc is None:
            raise InputError(
                _("heeft geen document {document}").format(document=repr(document)),
                path=project_path,
            )
        attrs = ", ".join(f"{k}={v}" for k, v in doc.attributes.items())
        head_line = (
            _("Document {number}: {name} ({source})").format(
                number=doc.number, name=doc.name, source=doc.source_name
            )
            + f" {attrs}"
        ).rstrip()
        click.echo(visible(head_line))
        kind = None if sentences else "turn"
        segments = project.segments(doc.id, kind=kind)
        speaker_width = min(24, max((len(s.speaker or "") for s in segments), default=0))
        for segment in segments:
            if segment.kind == "turn" and sentences:
                click.echo("")
                continue
            ref = segment.reference(doc.number)
            stamp = format_timestamp(segment.timestamp)
            line_no = _("r.{line}").format(line=segment.line)
            head = f"{ref:>8}  {line_no:<7} {stamp:>8}  {(segment.speaker or '')[:24]:>{speaker_width}}  "
            head = visible(head)
            text = visible(" ".join(segment.text.split()))
            body = textwrap.fill(text, width=max(30, width - len(head)))
            lines = body.splitlines() or [""]
            click.echo(head + lines[0])
            for line in lines[1:]:
                click.echo(" " * len(head) + line)


COMMANDS = [init, import_, status, show]
