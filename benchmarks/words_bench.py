"""Word frequencies and keyness (``kwali words``) on a generated project (issue #14, item 4).

Builds (or reuses, with --keep) search_bench's project: DOCS synthetic transcripts of WORDS
words made of the sample interviews' turns, then codes CODINGS respondent sentences with
``dwang`` (in bulk). Times :func:`kwali.analysis.words.keywords`:

- ``words_cold_s``: the whole project, in a fresh process's state (every document tokenised
  and each new word form lemmatised; the pipeline already built);
- ``words_code_s`` / ``words_document_s``: a code and a document afterwards (cache warm),
  best of three: what the Words screen does when the target changes;
- ``words_retokenise_s``: a code after the document cache is cleared, the word forms'
  lemmas still known (what a second ``kwali words`` in the same process would cost without
  the cache).

Run: .venv/bin/python benchmarks/words_bench.py [--docs 1000] [--words 10000]
     [--codings 10000] [--keep FILE.kwali]
The last line is the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import best_of, peak_memory_mb  # noqa: E402
from search_bench import build  # noqa: E402

from kwali.analysis import lemmas  # noqa: E402
from kwali.analysis.words import keywords  # noqa: E402
from kwali.nlp import make_nlp  # noqa: E402
from kwali.store import Project, Verb  # noqa: E402


def code_sentences(path: Path, codings: int) -> None:
    with Project.open(path) as project:
        if project.db.execute("SELECT COUNT(*) FROM codings").fetchone()[0]:
            return
        rows = project.db.execute(
            'SELECT s.document_id, s.start, s."end" FROM segments s JOIN turns t '
            "ON t.document_id = s.document_id AND t.number = s.turn_number "
            "WHERE s.kind = 'sentence' AND t.role != 'interviewer'"
        ).fetchall()
        chosen = random.Random(14).sample(rows, min(codings, len(rows)))
        with project.action("kwali", Verb.OTHER, "code the words benchmark", undoable=False):
            project.db.executemany(
                'INSERT INTO codings (document_id, start, "end", code_key, coder, created, '
                "changed) VALUES (?, ?, ?, 'dwang', 'anna', '', '')",
                chosen,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--codings", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build the project here (or reuse it)")
    args = parser.parse_args()
    path = args.keep or Path(tempfile.mkdtemp(prefix="kwali-words-")) / "words.kwali"
    figures: dict[str, object] = {"docs": args.docs, "words_per_document": args.words}
    if not path.exists():
        figures["build_s"] = round(build(path, args.docs, args.words), 1)
    code_sentences(path, args.codings)
    make_nlp(None)
    with Project.open(path, readonly=True) as project:
        figures["documents"] = project.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        start = time.perf_counter()
        whole = keywords(project)
        figures["words_cold_s"] = round(time.perf_counter() - start, 2)
        figures["counted_tokens"] = whole.target_tokens
        figures["lemmas"] = len(whole.keywords)
        figures["words_code_s"] = round(best_of(3, lambda: keywords(project, code="dwang")), 3)
        figures["words_document_s"] = round(best_of(3, lambda: keywords(project, document="1")), 3)
        lemmas.clear_cache()
        start = time.perf_counter()
        keywords(project, code="dwang")
        figures["words_retokenise_s"] = round(time.perf_counter() - start, 2)
    figures["peak_memory_mb"] = round(peak_memory_mb(), 0)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
