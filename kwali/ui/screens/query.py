"""The query screen (`z`): type an expression of codes, see its quotations as you type.

The language is kwali.analysis's (docs/query.md): ``dwang EN NIET ontheffing``, ``dwang
ZELFDE BEURT sanctie``, ``@opgeslagen``. ``r`` cycles the speaker filter (iedereen,
respondent, interviewer); Enter on a quotation opens its transcript there; ``s`` saves the
expression under a name (an undoable action), ``l`` picks a saved one. In blind mode only
the coder's own codings are searched: nothing shows another coder's work.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from kwali.analysis import QueryError, QueryResult, Scope, run_query, save_query, saved_queries
from kwali.app.wording import counted
from kwali.errors import KwaliError
from kwali.i18n import _
from kwali.store import Project
from kwali.store.attribute_types import shown_value
from kwali.ui.messages import JumpToCoding, ProjectChanged, RowChosen
from kwali.ui.problems import problem_text
from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.codebook_modals import Field, FormModal
from kwali.ui.widgets.document_table import Column, DocumentTable

ROLES = (None, "respondent", "interviewer")
ROLE_WORDS = {
    None: _("iedereen"),
    "respondent": _("respondenten"),
    "interviewer": _("interviewer"),
}
HINT = _(
    'codes (sleutel of "label") met EN, OF, NIET, haakjes, OVERLAPT, ZELFDE ZIN, '
    "ZELFDE BEURT, BINNEN 2, GEVOLGD DOOR, @opgeslagen"
)
DELAY = 0.25  # seconds of quiet typing before the query runs


def _flat(text: str) -> str:
    return " ".join(text.split())


class QueryScreen(Screen[None]):
    """A query and its quotations; Enter opens the transcript at the highlighted one."""

    BINDINGS = [
        Binding("enter", "jump", _("Ga naar"), id="query.jump"),
        Binding("slash,f", "edit", _("Zoekvraag"), id="query.edit"),
        Binding("r", "role", _("Spreker"), id="query.role"),
        Binding("s", "save", _("Opslaan"), id="query.save"),
        Binding("l", "saved", _("Opgeslagen"), id="query.saved"),
        Binding("escape", "back", _("Terug"), id="query.back"),
    ]

    DEFAULT_CSS = """
    QueryScreen #query-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    QueryScreen #query-expression { height: 1; border: none; padding: 0 1; background: $surface; }
    QueryScreen #query-expression:focus { background: $boost; }
    QueryScreen #query-problem { height: auto; padding: 0 1; color: $error; }
    QueryScreen #query-results { height: 1fr; scrollbar-size-vertical: 1; }
    QueryScreen #query-detail {
        height: auto; max-height: 8; padding: 0 1; border-top: solid $panel-lighten-2;
    }
    """

    def __init__(
        self, project: Project, coder: str, blind: bool = False, expression: str = ""
    ) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.blind = blind
        self.role: str | None = None
        self.result: QueryResult | None = None
        self._initial = expression
        self._timer: Timer | None = None
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Static(id="query-title")
        field = Input(
            value=self._initial,
            placeholder=_("zoekvraag, bijv. dwang EN NIET ontheffing (Enter: naar de citaten)"),
            id="query-expression",
        )
        field.tooltip = HINT
        yield field
        yield Static(id="query-problem")
        yield DocumentTable(id="query-results", fixed_columns=1)
        yield Static(id="query-detail")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DocumentTable)
        self.watch(table, "cursor", self._show_detail, init=False)
        self.run()
        self.query_one("#query-expression", Input).focus()

    # -- data -----------------------------------------------------------------------------------
    def scope(self) -> Scope:
        return Scope(role=self.role, coders=(self.coder,) if self.blind else None)

    def run(self) -> None:
        """Run the expression as it stands; a problem is shown under it, the last good
        result stays until the expression reads again."""
        expression = self.query_one("#query-expression", Input).value
        problem = self.query_one("#query-problem", Static)
        self._title()
        if not expression.strip():
            self.result = None
            problem.update("")
            self._fill()
            return
        try:
            self.result = run_query(self.project, expression, self.scope())
        except QueryError as exc:
            text = Text(exc.dutch)
            if exc.column is not None and "\n" not in expression:
                text = Text(" " * (exc.column - 1) + "^ ", style="bold") + text
            problem.update(text)
            return
        problem.update("")
        self._fill()

    def _title(self) -> None:
        blind = " · " + _("blind: alleen jouw coderingen") if self.blind else ""
        self.query_one("#query-title", Static).update(
            _("[b]Zoekvraag[/b] · {coder}{blind} · spreker: {role}").format(
                coder=escape(self.coder), blind=blind, role=ROLE_WORDS[self.role]
            )
        )

    def _fill(self) -> None:
        quotations = self.result.quotations if self.result else []
        width = max(60, self.app.size.width)
        narrow = width < 120
        ref_width = max([6, *(len(q.reference) for q in quotations)])
        code_width = 14 if narrow else 28
        who_width = 12 if narrow else 24
        rest = width - (ref_width + code_width + who_width + 2 * 4 + 1)
        columns = [
            Column(_("Bron"), max_width=ref_width),
            Column(_("Codes"), max_width=code_width),
            Column(_("Wie"), max_width=who_width),
            Column(_("Citaat"), max_width=max(20, rest)),
        ]
        rows: list[list[str | Text]] = [
            [q.reference, ", ".join(q.codes), shown_value(q.respondent), _flat(q.text)]
            for q in quotations
        ]
        self.query_one(DocumentTable).set_rows(columns, rows, list(range(len(quotations))))
        status = _("Typ een zoekvraag · Enter: naar de citaten · r: spreker")
        if self.result is not None:
            per_document = self.result.per_document()
            found = sum(1 for _document, n in per_document if n)
            n = len(quotations)
            status = _(
                "{quotes} in {found} van {documents} · Enter: transcript · r: spreker"
            ).format(
                quotes=counted(n, _("citaat"), _("citaten")),
                found=found,
                documents=counted(len(per_document), _("document"), _("documenten")),
            )
        self.query_one("#status", Static).update(status)
        self._show_detail()

    def highlighted(self):  # noqa: ANN201 - a Quotation or None
        key = self.query_one(DocumentTable).cursor_key
        if self.result is None or key is None or key >= len(self.result.quotations):
            return None
        return self.result.quotations[key]

    def _show_detail(self, _event: object = None) -> None:
        detail = self.query_one("#query-detail", Static)
        quotation = self.highlighted()
        if quotation is None:
            empty = _("Geen citaten.") if self.result is not None else HINT
            detail.update(Text(empty, style="dim"))
            return
        text = Text()
        text.append(f"{quotation.reference} · {quotation.document_name}", style="bold")
        who = f" · {shown_value(quotation.respondent)}" if quotation.respondent else ""
        text.append(f"{who} · {', '.join(quotation.codes)}\n", style="dim")
        text.append(quotation.text.strip())
        detail.update(text)

    # -- events ---------------------------------------------------------------------------------
    @on(Input.Changed, "#query-expression")
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DELAY, self.run)

    @on(Input.Submitted, "#query-expression")
    def _submitted(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.run()
        self.query_one(DocumentTable).focus()

    @on(RowChosen)
    def _row_chosen(self, _event: RowChosen) -> None:
        self.action_jump()

    def on_project_changed(self, _event: ProjectChanged) -> None:
        self.run()

    def on_screen_suspend(self) -> None:
        self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.run()

    # -- actions --------------------------------------------------------------------------------
    def action_jump(self) -> None:
        quotation = self.highlighted()
        if quotation is not None:
            self.app.post_message(JumpToCoding(quotation.document_id, quotation.start))

    def action_edit(self) -> None:
        self.query_one("#query-expression", Input).focus()

    def action_role(self) -> None:
        self.role = ROLES[(ROLES.index(self.role) + 1) % len(ROLES)]
        self.run()

    def action_save(self) -> None:
        """Ask a name and keep the expression under it (it must run first)."""
        expression = self.query_one("#query-expression", Input).value.strip()
        if not expression or self.result is None:
            self.notify(_("Typ eerst een zoekvraag die werkt."), severity="warning", timeout=3)
            return

        def check(values: Mapping[str, str]) -> str | None:
            try:
                save_query(self.project, values["name"], expression, self.coder)
            except QueryError as exc:
                return exc.dutch
            except KwaliError as exc:
                return problem_text(exc)
            return None

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                name = values["name"].lstrip("@")
                self.notify(_("Opgeslagen als @{name}.").format(name=name), timeout=3)

        example = "druk"  # a saved query's name as the data would have it (a code key)
        fields = [Field("name", _("Naam (gebruik hem daarna als @naam)"), placeholder=example)]
        self.app.push_screen(FormModal(_("Zoekvraag opslaan"), fields, check=check), saved)

    def action_saved(self) -> None:
        """Pick a saved query: its @name becomes the expression."""
        saved = saved_queries(self.project)
        if not saved:
            self.notify(_("Nog geen opgeslagen zoekvragen (s slaat deze op)."), timeout=3)
            return
        items = [(name, f"@{name}  {text}") for name, text in saved.items()]

        def chosen(name: str | None) -> None:
            if name is not None:
                self.query_one("#query-expression", Input).value = f"@{name}"
                self.run()

        self.app.push_screen(ChoiceModal(_("Opgeslagen zoekvragen"), items), chosen)

    def action_back(self) -> None:
        field = self.query_one("#query-expression", Input)
        if field.has_focus and field.value:
            field.value = ""
            return
        self.dismiss(None)
