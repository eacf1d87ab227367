"""The one rule for naming a code (kwali.app.code_names): its key, its label in any case and
with or without accents, its path; a shared label or an unknown name refused in one line."""

from __future__ import annotations

import pytest

from kwali.app.code_names import code_key, code_keys, fold, label_of, matching, path_text
from kwali.errors import ProjectError
from kwali.model import Code, Codebook
from kwali.store import Project
from kwali.store.groups import Group

NAMES_CODEBOOK = Codebook(
    "namen",
    (
        Code("persoon", "Persoonlijke situatie", kind="category"),
        Code("taal", "Taal", parent="persoon"),
        Code("gezin_combineren", "Gezin en combineren", parent="persoon"),
        Code("overig_persoon", "Overig", parent="persoon"),
        Code("financien", "Geld, schulden", parent="persoon"),  # a label with a comma
        Code("effecten", "Ervaren effecten", kind="category"),
        Code("welbevinden", "Structuur en zingeving", parent="effecten"),
        Code("reintegratie", "Reïntegratie", parent="effecten"),
        Code("overig_effect", "Overig", parent="effecten"),
    ),
)


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "namen.kwali") as made:
        made.set_codebook(NAMES_CODEBOOK, "kwali")
        made.import_groups(
            [Group("code", "thuis", "", ("taal", "gezin_combineren"))], [], "anna", "atlas.qdc"
        )
        yield made


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("gezin_combineren", "gezin_combineren"),  # the key
        ("GEZIN_COMBINEREN", "gezin_combineren"),  # the key in any case
        ("Gezin en combineren", "gezin_combineren"),  # the label
        ("  gezin   EN combineren ", "gezin_combineren"),  # case and spaces ignored
        ("reintegratie", "reintegratie"),
        ("Reintegratie", "reintegratie"),  # without its accent
        ("RE\u0308INTEGRATIE", "reintegratie"),  # a decomposed accent
        ("Persoonlijke situatie > Taal", "taal"),  # the path from the top
        ("persoon>taal", "taal"),  # keys in a path
        ("Ervaren effecten > Overig", "overig_effect"),  # a path tells shared labels apart
        ("Persoonlijke situatie", "persoon"),  # a category
        ("Geld, schulden", "financien"),
    ],
)
def test_a_code_is_named_by_key_label_or_path(project, typed, key):
    assert code_key(project, typed) == key


def test_a_shared_label_is_one_line_with_both_codes_their_parents_and_a_path(project):
    with pytest.raises(ProjectError) as refused:
        code_key(project, "overig", option="--code")
    line = refused.value.one_line()
    assert "\n" not in line
    assert "'overig' (--code) noemt 2 codes" in line
    assert "overig_persoon ('Overig' onder 'Persoonlijke situatie')" in line
    assert "overig_effect ('Overig' onder 'Ervaren effecten')" in line
    assert "'Persoonlijke situatie > Overig'" in line  # a name that works


def test_an_unknown_name_is_one_line_with_the_nearest_names(project):
    with pytest.raises(ProjectError) as refused:
        code_key(project, "Gezin en combineer", option="--code")
    line = refused.value.one_line()
    assert "\n" not in line and "heeft geen code 'Gezin en combineer' (--code)" in line
    assert "het dichtst bij: 'Gezin en combineren' (gezin_combineren)" in line
    assert "Structuur" not in line  # only names about as near as the best
    with pytest.raises(ProjectError, match="zie `kwali codes`"):
        code_key(project, "xyzzy")  # nothing near: where to look
    with pytest.raises(ProjectError, match="heeft geen code"):
        code_key(project, "Persoonlijke situatie > Structuur en zingeving")  # not under it


def test_several_names_groups_and_commas(project):
    assert code_keys(project, ["Taal,welbevinden", "@thuis"]) == (
        "taal",
        "welbevinden",
        "gezin_combineren",
    )
    assert code_keys(project, ["Geld, schulden"]) == ("financien",)  # kept whole
    assert code_keys(project, ["@THUIS"]) == ("taal", "gezin_combineren")
    with pytest.raises(ProjectError, match="heeft geen codegroep 'nergens'"):
        code_keys(project, ["@nergens"])
    with pytest.raises(ProjectError, match="heeft geen code '@thuis'"):
        code_keys(project, ["@thuis"], groups=False)  # where groups mean nothing


def test_display_helpers(project):
    codebook = project.codebook()
    assert path_text(codebook, "overig_effect") == "Ervaren effecten > Overig"
    assert label_of(codebook, "welbevinden") == "Structuur en zingeving"
    assert label_of(codebook, "weg") == "weg"  # a deleted code keeps its key
    assert fold(" Reïntegratie  EN ") == "reintegratie en"
    assert [c.key for c in matching(codebook, "Overig")] == ["overig_persoon", "overig_effect"]
