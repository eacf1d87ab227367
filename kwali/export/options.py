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
    # a merged project's quote once, its coders joined; per_coder: a row per coder's coding
    per_coder: bool = False
    coder_column: bool = False  # Word: the coder column even when one coder is in the export
    keys: bool = False  # raw keys and attribute values (ontvangende_organisatie) beside labels


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
    # pictures where they belong: the overview's bars and heat map, each code's bars per group
    charts: bool = False
    all_codes: bool = False  # count tables with every code and group, zeros included
    cite: str = "sentence"  # quotes cited 3:12.2 ("sentence") or "interview 3, r. 45" ("line")


@dataclass(frozen=True)
class CodebookOptions:
    title: str = ""
    sep: str = ","


@dataclass(frozen=True)
class MemoOptions:
    coders: Sequence[str] = ()
    anonymize: bool = False
    coder_column: bool = False  # Word: the coder column even when one coder wrote them all
    keys: bool = False  # a code memo's code key in its reference
    cite: str = "sentence"  # a sentence's or coding's memo cited 3:12.2, or "interview 3, r. 45"
    title: str = ""
    sep: str = ","


@dataclass(frozen=True)
class RespondentOptions:
    coders: Sequence[str] = ()
    attributes: Sequence[str] | None = None  # None = every attribute in the project
    anonymize: bool = False
    keys: bool = False  # attribute values as stored (ontvangende_organisatie)
    title: str = ""
    sep: str = ","


@dataclass(frozen=True)
class Counting(Selection):
    """Count tables: CSV (with this separator) or a workbook."""

    sep: str = ","
    keys: bool = (
        False  # groups as stored (ontvangende_organisatie); the code column is always there
    )


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
