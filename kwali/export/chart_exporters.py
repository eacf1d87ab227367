"""`kwali export chart`: the bar chart per group or the co-occurrence heat map as PNG or SVG."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.errors import ExportError
from kwali.export.base import Exporter, ExportResult
from kwali.export.files import write_bytes
from kwali.export.options import Selection
from kwali.i18n import _
from kwali.store.attribute_types import shown_value

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from kwali.model import Codebook
    from kwali.store import Project


@dataclass(frozen=True)
class ChartOptions(Selection):
    kind: str = "bars"  # "bars": frequencies per group; "heatmap": co-occurrence
    by: str = "document"  # bars: documents, or the values of an attribute
    count: str = "segments"  # or respondents
    unit: str = "overlap"  # heatmap: overlapping text, or the same speaker turn
    c: bool = False  # heatmap: the c-coefficients (Atlas.ti) instead of the counts
    anonymize: bool = False  # the groups are attribute values or document names
    keys: bool = False  # the groups and the attribute as stored (ontvangende_organisatie)


class ChartExporter(Exporter[ChartOptions]):
    name = "chart"
    formats = ("png", "svg")
    options_type = ChartOptions
    summary = _("een staafdiagram per groep (--kind bars --by) of een heatmap (png, svg)")

    def run(
        self, project: Project, out: Path, fmt: str, force: bool, options: ChartOptions
    ) -> ExportResult:
        from kwali.export.chart_data import KINDS, bar_data, heat_data
        from kwali.export.charts import bar_figure, figure_bytes, heatmap_figure

        codes, coders = options.chosen()
        if options.kind not in KINDS:
            raise ExportError(
                _("onbekende grafiek {kind} (kies {choices})").format(
                    kind=repr(options.kind), choices=", ".join(KINDS)
                )
            )
        if options.kind == "heatmap":
            heat = heat_data(
                project,
                codes=codes,
                coders=coders,
                unit=options.unit,
                count=options.count,
                c=options.c,
            )
            figure = heatmap_figure(heat)
            counts = {"codes": len(heat.codes)}
        else:
            bars = bar_data(
                project,
                by=options.by,
                count=options.count,
                codes=codes,
                coders=coders,
                rename=_renamer(
                    project, options.anonymize, shown=not options.keys and options.by != "document"
                ),
            )
            if not options.keys and options.by != "document":
                bars = replace(bars, by=shown_value(options.by))
            figure = bar_figure(bars)
            counts = {"codes": len(bars.bars), "groups": len(bars.groups)}
        written = write_bytes(out, lambda: figure_bytes(figure, fmt), force)
        return ExportResult(written, counts=counts)


def _renamer(
    project: Project, anonymize: bool, *, shown: bool = False
) -> Callable[[str], str] | None:
    """The group names as shown: names replaced when asked for, then attribute values as
    written words (``ontvangende organisatie``) unless the keys are asked for."""
    steps: list[Callable[[str], str]] = []
    if anonymize:
        from kwali.export.anonymize import Anonymizer, project_replacements

        steps.append(Anonymizer(project_replacements(project)))
    if shown:
        steps.append(shown_value)
    if not steps:
        return None

    def rename(value: str) -> str:
        for step in steps:
            value = step(value)
        return value

    return rename


@dataclass(frozen=True)
class Picture:
    """A chart for a document: its caption, its PNG and the width it was drawn at (cm), so a
    small heat map is not blown up to the page's width."""

    caption: str
    png: bytes
    width: float


def _picture(caption: str, figure: Figure) -> Picture:
    from kwali.export.charts import figure_bytes

    return Picture(caption, figure_bytes(figure, "png"), figure.get_size_inches()[0] * 2.54)


@dataclass(frozen=True)
class ReportCharts:
    """The report's pictures, each (caption, PNG) where it belongs: the overview's (the bars
    of every code per group, the heat map), and one per code chapter (``chapters``: a
    category's codes per group, or a code's count per group)."""

    overview: list[Picture]
    chapters: dict[str, Picture]


def report_charts(
    project: Project,
    counts: pd.DataFrame | None,
    group_by: str | None,
    *,
    codes: Sequence[str] | None = None,
    coders: Sequence[str] | None = None,
) -> tuple[ReportCharts, tuple[str, ...]]:
    """The report's pictures, and why a chart was left out (a warning).

    The bars come from the report's own ``frequencies`` table (its groups already anonymised
    and shown as the report writes them, its empty codes and groups already left out), so
    the pictures and the report's count tables cannot disagree."""
    from kwali.export.chart_data import bar_data_from, check_bars, heat_data
    from kwali.export.charts import bar_figure, heatmap_figure

    overview: list[Picture] = []
    chapters: dict[str, Picture] = {}
    skipped: list[str] = []
    codebook = project.codebook()
    if counts is not None and group_by:
        shown_by = shown_value(group_by)
        try:
            bars = replace(bar_data_from(counts, codebook, group_by), by=shown_by)
            check_bars(project, bars)
            caption = _("Gecodeerde fragmenten per code en {by}").format(by=shown_by)
            overview.append(_picture(caption, bar_figure(bars)))
            for key in dict.fromkeys(counts["code"]):
                picture = _chapter_chart(codebook, counts, group_by, shown_by, str(key))
                if picture is not None:
                    chapters[str(key)] = picture
        except ExportError as exc:
            skipped.append(_("geen staafdiagram in het rapport: {why}").format(why=exc.one_line()))
    try:
        heat = heat_data(project, codes=codes, coders=coders)
        caption = _("Codes die samen op dezelfde tekst staan (aantal fragmenten)")
        overview.append(_picture(caption, heatmap_figure(heat)))
    except ExportError as exc:
        skipped.append(_("geen heatmap in het rapport: {why}").format(why=exc.one_line()))
    return ReportCharts(overview, chapters), tuple(skipped)


def _chapter_chart(
    codebook: Codebook, counts: pd.DataFrame, group_by: str, shown_by: str, key: str
) -> Picture | None:
    """A chapter's picture: a category's codes per group (a panel per group), or a code's
    count per group (one bar per group, in the code's colour); None for nothing to draw."""
    from kwali.export.chart_data import BarData, Row, bar_data_from, colours
    from kwali.export.charts import bar_figure

    code = codebook.get(key)
    if code is None:
        return None
    label = code.label or code.key
    if codebook.children(key):
        # the codes below it; the category itself is the chapter's title, not a heading here
        below = {
            c.key
            for c in codebook.in_tree_order()
            if c.key != key and key in {p.key for p in codebook.path(c.key)}
        }
        bars = replace(
            bar_data_from(counts[counts["code"].isin(below)], codebook, group_by), by=shown_by
        )
        caption = _("{label}: gecodeerde fragmenten per code en {by}").format(
            label=label, by=shown_by
        )
    else:
        own = counts[counts["code"] == key]
        groups = [str(g) for g in own[group_by]]
        colour = colours(codebook)[key]
        bars = BarData(
            shown_by,
            "segments",
            tuple(Row(g, g, colour, 0, False) for g in groups),
            (label,),
            {label: tuple(int(n) for n in own["segments"])},
        )
        caption = _("{label}: gecodeerde fragmenten per {by}").format(label=label, by=shown_by)
    if not bars.bars or bars.maximum() == 0:
        return None
    if codebook.children(key) and len(bars.bars) == 1:
        return None  # one code: its own chapter's chart shows the same bars
    return _picture(caption, bar_figure(bars))
