"""The readers' messages (kwali.io) in the language chosen: Dutch by default, English when asked.

Each message is one line naming the file; its wording comes from the catalogues, so the same
error reads in Dutch in a default run and in English with ``--lang en`` / ``KWALI_LANG=en``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kwali.cli import cli
from kwali.errors import CodebookError, InputError
from kwali.i18n import set_language
from kwali.io import parse_codebook, read_transcript
from kwali.io.refi_offsets import RawSelection, reconcile
from kwali.io.survey import read_survey

NO_LABEL = "name: Studie\ncodes:\n  - key: dwang\n    definition: Het moeten.\n"


def test_a_reader_error_is_dutch_by_default(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"geen\.txt: dit bestand bestaat niet$"):
        read_transcript(tmp_path / "geen.txt")
    with pytest.raises(CodebookError) as caught:
        parse_codebook(NO_LABEL, "studie.yaml")
    assert caught.value.one_line() == (
        "studie.yaml: regel 3: code 'dwang' heeft geen label "
        "(zie docs/codebook.md voor hoe een codeboek eruitziet)"
    )


def test_a_reader_error_is_english_when_chosen(tmp_path: Path, english) -> None:
    with pytest.raises(InputError, match=r"geen\.txt: no such file$"):
        read_transcript(tmp_path / "geen.txt")
    with pytest.raises(CodebookError) as caught:
        parse_codebook(NO_LABEL, "studie.yaml")
    assert caught.value.one_line() == (
        "studie.yaml: line 3: code 'dwang' has no label (see docs/codebook.md for the format)"
    )


def test_a_field_of_a_code_is_named_in_either_language(english) -> None:
    text = "name: S\ncodes:\n  - key: dwang\n    label: [a, b]\n"
    with pytest.raises(CodebookError, match="line 4: label of 'dwang' must be text"):
        parse_codebook(text)
    set_language("nl")
    with pytest.raises(CodebookError, match="regel 4: veld label van 'dwang' moet tekst zijn"):
        parse_codebook(text)


def test_counts_pick_their_form_in_both_languages(english) -> None:
    text = "I: Hoe gaat het met u?\n"
    selections = [RawSelection(0, 2), RawSelection(500, 600)]
    with pytest.raises(ValueError, match="^1 of 2 selections falls outside the text"):
        reconcile(text, (), selections, tolerance=0)
    set_language("nl")
    with pytest.raises(ValueError, match="^1 van de 2 selecties valt buiten de tekst"):
        reconcile(text, (), selections, tolerance=0)
    with pytest.raises(ValueError, match="^2 van de 3 selecties vallen buiten de tekst"):
        reconcile(text, (), [*selections, RawSelection(700, 800)], tolerance=0)


def test_the_spss_reader_child_answers_in_the_language_chosen(tmp_path: Path, english) -> None:
    """The .sav is read in a child process: it is told the language, whatever KWALI_LANG says."""
    path = tmp_path / "nep.sav"
    path.write_text("respnr;Q7\n1;ja\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"nep\.sav: is not an SPSS \.sav file kwali can read"):
        read_survey(path)


def test_the_cli_prints_a_reader_error_in_the_language_chosen(tmp_path: Path, runner) -> None:
    empty = tmp_path / "leeg.txt"
    empty.write_bytes(b"")
    project = tmp_path / "p.kwali"
    args = ["import", "-p", str(project), "--create", str(empty)]
    try:
        english = runner.invoke(cli, ["--lang", "en", *args])
    finally:
        set_language("nl")
    dutch = runner.invoke(cli, args)
    assert english.exit_code == dutch.exit_code == 1
    assert f"{empty}: the file is empty" in english.output
    assert f"{empty}: het bestand is leeg" in dutch.output
    assert "the file is empty" not in dutch.output
