"""`kwali import -p P DIR`: transcripts found by extension, everything else skipped with a line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kwali.app.finding import find_transcripts, not_a_transcript
from kwali.cli import cli
from kwali.model import Document
from kwali.store import Project, Verb


def interview(number: int) -> str:
    return (
        f"FICTIEF — interview {number}\n\n[00:00:02] I: Wat doet u nu als tegenprestatie?\n\n"
        f"[00:00:07] R: Vrijwilligerswerk nummer {number}. Dat moet van de gemeente.\n"
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A study folder as researchers keep one: transcripts in sub-folders, and other things."""
    root = tmp_path / "studie"
    (root / "ronde1").mkdir(parents=True)
    (root / "ronde2" / "extra").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "studie.kwali-backups").mkdir()
    (root / "ronde1" / "int01.txt").write_text(interview(1), encoding="utf-8")
    (root / "ronde1" / "int02.TXT").write_text(interview(2), encoding="utf-8")
    (root / "ronde2" / "int03.txt").write_text(interview(3), encoding="utf-8")
    (root / "ronde2" / "extra" / "int04.srt").write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nIk werk nu in de kringloop, nummer vier.\n",
        encoding="utf-8",
    )
    (root / "README.md").write_text("# Studie\n\nDe transcripten staan per ronde.\n")
    (root / "ronde1" / "README.txt").write_text("Ronde 1: vier gesprekken in maart.\n")
    (root / "ronde2" / "leesmij.txt").write_text("Ronde 2.\n")
    (root / "kenmerken.csv").write_text("file,rol\nint01.txt,werkzoekende\n")
    (root / "notities.json").write_text("{}\n")
    (root / ".verborgen.txt").write_text(interview(9), encoding="utf-8")
    (root / ".git" / "int99.txt").write_text(interview(99), encoding="utf-8")
    (root / "studie.kwali-backups" / "int98.txt").write_text(interview(98), encoding="utf-8")
    (root / "oud.kwali").write_bytes(b"not really a project")
    return root


def documents(p: Project) -> list[Document]:
    return [d for i in p.document_ids() if (d := p.document(i)) is not None]


def found_names(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in find_transcripts([root]).files]


def test_find_transcripts_in_a_folder(corpus: Path) -> None:
    finding = find_transcripts([corpus])
    assert found_names(corpus) == [
        "ronde1/int01.txt",
        "ronde1/int02.TXT",
        "ronde2/extra/int04.srt",
        "ronde2/int03.txt",
    ]
    skipped = {s.path.relative_to(corpus).as_posix(): s.reason for s in finding.skipped}
    assert skipped == {
        "README.md": "een README, geen transcript (.md)",
        "ronde1/README.txt": "een README, geen transcript (.txt)",
        "ronde2/leesmij.txt": "een README, geen transcript (.txt)",
        "kenmerken.csv": "geen transcript (.csv)",
        "notities.json": "geen transcript (.json)",
        "oud.kwali": "een projectbestand van kwali, geen transcript",
    }
    # the same order every time, and a file reached twice is taken once
    again = find_transcripts([corpus, corpus / "ronde1" / "int01.txt"])
    assert again.files == finding.files


def test_the_rule_for_files_named_explicitly(tmp_path: Path) -> None:
    assert not_a_transcript(tmp_path / "int.md", searched=False) is None  # named: as today
    assert not_a_transcript(tmp_path / "int.md", searched=True) == "geen transcript (.md)"
    assert not_a_transcript(tmp_path / "ReadMe.TXT", searched=False)
    assert not_a_transcript(tmp_path / "LEESMIJ.docx", searched=True)
    assert not_a_transcript(tmp_path / "data.xlsx", searched=False) == "geen transcript (.xlsx)"
    assert not_a_transcript(tmp_path / "codes.yaml", searched=False)
    assert not_a_transcript(tmp_path / "int.qdpx", searched=True) is None
    assert not_a_transcript(tmp_path / "codes.qdc", searched=True) is None
    assert not_a_transcript(tmp_path / "int.xyz", searched=False) is None  # the reader says no


def test_import_a_folder(corpus: Path, tmp_path: Path, runner: CliRunner) -> None:
    project = tmp_path / "studie.kwali"
    result = runner.invoke(cli, ["import", "-p", str(project), "--create", str(corpus)])
    assert result.exit_code == 0, result.output
    assert (
        f"overgeslagen: {corpus / 'README.md'}: een README, geen transcript (.md)" in result.output
    )
    assert f"overgeslagen: {corpus / 'kenmerken.csv'}: geen transcript (.csv)" in result.output
    assert f"overgeslagen: {corpus / 'ronde1' / 'README.txt'}: een README" in result.output
    assert "4 van 4 bestanden geïmporteerd" in result.output
    with Project.open(project) as p:
        names = [d.source_name for d in documents(p)]
        assert sorted(names) == ["int01.txt", "int02.TXT", "int03.txt", "int04.srt"]
        assert all("nummer 9" not in d.text and "98" not in d.text for d in documents(p))


