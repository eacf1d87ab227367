"""Learning from confirmed codings: what it learns, how it explains itself, and that it
never scores a text it was trained on."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kwali.cli.tagging import evaluate as evaluate_command
from kwali.errors import InputError
from kwali.model import Code, Codebook, Signals
from kwali.tagging.evaluate import cross_validate, evaluate, fold_of, train_model
from kwali.tagging.gold import GoldItem
from kwali.tagging.learned import Example, LearnedModel, fingerprint
from kwali.tagging.suggest import Suggester

BOOK = Codebook(
    "t",
    (
        Code("cat", "Categorie", kind="category"),
        Code("verdringing", "Verdringing", parent="cat", signals=Signals(lemmas=("verdringing",))),
        Code("gezondheid", "Gezondheid", parent="cat", signals=Signals(lemmas=("ziek",))),
    ),
)

# No signal of the codebook says that a leaf blower is about verdringing; the team's
# codings do. The sentences are invented for this test.
TAUGHT = [
    ("Met de bladblazer doe ik nu het werk van een gemeentearbeider.", {"verdringing"}),
    ("Die bladblazer was vroeger van iemand met een echt contract.", {"verdringing"}),
    ("Ik sta de hele ochtend met een bladblazer in het park.", {"verdringing"}),
    ("Mijn rug doet pijn na een dag vegen.", {"gezondheid"}),
    ("Mijn rug speelt op als het koud is.", {"gezondheid"}),
    ("Met mijn rug kan ik niet lang staan.", {"gezondheid"}),
    ("We drinken koffie in de kantine.", set()),
    ("De bus was te laat vanochtend.", set()),
    ("Mijn buurvrouw belde gisteren nog.", set()),
]


def train(nlp, taught=TAUGHT) -> LearnedModel:
    examples = [Example(text, frozenset(codes)) for text, codes in taught]
    return LearnedModel.train(
        examples, list(nlp.pipe(e.text for e in examples)), ["verdringing", "gezondheid"]
    )


def test_a_word_the_codebook_lacks_is_learned_and_shown_as_evidence(nlp):
    suggester = Suggester(BOOK, nlp)
    text = "Nu loop ik weer met de bladblazer langs de stoep."
    assert suggester.suggest_texts([text]) == [[]]  # the rules alone see nothing
    learner = suggester.learning_from(train(nlp))
    [ranked] = learner.suggest_texts([text])
    best = ranked[0]
    assert best.code_key == "verdringing"
    [evidence] = [e for e in best.evidence if e.rule == "learned:bladblazer"]
    assert text[evidence.start : evidence.end] == "bladblazer"
    assert all(s.code_key != "gezondheid" or s.score < best.score for s in ranked)


def test_the_higher_of_rules_and_learning_counts_and_both_explain(nlp):
    suggester = Suggester(BOOK, nlp)
    learned = train(nlp)
    text = "Die bladblazer is gewoon verdringing."
    [rules_only] = suggester.suggest_texts([text])
    [both] = suggester.learning_from(learned).suggest_texts([text])
    [(probability, _)] = [found["verdringing"] for found in learned.predict([nlp(text)])]
    rule = next(s for s in rules_only if s.code_key == "verdringing")
    combined = next(s for s in both if s.code_key == "verdringing")
    # Not a sum: a model taught by the rules' own words must not count them twice.
    assert combined.score == max(rule.score, probability)
    assert {e.kind for e in combined.evidence} >= {"name", "learned"}


def test_the_suggester_id_names_the_training_data(nlp):
    suggester = Suggester(BOOK, nlp)
    learned = train(nlp)
    learner = suggester.learning_from(learned)
    assert learner.id == f"{suggester.id}+learned.{learned.fingerprint}"
    assert suggester.learning_from(None).id == suggester.id
    relabelled = [(t, {"gezondheid"} if "koffie" in t else c) for t, c in TAUGHT]
    assert train(nlp, relabelled).fingerprint != learned.fingerprint
    assert fingerprint(Example(t, frozenset(c)) for t, c in reversed(TAUGHT)) == learned.fingerprint


def test_too_few_codings_is_a_clear_error(nlp):
    with pytest.raises(InputError, match="te weinig bevestigde coderingen"):
        train(nlp, TAUGHT[:2] + TAUGHT[6:])


def test_folds_are_fixed_and_even():
    items = [GoldItem(f"tekst {i}", (), i) for i in range(11)]
    folds = fold_of(items, 3)
    assert folds == fold_of(items, 3)
    assert sorted(folds.count(f) for f in range(3)) == [3, 4, 4]


def test_cross_validation_never_scores_a_text_its_model_saw(nlp):
    """Every text is a word of its own: only a model that saw the text could know its code."""
    words = [
        "mkorp",
        "flibber",
        "zoknar",
        "drepel",
        "quasto",
        "bimmel",
        "trovak",
        "glunder",
        "pleksa",
        "vurpen",
        "hokkel",
        "strabo",
    ]
    items = [
        GoldItem(f"{w.capitalize()}!", ("verdringing" if i % 2 else "gezondheid",), i)
        for i, w in enumerate(words)
    ]
    suggester = Suggester(BOOK, nlp)
    seen = evaluate(items, BOOK, suggester.learning_from(train_model(items, BOOK, nlp)))
    assert seen.scores.recall_at_k > 0.5  # memorised
    held_out = cross_validate(items, BOOK, suggester, folds=4)
    assert held_out.scores.recall_at_k == 0.0
    assert "4-voudige" in held_out.suggester
    with pytest.raises(InputError, match="kan 12 teksten niet in 13 delen splitsen"):
        cross_validate(items, BOOK, suggester, folds=13)


def test_evaluate_command_learns_from_a_training_file(tmp_path, nlp):
    train_file, gold_file = tmp_path / "train.jsonl", tmp_path / "gold.jsonl"
    train_file.write_text(
        "\n".join(json.dumps({"text": t, "themes": sorted(c)}) for t, c in TAUGHT), encoding="utf-8"
    )
    gold_file.write_text(
        json.dumps({"text": "Weer die bladblazer.", "themes": ["verdringing"]}), encoding="utf-8"
    )
    book = tmp_path / "book.yaml"
    from kwali.io.codebook import save_codebook

    save_codebook(BOOK, book)
    plain = CliRunner().invoke(
        evaluate_command, ["--gold", str(gold_file), "--codebook", str(book), "--json"]
    )
    learned = CliRunner().invoke(
        evaluate_command,
        ["--gold", str(gold_file), "--codebook", str(book), "--json", "--train", str(train_file)],
    )
    assert plain.exit_code == 0 and learned.exit_code == 0, learned.output
    assert json.loads(plain.output)["recall_at_k"] == 0.0
    assert json.loads(learned.output)["recall_at_k"] == 1.0
    assert "+learned." in json.loads(learned.output)["suggester"]
    both = CliRunner().invoke(
        evaluate_command,
        [
            "--gold",
            str(gold_file),
            "--codebook",
            str(book),
            "--train",
            str(train_file),
            "--folds",
            "2",
        ],
    )
    assert both.exit_code == 2 and "niet allebei" in both.output


def test_placeholders_and_stop_words_never_explain_a_suggestion(nlp):
    from kwali.tagging.learned import token_features

    doc = nlp("Toen heeft [naam activeringscoach] mij [lacht] gebeld over de bladblazer.")
    words = {feature for _, feature in token_features(doc)}
    assert "bladblazer" in words and words & {"gebeld", "bellen"}
    assert not words & {"naam", "activeringscoach", "lacht", "mij", "de", "over"}
