"""A project as pandas tables: quotes, code frequencies, code × group matrices, co-occurrence.

Pure functions of a project (nothing is written). Every exporter builds on these, and notebook
users call them directly::

    from kwali.export import quotes, matrix
    matrix(project, by="aanpak", count="respondents")

Counting rules: a *segment* is a distinct coded span (document, start, end, code), so two
coders who coded the same span count once; a *respondent* is a document (one interview).
A category counts the spans of all codes below it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pandas as pd

from kwali.app.attribution import ATTRIBUTION, attribution
from kwali.errors import ExportError
from kwali.io.turns import format_timestamp
from kwali.model import Code, Codebook, Coding, Document, Segment, Turn
from kwali.store import Project
from kwali.store.attribute_types import dutch, sort_key

NO_VALUE = "(onbekend)"
SORTS = ("code", "document", "respondent", "coder")

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
    """The study's citation form: ``interview 3, r. 45``."""
    return f"interview {document_number}, r. {line}"


# -- selection -------------------------------------------------------------------------------
def select_codes(
    codebook: Codebook, codes: Iterable[str] | None, path: Path | None = None
) -> list[Code]:
    """Codes in codebook order; naming a category selects everything below it too."""
    if not codes:
        return list(codebook.in_tree_order())
    wanted: set[str] = set()
    for key in codes:
        if codebook.get(key) is None:
            raise ExportError(f"has no code {key!r}", path=path, hint="see `kwali codes`")
        wanted.add(key)
    return [
        c for c in codebook.in_tree_order() if any(p.key in wanted for p in codebook.path(c.key))
    ]


def _codings(project: Project, keys: set[str], coders: Sequence[str] | None) -> list[Coding]:
    chosen = project.codings(coders=list(coders)) if coders else project.codings()
    return [c for c in chosen if c.code_key in keys]


def code_path(codebook: Codebook, key: str, sep: str = " > ") -> str:
    return sep.join(code.label or code.key for code in codebook.path(key))


@dataclass
class _DocumentInfo:
    document: Document
    turns: list[Turn]
    turn_starts: list[int]
    sentences: list[Segment]
    sentence_starts: list[int]

    def turn_at(self, offset: int) -> Turn | None:
        index = bisect.bisect_right(self.turn_starts, offset) - 1
        return self.turns[index] if index >= 0 else None


class _Documents:
    """Documents, turns and sentences read once per export, not once per coding."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._cache: dict[int, _DocumentInfo] = {}

    def __getitem__(self, document_id: int) -> _DocumentInfo:
        if document_id not in self._cache:
            turns = self.project.turns(document_id)
            sentences = self.project.segments(document_id, kind="sentence")
            self._cache[document_id] = _DocumentInfo(
                self.project.require_document(document_id),
                turns,
                [t.start for t in turns],
                sentences,
                [s.start for s in sentences],
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
        raise ExportError(f"unknown sort order {sort!r} (choose from {', '.join(SORTS)})")
    codebook = project.codebook()
    chosen = select_codes(codebook, codes, project.path)
    position = {c.key: i for i, c in enumerate(codebook.in_tree_order())}
    docs = _Documents(project)
    summaries = project.document_summaries()
    shown = (
        list(attributes)
        if attributes is not None
        else sorted({k for s in summaries for k in s.attributes})
    )
    clean = anonymize or (lambda text: text)
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
            "reference": reference(document.number, line),
            "quotation": f"{document.number}:{turn.number if turn else 0}",
            "line": line,
            "turn": turn.number if turn else 0,
            "timestamp": format_timestamp(turn.timestamp if turn else None),
            "speaker": clean((turn.speaker or "") if turn else ""),
            "respondent": clean(attribution(document.attributes, turn, attribution_keys)),
            "text": clean(document.text[coding.start : coding.end]),
            "context_before": clean(before),
            "context_after": clean(after),
            "coder": coding.coder,
            "memo": clean(coding.memo),
            "origin": coding.origin,
            "start": coding.start,
            "end": coding.end,
        }
        for key in shown:
            value = clean(document.attributes.get(key, ""))
            row[key if key not in row else f"attribute {key}"] = value
        rows.append((_sort_key(sort, coding, document, row, position), row))
    rows.sort(key=lambda pair: pair[0])
    columns = QUOTE_COLUMNS + [k if k not in QUOTE_COLUMNS else f"attribute {k}" for k in shown]
    return pd.DataFrame([row for _, row in rows], columns=columns)


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


# -- counts ----------------------------------------------------------------------------------
def _group_names(project: Project, by: str) -> tuple[dict[int, str], list[str]]:
    """Document id → group, and the groups in display order."""
    summaries = project.document_summaries()
    if by == "document":
        names = {s.id: s.name for s in summaries}
        return names, [s.name for s in summaries]
    if summaries and not any(by in s.attributes for s in summaries):
        known = sorted({k for s in summaries for k in s.attributes})
        raise ExportError(
            f"no document has the attribute {by!r}",
            path=project.path,
            hint=f"known: {', '.join(known) or 'none; set them with --attr on import'}",
        )
    # a number or date attribute orders its groups by size or time (9 before 10), and a
    # number reads the Dutch way (3,5)
    kind = project.attribute_types().get(by, "text")
    values = {s.id: s.attributes.get(by) or "" for s in summaries}
    order = sorted({v for v in values.values() if v}, key=lambda v: sort_key(v, kind))
    groups = {i: dutch(v, kind) if v else NO_VALUE for i, v in values.items()}
    shown = [dutch(v, kind) for v in order]
    return groups, shown + ([NO_VALUE] if NO_VALUE in groups.values() else [])


_Span = tuple[int, int, int]  # document id, start, end


def _spans(
    project: Project, codes: list[Code], coders: Sequence[str] | None, codebook: Codebook
) -> dict[str, set[_Span]]:
    """Per selected code: its distinct spans, a category's including everything below it."""
    spans: dict[str, set[_Span]] = {c.key: set() for c in codes}
    for coding in _codings(project, set(codebook.keys()), coders):
        for ancestor in codebook.path(coding.code_key):
            if ancestor.key in spans:
                spans[ancestor.key].add((coding.document_id, coding.start, coding.end))
    return spans