def test_import_the_files_of_a_folder_by_glob(
    corpus: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """`kwali import -p P folder/*`: the README and the CSV are skipped, not errors."""
    project = tmp_path / "studie.kwali"
    named = sorted(str(p) for p in corpus.iterdir() if not p.name.startswith("."))
    result = runner.invoke(cli, ["import", "-p", str(project), "--create", *named])
    assert result.exit_code == 0, result.output
    assert f"overgeslagen: {corpus / 'README.md'}: een README" in result.output
    assert f"overgeslagen: {corpus / 'kenmerken.csv'}: geen transcript (.csv)" in result.output
    assert (
        f"overgeslagen: {corpus / 'studie.kwali-backups'}: de map met reservekopieën van kwali"
        in result.output
    )
    assert "4 van 4 bestanden geïmporteerd" in result.output


def test_an_unknown_extension_named_explicitly_is_an_error_but_the_batch_goes_on(
    corpus: Path, tmp_path: Path, runner: CliRunner
) -> None:
    odd = tmp_path / "int05.xyz"
    odd.write_text(interview(5), encoding="utf-8")
    project = tmp_path / "studie.kwali"
    result = runner.invoke(cli, ["import", "-p", str(project), "--create", str(odd), str(corpus)])
    assert result.exit_code == 1
    assert "int05.xyz" in result.output and "niet leest: .xyz" in result.output
    assert "4 van 5 bestanden geïmporteerd" in result.output


@pytest.mark.sqlite_only
def test_dry_run_changes_nothing(corpus: Path, tmp_path: Path, runner: CliRunner) -> None:
    project = tmp_path / "studie.kwali"
    assert runner.invoke(cli, ["init", str(project)]).exit_code == 0
    before = project.read_bytes()
    result = runner.invoke(cli, ["import", "-p", str(project), "--dry-run", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "Zou 4 bestanden importeren" in result.output
    assert str(corpus / "ronde2" / "extra" / "int04.srt") in result.output
    assert f"overgeslagen: {corpus / 'notities.json'}: geen transcript (.json)" in result.output
    assert "Niets veranderd" in result.output
    assert project.read_bytes() == before
    assert not (tmp_path / "studie.kwali-backups").exists()
    # --dry-run with --create creates nothing either
    other = tmp_path / "nieuw.kwali"
    result = runner.invoke(cli, ["import", "-p", str(other), "--create", "--dry-run", str(corpus)])
    assert result.exit_code == 0 and not other.exists()


def test_attributes_on_a_reimport_update_existing_documents(
    corpus: Path, tmp_path: Path, runner: CliRunner
) -> None:
    project = tmp_path / "studie.kwali"
    first = runner.invoke(cli, ["import", "-p", str(project), "--create", str(corpus)])
    assert first.exit_code == 0, first.output
    table = tmp_path / "kenmerken.csv"
    table.write_text(
        "file,rol,leeftijd\nint01.txt,werkzoekende,34\nint03.txt,consulent,\n"
        "int77.txt,onbekend,50\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        cli, ["import", "-p", str(project), str(corpus), "--attributes", str(table)]
    )
    assert result.exit_code == 0, result.output
    assert "kenmerken bijgewerkt voor int01.txt" in result.output
    assert "rol, leeftijd" in result.output
    assert "kenmerken bijgewerkt voor int03.txt" in result.output
    assert "geen bestand met de naam 'int77.txt' in deze import" in result.output
    assert "0 van 4 bestanden geïmporteerd" in result.output
    with Project.open(project) as p:
        docs = {d.source_name: d for d in documents(p)}
        assert dict(docs["int01.txt"].attributes) == {"rol": "werkzoekende", "leeftijd": "34"}
        assert dict(docs["int03.txt"].attributes) == {"rol": "consulent"}
        assert not docs["int02.TXT"].attributes
        assert len(documents(p)) == 4
        # one audited action per document, undoable
        last = p.history(limit=1)[0]
        assert last.verb is Verb.SET_ATTRIBUTE
        assert p.undo("kwali") is not None
        assert not p.require_document(docs["int03.txt"].id).attributes
        assert p.undo("kwali") is not None
        assert not p.require_document(docs["int01.txt"].id).attributes

    # the same table again changes nothing and says so as before
    with Project.open(project) as p:
        p.redo("kwali")
        p.redo("kwali")
    again = runner.invoke(
        cli, ["import", "-p", str(project), str(corpus), "--attributes", str(table)]
    )
    assert again.exit_code == 0, again.output
    assert "kenmerken bijgewerkt" not in again.output
    assert "staat al in het project" in again.output


def test_a_folder_without_transcripts_is_an_error_the_rest_goes_on(
    corpus: Path, tmp_path: Path, runner: CliRunner
) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    (empty / "README.md").write_text("nog niets\n")
    project = tmp_path / "studie.kwali"
    result = runner.invoke(cli, ["import", "-p", str(project), "--create", str(empty), str(corpus)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("kwali: fout:")]
    assert errors == [
        f"kwali: fout: {empty}: is een map zonder transcripten (kwali zoekt naar "
        ".txt, .text, .docx, .odt, .vtt, .srt, .qdpx, .qdc)"
    ]
    assert f"overgeslagen: {empty / 'README.md'}" in result.output
    assert "4 van 4 bestanden geïmporteerd" in result.output
    # the same folder twice is no error: its transcripts are simply taken once
    assert not find_transcripts([corpus, corpus]).errors
