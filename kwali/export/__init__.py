"""Exports: quote tables, reports and the codebook for Word; counts for Excel, CSV and pandas.

Notebook use::

    from kwali.store import Project
    from kwali import export
    with Project.open("studie.kwali", readonly=True) as project:
        quotes = export.quotes(project, codes=["verplichting"], coders=["consensus"])
        counts = export.matrix(project, by="aanpak", count="respondents")
        result = export.export(project, "quotes", "citaten.docx", anonymize=True)
        for warning in result.warnings:  # e.g. an attribution that identifies someone
            print(warning)

Every file export is in :data:`EXPORTERS` (kwali.export.registry), which the command line
offers; :func:`export` writes one file atomically and returns an :class:`ExportResult`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kwali.app.attribution import ATTRIBUTION
from kwali.export.anonymize import Anonymizer, anonymize_text
from kwali.export.base import Exporter, ExportResult
from kwali.export.options import (
    CodebookOptions,
    CooccurrenceOptions,
    FrequencyOptions,
    MatrixOptions,
    MemoOptions,
    QdpxOptions,
    QuoteOptions,
    ReportOptions,
    RespondentOptions,
    Selection,
)
from kwali.export.registry import EXPORTERS, export, exporter

if TYPE_CHECKING:
    from kwali.export.tables import cooccurrence, frequencies, matrix, quotes

# The tables need pandas; loaded on first use so the command line can list the exports
# without it (PEP 562).
_TABLES = ("cooccurrence", "frequencies", "matrix", "quotes")

__all__ = [
    "ATTRIBUTION",
    "EXPORTERS",
    "Anonymizer",
    "CodebookOptions",
    "CooccurrenceOptions",
    "ExportResult",
    "Exporter",
    "FrequencyOptions",
    "MatrixOptions",
    "MemoOptions",
    "QdpxOptions",
    "QuoteOptions",
    "ReportOptions",
    "RespondentOptions",
    "Selection",
    "anonymize_text",
    "cooccurrence",
    "export",
    "exporter",
    "frequencies",
    "matrix",
    "quotes",
]


def __getattr__(name: str) -> Any:
    if name in _TABLES:
        return getattr(importlib.import_module("kwali.export.tables"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
