"""Merging coders' copies after a transcript was corrected: a coding moved by the replace keeps
its flag in the merged project, and a copy with codings still waiting to be placed is refused
(placed first), so the merged project never silently lacks one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kwali.app.importing import import_files
from kwali.app.merging import merge_projects
from kwali.app.replacing import replace_document
from kwali.errors import ProjectError
from kwali.store import Project

from helpers import STUDY_CODEBOOK

OLD = "I: Hoe gaat het?\n\nR: Mijn rug doet pijn. Ik moet van de gemeente komen.\n"


def _coded(tmp_path: Path, new_text: str) -> Path:
    source = tmp_path / "interview.txt"
    source.write_text(OLD, encoding="utf-8")
    path = tmp_path / "anna.kwali"
    with Project.create(path) as project:
        [result] = import_files(project, [source])
        assert result.ok, result.error
        project.set_codebook(STUDY_CODEBOOK)
        for part, code in (("Mijn rug doet pijn.", "gezondheid"), ("Ik moet van", "dwang")):
            start = OLD.index(part)
            project.add_coding(1, start, start + len(part), code, "anna")
    corrected = tmp_path / "gecorrigeerd.txt"
    corrected.write_text(new_text, encoding="utf-8")
    with Project.open(path) as project:
        replace_document(project, "1", corrected, coder="anna")
    return path


@pytest.mark.sqlite_only
def test_a_moved_coding_keeps_its_flag_in_the_merged_project(tmp_path: Path) -> None:
    anna = _coded(tmp_path, OLD.replace("Ik moet van", "Ik moest van"))
    bram = tmp_path / "bram.kwali"
    shutil.copy(anna, bram)
    with Project.open(bram) as project:
        for coding in project.codings(coder="anna"):
            project.remove_coding(coding.id, "anna")
        start = OLD.index("Mijn rug")
        project.add_coding(1, start, start + 8, "gezondheid", "bram")
    merged = merge_projects(anna, bram, tmp_path / "samen.kwali")
    with Project.open(merged.path) as project:
        flagged = [(c.code_key, c.coder, old) for c, old in project.moved_codings()]
        assert flagged == [("dwang", "anna", "Ik moet van")]


@pytest.mark.sqlite_only
def test_a_copy_with_waiting_codings_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    anna = _coded(tmp_path, OLD.replace("Mijn rug doet pijn. ", ""))
    with Project.open(anna) as project:
        assert len(project.unplaced(1)) == 1
    bram = tmp_path / "bram.kwali"
    shutil.copy(anna, bram)
    out = tmp_path / "samen.kwali"
    with pytest.raises(ProjectError, match="wacht op een plaats"):
        merge_projects(anna, bram, out, rename_coders={"anna": "anna2"})
    assert not out.exists()
