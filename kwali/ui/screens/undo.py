"""`u` and ctrl+r: undo and redo the coder's latest action, whatever screen it was made on."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual.binding import Binding

from kwali.app.history import reverted_text
from kwali.errors import KwaliError
from kwali.i18n import _
from kwali.store import Project
from kwali.ui.problems import problem_text


def history_bindings(screen_id: str) -> list[Binding]:
    """The same keys and words on every screen that can undo; the screen defines
    ``action_undo`` and ``action_redo``."""
    return [
        Binding("u", "undo", _("Ongedaan"), id=f"{screen_id}.undo"),
        Binding("ctrl+r", "redo", _("Opnieuw"), id=f"{screen_id}.redo"),
    ]


def step_back(
    project: Project,
    coder: str,
    notify: Callable[..., object],
    *,
    redo: bool,
    labels: Mapping[str, str] | None = None,
) -> str | None:
    """Undo (or redo) ``coder``'s latest action; the words for what was done ("Ongedaan
    gemaakt: …"), or None when there was nothing to do or it failed (``notify`` said so).
    Codes are named by ``labels`` from before the step too, so a code it removed keeps its
    label."""
    before = dict(labels) if labels is not None else project.codebook().labels()
    try:
        record = project.redo(coder) if redo else project.undo(coder)
    except KwaliError as exc:
        notify(problem_text(exc), title=_("Niet gelukt"), severity="error")
        return None
    if record is None:
        notify(
            _("Niets om opnieuw te doen") if redo else _("Niets om ongedaan te maken"), timeout=2
        )
        return None
    done = _("Opnieuw gedaan") if redo else _("Ongedaan gemaakt")
    return f"{done}: {reverted_text(record, before | project.codebook().labels())}"
