"""``kwali survey``: the surveys a project holds (``list``); ``kwali survey table`` is added
by kwali.cli.survey_tables."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import described, project_option
from kwali.cli.project import question_counts, visible
from kwali.i18n import _, ngettext
from kwali.store import Project


@click.group(
    name="survey",
    help=_("Enquêtes: hun open vragen en antwoorden (importeer er een met kwali import --survey)."),
)
def survey() -> None:
    """``kwali survey``: the group of survey commands."""


@survey.command(
    name="list",
    help=described(
        _(
            "Toon elke enquête, haar open vragen en per vraag hoeveel respondenten die "
            'beantwoordden, leeg lieten of "weet niet" zeiden.'
        ),
        "kwali survey list -p studie.kwali",
        after=_("Het project wordt alleen-lezen geopend."),
    ),
)
@project_option
def list_surveys(project_path: Path) -> None:
    """``kwali survey list``: each survey with its questions' counts."""
    with Project.open(project_path, readonly=True) as project:
        surveys = project.surveys()
        if not surveys:
            click.echo(
                _("Geen enquêtes in {path} (importeer er een met kwali import --survey).").format(
                    path=project_path
                )
            )
            return
        for found in surveys:
            first = found.questions[0].name if found.questions else None
            respondents = (
                sum(project.survey_status_counts(found.id, first).values()) if first else 0
            )
            click.echo(
                visible(
                    _(
                        "{name}  ({source}, id-kolom {column}, {respondents}, geïmporteerd {date})"
                    ).format(
                        name=found.name,
                        source=found.source_name,
                        column=found.id_column,
                        respondents=ngettext(
                            "{n} respondent", "{n} respondenten", respondents
                        ).format(n=respondents),
                        date=found.imported_at[:10],
                    )
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
                where = (
                    _("document {number}").format(number=document.number)
                    if document is not None
                    else _("geen document")
                )
                label = f"  {question.label}" if question.label else ""
                click.echo(
                    visible(
                        f"  {question.name:<{width}}  "
                        + question_counts(counts["answered"], counts["empty"], counts["weet_niet"])
                        + f"  ({where}){label}"
                    )
                )


COMMANDS = [survey]
