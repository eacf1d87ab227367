"""The documents screen's attribute form: one field per attribute, plus a new one.

The form only collects and checks; ``save`` (given by the screen) makes the one store call,
so the values are saved as one undoable action or not at all. A value that is not of its
key's type (:mod:`kwali.store.attribute_types`, the one rule) is named in Dutch in the form,
which stays open with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from kwali.i18n import _
from kwali.store.attribute_types import TYPE_WORDS, BadValue, canonical
from kwali.ui.screens.codebook_modals import KwaliModal

ATTRIBUTES_CSS = """
AttributesModal .kw-dialog { width: 80; }
AttributesModal #attribute-fields { height: auto; }
AttributesModal .kw-attribute { height: 1; }
AttributesModal .kw-attribute-key { width: 26; color: $text-muted; padding-right: 1; }
AttributesModal .kw-attribute Input { width: 1fr; }
AttributesModal #new-key { width: 26; margin-right: 1; }
AttributesModal .kw-new-label { color: $text-muted; margin-top: 1; }
"""

_EXAMPLES = {"number": _("bijv. 34 of 3,5"), "date": _("bijv. 4-3-2021")}


@dataclass(frozen=True, slots=True)
class AttributeEdit:
    """What the form asks for: values to set (new or changed) and keys to remove."""

    values: dict[str, str]
    removed: list[str]

    def __bool__(self) -> bool:
        return bool(self.values or self.removed)


def value_problem(key: str, value: str, type: str) -> str | None:
    """Dutch words for a value that is not of its key's type, or None when it fits."""
    try:
        canonical(key, value, type)
    except BadValue:
        word = TYPE_WORDS.get(type, type)
        return _("{key}: ‘{value}’ is geen {kind} ({example}).").format(
            key=key, value=value.strip(), kind=word, example=_EXAMPLES.get(type, "")
        )
    return None


class AttributesModal(KwaliModal[bool]):
    """Edit one document's attributes; dismisses with True once saved, False when cancelled
    or nothing changed. An emptied field removes that attribute."""

    DEFAULT_CSS = KwaliModal.DEFAULT_CSS + ATTRIBUTES_CSS
    BINDINGS = [
        Binding("ctrl+s", "save", _("Opslaan"), id="attributes.save"),
        Binding("escape", "cancel", _("Annuleren"), id="attributes.cancel"),
    ]

    def __init__(
        self,
        title: str,
        attributes: Mapping[str, str],
        types: Mapping[str, str],
        save: Callable[[AttributeEdit], str | None],
    ) -> None:
        super().__init__()
        self._title = title
        self._attributes = dict(attributes)
        self._keys = list(self._attributes)
        self._types = dict(types)
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="kw-dialog"):
            yield Label(Text(self._title), classes="kw-title")
            with VerticalScroll(id="attribute-fields"):
                if not self._keys:
                    yield Static(_("Nog geen kenmerken."), classes="kw-field-label")
                for n, key in enumerate(self._keys):
                    kind = self._types.get(key, "text")
                    label = Text(key)
                    if kind != "text":
                        label.append(f" ({TYPE_WORDS[kind]})", style="italic")
                    with Horizontal(classes="kw-attribute"):
                        yield Label(label, classes="kw-attribute-key")
                        yield Input(
                            self._attributes[key],
                            placeholder=_EXAMPLES.get(kind, _("leeg = kenmerk weg")),
                            id=f"value-{n}",
                            compact=True,
                        )
            yield Label(_("Nieuw kenmerk"), classes="kw-new-label")
            with Horizontal(classes="kw-attribute"):
                yield Input(placeholder=_("naam, bijv. leeftijd"), id="new-key", compact=True)
                yield Input(placeholder=_("waarde"), id="new-value", compact=True)
            yield Static("", classes="kw-error", id="error")
            yield Static(
                _("leeg = weg · tab: volgend veld · ctrl+s: opslaan · esc: annuleren"),
                classes="kw-hint",
            )

    def on_mount(self) -> None:
        self._fit()
        self.query_one("#value-0" if self._keys else "#new-key", Input).focus()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The fields scroll, so that the new field, the message and the hint always show:
        they take 10 of the dialog's lines (at most 95% of the screen)."""
        room = int(self.app.size.height * 0.95) - 10
        self.query_one("#attribute-fields").styles.max_height = max(2, room)

    def edit(self) -> AttributeEdit:
        """The form as a change: changed or new values, and the keys that were emptied."""
        values: dict[str, str] = {}
        removed: list[str] = []
        for n, key in enumerate(self._keys):
            value = self.query_one(f"#value-{n}", Input).value.strip()
            if not value:
                removed.append(key)
            elif value != self._attributes[key]:
                values[key] = value
        new_key = self.query_one("#new-key", Input).value.strip()
        new_value = self.query_one("#new-value", Input).value.strip()
        if new_key and new_value:
            values[new_key] = new_value
        return AttributeEdit(values, removed)

    def problem(self, edit: AttributeEdit) -> str | None:
        new_key = self.query_one("#new-key", Input).value.strip()
        new_value = self.query_one("#new-value", Input).value.strip()
        if new_value and not new_key:
            return _("Geef het nieuwe kenmerk een naam.")
        if new_key and not new_value:
            return _("Geef {key} een waarde.").format(key=new_key)
        for key, value in edit.values.items():
            found = value_problem(key, value, self._types.get(key, "text"))
            if found:
                return found
        return None

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves on, like tab; on the last field it saves."""
        event.stop()
        fields = list(self.query(Input))
        index = fields.index(event.input)
        if index == len(fields) - 1:
            self.action_save()
        else:
            fields[index + 1].focus()

    def action_save(self) -> None:
        edit = self.edit()
        problem = self.problem(edit)
        if problem is None and edit:
            problem = self._save(edit)
        if problem:
            self.query_one("#error", Static).update(Text(problem))
            return
        self.dismiss(bool(edit))

    def action_cancel(self) -> None:
        self.dismiss(False)
