"""Store queries added for the UI: progress per coder must match reviewed_segments."""

from __future__ import annotations

from kwali.model import Code, Codebook, Evidence, Segment, Suggestion, Transcript, Turn


def _add(project, text: str, sentences: list[tuple[int, int]]) -> int:  # type: ignore[no-untyped-def]
    transcript = Transcript(
        text=text,
        turns=(Turn(1, 0, len(text), 0, len(text), "R"),),
        source_name=f"{text[:5]}.txt",
        format="txt",
    )

    def segments(doc_id: int, uid: str) -> list[Segment]:
        out = [Segment(f"{uid}:1", doc_id, "turn", 1, 0, 0, len(text), 1, text)]
        out += [
            Segment(f"{uid}:1.{n}", doc_id, "sentence", 1, n, s, e, 1, text[s:e])
            for n, (s, e) in enumerate(sentences, 1)
        ]
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
    project.replace_suggestions(
        first,
        "s",
        [
            Suggestion(
                segs[3].id,
                first,
                segs[3].start,
                segs[3].end,
                "b",
                0.5,
                (Evidence(29, 33, "Vier", "x"),),
                "s",
            )
        ],
    )
    project.add_coding(first, 5, 12, "a", "anna")  # spans sentences 1 and 2
    project.add_coding(first, 20, 22, "b", "bram")  # inside sentence 3
    project.reject_suggestion(
        project.suggestions(document_id=first)[0].id, "anna"
    )  # sentence 4 reviewed
    project.add_coding(second, 0, 22, "a", "bram")  # the whole document

    progress = project.progress(["anna", "bram", "carla"])

    assert progress["anna"] == {first: 3} == project.reviewed_segments("anna")
    assert progress["bram"] == {first: 1, second: 2} == project.reviewed_segments("bram")
    assert progress["carla"] == {}


def test_a_new_version_of_a_suggester_replaces_the_old_one_and_keeps_reviews(project):
    project.set_codebook(Codebook("t", (Code("a", "A"), Code("b", "B"))), "kwali")
    doc = _add(project, "Een zin. Twee zin.", [(0, 8), (9, 18)])
    one, two = project.segments(doc)

    def run(version: str, *codes: tuple) -> None:
        name = f"kwali-rules@{version}"
        project.replace_suggestions(
            doc,
            name,
            [
                Suggestion(
                    seg.id,
                    doc,
                    seg.start,
                    seg.end,
                    key,
                    0.7,
                    (Evidence(seg.start, seg.start + 3, "Een", "x"),),
                    name,
                )
                for seg, key in codes
            ],
        )

    run("1+aaaa", (one, "a"), (two, "b"))
    project.reject_suggestion(project.suggestions(segment_id=one.id)[0].id, "anna")
    project.replace_suggestions(
        doc, "ander@1", [Suggestion(two.id, doc, two.start, two.end, "a", 0.6, (), "ander@1")]
    )
    run("1+bbbb+learned.cccc", (one, "a"), (two, "a"))

    mine = [
        s for s in project.suggestions(document_id=doc) if s.suggester.startswith("kwali-rules@")
    ]
    assert {(s.segment_id, s.code_key, s.suggester) for s in mine} == {
        (one.id, "a", "kwali-rules@1+bbbb+learned.cccc"),
        (two.id, "a", "kwali-rules@1+bbbb+learned.cccc"),
    }
    assert [s.suggester for s in project.suggestions(document_id=doc)].count(
        "ander@1"
    ) == 1  # another name stays
    # anna's rejection of (one, a) survived the new generation: it is not open for her again
    assert all(
        s.segment_id != one.id for s in project.suggestions(document_id=doc, open_for="anna")
    )
    assert project.documents_needing_suggestions("kwali-rules@1+bbbb+learned.cccc") == []
    assert project.documents_needing_suggestions("kwali-rules@1+aaaa") == [doc]


def test_a_suggestion_whose_code_the_coder_already_applied_is_not_open(project):
    project.set_codebook(Codebook("t", (Code("a", "A"), Code("b", "B"))), "kwali")
    doc = _add(project, "Een zin. Twee zin.", [(0, 8), (9, 18)])
    one, _ = project.segments(doc)
    project.replace_suggestions(
        doc,
        "s@1",
        [Suggestion(one.id, doc, one.start, one.end, key, 0.7, (), "s@1") for key in ("a", "b")],
    )
    coding = project.add_coding(doc, 0, 3, "a", "anna")
    assert [s.code_key for s in project.suggestions(document_id=doc, open_for="anna")] == ["b"]
    assert len(project.suggestions(document_id=doc, open_for="bram")) == 2
    project.remove_coding(coding.id, "anna")
    assert len(project.suggestions(document_id=doc, open_for="anna")) == 2
