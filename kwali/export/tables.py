"""A project as pandas tables: quotes, code frequencies, code × group matrices, co-occurrence.

Pure functions of a project (nothing is written). Every exporter builds on these, and notebook
users call them directly::

    from kwali.export import quotes, matrix
    matrix(project, by="aanpak", count="respondents")

Counting rules: a *segment* is a distinct coded span (document, start, end, code), so two
coders who coded the same span count once; a *respondent* is the speaker's case where one is
linked (a survey respondent, a coach in a group interview), else the document (one interview);
``frame.attrs["counted"]`` says which in words (the run's language), ``attrs["counted_kind"]``
as a code ("documents", "cases" or "mixed").
A category counts the spans of all codes below it. The counts are kwali.analysis.tables'
(the Tables screen's and ``kwali table``'s), under the names the exports have always used.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from kwali.analysis.table_data import NO_VALUE as NO_VALUE
from kwali.analysis.table_data import TableError, code_path
from kwali.analysis.table_data import select_codes as _select_codes
from kwali.analysis.tables import code_table, cooccurrence_table
from kwali.app.attribution import ATTRIBUTION, attribution
from kwali.app.citing import answer_reference
from kwali.app.units import SpeakerAttributes
from kwali.errors import ExportError
from kwali.i18n import _
from kwali.io.turns import format_timestamp
from kwali.model import Code, Codebook, Coding, Document, Segment, Turn
from kwali.store import Project
from kwali.store.attribute_types import shown_value

SORTS = ("code", "document", "respondent", "coder")

_REPEATED = frozenset(  # quote columns whose values many rows share
    "code_path document_name timestamp speaker respondent coder origin".split()
)
QUOTE_COLUMNS = [
    "coding_id",
    "code",
    "code_label",
    "code_path",
    "category",
    "document",
    "document_name",
    "reference",
    "quotation",
    "line",
    "turn",
    "timestamp",
    "speaker",
    "respondent",
    "text",
    "context_before",
    "context_after",
    "coder",
    "memo",
    "origin",
    "start",
    "end",
]


def reference(document_number: int, line: int) -> str:
    """The study's citation form: ``interview 3, r. 45`` (``interview 3, l. 45`` in English)."""
    return _("interview {number}, r. {line}").format(number=document_number, line=line)


# -- selection -------------------------------------------------------------------------------
def select_codes(
    codebook: Codebook, codes: Iterable[str] | None, path: Path | None = None
) -> list[Code]:
    """Codes in codebook order; naming a category selects everything below it too."""
    with _as_export_error():
        return _select_codes(codebook, codes, path)


def _codings(project: Project, keys: set[str], coders: Sequence[str] | None) -> list[Coding]:
    chosen = project.codings(coders=list(coders)) if coders else project.codings()
    return [c for c in chosen if c.code_key in keys]


@dataclass
class _DocumentInfo:
    document: Document
    turns: list[Turn]
    turn_starts: list[int]
    sentences: list[Segment]
    sentence_starts: list[int]
    carried: SpeakerAttributes  # a linked speaker's case attributes over the document's
    question: str | None = None  # a survey question's document: its answers cite Q7 · 1023

    def cite(self, line: int, turn: Turn | None) -> str:
        """``interview 3, r. 45``; a survey answer ``Q7 · 1023``."""
        if self.question is not None and turn is not None and turn.speaker:
            return answer_reference(self.question, turn.speaker)
        return reference(self.document.number, line)

    def quotation(self, start: int, end: int, turn: Turn | None) -> str:
        """``3:12.2``: the first sentence the span touches, as the coding screen and the query
        show it; ``3:12`` where the document has no sentences there."""
        index = bisect.bisect_right(self.sentence_starts, start) - 1
        for sentence in self.sentences[max(0, index) : index + 2]:
            if sentence.end > start and sentence.start < max(end, start + 1):
                return sentence.reference(self.document.number)
        return f"{self.document.number}:{turn.number if turn else 0}"

    def turn_at(self, offset: int) -> Turn | None:
        index = bisect.bisect_right(self.turn_starts, offset) - 1
        return self.turns[index] if index >= 0 else None


