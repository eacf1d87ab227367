"""Count tables: frequencies, the code matrix and co-occurrence, as CSV or a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kwali.export.base import Exporter, ExportResult
from kwali.export.files import write_csv, write_xlsx
from kwali.export.options import (
    CooccurrenceOptions,
    Counting,
    FrequencyOptions,
    MatrixOptions,
)
from kwali.i18n import _

if TYPE_CHECKING:
    import pandas as pd

    from kwali.store import Project

CountingT = TypeVar("CountingT", bound=Counting)
_Tables = dict[str, "pd.DataFrame"]


class _CountsExporter(Exporter[CountingT]):
    """A count table as CSV, or its tables as the sheets of a workbook."""

    formats = ("csv", "xlsx")

    def run(
        self, project: Project, out: Path, fmt: str, force: bool, options: CountingT
    ) -> ExportResult:
        sheets = self.tables(project, options, fmt)
        if fmt == "csv":  # one table: the first
            table = next(iter(sheets.values()))
            return ExportResult(write_csv(table, out, force=force, sep=options.sep))
        return ExportResult(write_xlsx(sheets, out, force=force))

    def tables(self, project: Project, options: CountingT, fmt: str) -> _Tables:
        """Sheet name -> table; CSV writes the first."""
        raise NotImplementedError


def _counted(fmt: str, count: str) -> tuple[str, ...]:
    """The counts a file holds: both in a workbook, the one asked for in CSV."""
    return ("segments", "respondents") if fmt == "xlsx" else (count,)


def _sheet(count: str) -> str:
    """A workbook's sheet for a count."""
    return _("respondenten") if count == "respondents" else _("fragmenten")


class FrequenciesExporter(_CountsExporter[FrequencyOptions]):
    name = "frequencies"
    options_type = FrequencyOptions
    summary = _("coderingen per code en document of kenmerkgroep (lange tabel)")

    def tables(self, project: Project, options: FrequencyOptions, fmt: str) -> _Tables:
        from kwali.export.tables import frequencies, shown_groups

        codes, coders = options.chosen()
        table = frequencies(project, by=options.by, codes=codes, coders=coders)
        if not options.keys:  # the groups as written words; the code column stays for machines
            table = shown_groups(table, options.by, column=True)
        return {_("frequenties"): table}


class MatrixExporter(_CountsExporter[MatrixOptions]):
    name = "matrix"
    options_type = MatrixOptions
    summary = _("code × document of code × groep (fragmenten en respondenten)")

    def tables(self, project: Project, options: MatrixOptions, fmt: str) -> _Tables:
        from kwali.export.tables import matrix, shown_groups

        codes, coders = options.chosen()
        tables = {
            _sheet(count): matrix(project, by=options.by, count=count, codes=codes, coders=coders)
            for count in _counted(fmt, options.count)
        }
        if options.keys:
            return tables
        return {
            name: shown_groups(table, options.by, column=False) for name, table in tables.items()
        }


class CooccurrenceExporter(_CountsExporter[CooccurrenceOptions]):
    name = "cooccurrence"
    options_type = CooccurrenceOptions
    summary = _("code × code op dezelfde of overlappende tekst")

    def tables(self, project: Project, options: CooccurrenceOptions, fmt: str) -> _Tables:
        from kwali.export.tables import cooccurrence

        codes, coders = options.chosen()
        return {
            _sheet(count): cooccurrence(
                project, codes=codes, coders=coders, unit=options.unit, count=count
            ).reset_index()
            for count in _counted(fmt, options.count)
        }
