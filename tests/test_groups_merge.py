"""`kwali merge` keeps both copies' document groups, code groups and links."""

from __future__ import annotations

from kwali.app.merging import merge_projects
from kwali.store import Project
from kwali.store.groups import Group, Link

from helpers import copy_with


def _with_groups(path, coder, groups, link_name):  # noqa: ANN001, ANN202
    with Project.open(path) as project:
        doc = project.document_ids()[0]
        sentences = project.segments(doc)
        project.import_groups(
            [g(doc) for g in groups],
            [Link((doc, sentences[0].start, sentences[0].end), (doc, 0, 2), link_name)],
            coder,
            "atlas.qdpx",
        )


def test_merge_keeps_groups_of_both_copies_on_the_merged_documents(tmp_path):
    a = copy_with(tmp_path / "anna.kwali", "anna", [0, 1])
    b = copy_with(tmp_path / "bram.kwali", "bram", [2])
    _with_groups(
        a,
        "anna",
        [
            lambda d: Group("document", "wijk A", "", (d,)),
            lambda d: Group("code", "druk", "", ("dwang",)),
        ],
        "ziet",
    )
    _with_groups(b, "bram", [lambda d: Group("code", "druk", "", ("brief",))], "ziet")
    merge_projects(a, b, tmp_path / "samen.kwali")
    with Project.open(tmp_path / "samen.kwali") as merged:
        (doc,) = merged.document_ids()
        assert [(g.kind, g.name, g.members) for g in merged.groups()] == [
            ("code", "druk", ("dwang", "brief")),
            ("document", "wijk A", (doc,)),
        ]
        (link,) = merged.links()  # the same link in both copies is one link
        assert (link.origin[0], link.target, link.name) == (doc, (doc, 0, 2), "ziet")
