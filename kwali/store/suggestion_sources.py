"""Where a learned suggestion comes from (table ``suggestion_sources``, migration m009).

A suggestion a model learned is shaped by the confirmed codings of the coders it learned
from. Blind coding needs to know whose they were, and what the rules alone would have said,
so that a coder who must not see the others' decisions can still be shown the rules' part.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from kwali.model import Evidence
from kwali.store.base import SuggestionRow
from kwali.store.project import Project


@dataclass(frozen=True, slots=True)
class SuggestionSource:
    """The coders a suggestion learned from, and the rules' own score and evidence (None when
    the rules alone would not have suggested it)."""

    learned_from: tuple[str, ...]
    rules_score: float | None
    rules_evidence: tuple[Evidence, ...] = ()


def record_sources(
    project: Project,
    document_id: int,
    suggester: str,
    learned_from: Collection[str],
    rules: Mapping[tuple[str, str], SuggestionRow],
) -> None:
    """After a run of ``suggester`` on a document: note where its suggestions come from.

    ``rules`` holds, by (segment id, code key), what the rules alone suggested in the same
    run. A run without learning (empty ``learned_from``) only clears the document's rows.
    """
    coders = json.dumps(sorted(learned_from), ensure_ascii=False)
    with project.transaction() as db:
        db.execute(
            "DELETE FROM suggestion_sources WHERE suggestion_id IN "
            "(SELECT id FROM suggestions WHERE document_id = ?)",
            (document_id,),
        )
        if not learned_from:
            return
        rows = db.execute(
            "SELECT id, segment_id, code_key FROM suggestions WHERE document_id = ? AND suggester = ?",
            (document_id, suggester),
        ).fetchall()
        values = []
        for id_, segment_id, code_key in rows:
            own = rules.get((segment_id, code_key))
            values.append((id_, coders, own.score if own else None, own.evidence if own else None))
        db.executemany("INSERT INTO suggestion_sources VALUES (?, ?, ?, ?)", values)


def suggestion_sources(project: Project, ids: Iterable[int]) -> dict[int, SuggestionSource]:
    """The recorded source of each of these suggestions that has one."""
    wanted = sorted(set(ids))
    found: dict[int, SuggestionSource] = {}
    for first in range(0, len(wanted), 500):  # SQLite's limit on parameters
        chunk = wanted[first : first + 500]
        rows = project.db.execute(
            "SELECT suggestion_id, learned_from, rules_score, rules_evidence "
            f"FROM suggestion_sources WHERE suggestion_id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for id_, coders, score, evidence in rows:
            found[id_] = SuggestionSource(
                tuple(json.loads(coders)),
                score,
                tuple(Evidence(**e) for e in json.loads(evidence)) if evidence else (),
            )
    return found
