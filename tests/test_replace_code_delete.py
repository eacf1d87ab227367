"""A code whose codings wait to be placed after a replaced transcript is still a code in use:
deleting it is refused like any code with codings, and --move-to takes the waiting ones along
so they can still be placed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwali.app.importing import import_files
from kwali.app.replacing import replace_document
from kwali.errors import ProjectError
from kwali.store import Project

from helpers import STUDY_CODEBOOK

OLD = "I: Hoe gaat het?\n\nR: Mijn rug doet pijn. Ik moet van de gemeente.\n"
NEW = "I: Hoe gaat het?\n\nR: Ik moet van de gemeente.\n"


def _project(tmp_path: Path) -> Path:
    source = tmp_path / "interview.txt"
    source.write_text(OLD, encoding="utf-8")
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        [result] = import_files(project, [source])
        assert result.ok, result.error
        project.set_codebook(STUDY_CODEBOOK)
        start = OLD.index("Mijn rug")
        project.add_coding(1, start, start + len("Mijn rug doet pijn."), "gezondheid", "anna")
    corrected = tmp_path / "gecorrigeerd.txt"
    corrected.write_text(NEW, encoding="utf-8")
    with Project.open(path) as project:
        replace_document(project, "1", corrected, coder="anna")
        assert [u.code_key for u in project.unplaced(1)] == ["gezondheid"]
        assert not project.codings(code_key="gezondheid", status=None)
    return path


def test_deleting_a_code_with_waiting_codings_is_refused(tmp_path: Path) -> None:
    with Project.open(_project(tmp_path)) as project:
        assert project.code_use("gezondheid")["codings"] == 1
        with pytest.raises(ProjectError, match="1 codering"):
            project.delete_code("gezondheid", "anna")
        assert project.code("gezondheid") is not None


def test_move_to_takes_the_waiting_codings_along_and_they_can_be_placed(tmp_path: Path) -> None:
    with Project.open(_project(tmp_path)) as project:
        project.delete_code("gezondheid", "anna", move_to="dwang")
        [waiting] = project.unplaced(1)
        assert waiting.code_key == "dwang"
        sentence = project.segments(1)[-1]
        project.place_unplaced(waiting.id, "anna", span=(sentence.start, sentence.end))
        assert [c.code_key for c in project.codings(status=None)] == ["dwang"]
        project.undo("anna")  # the placing
        project.undo("anna")  # the delete: the waiting coding is gezondheid's again
        assert [u.code_key for u in project.unplaced(1)] == ["gezondheid"]
