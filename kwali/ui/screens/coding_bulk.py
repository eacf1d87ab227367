"""`A` and `X` on the coding screen: accept or reject every open suggestion of one code in this
document, or in the selection when there is one, after a question that says how many. One
action: `u` takes them all back.

The code is that of the highlighted suggestion (the one `a` and `x` act on), else the filter's.
The suggestions are those the screen shows, so a blind coder never reviews one they cannot see
(:func:`kwali.app.reviewing.open_suggestions`). A mixin of the coding screen, which it sees as a
:class:`BulkView`.
"""

from __future__ import annotations

from typing import Protocol

from textual.binding import Binding

from kwali.app.reviewing import of_code, review_all
from kwali.app.wording import counted
from kwali.i18n import _, ngettext
from kwali.model import Suggestion
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.protocols import CodingView

BULK_BINDINGS = [
    Binding(
        "A",
        "review_all(True)",
        _("Accepteer alle van deze code"),
        show=False,
        tooltip=_(
            "alle open suggesties van de code in dit document (of de selectie), na een vraag"
        ),
        id="coding.accept_all",
    ),
    Binding(
        "X",
        "review_all(False)",
        _("Wijs alle van deze code af"),
        show=False,
        id="coding.reject_all",
    ),
]


class BulkView(CodingView, Protocol):
    """The coding screen as `A` and `X` use it."""

    def current_suggestion(self) -> Suggestion | None:
        """The highlighted suggestion of the current sentence."""


class BulkReview:
    """Mixin for the coding screen: the `A` and `X` actions."""

    def action_review_all(self: BulkView, accept: bool) -> None:
        state = self.state
        if state is None:
            return
        current = self.current_suggestion()
        code_key = current.code_key if current else self.filter_code
        if code_key is None:
            self.notify(
                _(
                    "Geen code gekozen: ga naar een suggestie van die code (n) of filter op de "
                    "code (f)."
                ),
                timeout=4,
            )
            return
        where = _("in de selectie") if self.selection else _("in dit document")
        shown = [s for items in state.open.values() for s in items]
        chosen = of_code(shown, code_key, self.selection)
        label = state.label(code_key)
        if not chosen:
            self.notify(
                _("Geen open suggesties van {code} {where}.").format(code=label, where=where),
                timeout=3,
            )
            return
        # the question stays short; the body says which suggestions, with the code's label
        how_many = counted(len(chosen), _("suggestie"), _("suggesties"))
        question = (
            _("{suggestions} accepteren?") if accept else _("{suggestions} afwijzen?")
        ).format(suggestions=how_many)
        body = (
            ngettext(
                "De open suggestie van {code} {where}.",
                "Alle open suggesties van {code} {where}.",
                len(chosen),
            ).format(code=label, where=where)
            + " "
            + (
                _("Elke suggestie wordt een codering van jou ({coder}).").format(coder=self.coder)
                if accept
                else _("Ze verdwijnen uit je open suggesties.")
            )
            + " "
            + _("In één keer ongedaan te maken met u.")
        )

        def answered(yes: bool | None) -> None:
            if yes:
                done = (
                    _("{suggestions} {code} geaccepteerd")
                    if accept
                    else _("{suggestions} {code} afgewezen")
                )
                self.write(
                    lambda: review_all(self.project, chosen, self.coder, accept=accept),
                    done.format(suggestions=how_many, code=label),
                )

        self.app.push_screen(ConfirmModal(question, body), answered)
