"""Memos on every target (kwali.app.memos): naming, listing, filtering, blind mode, undo."""

from __future__ import annotations

import pytest

from kwali.app import memos as memo_app
from kwali.app.history import action_text
from kwali.errors import KwaliError
from kwali.store import Project

from helpers import code_two_coders


@pytest.fixture
def study(project: Project) -> Project:
    """One interview ('buurthuis', document 1) coded by anna and bram, with a memo of each kind."""
    code_two_coders(project)
    anna_coding = project.codings(coder="anna", code_key="dwang")[0]
    bram_coding = project.codings(coder="bram", code_key="dwang")[0]
    write = memo_app.write_memo
    write(project, "anna", memo_app.target_for(project, "project"), "Methode: open coderen.")
    write(project, "anna", memo_app.target_for(project, "document", "1"), "Nerveus begin.")
    write(project, "bram", memo_app.target_for(project, "code", "Dwang"), "Vooral angst.")
    write(project, "anna", memo_app.target_for(project, "segment", "1:2.1"), "Ironisch?")
    write(project, "anna", memo_app.target_for(project, "coding", str(anna_coding.id)), "Twijfel")
    write(project, "bram", memo_app.target_for(project, "coding", str(bram_coding.id)), "Zeker")
    return project


def test_each_target_is_named_for_a_person(study: Project) -> None:
    about = {e.kind: e.target.about for e in memo_app.all_memos(study)}
    assert about["project"] == "Project"
    assert about["document"] == "document 1 · buurthuis"
    assert about["code"] == "code Dwang"
    assert about["segment"] == "1:2.1"
    assert about["coding"] == "codering Dwang op 1:1.1"


def test_listing_is_by_kind_and_knows_where_each_memo_lives(study: Project) -> None:
    entries = memo_app.all_memos(study)
    assert [e.kind for e in entries] == [
        "project",
        "document",
        "code",
        "segment",
        "coding",
        "coding",
    ]
    sentence = study.segments(1)[2]  # 1:2.1
    segment_memo = next(e for e in entries if e.kind == "segment")
    assert (segment_memo.target.document_id, segment_memo.target.start) == (1, sentence.start)
    assert segment_memo.target.quote == sentence.text
    code_memo = next(e for e in entries if e.kind == "code")
    assert code_memo.target.code_key == "dwang"


def test_a_coders_note_on_their_coding_is_the_codings_memo(study: Project) -> None:
    """What the coding screen shows with the coding, whichever way it was written."""
    coding = study.codings(coder="anna", code_key="dwang")[0]
    assert study.require_coding(coding.id).memo == "Twijfel"
    assert memo_app.find_memo(study, f"c{coding.id}").text == "Twijfel"


def test_filters_by_kind_coder_document_code_and_words(study: Project) -> None:
    entries = memo_app.all_memos(study)
    texts = lambda found: sorted(e.text for e in found)  # noqa: E731
    assert texts(memo_app.filter_memos(entries, kinds=["coding"])) == ["Twijfel", "Zeker"]
    assert texts(memo_app.filter_memos(entries, coder="bram")) == ["Vooral angst.", "Zeker"]
    assert texts(memo_app.filter_memos(entries, code_key="dwang")) == [
        "Twijfel",
        "Vooral angst.",
        "Zeker",
    ]
    assert len(memo_app.filter_memos(entries, document_id=1)) == 4
    # words match the memo or what it is about, in any case
    assert texts(memo_app.filter_memos(entries, search="NERVEUS")) == ["Nerveus begin."]
    assert texts(memo_app.filter_memos(entries, search="buurthuis")) == ["Nerveus begin."]
    assert memo_app.filter_memos(entries, search="angst nerveus") == []


def test_the_screen_filter_reads_kinds_coders_and_words() -> None:
    query = memo_app.parse_filter("zin @anna ironisch")
    assert query == memo_app.MemoQuery(("segment",), "anna", "ironisch")


def test_blind_shows_only_the_coders_own_memos(study: Project) -> None:
    seen = memo_app.all_memos(study, "anna", blind=True)
    assert {e.coder for e in seen} == {"anna"}
    assert "Zeker" not in {e.text for e in seen}
    assert len(memo_app.all_memos(study, "anna")) == 6


