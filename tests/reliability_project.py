"""The project the reliability proofs write to, and the check of what writers leave in it
(tests/reliability_workload.py runs the writers; tests/test_store_reliability*.py use both)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

CODES = ("dwang", "sanctie", "plezier", "brief", "geld")
CONSENSUS = "consensus"


# -- the project the writers work on --------------------------------------------------------
def build_project(path: Path, documents: int = 3, turns: int = 12, per_turn: int = 3) -> Path:
    """Interviews of respondent turns, segmented by hand (no spaCy: children start fast), with
    a codebook and one suggestion on every sentence."""
    from kwali.model import Code, Codebook, Evidence, Segment, Suggestion, Transcript, Turn
    from kwali.store import Project

    with Project.create(path) as project:
        codebook = Codebook("betrouwbaarheid", tuple(Code(k, k.title()) for k in CODES))
        project.set_codebook(codebook, "kwali")
        for d in range(1, documents + 1):
            text, turn_list, spans = "", [], []
            for t in range(1, turns + 1):
                start = len(text)
                text += "R: "
                for k in range(1, per_turn + 1):
                    text += " " if k > 1 else ""
                    sentence = f"In gesprek {d} moest ik komen, zin {t}.{k}."
                    spans.append((t, k, len(text), len(text) + len(sentence)))
                    text += sentence
                turn_list.append(Turn(t, start, len(text), start + 3, len(text), "R", "respondent"))
                text += "\n"

            def segments(document_id: int, uid: str, spans: list = spans) -> list[Segment]:
                return [
                    Segment(f"{uid}:{t}.{k}", document_id, "sentence", t, k, a, b, t, "")
                    for t, k, a, b in spans
                ]

            document, _ = project.add_document(
                Transcript(text, tuple(turn_list), f"gesprek{d}.txt", "txt"),
                segments,
                name=f"gesprek{d}",
            )
            suggestions = [
                Suggestion(
                    s.id,
                    document.id,
                    s.start,
                    s.end,
                    CODES[i % len(CODES)],
                    0.8,
                    (Evidence(s.start, s.start + 2, text[s.start : s.start + 2], "lemma:in"),),
                    "toets",
                )
                for i, s in enumerate(project.segments(document.id, kind="sentence"))
            ]
            project.replace_suggestions(document.id, "toets", suggestions)
    return path


# -- what must hold after every kill or race ------------------------------------------------
def check_project(
    path: Path,
    acknowledged: set[int] = frozenset(),  # type: ignore[assignment]
    accepted: set[tuple[str, int]] = frozenset(),  # type: ignore[assignment]
) -> dict[str, object]:
    """Open the file as kwali would and list what is wrong:

    - ``lost``: acknowledged coding ids (or accepted (coder, suggestion id)) not there;
    - ``duplicated``: confirmed codings that repeat another's document, span, code and coder;
    - ``unaudited``: codings whose latest audit row (tbl 'codings', its id as row_key) is
      missing or does not hold the row as it is: a change without its audit row;
    - ``ghosts``: coding ids whose latest audit row says the row exists, but it does not: an
      audit row without its change;
    - ``empty_actions``: a "code" action without the audit row of its coding, or an
      "accept" without that of its review (a half-written action; an accept whose coding
      already existed adds only the review, an import no audit row at all);
    - ``integrity``: ``PRAGMA integrity_check`` and ``foreign_key_check``.
    """
    from kwali.store import Project

    with Project.open(path) as project:
        db = project.db
        rows = {r["id"]: dict(r) for r in db.execute("SELECT * FROM codings")}
        latest = {
            json.loads(r[0])[0]: json.loads(r[1]) if r[1] else None
            for r in db.execute(
                "SELECT row_key, after FROM audit WHERE id IN "
                "(SELECT MAX(id) FROM audit WHERE tbl = 'codings' GROUP BY row_key)"
            )
        }
        confirmed = {i for i, r in rows.items() if r["status"] == "confirmed"}
        lost = sorted(acknowledged - confirmed)
        lost_accepted = sorted(
            (coder, s)
            for coder, s in accepted
            if not any(
                r["suggestion_id"] == s and r["coder"] == coder and r["status"] == "confirmed"
                for r in rows.values()
            )
        )
        same = Counter(
            (r["document_id"], r["start"], r["end"], r["code_key"], r["coder"])
            for r in rows.values()
            if r["status"] == "confirmed"
        )
        empty = db.execute(
            "SELECT COUNT(*) FROM actions a WHERE a.kind = 'do' AND NOT EXISTS (SELECT 1 FROM "
            "audit u WHERE u.action_id = a.id AND u.tbl = "
            "CASE a.verb WHEN 'code' THEN 'codings' WHEN 'accept' THEN 'suggestion_reviews' END)"
            " AND a.verb IN ('code', 'accept')"
        ).fetchone()[0]
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        foreign = db.execute("PRAGMA foreign_key_check").fetchall()
    return {
        "codings": len(confirmed),
        "lost": lost + lost_accepted,
        "duplicated": sum(n - 1 for n in same.values()),
        "unaudited": sorted(i for i, row in rows.items() if latest.get(i) != row),
        "ghosts": sorted(i for i, after in latest.items() if after is not None and i not in rows),
        "empty_actions": empty,
        "integrity": integrity if not foreign else f"{integrity}; foreign keys: {len(foreign)}",
    }


def problems(check: dict[str, object]) -> list[str]:
    """What in a check is wrong, as readable lines (empty: all is well)."""
    wrong = [f"{k}: {check[k]}" for k in ("lost", "unaudited", "ghosts") if check[k]]
    wrong += [f"{k}: {check[k]}" for k in ("duplicated", "empty_actions") if check[k]]
    return wrong + ([f"integrity: {check['integrity']}"] if check["integrity"] != "ok" else [])


def unsettled(path: Path, settled: dict[str, str]) -> list[str]:
    """Units whose consensus codes are not exactly those of the last settle that succeeded."""
    from kwali.store import Project

    wrong = []
    with Project.open(path, readonly=True) as project:
        for unit, code in settled.items():
            number, _, rest = unit.partition(":")
            turn, _, sentence = rest.partition(".")
            document = project.require_document(number)
            segment = next(
                s
                for s in project.segments(document.id, kind="sentence")
                if (s.turn_number, s.sentence_number) == (int(turn), int(sentence))
            )
            codes = sorted(
                c.code_key
                for c in project.codings(document_id=document.id, coder=CONSENSUS)
                if (c.start, c.end) == (segment.start, segment.end)
            )
            if codes != [code]:
                wrong.append(f"settled {unit} as {code}, consensus holds {codes}")
    return wrong