def _tally(spans: Iterable[_Span], count: str) -> int:
    """Distinct spans (segments), or the documents they are in (respondents)."""
    found = list(spans)
    return len(found) if count == "segments" else len({span[0] for span in found})


@dataclass
class _Grouped:
    """The selected codes' spans, split by the groups of ``by``, for the count tables."""

    codebook: Codebook
    codes: list[Code]
    order: list[str]  # the groups in display order
    spans: dict[str, set[_Span]]
    groups: dict[int, str]  # document id -> group

    def in_group(self, key: str, group: str) -> list[_Span]:
        return [s for s in self.spans[key] if self.groups.get(s[0]) == group]


def _grouped(
    project: Project, by: str, codes: Iterable[str] | None, coders: Sequence[str] | None
) -> _Grouped:
    codebook = project.codebook()
    chosen = select_codes(codebook, codes, project.path)
    groups, order = _group_names(project, by)
    return _Grouped(codebook, chosen, order, _spans(project, chosen, coders, codebook), groups)


def frequencies(
    project: Project,
    *,
    by: str = "document",
    codes: Iterable[str] | None = None,
    coders: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Long table: one row per code and group, with ``segments`` and ``respondents``."""
    grouped = _grouped(project, by, codes, coders)
    rows = []
    for code in grouped.codes:
        for group in grouped.order:
            found = grouped.in_group(code.key, group)
            rows.append(
                {
                    "code": code.key,
                    "code_path": code_path(grouped.codebook, code.key),
                    "kind": code.kind,
                    by: group,
                    "segments": _tally(found, "segments"),
                    "respondents": _tally(found, "respondents"),
                }
            )
    return pd.DataFrame(rows, columns=["code", "code_path", "kind", by, "segments", "respondents"])


def matrix(
    project: Project,
    *,
    by: str = "document",
    count: str = "segments",
    codes: Iterable[str] | None = None,
    coders: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Code × group table of segment or respondent counts, with a ``total`` column."""
    if count not in ("segments", "respondents"):
        raise ExportError(f"unknown count {count!r} (choose segments or respondents)")
    grouped = _grouped(project, by, codes, coders)
    rows = []
    for code in grouped.codes:
        row: dict[str, object] = {
            "code": code.key,
            "code_path": code_path(grouped.codebook, code.key),
        }
        for group in grouped.order:
            row[group] = _tally(grouped.in_group(code.key, group), count)
        row["total"] = _tally(grouped.spans[code.key], count)
        rows.append(row)
    return pd.DataFrame(rows, columns=["code", "code_path", *grouped.order, "total"])


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
        raise ExportError(f"unknown unit {unit!r} (choose overlap or turn)")
    if count not in ("segments", "respondents"):
        raise ExportError(f"unknown count {count!r} (choose segments or respondents)")
    codebook = project.codebook()
    chosen = select_codes(codebook, codes, project.path)
    keys = [c.key for c in chosen]
    spans = _spans(project, chosen, coders, codebook)
    docs = _Documents(project)

    def where(span: tuple[int, int, int]) -> tuple:
        if unit == "turn":
            turn = docs[span[0]].turn_at(span[1])
            return (span[0], turn.number if turn else 0)
        return span

    found: dict[tuple[str, str], set] = {}
    for a, b in combinations(keys, 2):
        pairs: set = set()
        found[(a, b)] = pairs
        if _related(codebook, a, b):
            continue
        for sa in spans[a]:
            for sb in spans[b]:
                if sa[0] != sb[0]:
                    continue
                if (
                    unit == "turn"
                    and where(sa) == where(sb)
                    or unit == "overlap"
                    and sa[1] < sb[2]
                    and sb[1] < sa[2]
                ):
                    pairs.add((sa, sb))
    labels = [code_path(codebook, k) for k in keys]
    table = pd.DataFrame(0, index=labels, columns=labels, dtype=int)
    for key, label in zip(keys, labels, strict=True):
        table.loc[label, label] = _tally(spans[key], count)
    for (a, b), pairs in found.items():
        n = len(pairs) if count == "segments" else len({p[0][0] for p in pairs})
        la, lb = code_path(codebook, a), code_path(codebook, b)
        table.loc[la, lb] = table.loc[lb, la] = n
    table.index.name = "code"
    return table


def _related(codebook: Codebook, a: str, b: str) -> bool:
    """A category and a code below it share spans by construction; that is no co-occurrence."""
    return any(c.key == a for c in codebook.path(b)) or any(c.key == b for c in codebook.path(a))
