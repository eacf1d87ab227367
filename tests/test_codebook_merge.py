"""The codebook merge: a file brought into a project keeps what the project edited since the
codebook was last loaded, takes what only the file changed, and says every decision."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kwali.app.codebook_import import merge_codebook, plan_codebook_merge
from kwali.app.codebook_merge import plan_merge
from kwali.model import Code, Codebook, Signals

from helpers import STUDY_CODEBOOK

SIGNALS = Signals(lemmas=("sanctie", "korting"), compounds=("straf",))
FULL_SANCTIE = replace(
    STUDY_CODEBOOK.get("sanctie"), include="korting, boete", signals=SIGNALS, colour="#A93226"
)
LOADED = Codebook(
    STUDY_CODEBOOK.name,
    tuple(FULL_SANCTIE if c.key == "sanctie" else c for c in STUDY_CODEBOOK.codes),
)


def _with(codebook: Codebook, key: str, **changes: object) -> Codebook:
    codes = tuple(replace(c, **changes) if c.key == key else c for c in codebook.codes)
    return Codebook(codebook.name, codes)


def _decision(report, key):
    return next(d for d in report.decisions if d.key == key)


# -- the rule, pure -----------------------------------------------------------------------
def test_a_field_changed_in_the_file_only_is_taken():
    incoming = _with(LOADED, "dwang", definition="Het gevoel dat het moet.")
    report = plan_merge(LOADED, incoming, LOADED)
    assert [c.definition for c in report.changed] == ["Het gevoel dat het moet."]
    assert _decision(report, "dwang").kind == "changed"
    assert _decision(report, "dwang").taken == ("definition",)
    assert report.count("unchanged") == len(LOADED) - 1


def test_a_field_edited_in_the_project_is_kept_and_theirs_takes_the_file():
    project = _with(LOADED, "sanctie", label="Sancties en kortingen")
    report = plan_merge(project, LOADED, LOADED)
    assert not report.changed
    decision = _decision(report, "sanctie")
    assert (decision.kind, decision.kept) == ("kept", ("label",))
    theirs = plan_merge(project, LOADED, LOADED, theirs=True)
    assert [c.label for c in theirs.changed] == ["Sancties"]
    assert (
        "die van het bestand genomen boven de wijziging in het project: label"
        in _decision(theirs, "sanctie").notes
    )


def test_both_sides_changed_is_a_conflict_the_project_wins():
    project = _with(LOADED, "dwang", definition="Moeten.")
    incoming = _with(LOADED, "dwang", definition="Verplicht voelen.")
    report = plan_merge(project, incoming, LOADED)
    decision = _decision(report, "dwang")
    assert (decision.kind, decision.conflicts) == ("conflict", ("definition",))
    assert not report.changed
    assert "conflict" in report.summary()


def test_edits_to_different_fields_of_one_code_both_survive():
    project = _with(LOADED, "dwang", label="Moeten")
    incoming = _with(LOADED, "dwang", include="oproepbrieven, brieven")
    (merged,) = plan_merge(project, incoming, LOADED).changed
    assert (merged.label, merged.include) == ("Moeten", "oproepbrieven, brieven")


def test_a_foreign_code_with_the_same_name_does_not_strip_the_project_code():
    # A .qdc from MAXQDA: "Sanctie", top level, no signals, no rules: key made from the label.
    foreign = Codebook("export", (Code("sanctie", "Sanctie"), Code("nieuw", "Nieuw thema")))
    report = plan_merge(LOADED, foreign, LOADED)
    sanctie = next(c for c in report.changed if c.key == "sanctie")
    assert sanctie.parent == "verplichting"
    assert sanctie.signals == SIGNALS
    assert sanctie.include == "korting, boete"
    assert sanctie.definition == FULL_SANCTIE.definition
    assert sanctie.label == "Sanctie"  # the one thing the file did change, and says so
    decision = _decision(report, "sanctie")
    assert decision.taken == ("label",)
    assert {"parent", "include", "signals", "definition"} <= set(decision.silent)
    assert [c.key for c in report.added] == ["nieuw"]
    assert report.count("missing") == len(LOADED) - 1


def test_a_foreign_code_is_matched_by_label_whatever_its_key_or_case():
    foreign = Codebook("export", (Code("code_17", "SANCTIES"),))
    report = plan_merge(LOADED, foreign, None)
    assert not report.added
    decision = _decision(report, "sanctie")
    assert decision.file_key == "code_17"
    assert "gevonden op label 'SANCTIES'" in decision.notes
    assert report.keys == {"code_17": "sanctie"}  # where the file's codings go


def test_a_code_missing_from_the_file_is_reported_and_kept():
    incoming = Codebook("kort", tuple(c for c in LOADED.codes if c.key != "taal"))
    report = plan_merge(LOADED, incoming, LOADED)
    assert [d.key for d in report.by_kind["missing"]] == ["taal"]
    assert "niet in het bestand (gehouden)" in "\n".join(report.lines())


def test_a_code_deleted_in_the_project_is_not_brought_back_unless_theirs():
    project = Codebook("p", tuple(c for c in LOADED.codes if c.key != "taal"))
    report = plan_merge(project, LOADED, LOADED)
    assert not report.added
    assert [d.key for d in report.by_kind["removed"]] == ["taal"]
    assert [c.key for c in plan_merge(project, LOADED, LOADED, theirs=True).added] == ["taal"]
    # without a base, the history says it was removed
    assert not plan_merge(project, LOADED, None, removed={"taal"}).added


def test_a_key_renamed_in_the_project_still_matches():
    project = Codebook(
        "p",
        tuple(replace(c, key="straf") if c.key == "sanctie" else c for c in LOADED.codes),
    )
    report = plan_merge(project, LOADED, LOADED, renamed={"sanctie": "straf"})
    assert not report.added and not report.changed
    assert _decision(report, "straf").file_key == "sanctie"


def test_new_codes_come_parents_first_under_mapped_parents():
    incoming = Codebook(
        "n",
        (
            *LOADED.codes,
            Code("kind", "Kind", parent="nieuwe_cat"),
            Code("nieuwe_cat", "Nieuwe categorie", kind="category"),
            Code("onder_dwang", "Onder dwang", parent="dwang"),
        ),
    )
    report = plan_merge(LOADED, incoming, LOADED)
    assert [c.key for c in report.added] == ["nieuwe_cat", "onder_dwang", "kind"]


def test_a_parent_from_the_file_that_would_make_a_loop_is_not_taken():
    project = _with(LOADED, "persoon", parent="dwang")  # moved in the project
    incoming = _with(LOADED, "verplichting", parent="gezondheid")  # the file moves the other way
    report = plan_merge(project, incoming, LOADED)
    merged = {c.key: c for c in project} | {c.key: c for c in report.changed}
    for start in merged:
        node, seen = start, set()
        while node:
            assert node not in seen
            seen.add(node)
            node = merged[node].parent
    decision = _decision(report, "verplichting")
    assert decision.kind == "conflict" and "parent" in decision.conflicts
    assert "de bovenliggende code uit het bestand zou een kring maken" in decision.notes


def test_a_label_used_twice_after_the_merge_is_said():
    incoming = Codebook("n", (*LOADED.codes, Code("taal2", "taal", parent="verplichting")))
    # "taal" is matched by label to the project's Taal only when nothing else claims it
    report = plan_merge(LOADED, incoming, LOADED)
    assert [c.key for c in report.added] == ["taal2"]
    assert any("label ook gebruikt door taal" in n for n in _decision(report, "taal2").notes)


# -- the project: base kept, one undoable action -------------------------------------------
@pytest.fixture
def loaded(project):
    project.set_codebook(LOADED, "kwali")
    return project


def test_loading_a_codebook_keeps_it_as_the_base(loaded):
    base = loaded.codebook_base()
    assert base is not None and base.codes == LOADED.codes


def test_merge_applies_as_one_action_and_undo_restores(loaded):
    loaded.update_code("sanctie", "anna", label="Sancties en kortingen")
    incoming = _with(LOADED, "dwang", definition="Nieuw.")
    incoming = Codebook(incoming.name, (*incoming.codes, Code("nieuw", "Nieuw")))
    before = loaded.codebook()
    report = merge_codebook(loaded, incoming, source="codeboek.yaml", coder="anna")
    assert report.applied
    assert loaded.code("dwang").definition == "Nieuw."
    assert loaded.code("nieuw") is not None
    assert loaded.code("sanctie").label == "Sancties en kortingen"
    assert loaded.history(limit=1)[0].description == "import codebook codeboek.yaml"
    # the next import of the same file changes nothing: its base is the file now
    again = plan_codebook_merge(loaded, incoming, source="codeboek.yaml")
    assert not again.changes_anything
    assert loaded.undo("anna") is not None
    assert loaded.codebook().codes == before.codes
    # undone: the base is the one from before the import again
    assert loaded.codebook_base().codes == LOADED.codes


def test_dry_run_changes_nothing(loaded):
    incoming = _with(LOADED, "dwang", definition="Nieuw.")
    report = merge_codebook(loaded, incoming, source="x.yaml", coder="anna", dry_run=True)
    assert not report.applied and [c.key for c in report.changed] == ["dwang"]
    assert loaded.code("dwang").definition == STUDY_CODEBOOK.get("dwang").definition
    assert loaded.history(limit=1)[0].description.startswith("load codebook")


def test_without_a_base_the_history_says_what_the_project_edited(project):
    project.set_codebook(LOADED, "kwali")
    project.db.execute("DELETE FROM meta WHERE key = 'codebook_base'")  # a project from before
    assert project.codebook_base() is None
    project.update_code("sanctie", "anna", label="Sancties en kortingen")
    project.update_code("taal", "anna", key="talen")
    incoming = _with(LOADED, "gezondheid", definition="Klachten en beperkingen.")
    report = plan_codebook_merge(project, incoming, source="x.yaml")
    assert _decision(report, "sanctie").kind == "kept"
    assert _decision(report, "talen").file_key == "taal"
    assert [c.key for c in report.changed] == ["gezondheid"]
    assert not report.added


def test_into_an_empty_codebook_it_is_a_load(project):
    from kwali.store.actions import Verb

    report = merge_codebook(project, LOADED, source="codeboek.yaml", coder="kwali")
    assert report.count("added") == len(LOADED)
    assert project.codebook().codes == LOADED.codes
    # `make sample-rebuild` tells a fresh sample by this verb
    assert project.history(limit=1)[0].verb is Verb.LOAD_CODEBOOK
    assert project.codebook_base().codes == LOADED.codes


def test_a_code_moved_in_the_file_moves_unless_the_project_moved_it_too():
    incoming = _with(LOADED, "taal", parent="verplichting")
    report = plan_merge(LOADED, incoming, LOADED)
    assert [(c.key, c.parent) for c in report.changed] == [("taal", "verplichting")]
    assert _decision(report, "taal").taken == ("parent",)
    project = _with(LOADED, "taal", parent=None)  # moved to the top in the project
    report = plan_merge(project, incoming, LOADED)
    assert (_decision(report, "taal").kind, report.changed) == ("conflict", ())
