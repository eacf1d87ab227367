"""The coding screen's actions that go through a dialog: code, remove, memo, search, filter.

A helper the :class:`~kwali.ui.screens.coding.CodingScreen` owns and hands these actions to,
split off to keep each module small. It sees the screen only as a
:class:`~kwali.ui.screens.protocols.CodingView`: its state and its one write path, ``write``.
"""

from __future__ import annotations

from kwali.i18n import _
from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.code_picker import NO_FILTER, CodePickerModal
from kwali.ui.screens.memo import MemoModal, MemoResult, MemoTarget
from kwali.ui.screens.protocols import CodingView
from kwali.ui.screens.search import SearchModal


class CodingDialogs:
    """`c`, `d`, `m`, `/` and `f` on the coding screen."""

    def __init__(self, view: CodingView) -> None:
        self.view = view

    def add_code(self) -> None:
        view = self.view
        span = view.target_span
        if span is None or view.state is None:
            return
        state = view.state
        segment = view.segment
        where = _("de selectie") if view.selection or segment is None else state.reference(segment)

        def apply(key: str | None) -> None:
            if not key:
                return
            if view.write(
                lambda: view.project.add_coding(
                    state.document.id, span[0], span[1], key, view.coder
                ),
                _("{code} op {where}").format(code=state.label(key), where=where),
            ):
                view.selection = None
                view.show()

        view.app.push_screen(
            CodePickerModal(
                state.codebook, state.colours, _("Code toevoegen aan {where}").format(where=where)
            ),
            apply,
        )

    def remove_code(self) -> None:
        view = self.view
        span = view.target_span
        if span is None or view.state is None:
            return
        state = view.state
        mine = state.codings_on(*span, mine_only=True)
        if not mine:
            view.notify(_("Hier staat geen code van jou."), timeout=3)
            return

        def remove(coding_id: str | None) -> None:
            # no question: one coding is one `u` away, and the notice says so
            if coding_id:
                coding = next(c for c in mine if str(c.id) == coding_id)
                label = state.label(coding.code_key)
                if view.write(
                    lambda: view.project.remove_coding(coding.id, view.coder),
                    _("{code} verwijderd").format(code=label),
                ):
                    view.notify(
                        _("“{code}” verwijderd · u: ongedaan maken").format(code=label), timeout=4
                    )

        if len(mine) == 1:
            remove(str(mine[0].id))
        else:
            items = [
                (
                    str(c.id),
                    f"{state.label(c.code_key)}  — {state.document.text[c.start : c.end][:50]!r}",
                )
                for c in mine
            ]
            view.app.push_screen(ChoiceModal(_("Welke code verwijderen?"), items), remove)

    def memo(self) -> None:
        view = self.view
        segment, state = view.segment, view.state
        if segment is None or state is None:
            return
        own = view.project.memos("segment", segment.id, coder=view.coder)
        targets = [
            MemoTarget(
                "segment",
                segment.id,
                _("Memo bij zin {ref}").format(ref=state.reference(segment)),
                own[-1].text if own else "",
            )
        ]
        targets += [
            MemoTarget(
                "coding",
                str(c.id),
                _("Memo bij code {code}").format(code=state.label(c.code_key)),
                c.memo,
            )
            for c in state.codings_on(segment.start, segment.end, mine_only=True)
        ]

        def save(result: MemoResult | None) -> None:
            if result is None or result.text == result.target.existing:
                return
            target = result.target
            text = result.text

            def change() -> None:
                if target.kind == "coding":
                    view.project.set_coding_memo(
                        int(target.target_id), text, view.coder, seen=target.existing
                    )
                elif own:
                    view.project.update_memo(own[-1].id, text, view.coder, seen=target.existing)
                else:
                    view.project.add_memo("segment", target.target_id, text, view.coder)

            view.write(change, _("memo"))

        view.app.push_screen(MemoModal(targets), save)

    def search(self) -> None:
        view = self.view

        def found(query: str | None) -> None:
            if query is None or view.state is None:
                return
            if query != view.search_text:
                view.search_text = query
                view.matches = view.state.find(query)
            if not view.matches:
                if query:
                    view.notify(
                        _("“{text}” komt niet voor in dit transcript.").format(text=query),
                        timeout=3,
                    )
                view.show(annotations=False)
                return
            here = view.segment.end if view.segment else 0
            start = next((s for s, _end in view.matches if s >= here), view.matches[0][0])
            view.selection = None
            view.go(view.state.segment_at(start))

        view.app.push_screen(SearchModal(view.search_text), found)

    def filter(self) -> None:
        view = self.view
        if view.state is None:
            return

        def chosen(key: str | None) -> None:
            if key is None:
                return
            view.filter_code = None if key == NO_FILTER else key
            view.show(annotations=False)

        view.app.push_screen(
            CodePickerModal(
                view.state.codebook,
                view.state.colours,
                _("Filter op code"),
                none_label=_("— geen filter —"),
            ),
            chosen,
        )
