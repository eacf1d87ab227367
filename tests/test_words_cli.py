"""`kwali words`: the table in the terminal, the files it writes, one-line errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kwali.analysis import lemmas
from kwali.analysis.words import keywords
from kwali.cli import cli
from kwali.model import Code, Codebook, Transcript
from kwali.store import Project

TEXT = (
    "I: Hoe ging het met de gemeente? Vertel eens over de brief.\n\n"
    "R: De gemeente stuurde een brief. Weer een brief van de gemeente. Eh, ik was boos.\n\n"
    "I: En het buurthuis?\n\n"
    "R: Het buurthuis is gezellig. Ik kook in het buurthuis, elke vrijdag. Mail @buurthuis.\n"
)
OTHER = "R: De tuin is mooi. Ik werk graag in de tuin. De gemeente betaalt de tuin.\n"


@pytest.fixture
def study(tmp_path: Path, nlp) -> Path:  # noqa: ANN001 - spaCy Language
    from kwali.io.turns import detect_turns
    from kwali.nlp import segment_many

    lemmas.clear_cache()
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        for name, text, group in (("buurthuis", TEXT, "Meedoen010"), ("tuin", OTHER, "P010")):
            turns = detect_turns(text)
            project.add_document(
                Transcript(text, turns, f"{name}.txt", "txt"),
                lambda doc_id, uid, t=text, tr=turns: segment_many(nlp, [(t, tr, doc_id, uid)])[0],
                attributes={"aanpak": group},
                name=name,
            )
        project.set_codebook(Codebook("w", (Code("dwang", "Dwang"),)), "kwali")
        document = project.find_document("buurthuis")
        start = document.text.index("De gemeente stuurde")
        end = document.text.index("Eh, ik was")
        project.add_coding(document.id, start, end, "dwang", "anna")
    return path


def test_prints_the_keywords_of_a_code(runner, study: Path) -> None:  # noqa: ANN001
    result = runner.invoke(cli, ["words", "-p", str(study), "--code", "dwang"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:4] == ["lemma", "aantal", "per", "10k"]
    first = lines[1].split()
    assert first[0] in {"brief", "gemeente"} and first[1] in {"2", "3"}
    assert "code dwang" in result.output and "rest van het project" in result.output


def test_whole_project_and_interviewers(runner, study: Path) -> None:  # noqa: ANN001
    def counts(*options: str) -> dict[str, int]:
        result = runner.invoke(cli, ["words", "-p", str(study), "--min", "1", *options])
        assert result.exit_code == 0, result.output
        found = {}
        for line in result.output.splitlines()[1:]:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                found[parts[0]] = int(parts[1])
        return found

    plain = counts()
    assert plain["gemeente"] == 3 and plain["tuin"] == 3
    assert "vertellen" not in plain and "eh" not in plain
    with_all = counts("--interviewers", "--keep-fillers")
    assert with_all["gemeente"] == 4 and with_all["vertellen"] == 1 and with_all["eh"] == 1
    assert counts("--where", "aanpak=P010") == {
        "tuin": 3,
        "mooi": 1,
        "werk": 1,  # "ik werk": the lookup table knows werk as a noun, so it stays
        "graag": 1,
        "gemeente": 1,
        "betalen": 1,
    }
    assert counts("--min", "3")["gemeente"] == 3  # the last --min wins
    assert set(counts("--min", "3")) == {"gemeente", "tuin"}


def test_unknown_targets_are_one_line_errors(runner, study: Path) -> None:  # noqa: ANN001
    for options, message in (
        (["--code", "geen"], "heeft geen code 'geen'"),
        (["--document", "9"], "heeft geen document '9'"),
        (["--where", "kleur=rood"], "geen document heeft het kenmerk 'kleur'"),
        (["-o", str(study.parent / "x.pdf")], "kan .pdf niet schrijven"),
    ):
        result = runner.invoke(cli, ["words", "-p", str(study), *options])
        assert result.exit_code == 1
        assert result.output.startswith("kwali: fout: ") and message in result.output
        assert result.output.count("\n") == 1
    result = runner.invoke(
        cli, ["words", "-p", str(study), "--document", "1", "--where", "aanpak=P010"]
    )
    assert result.exit_code == 2 and "sluiten elkaar uit" in result.output


def test_writes_csv_xlsx_and_docx(runner, study: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from docx import Document
    from openpyxl import load_workbook

    base = ["words", "-p", str(study), "--code", "dwang", "--min", "1"]
    out = tmp_path / "woorden.csv"
    result = runner.invoke(cli, [*base, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with Project.open(study, readonly=True) as project:
        expected = keywords(project, code="dwang")
    assert [r["lemma"] for r in rows] == [k.lemma for k in expected.keywords]
    assert rows[0]["ll"] == str(round(expected.keywords[0].ll, 2))
    assert (out.stat().st_mode & 0o077) == 0  # private: only the researcher reads it

    again = runner.invoke(cli, [*base, "-o", str(out)])
    assert again.exit_code == 1 and "bestaat al" in again.output  # nothing overwritten unasked

    whole = tmp_path / "alles.csv"
    assert (
        runner.invoke(cli, ["words", "-p", str(study), "--min", "1", "-o", str(whole)]).exit_code
        == 0
    )
    lemmas_written = [r["lemma"] for r in csv.DictReader(whole.open(encoding="utf-8-sig"))]
    assert "'@buurthuis" in lemmas_written  # a spreadsheet does not run it as a formula

    xlsx = tmp_path / "woorden.xlsx"
    assert runner.invoke(cli, [*base, "-o", str(xlsx)]).exit_code == 0
    book = load_workbook(xlsx)
    assert book.sheetnames == ["Woorden", "Over"]
    assert book["Woorden"]["A1"].value == "lemma"
    assert [c.value for c in book["Over"]["A"]][1] == "doel"

    docx = tmp_path / "woorden.docx"
    assert runner.invoke(cli, [*base, "--top", "3", "-o", str(docx)]).exit_code == 0
    document = Document(str(docx))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["Lemma", "Aantal"]
    assert len(table.rows) == 1 + min(3, len(expected.keywords))
    assert table.rows[1].cells[0].text == expected.keywords[0].lemma
