"""The coding screen: read a transcript, review suggestions, apply and remove codes.

Every change calls one store method, which commits before it returns; only then does the
screen redraw and say "opgeslagen". Store errors (busy, read-only, cannot undo) become a
notification, never a crash. The selection keys are in ``coding_selection``, the keys that
ask in a dialog in ``coding_dialogs``, and what the side panel shows in ``coding_panel``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Static

from kwali.app.history import reverted_text
from kwali.app.wording import counted, number
from kwali.errors import KwaliError
from kwali.i18n import _, ngettext
from kwali.model import Segment, Suggestion
from kwali.store import ActionRecord, Project
from kwali.ui.messages import OffsetClicked, ProjectChanged, SpanDragged
from kwali.ui.problems import problem_text
from kwali.ui.screens.coding_bulk import BULK_BINDINGS, BulkReview
from kwali.ui.screens.coding_dialogs import CodingDialogs
from kwali.ui.screens.coding_panel import panel_data_for
from kwali.ui.screens.coding_selection import SELECTION_BINDINGS, SpanSelection
from kwali.ui.screens.coding_state import DocumentState, Span
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.learning import LearnFromCodings, learn_binding
from kwali.ui.screens.undo import history_bindings
from kwali.ui.widgets.segment_panel import PanelData, SegmentPanel
from kwali.ui.widgets.transcript_view import Annotation, TranscriptView

if TYPE_CHECKING:
    from kwali.ui.screens.coding_bulk import BulkView
    from kwali.ui.screens.coding_selection import SelectingView
    from kwali.ui.screens.protocols import ProjectScreen


# 73 columns: the whole hint shows in an 80-column terminal
SELECTION_HINT = _("[b]SELECTIE[/b]  ←→ einde · ⇧←→ begin · ⇧↑↓ zin · Enter/c coderen · Esc stop")


class CodingScreen(BulkReview, LearnFromCodings, SpanSelection, Screen[None]):
    """One transcript with the coder's suggestions and codings."""

    BINDINGS = [
        Binding("down", "move(1)", _("Volgende zin"), show=False, id="coding.next_segment"),
        Binding("up", "move(-1)", _("Vorige zin"), show=False, id="coding.previous_segment"),
        Binding("n", "next_open(1)", _("Volgende"), id="coding.next_open"),
        Binding("p", "next_open(-1)", _("Vorige"), id="coding.previous_open"),
        Binding("a", "accept", _("Accepteer"), id="coding.accept"),
        Binding("x", "reject", _("Wijs af"), id="coding.reject"),
        *BULK_BINDINGS,
        Binding(
            "tab",
            "cycle_suggestion",
            _("Andere suggestie in deze zin"),
            show=False,
            id="coding.cycle",
        ),
        Binding("c", "add_code", _("Code"), id="coding.add_code"),
        Binding("d", "remove_code", _("Verwijder code"), id="coding.remove_code"),
        Binding("m", "memo", _("Memo"), id="coding.memo"),
        Binding("r", "mark_reviewed", _("Bekeken"), id="coding.mark_reviewed"),
        Binding(
            "R",
            "document_done",
            _("Document klaar (rest bekeken)"),
            show=False,
            tooltip=_(
                "markeer elke zin die nog niet gecodeerd of bekeken is als bekeken, na een vraag"
            ),
            id="coding.document_done",
        ),
        Binding("s", "select", _("Selecteer"), id="coding.select"),
        Binding("slash", "search", _("Zoek"), id="coding.search"),
        Binding("f", "filter", _("Filter"), id="coding.filter"),
        *history_bindings("coding"),
        learn_binding("coding"),
        Binding("escape", "back", _("Terug"), id="coding.back"),
        *SELECTION_BINDINGS,
    ]

    def __init__(
        self,
        project: Project,
        coder: str,
        document_id: int,
        blind: bool = False,
        start_offset: int | None = None,
    ) -> None:
        super().__init__()
        self.start_offset = start_offset  # open at this text offset (a quote's context)
        self.project = project
        self.coder = coder
        self.blind = blind
        self.document_id = document_id
        self.state: DocumentState | None = None
        self.index = 0
        self.choice = 0  # which open suggestion of the segment `a`/`x` act on
        self.selection: Span | None = None
        self.filter_code: str | None = None
        self.search_text = ""
        self.matches: list[Span] = []
        self.last_saved = ""
        self.loaded = False
        self.dialogs = CodingDialogs(self)

    def compose(self) -> ComposeResult:
        yield Static(id="doc-title")
        with Horizontal(id="body"):
            yield TranscriptView(id="transcript")
            yield SegmentPanel(id="panel")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.state = DocumentState(self.project, self.document_id, self.coder, self.blind)
        doc = self.state.document
        transcript = self.query_one(TranscriptView)
        transcript.show_document(
            doc.text,
            self.state.turns,
            [(s.start, f"{s.turn_number}.{s.sentence_number}") for s in self.state.segments],
        )
        attrs = " · ".join(f"{k} {v}" for k, v in doc.attributes.items())
        blind = " · " + _("blind") if self.blind else ""
        self.query_one("#doc-title", Static).update(  # i18n: keep (markup around names)
            f"[b]{escape(self.coder)}[/b]{blind} · [b]{doc.number}. {escape(doc.name)}[/b]  [dim]{escape(attrs)}[/dim]"
        )
        if self.start_offset is not None:
            self.index = self.state.segment_at(self.start_offset)
        else:
            first = self.state.next_open(-1, 1)
            self.index = first if first is not None else 0
        transcript.focus()
        self.show(scroll=True, jump=True)
        self.loaded = True

    def on_resize(self) -> None:
        narrow = self.size.width < 110
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            if self.loaded:
                self.show(annotations=False)

    # -- drawing ------------------------------------------------------------------------------
    @property
    def segment(self) -> Segment | None:
        return self.state.segments[self.index] if self.state and self.state.segments else None

    @property
    def current_code_key(self) -> str | None:
        """Used by the app to open the quotes screen on the code being looked at."""
        return self.filter_code

    def current_suggestion(self) -> Suggestion | None:
        """The highlighted suggestion, the one `a` accepts and `x` rejects."""
        items = self.state.suggestions_for(self.index) if self.state else []
        return items[self.choice % len(items)] if items else None

    def show(self, scroll: bool = False, annotations: bool = True, jump: bool = False) -> None:
        state, segment = self.state, self.segment
        if state is None:
            return
        view = self.query_one(TranscriptView)
        if annotations:
            view.set_annotations(
                [
                    Annotation(
                        c.start,
                        c.end,
                        state.label(c.code_key)
                        + ("" if c.coder == self.coder else f" · {c.coder}"),
                        state.colours.get(c.code_key, "grey50"),
                        c.coder == self.coder,
                    )
                    for c in state.codings
                ]
            )
        items = state.suggestions_for(self.index)
        evidence = [(e.start, e.end) for s in items for e in s.evidence]
        focus = state.focus_spans(self.filter_code) if self.filter_code else None
        current = (segment.start, segment.end) if segment else None
        view.set_marks(
            current=current,
            evidence=evidence,
            selection=self.selection,
            matches=self.matches,
            focus=focus,
        )
        target = self.selection or current
        if scroll and target:
            view.scroll_to_offset(*target, jump=jump)
        self.query_one(SegmentPanel).show(self.panel_data(), compact=self.has_class("-narrow"))
        self._status()

    def panel_data(self) -> PanelData | None:
        state, segment = self.state, self.segment
        if state is None or segment is None:
            return None
        memos = self.project.memos("segment", segment.id, coder=self.coder if self.blind else None)
        chosen = self.current_suggestion()
        return panel_data_for(state, self.index, self.coder, self.selection, chosen, memos)

    def _status(self) -> None:
        state, segment = self.state, self.segment
        if state is None:
            return
        if self.selection:  # the selection's keys alone: they must fit in 80 columns
            self.query_one("#status", Static).update(SELECTION_HINT)
            return
        parts = []
        if segment:
            parts.append(_("zin {n}/{total}").format(n=self.index + 1, total=len(state.segments)))
        parts.append(counted(state.open_count, _("open suggestie"), _("open suggesties")))
        if self.filter_code:
            parts.append(_("filter: {code}").format(code=state.label(self.filter_code)))
        if self.search_text:
            parts.append(
                _("zoek “{text}”: {n}×").format(text=self.search_text, n=len(self.matches))
            )
        parts = [escape(part) for part in parts]  # code labels and searches may hold [brackets]
        if self.last_saved:
            parts.append(f"[green]✓[/green] {escape(self.last_saved)}")
        self.query_one("#status", Static).update("  ·  ".join(parts))

    def go(self, index: int, jump: bool = True) -> None:
        if self.state and self.state.segments:
            self.index = max(0, min(len(self.state.segments) - 1, index))
            self.choice = 0
            self.show(scroll=True, annotations=False, jump=jump)

    # -- store writes -------------------------------------------------------------------------
    def write(self, change: Callable[[], object], done: str) -> bool:
        """Run one store change; on success reload and say it is saved, else say why not."""
        try:
            change()
        except KwaliError as exc:
            self.notify(problem_text(exc), title=_("Niet opgeslagen"), severity="error", timeout=6)
            return False
        self.last_saved = _("opgeslagen {time} — {what}").format(
            time=f"{datetime.now():%H:%M:%S}", what=done
        )
        self._reload()
        return True

    def _reload(self) -> None:
        if self.state:
            self.state.reload(self.project)
            items = self.state.suggestions_for(self.index)
            self.choice = min(self.choice, max(0, len(items) - 1))
            self.show()

    def on_project_changed(self, _: ProjectChanged) -> None:
        self._reload()

    def on_screen_resume(self) -> None:
        if self.state:  # the codebook may have changed on the codebook screen
            self.state.reload_codebook(self.project)
            self._reload()

    # -- actions ------------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self.selection = None
        self.go(self.index + step, jump=False)

    def action_next_open(self, step: int) -> None:
        if not self.state:
            return
        found, wrapped = self.state.next_open_around(self.index, step, self.filter_code)
        if found is None:
            what = (
                _("met {code}").format(code=self.state.label(self.filter_code))
                if self.filter_code
                else _("met open suggesties")
            )
            self.notify(_("Geen zin {what} in dit document.").format(what=what), timeout=3)
            return
        if wrapped:
            self.notify(
                _("Terug naar het begin.") if step > 0 else _("Terug naar het einde."), timeout=2
            )
        self.selection = None
        self.go(found)

    @on(TranscriptView.Paged)
    def _paged(self, event: TranscriptView.Paged) -> None:
        """PageUp/PageDown/Home/End move the cursor with the view, so `n` goes on from there."""
        state = self.state
        if not state or not state.segments:
            return
        self.selection = None
        self.refresh_bindings()
        if not event.moved:  # Home/End, or a page key at that end already
            self.go(0 if event.step < 0 else len(state.segments) - 1, jump=False)
            return
        first = state.first_from(event.offset)
        self.index = max(self.index, first) if event.step > 0 else min(self.index, first)
        self.choice = 0
        self.show(annotations=False)

    def action_mark_reviewed(self) -> None:
        """`r`: this sentence is looked at (nothing, or nothing more, to code): it counts as
        done; on to the next. Again on a marked sentence takes the mark off."""
        state, segment = self.state, self.segment
        if state is None or segment is None:
            return
        ref = state.reference(segment)
        marked = state.is_marked(self.index)
        done = (_("{ref} niet meer bekeken") if marked else _("{ref} bekeken")).format(ref=ref)
        if (
            self.write(
                lambda: self.project.mark_reviewed(
                    [segment.id], self.coder, about=ref, reviewed=not marked
                ),
                done,
            )
            and not marked
        ):
            self.go(self.index + 1, jump=False)

    def action_document_done(self) -> None:
        """`R`: every sentence not yet coded, reviewed or marked is marked reviewed, after a
        question (it is many at once); `u` takes them all back."""
        state = self.state
        if state is None:
            return
        rest = self.project.unfinished_sentences(state.document.id, self.coder)
        if not rest:
            self.notify(_("Elke zin van dit document is al gecodeerd of bekeken."), timeout=3)
            return
        still_open = sum(1 for segment_id in rest if state.open.get(segment_id))
        sentences = counted(len(rest), _("zin"), _("zinnen"))
        body = (
            _("{sentences} zonder codering of beoordeling tellen dan als bekeken").format(
                sentences=sentences
            )
            + (
                "; "
                + ngettext(
                    "{n} heeft nog open suggesties", "{n} hebben nog open suggesties", still_open
                ).format(n=number(still_open))
                if still_open
                else ""
            )
            + ". "
            + _("In één keer ongedaan te maken met u.")
        )
        about = f"document {state.document.number}"  # the history's name for it (stored)
        ref = _("document {number}").format(number=state.document.number)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(
                    lambda: self.project.mark_reviewed(rest, self.coder, about=about),
                    _("{ref} klaar: {sentences} bekeken").format(ref=ref, sentences=sentences),
                )

        self.app.push_screen(
            ConfirmModal(_("Document klaar?"), body, yes=_("Klaar")),
            answered,
        )

    def action_cycle_suggestion(self) -> None:
        self.choice += 1
        self.show(annotations=False)

    def action_accept(self) -> None:
        self._review(self.project.accept_suggestion, _("{code} geaccepteerd"))

    def action_reject(self) -> None:
        self._review(self.project.reject_suggestion, _("{code} afgewezen"))

    def _review(self, review: Callable[[int, str], object], done: str) -> None:
        """Accept or reject the chosen open suggestion of this segment; ``done`` names it
        (``{code}``)."""
        suggestion = self.current_suggestion()
        if suggestion is None or suggestion.id is None or self.state is None:
            self.notify(_("Geen open suggestie in deze zin (n: volgende)."), timeout=3)
            return
        suggestion_id = suggestion.id
        label = self.state.label(suggestion.code_key)
        self.write(lambda: review(suggestion_id, self.coder), done.format(code=label))

    @property
    def target_span(self) -> Span | None:
        """What `c` and `d` act on: the selection, else the current segment."""
        if self.selection:
            return self.selection
        return (self.segment.start, self.segment.end) if self.segment else None

    # `c`, `d`, `m`, `/` and `f` ask something first: the dialogs helper does those.
    def action_add_code(self) -> None:
        self.dialogs.add_code()

    def action_code_selection(self) -> None:
        self.dialogs.add_code()

    def action_remove_code(self) -> None:
        self.dialogs.remove_code()

    def action_memo(self) -> None:
        self.dialogs.memo()

    def action_search(self) -> None:
        self.dialogs.search()

    def action_filter(self) -> None:
        self.dialogs.filter()

    def action_undo(self) -> None:
        self._history(self.project.undo, _("Niets om ongedaan te maken."))

    def action_redo(self) -> None:
        self._history(self.project.redo, _("Niets om opnieuw te doen."))

    def _history(self, step: Callable[[str], ActionRecord | None], nothing: str) -> None:
        record: ActionRecord | None = None

        def change() -> None:
            nonlocal record
            record = step(self.coder)

        if self.write(change, "") and record is None:
            self.notify(nothing, timeout=3)
            self.last_saved = ""
        elif record is not None:
            kind = (
                _("ongedaan: {what}") if step == self.project.undo else _("opnieuw gedaan: {what}")
            )
            labels = self.state.codebook.labels() if self.state else {}
            self.last_saved = kind.format(what=reverted_text(record, labels))
            self._status()

    def action_back(self) -> None:
        if self.selection:
            self.selection = None
            self.refresh_bindings()
            self.show(annotations=False)
        elif self.search_text or self.filter_code:
            self.search_text, self.matches, self.filter_code = "", [], None
            self.show(annotations=False)
        else:
            self.app.pop_screen()

    # -- mouse ----------------------------------------------------------------------------------
    @on(OffsetClicked)
    def _clicked(self, event: OffsetClicked) -> None:
        if self.state:
            self.selection = None
            self.refresh_bindings()
            self.go(self.state.segment_at(event.offset))

    @on(SpanDragged)
    def _dragged(self, event: SpanDragged) -> None:
        if self.state:
            self.selection = (event.start, event.end)
            self.index = self.state.segment_at(event.start)
            self.refresh_bindings()
            self.show(annotations=False)


if TYPE_CHECKING:  # Textual calls actions by name: here mypy checks the mixins get what they use

    def _gives_mixins_their_view(
        screen: CodingScreen,
    ) -> tuple[SelectingView, ProjectScreen, BulkView]:
        return screen, screen, screen
