"""What the survey screen draws: an answer's row, the numbered codes and the answer panel.

Plain functions from :mod:`kwali.app.survey_coding`'s answers to Rich text, so the screen
only decides what is current. Rows are one line each (the table draws only what is on
screen); the panel shows the whole answer with the evidence of its suggestions marked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text

from kwali.app.survey_coding import Answer, QuestionAnswers
from kwali.app.wording import decimal
from kwali.i18n import _
from kwali.store.attribute_types import shown_value
from kwali.store.surveys import STATUS_WORDS
from kwali.ui.widgets.document_table import Cell, Column

_ONE_LINE = str.maketrans("\n\r\t", "   ")


def score(value: float) -> str:
    return decimal(value)


def header_counts(answers: QuestionAnswers) -> str:
    """ "305 beantwoord · 12 leeg · 9 weet niet · 120 gecodeerd door jou"."""
    parts = [f"{answers.counts.get(status, 0)} {word}" for status, word in STATUS_WORDS.items()]
    parts.append(_("{n} gecodeerd door jou").format(n=answers.coded_count()))
    return " · ".join(parts)


def columns(widths: Mapping[str, int], group_key: str | None) -> list[Column]:
    """The table's columns; a heading padded to its width keeps the column that wide when
    a later code makes a cell longer (the table sizes columns when it is filled)."""
    heads = [("mark", " "), ("nr", _("nr")), ("group", group_key or _("groep"))]
    heads += [("answer", _("antwoord")), ("codes", _("codes")), ("top", _("suggestie"))]
    return [
        Column(label[: widths[key]].ljust(widths[key]), max_width=widths[key])
        for key, label in heads
        if widths.get(key)
    ]


def row(
    answer: Answer,
    answers: QuestionAnswers,
    widths: Mapping[str, int],
    group_key: str | None,
    labels: Mapping[str, str],
    colours: Mapping[str, str],
    marked: bool,
) -> list[Cell]:
    coder = answers.coder
    cells: dict[str, Cell] = {
        "mark": Text("●", style="bold") if marked else " ",
        "nr": answer.respondent,
        "group": shown_value(answer.attributes.get(group_key, "")) if group_key else "",
        "answer": answer.text.translate(_ONE_LINE),
    }
    codes = Text()
    for key in answer.codes(coder):
        if codes:
            codes.append(", ")
        codes.append(labels.get(key, key), style=colours.get(key, ""))
    for key, other in answer.others(coder):
        if codes:
            codes.append(", ")
        codes.append(f"{labels.get(key, key)}·{other}", style="dim")
    cells["codes"] = codes
    top = answer.top
    cells["top"] = (
        Text(f"{score(top.score)} {labels.get(top.code_key, top.code_key)}", style="italic")
        if top
        else ""
    )
    return [
        cells[key] for key in ("mark", "nr", "group", "answer", "codes", "top") if widths.get(key)
    ]


def codes_panel(
    numbered: Sequence[tuple[int, str]],
    labels: Mapping[str, str],
    colours: Mapping[str, str],
    page: int,
    pages: int,
) -> Text:
    text = Text(_("Codes"), style="bold")
    if pages > 1:
        text.append(
            "  " + _("{page}/{pages} · 0: volgende").format(page=page + 1, pages=pages), style="dim"
        )
    if not numbered:
        text.append("\n" + _("Het codeboek heeft nog geen codes (K: codeboek)."), style="dim")
    for number, key in numbered:
        text.append(f"\n{number} ", style="bold")
        text.append("● ", style=colours.get(key, ""))
        text.append(labels.get(key, key))
    return text


def answer_panel(
    answer: Answer | None,
    answers: QuestionAnswers,
    labels: Mapping[str, str],
    colours: Mapping[str, str],
) -> Text:
    """The current answer in full, its codes and its open suggestions with their evidence."""
    if answer is None:
        return Text(_("Geen antwoorden in deze selectie."), style="dim")
    text = Text(answer.respondent, style="bold")
    text.append("  ")
    body = Text(answer.text)
    for suggestion in answer.suggestions:
        for evidence in suggestion.evidence:
            start, end = evidence.start - answer.start, evidence.end - answer.start
            if 0 <= start < end <= len(answer.text):
                body.stylize("bold underline", start, end)
    text.append_text(body)
    mine = answer.codes(answers.coder)
    text.append("\n\n" + _("Codes") + ": ", style="bold")
    if mine:
        for i, key in enumerate(mine):
            text.append(", " if i else "")
            text.append(labels.get(key, key), style=colours.get(key, ""))
    else:
        text.append(_("nog geen"), style="dim")
    others = answer.others(answers.coder)
    if others:
        text.append("\n" + _("Anderen") + ": ", style="bold")
        text.append(", ".join(f"{labels.get(k, k)} ({c})" for k, c in others), style="dim")
    if answer.suggestions:
        text.append("\n" + _("Suggesties"), style="bold")
        text.append("  " + _("a: accepteren · x: afwijzen"), style="dim")
        for i, suggestion in enumerate(answer.suggestions):
            key = suggestion.code_key
            text.append("\n▶ " if i == 0 else "\n  ")
            text.append(labels.get(key, key), style=colours.get(key, ""))
            text.append(f" {score(suggestion.score)}", style="dim")
            words = ", ".join(dict.fromkeys(e.text for e in suggestion.evidence))
            if words:
                text.append(f" — {words}", style="italic")
    if answer.attributes:  # last: what the coder reads first is the answer and its codes
        text.append("\n\n")
        text.append(
            " · ".join(f"{shown_value(k)} {shown_value(v)}" for k, v in answer.attributes.items()),
            style="dim",
        )
    return text