class _Documents:
    """Documents, turns and sentences read once per export, not once per coding; ``keep``:
    only the last that many (codings in document order need one: a thousand documents'
    texts and sentences are gigabytes)."""

    def __init__(self, project: Project, keep: int | None = None) -> None:
        self.project = project
        self.keep = keep
        self._cache: dict[int, _DocumentInfo] = {}

    def __getitem__(self, document_id: int) -> _DocumentInfo:
        if document_id not in self._cache:
            if self.keep is not None and len(self._cache) >= self.keep:
                del self._cache[next(iter(self._cache))]  # the oldest
            turns = self.project.turns(document_id)
            sentences = self.project.segments(document_id, kind="sentence")
            document = self.project.require_document(document_id)
            self._cache[document_id] = _DocumentInfo(
                document,
                turns,
                [t.start for t in turns],
                sentences,
                [s.start for s in sentences],
                SpeakerAttributes(self.project, document_id, document.attributes),
                question.name
                if (question := self.project.survey_question_of(document_id))
                else None,
            )
        return self._cache[document_id]


def _context(info: _DocumentInfo, start: int, end: int, n: int) -> tuple[str, str]:
    if n <= 0:
        return "", ""
    first = bisect.bisect_left(info.sentence_starts, start)
    before = [s for s in info.sentences[:first] if s.end <= start][-n:]
    after = [s for s in info.sentences[first:] if s.start >= end][:n]

    def join(sentences: list[Segment], quote_turn: int | None) -> str:
        parts, turn = [], quote_turn
        for s in sentences:
            label = f"{s.speaker}: " if s.turn_number != turn and s.speaker else ""
            parts.append(label + s.text)
            turn = s.turn_number
        return " ".join(parts)

    here = info.turn_at(start)
    number = here.number if here else None
    return join(before, None if before and before[0].turn_number != number else number), join(
        after, number
    )


