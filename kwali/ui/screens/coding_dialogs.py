"""The coding screen's actions that go through a dialog: code, remove, memo, search, filter.

A mixin of :class:`~kwali.ui.screens.coding.CodingScreen`, split off to keep each module
small; it uses the screen's state and its one write path, ``_write``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.code_picker import NO_FILTER, CodePickerModal
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.memo import MemoModal, MemoResult, MemoTarget
from kwali.ui.screens.search import SearchModal

if TYPE_CHECKING:
    from kwali.ui.screens.coding import CodingScreen

    _Base = CodingScreen
else:
    _Base = object


class CodingDialogs(_Base):
    """`c`, `d`, `m`, `/` and `f` on the coding screen."""

    def action_add_code(self) -> None:
        span = self._span()
        if span is None or self.state is None:
            return
        state = self.state
        where = "de selectie" if self.selection else state.reference(self.segment)  # type: ignore[arg-type]

        def apply(key: str | None) -> None:
            if not key:
                return
            if self._write(
                lambda: self.project.add_coding(
                    state.document.id, span[0], span[1], key, self.coder
                ),
                f"{state.label(key)} op {where}",
            ):
                self.selection = None
                self._show()

        self.app.push_screen(
            CodePickerModal(state.codebook, state.colours, f"Code toevoegen aan {where}"), apply
        )

    def action_code_selection(self) -> None:
        self.action_add_code()

    def action_remove_code(self) -> None:
        span = self._span()
        if span is None or self.state is None:
            return
        state = self.state
        mine = state.codings_on(*span, mine_only=True)
        if not mine:
            self.notify("Hier staat geen code van jou.", timeout=3)
            return

        def remove(coding_id: str | None) -> None:
            if coding_id:
                coding = next(c for c in mine if str(c.id) == coding_id)
                self._write(
                    lambda: self.project.remove_coding(coding.id, self.coder),
                    f"{state.label(coding.code_key)} verwijderd",
                )

        if len(mine) == 1:
            only = mine[0]
            question = f"Code “{state.label(only.code_key)}” verwijderen? (u maakt het ongedaan)"
            self.app.push_screen(
                ConfirmModal(question, yes="Verwijderen"),
                lambda yes: remove(str(only.id) if yes else None),
            )
        else:
            items = [
                (
                    str(c.id),
                    f"{state.label(c.code_key)}  — {state.document.text[c.start : c.end][:50]!r}",
                )
                for c in mine
            ]
            self.app.push_screen(ChoiceModal("Welke code verwijderen?", items), remove)

    def action_memo(self) -> None:
        segment, state = self.segment, self.state
        if segment is None or state is None:
            return
        own = self.project.memos("segment", segment.id, coder=self.coder)
        targets = [
            MemoTarget(
                "segment",
                segment.id,
                f"Memo bij zin {state.reference(segment)}",
                own[-1].text if own else "",
            )
        ]
        targets += [
            MemoTarget("coding", str(c.id), f"Memo bij code {state.label(c.code_key)}", c.memo)
            for c in state.codings_on(segment.start, segment.end, mine_only=True)
        ]

        def save(result: MemoResult | None) -> None:
            if result is None or result.text == result.target.existing:
                return
            target = result.target
            text = result.text

            def change() -> object:
                if target.kind == "coding":
                    return self.project.set_coding_memo(int(target.target_id), text, self.coder)
                if own:
                    return self.project.update_memo(own[-1].id, text, self.coder)
                return self.project.add_memo("segment", target.target_id, text, self.coder)

            self._write(change, "memo")

        self.app.push_screen(MemoModal(targets), save)

    def action_search(self) -> None:
        def found(query: str | None) -> None:
            if query is None or self.state is None:
                return
            if query != self.search_text:
                self.search_text = query
                self.matches = self.state.find(query)
            if not self.matches:
                if query:
                    self.notify(f"“{query}” komt niet voor in dit transcript.", timeout=3)
                self._show(annotations=False)
                return
            here = self.segment.end if self.segment else 0
            start = next((s for s, _ in self.matches if s >= here), self.matches[0][0])
            self.selection = None
            self._go(self.state.segment_at(start))

        self.app.push_screen(SearchModal(self.search_text), found)

    def action_filter(self) -> None:
        if self.state is None:
            return

        def chosen(key: str | None) -> None:
            if key is None:
                return
            self.filter_code = None if key == NO_FILTER else key
            self._show(annotations=False)

        self.app.push_screen(
            CodePickerModal(
                self.state.codebook,
                self.state.colours,
                "Filter op code",
                none_label="— geen filter —",
            ),
            chosen,
        )
