"""Sentences marked reviewed (m008) count as done: progress reaches 100% once the sentences
nobody coded are marked, a mark is one undoable action, and coders do not share marks."""

from __future__ import annotations

from kwali.model import Code, Codebook, Segment, Transcript, Turn

TEXT = "Een zin. Twee zin. Drie zin. Vier zin."
SENTENCES = [(0, 8), (9, 18), (19, 28), (29, 38)]


def _add(project) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    transcript = Transcript(
        text=TEXT,
        turns=(Turn(1, 0, len(TEXT), 0, len(TEXT), "R"),),
        source_name="een.txt",
        format="txt",
    )

    def segments(doc_id: int, uid: str) -> list[Segment]:
        out = [Segment(f"{uid}:1", doc_id, "turn", 1, 0, 0, len(TEXT), 1, TEXT)]
        out += [
            Segment(f"{uid}:1.{n}", doc_id, "sentence", 1, n, s, e, 1, TEXT[s:e])
            for n, (s, e) in enumerate(SENTENCES, 1)
        ]
        return out

    document, _ = project.add_document(transcript, segments)
    ids = [s.id for s in project.segments(document.id, kind="sentence")]
    return document.id, ids


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
