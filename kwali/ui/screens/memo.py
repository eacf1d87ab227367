"""Write or edit a memo on the project, a document, a code, a sentence or a coding.

Screens open it with :func:`open_memo` and a :class:`MemoTarget` (``MemoTarget.for_document``,
``for_code``, ``for_project``); the coding screen offers the sentence and its codings at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label, Select, TextArea

from kwali.app import memos as memo_app
from kwali.errors import KwaliError
from kwali.i18n import _
from kwali.store import Project
from kwali.ui.problems import problem_text
from kwali.ui.widgets.fit import fit


@dataclass(frozen=True, slots=True)
class MemoTarget:
    """Something a memo can be about; ``existing`` is the coder's current memo text."""

    kind: str  # "project", "document", "code", "segment" or "coding"
    target_id: str
    title: str
    existing: str = ""
    ref: str = (
        ""  # the memo being edited (``kwali.app.memos`` reference); "" writes the coder's own
    )

    @classmethod
    def of(cls, project: Project, coder: str, kind: str, target_id: str) -> MemoTarget:
        """The target with a title for people and the coder's own memo on it, if any."""
        target = memo_app.describe(project, kind, target_id)
        own = memo_app.own_memo(project, coder, kind, target_id)
        if own is None:
            return cls(kind, target_id, _("Memo bij {about}").format(about=target.about))
        return cls(
            kind, target_id, _("Memo bij {about}").format(about=target.about), own.text, own.ref
        )

    @classmethod
    def for_entry(cls, entry: memo_app.MemoEntry) -> MemoTarget:
        """One memo as listed, to edit exactly that memo."""
        target = entry.target
        return cls(
            target.kind,
            target.target_id,
            _("Memo bij {about}").format(about=target.about),
            entry.text,
            entry.ref,
        )

    @classmethod
    def for_project(cls, project: Project, coder: str) -> MemoTarget:
        return cls.of(project, coder, "project", "")

    @classmethod
    def for_document(cls, project: Project, coder: str, document_id: int) -> MemoTarget:
        return cls.of(project, coder, "document", str(document_id))

    @classmethod
    def for_code(cls, project: Project, coder: str, code_key: str) -> MemoTarget:
        return cls.of(project, coder, "code", code_key)


@dataclass(frozen=True, slots=True)
class MemoResult:
    target: MemoTarget
    text: str


def open_memo(
    screen: Screen,
    project: Project,
    coder: str,
    target: MemoTarget,
    after: Callable[[], object] | None = None,
) -> None:
    """Open the memo dialog on ``target`` and save what the coder writes (empty removes it).

    Every save is one undoable action; ``after`` runs once it is saved (to reload a list)."""

    def save(result: MemoResult | None) -> None:
        if result is None or result.text == result.target.existing:
            return
        if not result.text and not result.target.existing:
            return
        try:
            about = memo_app.describe(project, target.kind, target.target_id)
            if target.ref and not result.text:
                memo_app.remove_memo(project, target.ref, coder)
            elif target.ref:
                memo_app.edit_memo(project, target.ref, result.text, coder)
            else:
                memo_app.write_memo(project, coder, about, result.text, replace=False)
        except KwaliError as exc:
            screen.notify(
                problem_text(exc), title=_("Niet opgeslagen"), severity="error", timeout=6
            )
            return
        said = _("Memo verwijderd — {about}") if not result.text else _("Memo opgeslagen — {about}")
        screen.notify(said.format(about=about.about), timeout=3)
        if after is not None:
            after()

    screen.app.push_screen(MemoModal([target]), save)


class MemoModal(ModalScreen[MemoResult | None]):
    """Dismisses with the target and new text, or None when cancelled.

    The text area takes what the screen leaves (5 lines at 80×24, 10 on a tall one), so the
    buttons and the line saying ctrl+s saves always show."""

    DEFAULT_CSS = """
    MemoModal .memo-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", _("Opslaan"), id="memo.save"),
        Binding("escape", "cancel", _("Annuleren"), id="memo.cancel"),
    ]

    def __init__(self, targets: list[MemoTarget]) -> None:
        super().__init__()
        self.targets = targets

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Label(_("Memo"), classes="dialog-title")
            if len(self.targets) > 1:
                yield Select(
                    [(t.title, i) for i, t in enumerate(self.targets)],
                    value=0,
                    allow_blank=False,
                    id="target",
                )
            else:
                yield Label(self.targets[0].title, classes="dialog-hint")
            yield TextArea(self.targets[0].existing, id="memo-text", soft_wrap=True)
            yield Label(_("ctrl+s opslaan · Esc annuleren"), classes="memo-keys")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Opslaan (ctrl+s)"), variant="primary", id="save")
                yield Button(_("Annuleren"), id="cancel")

    def on_mount(self) -> None:
        self._fit()
        self.query_one("#memo-text", TextArea).focus()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        # border and padding 4, title 2, what it is on 2 (a choice of targets: 3), keys 1,
        # buttons 4
        text = self.query_one("#memo-text", TextArea)
        fit(text, 13 + (1 if len(self.targets) > 1 else 0), height=True)
        text.styles.max_height = 10

    @property
    def target(self) -> MemoTarget:
        if len(self.targets) > 1:
            index = self.query_one("#target", Select).selection
            return self.targets[index or 0]  # the list has no blank: there is always an index
        return self.targets[0]

    @on(Select.Changed, "#target")
    def _target_changed(self) -> None:
        self.query_one("#memo-text", TextArea).text = self.target.existing

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(MemoResult(self.target, self.query_one("#memo-text", TextArea).text.strip()))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
