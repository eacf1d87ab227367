"""Reading a speakers table: every bad row is one line naming the file and row; nothing changes."""

from __future__ import annotations

import pytest
from cases_helpers import add_group_interview

from kwali.app.cases_import import import_cases_table, read_cases_table
from kwali.errors import KwaliError
from kwali.store import Project


def _state(project: Project) -> tuple:
    return (
        [(c.name, dict(c.attributes)) for c in project.cases()],
        project.speaker_cases(),
        len(project.history(limit=100)),
    )


@pytest.fixture
def group(project):
    add_group_interview(project)
    add_group_interview(project, "groep_zuid")
    return project


def write(tmp_path, text: str):
    path = tmp_path / "sprekers.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_table_links_speakers_and_sets_typed_attributes(group, tmp_path):
    group.set_attribute_type("leeftijd", "number")
    path = write(
        tmp_path,
        "document,speaker,case,team,leeftijd\n"
        "1,Coach A,coach_ans,Noord,41\n"
        "groep_noord,Coach B,coach_bert,Noord,\n"
        "groep_zuid.txt,Coach A,coach_ans,,41\n",
    )
    done = import_cases_table(group, path, "anna")
    assert (done.made, done.linked, done.rows) == (2, 3, 3)
    ans = group.case_named("coach_ans")
    assert ans is not None and dict(ans.attributes) == {"leeftijd": "41", "team": "Noord"}
    assert group.speaker_cases() == {
        1: {"Coach A": ans.id, "Coach B": group.case_named("coach_bert").id},
        2: {"Coach A": ans.id},
    }
    # The same file again changes nothing.
    again = import_cases_table(group, path, "anna")
    assert (again.made, again.linked, again.changed) == (0, 0, 0)


def test_semicolons_as_dutch_excel_writes_them(group, tmp_path):
    path = write(tmp_path, "document;speaker;case;rol\n1;Coach B;coach_bert;coach\n")
    read = read_cases_table(group, path)
    assert read.links == ((1, "Coach B", "coach_bert"),)
    assert read.attributes == {"coach_bert": {"rol": "coach"}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "document,case\n1,x\n",
            "heeft de kolommen document, speaker en case nodig (ontbreekt: speaker)",
        ),
        (
            "document,speaker,case\n1,Coach A,x\n9,Coach A,y\n",
            "rij 3: het project heeft geen document '9'",
        ),
        (
            "document,speaker,case\n1,Coach C,x\n",
            "rij 2: document 1 (groep_noord) heeft geen spreker 'Coach C' (de sprekers: I, Coach A, Coach B)",
        ),
        ("document,speaker,case,leeftijd\n1,Coach A,x,veertig\n", "rij 2: "),
        ("document,speaker,case\n1,Coach A,\n", "rij 2: heeft geen case"),
        ("document,speaker,case\n1,,x\n", "rij 2: heeft een document én een spreker nodig"),
        (
            "document,speaker,case\n1,Coach A,x\n1,Coach A,y\n",
            "rij 3: Coach A van document 1 is al case 'x' in rij 2",
        ),
        (
            "document,speaker,case,team\n1,Coach A,x,Noord\n2,Coach A,x,Zuid\n",
            "rij 3: case 'x' heeft team='Noord' in rij 2, hier 'Zuid'",
        ),
        ("document,speaker,case\n", "heeft geen rijen"),
    ],
)
def test_bad_rows_are_one_line_naming_file_and_row_and_change_nothing(
    group, tmp_path, text, message
):
    group.set_attribute_type("leeftijd", "number")
    import_cases_table(group, write(tmp_path, "document,speaker,case\n2,Coach B,bestaand\n"))
    before = _state(group)
    path = write(tmp_path, text)
    with pytest.raises(KwaliError) as caught:
        import_cases_table(group, path, "anna")
    line = caught.value.one_line()
    assert "\n" not in line and line.startswith(f"{path}: ") and message in line
    assert _state(group) == before


def test_a_file_that_is_not_text_is_refused(group, tmp_path):
    path = tmp_path / "sprekers.csv"
    path.write_bytes(b"\xff\xfe\x00\x00garbage\x81")
    with pytest.raises(KwaliError, match="is niet te lezen als CSV-tabel"):
        read_cases_table(group, path)


def test_the_import_is_one_undoable_action(group, tmp_path):
    before = _state(group)
    path = write(tmp_path, "document,speaker,case,team\n1,Coach A,x,Noord\n2,Coach B,y,Zuid\n")
    import_cases_table(group, path, "anna")
    assert len(group.cases()) == 2
    group.undo("anna")
    assert _state(group)[:2] == before[:2]
