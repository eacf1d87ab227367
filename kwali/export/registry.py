"""Every export kwali writes, by name: its formats, its own options and how it runs.

The command line offers exactly these (its choices come from :data:`EXPORTERS`), and
notebooks reach them through :func:`export`. Importing this module loads no pandas or Word
library: `kwali --help` stays fast; an exporter loads what it needs when it runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kwali.errors import ExportError
from kwali.export.base import Exporter, ExportResult
from kwali.export.chart_exporters import ChartExporter
from kwali.export.count_exporters import (
    CooccurrenceExporter,
    FrequenciesExporter,
    MatrixExporter,
)
from kwali.export.exporters import (
    CodebookExporter,
    MemosExporter,
    QdpxExporter,
    QuotesExporter,
    ReportExporter,
    RespondentsExporter,
)
from kwali.export.gold import GoldExporter
from kwali.export.transcript_word import TranscriptExporter
from kwali.i18n import _

if TYPE_CHECKING:
    from kwali.store import Project


EXPORTERS: dict[str, Exporter[Any]] = {
    one.name: one
    for one in (
        QuotesExporter(),
        ReportExporter(),
        CodebookExporter(),
        MemosExporter(),
        RespondentsExporter(),
        TranscriptExporter(),
        FrequenciesExporter(),
        MatrixExporter(),
        CooccurrenceExporter(),
        ChartExporter(),
        QdpxExporter(),
        GoldExporter(),
    )
}


def exporter(what: str) -> Exporter[Any]:
    """The exporter called ``what``; an unknown name is one line listing the known ones."""
    try:
        return EXPORTERS[what]
    except KeyError:
        raise ExportError(
            _("onbekende export {what} (kies {choices})").format(
                what=repr(what), choices=", ".join(EXPORTERS)
            )
        ) from None


def export(
    project: Project,
    what: str,
    out: str | Path,
    *,
    fmt: str | None = None,
    force: bool = False,
    options: Any = None,
    **fields: Any,
) -> ExportResult:
    """Write the export ``what`` to ``out``; refuses an existing ``out`` unless ``force``.

    Give options as the exporter's options object or as its fields, e.g.
    ``export(project, "matrix", "matrix.xlsx", by="aanpak")``. The result's ``warnings``
    (an attribution that may identify someone) come with every export: show them.
    """
    return exporter(what).write(project, out, fmt=fmt, force=force, options=options, **fields)
