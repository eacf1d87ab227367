"""A long import does not hold the project's write lock while spaCy segments the text.

Before, the text was segmented inside the import's write transaction: a 10 MB transcript kept
another kwali (a coder in the UI) from saving for ~5 s. Now segmenting comes first and only
the inserts run in the transaction, one document per transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import kwali.app.importing as importing
from kwali.app.importing import import_files
from kwali.store import Project

INTERVIEW = "I: Hoe kwam u bij het buurthuis?\nR: Ik kreeg een brief. Ik moest komen.\n"


def _can_write(path: Path) -> bool:
    """Whether another kwali could save right now (no waiting)."""
    db = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("COMMIT")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        db.close()


def test_another_kwali_can_save_while_an_import_segments(tmp_path):
    path = tmp_path / "studie.kwali"
    files = []
    for i in range(3):
        f = tmp_path / f"int{i}.txt"
        f.write_text(INTERVIEW.replace("brief", f"brief {i}"), encoding="utf-8")
        files.append(f)
    seen: list[bool] = []
    real = importing.sentence_bounds

    def sentence_bounds(nlp, text, turns):
        seen.append(_can_write(path))
        return real(nlp, text, turns)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(importing, "sentence_bounds", sentence_bounds)
        with Project.create(path) as project:
            results = import_files(project, files)
    assert [r.created for r in results] == [True, True, True]
    assert seen == [True, True, True]


def test_segments_are_stored_under_the_document_they_belong_to(tmp_path):
    """Segments are made before the document has its id; each lands on its own document,
    also when the id guessed beforehand is wrong (another kwali added a document meanwhile)."""
    path = tmp_path / "studie.kwali"
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(INTERVIEW, encoding="utf-8")
    second.write_text(INTERVIEW.replace("brief", "kaart"), encoding="utf-8")
    real = importing.sentence_bounds
    calls = 0

    def sentence_bounds(nlp, text, turns):
        nonlocal calls
        calls += 1
        if calls == 2:  # a second kwali imports while this one segments: the guess is off
            with Project.open(path) as other:
                import_files(other, [tmp_path / "c.txt"])
        return real(nlp, text, turns)

    (tmp_path / "c.txt").write_text(INTERVIEW.replace("brief", "mail"), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(importing, "sentence_bounds", sentence_bounds)
        with Project.create(path) as project:
            import_files(project, [first, second])
    with Project.open(path, readonly=True) as project:
        for document_id in project.document_ids():
            document = project.require_document(document_id)
            segments = project.segments(document_id, kind=None)
            assert segments and all(s.document_id == document_id for s in segments)
            assert any("Ik moest komen." == s.text for s in segments)
            assert all(document.text[s.start : s.end] == s.text for s in segments)
        assert len(project.document_ids()) == 3


def test_a_reimport_does_not_segment_again(tmp_path):
    path = tmp_path / "studie.kwali"
    interview = tmp_path / "a.txt"
    interview.write_text(INTERVIEW, encoding="utf-8")
    calls = 0
    real = importing.sentence_bounds

    def sentence_bounds(nlp, text, turns):
        nonlocal calls
        calls += 1
        return real(nlp, text, turns)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(importing, "sentence_bounds", sentence_bounds)
        with Project.create(path) as project:
            import_files(project, [interview])
            (again,) = import_files(project, [interview])
    assert calls == 1 and not again.created and again.document is not None
