"""Each export's own options: only the fields it uses, with the command line's defaults."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kwali.app.attribution import ATTRIBUTION


@dataclass(frozen=True)
class Selection:
    """Which codings count: these codes (a category includes its codes), these coders."""

    codes: Sequence[str] = ()
    coders: Sequence[str] = ()

    def chosen(self) -> tuple[list[str] | None, list[str] | None]:
        """(codes, coders) as the table functions take them: None means all."""
        return list(self.codes) or None, list(self.coders) or None


@dataclass(frozen=True)
class Quoting(Selection):
    """How quotes leave kwali: attributed by these attributes, in this order, names replaced."""

    attribution: Sequence[str] = ATTRIBUTION
    sort: str = "code"
    anonymize: bool = False


@dataclass(frozen=True)
class QuoteOptions(Quoting):
    attributes: Sequence[str] | None = None  # document attributes shown; None = all
    context: int = 0  # sentences before and after
    one_table: bool = False  # Word: one table with a code column
    skip_empty: bool = False  # Word: leave out codes without quotes
    # saved queries (Atlas.ti's smart codes) whose quotations get rows of their own; with
    # queries and no codes, the table holds only the queries' quotations
    queries: Sequence[str] = ()
    title: str = ""
    sep: str = ","


@dataclass(frozen=True)
class ReportOptions(Quoting):
    group_by: str | None = None  # None: rol, aanpak or geslacht, whichever the documents have
    title: str = ""
    charts: bool = False  # a chapter of pictures: bars per group, the co-occurrence heat map


@dataclass(frozen=True)
class CodebookOptions:
    title: str = ""
    sep: str = ","


@dataclass(frozen=True)
class MemoOptions:
    coders: Sequence[str] = ()
    anonymize: bool = False
    title: str = ""
    sep: str = ","


@dataclass(frozen=True)
class RespondentOptions:
    coders: Sequence[str] = ()
    attributes: Sequence[str] | None = None  # None = every attribute in the project
    anonymize: bool = False
    title: str = ""
    sep: str = ","


@dataclass(frozen=True)
class Counting(Selection):
    """Count tables: CSV (with this separator) or a workbook."""

    sep: str = ","


@dataclass(frozen=True)
class FrequencyOptions(Counting):
    by: str = "document"  # documents, or the values of an attribute


@dataclass(frozen=True)
class MatrixOptions(Counting):
    by: str = "document"
    count: str = "segments"  # what a cell counts in CSV; xlsx holds both


@dataclass(frozen=True)
class CooccurrenceOptions(Counting):
    unit: str = "overlap"  # overlapping text, or the same speaker turn
    count: str = "segments"


@dataclass(frozen=True)
class QdpxOptions:
    """A REFI-QDA exchange holds the whole project; only how other tools will read it."""

    line_endings: str = "lf"  # "crlf" for MAXQDA, which shifts codings in an LF text
    unique_names: bool = False  # a name two codes share as "Label (Parent)" (ATLAS.ti)
