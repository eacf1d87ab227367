"""The survey screen (V): code the answers to one open question fast, without the mouse.

A table of the question's answers (respondent, group, answer, codes, top suggestion) next to
the numbered codes and the current answer in full with its suggestions' evidence. Number keys
code the current answer, or every answer marked with space, in ONE undoable action; ``a``/``x``
accept or reject the top suggestion; Enter goes to the next uncoded answer. ``f`` keeps one
group (a case attribute's value), ``o`` the uncoded or coded answers, ``q`` picks another
question. Empty and "weet niet" answers are not codable; the header counts them.

Every change is one call into :mod:`kwali.app.survey_coding`, which commits before it returns;
only then does the status line say "opgeslagen". Blind mode reads no other coder's codings.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from kwali.app.survey_coding import (
    SHOW_WORDS,
    SHOWS,
    Answer,
    Question,
    QuestionAnswers,
    Show,
    code_pages,
    numbered_codes,
    questions,
)
from kwali.app.wording import counted
from kwali.errors import KwaliError
from kwali.i18n import _
from kwali.model import Codebook
from kwali.store import Project
from kwali.ui.messages import ProjectChanged, RowChosen
from kwali.ui.problems import problem_text
from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.code_picker import CodePickerModal
from kwali.ui.screens.survey_view import (
    answer_panel,
    codes_panel,
    columns,
    header_counts,
    row,
)
from kwali.ui.screens.undo import history_bindings, step_back
from kwali.ui.widgets.colours import code_colours
from kwali.ui.widgets.document_table import DocumentTable

ALL_GROUPS = "__all__"
NO_SURVEYS = _("Geen enquêtes in dit project (kwali import --survey). Esc: terug.")


def _number_bindings() -> list[Binding]:
    first = Binding(
        "1",
        "code(1)",
        _("Code"),
        key_display="1–9",
        id="survey.code_1",
        tooltip=_("code 1 tot 9"),
    )
    return [first] + [
        Binding(str(n), f"code({n})", _("Code {n}").format(n=n), show=False, id=f"survey.code_{n}")
        for n in range(2, 10)
    ]


class SurveyScreen(Screen[None]):
    """The answers of one survey question, coded with the keyboard."""

    BINDINGS = [
        *_number_bindings(),
        Binding("0", "code_page", _("Volgende 9 codes"), show=False, id="survey.code_page"),
        Binding("c", "pick_code", _("Kies"), id="survey.pick_code"),
        Binding("space", "mark", _("Markeer"), key_display="␣", id="survey.mark"),
        Binding("a", "accept", _("Accepteer"), id="survey.accept"),
        Binding("x", "reject", _("Wijs af"), show=False, id="survey.reject"),
        Binding("d", "remove_code", _("Verwijder code"), show=False, id="survey.remove_code"),
        Binding(
            "enter",
            "next_uncoded",
            _("Verder"),
            key_display="⏎",
            tooltip=_("naar het volgende ongecodeerde antwoord"),
            id="survey.next",
        ),
        Binding("n", "move(1)", _("Volgend antwoord"), show=False, id="survey.move_next"),
        Binding("p", "move(-1)", _("Vorig antwoord"), show=False, id="survey.move_previous"),
        Binding("f", "group", _("Groep"), show=False, id="survey.group"),
        Binding(
            "o",
            "show_cycle",
            _("Toon"),
            show=False,
            id="survey.show",
            tooltip=_("alle, ongecodeerd, gecodeerd"),
        ),
        Binding("q", "question", _("Vraag"), show=False, id="survey.question"),
        *(replace(b, show=b.key == "u") for b in history_bindings("survey")),
        Binding("escape", "back", _("Terug"), id="survey.back"),
    ]

    def __init__(self, project: Project, coder: str, blind: bool = False) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.blind = blind
        self.questions: list[Question] = []
        self.answers: QuestionAnswers | None = None
        self.shown: list[Answer] = []
        self.positions: dict[int, int] = {}  # answer index -> row in the table
        self.marked: set[int] = set()  # answer indexes
        self.show: Show = "all"
        self.group: tuple[str, str] | None = None
        self.page = 0
        self.codebook = Codebook("", ())
        self.labels: dict[str, str] = {}
        self.colours: dict[str, str] = {}
        self.widths: dict[str, int] = {}
        self._cells: dict[int, list] = {}  # answer index -> its row as drawn
        self._cells_key: str | None = None  # the group column the rows were drawn with
        self.last_saved = ""
        self._opened = False  # the first resume is the opening: nothing to re-read yet

    def compose(self) -> ComposeResult:
        yield Static(id="survey-title")
        yield Static(id="survey-counts")
        with Horizontal(id="survey-body"):
            yield DocumentTable(id="survey-answers", fixed_columns=2)
            with Vertical(id="survey-side"):
                yield Static(id="survey-codes")
                with VerticalScroll(id="survey-detail-box"):
                    yield Static(id="survey-detail")
        yield Static(id="survey-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.questions = questions(self.project)
        self._read_codebook()
        table = self.query_one(DocumentTable)
        self.watch(table, "cursor", self._cursor_moved, init=False)
        if not self.questions:
            self.query_one("#survey-title", Static).update(Text(NO_SURVEYS))
            for part in ("#survey-counts", "#survey-body", "#survey-status"):
                self.query_one(part).display = False
            return
        self.open_question(0)
        table.focus()

    # -- reading and drawing --------------------------------------------------------------------
    def _read_codebook(self) -> None:
        self.codebook = self.project.codebook()
        self.labels = self.codebook.labels()
        self.colours = code_colours(self.codebook)
        self.page %= code_pages(self.codebook)

    def open_question(self, number: int) -> None:
        question = self.questions[number]
        gc.unfreeze()  # the previous question's answers may go
        self.answers = QuestionAnswers(self.project, question, self.coder, self.blind)
        # Thousands of answers live as long as the screen: kept out of the collector's full
        # passes, which otherwise cost ~80 ms on every tenth key or so at 5,000 answers.
        gc.freeze()
        self.group, self.marked = None, set()
        title = Text()
        title.append(self.coder, style="bold")
        if self.blind:
            title.append(" · " + _("blind"))
        title.append(f" · {question.title}", style="bold")
        if len(self.questions) > 1:
            title.append(
                "  "
                + _("(vraag {n}/{total}, q: andere)").format(
                    n=number + 1, total=len(self.questions)
                ),
                style="dim",
            )
        self.query_one("#survey-title", Static).update(title)
        self.query_one(DocumentTable).cursor = 0
        self.fill(reread=True)

    @property
    def group_key(self) -> str | None:
        if self.group:
            return self.group[0]
        groups = self.answers.groups() if self.answers else {}
        return next(iter(groups), None)

    def _widths(self) -> dict[str, int]:
        """Column widths for the table's share of the screen; narrow screens drop the
        group and suggestion columns (the panel shows both)."""
        answers = self.answers.answers if self.answers else []
        table_width = max(30, self.query_one(DocumentTable).size.width or self.size.width - 34)
        nr = max([2, *(len(a.respondent) for a in answers[:2000])])
        wide = table_width >= 90

        def share(part: float, least: int, most: int) -> int:
            return max(least, min(most, int(table_width * part)))

        # the answer keeps the rest, at least about 40% of the table
        widths = {"mark": 1, "nr": min(nr, 12), "codes": share(0.2, 12, 30) if wide else 12}
        if wide:
            key = self.group_key
            values = {a.attributes.get(key, "") for a in answers} if key else set()
            widths["group"] = min(16, max([len(key or _("groep")), *map(len, values)]))
            widths["top"] = share(0.18, 14, 28)
        used = sum(w + 2 for w in widths.values()) + 1  # + the scrollbar
        widths["answer"] = max(10, table_width - used - 2)
        return widths

    def fill(self, reread: bool = False) -> None:
        """Refill the table from the filters (the cursor stays on its answer if shown);
        rows are drawn again only when ``reread`` or the columns changed."""
        if self.answers is None:
            return
        table = self.query_one(DocumentTable)
        self.shown = self.answers.shown(self.show, self.group)
        self.positions = {a.index: i for i, a in enumerate(self.shown)}
        key = self.group_key
        widths = self._widths()
        if reread or widths != self.widths or key != self._cells_key:
            self.widths, self._cells_key, self._cells = widths, key, {}
        rows = [self._row(a, key) for a in self.shown]
        table.set_rows(columns(self.widths, key), rows, [a.index for a in self.shown])
        self.draw()

    def _row(self, answer: Answer, group_key: str | None) -> list:
        cells = self._cells.get(answer.index)
        if cells is None:
            cells = self._cells[answer.index] = self._draw_row(answer, group_key)
        return cells

    def _draw_row(self, answer: Answer, group_key: str | None) -> list:
        assert self.answers is not None
        return row(
            answer,
            self.answers,
            self.widths,
            group_key,
            self.labels,
            self.colours,
            answer.index in self.marked,
        )

    def redraw_rows(self, answers: list[Answer]) -> None:
        """Redraw only these answers' rows: what a change touched."""
        table = self.query_one(DocumentTable)
        key = self.group_key
        for answer in answers:
            position = self.positions.get(answer.index)
            self._cells.pop(answer.index, None)
            if position is not None:
                table.rows[position] = self._row(answer, key)
        table.refresh()

    @property
    def current(self) -> Answer | None:
        if not self.shown:
            return None
        return self.shown[min(self.query_one(DocumentTable).cursor, len(self.shown) - 1)]

    def draw(self) -> None:
        """The header, the panel and the status line (not the table)."""
        if self.answers is None:
            return
        counts = header_counts(self.answers)
        self.query_one("#survey-counts", Static).update(Text(counts))
        numbered = numbered_codes(self.codebook, self.page)
        self.query_one("#survey-codes", Static).update(
            codes_panel(numbered, self.labels, self.colours, self.page, code_pages(self.codebook))
        )
        self.query_one("#survey-detail", Static).update(
            answer_panel(self.current, self.answers, self.labels, self.colours)
        )
        self._status()

    def _status(self) -> None:
        table = self.query_one(DocumentTable)
        parts = []
        if self.shown:
            parts.append(
                _("antwoord {n}/{total}").format(n=table.cursor + 1, total=len(self.shown))
            )
        # f and o are not in the footer (no room at 80 columns): their line names them
        parts.append(_("toon (o): {show}").format(show=SHOW_WORDS[self.show]))
        group = f"{self.group[0]} = {self.group[1]}" if self.group else _("alle")
        parts.append(_("groep (f): {group}").format(group=group))
        if self.marked:
            parts.append(_("{n} gemarkeerd (Esc: wissen)").format(n=len(self.marked)))
        status = Text(" · ".join(parts))
        if self.last_saved:
            status.append(" · ")
            status.append("✓ ", style="green")
            status.append(self.last_saved)
        self.query_one("#survey-status", Static).update(status)

    def _cursor_moved(self) -> None:
        if self.answers is not None:
            self.query_one("#survey-detail", Static).update(
                answer_panel(self.current, self.answers, self.labels, self.colours)
            )
            self._status()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "-narrow")
        if self.answers is not None:
            self.call_after_refresh(self.fill)

    # -- store writes ---------------------------------------------------------------------------
    def write(self, change: Callable[[], list[Answer] | None], done: Callable[[int], str]) -> bool:
        """Run one change; only after it returned (committed) say it is saved."""
        try:
            touched = change()
        except KwaliError as exc:
            self.notify(problem_text(exc), title=_("Niet opgeslagen"), severity="error", timeout=6)
            return False
        if not touched:
            return False
        self.last_saved = _("opgeslagen {time} — {what}").format(
            time=f"{datetime.now():%H:%M:%S}", what=done(len(touched))
        )
        self.redraw_rows(touched)
        self.draw()
        return True

    def unmark(self) -> None:
        """Forget the marks; their rows are drawn again without one."""
        for index in self.marked:
            self._cells.pop(index, None)
        self.marked = set()

    def targets(self) -> list[Answer]:
        """What a code applies to: the marked answers, else the current one."""
        if self.answers is None:
            return []
        if self.marked:
            return [a for a in self.answers.answers if a.index in self.marked]
        return [self.current] if self.current else []

    def apply_code(self, code_key: str) -> None:
        """Code the targets; when they all have the code already, take it off them."""
        answers, targets = self.answers, self.targets()
        if answers is None or not targets:
            return
        label = self.labels.get(code_key, code_key)
        marked = self.marked
        if all(code_key in a.codes(self.coder) for a in targets):
            done = self.write(
                lambda: answers.uncode(targets, code_key),
                lambda n: _("{code} verwijderd van {answers}").format(
                    code=label, answers=_answers(n)
                ),
            )
        else:
            done = self.write(
                lambda: answers.code(targets, code_key),
                lambda n: _("{code} op {answers}").format(code=label, answers=_answers(n)),
            )
        if done and marked:
            self.unmark()
            self.redraw_rows(targets)
            self._status()

    # -- actions --------------------------------------------------------------------------------
    def action_code(self, number: int) -> None:
        numbered = dict(numbered_codes(self.codebook, self.page))
        if number not in numbered:
            if self.answers is not None:
                self.notify(_("Geen code onder {number}.").format(number=number), timeout=2)
            return
        self.apply_code(numbered[number])

    def action_code_page(self) -> None:
        self.page = (self.page + 1) % code_pages(self.codebook)
        self.draw()

    def action_pick_code(self) -> None:
        targets = self.targets()
        if not targets:
            return
        where = (
            _answers(len(targets))
            if self.marked
            else _("antwoord {respondent}").format(respondent=targets[0].respondent)
        )

        def chosen(key: str | None) -> None:
            if key:
                self.apply_code(key)

        self.app.push_screen(
            CodePickerModal(self.codebook, self.colours, _("Code voor {what}").format(what=where)),
            chosen,
        )

    def action_remove_code(self) -> None:
        answers, targets = self.answers, self.targets()
        if answers is None or not targets:
            return
        keys = list(dict.fromkeys(k for a in targets for k in a.codes(self.coder)))
        if not keys:
            self.notify(_("Hier staat geen code van jou."), timeout=3)
            return

        def remove(key: str | None) -> None:
            if key:
                label = self.labels.get(key, key)
                if self.write(
                    lambda: answers.uncode(targets, key),
                    lambda n: _("{code} verwijderd van {answers}").format(
                        code=label, answers=_answers(n)
                    ),
                ):
                    self.unmark()
                    self.redraw_rows(targets)
                    self._status()

        if len(keys) == 1:
            remove(keys[0])  # u brings it back
            return
        self.app.push_screen(
            ChoiceModal(_("Welke code verwijderen?"), [(k, self.labels.get(k, k)) for k in keys]),
            remove,
        )

    def action_mark(self) -> None:
        answer = self.current
        if answer is None:
            return
        self.marked ^= {answer.index}
        self.redraw_rows([answer])
        self.query_one(DocumentTable).cursor += 1
        self._status()

    def action_accept(self) -> None:
        self._review(accept=True)

    def action_reject(self) -> None:
        self._review(accept=False)

    def _review(self, accept: bool) -> None:
        answers, answer = self.answers, self.current
        if answers is None or answer is None:
            return
        top = answer.top
        if top is None:
            self.notify(_("Geen open suggestie bij dit antwoord."), timeout=3)
            return
        label = self.labels.get(top.code_key, top.code_key)
        review = answers.accept if accept else answers.reject
        self.write(
            lambda: [answer] if review(answer) else None,
            lambda _n: (_("{code} geaccepteerd") if accept else _("{code} afgewezen")).format(
                code=label
            ),
        )

    def action_move(self, step: int) -> None:
        self.query_one(DocumentTable).cursor += step

    def action_next_uncoded(self) -> None:
        if self.answers is None or not self.shown:
            return
        table = self.query_one(DocumentTable)
        found = self.answers.next_uncoded(self.shown, table.cursor)
        if found is None:
            self.notify(_("Alle antwoorden hier zijn gecodeerd."), timeout=3)
            return
        table.cursor = found

    def action_show_cycle(self) -> None:
        if self.answers is None:
            return
        self.show = SHOWS[(SHOWS.index(self.show) + 1) % len(SHOWS)]
        self.unmark()
        self.fill()

    def action_group(self) -> None:
        if self.answers is None:
            return
        groups = self.answers.groups()
        if not groups:
            self.notify(_("De respondenten hebben geen kenmerk om op te groeperen."), timeout=3)
            return
        items: list[tuple[str, str | Text]] = [
            (ALL_GROUPS, Text(_("alle groepen"), style="italic"))
        ]
        items += [
            (f"{key}\x1f{value}", f"{key} = {value} ({n})")
            for key, values in groups.items()
            for value, n in values
        ]

        def chosen(item: str | None) -> None:
            if item is None:
                return
            key, _sep, value = item.partition("\x1f")
            self.group = None if item == ALL_GROUPS else (key, value)
            self.unmark()
            self.fill()

        self.app.push_screen(ChoiceModal(_("Welke groep?"), items), chosen)

    def action_question(self) -> None:
        if len(self.questions) < 2:
            self.notify(
                _("Dit project heeft één open vraag.") if self.questions else NO_SURVEYS, timeout=3
            )
            return
        items = [(str(i), f"{q.survey} · {q.title}") for i, q in enumerate(self.questions)]

        def chosen(item: str | None) -> None:
            if item is not None:
                self.open_question(int(item))

        self.app.push_screen(ChoiceModal(_("Welke vraag?"), items), chosen)

    def action_undo(self) -> None:
        self._history(redo=False)

    def action_redo(self) -> None:
        self._history(redo=True)

    def _history(self, redo: bool) -> None:
        done = step_back(self.project, self.coder, self.notify, redo=redo, labels=self.labels)
        if done and self.answers is not None:
            self.last_saved = done
            self.redraw_rows(self.answers.catch_up())
            self.draw()

    def reload(self) -> None:
        """Re-read every answer's codings and suggestions (an undo, another kwali)."""
        if self.answers is not None:
            self.answers.reload()
            self.fill(reread=True)

    def on_project_changed(self, _: ProjectChanged) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        if not self._opened:
            self._opened = True
            return
        if self.answers is not None:  # the codebook may have changed on the codebook screen
            self._read_codebook()
            self.reload()

    @on(RowChosen)
    def _row_chosen(self, _: RowChosen) -> None:
        """A second click on a row marks it, as space does."""
        self.action_mark()

    def action_back(self) -> None:
        if self.marked:
            self.unmark()
            self.fill()
            return
        self.app.pop_screen()

    def on_unmount(self) -> None:
        gc.unfreeze()  # what open_question kept from the collector is garbage now


def _answers(n: int) -> str:
    return counted(n, _("antwoord"), _("antwoorden"))
