"""The charts as pictures (PNG, SVG) for a report: code frequencies per group, co-occurrence.

Bars are small multiples: one panel per group, side by side on one scale, the code labels once
at the left, each bar in its code's colour from the codebook and its count written at its end.
With 27 codes and 2–4 groups that reads better than grouped bars (108 thin bars told apart by
a legend), and a code looks the same here as in the terminal. The heat map writes each count
in its cell; the diagonal (a code's own count) is grey so the pairs set the colour scale.

Drawn with matplotlib's Agg canvas only (no GUI, no pyplot state), in the DejaVu Sans that
matplotlib ships (no system font, no network), and the same data gives the same bytes: SVG ids
come from a fixed salt and neither file records a date.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")  # never a window, whatever MPLBACKEND says

from matplotlib import colors as mcolors  # noqa: E402 - after choosing the backend
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from kwali.errors import ExportError  # noqa: E402
from kwali.export.chart_data import BarData, HeatData  # noqa: E402
from kwali.i18n import _  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.typing import RcKeyType

FORMATS = ("png", "svg")
DPI = 200
PAGE_WIDTH = 6.3  # inches: an A4 page (21 cm) less 2.5 cm margins
STYLE: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 7,
    "svg.hashsalt": "kwali",  # fixed ids: the same chart gives the same SVG
    "svg.fonttype": "path",  # text as outlines: looks the same without the font
    "axes.spines.top": False,
    "axes.spines.right": False,
}
METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": "kwali"},
    "svg": {"Date": None, "Creator": "kwali"},
}

DIAGONAL = "#d9d9d9"


def _wrap(text: str, width: int) -> str:
    """Lines of at most ``width``, broken at spaces or after an underscore (attribute values
    such as ontvangende_organisatie), a long word only when it must."""
    lines = textwrap.wrap(text.replace("_", "_\x1f "), width)  # a space to break at, marked
    return "\n".join(line.replace("\x1f ", "").replace("\x1f", "") for line in lines) or text


def bar_figure(data: BarData) -> Figure:
    """One panel per group; ``axes[i].patches`` are group i's bars in row order."""
    with matplotlib.rc_context(STYLE):
        rows = data.rows
        height = 0.9 + 0.16 * len(rows)
        figure = Figure(figsize=(PAGE_WIDTH, height))
        FigureCanvasAgg(figure)
        axes = figure.subplots(1, len(data.groups), sharey=True, squeeze=False)[0]
        top = max(1, data.maximum())
        positions = list(range(len(rows)))
        bars = [i for i, row in enumerate(rows) if not row.heading]
        # a group's name over its panel: as many letters as the panel is wide
        title_size = 7.5 if len(data.groups) <= 4 else 6.0
        letters = max(8, int((PAGE_WIDTH - 2.0) / len(data.groups) / (title_size * 0.0085)))
        for ax, group in zip(axes, data.groups, strict=True):
            values = data.counts[group]
            drawn = ax.barh(
                [positions[i] for i in bars],
                [values[i] for i in bars],
                color=[rows[i].colour for i in bars],
                height=0.72,
                edgecolor="#555555",
                linewidth=0.3,
            )
            ax.bar_label(
                drawn,
                labels=[str(values[i]) if values[i] else "" for i in bars],
                padding=1.5,
                fontsize=6,
            )
            ax.set_title(_wrap(group, letters), fontsize=title_size, fontweight="bold")
            ax.set_xlim(0, top * 1.18)
            ax.tick_params(axis="x", labelsize=6)
            ax.tick_params(axis="y", length=0)
            ax.xaxis.get_major_locator().set_params(integer=True)
            ax.grid(axis="x", color="#e6e6e6", linewidth=0.5)
            ax.set_axisbelow(True)
        axes[0].set_ylim(len(rows) - 0.5, -0.5)  # shared: every panel reads top-down
        _code_labels(axes[0], rows)
        if data.count == "respondents":
            axis = _("Aantal respondenten per {by}")
        else:
            axis = _("Aantal gecodeerde fragmenten per {by}")
        figure.supxlabel(axis.format(by=data.by), fontsize=7)
        figure.tight_layout(pad=0.4, w_pad=0.6)
    return figure


def _code_labels(ax: Axes, rows: tuple) -> None:
    """Code labels at the left; the headings (categories) bold."""
    ax.set_yticks(range(len(rows)), labels=[_short(row.label) for row in rows])
    for label, row in zip(ax.get_yticklabels(), rows, strict=True):
        if row.heading:
            label.set_fontweight("bold")
    ax.tick_params(axis="y", labelsize=6.5)


def _short(label: str, width: int = 38) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def heatmap_figure(data: HeatData) -> Figure:
    """Code × code; ``axes[0].texts`` are the cells' texts row by row (empty where 0)."""
    with matplotlib.rc_context(STYLE):
        n = len(data.codes)
        labels = [_short(code.label, 32) for code in data.codes]
        cell = min(0.24, 4.3 / max(n, 1))
        # room for the longest label left of and below the grid (6 pt: ~0.05 in a letter)
        margin = 0.2 + 0.05 * max(len(label) for label in labels)
        width = margin + n * cell + 0.25
        # the title over the whole width, wrapped (8 pt bold: ~0.075 in a letter), never cut off
        title = _wrap(_heat_title(data), max(16, int((width - 0.15) / 0.075)))
        height = margin + n * cell + 0.45 + 0.14 * title.count("\n")
        figure = Figure(figsize=(width, height))
        FigureCanvasAgg(figure)
        ax = figure.add_axes((margin / width, margin / height, n * cell / width, n * cell / height))
        pairs = [[data.value(i, j) if i != j else 0 for j in range(n)] for i in range(n)]
        top = data.maximum_pair() or 1
        colour_map = matplotlib.colormaps["Blues"]
        shade = mcolors.Normalize(vmin=0, vmax=top)
        ax.imshow(pairs, cmap=colour_map, norm=shade, aspect="equal")
        for i in range(n):  # the diagonal is a code with itself: grey, its own count
            ax.add_patch(Rectangle((i - 0.5, i - 0.5), 1, 1, color=DIAGONAL))
        font = max(4.5, min(7.0, cell * 30)) * (0.8 if data.c is not None else 1.0)
        for i in range(n):
            for j in range(n):
                dark = i != j and data.value(i, j) > 0.6 * top
                ax.text(
                    j,
                    i,
                    data.text(i, j),
                    ha="center",
                    va="center",
                    fontsize=font,
                    color="white" if dark else "#222222",
                )
        ax.set_xticks(range(n), labels=labels, rotation=90, fontsize=6)
        ax.set_yticks(range(n), labels=labels, fontsize=6)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        figure.text(0.08 / width, 1 - 0.08 / height, title, fontsize=8, fontweight="bold", va="top")
    return figure


def _heat_title(data: HeatData) -> str:
    if data.c is not None:
        measure = _("c-coëfficiënt")
    elif data.count == "respondents":
        measure = _("respondenten")
    else:
        measure = _("gecodeerde fragmenten")
    if data.unit == "turn":
        return _("Codes samen in dezelfde spreekbeurt ({measure})").format(measure=measure)
    return _("Codes samen op overlappende tekst ({measure})").format(measure=measure)


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """The figure as PNG (200 dpi) or SVG; the same figure always gives the same bytes."""
    if fmt not in FORMATS:
        raise ExportError(_("een grafiek is png of svg, niet {fmt}").format(fmt=fmt))
    with matplotlib.rc_context(STYLE), io.BytesIO() as buffer:
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata=METADATA[fmt], facecolor="white")
        return buffer.getvalue()
