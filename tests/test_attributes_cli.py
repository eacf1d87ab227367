"""`kwali attributes set|unset|import`: attributes of documents already in the project."""

from __future__ import annotations

import pytest

from kwali.app.history import action_text
from kwali.cli import cli
from kwali.store import Project, Verb

from helpers import add_interview


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        add_interview(project, "buurthuis")
        add_interview(project, "kringloop", ["Het is goed.", "Ik ga graag."])
        project.set_attribute(1, "rol", "werkzoekende")
    return path


def _attributes(path) -> dict[str, dict[str, str]]:
    with Project.open(path, readonly=True) as project:
        return {d.name: dict(d.attributes) for d in project.document_summaries()}


def _actions(path) -> int:
    with Project.open(path, readonly=True) as project:
        return len(project.history(limit=1000))


def test_set_several_as_one_action_and_undo(study, runner):
    result = runner.invoke(
        cli,
        ["attributes", "set", "-p", str(study), "buurthuis", "leeftijd=34", "rol= vrijwilliger "],
        catch_exceptions=False,
        env={"USER": "anna"},
    )
    assert result.exit_code == 0, result.output
    assert "leeftijd=34, rol=vrijwilliger" in result.output
    assert _attributes(study)["buurthuis"] == {"leeftijd": "34", "rol": "vrijwilliger"}
    with Project.open(study) as project:
        coder = project.history(limit=1)[0].coder
        undone = project.undo(coder)
        assert undone is not None and undone.verb is Verb.SET_ATTRIBUTE
        assert action_text(undone) == "kenmerk leeftijd, rol van document 1 ingesteld"
    assert _attributes(study)["buurthuis"] == {"rol": "werkzoekende"}


def test_unset_and_undo(study, runner):
    result = runner.invoke(
        cli, ["attributes", "unset", "-p", str(study), "1", "rol", "--coder", "anna"]
    )
    assert result.exit_code == 0, result.output
    assert "geen kenmerken" in result.output
    assert _attributes(study)["buurthuis"] == {}
    with Project.open(study) as project:
        undone = project.undo("anna")
        assert undone is not None
        assert action_text(undone) == "kenmerk rol van document 1 gewist"
    assert _attributes(study)["buurthuis"] == {"rol": "werkzoekende"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "9", "rol=x"], "heeft geen document '9'"),
        (["set", "1", "rol"], "'rol' is niet kenmerk=waarde"),
        (["set", "1", "=x"], "'=x' is niet kenmerk=waarde"),
        (["unset", "onbekend", "rol"], "heeft geen document 'onbekend'"),
        (["unset", "1", "leeftijd"], "document buurthuis heeft geen kenmerk 'leeftijd'"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(study, runner, args, message):
    before, actions = _attributes(study), _actions(study)
    result = runner.invoke(cli, ["attributes", args[0], "-p", str(study), *args[1:]])
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("kwali: fout: ")
    assert _attributes(study) == before and _actions(study) == actions


def test_import_for_documents_already_imported_and_undo(study, tmp_path, runner):
    table = tmp_path / "respondenten.csv"
    table.write_text(
        "file,rol,leeftijd\nbuurthuis.txt,vrijwilliger,34\nkringloop,werkzoekende,\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        cli, ["attributes", "import", "-p", str(study), str(table), "--coder", "anna"]
    )
    assert result.exit_code == 0, result.output
    assert "Kenmerken van 2 documenten gewijzigd (2 rijen in respondenten.csv)." in result.output
    assert _attributes(study) == {
        "buurthuis": {"leeftijd": "34", "rol": "vrijwilliger"},
        "kringloop": {"rol": "werkzoekende"},
    }
    with Project.open(study) as project:
        undone = project.undo("anna")
        assert undone is not None
        assert action_text(undone) == "kenmerken uit respondenten.csv ingelezen"
    assert _attributes(study) == {"buurthuis": {"rol": "werkzoekende"}, "kringloop": {}}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "file,rol\nbuurthuis.txt,x\nonbekend.txt,y\n",
            "noemt bestanden die niet in het project staan: 'onbekend.txt'; er is niets veranderd",
        ),
        ("bestand,rol\nbuurthuis.txt,x\n", "heeft een kolom 'file' nodig"),
    ],
)
def test_import_refuses_unknown_files_and_a_missing_file_column(
    study, tmp_path, runner, content, message
):
    table = tmp_path / "respondenten.csv"
    table.write_text(content, encoding="utf-8")
    before, actions = _attributes(study), _actions(study)
    result = runner.invoke(cli, ["attributes", "import", "-p", str(study), str(table)])
    assert result.exit_code == 1
    assert result.output.startswith(f"kwali: fout: {table}: ")
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert _attributes(study) == before and _actions(study) == actions