# -- the quote table -------------------------------------------------------------------------
def quotes(
    project: Project,
    *,
    codes: Iterable[str] | None = None,
    coders: Sequence[str] | None = None,
    attributes: Sequence[str] | None = None,
    attribution_keys: Sequence[str] = ATTRIBUTION,
    context: int = 0,
    sort: str = "code",
    anonymize: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """One row per coding: where it is, who said it, what was said, which code, which coder.

    ``attributes`` picks the document attributes shown as columns (default: all);
    ``context`` adds that many sentences before and after; ``anonymize`` is applied to every
    free-text column (text, context, speaker, memo, document name, attribution, attributes).
    """
    if sort not in SORTS:
        raise ExportError(
            _("onbekende volgorde {sort} (kies uit {choices})").format(
                sort=repr(sort), choices=", ".join(SORTS)
            )
        )
    codebook = project.codebook()
    chosen = select_codes(codebook, codes, project.path)
    position = {c.key: i for i, c in enumerate(codebook.in_tree_order())}
    docs = _Documents(project, keep=1)  # the store gives codings in document order
    summaries = project.document_summaries()
    shown = (
        list(attributes)
        if attributes is not None
        else sorted(
            {k for s in summaries for k in s.attributes} | set(project.case_attribute_keys())
        )
    )
    clean = anonymize or (lambda text: text)
    columns = QUOTE_COLUMNS + [k if k not in QUOTE_COLUMNS else f"attribute {k}" for k in shown]
    # values that repeat (a code's path, a coder, who said it) are stored once, and each row
    # as a tuple: a study's 300,000 quotes as dicts of fresh strings took gigabytes
    same: dict[object, object] = {}
    once = same.setdefault
    repeated = {
        number
        for number, column in enumerate(columns)
        if column in _REPEATED or number >= len(QUOTE_COLUMNS)
    }
    rows = []
    for coding in _codings(project, {c.key for c in chosen}, coders):
        info = docs[coding.document_id]
        document, turn = info.document, info.turn_at(coding.start)
        code = codebook.get(coding.code_key)
        assert code is not None
        line = document.text.count("\n", 0, coding.start) + 1
        before, after = _context(info, coding.start, coding.end, context)
        root = codebook.path(code.key)[0]
        row = {
            "coding_id": coding.id,
            "code": code.key,
            "code_label": code.label or code.key,
            "code_path": code_path(codebook, code.key),
            "category": (root.label or root.key) if root.key != code.key else "",
            "document": document.number,
            "document_name": clean(document.name),
            "reference": info.cite(line, turn),
            "quotation": info.quotation(coding.start, coding.end, turn),
            "line": line,
            "turn": turn.number if turn else 0,
            "timestamp": format_timestamp(turn.timestamp if turn else None),
            "speaker": clean((turn.speaker or "") if turn else ""),
            "respondent": clean(attribution(info.carried(turn), turn, attribution_keys)),
            "text": clean(document.text[coding.start : coding.end]),
            "context_before": clean(before),
            "context_after": clean(after),
            "coder": coding.coder,
            "memo": clean(coding.memo),
            "origin": coding.origin,
            "start": coding.start,
            "end": coding.end,
        }
        carried = info.carried(turn)
        for key in shown:
            value = clean(carried.get(key, ""))
            row[key if key not in row else f"attribute {key}"] = value
        values = tuple(
            once(value, value) if number in repeated and isinstance(value, str) else value
            for number, value in enumerate(row.get(c, math.nan) for c in columns)
        )
        rows.append((_sort_key(sort, coding, document, row, position), values))
    rows.sort(key=lambda pair: pair[0])
    return pd.DataFrame([row for _unused, row in rows], columns=columns)


def merge_coders(quotes: pd.DataFrame) -> pd.DataFrame:
    """One row per quote: the same span coded with the same code by several coders (a merged
    project) is one quote, its coders joined ("anna, bram"), and its coding ids, origins and
    memos ("mooi citaat (anna)": each with its coder's name) too."""
    keys = ["code", "document", "start", "end"]
    if quotes.empty or not quotes.duplicated(keys).any():
        return quotes
    grouped = quotes.groupby(keys, sort=False, dropna=False)

    def joined(values: pd.Series) -> object:
        if len(values) == 1:
            return values.iloc[0]
        return ", ".join(dict.fromkeys(str(v) for v in values if v is not None and v != ""))

    def memos(rows: pd.DataFrame) -> str:
        written = [(c, m) for c, m in zip(rows["coder"], rows["memo"], strict=True) if m]
        if len(rows) == 1 or not written:
            return written[0][1] if written else ""
        return " / ".join(dict.fromkeys(f"{m} ({c})" for c, m in written))

    first = quotes.drop_duplicates(keys).set_index(keys)
    for column in ("coding_id", "coder", "origin"):
        first[column] = grouped[column].agg(joined)
    first["memo"] = grouped[["coder", "memo"]].apply(memos)
    return first.reset_index()[quotes.columns]


def without_zeros(counts: pd.DataFrame, by: str) -> pd.DataFrame:
    """A :func:`frequencies` table without the noise of zeros: the codes nothing was coded
    with and the groups nothing was coded in."""
    if counts.empty:
        return counts
    per_code = counts.groupby("code", sort=False)["segments"].sum()
    per_group = counts.groupby(by, sort=False)["segments"].sum()
    kept = counts[counts["code"].map(per_code).gt(0) & counts[by].map(per_group).gt(0)]
    kept = kept.reset_index(drop=True)
    kept.attrs = dict(counts.attrs)
    return kept


def shown_quotes(quotes: pd.DataFrame, types: Mapping[str, str]) -> pd.DataFrame:
    """The quote table as a reader sees it: who said it and the attribute columns as written
    words (``ontvangende organisatie``, :func:`~kwali.store.attribute_types.shown_value`);
    the code key, the coding ids and the offsets stay as they are for a machine."""
    shown = quotes.copy()
    if "respondent" in shown.columns:
        shown["respondent"] = shown["respondent"].map(lambda v: shown_value(str(v)))
    for column in shown.columns[len(QUOTE_COLUMNS) :]:
        key = str(column).removeprefix("attribute ")
        kind = types.get(key, "text")
        shown[column] = shown[column].map(lambda v, k=kind: shown_value(str(v), k) if v else v)
    return shown


def shown_groups(table: pd.DataFrame, by: str, *, column: bool) -> pd.DataFrame:
    """Attribute values as a reader writes them: ``by``'s values in a long table
    (``column``), or the group columns of a matrix; documents keep their file names."""
    if by == "document":
        return table
    shown = table.copy()
    if column:
        shown[by] = shown[by].map(lambda v: shown_value(str(v)))
    else:
        fixed = {"code", "code_path", "category", "kind", "total"}
        shown.columns = [c if c in fixed else shown_value(str(c)) for c in shown.columns]
    shown.attrs = dict(table.attrs)
    return shown


def _sort_key(
    sort: str, coding: Coding, document: Document, row: dict, position: Mapping[str, int]
) -> tuple:
    where = (document.number, coding.start, coding.end)
    if sort == "document":
        return (*where, position[coding.code_key], coding.coder)
    if sort == "respondent":
        return (row["respondent"], *where, position[coding.code_key])
    if sort == "coder":
        return (coding.coder, position[coding.code_key], *where)
    return (position[coding.code_key], *where, coding.coder)


# -- counts: computed in kwali.analysis.tables, kept here under the exports' names ------------
_COUNT = {"segments": "codings", "respondents": "respondents"}


@contextmanager
def _as_export_error() -> Iterator[None]:
    """The analysis layer's table errors, as the exports have always raised them."""
    try:
        yield
    except TableError as exc:
        raise ExportError(exc.message, path=exc.path, hint=exc.hint) from exc


def _check_count(count: str) -> str:
    if count not in _COUNT:
        raise ExportError(
            _("onbekende telling {count} (kies segments of respondents)").format(count=repr(count))
        )
    return _COUNT[count]


def frequencies(
    project: Project,
    *,
    by: str = "document",
    codes: Iterable[str] | None = None,
    coders: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Long table: one row per code and group, with ``segments`` and ``respondents``."""
    with _as_export_error():
        table = code_table(project, by, codes=codes, coders=coders, consensus_layer=True)
    people = replace(table, count="respondents")
    codebook = project.codebook()
    rows = []
    for row in table.rows:
        code = codebook.get(row.key)
        for group in table.columns:
            rows.append(
                {
                    "code": row.key,
                    "code_path": row.label,
                    "kind": code.kind if code else "code",
                    by: group,
                    "segments": table.value(row.key, group),
                    "respondents": people.value(row.key, group),
                }
            )
    frame = pd.DataFrame(rows, columns=["code", "code_path", "kind", by, "segments", "respondents"])
    frame.attrs["counted"] = table.counted
    frame.attrs["counted_kind"] = table.counted_kind
    return frame


def matrix(
    project: Project,
    *,
    by: str = "document",
    count: str = "segments",
    codes: Iterable[str] | None = None,
    coders: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Code × group table of segment or respondent counts, with a ``total`` column.

    ``kind`` marks a category's row (``category``): a subtotal of the codes below it, so a
    spreadsheet's column sum must leave it out, as in :func:`frequencies`."""
    kind = _check_count(count)
    with _as_export_error():
        table = code_table(
            project, by, count=kind, codes=codes, coders=coders, consensus_layer=True
        )
    frame = table.frame().drop(columns=["category"])
    codebook = project.codebook()
    kinds = [(code.kind if (code := codebook.get(key)) else "code") for key in frame["code"]]
    frame.insert(2, "kind", kinds)
    frame.attrs["counted"] = table.counted
    frame.attrs["counted_kind"] = table.counted_kind
    return frame


def cooccurrence(
    project: Project,
    *,
    codes: Iterable[str] | None = None,
    coders: Sequence[str] | None = None,
    unit: str = "overlap",
    count: str = "segments",
) -> pd.DataFrame:
    """Code × code: how often two codes sit on the same or overlapping text.

    ``unit="overlap"`` pairs spans that share characters; ``unit="turn"`` pairs spans in the same
    speaker turn. ``count="segments"`` counts such pairs of spans, ``"respondents"`` the documents
    they occur in. The diagonal holds each code's own segment (or respondent) count.
    """
    if unit not in ("overlap", "turn"):
        raise ExportError(
            _("onbekende eenheid {unit} (kies overlap of turn)").format(unit=repr(unit))
        )
    kind = _check_count(count)
    with _as_export_error():
        table = cooccurrence_table(
            project, count=kind, codes=codes, coders=coders, consensus_layer=True, unit=unit
        )
    labels = [row.label for row in table.rows]
    grid = [[table.value(a.key, b.key) for b in table.rows] for a in table.rows]
    frame = pd.DataFrame(grid, index=labels, columns=labels, dtype=int)
    frame.index.name = "code"
    return frame
