"""The words screen: the lemmas of a code, a document or the whole project, with their
keyness against the rest of the project (kwali.analysis.words; docs/words.md).

Opened with ``f`` from the quotes screen (for its code). ``c`` picks a code, ``d`` a
document, ``a`` the whole project; ``i`` counts the interviewers too, ``v`` the fillers.
The count runs in a thread on a second, read-only connection: the first one in a large
project tokenises every transcript (about two minutes at 1,000 interviews), the next ones
come from the in-memory cache. In blind mode a code's text is the coder's own codings only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.markup import escape
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from kwali.analysis.words import WordsResult, keywords
from kwali.app.wording import decimal
from kwali.errors import KwaliError
from kwali.i18n import _
from kwali.store import Project
from kwali.ui.messages import ProjectChanged
from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.code_picker import CodePickerModal
from kwali.ui.widgets.document_table import Column, DocumentTable

MIN_COUNT = 2  # as `kwali words`: a lemma said once is rarely a keyword


@dataclass(frozen=True, slots=True)
class Target:
    """What is counted: a code (key), a document (id) or, with neither, the whole project."""

    code: str | None = None
    document: int | None = None


def _number(value: float, digits: int) -> str:
    if math.isnan(value):
        return "—"
    return decimal(value, digits)


class WordsScreen(Screen[None]):
    """Lemma frequencies and keyness of one target."""

    BINDINGS = [
        Binding("c", "pick_code", _("Code"), id="words.code"),
        Binding("d", "pick_document", _("Document"), id="words.document"),
        Binding("a", "whole", _("Alles"), id="words.whole"),
        Binding("i", "interviewers", _("Interviewers"), id="words.interviewers"),
        Binding("v", "fillers", _("Vulwoorden"), id="words.fillers"),
        Binding("escape", "back", _("Terug"), id="words.back"),
    ]

    DEFAULT_CSS = """
    WordsScreen #words-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    WordsScreen #words-table { height: 1fr; scrollbar-size-vertical: 1; }
    WordsScreen #words-status { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(
        self,
        project: Project,
        coder: str,
        *,
        code: str | None = None,
        document: int | None = None,
        blind: bool = False,
        min_count: int = MIN_COUNT,
    ) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.blind = blind
        self.target = Target(code, document)
        self.interviewers = False
        self.fillers = False
        self.min_count = min_count
        self.result: WordsResult | None = None
        self.problem = ""
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Static(id="words-title")
        yield DocumentTable(id="words-table", fixed_columns=1)
        yield Static(id="words-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(DocumentTable).focus()
        self.count()

    # -- counting -----------------------------------------------------------------------------
    def describe(self) -> str:
        """The target in words, for the title."""
        if self.target.code is not None:
            code = self.project.code(self.target.code)
            label = f" ({code.label})" if code is not None and code.label != code.key else ""
            return _("code {key}").format(key=self.target.code) + label
        if self.target.document is not None:
            document = self.project.document(self.target.document)
            if document is None:
                return _("document")
            return _("document {number} · {name}").format(
                number=document.number, name=document.name
            )
        return _("het hele project")

    def count(self) -> None:
        """Count the target again (in a thread); the table shows the last result meanwhile."""
        self._generation += 1
        self.problem = ""
        self._title(busy=True)
        self._count(self._generation, self.target, self.interviewers, self.fillers)

    def _keywords(
        self, project: Project, target: Target, interviewers: bool, fillers: bool
    ) -> WordsResult:
        return keywords(
            project,
            code=target.code,
            document=target.document,
            coders=[self.coder] if self.blind else None,
            interviewers=interviewers,
            keep_fillers=fillers,
            min_count=self.min_count,
        )

    @work(thread=True, exclusive=True, group="words-count")
    def _count(self, generation: int, target: Target, interviewers: bool, fillers: bool) -> None:
        result: WordsResult | None = None
        problem = ""
        try:
            if self.project.address is None:  # in memory: no second connection possible
                result = self._keywords(self.project, target, interviewers, fillers)
            else:
                with Project.open(self.project.address, readonly=True) as project:
                    result = self._keywords(project, target, interviewers, fillers)
        except KwaliError as exc:
            problem = exc.one_line()
        try:
            self.app.call_from_thread(self._counted, generation, result, problem)
        except RuntimeError:  # the app closed while counting: nobody to show it to
            pass

    def _counted(self, generation: int, result: WordsResult | None, problem: str) -> None:
        if generation != self._generation or not self.is_attached:
            return  # a newer count is on its way
        self.result, self.problem = result, problem
        self._title()
        self._fill()

    # -- showing ------------------------------------------------------------------------------
    def _title(self, busy: bool = False) -> None:
        parts = [_("[b]Woorden[/b]"), escape(self.describe()), escape(self.coder)]
        if self.blind:
            parts.append(_("blind: alleen jouw coderingen"))
        if busy:
            parts.append(_("[i]bezig met tellen…[/i]"))
        self.query_one("#words-title", Static).update(" · ".join(parts))

    def _fill(self) -> None:
        result = self.result
        keyed = bool(result and result.reference_tokens)
        columns = [Column(_("Lemma"), max_width=24), Column(_("Aantal"), "right", 7)]
        columns.append(Column(_("/10.000"), "right", 8))
        if keyed:
            columns += [
                Column(_("Rest"), "right", 7),
                Column("LL", "right", 8),
                Column("", max_width=4),
                Column(_("Log ratio"), "right", 9),
            ]
        rows: list[list[str | Text]] = []
        for k in result.keywords if result else []:
            row: list[str | Text] = [k.lemma, str(k.target), _number(k.target_per_10k, 1)]
            if keyed:
                style = "bold" if k.marker and k.more else ("dim" if not k.more else "")
                row += [
                    str(k.reference),
                    Text(_number(k.ll, 2), style=style),
                    Text(k.marker, style=style),
                    Text(decimal(k.log_ratio, 2, sign=True), style=style),
                ]
            rows.append(row)
        self.query_one(DocumentTable).set_rows(columns, rows, list(range(len(rows))))
        self.query_one("#words-status", Static).update(self._status())

    def _status(self) -> Text:
        if self.problem:
            return Text(self.problem, style="bold red")
        result = self.result
        if result is None:
            return Text("")
        if result.reference_tokens:
            size = _(
                "{n} woorden, {rest} in de rest van het "
                "project · *p<0,05 **p<0,01 ***p<0,001 ****p<0,0001"
            ).format(n=result.target_tokens, rest=result.reference_tokens)
        else:
            size = _("{n} woorden (geen rest om mee te vergelijken)").format(n=result.target_tokens)
        empty = (
            _("Geen woorden die minstens {n} keer voorkomen. ").format(n=self.min_count)
            if not result.keywords
            else ""
        )
        return Text(f"{empty}{size} · {result.settings_nl}")

    # -- actions ------------------------------------------------------------------------------
    def _retarget(self, target: Target) -> None:
        self.target = target
        self.count()

    @work(exclusive=True, group="words-pick")
    async def action_pick_code(self) -> None:
        codebook = self.project.codebook()
        counts = self.project.code_counts(coder=self.coder if self.blind else None)
        key = await self.app.push_screen_wait(
            CodePickerModal(codebook, None, _("Woorden van welke code?"), counts=counts)
        )
        if key and codebook.get(key):
            self._retarget(Target(code=key))

    @work(exclusive=True, group="words-pick")
    async def action_pick_document(self) -> None:
        items = [(str(d.id), f"{d.number:>3}  {d.name}") for d in self.project.document_summaries()]
        chosen = await self.app.push_screen_wait(
            ChoiceModal(_("Woorden van welk document?"), items)
        )
        if chosen:
            self._retarget(Target(document=int(chosen)))

    def action_whole(self) -> None:
        self._retarget(Target())

    def action_interviewers(self) -> None:
        self.interviewers = not self.interviewers
        self.count()

    def action_fillers(self) -> None:
        self.fillers = not self.fillers
        self.count()

    def on_project_changed(self, _: ProjectChanged) -> None:
        self.count()

    def action_back(self) -> None:
        self.dismiss(None)
