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
        view.notify(problem_text(exc), title="Niet gelukt", severity="error")
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
        _save(view, "Opgeslagen", select, view.project.update_code, code.key, view.coder, **changes)


def _key_problem(codebook: Codebook, key: str, allowed: str | None = None) -> str | None:
    if not key:
        return "Geef een sleutel (of een label, dan wordt de sleutel daaruit gemaakt)."
    # An unchanged key is not checked: a code made before the rule was shared keeps working.
    if key != allowed and not is_valid_key(key):
        return (
            "Een sleutel bestaat uit letters zonder accenten, cijfers, _ . en -, "
            "zonder spaties, en begint niet met . of -."
        )
    if key != allowed and codebook.get(key) is not None:
        return f"Er is al een code met sleutel {key}."
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
        where = f" onder {parent.label}" if parent else " (bovenste niveau)"

        def check(values: Mapping[str, str]) -> str | None:
            if not values["label"]:
                return "Geef een label."
            return _key_problem(self.codebook, values["key"] or key_from_label(values["label"]))

        values = await self.app.push_screen_wait(
            FormModal(
                f"Nieuwe code{where}",
                [
                    Field("label", "Label"),
                    Field(
                        "key", "Sleutel (leeg: uit het label)", placeholder="bijv. ervaren_dwang"
                    ),
                    Field("definition", "Definitie", multiline=True),
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
            "Opgeslagen: code {result.label}",
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
                f"{code.label} hernoemen",
                [
                    Field("label", "Label", code.label),
                    Field("key", "Sleutel (coderingen verhuizen mee)", code.key),
                ],
                check=lambda v: (
                    "Geef een label."
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
                f"Beschrijving van {code.label}",
                [
                    Field("definition", "Definitie", code.definition, multiline=True),
                    Field(
                        "include",
                        "Wel (wanneer je deze code gebruikt)",
                        code.include,
                        multiline=True,
                    ),
                    Field("exclude", "Niet (wanneer juist niet)", code.exclude, multiline=True),
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
                f"{source.label} samenvoegen met …",
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
        codings = counted(n, "codering", "coderingen")
        whose = (
            f"Jouw {codings} en die van andere codeurs"
            if self.blind
            else f"{codings} (van alle codeurs)"
        )
        body = (
            f"{whose} {'wordt' if n == 1 and not self.blind else 'worden'} omgezet naar "
            f"{target.label} ({target.key}); de code {source.label} ({source.key}) "
            "verdwijnt uit het codeboek."
        )
        children = len(self.codebook.children(source.key))
        if children:
            body += f" {children} subcode(s) komen onder {target.label}."
        body += "\n\nOngedaan maken kan met u."
        if not await self.app.push_screen_wait(
            ConfirmModal(f"{source.label} samenvoegen?", body, yes="Samenvoegen", no="Annuleren")
        ):
            return
        done = (
            f"Samengevoegd: {n} van jouw coderingen omgezet"
            if self.blind
            else "Samengevoegd: {result} coderingen omgezet"
        )
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
                f"{code.label} verplaatsen naar …",
                exclude=exclude,
                none_label=None if code.parent is None else "(bovenste niveau)",
            )
        )
        if target_key is None:
            return
        parent = None if target_key == NO_FILTER else target_key
        _save(
            self,
            "Opgeslagen",
            code.key,
            self.project.update_code,
            code.key,
            self.coder,
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
            whose = f"jouw {n} en andere" if self.blind else str(use["codings"])
            categories = [c.key for c in self.codebook if c.kind == "category"]
            target_key = await self.app.push_screen_wait(
                CodePickerModal(
                    self.codebook,
                    None,
                    f"{code.label}: {whose} coderingen verplaatsen naar …",
                    exclude=[code.key, *categories],
                    counts=self.totals,
                )
            )
            target = self.codebook.get(target_key) if target_key else None
            if target is None:
                return
        parts = [f"De code {code.label} ({code.key}) verdwijnt uit het codeboek."]
        if target is not None:
            count = (
                "Jouw coderingen en die van anderen"
                if self.blind
                else counted(use["codings"], "codering", "coderingen")
            )
            memos = " en de memo's op de code" if use["memos"] else ""
            verb = "gaat" if use["codings"] == 1 and not memos and not self.blind else "gaan"
            parts.append(f"{count}{memos} {verb} naar {target.label} ({target.key}).")
        elif use["memos"]:
            parts.append(f"{use['memos']} memo('s) op deze code verdwijnen mee.")
        if use["children"]:
            parent = self.codebook.get(code.parent) if code.parent else None
            where = f"onder {parent.label}" if parent else "op het bovenste niveau"
            parts.append(f"{use['children']} subcode(s) komen {where}.")
        if use["suggestions"]:
            parts.append(f"{use['suggestions']} suggestie(s) van deze code verdwijnen.")
        parts.append("Ongedaan maken kan met u.")
        if not await self.app.push_screen_wait(
            ConfirmModal(
                f"{code.label} verwijderen?",
                "\n".join(parts),
                yes="Verwijderen",
                no="Annuleren",
            )
        ):
            return
        select = target.key if target is not None else code.parent
        done = f"Verwijderd: {code.label}"
        if target is not None and not self.blind:
            done += f"; {{result}} coderingen naar {target.label}"
        _save(
            self,
            done,
            select,
            self.project.delete_code,
            code.key,
            self.coder,
            move_to=target.key if target is not None else None,
        )
