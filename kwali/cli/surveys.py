"""``kwali survey``: the surveys a project holds (``list``); ``kwali survey table`` is added
by kwali.cli.survey_tables."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import project_option
from kwali.cli.project import visible
from kwali.store import Project


@click.group(name="survey")
def survey() -> None:
    """Surveys: their open questions and answers (import one with kwali import --survey)."""


@survey.command(name="list")
@project_option
def list_surveys(project_path: Path) -> None:
    """List each survey, its open questions and per question how many respondents answered,
    left it empty or said "weet niet".

    Example: kwali survey list -p studie.kwali

    The project is opened read-only.
    """
    with Project.open(project_path, readonly=True) as project:
        surveys = project.surveys()
        if not surveys:
            click.echo(f"No surveys in {project_path} (import one with kwali import --survey).")
            return
        for found in surveys:
            first = found.questions[0].name if found.questions else None
            respondents = (
                sum(project.survey_status_counts(found.id, first).values()) if first else 0
            )
            click.echo(
                visible(
                    f"{found.name}  ({found.source_name}, id column {found.id_column}, "
                    f"{respondents} respondents, imported {found.imported_at[:10]})"
                )
            )
            width = max((len(q.name) for q in found.questions), default=0)
            for question in found.questions:
                counts = project.survey_status_counts(found.id, question.name)
                document = (
                    project.document(question.document_id)
                    if question.document_id is not None
                    else None
                )
                where = f"document {document.number}" if document is not None else "no document"
                label = f"  {question.label}" if question.label else ""
                click.echo(
                    visible(
                        f"  {question.name:<{width}}  answered {counts['answered']:>5}  "
                        f"empty {counts['empty']:>5}  weet niet {counts['weet_niet']:>5}  "
                        f"({where}){label}"
                    )
                )


COMMANDS = [survey]
