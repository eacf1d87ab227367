"""What a query reads from the project, in a few set-wise SQL statements.

A query at study scale (1,000 transcripts, 100,000 codings) must answer in under a second,
so nothing here loads whole documents: codings come as bare spans, sentences and turns only
for the documents an operator or a result needs, and quoted text is cut out by SQLite
(``substr`` counts characters, as kwali's offsets do). Read-only, through the project's
connection: these reads belong to the analysis alone, so they live here rather than in the
store's mixins (which hold what several layers share).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kwali.model import Turn
from kwali.store import Project

CONSENSUS = "consensus"  # the settled layer (kwali.app.agreeing_data), only when asked for


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the filter, the references and the counts need of a document (never its text)."""

    id: int
    number: int
    name: str
    attributes: dict[str, str]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a span is: the first and the last sentence it touches (a span that touches none,
    say a speaker's label, has no place and meets nothing by sentence or turn)."""

    first_start: int
    first_turn: int
    first_sentence: int
    last_start: int
    last_end: int
    last_turn: int


def _ids(values: Iterable[int]) -> str:
    return json.dumps(sorted(set(values)))


def documents(project: Project) -> list[DocumentInfo]:
    """Every document with its attributes, in number order."""
    attributes: dict[int, dict[str, str]] = {}
    for doc_id, key, value in project.db.execute(
        "SELECT document_id, key, value FROM document_attributes"
    ):
        attributes.setdefault(doc_id, {})[key] = value
    return [
        DocumentInfo(r[0], r[1], r[2], attributes.get(r[0], {}))
        for r in project.db.execute("SELECT id, number, name FROM documents ORDER BY number")
    ]


def _scope(
    coders: Sequence[str] | None, document_ids: Iterable[int] | None
) -> tuple[list[str], list[object]]:
    clauses = ["c.status = 'confirmed'"]
    args: list[object] = []
    if coders is None:
        clauses.append("c.coder != ?")
        args.append(CONSENSUS)
    else:
        clauses.append("c.coder IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(list(coders)))
    if document_ids is not None:
        clauses.append("c.document_id IN (SELECT value FROM json_each(?))")
        args.append(_ids(document_ids))
    return clauses, args


def coded_spans(
    project: Project,
    keys: Iterable[str],
    coders: Sequence[str] | None,
    document_ids: Iterable[int] | None,
) -> list[tuple[int, int, int, str]]:
    """``(document id, start, end, code)`` of the confirmed codings with these codes, by
    ``coders`` (None: everyone but the consensus layer) in ``document_ids`` (None: all)."""
    clauses, args = _scope(coders, document_ids)
    sql = (
        'SELECT DISTINCT c.document_id, c.start, c."end", c.code_key FROM codings c '
        "WHERE c.code_key IN (SELECT value FROM json_each(?)) AND " + " AND ".join(clauses)
    )
    rows = project.db.execute(sql, [json.dumps(sorted(set(keys))), *args])
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def all_spans(
    project: Project, coders: Sequence[str] | None, document_ids: Iterable[int] | None
) -> set[tuple[int, int, int]]:
    """Every quotation in scope (what NOT takes its complement in)."""
    clauses, args = _scope(coders, document_ids)
    sql = 'SELECT DISTINCT c.document_id, c.start, c."end" FROM codings c WHERE ' + " AND ".join(
        clauses
    )
    return {(r[0], r[1], r[2]) for r in project.db.execute(sql, args)}


def _spans_json(spans: Sequence[tuple[int, int, int]]) -> str:
    return json.dumps([list(s) for s in spans])


_QUEUE = """
    WITH q AS (SELECT CAST(key AS INTEGER) AS i, json_extract(value, '$[0]') AS d,
                      json_extract(value, '$[1]') AS s, json_extract(value, '$[2]') AS e
               FROM json_each(?))
"""
# Each lookup is one step down the index segments_by_document (document_id, start): the
# sentence at or before the start, the one after it, and the last one that begins before
# the end; a turn's segment shares its first sentence's start, hence the kind.
_LOCATE = (
    _QUEUE
    + """
    , x AS (SELECT q.i, q.s, q.e,
        (SELECT rowid FROM segments g WHERE g.document_id = q.d AND g.kind = 'sentence'
         AND g.start <= q.s ORDER BY g.start DESC LIMIT 1) AS a,
        (SELECT rowid FROM segments g WHERE g.document_id = q.d AND g.kind = 'sentence'
         AND g.start > q.s ORDER BY g.start LIMIT 1) AS b,
        (SELECT rowid FROM segments g WHERE g.document_id = q.d AND g.kind = 'sentence'
         AND g.start < q.e ORDER BY g.start DESC LIMIT 1) AS c
      FROM q)
    SELECT x.i, x.s, x.e,
           a.start, a."end", a.turn_number, a.sentence_number,
           b.start, b."end", b.turn_number, b.sentence_number,
           c.start, c."end", c.turn_number
    FROM x LEFT JOIN segments a ON a.rowid = x.a LEFT JOIN segments b ON b.rowid = x.b
         LEFT JOIN segments c ON c.rowid = x.c
"""
)


def locate(
    project: Project, spans: Sequence[tuple[int, int, int]]
) -> dict[tuple[int, int, int], Place | None]:
    """The :class:`Place` of each span, by three index lookups each (no document is read)."""
    found: dict[tuple[int, int, int], Place | None] = {}
    if not spans:
        return found
    for row in project.db.execute(_LOCATE, (_spans_json(spans),)):
        i, s, e = row[0], row[1], row[2]
        first = None
        if row[3] is not None and row[4] > s:
            first = row[3], row[5], row[6]
        elif row[7] is not None and row[7] < e:
            first = row[7], row[9], row[10]
        place = None
        if first is not None and row[11] is not None:
            place = Place(first[0], first[1], first[2], row[11], row[12], row[13])
        found[spans[i]] = place
    return found


_WINDOW = (
    _QUEUE
    + """
    SELECT q.i,
        (SELECT g.start FROM segments g WHERE g.document_id = q.d AND g.kind = 'sentence'
         AND g.start < q.s ORDER BY g.start DESC LIMIT 1 OFFSET ?),
        (SELECT g."end" FROM segments g WHERE g.document_id = q.d AND g.kind = 'sentence'
         AND g.start > q.e ORDER BY g.start LIMIT 1 OFFSET ?)
    FROM q
"""
)


def windows(
    project: Project, places: Sequence[tuple[int, int, int]], n: int
) -> list[tuple[int | None, int | None]]:
    """For each ``(document id, first sentence start, last sentence start)``: the start of
    the sentence ``n`` before the first and the end of the one ``n`` after the last (None
    where the document has fewer)."""
    if not places:
        return []
    rows = project.db.execute(_WINDOW, (_spans_json(places), n - 1, n - 1)).fetchall()
    found = {r[0]: (r[1], r[2]) for r in rows}
    return [found[i] for i in range(len(places))]


def codes_on(
    project: Project, spans: Sequence[tuple[int, int, int]], coders: Sequence[str] | None
) -> dict[tuple[int, int, int], list[tuple[str, str]]]:
    """``(code, coder)`` of the confirmed codings in scope on exactly each span."""
    clauses, args = _scope(coders, None)
    sql = (
        _QUEUE + " SELECT q.i, c.code_key, c.coder FROM q JOIN codings c ON c.document_id = q.d "
        'AND c.start = q.s AND c."end" = q.e AND ' + " AND ".join(clauses)
    )
    found: dict[tuple[int, int, int], list[tuple[str, str]]] = {}
    for i, code, coder in project.db.execute(sql, [_spans_json(spans), *args]):
        found.setdefault(spans[i], []).append((code, coder))
    return found


def turns(project: Project, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Turn]:
    """Turns by ``(document id, turn number)``."""
    rows = project.db.execute(
        "WITH q AS (SELECT json_extract(value, '$[0]') AS d, json_extract(value, '$[1]') AS n "
        'FROM json_each(?)) SELECT t.document_id, t.number, t.start, t."end", '
        "t.content_start, t.content_end, t.speaker, t.role, t.gender, t.timestamp "
        "FROM q JOIN turns t ON t.document_id = q.d AND t.number = q.n",
        (json.dumps(sorted(set(keys))),),
    )
    return {(r[0], r[1]): Turn(*r[1:]) for r in rows}


def texts(project: Project, document_ids: Iterable[int]) -> dict[int, str]:
    """The text of each document (read once: cutting quotes out in SQL reads it per quote)."""
    rows = project.db.execute(
        "SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
        (_ids(document_ids),),
    )
    return dict(rows.fetchall())


def turn_roles(project: Project) -> list[str]:
    """Every speaker role the transcripts name."""
    rows = project.db.execute("SELECT DISTINCT role FROM turns WHERE role IS NOT NULL ORDER BY 1")
    return [r[0] for r in rows]


SAVED_QUERIES = "saved_queries"  # meta key: {name: expression}, Atlas.ti's smart codes


def saved_queries(project: Project) -> dict[str, str]:
    """The project's saved queries, by name."""
    row = project.db.execute("SELECT value FROM meta WHERE key = ?", (SAVED_QUERIES,)).fetchone()
    return dict(json.loads(row[0])) if row else {}
