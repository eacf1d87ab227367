"""`l` on the documents and coding screens: suggest again, learning from confirmed codings.

Learning and re-suggesting every document takes seconds, so it runs in a thread worker with
its own connection to the project file (a SQLite connection belongs to one thread). An
in-memory project has no file to open a second connection to, so it runs in place. Every
document's suggestions are committed by the app layer before the done notification.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.worker import get_current_worker

from kwali.app.wording import counted
from kwali.errors import KwaliError
from kwali.i18n import _
from kwali.store import Project
from kwali.ui.messages import ProjectChanged
from kwali.ui.problems import problem_text
from kwali.ui.screens.protocols import ProjectScreen

if TYPE_CHECKING:  # the module itself is imported only when learning starts (see below)
    from kwali.app.suggesting import SuggestResult

LEARN_GROUP = "learn"
LEARN_HINT = _("nieuwe suggesties, ook geleerd van ieders bevestigde codes")


def learn_binding(screen_id: str) -> Binding:
    """The same key, text and explanation on every screen that offers it."""
    return Binding("l", "learn", _("Leer van codes"), tooltip=LEARN_HINT, id=f"{screen_id}.learn")


class _Stopped(Exception):
    """The app is quitting: stop between two documents rather than keep it waiting."""


def learned_message(result: SuggestResult) -> str:
    """What the done notification says."""
    learned = _("Geleerd van {codes} in {sentences}").format(
        codes=counted(result.learned_codings, _("code"), _("codes")),
        sentences=counted(result.learned_texts, _("zin"), _("zinnen")),
    )
    if not result.documents:  # same codings as last time: nothing needed suggesting again
        return _("{learned}: de suggesties waren al bijgewerkt.").format(learned=learned)
    return _("{learned}: {suggestions}.").format(
        learned=learned,
        suggestions=counted(result.suggestions, _("suggestie"), _("suggesties")),
    )


def suggest_project(
    project: Project, *, learn: bool, progress: Callable[[int], None] | None
) -> SuggestResult:
    """:func:`kwali.app.suggesting.suggest_project`, imported when first asked for: it brings
    spaCy, nltk and scikit-learn, two seconds that opening the UI should not wait for."""
    from kwali.app.suggesting import suggest_project as run

    return run(project, learn=learn, progress=progress)


def _learn(
    project: Project, stop: Callable[[int], None] | None = None
) -> SuggestResult | KwaliError:
    try:
        return suggest_project(
            project, learn=True, progress=stop
        )  # learn_from=None: everyone's codes
    except KwaliError as exc:
        return exc


def _learned(app: App, outcome: SuggestResult | KwaliError) -> None:
    """Say how it went and let every open screen re-read the project (main thread)."""
    if isinstance(outcome, KwaliError):
        app.notify(problem_text(outcome), title=_("Niet geleerd"), severity="error", timeout=8)
        return
    app.notify(learned_message(outcome), timeout=8)
    for screen in app.screen_stack:
        screen.post_message(ProjectChanged())


def _learn_in_thread(app: App, path: Path | str) -> None:
    worker = get_current_worker()

    def stop_if_quitting(_: int) -> None:
        if worker.is_cancelled:
            raise _Stopped

    try:
        with Project.open(path) as project:
            outcome = _learn(project, stop_if_quitting)
    except KwaliError as exc:  # the file could not be opened
        outcome = exc
    except _Stopped:
        return
    if not worker.is_cancelled:
        app.call_from_thread(_learned, app, outcome)


class LearnFromCodings:
    """Mixin for a screen with a ``project``: the `l` action (bind it with :func:`learn_binding`)."""

    def action_learn(self: ProjectScreen) -> None:
        if self.project.readonly:
            self.notify(
                _("Het project is alleen-lezen geopend: leren kan niet."), severity="warning"
            )
            return
        # Suggestions are shared by all coders: learned ones would carry the other coders'
        # judgements into blind coding.
        if getattr(self.app, "blind", False):
            self.notify(
                _(
                    "Leren is niet beschikbaar in blinde modus: de suggesties zouden de codes "
                    "van de anderen laten doorschemeren."
                ),
                severity="warning",
            )
            return
        # One run at a time, over all screens: the worker belongs to the app, not this screen,
        # so leaving the screen neither stops it nor allows a second one.
        if any(w.group == LEARN_GROUP and not w.is_finished for w in self.app.workers):
            self.notify(_("Er wordt al geleerd; even geduld."), severity="warning")
            return
        self.notify(_("Leren van de bevestigde codes…"))
        app = self.app
        if self.project.address is None:  # in memory: no second connection possible
            _learned(app, _learn(self.project))
            return
        path = self.project.address
        app.run_worker(
            lambda: _learn_in_thread(app, path),
            name="leren",
            group=LEARN_GROUP,
            description=_("suggesties opnieuw, met geleerd model"),
            thread=True,
        )
