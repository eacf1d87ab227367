"""Time the coder-agreement workflow on a study-sized project (issue 6).

Builds a project of 100 documents × 40 sentences (20 turns of two sentences), 30 codes
and 3 coders whose codings follow a shared "truth" with some noise (some codings cover
only a phrase of a sentence), then times ``agreement_report`` at the sentence, turn and
character level, and compares Krippendorff's α with the ``krippendorff`` package (a
test-only dependency) on the same per-code coders × units matrices.

Run: .venv/bin/python benchmarks/agreement_project_bench.py [--keep FILE.kwali]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from corpus import best_of

from kwali.agreement import krippendorff_alpha
from kwali.agreement.units import unit_table
from kwali.app.agreeing import agreement_report
from kwali.app.agreeing_data import load
from kwali.app.settling import disagreements
from kwali.model import Code, Codebook, Segment, Transcript, Turn
from kwali.store import Project, Verb

DOCUMENTS, TURNS, SENTENCES_PER_TURN, CODES, CODERS = 100, 20, 2, 30, ("anna", "bram", "cees")
WORDS = (
    "ik",
    "moest",
    "van",
    "de",
    "gemeente",
    "vrijwilligerswerk",
    "doen",
    "in",
    "het",
    "buurthuis",
    "klantmanager",
    "uitkering",
    "korting",
    "leuk",
    "collega's",
    "brief",
    "gesprek",
    "ontheffing",
)


def document(rng: np.random.Generator, number: int) -> tuple[Transcript, list[tuple]]:
    """Text, turns and (turn, sentence, start, end) sentence spans of one interview."""
    text, turns, sentences = "", [], []
    for turn in range(1, TURNS + 1):
        label = "I: " if turn % 2 else "R: "
        start = len(text)
        text += label
        for sentence in range(1, SENTENCES_PER_TURN + 1):
            words = rng.choice(WORDS, size=int(rng.integers(8, 22)))
            body = " ".join(words).capitalize() + "."
            if sentence > 1:
                text += " "
            sentences.append((turn, sentence, len(text), len(text) + len(body)))
            text += body
        turns.append(
            Turn(
                turn,
                start,
                len(text),
                start + len(label),
                len(text),
                speaker=label[0],
                role="interviewer" if label[0] == "I" else "respondent",
            )
        )
        text += "\n\n"
    text += f"(interview {number})\n"
    return Transcript(text, tuple(turns), f"interview_{number:03d}.txt", "txt"), sentences


def build(path: Path, seed: int = 6) -> float:
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    with Project.create(path) as project:
        codes = tuple(Code(f"code{k:02d}", f"Code {k}") for k in range(CODES))
        project.set_codebook(Codebook("bench", codes), "kwali")
        with project.action("kwali", Verb.OTHER, "build benchmark project", undoable=False):
            for number in range(1, DOCUMENTS + 1):
                transcript, sentences = document(rng, number)

                def segments(doc_id: int, uid: str, t=transcript, s=sentences) -> list[Segment]:
                    rows = [
                        Segment(f"{uid}:{turn}.{n}", doc_id, "sentence", turn, n, a, b, 1, "")
                        for turn, n, a, b in s
                    ]
                    rows += [
                        Segment(
                            f"{uid}:{turn.number}",
                            doc_id,
                            "turn",
                            turn.number,
                            0,
                            turn.content_start,
                            turn.content_end,
                            1,
                            "",
                        )
                        for turn in t.turns
                    ]
                    return rows

                stored, _ = project.add_document(transcript, segments)
                truth = rng.random((len(sentences), CODES)) < 0.06
                for coder in CODERS:
                    flips = rng.random(truth.shape) < 0.015
                    for u, k in zip(*np.nonzero(truth ^ flips), strict=True):
                        _, _, a, b = sentences[u]
                        if rng.random() < 0.3:  # a phrase, not the whole sentence
                            a = int(rng.integers(a, b - 1))
                            b = int(rng.integers(a + 1, b + 1))
                        project.add_coding(stored.id, a, b, codes[k].key, coder)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the project here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.kwali"
        built = build(path)
        with Project.open(path, readonly=True) as project:
            counts = project.counts()
            print(
                f"project: {counts['documents']} documents, {counts['sentences']} sentences, "
                f"{counts['characters']:,} characters, {len(project.codings()):,} codings by "
                f"{len(CODERS)} coders, {CODES} codes (built in {built:.1f} s)"
            )
            results = {}
            for unit in ("sentence", "turn", "char"):
                results[unit] = best_of(3, lambda u=unit: agreement_report(project, unit=u))
                print(f"agreement_report unit={unit:<9} {results[unit] * 1000:8.1f} ms")
            found = disagreements(project)
            print(
                f"disagreements (sentence)         "
                f"{best_of(3, lambda: disagreements(project)) * 1000:8.1f} ms  ({len(found)} units)"
            )

            loaded = load(project, (), (), ())
            segments = [(s.document_id, s.start, s.end) for s in project.segments(kind="sentence")]
            keys = [c.key for c in loaded.codes]
            tables = best_of(
                3,
                lambda: unit_table(
                    segments, loaded.rows, loaded.coders, keys, covered=loaded.covered
                ),
            )
            table = unit_table(segments, loaded.rows, loaded.coders, keys, covered=loaded.covered)
            matrices = [table.data(k) for k in keys]
            reading = best_of(3, lambda: load(project, (), (), ()))
            print(f"  of which reading the codings    {reading * 1000:8.1f} ms (project.codings)")
            print(f"  of which unit_table (30 codes)  {tables * 1000:8.1f} ms")
            ours = best_of(5, lambda: [krippendorff_alpha(m) for m in matrices])
            print(f"kwali krippendorff_alpha x{len(matrices)}       {ours * 1000:8.1f} ms")
            try:
                import krippendorff
            except ImportError:
                print("krippendorff package not installed: no comparison")
                return 0
            theirs = best_of(
                5,
                lambda: [
                    krippendorff.alpha(reliability_data=m, level_of_measurement="nominal")
                    for m in matrices
                ],
            )
            print(f"krippendorff.alpha x{len(matrices)}             {theirs * 1000:8.1f} ms")
            print(f"  ratio kwali α / krippendorff α            {ours / theirs:6.2f}")
            print(
                f"  ratio whole sentence report / krippendorff α  {results['sentence'] / theirs:6.2f}"
                "  (report = 5 statistics x 31 rows + reading the project)"
            )
            worst = max(
                abs(
                    krippendorff_alpha(m)
                    - krippendorff.alpha(reliability_data=m, level_of_measurement="nominal")
                )
                for m in matrices
            )
            print(f"  largest |difference| in α over the {len(matrices)} codes: {worst:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
