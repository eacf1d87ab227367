"""The memo screen: every memo of the project with what it is about, who wrote it and when.

The filter takes a kind (``code``, ``zin``, ``document``, ``project``, ``codering``), ``@coder``
and free words (see :func:`kwali.app.memos.parse_filter`). Enter goes to the memo's place: the
transcript at its sentence or coding, the document, the codebook at its code; a project memo
opens for editing. In blind mode only the coder's own memos are listed.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from kwali.app import memos as memo_app
from kwali.app.wording import counted
from kwali.i18n import _
from kwali.store import Project
from kwali.ui.messages import JumpToCoding, ProjectChanged, RowChosen
from kwali.ui.screens.memo import MemoTarget, open_memo
from kwali.ui.screens.undo import history_bindings, step_back
from kwali.ui.widgets.document_table import Column, DocumentTable

FILTER_HINT = _(
    "een soort (project, document, code, zin, codering), @codeur, of woorden uit de memo "
    "of waar hij over gaat; bijv. code @anna dreiging"
)


def _date(stamp: str, short: bool = False) -> str:
    """``2026-12-04``, or ``04-12-26`` where room is short."""
    return f"{stamp[8:10]}-{stamp[5:7]}-{stamp[2:4]}" if short else stamp[:10]


class MemosScreen(Screen[None]):
    """All memos; filter by typing, Enter jumps to the memo's place, `e` edits your own."""

    BINDINGS = [
        Binding("enter", "jump", _("Ga naar"), id="memos.jump"),
        Binding("e", "edit", _("Bewerk"), id="memos.edit"),
        Binding("p", "project_memo", _("Projectmemo"), id="memos.project"),
        Binding("slash,f", "filter", _("Filter"), id="memos.filter"),
        Binding("escape", "back", _("Terug"), id="memos.back"),
        *history_bindings("memos"),
    ]

    DEFAULT_CSS = """
    MemosScreen #memos-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    MemosScreen #memos-filter { height: 1; border: none; padding: 0 1; background: $surface; }
    MemosScreen #memos-filter:focus { background: $boost; }
    MemosScreen #memos { height: 1fr; scrollbar-size-vertical: 1; }
    MemosScreen #memo-detail {
        height: auto; max-height: 8; padding: 0 1; border-top: solid $panel-lighten-2;
    }
    """

    def __init__(self, project: Project, coder: str, blind: bool = False) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.blind = blind
        self.entries: list[memo_app.MemoEntry] = []
        self.shown: list[memo_app.MemoEntry] = []
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Static(id="memos-title")
        field = Input(
            placeholder=_("filter: soort, @codeur of woorden (Esc wist)"), id="memos-filter"
        )
        field.tooltip = FILTER_HINT
        yield field
        yield DocumentTable(id="memos", fixed_columns=1)
        yield Static(id="memo-detail")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DocumentTable)
        self.watch(table, "cursor", self._show_detail, init=False)
        self.load()
        table.focus()

    # -- data -----------------------------------------------------------------------------------
    def load(self) -> None:
        self.entries = memo_app.all_memos(self.project, self.coder, blind=self.blind)
        blind = " · " + _("blind: alleen jouw memo's") if self.blind else ""
        self.query_one("#memos-title", Static).update(
            _("[b]Memo's[/b] · {coder}{blind} · {memos}").format(
                coder=escape(self.coder),
                blind=blind,
                memos=counted(len(self.entries), _("memo"), _("memo’s")),
            )
        )
        self._fill()

    def _fill(self) -> None:
        query = memo_app.parse_filter(self.query_one("#memos-filter", Input).value)
        self.shown = memo_app.filter_memos(
            self.entries,
            kinds=query.kinds,
            coder=query.coder,
            search=query.search,
        )
        width = max(60, self.app.size.width)
        narrow = width < 120  # 80 columns: what it is about first, a short date
        about_width = 28 if narrow else 44
        coder_width = min(10, max([6, *(len(e.coder) for e in self.shown)]))
        date_width = 8 if narrow else 10
        # each column is followed by two spaces; one more for the scrollbar
        rest = width - (about_width + coder_width + date_width + 2 * 4 + 1)
        columns = [
            Column(_("Over"), max_width=about_width),
            Column(_("Codeur"), max_width=coder_width),
            Column(_("Datum"), max_width=date_width),
            Column(_("Memo"), max_width=max(20, rest)),
        ]
        rows: list[list[str | Text]] = [
            [e.target.about, e.coder, _date(e.changed, narrow), e.first_line] for e in self.shown
        ]
        self.query_one(DocumentTable).set_rows(columns, rows, list(range(len(self.shown))))
        every = counted(len(self.entries), _("memo"), _("memo’s"))
        shown = (
            _("{n} van {every}").format(n=len(self.shown), every=every)
            if len(self.shown) != len(self.entries)
            else every
        )
        self.query_one("#status", Static).update(
            _("{shown} · Enter gaat erheen · e bewerkt je eigen memo · p projectmemo").format(
                shown=shown
            )
        )
        self._show_detail()

    def highlighted(self) -> memo_app.MemoEntry | None:
        key = self.query_one(DocumentTable).cursor_key
        return self.shown[key] if key is not None and key < len(self.shown) else None

    def _show_detail(self, _event: object = None) -> None:
        entry = self.highlighted()
        detail = self.query_one("#memo-detail", Static)
        if entry is None:
            empty = (
                _("Geen memo's die aan het filter voldoen.")
                if self.entries
                else _(
                    "Nog geen memo's. Schrijf er een met m (bij een zin, document of code) "
                    "of p (over het project)."
                )
            )
            detail.update(Text(empty, style="dim"))
            return
        text = Text()
        text.append(entry.target.about, style="bold")
        text.append(f"  — {entry.coder}, {entry.changed[:16].replace('T', ' ')}\n", style="dim")
        if entry.target.quote:
            text.append(f"“{entry.target.quote}”\n", style="italic dim")
        text.append(entry.text)
        detail.update(text)

    # -- events ---------------------------------------------------------------------------------
    def on_project_changed(self, _event: ProjectChanged) -> None:
        self.load()

    def on_screen_suspend(self) -> None:
        self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.load()

    @on(Input.Changed, "#memos-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#memos-filter")
    def _filter_done(self) -> None:
        self.query_one(DocumentTable).focus()

    @on(RowChosen)
    def _row_chosen(self, _event: RowChosen) -> None:
        self.action_jump()

    # -- actions --------------------------------------------------------------------------------
    def action_jump(self) -> None:
        """Go to where the memo belongs."""
        entry = self.highlighted()
        if entry is None:
            return
        target = entry.target
        if target.kind == "project":
            self.action_edit()
        elif target.kind == "code" and target.code_key is not None:
            from kwali.ui.screens.codebook import CodebookScreen

            screen = CodebookScreen(self.project, self.coder, blind=self.blind)
            self.app.push_screen(screen)
            key = target.code_key
            self.app.call_after_refresh(lambda: screen.refresh_codebook(select=key))
        elif target.document_id is not None:
            self.app.post_message(JumpToCoding(target.document_id, target.start))
        else:
            self.notify(_("Waar deze memo over ging, is niet meer in het project."), timeout=4)

    def action_edit(self) -> None:
        entry = self.highlighted()
        if entry is None:
            return
        if entry.coder != self.coder:
            self.notify(
                _("Deze memo is van {coder}; alleen die kan hem wijzigen.").format(
                    coder=entry.coder
                ),
                severity="warning",
                timeout=4,
            )
            return
        open_memo(self, self.project, self.coder, MemoTarget.for_entry(entry), after=self.load)

    def action_project_memo(self) -> None:
        target = MemoTarget.for_project(self.project, self.coder)
        open_memo(self, self.project, self.coder, target, after=self.load)

    def action_filter(self) -> None:
        self.query_one("#memos-filter", Input).focus()

    def action_back(self) -> None:
        field = self.query_one("#memos-filter", Input)
        if field.value:
            field.value = ""
            self.query_one(DocumentTable).focus()
            return
        self.dismiss(None)

    def action_undo(self) -> None:
        self._history(redo=False)

    def action_redo(self) -> None:
        self._history(redo=True)

    def _history(self, redo: bool) -> None:
        done = step_back(self.project, self.coder, self.notify, redo=redo)
        if done:
            self.load()
            self.notify(done, timeout=3)
