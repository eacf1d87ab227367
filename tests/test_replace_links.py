"""A link between two quotations follows its ends when the transcript is replaced; a link one
of whose ends is gone is removed, said in the report, and undo brings it back."""

from __future__ import annotations

from pathlib import Path

from kwali.app.importing import import_files
from kwali.app.replacing import replace_document
from kwali.store import Project
from kwali.store.groups import Link

OLD = (
    "I: Hoe gaat het?\n\n"
    "R: Mijn rug doet pijn. Ik moet van de gemeente komen.\n\n"
    "I: En de coach?\n\n"
    "R: De coach belt elke week. Dat helpt.\n"
)


def _span(text: str, part: str) -> tuple[int, int, int]:
    start = text.index(part)
    return (1, start, start + len(part))


def _project(tmp_path: Path) -> Path:
    source = tmp_path / "interview.txt"
    source.write_text(OLD, encoding="utf-8")
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        [result] = import_files(project, [source])
        assert result.ok, result.error
        link = Link(_span(OLD, "Mijn rug doet pijn."), _span(OLD, "De coach belt"), "zie ook")
        project.import_groups([], [link], "anna", "test.qdpx")
    return path


def _replace(tmp_path: Path, path: Path, text: str):
    new = tmp_path / "gecorrigeerd.txt"
    new.write_text(text, encoding="utf-8")
    with Project.open(path) as project:
        report = replace_document(project, "1", new, coder="anna")
        return report, project.links(), project.require_document(1).text


def test_a_link_follows_its_quotations(tmp_path: Path) -> None:
    path = _project(tmp_path)
    new_text = OLD.replace("I: Hoe gaat het?\n\n", "I: Goedemorgen. Hoe gaat het?\n\n")
    report, [link], text = _replace(tmp_path, path, new_text)
    assert text[link.origin[1] : link.origin[2]] == "Mijn rug doet pijn."
    assert text[link.target[1] : link.target[2]] == "De coach belt"
    assert report.count("link", "exact") == 1


def test_a_link_whose_end_is_gone_is_removed_reported_and_undo_brings_it_back(
    tmp_path: Path,
) -> None:
    path = _project(tmp_path)
    report, links, _ = _replace(tmp_path, path, OLD.replace("Mijn rug doet pijn. ", ""))
    assert links == []
    [gone] = [c for c in report.carried if c.kind == "link"]
    assert (gone.placement, gone.old_text) == ("gone", "Mijn rug doet pijn.")
    with Project.open(path) as project:
        project.undo("anna")
        [link] = project.links()
        text = project.require_document(1).text
        assert text[link.origin[1] : link.origin[2]] == "Mijn rug doet pijn."
