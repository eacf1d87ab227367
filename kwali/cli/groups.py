"""``kwali groups``: the document groups, code groups and links a project holds (they come
from REFI-QDA Sets and Links; ``--code @GROUP`` uses a code group in exports and agreement)."""

from __future__ import annotations

from pathlib import Path

import click

from kwali.cli.options import described, project_option
from kwali.cli.project import visible
from kwali.i18n import _
from kwali.store import Project

_ARROWS = {"OneWay": "→", "Bidirectional": "↔", "Associative": "—"}


@click.command(
    name="groups",
    help=described(
        _(
            "Toon de documentgroepen, de codegroepen (met hun leden) en de koppelingen "
            "tussen citaten."
        ),
        "kwali groups -p studie.kwali",
        after=_("Het project wordt alleen-lezen geopend."),
    ),
)
@project_option
@click.option("--links", "only_links", is_flag=True, help=_("Alleen de koppelingen."))
def groups(project_path: Path, only_links: bool) -> None:
    """``kwali groups``: list the groups and links."""
    from kwali.app.groups_listing import group_lines, link_lines

    with Project.open(project_path, readonly=True) as project:
        found = [] if only_links else group_lines(project)
        links = link_lines(project)
    kinds = () if only_links else (("document", _("Documentgroepen")), ("code", _("Codegroepen")))
    for kind, title in kinds:
        shown = [g for g in found if g.kind == kind]
        click.echo(f"{title}: {len(shown)}")
        for group in shown:
            about = f" — {group.description}" if group.description else ""
            click.echo(visible(f"  {group.name} ({len(group.members)}){about}"))
            for member in group.members:
                click.echo(visible(f"    {member}"))
    click.echo(_("Koppelingen: {n}").format(n=len(links)))
    for link in links:
        arrow = _ARROWS.get(link.direction, "—")
        name = f" [{link.name}]" if link.name else ""
        click.echo(visible(f"  {link.origin} {arrow} {link.target}{name}"))


COMMANDS = [groups]
