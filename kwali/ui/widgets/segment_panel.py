"""The side panel: the current segment's suggestions (score, evidence) and codings."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from kwali.i18n import _


@dataclass(frozen=True, slots=True)
class SuggestionItem:
    """One open suggestion as shown: what, how sure, and which words fired."""

    label: str
    key: str
    colour: str
    score: float
    evidence: tuple[str, ...]  # words the codebook's rules found
    current: bool = False
    learned: tuple[str, ...] = ()  # words the model learned from confirmed codings pointed at


@dataclass(frozen=True, slots=True)
class CodingItem:
    """One coding on the segment."""

    label: str
    colour: str
    coder: str
    mine: bool
    memo: str = ""
    origin: str = "manual"


@dataclass(frozen=True, slots=True)
class PanelData:
    """Everything the panel shows about one segment."""

    reference: str
    speaker: str
    timestamp: str
    line: int
    suggestions: tuple[SuggestionItem, ...] = ()
    codings: tuple[CodingItem, ...] = ()
    memos: tuple[str, ...] = ()
    selection: str = ""
    marked: bool = False  # the coder marked the sentence reviewed (`r`)


def _bar(score: float, width: int = 8) -> str:
    filled = round(max(0.0, min(1.0, score)) * width)
    return "█" * filled + "░" * (width - filled)


def _evidence(text: Text, item: SuggestionItem) -> None:
    text.append(", ".join(f"“{e}”" for e in item.evidence), style="italic")
    if item.learned:
        text.append("; " if item.evidence else "", style="dim")
        text.append(", ".join(f"“{e}”" for e in item.learned), style="italic")
        text.append(" " + _("(geleerd)"), style="dim")


def _coding(text: Text, coding: CodingItem) -> None:
    text.append("┃ " if coding.mine else "╎ ", style=coding.colour)
    text.append(coding.label, style="bold" if coding.mine else "italic")
    who = _("jij") if coding.mine else coding.coder
    how = ", " + _("suggestie") if coding.origin == "suggestion" else ""
    text.append(f" ({who}{how})", style="dim")


def render_panel(data: PanelData | None, compact: bool = False) -> Text:
    """The panel's text; a pure function so it is easy to test and cheap to redraw.

    ``compact`` (the panel under the transcript, a few lines high): no blank lines, one line
    per suggestion and every code of the sentence on one wrapping line, so none is hidden."""
    text = Text()
    if data is None:
        text.append(_("Geen zin geselecteerd."), style="dim")
        return text
    gap = "" if compact else "\n"
    text.append(data.reference, style="bold")
    line = _("regel {n}").format(n=data.line)
    details = " · ".join(p for p in (data.speaker, data.timestamp, line) if p)
    text.append(f"  {details}", style="dim")
    if data.marked:
        text.append("  ✓ " + _("bekeken"), style="green")
    text.append("\n")
    if data.selection:
        text.append(gap + _("Selectie") + " ", style="bold reverse")
        text.append(f" {data.selection}\n", style="italic")
    if compact:
        _compact_body(text, data)
        return text
    text.append("\n" + _("Suggesties") + "\n", style="bold underline")
    if not data.suggestions:
        text.append("  " + _("geen open suggesties") + "\n", style="dim")
    for item in data.suggestions:
        marker = "▶ " if item.current else "  "
        text.append(marker, style="bold")
        text.append("● ", style=item.colour)
        text.append(item.label, style="bold" if item.current else "")
        text.append(f"  {_bar(item.score)} {item.score:.2f}\n", style="dim")
        if item.evidence or item.learned:
            text.append("    " + _("bewijs:") + " ", style="dim")
            _evidence(text, item)
            text.append("\n")
    text.append("\n" + _("Codes") + "\n", style="bold underline")
    if not data.codings:
        text.append("  " + _("nog niet gecodeerd") + "\n", style="dim")
    for coding in data.codings:
        text.append("  ")
        _coding(text, coding)
        text.append("\n")
        if coding.memo:
            text.append("    " + _("memo: {memo}").format(memo=coding.memo) + "\n", style="italic")
    if data.memos:
        text.append("\n" + _("Memo's") + "\n", style="bold underline")
        for memo in data.memos:
            text.append(f"  {memo}\n", style="italic")
    return text


def _compact_body(text: Text, data: PanelData) -> None:
    text.append(_("Codes") + " ", style="bold")
    if not data.codings:
        text.append(_("nog niet gecodeerd"), style="dim")
    for n, coding in enumerate(data.codings):
        if n:
            text.append(" · ", style="dim")
        _coding(text, coding)
        if coding.memo:
            text.append(" " + _("memo: {memo}").format(memo=coding.memo), style="italic")
    text.append("\n")
    if not data.suggestions:
        text.append(_("Suggesties") + " ", style="bold")
        text.append(_("geen open") + "\n", style="dim")
    for item in data.suggestions:
        text.append("▶ " if item.current else "  ", style="bold")
        text.append("● ", style=item.colour)
        text.append(item.label, style="bold" if item.current else "")
        text.append(f" {item.score:.2f}", style="dim")
        if item.evidence or item.learned:
            text.append("  ")
            _evidence(text, item)
        text.append("\n")
    for memo in data.memos:
        text.append(_("Memo") + " ", style="bold")
        text.append(f"{memo}\n", style="italic")


class SegmentPanel(VerticalScroll, can_focus=False):
    """Shows :class:`PanelData`; knows nothing about the project."""

    def compose(self) -> ComposeResult:
        yield Static(id="panel-body")

    def show(self, data: PanelData | None, compact: bool = False) -> None:
        self.query_one("#panel-body", Static).update(render_panel(data, compact))
