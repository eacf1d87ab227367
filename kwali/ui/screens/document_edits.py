"""The documents screen's changes: rename (`n`), remove (`d`), attributes (`e`), undo and redo.

A mixin of :class:`~kwali.ui.screens.documents.DocumentsScreen`, split off to keep each module
small; it sees the screen only as a :class:`DocumentsView`. Each change is one store call
(one undoable action), after which the screen reads the table again and says what happened.
"""

from __future__ import annotations

from typing import Protocol

from textual import work

from kwali.app.wording import counted
from kwali.errors import KwaliError
from kwali.store import DocumentSummary
from kwali.ui.problems import problem_text
from kwali.ui.screens.codebook_modals import Field, FormModal
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.document_modals import AttributeEdit, AttributesModal
from kwali.ui.screens.protocols import ProjectScreen
from kwali.ui.screens.undo import step_back


class DocumentsView(ProjectScreen, Protocol):
    """The documents screen as its changes use it."""

    coder: str
    blind: bool
    types: dict[str, str]

    def highlighted(self) -> DocumentSummary | None: ...

    def changed(self, message: str) -> None: ...


def writable(view: ProjectScreen) -> bool:
    """Whether the project can be changed; says so when it cannot."""
    if view.project.readonly:
        view.notify(
            "Het project is alleen-lezen geopend: er kan niets veranderen.", severity="warning"
        )
    return not view.project.readonly


class DocumentEditing:
    def action_rename(self: DocumentsView) -> None:
        document = self.highlighted()
        if document is None or not writable(self):
            return
        view = self

        def save(name: str) -> str | None:
            if not name:
                return "Geef een naam."
            try:
                view.project.rename_document(document.id, name, view.coder)
            except KwaliError as exc:
                return problem_text(exc)
            return None

        def done(values: dict[str, str] | None) -> None:
            if values is not None and " ".join(values["name"].split()) != document.name:
                view.changed(f"Document {document.number} heet nu {values['name']}.")

        form = FormModal(
            f"Document {document.number} hernoemen",
            [Field("name", "Naam", document.name)],
            check=lambda values: save(values["name"]),
        )
        self.app.push_screen(form, done)

    @work(exclusive=True, group="documents-edit")
    async def action_remove(self: DocumentsView) -> None:
        document = self.highlighted()
        if document is None or not writable(self):
            return
        goes = _what_goes(self, document.id)
        sure = await self.app.push_screen_wait(
            ConfirmModal(  # the name in the body, which wraps: the question is one line
                f"Document {document.number} verwijderen?",
                f"{document.name} gaat weg, met {goes}. Eerst wordt een reservekopie "
                "gemaakt, en u (ongedaan maken) brengt alles terug. Enter = nee, j = ja.",
                yes="Verwijderen (j)",
                no="Nee (Enter)",
            )
        )
        if not sure:
            return
        from kwali.app.backups import rolling_backup

        try:  # the backup rule is the CLI's: kwali.app.backups
            rolling_backup(self.project, "remove")
            self.project.remove_document(document.id, self.coder)
        except KwaliError as exc:
            self.notify(problem_text(exc), title="Niet verwijderd", severity="error", timeout=8)
            return
        self.changed(f"Document {document.number} ({document.name}) verwijderd, met {goes}.")

    def action_attributes(self: DocumentsView) -> None:
        document = self.highlighted()
        if document is None or not writable(self):
            return
        view = self

        def save(edit: AttributeEdit) -> str | None:
            try:
                view.project.edit_attributes(document.id, edit.values, edit.removed, view.coder)
            except KwaliError as exc:
                return problem_text(exc)
            return None

        def done(saved: bool | None) -> None:
            if saved:
                view.changed(f"Kenmerken van document {document.number} opgeslagen.")

        modal = AttributesModal(
            f"Kenmerken van {document.number} · {document.name}",
            document.attributes,
            self.types,
            save,
        )
        self.app.push_screen(modal, done)

    def action_undo(self: DocumentsView) -> None:
        _history(self, redo=False)

    def action_redo(self: DocumentsView) -> None:
        _history(self, redo=True)


def _what_goes(view: DocumentsView, document_id: int) -> str:
    """What removing a document takes with it, in words; blind, only the coder's own codings
    are counted (the rest is named, not counted: that would show another coder's work)."""
    counts = view.project.removal_counts(document_id)
    if view.blind:
        own = view.project.coding_counts_by_document().get(document_id, {}).get(view.coder, 0)
        return (
            f"{counted(own, 'codering', 'coderingen')} van jou, en wat andere codeurs bij dit "
            "document deden (blind: niet geteld)"
        )
    return (
        f"{counted(counts['codings'], 'codering', 'coderingen')}, "
        f"{counted(counts['memos'], 'memo', 'memo’s')} en "
        f"{counted(counts['suggestions'], 'suggestie', 'suggesties')}"
    )


def _history(view: DocumentsView, redo: bool) -> None:
    """Undo (or redo) this coder's latest action, whatever screen it was made on."""
    done = step_back(view.project, view.coder, view.notify, redo=redo)
    if done:
        view.changed(done)
