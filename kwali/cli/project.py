"""Project commands: init, import, status, show."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kwali.cli.options import newline_if_bar, progress, project_option
from kwali.errors import InputError
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
            raise click.BadParameter(f"{value!r} is not key=value", param_hint="--attr")
        attrs[key.strip()] = val.strip()
    return attrs


@click.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
def init(path: Path) -> None:
    """Create a new, empty project file (readable by you only).

    Example: kwali init studie.kwali
    """
    with Project.create(path) as project:
        click.echo(f"Created {path} (schema {project.schema_version}).")


@click.command(name="import")
@project_option
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--attr",
    "attrs",
    multiple=True,
    metavar="KEY=VALUE",
    help="An attribute for every imported document, e.g. --attr rol=werkzoekende.",
)
@click.option(
    "--attributes",
    "attribute_file",
    metavar="FILE|COLUMNS",
    help="A CSV with a 'file' column and one column per attribute; also applied to files "
    "already in the project. With --survey: the closed questions' columns (e.g. "
    "aanpak,geslacht) that become the respondents' attributes.",
)
@click.option(
    "--encoding", help="Text encoding of .txt files, when kwali cannot tell (e.g. cp1252)."
)
@click.option("--model", help="A trained spaCy pipeline to segment with (e.g. nl_core_news_sm).")
@click.option("--create", is_flag=True, help="Create the project if it does not exist.")
@click.option(
    "--dry-run",
    is_flag=True,
    help="List what would be imported and skipped (for a .qdpx/.qdc: per source what comes "
    "in and what is left out, and the codebook merge); change nothing.",
)
@click.option(
    "--theirs",
    is_flag=True,
    help="A .qdpx/.qdc's codes: take the file's version where the project edited a code, "
    "and add back codes deleted in the project (as kwali codebook import --theirs).",
)
@click.option(
    "--survey",
    is_flag=True,
    help="FILE is a survey (.csv, .xlsx, .sav): each respondent becomes a case, each open "
    "question (--text) a document of answers; needs --id and --text.",
)
@click.option("--id", "id_column", metavar="COLUMN", help="With --survey: the respondent id.")
@click.option(
    "--text",
    "text_columns",
    metavar="COLUMNS",
    help="With --survey: the open questions' columns, e.g. Q7,Q9.",
)
@click.option(
    "--all-other-columns",
    is_flag=True,
    help="With --survey: every column but the id and the open questions is an attribute.",
)
@click.option(
    "--survey-name",
    metavar="NAME",
    help="With --survey: the survey's name (default: the file name without its suffix); a "
    "newer file of the same survey updates it.",
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
    """Import transcripts (.txt, .docx, .odt, .vtt, .srt) or REFI-QDA files (.qdpx, .qdc).

    A folder is searched recursively for those; other files (a README, a CSV, a spreadsheet)
    are skipped with a line each, hidden files and folders silently. Speakers, turns and
    timestamps are kept; the same file imported twice is recognised by its content and not
    added again (--attributes still updates its attributes). A file that fails is reported
    and skipped; the others are still imported. A .qdpx/.qdc's codes are merged into the
    codebook as kwali codebook import does: every decision is printed.

    A survey (--survey) is read with its SPSS labels; empty and "weet niet" answers are
    counted apart. The same file again changes nothing; a newer version of the survey adds
    its new respondents and updates their attributes without touching a coding.

    \b
    Example: kwali import -p studie.kwali transcripts/ --attributes kenmerken.csv
             kwali import -p studie.kwali enquete.sav --survey --id respnr --text Q7,Q9 \\
                 --attributes aanpak,geslacht,leeftijd
    """
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
        raise click.UsageError(f"{', '.join(used)} only go with --survey")
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
        click.echo(visible(f"kwali: error: {error}"), err=True)
    if not paths and not dry_run:
        click.echo(f"No transcripts to import; {project_path} not changed.")
    elif not dry_run:
        _import_paths(project_path, paths, attributes, table, encoding, model, create, theirs)
    if finding.errors or failed:
        raise click.exceptions.Exit(1)


def _dry_run(
    project_path: Path, paths: list[Path], skipped: Sequence[Skipped], theirs: bool
) -> int:
    """Print what the import would do; returns how many files it would fail on."""
    from kwali.app.exchange_dry_run import preview_files

    count = f"{len(paths)} file" + ("" if len(paths) == 1 else "s")
    click.echo(f"Would import {count} into {project_path}:")
    for path in paths:
        click.echo(visible(f"  {path}"))
    for skip in skipped:
        click.echo(visible(skip.line()))
    failed = 0
    for _path, report, error in preview_files(project_path, paths, theirs=theirs):
        if report is None:
            failed += 1
            click.echo(visible(f"kwali: error: {error}"), err=True)
            continue
        click.echo(visible("\n".join(report.lines())))
        for warning in report.warnings:
            click.echo(visible(f"kwali: warning: {warning}"), err=True)
    click.echo("Nothing changed (--dry-run).")
    return failed


def _read_table(attribute_file: Path, paths: list[Path]) -> dict[str, dict[str, str]]:
    """The attribute table, after one warning line for each file name it has that no file in
    this import has (a table that cannot be read is an error, before anything is done)."""
    from kwali.app.importing import read_attribute_table, unknown_in_table

    table = read_attribute_table(attribute_file)
    for name in unknown_in_table(table, paths):
        click.echo(
            visible(
                f"kwali: warning: {attribute_file}: no file named {name!r} in this import; "
                "its attributes are not applied"
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
    with project, progress(len(paths), "Importing") as bar:

        def report(result: ImportResult) -> None:
            nonlocal failures
            bar.update(1)
            if not result.ok:
                failures += 1
                click.echo(f"{newline_if_bar()}kwali: error: {result.error}", err=True)
            elif result.report is not None:  # a REFI-QDA .qdpx/.qdc: counts, then every warning
                click.echo(newline_if_bar() + "\n".join(result.report.lines()))
                for warning in result.warnings:
                    click.echo(f"kwali: warning: {warning}", err=True)
            elif result.attributes_updated and result.document is not None:
                click.echo(
                    f"{newline_if_bar()}attributes updated for {result.path.name} (document "
                    f"{result.document.number}, {result.document.name}): "
                    + ", ".join(result.attributes_updated)
                )
            elif not result.created and result.document is not None:
                click.echo(
                    f"{newline_if_bar()}{result.path.name}: already in the project as document "
                    f"{result.document.number} ({result.document.name}); skipped",
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
            click.echo(
                f"  {d.number:>3}  {d.name}  ({d.format}{enc}, {len(d.text):,} characters, {turns} turns)"
            )
    exchanged = [r for r in results if r.ok and r.report is not None]
    click.echo(
        f"Imported {len(created) + len(exchanged)} of {len(paths)} files into {project_path}."
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
        raise click.UsageError("--survey imports one survey file at a time")
    if dry_run:
        raise click.UsageError("--dry-run does not go with --survey")
    if not id_column or not text_columns:
        raise click.UsageError("--survey needs --id COLUMN and --text COLUMNS")
    if attribute_columns and all_other_columns:
        raise InputError(
            "--attributes and --all-other-columns do not go together; choose one", path=files[0]
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
        click.echo(visible(f"kwali: warning: {files[0]}: {warning}"), err=True)


def survey_lines(result: SurveyImportResult) -> list[str]:
    """The summary of a survey import: per question its counts, the cases, the attributes."""
    survey = result.survey
    if result.unchanged:
        return [f"{result.path.name}: already imported as survey {survey.name!r}; nothing changed."]
    verb = "Imported" if result.created else "Updated"
    lines = [
        f"{verb} survey {survey.name!r} from {result.path.name}: {result.respondents} "
        f"respondents (id column {survey.id_column})"
    ]
    width = max((len(q.name) for q in result.questions), default=0)
    for q in result.questions:
        where = f"document {q.document.number}" if q.document is not None else "no document"
        added = "" if result.created else f", {q.added} new"
        lines.append(
            f"  {q.name:<{width}}  answered {q.answered:>5}  empty {q.empty:>5}  "
            f"weet niet {q.weet_niet:>5}  ({where}{added}){'  ' + q.label if q.label else ''}"
        )
    lines.append(f"  cases made {result.cases_made}, updated {result.cases_updated}")
    if result.attribute_types:
        typed = ", ".join(f"{k} ({t})" for k, t in result.attribute_types.items())
        lines.append(f"  attributes: {typed}")
    return lines


@click.command()
@project_option
def status(project_path: Path) -> None:
    """Show what a project holds: documents, segments, codes and codings per coder.

    Example: kwali status -p studie.kwali
    """
    with Project.open(project_path, readonly=True) as project:
        counts = project.counts()
        click.echo(f"Project {project_path} (schema {project.schema_version})")
        click.echo(f"  documents    {counts['documents']:>8,}")
        click.echo(f"  turns        {counts['turns']:>8,}")
        click.echo(f"  sentences    {counts['sentences']:>8,}")
        click.echo(f"  characters   {counts['characters']:>8,}")
        click.echo(f"  codes        {counts['codes']:>8,}")
        click.echo(f"  suggestions  {counts['suggestions']:>8,}")
        coders = project.coder_counts()
        click.echo("  codings per coder:" + ("" if coders else " none yet"))
        for coder, n in coders.items():
            click.echo(visible(f"    {coder:<20} {n:>6,}"))
        if counts["documents"]:
            click.echo("")
            for d in project.document_summaries():
                attrs = ", ".join(f"{k}={v}" for k, v in d.attributes.items())
                click.echo(
                    visible(
                        f"  {d.number:>3}  {d.name:<40} {d.turns:>4} turns {d.segments:>5} sentences  {attrs}"
                    )
                )


@click.command()
@project_option
@click.argument("document")
@click.option("--sentences", is_flag=True, help="List every sentence with its own reference.")
@click.option("--width", default=100, show_default=True, help="Wrap text at this width.")
def show(project_path: Path, document: str, sentences: bool, width: int) -> None:
    """Print a document's turns with their references (document:turn, line).

    DOCUMENT is the document's number, name or file name.

    Example: kwali show -p studie.kwali 3
    """
    with Project.open(project_path, readonly=True) as project:
        doc = project.document(int(document) if document.isdigit() else document)
        if doc is None:
            doc = project.document(document)
        if doc is None:
            raise InputError(f"has no document {document!r}", path=project_path)
        attrs = ", ".join(f"{k}={v}" for k, v in doc.attributes.items())
        head_line = f"Document {doc.number}: {doc.name} ({doc.source_name}) {attrs}".rstrip()
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
            head = f"{ref:>8}  r.{segment.line:<5} {stamp:>8}  {(segment.speaker or '')[:24]:>{speaker_width}}  "
            head = visible(head)
            text = visible(" ".join(segment.text.split()))
            body = textwrap.fill(text, width=max(30, width - len(head)))
            lines = body.splitlines() or [""]
            click.echo(head + lines[0])
            for line in lines[1:]:
                click.echo(" " * len(head) + line)


COMMANDS = [init, import_, status, show]
