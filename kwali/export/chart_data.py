"""What the charts show, as plain numbers: one source for the picture files and the terminal.

The counts are the count tables' own (:func:`kwali.export.tables.frequencies` and
:func:`~kwali.export.tables.cooccurrence`); this module only picks what a chart draws and in
which order. Bars and heat-map cells are the codes without codes below them, in the codebook's
tree order; the codes above them (categories) are headings, never bars, so nothing is counted
twice. Labels are the codes' labels and the groups as the tables write them (3,5).
No matplotlib here: the terminal screen reads these without loading it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kwali.analysis.tables import cooccurrence_table
from kwali.app.wording import decimal
from kwali.errors import ExportError
from kwali.export.tables import frequencies, select_codes
from kwali.i18n import _
from kwali.model import CODE_PALETTE, Code, Codebook

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from kwali.store import Project

KINDS = ("bars", "heatmap")
COUNTS = {"segments": "codings", "respondents": "respondents"}  # the exports' words: analysis'
# why a chart is refused (ChartRefusal.reason), which the terminal screen says in its own words
NOTHING = "nothing"
NO_PAIRS = "no_pairs"
TOO_MANY = "too_many"
MAX_GROUPS = 8  # panels side by side on a page; more would be too narrow to read
PALETTE = CODE_PALETTE


class ChartRefusal(ExportError):
    """A chart with nothing to draw, or too much: ``reason`` is NOTHING, NO_PAIRS or TOO_MANY
    (screens compare it, never the wording, which follows the language)."""

    def __init__(
        self, message: str, *, reason: str, path: str | Path | None = None, hint: str = ""
    ) -> None:
        super().__init__(message, path=path, hint=hint)
        self.reason = reason


@dataclass(frozen=True)
class Row:
    """A line of a chart: a code with its bar, or a heading (a code with codes below it)."""

    key: str
    label: str
    colour: str  # '#rrggbb'
    depth: int  # 0 for a root
    heading: bool


@dataclass(frozen=True)
class BarData:
    """Counts per code (rows) and group (panels): ``counts[group][i]`` belongs to ``rows[i]``;
    headings count 0 and get no bar."""

    by: str
    count: str  # "segments" or "respondents"
    rows: tuple[Row, ...]
    groups: tuple[str, ...]
    counts: dict[str, tuple[int, ...]]

    @property
    def bars(self) -> list[Row]:
        return [row for row in self.rows if not row.heading]

    def maximum(self) -> int:
        return max((n for values in self.counts.values() for n in values), default=0)


@dataclass(frozen=True)
class HeatData:
    """Code × code: ``cells[i][j]`` is how often ``codes[i]`` and ``codes[j]`` share text; the
    diagonal is a code's own count. With ``c`` the cells off the diagonal show Atlas.ti's
    c-coefficient of the two codes instead (0 to 1), the diagonal still the count."""

    unit: str  # "overlap" or "turn"
    count: str
    codes: tuple[Row, ...]
    cells: tuple[tuple[int, ...], ...]
    c: tuple[tuple[float, ...], ...] | None = None

    def value(self, i: int, j: int) -> float:
        """What cell (i, j) shows: the count, or off the diagonal the c-coefficient."""
        return self.c[i][j] if self.c is not None and i != j else self.cells[i][j]

    def text(self, i: int, j: int) -> str:
        """The cell as written: empty for none, c as a decimal in the reader's language
        (0,25 in Dutch, 0.25 in English)."""
        value = self.value(i, j)
        if not value:
            return ""
        if self.c is not None and i != j:
            return decimal(value)
        return str(int(value))

    def maximum_pair(self) -> float:
        n = len(self.codes)
        return max((self.value(i, j) for i in range(n) for j in range(n) if i != j), default=0)


def _hex(colour: str) -> str | None:
    text = colour.strip().lower()
    if len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdef" for c in text[1:]):
        return text
    return None


def colours(codebook: Codebook) -> dict[str, str]:
    """A code's own colour when it is '#rrggbb', else a fixed palette by codebook position."""
    return {
        code.key: _hex(code.colour) or PALETTE[index % len(PALETTE)]
        for index, code in enumerate(codebook.codes)
    }


def chart_rows(codebook: Codebook, chosen: Sequence[Code]) -> tuple[Row, ...]:
    """The chosen codes in tree order; those with codes below them become headings."""
    wanted = {code.key for code in chosen}
    colour = colours(codebook)
    rows = []
    for code in codebook.in_tree_order():
        if code.key not in wanted:
            continue
        heading = code.kind == "category" or bool(codebook.children(code.key))
        depth = len(codebook.path(code.key)) - 1
        rows.append(Row(code.key, code.label or code.key, colour[code.key], depth, heading))
    return tuple(rows)


