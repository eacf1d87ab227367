"""`kwali evaluate -p P --coder C`: the suggester measured against a coder's confirmed codings,
with a calibration table; `kwali export gold` writes the same labelled texts for sharing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kwali.app.evaluating import evaluate_project, project_gold
from kwali.app.importing import import_files
from kwali.app.suggesting import suggest_project
from kwali.cli import cli
from kwali.errors import ProjectError
from kwali.nlp import make_nlp
from kwali.store import Project
from kwali.tagging import evaluate as evaluate_module
from kwali.tagging.evaluate import cross_validate, evaluate, fold_of, format_report
from kwali.tagging.gold import load_gold
from kwali.tagging.suggest import Suggester

from helpers import SUGGESTING_CODEBOOK as BOOK

# Invented interviews. anna codes what she reads; bob codes one sentence elsewhere.
INTERVIEWS = {
    "een.txt": (
        "I: Hoe gaat het?\n\n"
        "R: Het is verplicht om te komen. Mijn rug doet pijn. Anders word je gekort. "
        "De bus was laat. Ik sta met een bladblazer in het park.\n"
    ),
    "twee.txt": (
        "I: En bij u?\n\n"
        "R: Ze dwingen je om te gaan. Met de bladblazer doe ik het werk. Daarna koffie. "
        "Ik kreeg een maatregel van Sanne de Vries.\n"
    ),
    "drie.txt": (
        "I: Nog iets?\n\n"
        "R: Het voelt verplicht. Weer die bladblazer vandaag. Mijn buurvrouw belde.\n"
    ),
}
ANNA = {  # sentence -> the codes anna confirms on it
    "Het is verplicht om te komen.": ("dwang",),
    "Anders word je gekort.": ("sanctie",),
    "Ik sta met een bladblazer in het park.": ("dwang",),
    "Ze dwingen je om te gaan.": ("dwang",),
    "Met de bladblazer doe ik het werk.": ("dwang",),
    "Ik kreeg een maatregel van Sanne de Vries.": ("sanctie", "dwang"),
    "Het voelt verplicht.": ("dwang",),
    "Weer die bladblazer vandaag.": ("dwang",),
}


def _build(path: Path) -> Path:
    with Project.create(path) as project:
        files = []
        for name, text in INTERVIEWS.items():
            (path.parent / name).write_text(text, encoding="utf-8")
            files.append(path.parent / name)
        import_files(project, files)
        suggest_project(project, codebook=BOOK)
        for document in project.document_ids():
            for sentence in project.segments(document, kind="sentence"):
                for code in ANNA.get(sentence.text, ()):
                    project.add_coding(document, sentence.start, sentence.end, code, "anna")
                if sentence.text == "De bus was laat.":
                    project.add_coding(document, sentence.start, sentence.end, "sanctie", "bob")
        project.set_replacement("Sanne de Vries", "[naam]")
    return path


@pytest.fixture
def studie(tmp_path) -> Path:
    return _build(tmp_path / "studie.kwali")


def test_the_labelled_texts_are_what_the_coder_read_with_her_codes(studie):
    with Project.open(studie, readonly=True) as project:
        labelled = project_gold(project, ["anna"])
        items = {item.text: set(item.themes) for _document, item in labelled}
        # the interviewer is left out; so is what she had not read (after her last coding)
        assert not any(text.startswith(("Hoe gaat", "En bij", "Nog iets")) for text in items)
        assert "Mijn buurvrouw belde." not in items
        assert items["Mijn rug doet pijn."] == set()  # read, left uncoded
        assert items["Ik kreeg een maatregel van Sanne de Vries."] == {"sanctie", "dwang"}
        assert items["De bus was laat."] == set()  # bob's coding is not anna's
        assert len({document for document, _item in labelled}) == 3
        with pytest.raises(ProjectError, match="geen bevestigde coderingen van carla"):
            project_gold(project, ["carla"])


def test_evaluating_a_project_scores_what_its_exported_gold_scores(studie, tmp_path):
    out = tmp_path / "gold.jsonl"
    written = CliRunner().invoke(
        cli, ["export", "gold", "-p", str(studie), "--coder", "anna", "-o", str(out)]
    )
    assert written.exit_code == 0, written.output
    with Project.open(studie, readonly=True) as project:
        direct = evaluate_project(project, "anna")
        codebook = project.codebook()
    from_file = evaluate(load_gold(out), codebook, Suggester(codebook, make_nlp()))
    assert direct.items == from_file.items == 9 + 2  # anna's sentences and the two she left
    assert direct.scores == from_file.scores and direct.baseline == from_file.baseline
    assert direct.calibration == from_file.calibration
    # the calibration table counts every suggestion from the threshold on, once
    assert direct.calibration is not None
    shown = [
        s
        for ranked in Suggester(codebook, make_nlp()).suggest_texts(
            [item.text for item in load_gold(out)]
        )
        for s in ranked
        if s.score >= direct.threshold
    ]
    assert sum(b.count for b in direct.calibration.bins) == len(shown) > 0
    assert 0 <= direct.calibration.expected_error <= 1
    report = format_report(direct)
    assert "Kalibratie" in report and "Verwachte kalibratiefout (ECE)" in report


def test_folds_keep_each_document_together_and_never_train_on_it(studie, monkeypatch):
    groups = [1, 1, 1, 2, 2, 3, 3, 3, 4, 5]
    fold = fold_of(groups, 3, groups)
    assert fold == fold_of(groups, 3, groups)  # a fixed shuffle: a run repeats
    for group in set(groups):
        assert len({f for f, g in zip(fold, groups, strict=True) if g == group}) == 1
    assert sorted(set(fold)) == [0, 1, 2]

    trained_on: list[set[str]] = []
    real = evaluate_module.LearnedModel.train

    def spy(examples, docs, codes):  # type: ignore[no-untyped-def]
        trained_on.append({e.text for e in examples})
        return real(examples, docs, codes)

    monkeypatch.setattr(evaluate_module.LearnedModel, "train", staticmethod(spy))
    with Project.open(studie, readonly=True) as project:
        labelled = project_gold(project, ["anna"])
        codebook = project.codebook()
        items = [item for _document, item in labelled]
        documents = [document for document, _item in labelled]
        result = cross_validate(
            items,
            codebook,
            Suggester(codebook, make_nlp()),
            folds=3,
            groups=documents,
            min_codings=2,
        )
    assert result.items == len(items) and len(trained_on) + result.rules_only_folds == 3
    assert trained_on
    for taught in trained_on:  # each fold learned from whole other documents only
        held = {d for item, d in zip(items, documents, strict=True) if item.text not in taught}
        assert all(
            item.text not in taught for item, d in zip(items, documents, strict=True) if d in held
        )


def test_evaluate_command_on_a_project(studie):
    runner = CliRunner()
    result = runner.invoke(cli, ["evaluate", "-p", str(studie), "--coder", "anna"])
    assert result.exit_code == 0, result.output
    assert "11 teksten" in result.output and "recall@3" in result.output
    assert "Kalibratie" in result.output and "Verwachte kalibratiefout (ECE)" in result.output
    folded = runner.invoke(
        cli,
        ["evaluate", "-p", str(studie), "--coder", "anna", "--folds", "3", "--min-codings", "2"],
    )
    assert folded.exit_code == 0, folded.output
    assert "3-voudige kruisvalidatie" in folded.output
    as_json = runner.invoke(cli, ["evaluate", "-p", str(studie), "--coder", "anna", "--json"])
    record = json.loads(as_json.output)
    assert {"micro_f1", "recall_at_k", "baseline_micro_f1"} <= set(record)
    assert {"expected_calibration_error", "bins"} <= set(record["calibration"])
    for args, said in (
        (["--coder", "carla"], "geen bevestigde coderingen van carla"),
        (["--coder", "anna", "--folds", "4"], "kan 3 documenten niet in 4 delen splitsen"),
    ):
        bad = runner.invoke(cli, ["evaluate", "-p", str(studie), *args])
        errors = [line for line in bad.output.splitlines() if line.startswith("kwali: fout:")]
        assert bad.exit_code == 1 and len(errors) == 1 and said in errors[0], bad.output
    both = runner.invoke(cli, ["evaluate", "-p", str(studie), "--gold", "x.jsonl"])
    assert both.exit_code == 2
    neither = runner.invoke(cli, ["evaluate", "--coder", "anna"])
    assert neither.exit_code == 2 and "--gold" in neither.output


def test_export_gold_is_private_refuses_to_overwrite_and_can_anonymize(studie, tmp_path):
    runner = CliRunner()
    out = tmp_path / "gold.jsonl"
    args = ["export", "gold", "-p", str(studie), "-o", str(out)]
    assert runner.invoke(cli, args).exit_code == 0
    assert os.stat(out).st_mode & 0o777 == 0o600
    everyone = load_gold(out)
    assert any("Sanne de Vries" in item.text for item in everyone)
    # bob's coding is pooled in
    assert ("De bus was laat.", ("sanctie",)) in {(i.text, i.themes) for i in everyone}
    before = out.read_bytes()
    again = runner.invoke(cli, args + ["--coder", "anna", "--anonymize"])
    errors = [line for line in again.output.splitlines() if line.startswith("kwali: fout:")]
    assert again.exit_code == 1 and len(errors) == 1 and "bestaat al" in errors[0]
    assert out.read_bytes() == before
    forced = runner.invoke(cli, args + ["--coder", "anna", "--anonymize", "--force"])
    assert forced.exit_code == 0, forced.output
    mine = load_gold(out)
    assert not any("Sanne" in item.text for item in mine)
    assert any("[naam]" in item.text for item in mine)
    unknown = runner.invoke(cli, [*args[:-2], "-o", str(tmp_path / "x.jsonl"), "--coder", "carla"])
    errors = [line for line in unknown.output.splitlines() if line.startswith("kwali: fout:")]
    assert unknown.exit_code == 1 and len(errors) == 1 and "carla" in errors[0]
    assert not (tmp_path / "x.jsonl").exists()


def test_the_gold_file_evaluation_prints_its_calibration_table(studie, tmp_path):
    out = tmp_path / "gold.jsonl"
    CliRunner().invoke(cli, ["export", "gold", "-p", str(studie), "-o", str(out)])
    book = tmp_path / "boek.yaml"
    CliRunner().invoke(cli, ["export", "codebook", "-p", str(studie), "-o", str(book)])
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(out), "--codebook", str(book)])
    assert result.exit_code == 0, result.output
    assert "Verwachte kalibratiefout (ECE)" in result.output
