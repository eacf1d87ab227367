"""Typed attributes: text, number and date values, their stored form, the type as an undoable
action, the checks on set/import, and the order of numbers and dates in lists and tables."""

from __future__ import annotations

import pytest

from kwali.errors import ProjectError
from kwali.store import Project, Verb
from kwali.store.attribute_types import BadValue, canonical, dutch, sort_key

from helpers import add_interview


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("34", "34"),
        ("3,5", "3.5"),
        ("3.5", "3.5"),  # the stored form reads back as itself
        ("3,50", "3.5"),
        ("1.234,5", "1234.5"),
        ("1.234.567", "1234567"),
        ("-2", "-2"),
        (" 100 ", "100"),
        ("", ""),  # not known yet
    ],
)
def test_dutch_numbers_are_stored_with_a_dot(typed: str, stored: str) -> None:
    assert canonical("leeftijd", typed, "number") == stored
    assert canonical("leeftijd", stored, "number") == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("4-3-2021", "2021-03-04"),
        ("04-03-2021", "2021-03-04"),
        ("4/3/2021", "2021-03-04"),
        ("2021-03-04", "2021-03-04"),
        ("2021-3-4", "2021-03-04"),
    ],
)
def test_dutch_dates_are_stored_iso(typed: str, stored: str) -> None:
    assert canonical("datum_interview", typed, "date") == stored


@pytest.mark.parametrize(
    ("value", "type"),
    [
        ("vierendertig", "number"),
        ("3,5,6", "number"),
        ("34 jaar", "number"),
        ("31-2-2021", "date"),  # no such day
        ("4-3-21", "date"),  # a two-digit year is ambiguous
        ("maart 2021", "date"),
    ],
)
def test_values_that_are_not_of_the_type_are_refused(value: str, type: str) -> None:
    word = {"number": "getal", "date": "datum"}[type]
    with pytest.raises(BadValue, match=f"is geen {word}"):
        canonical("k", value, type)


def test_numbers_and_dates_sort_by_size_and_time_with_empty_last() -> None:
    assert sorted(["10", "", "9", "2.5", "100"], key=lambda v: sort_key(v, "number")) == [
        "2.5",
        "9",
        "10",
        "100",
        "",
    ]
    dates = ["2021-03-04", "2020-12-31", "2021-01-10"]
    assert sorted(dates, key=lambda v: sort_key(v, "date")) == [
        "2020-12-31",
        "2021-01-10",
        "2021-03-04",
    ]
    assert sorted(["b", "A", "c"], key=sort_key) == ["A", "b", "c"]
    assert dutch("3.5", "number") == "3,5" and dutch("3.5") == "3.5"


@pytest.fixture
def study(project: Project) -> Project:
    for n, age in enumerate(["34", "3,5", "61"], start=1):
        add_interview(project, f"interview{n}", [f"Zin {n} over werk."])
        project.set_attribute(n, "leeftijd", age)
    return project


def _values(project: Project, key: str) -> list[str]:
    return [d.attributes.get(key, "") for d in project.document_summaries()]


def test_typing_an_attribute_rewrites_its_values_and_undo_takes_it_back(study: Project) -> None:
    assert study.set_attribute_type("leeftijd", "number", "anna") == 1
    assert study.attribute_types() == {"leeftijd": "number"}
    assert _values(study, "leeftijd") == ["34", "3.5", "61"]
    last = study.history("anna", limit=1)[0]
    assert last.verb is Verb.SET_ATTRIBUTE_TYPE and last.subject == ("leeftijd", "number")
    study.undo("anna")
    assert study.attribute_types() == {}
    assert _values(study, "leeftijd") == ["34", "3,5", "61"]
    study.redo("anna")
    assert study.attribute_types() == {"leeftijd": "number"}


def test_a_type_that_an_existing_value_does_not_fit_is_refused(study: Project) -> None:
    study.set_attribute(2, "rol", "werkzoekende")
    actions = len(study.history(limit=100))
    with pytest.raises(
        ProjectError, match="document interview2 heeft rol='werkzoekende', en dat is geen getal"
    ):
        study.set_attribute_type("rol", "number", "anna")
    assert study.attribute_types() == {} and len(study.history(limit=100)) == actions
    with pytest.raises(ProjectError, match="is geen kenmerktype"):
        study.set_attribute_type("rol", "getal", "anna")


def test_set_and_import_check_values_against_the_type(study: Project) -> None:
    study.set_attribute_type("leeftijd", "number", "anna")
    study.set_attribute_type("datum", "date", "anna")
    study.set_attributes(1, {"leeftijd": "35,0", "datum": "4-3-2021"}, "anna")
    assert study.require_document(1).attributes == {"leeftijd": "35", "datum": "2021-03-04"}
    before = _values(study, "leeftijd")
    with pytest.raises(ProjectError, match="document interview2: leeftijd='oud' is geen getal"):
        study.set_attributes(2, {"leeftijd": "oud", "rol": "coach"}, "anna")
    assert (
        _values(study, "leeftijd") == before and "rol" not in study.require_document(2).attributes
    )
    with pytest.raises(ProjectError, match="rij interview3.txt: datum='gisteren' is geen datum"):
        study.import_attributes(
            {"interview1.txt": {"leeftijd": "40"}, "interview3.txt": {"datum": "gisteren"}},
            "respondenten.csv",
            "anna",
        )
    assert _values(study, "leeftijd") == before
    study.import_attributes({"interview3.txt": {"datum": "31/12/2020"}}, "r.csv", "anna")
    assert study.require_document(3).attributes["datum"] == "2020-12-31"


