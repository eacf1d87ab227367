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
from kwali.i18n import _
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
            _("Het project is alleen-lezen geopend: er kan niets veranderen."), severity="warning"
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
                return _("Geef een naam.")
            try:
                view.project.rename_document(document.id, name, view.coder)
            except KwaliError as exc:
                return problem_text(exc)
            return None

        def done(values: dict[str, str] | None) -> None:
            if values is not None and " ".join(values["name"].split()) != document.name:
                view.changed(
                    _("Document {number} heet nu {name}.").format(
                        number=document.number, name=values["name"]
                    )
                )

        form = FormModal(
            _("Document {number} hernoemen").format(number=document.number),
            [Field("name", _("Naam"), document.name)],
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
                _("Document {number} verwijderen?").format(number=document.number),
                _(
                    "{name} gaat weg, met {goes}. Eerst wordt een reservekopie "
                    "gemaakt, en u (ongedaan maken) brengt alles terug. Enter = nee, j = ja."
                ).format(name=document.name, goes=goes),
                yes=_("Verwijderen (j)"),
                no=_("Nee (Enter)"),
            )
        )
        if not sure:
            return
        from kwali.app.backups import rolling_backup

        try:  # the backup rule is the CLI's: kwali.app.backups
            rolling_backup(self.project, "remove")
            self.project.remove_document(document.id, self.coder)
        except KwaliError as exc:
            self.notify(problem_text(exc), title=_("Niet verwijderd"), severity="error", timeout=8)
            return
        self.changed(
            _("Document {number} ({name}) verwijderd, met {goes}.").format(
                number=document.number, name=document.name, goes=goes
            )
        )

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
                view.changed(
                    _("Kenmerken van document {number} opgeslagen.").format(number=document.number)
                )

        modal = AttributesModal(
            _("Kenmerken van {number} · {name}").format(number=document.number, name=document.name),
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
        return _(
            "{codings} van jou, en wat andere codeurs bij dit document deden (blind: niet geteld)"
        ).format(codings=counted(own, _("codering"), _("coderingen")))
    return _("{codings}, {memos} en {suggestions}").format(
        codings=counted(counts["codings"], _("codering"), _("coderingen")),
        memos=counted(counts["memos"], _("memo"), _("memo’s")),
        suggestions=counted(counts["suggestions"], _("suggestie"), _("suggesties")),
    )


def _history(view: DocumentsView, redo: bool) -> None:
    """Undo (or redo) this coder's latest action, whatever screen it was made on."""
    done = step_back(view.project, view.coder, view.notify, redo=redo)
    if done:
        view.changed(done)
