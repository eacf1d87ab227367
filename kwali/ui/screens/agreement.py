"""Coder agreement: the statistics per code, and the review of every unit coders differ on.

The top table shows the figures of ``kwali.app.agreeing.agreement_report`` for the chosen
unit (``e`` switches sentence → turn → character; ``i`` counts the interviewer and the
headers too). The bottom table lists each unit where the coders differ, one column per
coder; the team settles a unit by taking one coder's codes (``1``–``9``) or picking codes
(``p``), which writes the ``consensus`` layer through ``kwali.app.settling.settle``; ``s``
skips to the next open unit. The coders' own layers
are never changed. In blind mode the screen shows nothing: it would reveal other layers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from kwali.app.agreeing import (
    ALPHA_UNITS,
    MINIMUMS,
    AgreementReport,
    agreement_report,
    below,
    threshold,
)
from kwali.app.agreeing_data import CONSENSUS, TooFewCoders
from kwali.app.code_names import fold, label_of, path_text
from kwali.app.settling import Disagreement, disagreements, settle
from kwali.app.wording import counted, decimal
from kwali.errors import KwaliError
from kwali.i18n import _
from kwali.store import Project
from kwali.ui.messages import ProjectChanged
from kwali.ui.problems import problem_text

UNITS = ("sentence", "turn", "char")
UNIT_NAMES = {
    "sentence": _("zin"),
    "turn": _("beurt"),
    "char": _("teken"),
    "answer": _("antwoord"),
}
HEADINGS = {  # i18n: keep (after the percentage: the statistics' names)
    "percent": _("overeenst. (%)"),
    "holsti": "Holsti",
    "cohen_kappa": "Cohen κ",
    "fleiss_kappa": "Fleiss κ",
    "krippendorff_alpha": "Kripp. α",
    ALPHA_UNITS: _("α (eenheden)"),
    **{below(m): f"q(α<{threshold(m)})" for m in MINIMUMS},
    "brennan_prediger": "BP κ",
    "gwet_ac1": "Gwet AC1",
    "binary_u_alpha": "α-binary",
    "u_alpha": "uα",
    "cu_alpha": "cu-α",
}


def _named(item: Disagreement, keys: Sequence[str]) -> str:
    """Codes as the team reads them: by label."""
    return ", ".join(item.named(keys))


def _problem(error: KwaliError) -> str:
    """Why there are no figures, in Dutch where it is the common case: too few coders."""
    if isinstance(error, TooFewCoders):
        who = ", ".join(error.active) or _("nog niemand")
        return _(
            "er zijn minstens twee codeurs met coderingen nodig (elk codeert in een "
            "eigen laag: kwali tui --coder NAAM); gecodeerd heeft: {who}."
        ).format(who=who)
    return problem_text(error)


def _fitted(text: str, width: int) -> Text:
    """``text`` in at most ``width`` cells, ending in … when cut (the unit pane below shows
    a disagreement's codes in full)."""
    cell = Text(text)
    cell.truncate(width, overflow="ellipsis")
    return cell


def _widest(report: AgreementReport) -> int:
    return max([len(_("Alle codes")), *(len(n) + 2 for n in report.names.values())])


def figure(name: str, value: float | None) -> str:
    """A percentage with one decimal, a coefficient or q with three, a value with its
    interval ("bound") with two: 0,71 [0,62–0,79]."""
    if value is None:
        return ""
    if value != value:  # NaN: the statistic is 0/0
        return _("n.v.t.")
    if name == "percent":
        return decimal(value * 100, 1)
    return decimal(value, 2 if name == "bound" else 3)


class PickCodesModal(ModalScreen[list[str] | None]):
    """Tick the codes the team agreed on; dismisses with them, or None."""

    # The list gives way to the title and the keys line: at 80×24 a long codebook would
    # push "v: vaststellen" off the dialog.
    DEFAULT_CSS = """
    PickCodesModal #pick-codes { height: auto; max-height: 50vh; }
    """

    BINDINGS = [
        Binding("v", "confirm", _("Vaststellen"), priority=True, id="pick.confirm"),
        Binding("escape", "cancel", _("Annuleren"), id="pick.cancel"),
    ]

    def __init__(
        self, reference: str, codes: Sequence[tuple[str, str]], ticked: Sequence[str]
    ) -> None:
        super().__init__()
        self.reference = reference
        self.codes = codes
        self.ticked = set(ticked)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Codes voor {ref}").format(ref=self.reference), classes="dialog-title")
            yield SelectionList[str](
                *(Selection(label, key, key in self.ticked) for key, label in self.codes),
                id="pick-codes",
            )
            yield Label(
                _("Spatie: aan/uit · v: vaststellen · Esc: annuleren"), classes="dialog-hint"
            )

    def action_confirm(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)


class AgreementScreen(Screen[None]):
    """Statistics and disagreement review for ``coders`` (default: all but consensus)."""

    BINDINGS = [
        Binding("e", "next_unit", _("Eenheid"), id="agree.unit"),
        # shown in the title ("zonder interviewer (i)"): the footer is full at 80 columns
        Binding("i", "interviewers", _("Interviewers"), show=False, id="agree.interviewers"),
        *[
            Binding(
                str(n),
                f"take({n})",
                _("Codes van codeur"),
                show=n == 1,
                key_display="1-9",
                id=f"agree.take{n}",
            )
            for n in range(1, 10)
        ],
        Binding("p", "pick", _("Codes kiezen"), id="agree.pick"),
        Binding("s", "skip", _("Overslaan"), id="agree.skip"),
        Binding("escape", "back", _("Terug"), id="agree.back"),
    ]

    DEFAULT_CSS = """
    AgreementScreen #agree-title, AgreementScreen #review-title {
        height: auto; max-height: 2; padding: 0 1; background: $panel; color: $foreground;
    }
    AgreementScreen #agree-stats { height: 2fr; }
    AgreementScreen #agree-diffs { height: 2fr; }
    AgreementScreen #agree-unit { height: 1fr; min-height: 3; padding: 0 1; background: $surface; }
    """

    def __init__(
        self, project: Project, coder: str, coders: Sequence[str] = (), blind: bool = False
    ) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.coders = tuple(coders)
        self.blind = blind
        self.unit = "sentence"
        self.include_interviewer = False  # i: the interviewer and the headers count too
        self.report: AgreementReport | None = None
        self._shown_width = 0
        self.listed: list[Disagreement] = []

    def compose(self) -> ComposeResult:
        yield Static(id="agree-title")
        # The name columns stay put while ←/→ scroll the rest: at 80 columns the figures
        # are off to the right.
        yield DataTable(id="agree-stats", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        yield Static(id="review-title")
        yield DataTable(id="agree-diffs", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        yield Static(id="agree-unit")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.blind:
            self.query_one("#agree-title", Static).update(
                _(
                    "Overeenstemming is niet beschikbaar in blinde modus: het toont de lagen "
                    "van anderen."
                )
            )
            return
        self.load()
        self.query_one("#agree-diffs", DataTable).focus()

    # -- loading ---------------------------------------------------------------------------
    def load(self) -> None:
        title = self.query_one("#agree-title", Static)
        try:
            self.report = agreement_report(
                self.project,
                self.coders,
                self.unit,
                include_interviewer=self.include_interviewer,
            )
        except KwaliError as exc:
            self.report, self.listed = None, []
            title.update(Text(_("Overeenstemming: {problem}").format(problem=_problem(exc))))
            self.query_one("#agree-stats", DataTable).clear(columns=True)
            self.query_one("#agree-diffs", DataTable).clear(columns=True)
            return
        report = self.report
        heading = _(
            "Overeenstemming · eenheid: {unit} (e wisselt) · codeurs: {coders} · {documents}"
        ).format(
            unit=UNIT_NAMES[self.unit],
            coders=", ".join(report.coders),
            documents=counted(report.documents, _("document"), _("documenten")),
        )
        if self.unit in ("sentence", "turn"):  # the units that leave the interviewer out
            heading += " · " + (
                _("met interviewer (i)")
                if self.include_interviewer
                else _("zonder interviewer (i)")
            )
        title.update(Text(heading))
        self._fill_stats()
        self.load_disagreements()

    def _name_width(self) -> int:
        """How wide a code's name may be: a third of the screen (longer ones end in …)."""
        return max(16, self.size.width // 3)

    def _fill_stats(self) -> None:
        report = self.report
        if report is None:
            return
        names = report.columns()
        table = self.query_one("#agree-stats", DataTable)
        table.clear(columns=True)
        table.add_column(_("Code"), width=min(self._name_width(), _widest(report)))
        for heading in (_("Eenheden"), *report.coders, *[HEADINGS[n] for n in names]):
            table.add_column(Text(heading, justify="right"))
        for name, *figures in report.table(figure, _("Alle codes")):
            table.add_row(
                _fitted(name, self._name_width()), *[Text(f, justify="right") for f in figures]
            )
        self._shown_width = self._name_width()

    def on_resize(self) -> None:
        if self.report is not None and self._name_width() != self._shown_width:
            self._fill_stats()
            self.load_disagreements(keep=self.query_one("#agree-diffs", DataTable).cursor_row)

    def load_disagreements(self, keep: int | None = None) -> None:
        if self.report is None:
            return
        self.listed = disagreements(
            self.project,
            self.report.coders,
            self.unit,
            include_interviewer=self.include_interviewer,
        )
        table = self.query_one("#agree-diffs", DataTable)
        table.clear(columns=True)
        coders = self.report.coders
        table.add_columns(
            _("Ref."),
            *[f"{i} {c}" for i, c in enumerate(coders, start=1)],
            _("Consensus"),
            _("Tekst"),
        )
        width = self._name_width()
        # the text gets what the code columns leave (at least 60: ←/→ reach the rest)
        text_width = max(60, self.size.width - 12 - (len(coders) + 1) * (width + 2))
        for item in self.listed:
            table.add_row(
                item.reference,
                *[
                    _fitted(_named(item, item.codes[c]) or "—", width) if c in item.codes else "·"
                    for c in coders
                ],
                ""
                if item.consensus is None
                else _fitted(_named(item, item.consensus) or _("geen code"), width),
                Text(" ".join(item.text.split())[:text_width]),
            )  # Text: "[naam ...]" is not markup
        open_units = sum(d.consensus is None for d in self.listed)
        per = _("zin") if self.unit == "char" else UNIT_NAMES[self.unit]
        self.query_one("#review-title", Static).update(
            _(
                "Verschillen per {unit}: {n}, nog open: {open} · "
                "1-9: codes van die codeur · p: kiezen · s: overslaan · ←/→: schuiven · "
                "Tab: andere tabel"
            ).format(unit=per, n=len(self.listed), open=open_units)
        )
        if self.listed:
            table.move_cursor(row=min(keep or 0, len(self.listed) - 1))
        self._show_current()

    # -- the highlighted unit --------------------------------------------------------------
    def current(self) -> Disagreement | None:
        table = self.query_one("#agree-diffs", DataTable)
        if not self.listed or table.cursor_row < 0 or table.cursor_row >= len(self.listed):
            return None
        return self.listed[table.cursor_row]

    @on(DataTable.RowHighlighted, "#agree-diffs")
    def _show_current(self) -> None:
        item = self.current()
        pane = self.query_one("#agree-unit", Static)
        if item is None:
            pane.update(_("Geen verschillen tussen de codeurs.") if self.report else "")
            return
        lines = [f"{item.reference}  {item.text}"]
        lines += [f"  {c}: {_named(item, codes) or '—'}" for c, codes in item.codes.items()]
        if item.consensus is not None:
            lines.append(f"  {CONSENSUS}: {_named(item, item.consensus) or _('geen code')}")
        pane.update(Text("\n".join(lines)))

    # -- settling --------------------------------------------------------------------------
    def _settle(self, codes: Sequence[str]) -> None:
        item = self.current()
        if item is None:
            return
        row = self.query_one("#agree-diffs", DataTable).cursor_row
        try:
            settle(self.project, item.segment, codes, self.coder)
        except KwaliError as exc:
            self.notify(problem_text(exc), severity="error")
            return
        self.notify(
            _("{ref}: {codes} vastgesteld").format(
                ref=item.reference, codes=_named(item, codes) or _("geen code")
            )
        )
        self.load_disagreements(keep=row)
        self.action_skip(from_row=row)

    def action_take(self, number: int) -> None:
        """Take coder ``number``'s codes (as numbered in the column headings) for this unit."""
        item = self.current()
        if item is None or self.report is None or number > len(self.report.coders):
            return
        coder = self.report.coders[number - 1]
        if coder not in item.codes:
            self.notify(
                _("{coder} codeerde dit document niet").format(coder=coder), severity="warning"
            )
            return
        self._settle(item.codes[coder])

    def action_pick(self) -> None:
        item = self.current()
        if item is None or self.report is None:
            return
        # The codes compared first, then the rest of the codebook: the team may settle on
        # a code neither coder used.
        compared = [row.key for row in self.report.codes]
        codebook = self.project.codebook()
        keys = compared + [
            c.key for c in codebook.codes if c.kind == "code" and c.key not in compared
        ]
        shared = Counter(fold(c.label) for c in codebook.codes)
        scope = [
            # by label; by its path where two codes share the label
            (
                key,
                path_text(codebook, key)
                if shared[fold(label_of(codebook, key))] > 1
                else label_of(codebook, key),
            )
            for key in keys
        ]
        ticked = item.consensus if item.consensus is not None else ()

        def chosen(codes: list[str] | None) -> None:
            if codes is not None:
                self._settle([key for key, _label in scope if key in codes])

        self.app.push_screen(PickCodesModal(item.reference, scope, ticked), chosen)

    def action_skip(self, from_row: int | None = None) -> None:
        """To the next unit not yet settled (wrapping round)."""
        table = self.query_one("#agree-diffs", DataTable)
        if not self.listed:
            return
        start = table.cursor_row if from_row is None else from_row
        n = len(self.listed)
        for step in range(1, n + 1):
            row = (start + step) % n
            if self.listed[row].consensus is None:
                table.move_cursor(row=row)
                return
        self.notify(_("Alle verschillen zijn vastgesteld."))

    def action_next_unit(self) -> None:
        if self.blind:
            return
        # answers are units only where the project has a survey (else the report refuses)
        units = UNITS + (("answer",) if self.project.survey_document_ids() else ())
        self.unit = units[(units.index(self.unit) + 1) % len(units)]
        self.load()

    def action_interviewers(self) -> None:
        """Count the interviewer's turns and the headers as units too, or not (the figures
        and the list of differences alike)."""
        if self.blind:
            return
        self.include_interviewer = not self.include_interviewer
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(ProjectChanged)
    def _reload(self) -> None:
        if not self.blind:
            row = self.query_one("#agree-diffs", DataTable).cursor_row
            self.load()
            if self.listed:
                self.query_one("#agree-diffs", DataTable).move_cursor(
                    row=min(row, len(self.listed) - 1)
                )
