"""``@group`` wherever codes are named (exports' and agreement's ``--codes``): a code group
stands for its codes, so a group made in ATLAS.ti or MAXQDA selects the same codes here."""

from __future__ import annotations

from collections.abc import Iterable

from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.store import Project

GROUP_MARK = "@"


def expand_code_groups(project: Project, names: Iterable[str]) -> tuple[str, ...]:
    """``names`` with every ``@group`` replaced by its codes (in the group's order); other
    names are kept as given. An unknown or empty group is refused in one line."""
    out: list[str] = []
    groups = None
    for name in names:
        if not name.startswith(GROUP_MARK):
            out.append(name)
            continue
        if groups is None:
            groups = {g.name: g for g in project.groups("code")}
        wanted = name[len(GROUP_MARK) :].strip()
        group = groups.get(wanted) or next(
            (g for g in groups.values() if g.name.casefold() == wanted.casefold()), None
        )
        if group is None:
            known = ", ".join(f"@{n}" for n in sorted(groups)) or _("geen")
            raise ProjectError(
                _("heeft geen codegroep {name!r}").format(name=wanted),
                path=project.location,
                hint=_("codegroepen: {known}").format(known=known),
            )
        if not group.members:
            raise ProjectError(
                _("codegroep {name!r} heeft geen codes").format(name=group.name),
                path=project.location,
            )
        out += [str(key) for key in group.members]
    return tuple(dict.fromkeys(out))