def test_edit_attributes_sets_and_removes_as_one_undoable_action(study: Project) -> None:
    study.set_attribute_type("leeftijd", "number", "anna")
    study.set_attribute(1, "rol", "werkzoekende")
    changed = study.edit_attributes(1, {"leeftijd": "35", "groep": "noord"}, ["rol"], "anna")
    assert changed
    assert study.require_document(1).attributes == {"leeftijd": "35", "groep": "noord"}
    study.undo("anna")
    assert study.require_document(1).attributes == {"leeftijd": "34", "rol": "werkzoekende"}
    assert not study.edit_attributes(1, {"leeftijd": "34,0"}, [], "anna")  # the same number


def test_cli_type_and_list_show_types_and_sort_numerically(tmp_path, runner) -> None:
    from kwali.cli import cli

    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        for n, age in enumerate(["9", "10", "100"], start=1):
            add_interview(project, f"i{n}", [f"Zin {n}."])
            project.set_attribute(n, "leeftijd", age)
    result = runner.invoke(cli, ["attributes", "type", "-p", str(path), "leeftijd", "number"])
    assert result.exit_code == 0, result.output
    assert "leeftijd is nu van het type getal." in result.output
    listed = runner.invoke(cli, ["attributes", "-p", str(path)])
    assert "leeftijd  number  3 documenten: 9 tot 100" in listed.output
    ordered = runner.invoke(cli, ["documents", "-p", str(path), "--sort", "leeftijd"])
    names = [line.split()[1] for line in ordered.output.splitlines()[:3]]
    assert names == ["i1", "i2", "i3"]  # 9 < 10 < 100, not "10" < "100" < "9"
    refused = runner.invoke(cli, ["attributes", "set", "-p", str(path), "1", "leeftijd=oud"])
    assert refused.exit_code == 1
    assert "leeftijd='oud' is geen getal; er is niets veranderd" in refused.output


def _aged(project: Project, ages: list[str]) -> Project:
    from kwali.model import Code, Codebook

    project.set_codebook(Codebook(name="t", codes=(Code("werk", "Werk"),)))
    for n, age in enumerate(ages, start=1):
        segments = add_interview(project, f"r{n}", [f"Ik werk al {n} jaar."])
        project.set_attribute(n, "leeftijd", age)
        project.add_coding(n, segments[0].start, segments[0].end, "werk", "anna")
    project.set_attribute_type("leeftijd", "number", "anna")
    return project


def test_count_tables_order_number_groups_by_size_and_write_them_the_dutch_way(
    project: Project,
) -> None:
    from kwali.export.tables import NO_VALUE, frequencies

    _aged(project, ["10", "9", "3,5", "100"])
    add_interview(project, "zonder", ["Geen leeftijd bekend."])
    table = frequencies(project, by="leeftijd")
    assert list(table["leeftijd"]) == ["3,5", "9", "10", "100", NO_VALUE]
    assert list(table["segments"]) == [1, 1, 1, 1, 0]


def test_respondents_keep_numbers_as_numbers_and_word_shows_them_dutch(
    project: Project, tmp_path
) -> None:
    from decimal import Decimal

    import docx

    from kwali.export import export
    from kwali.export.respondents import respondents

    _aged(project, ["34", "3,5"])
    assert list(respondents(project, attributes=["leeftijd"])["leeftijd"]) == [
        Decimal("34"),
        Decimal("3.5"),
    ]
    out = export(project, "respondents", tmp_path / "r.docx", attributes=["leeftijd"]).path
    (table,) = docx.Document(str(out)).tables
    assert [row.cells[2].text for row in table.rows][1:3] == ["34", "3,5"]


def test_a_new_document_s_attributes_are_checked_against_the_types(study: Project) -> None:
    from kwali.model import Transcript

    study.set_attribute_type("leeftijd", "number", "anna")

    def transcript(text: str) -> Transcript:
        return Transcript(text, (), "nieuw.txt", "txt")

    document, _ = study.add_document(
        transcript("Nieuw."), lambda i, u: [], attributes={"leeftijd": "41,5", "rol": "coach"}
    )
    assert document.attributes == {"leeftijd": "41.5", "rol": "coach"}
    count = len(study.document_summaries())
    with pytest.raises(ProjectError, match="nieuw.txt: leeftijd='oud' is geen getal"):
        study.add_document(transcript("Anders."), lambda i, u: [], attributes={"leeftijd": "oud"})
    assert len(study.document_summaries()) == count
