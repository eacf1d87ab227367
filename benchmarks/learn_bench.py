"""Learning from confirmed codings: what ``kwali suggest --learn`` costs on a 200-transcript project.

Imports the synthetic corpus (benchmarks/corpus.py), runs the rules-only suggester once, then
plays a coder: in the first ``--coded`` documents "anna" accepts every rules suggestion scoring
0.6 or more, and codes by hand each respondent sentence holding a few words the codebook
does not list (so the model has something to learn that the rules don't give). Then it times,
separately, gathering the training examples, parsing them, fitting the model, and
``suggest_project(learn=True)`` end to end over every document, against the rules-only run.

The learned run retrains inside ``suggest_project`` (nothing is stored), so its time includes
one more gathering, parsing and fitting. Deterministic (fixed corpus seed, fixed coder).

Run: .venv/bin/python benchmarks/learn_bench.py [--transcripts 200] [--coded 20]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import peak_memory_mb, write_corpus  # noqa: E402

from kwali.app.importing import import_files  # noqa: E402
from kwali.app.suggesting import learn_from_project, suggest_project, training_examples  # noqa: E402
from kwali.io.codebook import load_codebook  # noqa: E402
from kwali.model import LEARNED_KIND  # noqa: E402
from kwali.nlp import make_nlp  # noqa: E402
from kwali.store import Project, Verb  # noqa: E402
from kwali.tagging.learned import LearnedModel  # noqa: E402
from kwali.tagging.suggest import Suggester  # noqa: E402

CODER = "anna"
ACCEPT_FROM = 0.6
# Frequent words in the sample interviews that no code lists as a signal, and the code this
# coder gives a sentence holding one: what the rules cannot know and the model can learn.
HAND_CODES = {
    "tegenprestatie": "wederkerigheid",
    "taskforce": "samenwerking",
    "keuken": "welbevinden",
}


def code_like_anna(project: Project, documents: list[int]) -> tuple[int, int]:
    """Accept the confident rules suggestions and add the hand codings, in one action."""
    accepted = hand = 0
    pattern = re.compile(r"\b(" + "|".join(HAND_CODES) + r")\b", re.IGNORECASE)
    with project.action(CODER, Verb.OTHER, "benchmark: code the first documents"):
        for document_id in documents:
            for suggestion in project.suggestions(document_id=document_id):
                if suggestion.score >= ACCEPT_FROM:
                    project.accept_suggestion(suggestion.id, CODER)
                    accepted += 1
            for segment in project.segments(document_id, kind="sentence"):
                found = pattern.search(segment.text) if segment.role != "interviewer" else None
                if found:
                    project.add_coding(
                        document_id,
                        segment.start,
                        segment.end,
                        HAND_CODES[found.group(1).lower()],
                        CODER,
                    )
                    hand += 1
    return accepted, hand


def high_share(project: Project, skip: set[int]) -> float:
    """Share of suggestions scoring 0.9 or more, outside the coded documents: whether scores
    still rank anything once a learned model joins the rules."""
    scores = [g.score for g in project.suggestions() if g.document_id not in skip]
    return sum(score >= 0.9 for score in scores) / max(len(scores), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=200)
    parser.add_argument(
        "--coded", type=int, default=20, help="documents the coder has worked through"
    )
    parser.add_argument("--codebook", type=Path, default=ROOT / "codebooks" / "tegenprestatie.yaml")
    args = parser.parse_args()
    codebook = load_codebook(args.codebook)

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        paths = write_corpus(Path(tmp) / "corpus", args.transcripts)
        with Project.create(Path(tmp) / "bench.kwali") as project:
            import_files(project, paths)
            counts = project.counts()
            sentences = counts["sentences"]
            print(
                f"setup: imported {counts['documents']} transcripts, {sentences:,} sentences "
                f"in {time.perf_counter() - start:.1f} s"
            )

            # 1. rules only
            start = time.perf_counter()
            rules = suggest_project(project, codebook=codebook)
            rules_s = time.perf_counter() - start
            print(
                f"rules only:   {rules.suggestions:,} suggestions in {rules_s:.2f} s  "
                f"{rules.suggestions / rules_s:,.0f} suggestions/s  {sentences / rules_s:,.0f} sentences/s"
            )

            # 2. a coder works through the first documents (setup, not measured)
            start = time.perf_counter()
            coded_ids = set(project.document_ids()[: args.coded])
            rules_high = high_share(project, coded_ids)
            accepted, hand = code_like_anna(project, sorted(coded_ids))
            print(
                f"setup: {CODER} coded {min(args.coded, counts['documents'])} documents: accepted {accepted:,} "
                f"suggestions (score >= {ACCEPT_FROM}), {hand} hand codings, "
                f"in {time.perf_counter() - start:.2f} s (one action)"
            )

            # 3. the learning steps, one by one (scikit-learn is already imported, by nltk via kwali.nlp)
            suggester = Suggester(project.codebook(), make_nlp())
            start = time.perf_counter()
            examples = training_examples(project, [CODER])
            gather_s = time.perf_counter() - start
            coded = sum(1 for e in examples if e.codes)
            print(
                f"training examples: {len(examples):,} sentences ({coded:,} coded) in {gather_s * 1000:.0f} ms"
            )
            start = time.perf_counter()
            docs = list(
                suggester.nlp.pipe((e.text for e in examples), batch_size=suggester.batch_size)
            )
            parse_s = time.perf_counter() - start
            print(f"parse examples: {parse_s:.2f} s  {len(docs) / parse_s:,.0f} sentences/s")
            start = time.perf_counter()
            model = LearnedModel.train(
                examples, docs, [c.key for c in suggester.codebook if c.kind != "category"]
            )
            train_s = time.perf_counter() - start
            print(
                f"train: {model.examples:,} texts kept, {model.codings:,} codings learned from, "
                f"{len(model.codes)} codes learned, in {train_s:.2f} s  ({', '.join(model.codes)})"
            )
            del docs, model
            start = time.perf_counter()
            learn_from_project(project, suggester, [CODER])
            learn_s = time.perf_counter() - start
            print(f"learn_from_project (gather + parse + train): {learn_s:.2f} s")

            # 4. suggest with learning, end to end
            start = time.perf_counter()
            learned = suggest_project(project, learn=True, learn_from=[CODER])
            learned_s = time.perf_counter() - start
            print(
                f"learned:      {learned.suggestions:,} suggestions in {learned_s:.2f} s  "
                f"{learned.suggestions / learned_s:,.0f} suggestions/s  {sentences / learned_s:,.0f} sentences/s  "
                f"({learned.documents} documents, learned from {learned.learned_codings:,} codings "
                f"in {learned.learned_texts:,} texts)"
            )
            print(
                f"learned / rules-only time: {learned_s / rules_s:.2f}x  "
                f"(without the retraining: {(learned_s - learn_s) / rules_s:.2f}x)  "
                f"suggestions {learned.suggestions / max(rules.suggestions, 1):.2f}x"
            )
            print(f"peak memory after the learned run {peak_memory_mb():.0f} MB")
            print(
                f"suggestions scoring >= 0.9 in uncoded documents: rules {rules_high:.0%}, "
                f"learned {high_share(project, coded_ids):.0%}"
            )
            by_model = [
                g for g in project.suggestions() if any(e.kind == LEARNED_KIND for e in g.evidence)
            ]
            hand = [
                g
                for g in by_model
                if g.document_id not in coded_ids
                and any(e.rule.partition(":")[2] in HAND_CODES for e in g.evidence)
            ]
            print(
                f"{len(by_model):,} suggestions carry learned evidence; {len(hand):,} of them, in uncoded "
                f"documents, cite a hand-coded word ({', '.join(HAND_CODES)})"
            )
    print(
        f"peak memory {peak_memory_mb():.0f} MB (with every suggestion loaded for the count above)"
    )


if __name__ == "__main__":
    main()
