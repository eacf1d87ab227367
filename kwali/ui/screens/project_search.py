"""The project search screen (`/` in the documents screen): find a word, a lemma or a regular
expression in every transcript, and make the hits suggestions of one code.

Enter in the field searches (kwali.app.searching, as ``kwali search``); ctrl+t switches
between words, lemma and regex. The search runs in a thread on a second, read-only
connection: a lemma search loads spaCy the first time, and the screen stays usable. Enter on
a hit opens its transcript at that sentence. ``c`` makes every hit a suggestion of a code
under ``search:…@coder`` (one undoable action, never a coding): the coder reviews them in the
coding screen. A search reads only the text, so blind mode shows nothing of another coder.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from kwali.app.searching import Hit, Mode, SearchResult, bad_pattern, search, suggest_hits
from kwali.app.wording import counted
from kwali.errors import KwaliError
from kwali.i18n import _
from kwali.store import Project
from kwali.ui.messages import JumpToCoding, RowChosen
from kwali.ui.problems import problem_text
from kwali.ui.screens.code_picker import CodePickerModal
from kwali.ui.screens.confirm import ConfirmModal
from kwali.ui.screens.undo import history_bindings, step_back
from kwali.ui.widgets.document_table import Column, DocumentTable

MODES: tuple[Mode, ...] = ("words", "lemma", "regex")
MODE_WORDS = {"words": _("woorden"), "lemma": _("lemma"), "regex": _("regex")}
LIMIT = 2000  # hits shown; the counts and "code all hits" cover every hit
_ONE_LINE = str.maketrans("\n\r\t", "   ")


def marked_text(hit: Hit, width: int = 0) -> Text:
    """The sentence on one line with each match highlighted; when it is wider than
    ``width``, its beginning gives way so the first match is in view."""
    text = Text()
    at = hit.start
    for start, end in hit.spans:
        text.append(hit.text[at - hit.start : start - hit.start].translate(_ONE_LINE))
        text.append(
            hit.text[start - hit.start : end - hit.start].translate(_ONE_LINE), style="bold reverse"
        )
        at = end
    text.append(hit.text[at - hit.start :].translate(_ONE_LINE))
    first = hit.spans[0][0] - hit.start if hit.spans else 0
    if width and len(text) > width and first > width // 3:
        # no more than needed: the end of a sentence fills the column
        text = Text("…") + text[min(first - width // 3, len(text) - width + 1) :]
    return text


def regex_problem(pattern: str) -> str | None:
    """A pattern the search would refuse, in Dutch (the column as kwali.app.searching says)."""
    if bad_pattern(pattern) is None:
        return None
    try:
        re.compile(pattern)
    except re.error as exc:
        return _(
            "Ongeldige reguliere expressie bij kolom {column}: {problem}. Er is niet gezocht."
        ).format(column=(exc.pos or 0) + 1, problem=exc.msg)
    return None


class ProjectSearchScreen(Screen[None]):
    """Every sentence of the project with the search text; Enter opens the transcript there."""

    BINDINGS = [
        Binding("enter", "jump", _("Ga naar"), id="project_search.jump"),
        Binding("slash", "edit", _("Zoektekst"), id="project_search.edit"),
        Binding("ctrl+t", "mode", _("Zoekwijze"), id="project_search.mode"),
        Binding("c", "code_all", _("Alle treffers coderen"), id="project_search.code_all"),
        *(replace(b, show=False) for b in history_bindings("project_search")),
        Binding("escape", "back", _("Terug"), id="project_search.back"),
    ]

    DEFAULT_CSS = """
    ProjectSearchScreen #search-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    ProjectSearchScreen #search-text { height: 1; border: none; padding: 0 1; background: $surface; }
    ProjectSearchScreen #search-text:focus { background: $boost; }
    ProjectSearchScreen #search-problem { height: auto; padding: 0 1; color: $error; }
    ProjectSearchScreen #search-hits { height: 1fr; scrollbar-size-vertical: 1; }
    ProjectSearchScreen #search-status {
        height: auto; max-height: 3; padding: 0 1; background: $surface; color: $text-muted;
    }
    """

    def __init__(self, project: Project, coder: str, blind: bool = False, text: str = "") -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.blind = blind
        self.mode: Mode = "words"
        self.result: SearchResult | None = None
        self.busy = False
        self._initial = text
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Static(id="search-title")
        yield Input(
            value=self._initial,
            placeholder=_("zoek in alle transcripten (Enter zoekt, ctrl+t: woord/lemma/regex)"),
            id="search-text",
        )
        yield Static(id="search-problem")
        yield DocumentTable(id="search-hits", fixed_columns=1)
        yield Static(id="search-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._title()
        self._fill()
        self.query_one("#search-text", Input).focus()
        if self._initial.strip():
            self.run()

    # -- searching ------------------------------------------------------------------------------
    def run(self) -> None:
        """Search the field's text in a thread; a bad regex is shown and nothing else happens."""
        text = self.query_one("#search-text", Input).value
        problem = self.query_one("#search-problem", Static)
        if not text.strip():
            problem.update("")
            return
        if self.mode == "regex" and (wrong := regex_problem(text)) is not None:
            problem.update(Text(wrong))
            return
        problem.update("")
        self._generation += 1
        self.busy = True
        self._title()
        self._search(self._generation, text, self.mode)

    @work(thread=True, exclusive=True, group="project-search")
    def _search(self, generation: int, text: str, mode: Mode) -> None:
        result: SearchResult | None = None
        problem = ""
        try:
            if self.project.address is None:  # in memory: no second connection possible
                result = search(self.project, text, mode=mode, limit=LIMIT)
            else:
                with Project.open(self.project.address, readonly=True) as project:
                    result = search(project, text, mode=mode, limit=LIMIT)
        except KwaliError as exc:
            problem = problem_text(exc)
        try:
            self.app.call_from_thread(self._found, generation, result, problem)
        except RuntimeError:  # the app closed while searching
            pass

    def _found(self, generation: int, result: SearchResult | None, problem: str) -> None:
        if generation != self._generation or not self.is_attached:
            return  # a newer search is on its way
        self.busy = False
        self._title()
        self.query_one("#search-problem", Static).update(Text(problem))
        if result is not None:
            self.result = result
            self._fill()
            if result.hits:
                self.query_one(DocumentTable).focus()

    # -- showing --------------------------------------------------------------------------------
    def _title(self) -> None:
        blind = " · " + _("blind") if self.blind else ""
        state = " · " + _("[i]Zoeken…[/i]") if self.busy else ""
        self.query_one("#search-title", Static).update(
            _("[b]Zoeken in het project[/b] · {coder}{blind} · zoekwijze: {mode}{state}").format(
                coder=escape(self.coder), blind=blind, mode=MODE_WORDS[self.mode], state=state
            )
        )

    def _fill(self) -> None:
        hits = self.result.hits if self.result else ()
        width = max(60, self.app.size.width)
        ref_width = max([6, *(len(h.reference) for h in hits)])
        name_width = 16 if width < 120 else 30
        sentence_width = max(20, width - ref_width - name_width - 7)
        columns = [
            Column(_("Bron"), max_width=ref_width),
            Column(_("Document"), max_width=name_width),
            Column(_("Zin"), max_width=sentence_width),
        ]
        rows: list[list[str | Text]] = [
            [h.reference, h.document_name, marked_text(h, sentence_width)] for h in hits
        ]
        self.query_one(DocumentTable).set_rows(columns, rows, list(range(len(hits))))
        self.query_one("#search-status", Static).update(self._status())

    def _status(self) -> str:
        result = self.result
        if result is None:
            return _("Typ een woord of zinsdeel en druk Enter · ctrl+t: woord/lemma/regex")
        if not result.total:
            return _("Geen treffers voor {query} ({mode}).").format(
                query=repr(result.query), mode=MODE_WORDS[result.mode]
            )
        found = {d: n for d, n in result.per_document.items() if n}
        shown = (
            ""
            if len(result.hits) == result.total
            else " " + _("(de eerste {n})").format(n=len(result.hits))
        )
        per_document = " · ".join(
            f"{result.names[d][0]}: {n}"
            for d, n in sorted(found.items(), key=lambda item: result.names[item[0]][0])
        )
        return _(
            "{sentences}{shown} in {found} van {documents} · per document {per_document}"
        ).format(
            sentences=counted(result.total, _("zin"), _("zinnen")),
            shown=shown,
            found=len(found),
            documents=counted(len(result.names), _("document"), _("documenten")),
            per_document=per_document,
        )

    def highlighted(self) -> Hit | None:
        key = self.query_one(DocumentTable).cursor_key
        if self.result is None or key is None or key >= len(self.result.hits):
            return None
        return self.result.hits[key]

    # -- events ---------------------------------------------------------------------------------
    @on(Input.Submitted, "#search-text")
    def _submitted(self) -> None:
        self.run()

    @on(RowChosen)
    def _row_chosen(self, _event: RowChosen) -> None:
        self.action_jump()

    # -- actions --------------------------------------------------------------------------------
    def action_jump(self) -> None:
        hit = self.highlighted()
        if hit is not None:
            self.app.post_message(JumpToCoding(hit.document_id, hit.start))

    def action_edit(self) -> None:
        self.query_one("#search-text", Input).focus()

    def action_mode(self) -> None:
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        self._title()
        if self.result is not None:
            self.run()

    @work(exclusive=True, group="project-search-code")
    async def action_code_all(self) -> None:
        """Pick a code, say how many suggestions it makes, and make them (never codings)."""
        result = self.result
        if result is None or not result.total:
            self.notify(_("Geen treffers om te coderen."), timeout=3)
            return
        if self.project.readonly:
            self.notify(
                _("Het project is alleen-lezen geopend: er kan niets veranderen."),
                severity="warning",
            )
            return
        codebook = self.project.codebook()
        categories = [c.key for c in codebook if c.kind != "code"]
        key = await self.app.push_screen_wait(
            CodePickerModal(
                codebook, None, _("Treffers als suggestie van welke code?"), exclude=categories
            )
        )
        code = codebook.get(key) if key else None
        if code is None:
            return
        label = code.label
        n = result.total
        question = _("{suggestions} van {label} maken?").format(
            suggestions=counted(n, _("suggestie"), _("suggesties")), label=label
        )
        body = _(
            "Elke zin met een treffer van {query} krijgt een suggestie van {label} "
            "(onder {source}@{coder}), geen codering: je beoordeelt ze in het "
            "codeerscherm. Een zin die deze suggestie al heeft, houdt haar. u maakt het ongedaan."
        ).format(query=repr(result.query), label=label, source=result.label, coder=self.coder)
        if not await self.app.push_screen_wait(ConfirmModal(question, body)):
            return
        try:
            if len(result.hits) < result.total:  # the screen shows the first LIMIT hits
                result = search(self.project, result.query, mode=result.mode)
            made = suggest_hits(self.project, result, code.key, self.coder)
        except KwaliError as exc:
            self.notify(problem_text(exc), title=_("Niet gelukt"), severity="error")
            return
        self.notify(
            _(
                "{suggestions} van {label} gemaakt (geen coderingen); "
                "beoordeel ze in het codeerscherm. u maakt het ongedaan."
            ).format(suggestions=counted(made, _("suggestie"), _("suggesties")), label=label),
            timeout=5,
        )

    def action_undo(self) -> None:
        self._history(redo=False)

    def action_redo(self) -> None:
        self._history(redo=True)

    def _history(self, redo: bool) -> None:
        done = step_back(self.project, self.coder, self.notify, redo=redo)
        if done:
            self.notify(done, timeout=3)

    def action_back(self) -> None:
        field = self.query_one("#search-text", Input)
        if field.has_focus and field.value:
            field.value = ""
            return
        self.dismiss(None)
