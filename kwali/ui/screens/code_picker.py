"""Choose a code by typing: fuzzy search over keys, labels and definitions (rapidfuzz)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from rapidfuzz import fuzz
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from kwali.i18n import _
from kwali.model import Code, Codebook
from kwali.ui.screens.choice import OptionsModal
from kwali.ui.widgets.colours import code_colours

NO_FILTER = "__none__"  # id of the "no code" option (no filter, no parent); never a code key


def rank_codes(codebook: Codebook, query: str, limit: int = 50) -> list[Code]:
    """Codes best matching ``query``: keys and labels count fully, definitions a little less."""
    query = query.strip().lower()
    if not query:
        return list(codebook.codes)[:limit]
    scored = []
    for position, code in enumerate(codebook.codes):
        label = code.label.lower()
        score = max(
            fuzz.partial_ratio(query, code.key.lower()),
            fuzz.partial_ratio(query, label),
            0.85 * fuzz.partial_token_set_ratio(query, code.definition.lower())
            if code.definition
            else 0,
        )
        if label.startswith(query) or code.key.lower().startswith(query):
            score += 20
        if score >= 60:
            scored.append((-score, position, code))
    return [code for _score, _unused, code in sorted(scored)[:limit]]


def _prompt(code: Code, codebook: Codebook, colour: str, count: int | None) -> Text:
    path = " › ".join(c.label for c in codebook.path(code.key)[:-1])
    text = Text()
    text.append("● " if code.kind == "code" else "▸ ", style=colour or "dim")
    if path:
        text.append(f"{path} › ", style="dim")
    text.append(code.label, style="bold")
    text.append(f"  {code.key}", style="dim")
    if count is not None:
        text.append(f"  ({count})", style="dim")
    if code.definition:
        definition = code.definition if len(code.definition) <= 90 else code.definition[:89] + "…"
        text.append(f"\n    {definition}", style="dim italic")
    return text


class CodePickerModal(OptionsModal):
    """Dismisses with a code key, ``NO_FILTER`` (when ``none_label`` offers it), or None.

    The one code picker of the UI: coding, filtering, quotes, merging and moving codes.
    """

    BINDINGS = [
        Binding("escape", "cancel", _("Annuleren"), id="picker.cancel"),
        Binding("down", "move(1)", _("Volgende"), show=False, id="picker.down"),
        Binding("up", "move(-1)", _("Vorige"), show=False, id="picker.up"),
    ]

    def __init__(
        self,
        codebook: Codebook,
        colours: Mapping[str, str] | None,
        title: str,
        none_label: str | None = None,
        *,
        exclude: Iterable[str] = (),
        counts: Mapping[str, int] | None = None,
    ) -> None:
        super().__init__(
            title,
            hint=_("↑↓ kiezen · Enter: toepassen · Esc: annuleren"),
            list_id="codes",
            dialog="dialog dialog-wide",
        )
        excluded = set(exclude)
        self.codebook = codebook
        self.choices = Codebook(codebook.name, tuple(c for c in codebook if c.key not in excluded))
        self.colours = colours if colours is not None else code_colours(codebook)
        self.none_label = none_label
        self.counts = counts

    above_lines = 3  # the query field

    def above_list(self) -> Iterator[Widget]:
        yield Input(
            placeholder=_("typ een deel van de code, het label of de definitie"), id="query"
        )

    def on_mount(self) -> None:  # OptionsModal's on_mount runs too (Textual calls each class's)
        self._fill("")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        options = self.query_one("#codes", OptionList)
        options.clear_options()
        if self.none_label and not query.strip():
            options.add_option(Option(Text(self.none_label, style="italic"), id=NO_FILTER))
        for code in rank_codes(self.choices, query):
            count = self.counts.get(code.key, 0) if self.counts is not None else None
            options.add_option(
                Option(
                    _prompt(code, self.codebook, self.colours.get(code.key, ""), count), id=code.key
                )
            )
        if options.option_count:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one("#codes", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted)
    def _submit(self) -> None:
        options = self.query_one("#codes", OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)