def test_writing_again_replaces_the_coders_own_memo(study: Project) -> None:
    target = memo_app.target_for(study, "document", "buurthuis")
    memo_app.write_memo(study, "anna", target, "Nerveus begin, later open.")
    mine = [e for e in memo_app.all_memos(study) if e.kind == "document"]
    assert [e.text for e in mine] == ["Nerveus begin, later open."]


def test_another_coders_coding_gets_a_memo_of_its_own(study: Project) -> None:
    bram_coding = study.codings(coder="bram", code_key="dwang")[0]
    target = memo_app.target_for(study, "coding", str(bram_coding.id))
    entry = memo_app.write_memo(study, "anna", target, "Mee eens")
    assert study.require_coding(bram_coding.id).memo == "Zeker"  # bram's words untouched
    assert entry.coder == "anna" and not entry.ref.startswith("c")


def test_only_the_author_edits_or_removes_a_memo(study: Project) -> None:
    code_memo = next(e for e in memo_app.all_memos(study) if e.kind == "code")
    with pytest.raises(KwaliError, match="geschreven door bram"):
        memo_app.edit_memo(study, code_memo.ref, "anders", "anna")
    with pytest.raises(KwaliError, match="geschreven door bram"):
        memo_app.remove_memo(study, code_memo.ref, "anna")
    assert memo_app.find_memo(study, code_memo.ref).text == "Vooral angst."


def test_removing_a_memo_is_undone_by_the_coder(study: Project) -> None:
    entry = next(e for e in memo_app.all_memos(study) if e.kind == "segment")
    memo_app.remove_memo(study, entry.ref, "anna")
    assert all(e.kind != "segment" for e in memo_app.all_memos(study))
    record = study.undo("anna")
    assert record is not None and action_text(record) == "memo bij 1:2.1 verwijderd"
    assert memo_app.find_memo(study, entry.ref).text == "Ironisch?"


def test_removing_a_coding_memo_keeps_the_coding(study: Project) -> None:
    coding = study.codings(coder="anna", code_key="dwang")[0]
    memo_app.remove_memo(study, f"c{coding.id}", "anna")
    assert study.require_coding(coding.id).memo == ""
    study.undo("anna")
    assert study.require_coding(coding.id).memo == "Twijfel"


@pytest.mark.parametrize(
    ("kind", "ref", "message"),
    [
        ("document", "9", "heeft geen document '9'"),
        ("code", "onbekend", "heeft geen code 'onbekend'"),
        ("segment", "1:99.1", "heeft geen zin 1:99.1"),
        ("segment", "twaalf", "geen verwijzing naar een zin"),
        ("coding", "999", "heeft geen codering '999'"),
    ],
)
def test_an_unknown_target_is_one_line(study: Project, kind: str, ref: str, message: str) -> None:
    with pytest.raises(KwaliError, match=message) as caught:
        memo_app.target_for(study, kind, ref)
    assert "\n" not in caught.value.one_line()


def test_a_memo_whose_target_is_gone_still_lists(study: Project) -> None:
    study.add_memo("code", "weg", "Over een verwijderde code", "anna")
    entry = next(e for e in memo_app.all_memos(study) if e.target.target_id == "weg")
    assert entry.target.about == "code weg (niet meer aanwezig)"
    assert entry.target.code_key is None and entry.target.document_id is None


def test_memo_targets_and_refusals_follow_the_language(study: Project, english) -> None:
    assert memo_app.describe(study, "project", "").about == "Project"
    assert memo_app.describe(study, "segment", "9:9").about == "sentence 9:9 (no longer there)"
    with pytest.raises(KwaliError, match="'brief' is not a kind of memo"):
        memo_app.kind_of("brief")
    assert memo_app.kind_of("sentence") == memo_app.kind_of("zin") == "segment"


def test_the_history_words_an_action_in_the_language_in_use(study: Project) -> None:
    entry = memo_app.write_memo(
        study, "anna", memo_app.target_for(study, "segment", "1:2.1"), "Ironisch?"
    )
    memo_app.remove_memo(study, entry.ref, "anna")
    record = study.undo("anna")
    assert record is not None and action_text(record) == "memo bij 1:2.1 verwijderd"
    from kwali.i18n import set_language

    set_language("en")
    try:
        assert action_text(record) == "memo on 1:2.1 removed"
    finally:
        set_language("nl")
