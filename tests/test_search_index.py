"""The sentence index (m005) stays the sentences' text through import, remove, undo, redo and
replace; the guard accepts it and an older project gets it on opening."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kwali.app.importing import import_files
from kwali.app.replacing import replace_document
from kwali.store import Project
from kwali.store.guard import check_schema
from kwali.store.schema import MIGRATIONS

from helpers import add_interview

pytestmark = pytest.mark.sqlite_only  # SQLite's full-text index (FTS5) in the file


SAMPLE = Path(__file__).resolve().parents[1] / "sample" / "voorbeeld.kwali"

TEXT = """I: Hoe bent u bij het buurthuis terechtgekomen?

R: Ik kreeg een brief dat ik moest komen. Mijn buurvrouw zei: ga nou maar. Dus ik ging.

I: Wat vindt u van de tegenprestatie?

R: Ik moet van de gemeente, anders word ik gekort. Dat voelt als dwang. Ik heb geen keus.
"""


def expected(project: Project) -> list[tuple[str, str]]:
    """What the index must hold: every sentence's text as the transcript has it now."""
    return sorted((s.id, s.text) for s in project.segments(kind="sentence"))


def in_step(project: Project) -> bool:
    return sorted(project.search_index_rows()) == expected(project)


def hits(project: Project, phrase: str) -> list[str]:
    return [row[6] for row in project.matching_sentences(f'"{phrase}"')]


@pytest.fixture
def study(tmp_path: Path) -> Path:
    source = tmp_path / "interview.txt"
    source.write_text(TEXT, encoding="utf-8")
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        [result] = import_files(project, [source])
        assert result.ok, result.error
    return path


def test_a_new_project_passes_the_guard_with_the_index(tmp_path):
    path = tmp_path / "p.kwali"
    Project.create(path).close()
    with Project.open(path) as project:  # the guard runs on open
        assert project.has_search_index()
        check_schema(project.db, path, len(MIGRATIONS))


def test_an_imported_transcript_is_indexed_sentence_by_sentence(study):
    with Project.open(study) as project:
        assert in_step(project) and len(project.search_index_rows()) == 8
        assert hits(project, "GEMEENTE") == ["Ik moet van de gemeente, anders word ik gekort."]


def test_remove_undo_and_redo_keep_the_index_in_step(study):
    with Project.open(study) as project:
        before = project.search_index_rows()
        project.remove_document(1, coder="anna")
        assert project.search_index_rows() == [] and hits(project, "dwang") == []
        project.undo("anna")
        assert in_step(project) and len(project.search_index_rows()) == len(before)
        assert hits(project, "dwang") == ["Dat voelt als dwang."]
        project.redo("anna")
        assert project.search_index_rows() == []


def test_a_replaced_transcript_is_found_by_its_new_words_and_undo_brings_the_old(study, tmp_path):
    corrected = tmp_path / "gecorrigeerd.txt"
    corrected.write_text(TEXT.replace("dwang", "een verplichting"), encoding="utf-8")
    with Project.open(study) as project:
        replace_document(project, "1", corrected, coder="anna")
        assert in_step(project)
        assert hits(project, "dwang") == []
        assert hits(project, "een verplichting") == ["Dat voelt als een verplichting."]
        project.undo("anna")
        assert in_step(project)
        assert hits(project, "dwang") == ["Dat voelt als dwang."]
        assert hits(project, "verplichting") == []


def test_documents_added_by_hand_and_removed_leave_no_stale_rows(project):
    add_interview(project, "een")
    second = add_interview(project, "twee", ["De gemeente belde.", "Ik ging niet."])
    assert in_step(project)
    project.remove_document(second[0].document_id, coder="anna")
    assert in_step(project)
    assert [row[6] for row in project.matching_sentences('"gemeente"')] == [
        "Ik kreeg een brief van de gemeente."
    ]


def test_an_index_out_of_step_is_not_trusted_and_can_be_rebuilt(study):
    with Project.open(study) as project:
        # as if the file had been changed behind kwali's back: one row says something else
        with project.transaction():
            project.db.execute(
                "UPDATE sentence_search SET text = 'iets anders' WHERE rowid = "
                "(SELECT rowid FROM segments WHERE kind = 'sentence' ORDER BY start LIMIT 1)"
            )
        assert project.matching_sentences('"iets anders"') == []
        project.rebuild_search_index(1)
        assert in_step(project)
        project.rebuild_search_index()
        assert in_step(project)


def test_an_older_project_gets_the_index_when_opened(tmp_path):
    if not SAMPLE.exists():
        pytest.skip("no sample project")
    copy = tmp_path / "voorbeeld.kwali"
    shutil.copy(SAMPLE, copy)
    with Project.open(copy, readonly=True) as old:
        if old.has_search_index():
            pytest.skip("the sample was rebuilt with the index already")
        sentences = old.counts()["sentences"]
    with Project.open(copy) as project:
        assert project.has_search_index()
        assert len(project.search_index_rows()) == sentences and in_step(project)
    with Project.open(copy) as again:  # the guard accepts the migrated file
        assert again.matching_counts('"gemeente"')
