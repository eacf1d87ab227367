"""Time ``kwali query`` at study scale (issue 14): 1,000 transcripts × 10,000 words with
100,000 codings should answer a query in under a second.

Builds a project of DOCUMENTS generated interviews (turns of one to four sentences of about
twelve words, alternating interviewer and respondent; two attributes), a codebook of 100 codes
under 10 categories, and CODINGS codings by three coders on sentences, phrases and runs of
sentences (written in bulk: the store's one-action-per-coding path would time the build, not
the query). Then times a set of queries through :func:`kwali.analysis.run_query` (parse, SQL,
operators, references, attribution and text of every quotation found), best of three each,
and reports ``query_s``: the slowest of those that find at most READING quotations (what a
researcher reads; the time of a query grows with the quotations it returns, each with its
reference, attribution and text), and ``query_large_s``: the slowest of the others (``NOT
cat05`` returns nine tenths of the project).

Run: .venv/bin/python benchmarks/query_bench.py [--documents 1000] [--words 10000]
     [--codings 100000] [--keep FILE.kwali]
The last line is the figures as JSON (as benchmarks/steps.py prints them).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from corpus import best_of

from kwali.analysis import Scope, run_query
from kwali.model import Code, Codebook, Segment, Transcript, Turn
from kwali.store import Project, Verb

READING = 10_000
CATEGORIES, CODES_PER_CATEGORY, CODERS = 10, 10, ("anna", "bram", "cees")
WORDS = (
    "ik moest van de gemeente vrijwilligerswerk doen in het buurthuis klantmanager uitkering "
    "korting leuk collega's brief gesprek ontheffing één café cliënt"
).split()
QUERIES = {
    "code": "c00_00",
    "category": "cat03",
    "and_not": "(c00_00 OR c01_01) AND NOT c02_02",
    "not": "NOT cat05",
    "overlaps": "c00_00 OVERLAPS c00_01",
    "same_sentence": "c00_00 SAME SENTENCE c00_01",
    "same_turn": "cat00 SAME TURN cat01",
    "within": "c00_00 WITHIN 3 c00_01",
    "followed_by": "c00_00 FOLLOWED BY cat01",
    "saved": "@druk AND NOT c09_09",
}


def _interview(rng: random.Random, number: int, words: int) -> tuple[Transcript, list[tuple]]:
    parts: list[str] = [f"Interview {number}\n\n"]
    length = len(parts[0])
    turns, sentences, said, t = [], [], 0, 0
    while said < words:
        t += 1
        label = "I: " if t % 2 else "R: "
        start = length
        parts.append(label)
        length += len(label)
        for s in range(1, rng.randint(1, 4) + 1):
            body = " ".join(rng.choices(WORDS, k=12)).capitalize() + "."
            said += 12
            if s > 1:
                parts.append(" ")
                length += 1
            sentences.append((t, s, length, length + len(body)))
            parts.append(body)
            length += len(body)
        role = "interviewer" if label[0] == "I" else "respondent"
        turns.append(Turn(t, start, length, start + len(label), length, label[0], role))
        parts.append("\n\n")
        length += 2
    text = "".join(parts)
    return Transcript(text, tuple(turns), f"interview_{number:04d}.txt", "txt"), sentences


def build(path: Path, documents: int, words: int, codings: int, seed: int = 14) -> float:
    rng = random.Random(seed)
    started = time.perf_counter()
    codes = []
    for c in range(CATEGORIES):
        codes.append(Code(f"cat{c:02d}", f"Categorie {c}", kind="category"))
        codes += [
            Code(f"c{c:02d}_{k:02d}", f"Code {c}.{k}", f"cat{c:02d}")
            for k in range(CODES_PER_CATEGORY)
        ]
    keys = [code.key for code in codes if code.kind == "code"]
    per_document = codings // documents
    with Project.create(path) as project:
        project.set_codebook(Codebook("bench", tuple(codes)), "kwali")
        rows = []
        for number in range(1, documents + 1):
            transcript, sentences = _interview(rng, number, words)

            def segments(doc_id: int, uid: str, t=transcript, s=sentences) -> list[Segment]:
                made = [
                    Segment(f"{uid}:{turn}.{n}", doc_id, "sentence", turn, n, a, b, 1, "")
                    for turn, n, a, b in s
                ]
                made += [
                    Segment(f"{uid}:{x.number}", doc_id, "turn", x.number, 0, x.start, x.end, 1, "")
                    for x in t.turns
                ]
                return made

            attributes = {
                "aanpak": rng.choice(["Prestatie010", "Meedoen010"]),
                "geslacht": rng.choice(["man", "vrouw"]),
            }
            stored, _ = project.add_document(transcript, segments, attributes=attributes)
            for _ in range(per_document):
                i = rng.randrange(len(sentences))
                a, b = sentences[i][2], sentences[i][3]
                shape = rng.random()
                if shape < 0.3:
                    a = rng.randint(a, b - 2)
                    b = rng.randint(a + 1, b)
                elif shape < 0.4:
                    b = sentences[min(len(sentences) - 1, i + rng.randint(1, 3))][3]
                rows.append((stored.id, a, b, rng.choice(keys), rng.choice(CODERS)))
        with project.action("kwali", Verb.OTHER, "build the query benchmark", undoable=False):
            project.db.executemany(
                'INSERT INTO codings (document_id, start, "end", code_key, coder, created, '
                "changed) VALUES (?, ?, ?, ?, ?, '', '')",
                rows,
            )
    return time.perf_counter() - started


def measure(path: Path) -> dict[str, float]:
    """Seconds per query (best of three); ``query_s`` and ``query_large_s``."""
    from kwali.analysis import save_query

    with Project.open(path) as project:
        save_query(project, "druk", "cat00 OR cat01", "kwali", replace=True)
    figures: dict[str, float] = {}
    large: set[str] = set()
    with Project.open(path, readonly=True) as project:
        for name, expression in QUERIES.items():
            figures[f"{name}_s"] = best_of(3, lambda e=expression: run_query(project, e))
            found = len(run_query(project, expression).quotations)
            if found > READING:
                large.add(f"{name}_s")
            print(
                f"{name:<14} {figures[f'{name}_s'] * 1000:8.1f} ms  {found:>7} quotations  {expression}"
            )
        filtered = Scope(where=(("aanpak", "Meedoen010"),), role="respondent", coders=("anna",))
        figures["filtered_s"] = best_of(
            3, lambda: run_query(project, "cat00 SAME TURN cat01", filtered)
        )
        print(
            f"{'filtered':<14} {figures['filtered_s'] * 1000:8.1f} ms  (--where, --role, --coder)"
        )
    figures["query_s"] = max(v for k, v in figures.items() if k not in large)
    figures["query_large_s"] = max((figures[k] for k in large), default=0.0)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the project here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "query.kwali"
        if path.exists():
            built = 0.0
        else:
            built = build(path, args.documents, args.words, args.codings)
        with Project.open(path, readonly=True) as project:
            counts = project.counts()
            n_codings = project.db.execute("SELECT COUNT(*) FROM codings").fetchone()[0]
        print(
            f"project: {counts['documents']} documents, {counts['sentences']:,} sentences, "
            f"{n_codings:,} codings (built in {built:.1f} s)"
        )
        figures = measure(path)
    print(
        f"query_s {figures['query_s']:.3f} (slowest query finding <= {READING:,} quotations; "
        f"target: under 1 s); query_large_s {figures['query_large_s']:.3f}"
    )
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
