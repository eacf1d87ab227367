"""The kwali terminal app: a Textual client of an open project.

``KwaliApp(project, coder)`` receives an open :class:`~kwali.store.Project`, so tests can hand
it an in-memory or temporary project; :func:`run` is what ``kwali tui`` and ``tui.py`` call.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path

from rich.align import Align
from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, Provider
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets.option_list import Option

from kwali.errors import KwaliError, ProjectError
from kwali.i18n import _
from kwali.store import Project
from kwali.ui.messages import JumpToCoding, ProjectChanged

# Calm, low-contrast-but-legible colours; Textual paints the whole background, so each
# theme reads the same in any terminal. The light one is picked for light terminals.
# Each colour as (dark, light), so the two themes are read and changed side by side.
_COLOURS = {
    "primary": ("#6d9ecf", "#2f6396"),
    "secondary": ("#8fb3a0", "#4a7a62"),
    "accent": ("#d8a657", "#9a6412"),
    "warning": ("#e0b45c", "#9a6412"),
    "error": ("#d2737a", "#b03a44"),
    "success": ("#8fbf7f", "#3d7a34"),
    "foreground": ("#dcdfe4", "#262a30"),
    "background": ("#1d2127", "#fafafa"),
    "surface": ("#252a32", "#eeeeee"),
    "panel": ("#2c323c", "#e2e2e2"),
    # kwali's own variables, used by kwali.tcss
    "kwali-meta": ("#8b929c", "#70757d"),
    "kwali-current": ("#34465c", "#d3e3f5"),
}
_VARIABLES = ("kwali-meta", "kwali-current")


def _theme(name: str, dark: bool) -> Theme:
    colour = {role: pair[0 if dark else 1] for role, pair in _COLOURS.items()}
    return Theme(
        name=name,
        primary=colour["primary"],
        secondary=colour["secondary"],
        accent=colour["accent"],
        warning=colour["warning"],
        error=colour["error"],
        success=colour["success"],
        foreground=colour["foreground"],
        background=colour["background"],
        surface=colour["surface"],
        panel=colour["panel"],
        dark=dark,
        variables={variable: colour[variable] for variable in _VARIABLES},
    )


THEMES = (_theme("kwali", dark=True), _theme("kwali-licht", dark=False))


def default_theme() -> str:
    """``KWALI_THEME`` if set, else light when the terminal says its background is light."""
    chosen = os.environ.get("KWALI_THEME")
    if chosen:
        return chosen
    background = os.environ.get("COLORFGBG", "").rsplit(";", 1)[-1]
    return "kwali-licht" if background in {"7", "15"} else "kwali"


class KwaliCommandPalette(CommandPalette):
    """Textual's command palette with its own texts in the user's language."""

    def __init__(
        self,
        providers: list[type[Provider]] | None = None,
        *,
        placeholder: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(providers, placeholder=placeholder or _("Zoek een opdracht…"), id=id)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's own (8.x), but its "No matches found" is English and written inline."""
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("Geen opdracht gevonden"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:  # discovery mode: an empty list needs no notice
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)


