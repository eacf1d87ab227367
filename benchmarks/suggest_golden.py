"""The suggester's output on the sample transcripts, as a golden file a speed change must keep.

Imports transcripts/ into a fresh project, then records, one JSON object a line:

- every segment the import made (``segment``: id, kind, offsets);
- the rules' stored suggestions, as ``kwali suggest`` stores them (``rules``);
- ``Suggester.suggest_segments`` with and without the document's sentences as context
  (``context``, ``plain``), in the order it returns them;
- ``Suggester.suggest_texts`` over every respondent sentence of two documents (``texts``);
- a learned run after a coder confirmed the rules' strongest suggestions in four documents
  (``learned``), with each suggestion's recorded source (the rules' own score and evidence).

Scores and weights are written with ``repr``, so the comparison is byte for byte. The codebook
is a pinned copy (tests/data/suggest_golden/codebook.yaml): the real one changes with the
study. Regenerate after a deliberate change of scoring:

    .venv/bin/python benchmarks/suggest_golden.py --write
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOLDEN = ROOT / "tests" / "data" / "suggest_golden"
CODEBOOK = GOLDEN / "codebook.yaml"
EXPECTED = GOLDEN / "expected.jsonl"
TRANSCRIPTS = ROOT / "transcripts"
SUFFIXES = {".txt", ".docx", ".vtt", ".srt"}
CODER = "anna"
CODED_DOCUMENTS = 4
CODED_FROM = 0.6  # the coder confirms the rules' suggestions scoring at least this


def _evidence(evidence) -> list[list[object]]:
    return [[e.start, e.end, e.text, e.rule, repr(e.weight)] for e in evidence]


def _suggestion(what: str, name: str, s, **more: object) -> dict[str, object]:
    return {
        "what": what,
        "document": name,
        "segment": s.segment_id,
        "start": s.start,
        "end": s.end,
        "code": s.code_key,
        "score": repr(s.score),
        "evidence": _evidence(s.evidence),
        "suggester": s.suggester,
        **more,
    }


def _suggest(project, workers: int | None, **options: object):
    """``suggest_project``, with ``workers`` when it takes them (it did not always)."""
    from kwali.app.suggesting import suggest_project

    if workers is not None and "workers" in inspect.signature(suggest_project).parameters:
        options["workers"] = workers
    return suggest_project(project, **options)


def records(work: Path, workers: int | None = None) -> Iterator[dict[str, object]]:
    """Every line of the golden file, made afresh in ``work``."""
    from kwali.app.importing import import_files
    from kwali.app.suggesting import _codeable
    from kwali.io.codebook import load_codebook
    from kwali.nlp import make_nlp
    from kwali.store import Project
    from kwali.store.suggestion_sources import suggestion_sources
    from kwali.tagging.suggest import Suggester

    codebook = load_codebook(CODEBOOK)
    paths = sorted(p for p in TRANSCRIPTS.iterdir() if p.suffix.lower() in SUFFIXES)
    with Project.create(work / "golden.kwali") as project:
        results = import_files(project, paths)
        assert all(r.ok for r in results), [r.error for r in results if not r.ok]
        names = {i: project.require_document(i).source_name for i in project.document_ids()}
        for document_id in project.document_ids():
            for seg in project.segments(document_id, kind=None):
                yield {
                    "what": "segment",
                    "document": names[document_id],
                    "id": seg.id,
                    "kind": seg.kind,
                    "start": seg.start,
                    "end": seg.end,
                    "role": seg.role,
                }

        rules = _suggest(project, workers, codebook=codebook)
        yield {"what": "run", "suggester": rules.suggester, "suggestions": rules.suggestions}
        stored = project.suggestions()
        for s in stored:
            yield _suggestion("rules", names[s.document_id], s)

        suggester = Suggester(project.codebook(), make_nlp())
        for document_id in project.document_ids():
            sentences = project.segments(document_id, kind="sentence")
            codeable = _codeable(sentences, False)
            for s in suggester.suggest_segments(codeable, context=sentences):
                yield _suggestion("context", names[document_id], s)
            for s in suggester.suggest_segments(codeable):
                yield _suggestion("plain", names[document_id], s)
        for document_id in project.document_ids()[:2]:
            texts = [s.text for s in _codeable(project.segments(document_id), False)]
            for text, ranked in zip(texts, suggester.suggest_texts(texts), strict=True):
                for scored in ranked:
                    yield {
                        "what": "texts",
                        "document": names[document_id],
                        "text": text,
                        "code": scored.code_key,
                        "score": repr(scored.score),
                        "evidence": _evidence(scored.evidence),
                    }

        for s in stored:
            if s.document_id in project.document_ids()[:CODED_DOCUMENTS] and s.score >= CODED_FROM:
                project.add_coding(s.document_id, s.start, s.end, s.code_key, CODER)
        learned = _suggest(project, workers, learn=True)
        yield {
            "what": "run",
            "suggester": learned.suggester,
            "suggestions": learned.suggestions,
            "learned_codings": learned.learned_codings,
            "learned_texts": learned.learned_texts,
        }
        again = project.suggestions()
        sources = suggestion_sources(project, [s.id for s in again if s.id is not None])
        for s in again:
            source = sources.get(s.id) if s.id is not None else None
            yield _suggestion(
                "learned",
                names[s.document_id],
                s,
                learned_from=list(source.learned_from) if source else None,
                rules_score=repr(source.rules_score) if source else None,
                rules_evidence=_evidence(source.rules_evidence) if source else None,
            )


def lines(work: Path, workers: int | None = None) -> list[str]:
    return [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records(work, workers)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {EXPECTED.name}")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        made = lines(Path(tmp), args.workers)
    if args.write:
        EXPECTED.write_text("\n".join(made) + "\n", encoding="utf-8")
        print(f"{len(made)} lines -> {EXPECTED}")
        return
    expected = EXPECTED.read_text(encoding="utf-8").splitlines()
    differ = sum(1 for a, b in zip(made, expected, strict=False) if a != b)
    print(f"{len(made)} lines made, {len(expected)} expected, {differ} differ")
    sys.exit(1 if differ or len(made) != len(expected) else 0)


if __name__ == "__main__":
    main()
