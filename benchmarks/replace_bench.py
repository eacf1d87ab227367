"""Corrected transcripts keep their codings: three sample interviews, coded, corrected, replaced.

Each of three sample .txt transcripts is coded by anna and bram (two codes on every sentence,
spans over two sentences, memos on sentences and codings), then corrected with 30
deterministic edits (a removed passage, a moved paragraph, 5 names replaced by ``[naam]``, 3
inserted hesitations, and typos inside words for the rest) and replaced with
``kwali documents replace``. Prints, per interview and in total, the codings carried over
exactly, moved and flagged, not placed, and lost (must be 0: every coding is accounted for,
by id), the same for memos, and the seconds the replace took.

Run: .venv/bin/python benchmarks/replace_bench.py [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import ROOT, SAMPLES  # noqa: E402
from rapidfuzz.fuzz import ratio  # noqa: E402

from kwali.app.importing import import_files  # noqa: E402
from kwali.app.replacing import replace_document  # noqa: E402
from kwali.io.codebook import load_codebook  # noqa: E402
from kwali.nlp import make_nlp  # noqa: E402
from kwali.store import Project  # noqa: E402

CODEBOOK = ROOT / "codebooks" / "tegenprestatie.yaml"
EDITS = 30  # per transcript:
NAMES, HESITATIONS = 5, 3  # a removed passage, a moved paragraph, and typos for the rest
_WORD = re.compile(r"\b[a-zà-ÿ]{6,}\b")
# a capitalised word after a lower-case one: a name, not the start of a sentence
_NAME = re.compile(r"(?<=[a-zà-ÿ,] )[A-Z][a-zà-ÿ]{2,}\b")


def transcripts() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))[:3]


def code(project: Project, document_id: int, keys: list[str], rng: random.Random) -> None:
    """Two codes per sentence by anna and bram, a span over two sentences every fifth one,
    memos on every seventh sentence and on some codings."""
    sentences = project.segments(document_id)
    for i, sentence in enumerate(sentences):
        for coder in ("anna", "bram"):
            for key in rng.sample(keys, 2):
                coding = project.add_coding(document_id, sentence.start, sentence.end, key, coder)
        if i % 5 == 0 and i + 1 < len(sentences) and sentences[i + 1].start > sentence.end:
            project.add_coding(
                document_id, sentence.start, sentences[i + 1].end, rng.choice(keys), "anna"
            )
        if i % 7 == 0:
            project.add_memo("segment", sentence.id, f"memo bij zin {i}", "anna")
        if i % 11 == 0:
            project.add_memo("coding", str(coding.id), "waarom deze code?", "bram")


def correct(text: str, rng: random.Random) -> tuple[str, int]:
    """The text with 30 edits, and how many were made."""
    paragraphs = text.split("\n\n")
    edits = 0
    middle = len(paragraphs) // 2
    del paragraphs[middle]  # a removed passage
    edits += 1
    moved = paragraphs.pop(middle + 3)  # a paragraph moved further down
    paragraphs.insert(min(len(paragraphs), middle + 9), moved)
    edits += 1
    joined = "\n\n".join(paragraphs)
    words = list(_WORD.finditer(joined))
    names = list(_NAME.finditer(joined))
    spaces = [m.start() for m in re.finditer(r"(?<=,) ", joined)]
    rng.shuffle(words)
    rng.shuffle(names)
    rng.shuffle(spaces)
    changes: list[tuple[int, int, str]] = []  # (start, end, replacement), never overlapping

    def add(start: int, end: int, replacement: str) -> bool:
        if any(start <= e and s <= end for s, e, _ in changes):
            return False  # one edit per place: two on one word would count as one
        changes.append((start, end, replacement))
        return True

    named = 0
    for match in names:
        if named == NAMES:
            break
        named += add(match.start(), match.end(), "[naam]")
    hesitations = 0
    for at in spaces:
        if hesitations == HESITATIONS:
            break
        hesitations += add(at, at, " eh,")
    # typos make up the rest of the edits (a transcript with fewer names gets more typos)
    typos = EDITS - 2 - named - hesitations
    for match in words:
        if typos == 0:
            break
        word, i = match.group(0), rng.randrange(1, len(match.group(0)) - 2)
        if word[i] != word[i + 1]:
            typos -= add(
                match.start(), match.end(), word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            )
    chars = list(joined)
    for start, end, replacement in sorted(changes, reverse=True):
        chars[start:end] = list(replacement)
    edits += len(changes)
    return "".join(chars), edits


def run() -> dict:
    rng = random.Random(2026)
    nlp = make_nlp()
    results: dict = {"interviews": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "replace.kwali"
        with Project.create(path) as project:
            import_files(project, transcripts())
            project.set_codebook(load_codebook(CODEBOOK))
            keys = project.codebook().code_keys()
            for document_id in project.document_ids():
                code(project, document_id, keys, rng)
            for document_id in project.document_ids():
                document = project.require_document(document_id)
                before = {c.id for c in project.codings(document_id=document_id, status=None)}
                memos_before = len(project.memos())
                new_text, edits = correct(document.text, rng)
                new_file = folder / f"gecorrigeerd_{document.source_name}"
                new_file.write_text(new_text, encoding="utf-8")
                start = time.perf_counter()
                report = replace_document(project, str(document.number), new_file, nlp=nlp)
                seconds = time.perf_counter() - start
                now = {c.id for c in project.codings(document_id=document_id, status=None)}
                waiting = {u.item_id for u in project.unplaced(document_id) if u.kind == "coding"}
                memos_waiting = sum(1 for u in project.unplaced(document_id) if u.kind == "memo")
                results["interviews"].append(
                    {
                        "document": document.source_name,
                        "edits": edits,
                        "codings": len(before),
                        "exact": report.count("coding", "exact"),
                        "moved": report.count("coding", "moved"),
                        "not_placed": report.count("coding", "gone"),
                        "lost": len(before - now - waiting),
                        # how well a moved one landed: its new text against its old
                        "moved_similar": sum(
                            1
                            for c in report.carried
                            if c.kind == "coding"
                            and c.placement == "moved"
                            and ratio(c.old_text, c.new_text) >= 90
                        ),
                        "memos": memos_before,
                        "memos_moved": report.count("memo", "moved"),
                        "memos_not_placed": memos_waiting,
                        "memos_lost": memos_before - len(project.memos()) - memos_waiting,
                        "sentences_kept": f"{report.sentences_kept}/{report.sentences_before}",
                        "seconds": round(seconds, 2),
                    }
                )
    totals = {
        key: sum(r[key] for r in results["interviews"])
        for key in (
            "edits",
            "codings",
            "exact",
            "moved",
            "moved_similar",
            "not_placed",
            "lost",
            "memos_lost",
        )
    }
    results["total"] = totals
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args()
    results = run()
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(
        f"{'interview':<42} {'edits':>5} {'codings':>7} {'exact':>6} {'moved':>6} "
        f"{'not pl.':>7} {'lost':>4}  {'memos mv/np/lost':>16}  {'same id':>9} {'s':>5}"
    )
    for r in results["interviews"]:
        memos = f"{r['memos_moved']}/{r['memos_not_placed']}/{r['memos_lost']}"
        print(
            f"{r['document']:<42} {r['edits']:>5} {r['codings']:>7} {r['exact']:>6} "
            f"{r['moved']:>6} {r['not_placed']:>7} {r['lost']:>4}  {memos:>16}  "
            f"{r['sentences_kept']:>9} {r['seconds']:>5}"
        )
    t = results["total"]
    print(
        f"{'total':<42} {t['edits']:>5} {t['codings']:>7} {t['exact']:>6} {t['moved']:>6} "
        f"{t['not_placed']:>7} {t['lost']:>4}"
    )
    print(
        f"moved codings whose new text is at least 90% like the old: "
        f"{t['moved_similar']} of {t['moved']}"
    )
    if t["lost"] or t["memos_lost"]:
        sys.exit("codings or memos were lost")


if __name__ == "__main__":
    main()
