"""Suggester quality on labelled quotes: micro P/R/F1, recall@3, label-word baseline and
expected calibration error, on ../shared/dev (all, and records of 12 words or more) and on
the invented held-out sentences in benchmarks/data/heldout_invented.jsonl, and on
benchmarks/data/heldout_blind.jsonl (60 quotes with speaker roles, invented from the theme
definitions by a writer who saw neither the codebook's signals nor the other sets).

The dev set is read from ../shared and never copied here; without it only the held-out
file is measured.

With --context, sentence by sentence as ``kwali suggest`` codes a project: each sentence of a
quote scored alone, with the rest of its turn, and with the interviewer's question before it
(benchmarks/data/heldout_turns.jsonl: invented questions and answers); a sentence's gold
labels are its quote's.

Run: .venv/bin/python benchmarks/suggest_recall_bench.py [--per-code] [--json OUT] [--context]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kwali.io.codebook import load_codebook  # noqa: E402
from kwali.nlp import make_nlp  # noqa: E402
from kwali.tagging.evaluate import LabelBaseline  # noqa: E402
from kwali.tagging.gold import GoldItem, gold_sets, load_gold  # noqa: E402
from kwali.tagging.scoring import calibration, score  # noqa: E402
from kwali.tagging.suggest import DEFAULT_MIN_SCORE, Suggester  # noqa: E402

DEV = ROOT.parent / "shared" / "dev" / "quotes.jsonl"
HELDOUT = ROOT / "benchmarks" / "data" / "heldout_invented.jsonl"
BLIND = ROOT / "benchmarks" / "data" / "heldout_blind.jsonl"
TURNS = ROOT / "benchmarks" / "data" / "heldout_turns.jsonl"
MIN_WORDS = 12


def measure(name: str, items: list[GoldItem], codebook, suggester, per_code: bool) -> dict:
    gold, _unknown = gold_sets(items, codebook)
    texts = [i.text for i in items]
    speakers = [(i.speaker,) if i.speaker else () for i in items]
    ranked = suggester.suggest_texts(texts, speakers)
    codes = codebook.code_keys()
    s = score(gold, ranked, DEFAULT_MIN_SCORE, 3, codes)
    b = score(gold, LabelBaseline(codebook).suggest_texts(texts), DEFAULT_MIN_SCORE, 3, codes)
    cal = calibration(gold, ranked, DEFAULT_MIN_SCORE)
    ece = cal.expected_error
    table = [(b.low, b.count, round(b.mean_score, 3), round(b.share_right, 3)) for b in cal.bins]
    out = {
        "set": name,
        "items": len(items),
        "P": s.micro_precision,
        "R": s.micro_recall,
        "F1": s.micro_f1,
        "R@3": s.recall_at_k,
        "base_F1": b.micro_f1,
        "base_R@3": b.recall_at_k,
        "ECE": ece,
        "calibration": table,
    }
    if per_code:
        out["per_code"] = {
            c.code_key: (c.support, c.predicted, c.precision, c.recall, c.f1) for c in s.per_code
        }
    return out


def turn_segments(nlp, doc_id: int, question: str, answer: str) -> tuple[list, list]:
    """The answer's sentences as one respondent turn, the question as the interviewer's."""
    from kwali.model import Segment

    text = (question + "\n" if question else "") + answer
    asked, said = [], []
    for turn, (start, part, role) in enumerate(
        [(0, question, "interviewer"), (len(question) + 1 if question else 0, answer, None)]
    ):
        if not part:
            continue
        for n, sent in enumerate(nlp(part).sents):
            seg = Segment(
                f"{doc_id}.{turn}.{n}",
                doc_id,
                "sentence",
                turn,
                n,
                start + sent.start_char,
                start + sent.end_char,
                1,
                sent.text,
                role=role,
            )
            assert text[seg.start : seg.end] == seg.text
            (asked if role else said).append(seg)
    return asked, said


def context_run(suggester, codebook, records, turn_share: float, question_share: float) -> dict:
    import kwali.tagging.suggest as module

    module.TURN_SHARE, module.QUESTION_SHARE = turn_share, question_share
    gold_all, ranked_all = [], []
    known = set(codebook.keys())
    for doc_id, (question, answer, themes) in enumerate(records):
        asked, said = turn_segments(suggester.nlp, doc_id, question, answer)
        found = suggester.suggest_segments(said, min_score=0.0, context=asked)
        for seg in said:
            ranked = [(x.code_key, x.score) for x in found if x.segment_id == seg.id]
            ranked_all.append(sorted(ranked, key=lambda r: -r[1]))
            gold_all.append({t for t in themes if t in known})
    s = score(gold_all, ranked_all, DEFAULT_MIN_SCORE, 3, codebook.code_keys())
    cal = calibration(gold_all, ranked_all, DEFAULT_MIN_SCORE)
    return {
        "sentences": len(gold_all),
        "P": s.micro_precision,
        "R": s.micro_recall,
        "F1": s.micro_f1,
        "R@3": s.recall_at_k,
        "ECE": cal.expected_error,
    }


def context_report(codebook, suggester) -> None:
    sets = []
    if DEV.exists():
        dev = [(i, len(list(suggester.nlp(i.text).sents))) for i in load_gold(DEV)]
        sets.append(("dev multi-sentence", [("", i.text, i.themes) for i, n in dev if n > 1]))
    turns = [json.loads(line) for line in TURNS.read_text(encoding="utf-8").splitlines() if line]
    sets.append(("turns, no question", [("", t["answer"], t["themes"]) for t in turns]))
    sets.append(("turns + question", [(t["question"], t["answer"], t["themes"]) for t in turns]))
    print(
        f"\n{'sentence level':<22}{'context':<18}{'n':>5}{'P':>7}{'R':>7}{'F1':>7}{'R@3':>7}{'ECE':>7}"
    )
    import kwali.tagging.suggest as module

    turn, question = module.TURN_SHARE, module.QUESTION_SHARE
    for name, records in sets:
        for label, shares in (
            ("none", (0.0, 0.0)),
            ("turn", (turn, 0.0)),
            ("turn+question", (turn, question)),
        ):
            r = context_run(suggester, codebook, records, *shares)
            module.TURN_SHARE, module.QUESTION_SHARE = turn, question
            print(
                f"{name:<22}{label:<18}{r['sentences']:>5}{r['P']:>7.3f}{r['R']:>7.3f}"
                f"{r['F1']:>7.3f}{r['R@3']:>7.3f}{r['ECE']:>7.3f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-code", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--context", action="store_true")
    parser.add_argument("--weights", type=json.loads, help="e.g. '{\"definition\": 0.1}'")
    args = parser.parse_args()
    codebook = load_codebook(ROOT / "codebooks" / "tegenprestatie.yaml")
    suggester = Suggester(codebook, make_nlp(), weights=args.weights)
    sets = []
    if DEV.exists():
        dev = load_gold(DEV)
        sets += [
            ("dev-all", dev),
            ("dev-12w", [i for i in dev if len(i.text.split()) >= MIN_WORDS]),
        ]
    sets.append(("heldout-invented", load_gold(HELDOUT)))
    sets.append(("heldout-blind", load_gold(BLIND)))
    results = [measure(n, items, codebook, suggester, args.per_code) for n, items in sets]
    print(f"suggester {suggester.id}")
    print(f"{'set':<18}{'n':>5}{'P':>7}{'R':>7}{'F1':>7}{'R@3':>7}{'bF1':>7}{'bR@3':>7}{'ECE':>7}")
    for r in results:
        print(
            f"{r['set']:<18}{r['items']:>5}{r['P']:>7.3f}{r['R']:>7.3f}{r['F1']:>7.3f}"
            f"{r['R@3']:>7.3f}{r['base_F1']:>7.3f}{r['base_R@3']:>7.3f}{r['ECE']:>7.3f}"
        )
    for r in results:
        print(r["set"], "calibration (bin, n, mean score, share right):", r["calibration"])
        if args.per_code:
            for key, (sup, pred, p, rec, f1) in sorted(
                r["per_code"].items(), key=lambda kv: -kv[1][0]
            ):
                print(f"  {key:<26}{sup:>4}{pred:>5}{p:>7.2f}{rec:>7.2f}{f1:>7.2f}")
    if args.context:
        context_report(codebook, suggester)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