class KwaliApp(App[None]):
    """Documents first; Enter opens a transcript for coding."""

    CSS_PATH = "kwali.tcss"
    TITLE = "kwali"  # i18n: keep (the program's name)
    BINDINGS = [
        Binding("q", "quit", _("Stoppen"), id="app.quit"),
        Binding("question_mark", "help", _("Help"), id="app.help"),
        Binding("k", "codebook", _("Codeboek"), id="app.codebook"),
        Binding("o", "quotes", _("Citaten"), id="app.quotes"),
        Binding("g", "agreement", _("Overeenstemming"), id="app.agreement"),
        # not in the footer (it is full at 80 columns); ? and the palette list it
        Binding("w", "memos", _("Memo's"), show=False, id="app.memos"),
        Binding("z", "query", _("Zoekvraag"), show=False, id="app.query"),
        Binding("b", "charts", _("Grafieken"), show=False, id="app.charts"),
        Binding("t", "tables", _("Tabellen"), show=False, id="app.tables"),
        Binding("W", "words", _("Woorden"), show=False, id="app.words"),
        Binding("V", "survey", _("Enquête"), show=False, id="app.survey"),
        Binding("C", "cases", _("Cases"), show=False, id="app.cases"),
        Binding("F", "framework", _("Samenvattingen"), show=False, id="app.framework"),
    ]

    def __init__(self, project: Project, coder: str, blind: bool = False) -> None:
        super().__init__()
        self._translate_textual_bindings()
        self.project = project
        self.coder = coder
        self.blind = blind
        self._data_version = 0
        for kwali_theme in THEMES:
            self.register_theme(kwali_theme)
        chosen = default_theme()
        self.theme = chosen if chosen in self.available_themes else "kwali"

    def _translate_textual_bindings(self) -> None:
        """Textual's own ctrl+q and ctrl+p (the footer's "^p palette") in the user's language.

        Replaced in place rather than declared in BINDINGS: without an id they stay Textual's,
        so the help screen keeps listing kwali's q, not ^q.
        """
        texts = {
            "quit": (_("Stoppen"), _("Sluit kwali; alles wat je deed is al opgeslagen")),
            "command_palette": (
                _("opdrachten"),
                _("Open het palet met alle opdrachten van dit scherm"),
            ),
        }
        for key, bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [
                replace(
                    binding, description=texts[binding.action][0], tooltip=texts[binding.action][1]
                )
                if binding.action in texts and not binding.id
                else binding
                for binding in bindings
            ]

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """kwali's own variables, for any theme (the user may pick another in the palette)."""
        return {variable: _COLOURS[variable][0] for variable in _VARIABLES}  # the dark ones

    def on_mount(self) -> None:
        self._data_version = self.project.data_version()
        self.set_interval(self.project.change_poll_s, self.poll_project)
        from kwali.ui.screens.documents import DocumentsScreen

        self.push_screen(DocumentsScreen(self.project, self.coder, blind=self.blind))
        if self.project.readonly:
            self.notify(
                _("Het project is alleen-lezen geopend: je kunt kijken, niet coderen."),
                severity="warning",
                timeout=8,
            )

    def poll_project(self) -> None:
        """Another kwali on the same file committed: let every screen reload."""
        try:
            version = self.project.data_version()
        except KwaliError:
            return
        if version != self._data_version:
            self._data_version = version
            for screen in self.screen_stack:
                screen.post_message(ProjectChanged())

    # -- actions ----------------------------------------------------------------------------------
    def action_help(self) -> None:
        from kwali.ui.screens.help import HelpScreen, binding_rows

        if isinstance(self.screen, HelpScreen):
            return
        title = {
            "DocumentsScreen": _("documenten"),
            "CodingScreen": _("coderen"),
            "AgreementScreen": _("overeenstemming"),
            "MemosScreen": _("memo's"),
            "QueryScreen": _("zoekvraag"),
            "TablesScreen": _("tabellen"),
            "ChartScreen": _("grafieken"),
            "WordsScreen": _("woorden"),
            "ProjectSearchScreen": _("zoeken in het project"),
            "SurveyScreen": _("enquête"),
            "CasesScreen": _("cases"),
            "FrameworkScreen": _("samenvattingen"),
        }.get(type(self.screen).__name__, type(self.screen).__name__)
        self.push_screen(HelpScreen(binding_rows(self.screen), title))

    def _already_on(self, screen_class: type[Screen]) -> bool:
        """Pressing a screen's own key again on it must not stack a second copy."""
        return isinstance(self.screen, screen_class)

    def action_codebook(self) -> None:
        from kwali.ui.screens.codebook import CodebookScreen

        if not self._already_on(CodebookScreen):
            self.push_screen(CodebookScreen(self.project, self.coder))

    def action_quotes(self) -> None:
        from kwali.ui.screens.quotes import QuotesScreen

        if self._already_on(QuotesScreen):
            return
        code_key = getattr(self.screen, "current_code_key", None)
        self.push_screen(
            QuotesScreen(self.project, self.coder, code_key=code_key, blind=self.blind)
        )

    def action_memos(self) -> None:
        from kwali.ui.screens.memos import MemosScreen

        if not self._already_on(MemosScreen):
            self.push_screen(MemosScreen(self.project, self.coder, blind=self.blind))

    def action_query(self) -> None:
        from kwali.ui.screens.query import QueryScreen

        if not self._already_on(QueryScreen):
            self.push_screen(QueryScreen(self.project, self.coder, blind=self.blind))

    def action_charts(self) -> None:
        from kwali.ui.screens.charts import ChartScreen

        if not self._already_on(ChartScreen):
            self.push_screen(ChartScreen(self.project, self.coder, blind=self.blind))

    def action_tables(self) -> None:
        from kwali.ui.screens.tables import CellQuotesScreen, TablesScreen

        if not self._already_on(TablesScreen) and not self._already_on(CellQuotesScreen):
            self.push_screen(TablesScreen(self.project, self.coder, blind=self.blind))

    def action_survey(self) -> None:
        from kwali.ui.screens.survey import SurveyScreen

        if not self._already_on(SurveyScreen):
            self.push_screen(SurveyScreen(self.project, self.coder, blind=self.blind))

    def action_cases(self) -> None:
        from kwali.ui.screens.cases import CasesScreen

        if not self._already_on(CasesScreen):
            self.push_screen(CasesScreen(self.project, self.coder, blind=self.blind))

    def action_framework(self) -> None:
        from kwali.ui.screens.framework import FrameworkScreen

        if not self._already_on(FrameworkScreen):
            self.push_screen(FrameworkScreen(self.project, self.coder, blind=self.blind))

    def action_words(self) -> None:
        from kwali.ui.screens.words import WordsScreen

        if not self._already_on(WordsScreen):
            code_key = getattr(self.screen, "current_code_key", None)
            self.push_screen(WordsScreen(self.project, self.coder, code=code_key, blind=self.blind))

    def action_agreement(self) -> None:
        from kwali.ui.screens.agreement import AgreementScreen

        if self.blind:  # the figures and disagreements would show the other coders' layers
            self.notify(
                _("Overeenstemming is niet beschikbaar in blinde modus."), severity="warning"
            )
            return
        if not self._already_on(AgreementScreen):
            self.push_screen(AgreementScreen(self.project, self.coder))

    def on_jump_to_coding(self, message: JumpToCoding) -> None:
        """From the quotes screen: read the coding in its document."""
        from kwali.ui.screens.coding import CodingScreen

        self.push_screen(
            CodingScreen(
                self.project,
                self.coder,
                message.document_id,
                blind=self.blind,
                start_offset=message.start,
            )
        )

    def action_command_palette(self) -> None:
        """Textual's palette, in the user's language."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(KwaliCommandPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """The theme picker (palette: Thema), in the user's language."""
        from textual.theme import ThemeProvider

        self.push_screen(KwaliCommandPalette([ThemeProvider], placeholder=_("Zoek een thema…")))

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit in Textual: say which key does (Textual's notice is English)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    _("Druk op [b]{key}[/b] om kwali te sluiten.").format(key=key),
                    title=_("Wil je stoppen?"),
                )
                return

    def _textual_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette commands (App.get_system_commands, 8.x) in the user's language.

        Quit is left out: the q binding ("Stoppen") is listed with the bindings below. So is
        Keys, Textual's key panel: it lists Textual's widget keys in English; `?` (Help) lists
        this screen's keys in the user's language.
        """
        yield SystemCommand(_("Thema"), _("Kies een ander kleurenthema"), self.action_change_theme)
        if screen.maximized is not None:
            yield SystemCommand(
                _("Verkleinen"), _("Zet het vergrote onderdeel terug"), screen.action_minimize
            )
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(
                _("Vergroten"), _("Vergroot het onderdeel met de focus"), screen.action_maximize
            )
        yield SystemCommand(
            _("Schermafbeelding"),
            _("Sla dit scherm op als SVG-afbeelding"),
            lambda: self.set_timer(0.1, self.deliver_screenshot),
        )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette offers every kwali binding of the current screen, by its description.

        Bindings without an id are Textual's own (focus, copy, the input's editing keys, ctrl+p):
        described in English and no commands of kwali, they are left out, as in the help screen.
        """
        yield from self._textual_commands(screen)
        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if (
                not binding.description
                or not binding.id
                or binding.system
                or binding.description in seen
                or not active.enabled
            ):
                continue
            seen.add(binding.description)
            key = _("toets {key}").format(key=self.get_key_display(binding))
            yield SystemCommand(
                binding.description,
                f"{key} · {binding.tooltip}" if binding.tooltip else key,
                # the binding's action, run in the namespace of the node that has the binding
                partial(self.run_action, binding.action, active.node),
            )


def run(path: str | Path, coder: str, blind: bool = False) -> int:
    """Open the project and run the app; returns an exit code. Errors are one line, not a trace."""
    try:
        try:
            project = Project.open(path)
        except ProjectError as exc:
            if exc.reason != "readonly":  # the reason, not the wording (it has a language)
                raise
            project = Project.open(path, readonly=True)
    except KwaliError as exc:
        print(_("kwali: fout: {error}").format(error=exc.one_line()), file=sys.stderr)
        return 1
    with project:
        KwaliApp(project, coder, blind=blind).run()
    return 0
