"""The codebook screen's edits: new code, rename, description, merge, move and delete
(a r e M v d).

Each asks in a modal, then makes one store call, committed before the notification says
"Opgeslagen"; the screen then rebuilds its tree from the store. A mixin of
:class:`~kwali.ui.screens.codebook.CodebookScreen`, split off to keep each module small; it
sees the screen only as a :class:`CodebookView`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from textual import work

from kwali.app.wording import counted
from kwali.codekeys import is_valid_key, key_from_label
from kwali.errors import KwaliError
from kwali.i18n import _, ngettext
from kwali.model import Code, Codebook
from kwali.ui.problems import problem_text
from kwali.ui.screens.code_picker import NO_FILTER, CodePickerModal
from kwali.ui.screens.codebook_modals import Field, FormModal
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.protocols import ProjectScreen


class CodebookView(ProjectScreen, Protocol):
    """The codebook screen as its edits use it."""

    coder: str
    codebook: Codebook  # as shown now
    totals: dict[str, int]  # codings per code, subcodes included, as shown now

    @property
    def blind(self) -> bool:
        """Whether only this coder's codings are counted."""

    def highlighted(self) -> Code | None:
        """The code under the cursor."""

    def refresh_codebook(self, select: str | None = None) -> None:
        """Reload codes and counts from the store and redraw, the cursor on ``select``."""


def _save(
    view: CodebookView,
    done: str,
    select: str | None,
    call: Callable[..., object],
    *args: object,
    **kwargs: object,
) -> object:
    """Run one store call; on success refresh and say ``done``, on a KwaliError say why."""
    try:
        result = call(*args, **kwargs)
    except KwaliError as exc:
        view.notify(problem_text(exc), title=_("Niet gelukt"), severity="error")
        view.refresh_codebook()
        return None
    view.refresh_codebook(select)
    view.notify(done.format(result=result), timeout=3)
    return result


def _update(view: CodebookView, code: Code, values: Mapping[str, str]) -> None:
    """Save the fields in ``values`` that differ from ``code``'s (none: nothing happens); the
    cursor follows a changed key."""
    changes = {name: value for name, value in values.items() if value != getattr(code, name)}
    if changes:
        select = changes.get("key", code.key)
        _save(
            view,
            _("Opgeslagen"),
            select,
            view.project.update_code,
            code.key,
            view.coder,
            seen=code,
            **changes,
        )


def _key_problem(codebook: Codebook, key: str, allowed: str | None = None) -> str | None:
    if not key:
        return _("Geef een sleutel (of een label, dan wordt de sleutel daaruit gemaakt).")
    # An unchanged key is not checked: a code made before the rule was shared keeps working.
    if key != allowed and not is_valid_key(key):
        return _(
            "Een sleutel bestaat uit letters zonder accenten, cijfers, _ . en -, "
            "zonder spaties, en begint niet met . of -."
        )
    if key != allowed and codebook.get(key) is not None:
        return _("Er is al een code met sleutel {key}.").format(key=key)
    return None


def _descendants(codebook: Codebook, key: str) -> set[str]:
    found = {key}
    for code in codebook:  # parents come first, so one pass finds the whole subtree
        if code.parent in found:
            found.add(code.key)
    return found


