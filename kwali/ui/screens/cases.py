"""The cases screen (C): every case with its attributes and linked speakers, and per document
its speakers with their case, where the coder links a speaker to a new or existing case or
unlinks it.

What a linked speaker says counts for the case (:mod:`kwali.app.units`); each link is one
undoable action (``u``). Cases are shared by all coders, so blind mode changes nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from kwali.app.cases_import import linked_speakers
from kwali.app.wording import counted
from kwali.errors import KwaliError
from kwali.i18n import _
from kwali.model import Case
from kwali.store import Project
from kwali.store.attribute_types import shown_value
from kwali.ui.messages import ProjectChanged, RowChosen
from kwali.ui.problems import problem_text
from kwali.ui.screens.choice import ChoiceModal
from kwali.ui.screens.codebook_modals import Field, FormModal
from kwali.ui.screens.undo import history_bindings, step_back
from kwali.ui.widgets.document_table import Column, DocumentTable

NEW = "\x00nieuw"  # the "new case" option; no case is named this


class CasesScreen(Screen[None]):
    """Cases above, the chosen document's speakers below; k links, o unlinks, d picks."""

    BINDINGS = [
        Binding("k", "link", _("Koppel"), id="cases.link"),
        Binding("o", "unlink", _("Ontkoppel"), id="cases.unlink"),
        Binding("d", "document", _("Document"), id="cases.document"),
        Binding("tab", "switch", _("Wissel"), id="cases.switch"),
        Binding("escape", "back", _("Terug"), id="cases.back"),
        *history_bindings("cases"),
    ]

    DEFAULT_CSS = """
    CasesScreen .cases-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    CasesScreen #cases { height: 1fr; scrollbar-size-vertical: 1; }
    CasesScreen #speakers { height: auto; max-height: 45%; scrollbar-size-vertical: 1; }
    CasesScreen DocumentTable:focus { background-tint: $primary 6%; }
    """

    def __init__(self, project: Project, coder: str, blind: bool = False) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.blind = blind
        self.cases: list[Case] = []
        self.document_id: int | None = None
        self.speakers: list[tuple[str, str | None]] = []  # (label, case name) of the document
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Static(id="cases-title", classes="cases-title")
        yield DocumentTable(id="cases", fixed_columns=1)
        yield Static(id="speakers-title", classes="cases-title")
        yield DocumentTable(id="speakers")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.document_id = self._first_document()
        self.load()
        self.query_one("#speakers", DocumentTable).focus()

    # -- data -----------------------------------------------------------------------------------
    def _first_document(self) -> int | None:
        """A document whose speakers can be linked: a group interview before a survey question."""
        questions = self.project.survey_document_ids()
        with_speakers = [
            s.id for s in self.project.document_summaries() if self.project.document_speakers(s.id)
        ]
        return next((d for d in with_speakers if d not in questions), None) or next(
            iter(with_speakers), None
        )

    def load(self) -> None:
        self.cases = self.project.cases()
        said = linked_speakers(self.project)
        width = max(60, self.app.size.width)
        narrow = width < 120
        name_width = min(24 if narrow else 32, max([4, *(len(c.name) for c in self.cases)]))
        speakers_width = 22 if narrow else 40
        rest = width - (name_width + speakers_width + 2 * 3 + 1)
        types = self.project.attribute_types()
        rows: list[list[str | Text]] = []
        for case in self.cases:
            attrs = ", ".join(
                f"{shown_value(k)}={shown_value(v, types.get(k, 'text'))}"
                for k, v in case.attributes.items()
            )
            rows.append([case.name, ", ".join(said.get(case.id, [])) or "—", attrs])
        self.query_one("#cases", DocumentTable).set_rows(
            [
                Column(_("Case"), max_width=name_width),
                Column(
                    _("Sprekers (doc:spreker)") if narrow else _("Sprekers (document:spreker)"),
                    max_width=speakers_width,
                ),
                # every attribute in reach: past the screen's edge → scrolls to them
                Column(_("Kenmerken"), max_width=max(20, rest, 160)),
            ],
            rows,
            list(range(len(self.cases))),
        )
        linked = sum(len(v) for v in said.values())
        self.query_one("#cases-title", Static).update(
            _("[b]Cases[/b] · {coder} · {cases} · {speakers}").format(
                coder=escape(self.coder),
                cases=counted(len(self.cases), _("case"), _("cases")),
                speakers=counted(linked, _("gekoppelde spreker"), _("gekoppelde sprekers")),
            )
        )
        self._fill_speakers()

    def _fill_speakers(self) -> None:
        title = self.query_one("#speakers-title", Static)
        table = self.query_one("#speakers", DocumentTable)
        document = self.project.document(self.document_id) if self.document_id is not None else None
        if document is None:
            self.speakers = []
            title.update(_("[b]Sprekers[/b] · geen document met sprekers"))
            table.set_rows([Column(_("Spreker")), Column(_("Case"))], [], [])
            self._status()
            return
        names = {c.id: c.name for c in self.cases}
        links = self.project.speaker_cases([document.id]).get(document.id, {})
        self.speakers = [
            (label, names.get(links[label]) if label in links else None)
            for label in self.project.document_speakers(document.id)
        ]
        title.update(
            _("[b]Sprekers van {number}: {name}[/b] · d: ander document").format(
                number=document.number, name=escape(document.name)
            )
        )
        rows: list[list[str | Text]] = [
            [label, case if case else Text(_("— telt voor het document"), style="dim")]
            for label, case in self.speakers
        ]
        table.set_rows(
            [Column(_("Spreker"), max_width=30), Column(_("Case"), max_width=40)],
            rows,
            list(range(len(self.speakers))),
        )
        self._status()

    def _status(self) -> None:
        self.query_one("#status", Static).update(
            _("k: koppel spreker aan case · o: ontkoppel · d: kies document · u: ongedaan")
        )

    def highlighted_speaker(self) -> tuple[str, str | None] | None:
        key = self.query_one("#speakers", DocumentTable).cursor_key
        return self.speakers[key] if key is not None and key < len(self.speakers) else None

    # -- events ---------------------------------------------------------------------------------
    def on_project_changed(self, _: ProjectChanged) -> None:
        self.load()

    def on_screen_suspend(self) -> None:
        self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.load()

    @on(RowChosen)
    def _row_chosen(self, _: RowChosen) -> None:
        if self.query_one("#speakers").has_focus:  # Enter on a speaker: link it
            self.action_link()

    # -- actions --------------------------------------------------------------------------------
    def action_switch(self) -> None:
        cases, speakers = self.query_one("#cases"), self.query_one("#speakers")
        (cases if speakers.has_focus else speakers).focus()

    def action_document(self) -> None:
        summaries = self.project.document_summaries()
        items = [
            (
                str(s.id),
                f"{s.number}: {s.name} ({counted(len(spoken), _('spreker'), _('sprekers'))})",
            )
            for s in summaries
            if (spoken := self.project.document_speakers(s.id))
        ]
        if not items:
            self.notify(_("Geen document heeft sprekers."), timeout=3)
            return

        def chosen(answer: str | None) -> None:
            if answer is not None:
                self.document_id = int(answer)
                self._fill_speakers()
                self.query_one("#speakers", DocumentTable).focus()

        self.app.push_screen(ChoiceModal(_("Sprekers van welk document?"), items), chosen)

    def action_link(self) -> None:
        found = self.highlighted_speaker()
        if found is None or self.document_id is None:
            self.notify(_("Kies eerst een spreker (d: kies document)."), timeout=3)
            return
        speaker, current = found
        items: list[tuple[str, str | Text]] = [(NEW, Text(_("＋ nieuwe case…"), style="bold"))]
        items += [
            (c.name, c.name + (" (" + _("nu") + ")" if c.name == current else ""))
            for c in self._likely_cases(speaker)
        ]

        def chosen(answer: str | None) -> None:
            if answer == NEW:
                self._ask_new_case(speaker)
            elif answer is not None:
                self._link(speaker, answer)

        self.app.push_screen(
            ChoiceModal(_("{speaker} koppelen aan welke case?").format(speaker=speaker), items),
            chosen,
        )

    def _likely_cases(self, speaker: str) -> list[Case]:
        """The cases in the order a coder looks for them: the one this label is linked to in
        other documents (Coach A of the next group interview) first, survey respondents
        (hundreds) last."""
        links = self.project.speaker_cases()
        questions = self.project.survey_document_ids()
        same = {
            case
            for document, linked in links.items()
            if document != self.document_id
            for label, case in linked.items()
            if label == speaker
        }
        elsewhere = {
            c for d, linked in links.items() if d not in questions for c in linked.values()
        }
        in_surveys = {c for d, linked in links.items() if d in questions for c in linked.values()}

        def rank(case: Case) -> int:
            if case.id in same:
                return 0
            return 2 if case.id in in_surveys and case.id not in elsewhere else 1

        return sorted(self.cases, key=rank)

    def _ask_new_case(self, speaker: str) -> None:
        def check(values: Mapping[str, str]) -> str | None:
            return None if values.get("name", "").strip() else _("Een case heeft een naam nodig.")

        def done(values: dict[str, str] | None) -> None:
            if values:
                self._link(speaker, values["name"].strip())

        self.app.push_screen(
            FormModal(
                _("Nieuwe case voor {speaker}").format(speaker=speaker),
                [Field("name", _("Naam van de case"), placeholder=_("bijv. coach_noord_1"))],
                check=check,
            ),
            done,
        )

    def _link(self, speaker: str, case: str | None) -> None:
        assert self.document_id is not None
        try:
            self.project.link_speaker(self.document_id, speaker, case, self.coder)
        except KwaliError as exc:
            self.notify(problem_text(exc), title=_("Niet gelukt"), severity="error")
            return
        self.load()
        if case is None:
            self.notify(
                _("{speaker} ontkoppeld: telt weer voor het document.").format(speaker=speaker),
                timeout=3,
            )
        else:
            self.notify(
                _("{speaker} gekoppeld aan case {case}.").format(speaker=speaker, case=case),
                timeout=3,
            )

    def action_unlink(self) -> None:
        found = self.highlighted_speaker()
        if found is None:
            return
        speaker, current = found
        if current is None:
            self.notify(
                _("{speaker} is aan geen case gekoppeld.").format(speaker=speaker), timeout=3
            )
            return
        self._link(speaker, None)

    def action_back(self) -> None:
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
