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
from dataclasses import dataclass, field

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


@dataclass
class Layout:
    """A document's sentences and turns in text order, as parallel lists for bisection."""

    sentence_starts: list[int] = field(default_factory=list)
    sentence_ends: list[int] = field(default_factory=list)
    sentence_refs: list[tuple[int, int]] = field(default_factory=list)  # turn, sentence
    turn_starts: list[int] = field(default_factory=list)
    turn_ends: list[int] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)


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


def codings(
    project: Project, coders: Sequence[str] | None, document_ids: Iterable[int] | None
) -> list[tuple[int, int, int, str, str]]:
    """``(document id, start, end, code, coder)`` of every confirmed coding in scope:
    ``coders`` (None: everyone but the consensus layer) in ``document_ids`` (None: all)."""
    clauses = ["status = 'confirmed'"]
    args: list[object] = []
    if coders is None:
        clauses.append("coder != ?")
        args.append(CONSENSUS)
    else:
        clauses.append("coder IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(list(coders)))
    if document_ids is not None:
        clauses.append("document_id IN (SELECT value FROM json_each(?))")
        args.append(_ids(document_ids))
    sql = 'SELECT document_id, start, "end", code_key, coder FROM codings WHERE ' + " AND ".join(
        clauses
    )
    return [(r[0], r[1], r[2], r[3], r[4]) for r in project.db.execute(sql, args)]


def layouts(project: Project, document_ids: Iterable[int]) -> dict[int, Layout]:
    """Sentences and turns of the given documents."""
    ids = _ids(document_ids)
    found: dict[int, Layout] = {}
    for doc_id, start, end, turn, sentence in project.db.execute(
        'SELECT document_id, start, "end", turn_number, sentence_number FROM segments '
        "WHERE kind = 'sentence' AND document_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY document_id, start",
        (ids,),
    ):
        layout = found.setdefault(doc_id, Layout())
        layout.sentence_starts.append(start)
        layout.sentence_ends.append(end)
        layout.sentence_refs.append((turn, sentence))
    for row in project.db.execute(
        'SELECT document_id, number, start, "end", content_start, content_end, speaker, role, '
        "gender, timestamp FROM turns WHERE document_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY document_id, start",
        (ids,),
    ):
        layout = found.setdefault(row[0], Layout())
        layout.turn_starts.append(row[2])
        layout.turn_ends.append(row[3])
        layout.turns.append(Turn(*row[1:]))
    return found


def texts(project: Project, spans: Sequence[tuple[int, int, int]]) -> list[str]:
    """The text of each ``(document id, start, end)``, in order."""
    if not spans:
        return []
    rows = project.db.execute(
        "SELECT CAST(q.key AS INTEGER), substr(d.text, json_extract(q.value, '$[1]') + 1, "
        "json_extract(q.value, '$[2]') - json_extract(q.value, '$[1]')) "
        "FROM json_each(?) q JOIN documents d ON d.id = json_extract(q.value, '$[0]')",
        (json.dumps([list(s) for s in spans]),),
    )
    found = dict(rows.fetchall())
    return [found.get(i, "") for i in range(len(spans))]


SAVED_QUERIES = "saved_queries"  # meta key: {name: expression}, Atlas.ti's smart codes


def saved_queries(project: Project) -> dict[str, str]:
    """The project's saved queries, by name."""
    row = project.db.execute("SELECT value FROM meta WHERE key = ?", (SAVED_QUERIES,)).fetchone()
    return dict(json.loads(row[0])) if row else {}