def group_choices(project: Project) -> list[str]:
    """What bars can be grouped by: the study's main contrasts first (rol, aanpak, geslacht,
    as the report picks them), then the other attributes, then each document on its own."""
    keys = sorted({k for s in project.document_summaries() for k in s.attributes})
    first = [k for k in ("rol", "aanpak", "geslacht") if k in keys]
    return first + [k for k in keys if k not in first] + ["document"]


def _nothing(project: Project, message: str, reason: str = NOTHING) -> ChartRefusal:
    return ChartRefusal(
        message,
        reason=reason,
        path=project.location,
        hint=_("codeer eerst wat tekst (kwali tui), of kies andere codes of codeurs"),
    )


def bar_data_from(
    table: pd.DataFrame, codebook: Codebook, by: str, count: str = "segments"
) -> BarData:
    """Bar data from a :func:`frequencies` table (e.g. the report's, its groups anonymised)."""
    if count not in ("segments", "respondents"):
        raise ExportError(
            _("onbekende telling {count} (kies segments of respondents)").format(count=repr(count))
        )
    chosen = [c for key in dict.fromkeys(table["code"]) if (c := codebook.get(key)) is not None]
    rows = chart_rows(codebook, chosen)
    groups = tuple(dict.fromkeys(str(g) for g in table[by]))
    value = {(str(r["code"]), str(r[by])): int(r[count]) for r in table.to_dict("records")}
    counts = {
        group: tuple(0 if row.heading else value.get((row.key, group), 0) for row in rows)
        for group in groups
    }
    return BarData(by, count, rows, groups, counts)


def bar_data(
    project: Project,
    *,
    by: str = "document",
    count: str = "segments",
    codes: Iterable[str] | None = None,
    coders: Sequence[str] | None = None,
    rename: Callable[[str], str] | None = None,
) -> BarData:
    """Counts per code and group of ``by``; refuses (one line) when no code has any.

    ``rename`` is applied to the group names (the anonymiser: they may be names)."""
    table = frequencies(project, by=by, codes=codes, coders=coders)
    if rename is not None:
        table[by] = table[by].map(rename)
    data = bar_data_from(table, project.codebook(), by, count)
    check_bars(project, data)
    return data


def check_bars(project: Project, data: BarData) -> None:
    """An empty chart is refused, and so are more groups than fit side by side."""
    if not data.bars or data.maximum() == 0:
        raise _nothing(project, _("heeft geen coderingen van deze codes: er is niets te tekenen"))
    if len(data.groups) > MAX_GROUPS:
        raise ChartRefusal(
            _("heeft {n} groepen van {by}; een grafiek toont er hoogstens {most}").format(
                n=len(data.groups), by=repr(data.by), most=MAX_GROUPS
            ),
            reason=TOO_MANY,
            path=project.location,
            hint=_("kies een kenmerk met minder waarden (--by), of exporteer een matrix"),
        )


def heat_data(
    project: Project,
    *,
    codes: Iterable[str] | None = None,
    coders: Sequence[str] | None = None,
    unit: str = "overlap",
    count: str = "segments",
    c: bool = False,
) -> HeatData:
    """Co-occurrence of the coded codes (those without codes below them), in tree order, as
    :func:`~kwali.export.tables.cooccurrence` counts it; ``c``: with the c-coefficients.
    Refuses (one line) when no two codes share text."""
    if count not in COUNTS:
        raise ExportError(
            _("onbekende telling {count} (kies segments of respondents)").format(count=repr(count))
        )
    if unit not in ("overlap", "turn"):
        raise ExportError(
            _("onbekende eenheid {unit} (kies overlap of turn)").format(unit=repr(unit))
        )
    codebook = project.codebook()
    chosen = select_codes(codebook, codes, project.path)
    table = cooccurrence_table(  # as the cooccurrence export makes it
        project, count=COUNTS[count], codes=codes, coders=coders, consensus_layer=True, unit=unit
    )
    rows = [r for r in chart_rows(codebook, chosen) if not r.heading]
    kept = tuple(r for r in rows if table.value(r.key, r.key) > 0)
    if not kept:
        raise _nothing(project, _("heeft geen coderingen van deze codes: er is niets te tekenen"))
    cells = tuple(tuple(table.value(a.key, b.key) for b in kept) for a in kept)
    coefficients = (
        tuple(tuple(table.c_coefficient(a.key, b.key) or 0.0 for b in kept) for a in kept)
        if c
        else None
    )
    data = HeatData(unit, count, kept, cells, coefficients)
    if data.maximum_pair() == 0:
        if unit == "overlap":
            why = _("heeft geen twee codes op dezelfde tekst: er is niets te tekenen")
        else:
            why = _("heeft geen twee codes in dezelfde spreekbeurt: er is niets te tekenen")
        raise _nothing(project, why, NO_PAIRS)
    return data
