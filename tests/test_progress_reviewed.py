"""Sentences marked reviewed (m008) count as done: progress reaches 100% once the sentences
nobody coded are marked, a mark is one undoable action, and coders do not share marks."""

from __future__ import annotations

from test_store_ui_queries import _add as add_document

from kwali.model import Code, Codebook

TEXT = "Een zin. Twee zin. Drie zin. Vier zin."
SENTENCES = [(0, 8), (9, 18), (19, 28), (29, 38)]


def _add(project) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    """One document of four sentences; its id and the sentences' ids."""
    doc = add_document(project, TEXT, SENTENCES)
    return doc, [s.id for s in project.segments(doc, kind="sentence")]


def test_marking_the_rest_reviewed_reaches_all_sentences(project):
    project.set_codebook(Codebook("t", (Code("a", "A"),)), "kwali")
    doc, ids = _add(project)
    project.add_coding(doc, 9, 18, "a", "anna")  # the second sentence coded
    assert project.progress(["anna"])["anna"] == {doc: 1}
    assert project.unfinished_sentences(doc, "anna") == [ids[0], ids[2], ids[3]]

    changed = project.mark_reviewed(
        project.unfinished_sentences(doc, "anna"), "anna", about="document 1"
    )
    assert changed == 3
    assert project.progress(["anna"])["anna"] == {doc: 4}  # every sentence: 100%
    assert project.unfinished_sentences(doc, "anna") == []
    assert project.progress(["bram"])["bram"] == {}  # marks are the coder's own
    assert project.marked_reviewed(doc, "anna") == {ids[0], ids[2], ids[3]}


def test_a_mark_is_undone_and_redone_as_one_action(project):
    doc, ids = _add(project)
    project.mark_reviewed(ids[:2], "anna", about="1:1.1")
    assert project.progress(["anna"])["anna"] == {doc: 2}
    record = project.undo("anna")
    assert record is not None and "1:1.1" in " ".join(record.subject)
    assert project.progress(["anna"])["anna"] == {}
    project.redo("anna")
    assert project.progress(["anna"])["anna"] == {doc: 2}


def test_taking_a_mark_off_and_marking_twice_change_nothing_twice(project):
    doc, ids = _add(project)
    assert project.mark_reviewed([ids[0]], "anna", about="1:1.1") == 1
    assert project.mark_reviewed([ids[0]], "anna", about="1:1.1") == 0
    assert project.mark_reviewed([ids[0]], "anna", about="1:1.1", reviewed=False) == 1
    assert project.marked_reviewed(doc, "anna") == set()


def test_a_removed_document_takes_no_marks_into_progress(project):
    doc, ids = _add(project)
    project.mark_reviewed(ids, "anna", about="document 1")
    project.remove_document(doc, "anna")
    assert project.progress(["anna"])["anna"] == {}
