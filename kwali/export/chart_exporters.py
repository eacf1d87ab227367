"""`kwali export chart`: the bar chart per group or the co-occurrence heat map as PNG or SVG."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.errors import ExportError
from kwali.export.base import Exporter, ExportResult
from kwali.export.files import write_bytes
from kwali.export.options import Selection

if TYPE_CHECKING:
    import pandas as pd

    from kwali.store import Project


@dataclass(frozen=True)
class ChartOptions(Selection):
    kind: str = "bars"  # "bars": frequencies per group; "heatmap": co-occurrence
    by: str = "document"  # bars: documents, or the values of an attribute
    count: str = "segments"  # or respondents
    unit: str = "overlap"  # heatmap: overlapping text, or the same speaker turn
    c: bool = False  # heatmap: the c-coefficients (Atlas.ti) instead of the counts
    anonymize: bool = False  # the groups are attribute values or document names


class ChartExporter(Exporter[ChartOptions]):
    name = "chart"
    formats = ("png", "svg")
    options_type = ChartOptions
    summary = "a bar chart per group (--kind bars --by) or a heat map (png, svg)"

    def run(
        self, project: Project, out: Path, fmt: str, force: bool, options: ChartOptions
    ) -> ExportResult:
        from kwali.export.chart_data import KINDS, bar_data, heat_data
        from kwali.export.charts import bar_figure, figure_bytes, heatmap_figure

        codes, coders = options.chosen()
        if options.kind not in KINDS:
            raise ExportError(f"unknown chart {options.kind!r} (choose {', '.join(KINDS)})")
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
                rename=_renamer(project, options.anonymize),
            )
            figure = bar_figure(bars)
            counts = {"codes": len(bars.bars), "groups": len(bars.groups)}
        written = write_bytes(out, lambda: figure_bytes(figure, fmt), force)
        return ExportResult(written, counts=counts)


def _renamer(project: Project, anonymize: bool) -> Callable[[str], str] | None:
    """The name replacements for the group names, when asked for."""
    if not anonymize:
        return None
    from kwali.export.anonymize import Anonymizer, project_replacements

    return Anonymizer(project_replacements(project))


def report_charts(
    project: Project,
    counts: pd.DataFrame | None,
    group_by: str | None,
    *,
    codes: Sequence[str] | None = None,
    coders: Sequence[str] | None = None,
) -> tuple[list[tuple[str, bytes]], tuple[str, ...]]:
    """The report's pictures as (caption, PNG), and why a chart was left out (a warning).

    The bars come from the report's own ``frequencies`` table (its groups already anonymised
    when asked), so the picture and the report's count tables cannot disagree."""
    from kwali.export.chart_data import bar_data_from, check_bars, heat_data
    from kwali.export.charts import bar_figure, figure_bytes, heatmap_figure

    pictures: list[tuple[str, bytes]] = []
    skipped: list[str] = []
    if counts is not None and group_by:
        try:
            bars = bar_data_from(counts, project.codebook(), group_by)
            check_bars(project, bars)
            figure = bar_figure(bars)
            caption = f"Gecodeerde fragmenten per code en {group_by}"
            pictures.append((caption, figure_bytes(figure, "png")))
        except ExportError as exc:
            skipped.append(f"no bar chart in the report: {exc.one_line()}")
    try:
        heat = heat_data(project, codes=codes, coders=coders)
        caption = "Codes die samen op dezelfde tekst staan (aantal fragmenten)"
        pictures.append((caption, figure_bytes(heatmap_figure(heat), "png")))
    except ExportError as exc:
        skipped.append(f"no heat map in the report: {exc.one_line()}")
    return pictures, tuple(skipped)
