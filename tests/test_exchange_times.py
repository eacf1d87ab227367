"""When a coding or a memo was made travels with it: through a .qdpx and back, and through
`kwali merge`, a coding made in March 2021 is still from March 2021 (before, it became the
time of the import, and a re-export differed from the export it came from)."""

from __future__ import annotations

from pathlib import Path

from kwali.app.exchange import import_exchange
from kwali.app.merging import merge_projects
from kwali.export.qdpx import export_qdpx
from kwali.store import Project
from kwali.store.base import stored_time

from helpers import add_interview, code_two_coders

MARCH = "2021-03-04T10:00:00+00:00"


def _made_in_march(project: Project) -> None:
    code_two_coders(project)
    (sentence, *_) = add_interview(
        project, "maart", ["Het moest van de gemeente, in maart.", "Ik vond het zwaar."]
    )
    coding = project.add_coding(
        sentence.document_id, sentence.start, sentence.end, "dwang", "anna", created=MARCH
    )
    project.add_memo("coding", str(coding.id), "uit het veldwerk", "anna", created=MARCH)
    project.add_memo("segment", sentence.id, "opvallend", "bram", created=MARCH)


def _times(project: Project) -> set[tuple[str, str, str]]:
    codings = {(c.code_key, c.coder, c.created) for c in project.codings() if c.created == MARCH}
    memos = {(m.text, m.coder, m.created) for m in project.memos() if m.created == MARCH}
    return codings | memos


def test_an_exchange_file_keeps_when_codings_and_memos_were_made(tmp_path: Path, nlp) -> None:
    with Project.in_memory() as project:
        _made_in_march(project)
        out = tmp_path / "maart.qdpx"
        export_qdpx(project, out)
        with Project.in_memory() as back:
            import_exchange(back, out, nlp=nlp)
            assert (
                _times(back)
                == _times(project)
                == {
                    ("dwang", "anna", MARCH),
                    ("uit het veldwerk", "anna", MARCH),
                    ("opvallend", "bram", MARCH),
                }
            )


def test_a_merge_keeps_when_codings_and_memos_were_made(tmp_path: Path) -> None:
    paths = []
    for name in ("anna", "bram"):
        path = tmp_path / f"{name}.kwali"
        with Project.create(path) as project:
            _made_in_march(project)
        paths.append(path)
    out = tmp_path / "samen.kwali"
    merge_projects(paths[0], paths[1], out)
    with Project.open(out) as merged:
        assert len(_times(merged)) == 3


def test_a_time_from_elsewhere_is_read_in_every_form_or_not_at_all() -> None:
    assert stored_time("2021-03-04T10:00:00Z") == MARCH
    assert stored_time("2021-03-04T11:00:00+01:00") == MARCH
    assert stored_time("2021-03-04T10:00:00") == MARCH  # no zone: read as UTC
    assert stored_time("gisteren") is None and stored_time("") is None
