"""Evaluation against labelled texts: the arithmetic, the baseline, the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kwali.cli.tagging import evaluate as evaluate_command
from kwali.errors import InputError
from kwali.model import Code, Codebook
from kwali.tagging.evaluate import LabelBaseline, evaluate, format_report
from kwali.tagging.gold import GoldItem, load_gold
from kwali.tagging.scoring import score

from helpers import SHARED

SHIPPED = Path(__file__).resolve().parents[1] / "codebooks" / "tegenprestatie.yaml"
DEV = SHARED / "dev" / "quotes.jsonl"  # ../shared, as helpers.shared_path finds it
BOOK = Codebook(
    "t",
    (
        Code("cat", "Categorie", kind="category"),
        Code("a", "Sancties", parent="cat"),
        Code("b", "Betaald werk", parent="cat"),
        Code("c", "Corona", parent="cat"),
    ),
)


class Fixed:
    """A suggester that returns prepared rankings, so the arithmetic can be checked by hand."""

    id = "fixed@1"

    def __init__(self, rankings):
        self.rankings = rankings

    def suggest_texts(self, texts):
        return [self.rankings[t] for t in texts]


def test_scores_by_hand():
    gold = [{"a", "b"}, {"a"}, {"c"}]
    ranked = [
        [("a", 0.9, ()), ("c", 0.6, ()), ("b", 0.3, ())],  # a right, c wrong; b below threshold
        [("b", 0.8, ())],  # b wrong, a missed
        [("c", 0.7, ()), ("a", 0.2, ())],  # c right
    ]
    s = score(gold, ranked, threshold=0.5, k=2, codes=["a", "b", "c"])
    per = {c.code_key: c for c in s.per_code}
    # a: 1 tp of 1 predicted, 2 gold. b: 0 of 1, 1 gold. c: 1 of 2, 1 gold.
    assert (per["a"].precision, per["a"].recall) == (1.0, 0.5)
    assert (per["b"].precision, per["b"].recall, per["b"].f1) == (0.0, 0.0, 0.0)
    assert (per["c"].precision, per["c"].recall) == (0.5, 1.0)
    assert s.micro_precision == 0.5 and s.micro_recall == 0.5 and s.micro_f1 == 0.5
    assert s.macro_f1 == pytest.approx(round((2 / 3 + 0 + 2 / 3) / 3, 4), abs=1e-4)
    # top-2: {a, c} finds a; {b} finds nothing; {c, a} finds c -> 2 of 4 gold labels
    assert s.recall_at_k == 0.5
    assert score(gold, ranked, threshold=0.5, k=3, codes=["a", "b", "c"]).recall_at_k == 0.75


def test_nothing_predicted_gives_zero_not_an_error():
    s = score([{"a"}], [[]], threshold=0.5, k=3, codes=["a"])
    assert (s.micro_precision, s.micro_recall, s.micro_f1, s.recall_at_k) == (0, 0, 0, 0)


def test_unknown_labels_are_reported_and_left_out():
    items = [GoldItem("x", ("a", "maatwerk"), 1), GoldItem("y", ("maatwerk", "c"), 2)]
    suggester = Fixed({"x": [("a", 1.0, ())], "y": [("c", 1.0, ())]})
    result = evaluate(items, BOOK, suggester, k=3)
    assert result.unknown_labels == {"maatwerk": 2}
    assert result.scores.micro_f1 == 1.0 and result.scores.recall_at_k == 1.0
    assert "maatwerk (2)" in format_report(result)


def test_label_baseline_searches_label_words():
    baseline = LabelBaseline(BOOK)
    [first, second] = baseline.suggest_texts(["Hij kreeg sancties.", "Geen werkgever, geen CORONA"])
    assert [k for k, _, _ in first] == ["a"]
    assert [k for k, _, _ in second] == ["c"]  # "werk" is a label word but not "werkgever"


def test_load_gold_reads_jsonl_and_names_bad_lines(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(
        '{"text": "a", "themes": ["x"], "extra": 1}\n\n{"text": "b"}\n', encoding="utf-8"
    )
    assert load_gold(path) == [GoldItem("a", ("x",), 1), GoldItem("b", (), 3)]
    path.write_text('{"text": "a", "themes": []}\n{"text": "b", \n', encoding="utf-8")
    with pytest.raises(InputError, match="regel 2: geen geldige JSON") as info:
        load_gold(path)
    assert info.value.path == str(path)
    path.write_text('{"text": "a", "themes": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="regel 1: 'themes' moet een lijst"):
        load_gold(path)
    with pytest.raises(InputError, match="dit bestand bestaat niet"):
        load_gold(tmp_path / "nee.jsonl")


def test_evaluate_command_prints_json(tmp_path):
    gold = tmp_path / "gold.jsonl"
    lines = [
        {"text": "Ik kreeg een uitkeringskorting.", "themes": ["sanctie"]},
        {"text": "Door corona lag alles stil.", "themes": ["corona", "onbekend"]},
        {"text": "Ik zoek een betaalde baan.", "themes": ["betaald_werk"]},
    ]
    gold.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    result = CliRunner().invoke(
        evaluate_command, ["--gold", str(gold), "--codebook", str(SHIPPED), "--json", "--k", "2"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"micro_f1", "macro_f1", "recall_at_k", "baseline_micro_f1", "per_code"} <= set(data)
    assert data["recall_at_k"] == 1.0 and data["unknown_labels"] == {"onbekend": 1}
    assert data["per_code"]["sanctie"]["recall"] == 1.0
    table = CliRunner().invoke(evaluate_command, ["--gold", str(gold), "--codebook", str(SHIPPED)])
    assert table.exit_code == 0 and "recall@3" in table.output and "baseline" in table.output


def test_dev_set_figures():
    """The development quotes (../shared): kwali must stay well above the label-word baseline."""
    from kwali.io.codebook import load_codebook
    from kwali.nlp import make_nlp
    from kwali.tagging.suggest import Suggester

    if not DEV.exists():
        pytest.skip("../shared/dev/quotes.jsonl is not available")
    items = load_gold(DEV)
    codebook = load_codebook(SHIPPED)
    result = evaluate(items, codebook, Suggester(codebook, make_nlp()), k=3)
    assert result.scores.micro_f1 >= 2 * result.baseline.micro_f1
    # Reached: micro-F1 0.50 (P 0.70, R 0.39), recall@3 0.43; guarded with a little slack.
    assert result.scores.micro_f1 >= 0.48 and result.scores.micro_precision >= 0.65
    assert result.scores.recall_at_k >= 0.41
    # Weak candidates below the threshold rank, so recall@3 exceeds the thresholded recall.
    assert result.scores.recall_at_k > result.scores.micro_recall


@pytest.mark.xfail(
    reason="issue 3 goal (micro-F1 0.60, recall@3 0.70) not reached: 0.50 and 0.43 "
    "(0.52 and 0.55 when learning from coded folds), "
    "see docs/codebook.md",
    strict=False,
)
def test_dev_set_goal():
    from kwali.io.codebook import load_codebook
    from kwali.nlp import make_nlp
    from kwali.tagging.suggest import Suggester

    if not DEV.exists():
        pytest.skip("../shared/dev/quotes.jsonl is not available")
    items = load_gold(DEV)
    codebook = load_codebook(SHIPPED)
    result = evaluate(items, codebook, Suggester(codebook, make_nlp()), k=3)
    assert result.scores.micro_f1 >= 0.60 and result.scores.recall_at_k >= 0.70


def test_dev_set_learning_from_coded_quotes():
    """Learning from the other folds' labels (as from a team's codings) must add to the rules."""
    from kwali.io.codebook import load_codebook
    from kwali.nlp import make_nlp
    from kwali.tagging.evaluate import cross_validate
    from kwali.tagging.suggest import Suggester

    if not DEV.exists():
        pytest.skip("../shared/dev/quotes.jsonl is not available")
    items = load_gold(DEV)
    codebook = load_codebook(SHIPPED)
    suggester = Suggester(codebook, make_nlp())
    rules = evaluate(items, codebook, suggester, k=3)
    learned = cross_validate(items, codebook, suggester, folds=5, k=3)
    # Reached: micro-F1 0.52 (rules 0.50), recall@3 0.59 (rules 0.51, who spoke counted); with slack.
    assert learned.scores.micro_f1 >= 0.51 and learned.scores.recall_at_k >= 0.52
    assert learned.scores.recall_at_k >= rules.scores.recall_at_k + 0.06
