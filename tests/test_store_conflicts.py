"""Issue 19: an edit of a code or a memo that someone else changed meanwhile is refused and
said, never written over theirs (row versions: the row as its editor saw it). Two connections
to one project, as two coders at two machines; on a file and (make test-postgres) a server."""

from __future__ import annotations

from pathlib import Path

import pytest

from kwali.errors import ProjectError
from kwali.store import Project

from helpers import AGREEMENT_CODEBOOK, add_interview


@pytest.fixture
def two(tmp_path: Path):  # noqa: ANN201
    path = tmp_path / "team.kwali"
    with Project.create(path) as project:
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
        add_interview(project, "buurthuis")
    a, b = Project.open(path), Project.open(path)
    yield a, b
    a.close()
    b.close()


def test_a_code_changed_meanwhile_is_not_overwritten(two) -> None:  # noqa: ANN001
    anna, bram = two
    seen = anna.require_code("dwang")  # anna opens the edit dialog
    bram.update_code("dwang", "bram", seen=bram.require_code("dwang"), definition="Door bram.")
    with pytest.raises(ProjectError) as refused:
        anna.update_code("dwang", "anna", seen=seen, definition="Door anna.")
    assert refused.value.reason == "conflict"
    assert "bram heeft dit intussen gewijzigd" in str(refused.value)
    assert anna.require_code("dwang").definition == "Door bram."
    assert [a.coder for a in anna.history()][:1] == ["bram"]  # anna's refused edit left nothing
    # seen afresh, the same edit goes through
    anna.update_code("dwang", "anna", seen=anna.require_code("dwang"), definition="Door anna.")
    assert bram.require_code("dwang").definition == "Door anna."


def test_an_edit_of_the_version_seen_goes_through_and_a_rename_too(two) -> None:  # noqa: ANN001
    anna, _bram = two
    renamed = anna.update_code("dwang", "anna", seen=anna.require_code("dwang"), key="druk")
    assert renamed.key == "druk"


def test_a_memo_changed_on_another_machine_is_not_overwritten(two) -> None:  # noqa: ANN001
    here, there = two  # one coder, two machines
    sentence = here.segments(1)[0]
    coding = here.add_coding(1, sentence.start, sentence.end, "dwang", "anna")
    there.set_coding_memo(coding.id, "eerste", "anna", seen="")
    with pytest.raises(ProjectError) as refused:
        here.set_coding_memo(coding.id, "tweede", "anna", seen="")
    assert refused.value.reason == "conflict"
    assert here.require_coding(coding.id).memo == "eerste"
    memo = here.add_memo("segment", sentence.id, "zin", "anna")
    there.update_memo(memo.id, "zin, aangevuld", "anna", seen="zin")
    with pytest.raises(ProjectError, match="intussen gewijzigd"):
        here.update_memo(memo.id, "zin!", "anna", seen="zin")
