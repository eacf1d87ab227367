"""Store queries added for the UI: progress per coder must match reviewed_segments."""

from __future__ import annotations

from kwali.model import Code, Codebook, Evidence, Segment, Suggestion, Transcript, Turn


def _add(project, text: str, sentences: list[tuple[int, int]]) -> int:  # type: ignore[no-untyped-def]
    transcript = Transcript(text=text, turns=(Turn(1, 0, len(text), 0, len(text), "R"),),
                            source_name=f"{text[:5]}.txt", format="txt")

    def segments(doc_id: int, uid: str) -> list[Segment]:
        out = [Segment(f"{uid}:1", doc_id, "turn", 1, 0, 0, len(text), 1, text)]
        out += [Segment(f"{uid}:1.{n}", doc_id, "sentence", 1, n, s, e, 1, text[s:e])
                for n, (s, e) in enumerate(sentences, 1)]
        return out

    document, _ = project.add_document(transcript, segments)
    return document.id


def test_progress_matches_reviewed_segments_for_each_coder(project):
    project.set_codebook(Codebook("t", (Code("a", "A"), Code("b", "B"))), "kwali")
    text = "Een zin. Twee zin. Drie zin. Vier zin."
    spans = [(0, 8), (9, 18), (19, 28), (29, 38)]
    first = _add(project, text, spans)
    second = _add(project, "Nog een. Andere tekst.", [(0, 8), (9, 22)])
    segs = project.segments(first)
    project.replace_suggestions(first, "s", [
        Suggestion(segs[3].id, first, segs[3].start, segs[3].end, "b", 0.5, (Evidence(29, 33, "Vier", "x"),), "s")])
    project.add_coding(first, 5, 12, "a", "anna")  # spans sentences 1 and 2
    project.add_coding(first, 20, 22, "b", "bram")  # inside sentence 3
    project.reject_suggestion(project.suggestions(document_id=first)[0].id, "anna")  # sentence 4 reviewed
    project.add_coding(second, 0, 22, "a", "bram")  # the whole document

    progress = project.progress(["anna", "bram", "carla"])

    assert progress["anna"] == {first: 3} == project.reviewed_segments("anna")
    assert progress["bram"] == {first: 1, second: 2} == project.reviewed_segments("bram")
    assert progress["carla"] == {}