class CodebookEditing:
    """Mixin for the codebook screen: the edit actions, each a worker because it awaits a
    modal's answer."""

    @work(exclusive=True, group="codebook-edit")
    async def action_add(self: CodebookView) -> None:
        current = self.highlighted()
        parent = None
        if current is not None:
            parent = self.codebook.get(
                current.key if current.kind == "category" else current.parent or ""
            )
        if parent:
            title = _("Nieuwe code onder {parent}").format(parent=parent.label)
        else:
            title = _("Nieuwe code (bovenste niveau)")

        def check(values: Mapping[str, str]) -> str | None:
            if not values["label"]:
                return _("Geef een label.")
            return _key_problem(self.codebook, values["key"] or key_from_label(values["label"]))

        values = await self.app.push_screen_wait(
            FormModal(
                title,
                [
                    Field("label", _("Label")),
                    Field(
                        "key",
                        _("Sleutel (leeg: uit het label)"),
                        placeholder=_("bijv. ervaren_dwang"),
                    ),
                    Field("definition", _("Definitie"), multiline=True),
                ],
                check=check,
            )
        )
        if values is None:
            return
        code = Code(
            key=values["key"] or key_from_label(values["label"]),
            label=values["label"],
            parent=parent.key if parent else None,
            definition=values["definition"],
            colour=parent.colour if parent else "",
        )
        _save(
            self,
            _("Opgeslagen: code {result.label}"),
            code.key,
            self.project.add_code,
            code,
            self.coder,
        )

    @work(exclusive=True, group="codebook-edit")
    async def action_rename(self: CodebookView) -> None:
        code = self.highlighted()
        if code is None:
            return
        values = await self.app.push_screen_wait(
            FormModal(
                _("{code} hernoemen").format(code=code.label),
                [
                    Field("label", _("Label"), code.label),
                    Field("key", _("Sleutel (coderingen verhuizen mee)"), code.key),
                ],
                check=lambda v: (
                    _("Geef een label.")
                    if not v["label"]
                    else _key_problem(self.codebook, v["key"], code.key)
                ),
            )
        )
        if values is not None:
            _update(self, code, values)

    @work(exclusive=True, group="codebook-edit")
    async def action_edit(self: CodebookView) -> None:
        code = self.highlighted()
        if code is None:
            return
        values = await self.app.push_screen_wait(
            FormModal(
                _("Beschrijving van {code}").format(code=code.label),
                [
                    Field("definition", _("Definitie"), code.definition, multiline=True),
                    Field(
                        "include",
                        _("Wel (wanneer je deze code gebruikt)"),
                        code.include,
                        multiline=True,
                    ),
                    Field("exclude", _("Niet (wanneer juist niet)"), code.exclude, multiline=True),
                ],
            )
        )
        if values is not None:
            _update(self, code, values)

    @work(exclusive=True, group="codebook-edit")
    async def action_merge(self: CodebookView) -> None:
        source = self.highlighted()
        if source is None:
            return
        target_key = await self.app.push_screen_wait(
            CodePickerModal(
                self.codebook,
                None,
                _("{code} samenvoegen met …").format(code=source.label),
                exclude=[source.key],
                counts=self.totals,
            )
        )
        target = self.codebook.get(target_key) if target_key else None
        if target is None:
            return
        # Blind coders see only their own number: the total would hint at the others' work.
        n = len(
            self.project.codings(
                code_key=source.key, coder=self.coder if self.blind else None, status=None
            )
        )
        codings = counted(n, _("codering"), _("coderingen"))
        if self.blind:
            body = _(
                "Jouw {codings} en die van andere codeurs worden omgezet naar "
                "{target} ({target_key}); de code {source} ({source_key}) "
                "verdwijnt uit het codeboek."
            )
        else:
            body = ngettext(
                "{codings} (van alle codeurs) wordt omgezet naar "
                "{target} ({target_key}); de code {source} ({source_key}) "
                "verdwijnt uit het codeboek.",
                "{codings} (van alle codeurs) worden omgezet naar "
                "{target} ({target_key}); de code {source} ({source_key}) "
                "verdwijnt uit het codeboek.",
                n,
            )
        body = body.format(
            codings=codings,
            target=target.label,
            target_key=target.key,
            source=source.label,
            source_key=source.key,
        )
        children = len(self.codebook.children(source.key))
        if children:
            body += " " + _("{n} subcode(s) komen onder {target}.").format(
                n=children, target=target.label
            )
        body += "\n\n" + _("Ongedaan maken kan met u.")
        if not await self.app.push_screen_wait(
            ConfirmModal(
                _("{code} samenvoegen?").format(code=source.label),
                body,
                yes=_("Samenvoegen"),
                no=_("Annuleren"),
            )
        ):
            return
        if self.blind:
            done = _("Samengevoegd: {n} van jouw coderingen omgezet").format(n=n)
        else:  # {result} is filled in by _save
            done = _("Samengevoegd: {result} coderingen omgezet")
        _save(self, done, target.key, self.project.merge_codes, source.key, target.key, self.coder)

    @work(exclusive=True, group="codebook-edit")
    async def action_move(self: CodebookView) -> None:
        code = self.highlighted()
        if code is None:
            return
        exclude = _descendants(self.codebook, code.key) | ({code.parent} if code.parent else set())
        target_key = await self.app.push_screen_wait(
            CodePickerModal(
                self.codebook,
                None,
                _("{code} verplaatsen naar …").format(code=code.label),
                exclude=exclude,
                none_label=None if code.parent is None else _("(bovenste niveau)"),
            )
        )
        if target_key is None:
            return
        parent = None if target_key == NO_FILTER else target_key
        _save(
            self,
            _("Opgeslagen"),
            code.key,
            self.project.update_code,
            code.key,
            self.coder,
            seen=code,
            parent=parent,
        )

    @work(exclusive=True, group="codebook-edit")
    async def action_delete(self: CodebookView) -> None:
        """Delete the highlighted code; its codings (if any) first go to a code the coder
        picks, as the store refuses to drop a coding."""
        code = self.highlighted()
        if code is None:
            return
        use = self.project.code_use(code.key)
        target = None
        if use["codings"]:
            # Blind coders are not told how many codings the others made.
            n = len(self.project.codings(code_key=code.key, coder=self.coder, status=None))
            whose = _("jouw {n} en andere").format(n=n) if self.blind else str(use["codings"])
            categories = [c.key for c in self.codebook if c.kind == "category"]
            target_key = await self.app.push_screen_wait(
                CodePickerModal(
                    self.codebook,
                    None,
                    _("{code}: {whose} coderingen verplaatsen naar …").format(
                        code=code.label, whose=whose
                    ),
                    exclude=[code.key, *categories],
                    counts=self.totals,
                )
            )
            target = self.codebook.get(target_key) if target_key else None
            if target is None:
                return
        parts = [
            _("De code {label} ({key}) verdwijnt uit het codeboek.").format(
                label=code.label, key=code.key
            )
        ]
        if target is not None:
            count = (
                _("Jouw coderingen en die van anderen")
                if self.blind
                else counted(use["codings"], _("codering"), _("coderingen"))
            )
            if use["memos"]:
                goes = _("{codings} en de memo's op de code gaan naar {target} ({key}).")
            else:  # blind: "Jouw coderingen en die van anderen" is plural
                goes = ngettext(
                    "{codings} gaat naar {target} ({key}).",
                    "{codings} gaan naar {target} ({key}).",
                    2 if self.blind else use["codings"],
                )
            parts.append(goes.format(codings=count, target=target.label, key=target.key))
        elif use["memos"]:
            parts.append(_("{n} memo('s) op deze code verdwijnen mee.").format(n=use["memos"]))
        if use["children"]:
            parent = self.codebook.get(code.parent) if code.parent else None
            if parent:
                where = _("onder {parent}").format(parent=parent.label)
            else:
                where = _("op het bovenste niveau")
            parts.append(_("{n} subcode(s) komen {where}.").format(n=use["children"], where=where))
        if use["suggestions"]:
            parts.append(
                _("{n} suggestie(s) van deze code verdwijnen.").format(n=use["suggestions"])
            )
        parts.append(_("Ongedaan maken kan met u."))
        if not await self.app.push_screen_wait(
            ConfirmModal(
                _("{code} verwijderen?").format(code=code.label),
                "\n".join(parts),
                yes=_("Verwijderen"),
                no=_("Annuleren"),
            )
        ):
            return
        select = target.key if target is not None else code.parent
        done = _("Verwijderd: {code}").format(code=code.label)
        if target is not None and not self.blind:  # {result} is filled in by _save
            done += "; " + _("{result} coderingen naar {target}").format(
                result="{result}", target=target.label
            )
        _save(
            self,
            done,
            select,
            self.project.delete_code,
            code.key,
            self.coder,
            move_to=target.key if target is not None else None,
        )
