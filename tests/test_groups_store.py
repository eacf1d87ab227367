"""Document groups, code groups and links in the project file: stored, audited, undone, and
taken along when their document or code goes."""

from __future__ import annotations

import pytest

from kwali.errors import ProjectError
from kwali.model import Code
from kwali.store import Project, Verb
from kwali.store.groups import Group, Link

from helpers import AGREEMENT_CODEBOOK, SENTENCES, add_interview


@pytest.fixture
def study(project: Project) -> Project:
    """Two interviews, the agreement codebook, two groups of each kind and one link."""
    project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
    one = add_interview(project, "een")[0].document_id
    two = add_interview(project, "twee", SENTENCES[::-1])[0].document_id
    keys = [c.key for c in project.codebook().codes]
    project.import_groups(
        [
            Group("document", "wijk A", "eerste ronde", (one, two)),
            Group("document", "mannen", "", (two,)),
            Group("code", "druk", "", (keys[0], keys[1])),
            Group("code", "steun", "", (keys[1],)),
        ],
        [Link((one, 3, 10), (two, 3, 12), "weerspreekt", "OneWay")],
        "anna",
        "studie.qdpx",
    )
    return project


def test_a_document_and_a_code_can_be_in_several_groups(study):
    one, two = study.document_ids()
    key = study.codebook().codes[1].key
    assert study.groups_of_document(two) == ["mannen", "wijk A"]
    assert study.groups_of_document(one) == ["wijk A"]
    assert study.groups_of_code(key) == ["druk", "steun"]
    assert study.group("document", "wijk A").description == "eerste ronde"
    (link,) = study.links()
    assert (link.origin, link.target, link.name, link.direction, link.coder) == (
        (one, 3, 10),
        (two, 3, 12),
        "weerspreekt",
        "OneWay",
        "anna",
    )


def test_importing_the_same_groups_again_adds_only_what_is_missing(study):
    one, two = study.document_ids()
    before = len(study.history(limit=100))
    again = study.import_groups(
        [Group("document", "wijk A", "anders", (one, two))],
        [Link((one, 3, 10), (two, 3, 12), "weerspreekt", "OneWay")],
        "anna",
        "studie.qdpx",
    )
    assert (again.groups, again.members, again.links) == (0, 0, 0)
    assert len(study.history(limit=100)) == before  # no empty step in the history
    more = study.import_groups([Group("document", "mannen", "", (one,))], [], "anna", "x.qdpx")
    assert (more.groups, more.members) == (0, 1)
    assert study.group("document", "mannen").members == (one, two)
    assert study.group("document", "wijk A").description == "eerste ronde"  # kept


def test_undo_of_the_import_removes_groups_members_and_links(study):
    assert study.undo("anna") is not None
    assert study.groups() == [] and study.links() == []
    study.redo("anna")
    assert len(study.groups()) == 4 and len(study.links()) == 1


def test_removing_a_document_takes_its_memberships_and_links_and_undo_brings_them_back(study):
    one, two = study.document_ids()
    study.remove_document(two, "anna")
    assert study.group("document", "mannen").members == ()
    assert study.group("document", "wijk A").members == (one,)
    assert study.links() == []
    study.undo("anna")
    assert study.group("document", "mannen").members == (two,)
    assert len(study.links()) == 1


def test_deleting_a_code_takes_it_out_of_its_groups_and_undo_puts_it_back(study):
    key = study.codebook().codes[1].key
    study.delete_code(key, "anna")
    assert study.groups_of_code(key) == []
    assert study.group("code", "steun").members == ()
    study.undo("anna")
    assert study.groups_of_code(key) == ["druk", "steun"]


def test_a_refused_delete_changes_no_group(study):
    one = study.document_ids()[0]
    key = study.codebook().codes[1].key
    study.add_coding(one, 3, 10, key, "anna")
    with pytest.raises(ProjectError, match="die heeft 1 codering"):
        study.delete_code(key, "anna")
    assert study.groups_of_code(key) == ["druk", "steun"]


def test_merging_codes_puts_the_target_in_the_groups_of_the_source(study):
    first, second = (c.key for c in study.codebook().codes[:2])
    study.add_code(Code("nieuw", "Nieuw"), "anna")
    study.merge_codes(second, "nieuw", "anna")
    assert study.groups_of_code("nieuw") == ["druk", "steun"]
    assert study.group("code", "druk").members == (first, "nieuw")
    study.undo("anna")
    assert study.groups_of_code(second) == ["druk", "steun"]
    assert study.groups_of_code("nieuw") == []


def test_renaming_a_code_keeps_its_groups(study):
    key = study.codebook().codes[1].key
    study.update_code(key, "anna", key="hernoemd")
    assert study.groups_of_code("hernoemd") == ["druk", "steun"]


def test_groups_survive_reopening_the_file(tmp_path):
    path = tmp_path / "p.kwali"
    with Project.create(path) as project:
        doc = add_interview(project, "een")[0].document_id
        project.import_groups([Group("document", "wijk A", "", (doc,))], [], "anna", "f.qdpx")
    with Project.open(path) as project:
        assert [g.members for g in project.groups("document")] == [(doc,)]
        assert project.history()[0].verb == Verb.IMPORT


def test_a_link_direction_the_schema_does_not_know_is_stored_as_associative(project):
    doc = add_interview(project, "een")[0].document_id
    project.import_groups([], [Link((doc, 0, 5), (doc, 6, 9), "x", "Sideways")], "anna", "f")
    assert project.links()[0].direction == "Associative"
