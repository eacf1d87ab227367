"""The store's, agreement's and tagging's messages in the language of the run, and logic that
reads an error's ``reason``, never its wording (which now has a language)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kwali.agreement import AgreementError, krippendorff_alpha
from kwali.errors import ProjectError
from kwali.i18n import set_language
from kwali.store import Project
from kwali.store.attribute_types import TYPE_WORDS
from kwali.store.surveys import STATUS_WORDS
from kwali.ui.problems import problem_text


@pytest.fixture(params=["nl", "en"])
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    try:
        yield request.param
    finally:
        set_language("nl")


def test_a_store_error_is_dutch_by_default_and_english_when_asked(tmp_path: Path, lang: str):
    with pytest.raises(ProjectError) as caught:
        Project.open(tmp_path / "geen.kwali")
    wanted = {
        "nl": "geen.kwali: dit projectbestand bestaat niet (maak er een met `kwali init`)",
        "en": "geen.kwali: no such project file (create one with `kwali init`)",
    }[lang]
    assert caught.value.one_line().endswith(wanted)


@pytest.mark.sqlite_only
def test_a_read_only_file_is_refused_with_its_reason_in_either_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
):
    path = tmp_path / "p.kwali"
    Project.create(path).close()
    monkeypatch.setattr("kwali.store.project.is_writable", lambda path: False)
    with pytest.raises(ProjectError) as caught:
        Project.open(path)
    assert caught.value.reason == "readonly"
    assert caught.value.message == {"nl": "is alleen-lezen", "en": "is read-only"}[lang]
    assert (
        problem_text(caught.value)
        == {
            "nl": "Het projectbestand is alleen-lezen; er is niets veranderd.",
            "en": "The project file is read-only; nothing was changed.",
        }[lang]
    )


@pytest.mark.sqlite_only
def test_the_ui_opens_a_read_only_file_read_only_whatever_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
):
    """kwali.ui.app.run falls back to read-only on the error's reason, not its wording: in
    English the message no longer says "alleen-lezen", in Dutch no longer "read-only"."""
    from kwali.ui import app as ui_app

    path = tmp_path / "p.kwali"
    Project.create(path).close()
    monkeypatch.setattr("kwali.store.project.is_writable", lambda path: False)
    opened: list[bool] = []
    monkeypatch.setattr(ui_app.KwaliApp, "run", lambda self: opened.append(self.project.readonly))
    assert ui_app.run(path, "anna") == 0
    assert opened == [True]


def test_the_ui_does_not_open_read_only_for_another_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """A message that merely mentions read-only is no reason to open read-only."""
    from kwali.ui import app as ui_app

    def refuse(cls: type[Project], path: Path, readonly: bool = False) -> Project:
        raise ProjectError("is read-only, so to speak", path=path)  # no reason given

    monkeypatch.setattr(Project, "open", classmethod(refuse))
    monkeypatch.setattr(ui_app.KwaliApp, "run", lambda self: pytest.fail("opened"))
    assert ui_app.run(tmp_path / "p.kwali", "anna") == 1
    assert "read-only, so to speak" in capsys.readouterr().err


def test_a_busy_project_is_worded_by_its_reason_in_either_language(lang: str):
    error = ProjectError("x", path="p.kwali", reason="busy")
    assert problem_text(error).startswith(
        {"nl": "Een andere kwali schrijft net", "en": "Another kwali is writing"}[lang]
    )


def test_an_agreement_error_is_in_the_language_of_the_run(lang: str):
    with pytest.raises(AgreementError) as caught:
        krippendorff_alpha([[1, 2, 3]])
    assert (
        str(caught.value)
        == {
            "nl": "overeenstemming heeft ten minste twee coders nodig; kreeg 1",
            "en": "agreement needs at least two coders; got 1",
        }[lang]
    )


def test_type_and_status_words_are_translated_when_read_not_at_import(lang: str):
    english = lang == "en"
    assert TYPE_WORDS["number"] == ("number" if english else "getal")
    assert dict(STATUS_WORDS) == (
        {"answered": "answered", "empty": "empty", "weet_niet": "don't know"}
        if english
        else {"answered": "beantwoord", "empty": "leeg", "weet_niet": "weet niet"}
    )
    assert TYPE_WORDS.get("other", "other") == "other"


def test_a_tagging_error_is_in_the_language_of_the_run(tmp_path: Path, lang: str):
    from kwali.errors import InputError
    from kwali.tagging.gold import load_gold

    with pytest.raises(InputError) as caught:
        load_gold(tmp_path / "nee.jsonl")
    assert caught.value.message == {"nl": "dit bestand bestaat niet", "en": "no such file"}[lang]


def test_the_cli_says_a_store_error_in_the_language_asked_for(tmp_path: Path):
    from click.testing import CliRunner

    from kwali.cli import cli

    missing = tmp_path / "geen.kwali"
    dutch = CliRunner().invoke(cli, ["status", "-p", str(missing)])
    english = CliRunner().invoke(cli, ["--lang", "en", "status", "-p", str(missing)])
    set_language("nl")  # the CLI set the language for the process
    assert dutch.exit_code == english.exit_code == 1
    assert f"{missing}: dit projectbestand bestaat niet" in dutch.output
    assert f"{missing}: no such project file" in english.output
