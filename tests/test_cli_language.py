"""The command line speaks the language chosen: Dutch by default, English with --lang en.

Messages are made when a command runs, so CliRunner with ``--lang en`` gets them in English;
help texts are made when the commands are imported, so English help needs a new process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kwali.cli import cli
from kwali.cli.options import described
from kwali.i18n import set_language


@pytest.fixture
def kwali(runner) -> Iterator:
    """``kwali(lang, *args)``: one run in that language; the tests after it speak Dutch again."""

    def run(lang: str, *args: object):
        return runner.invoke(cli, ["--lang", lang, *map(str, args)])

    try:
        yield run
    finally:
        set_language("nl")


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("nl", "kwali: fout: {path}: heeft geen document '99'"),
        ("en", "kwali: error: {path}: has no document '99'"),
    ],
)
def test_an_error_line_is_in_the_chosen_language(kwali, coded: Path, lang: str, line: str) -> None:
    result = kwali(lang, "show", "-p", coded, "99")
    assert result.exit_code == 1
    assert result.output == line.format(path=coded) + "\n"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nl", ("documenten ", "beurten ", "coderingen per codeur:", "Koppelingen: 0")),
        ("en", ("documents ", "turns ", "codings per coder:", "Links: 0")),
    ],
)
def test_status_and_groups_are_in_the_chosen_language(
    kwali, coded: Path, lang: str, words: tuple[str, ...]
) -> None:
    shown = kwali(lang, "status", "-p", coded).output + kwali(lang, "groups", "-p", coded).output
    for word in words:
        assert word in shown, shown


@pytest.mark.parametrize(
    ("lang", "counts", "header"),
    [
        ("nl", ("1 memo.", "2 memo's.", "3 eenheden verschillen"), ["code", "eenheden"]),
        ("en", ("1 memo.", "2 memos.", "3 units differ"), ["code", "units"]),
    ],
)
def test_counts_take_the_right_form_in_both_languages(
    kwali, coded: Path, lang: str, counts: tuple[str, ...], header: list[str]
) -> None:
    """The singular for exactly one, the plural else: never "1 memo's" or "2 memo"."""
    for n, text in enumerate(("Eerste.", "Tweede.")):
        kwali(lang, "memo", "add", "-p", coded, "--coder", "anna", "--project", text)
        listed = kwali(lang, "memo", "list", "-p", coded, "--coder", "anna")
        assert listed.output.splitlines()[-1] == counts[n]
    differ = kwali(lang, "disagreements", "-p", coded)
    assert differ.output.splitlines()[-1] == counts[2]
    agree = kwali(lang, "agree", "-p", coded)
    assert agree.output.split()[:2] == header


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("nl", "Fout: --id hoort bij --survey"),
        ("en", "Error: --id only goes with --survey"),
    ],
)
def test_a_usage_error_is_in_the_chosen_language(
    kwali, coded: Path, tmp_path: Path, lang: str, message: str
) -> None:
    source = tmp_path / "a.txt"
    source.write_text("R: ja.\n", encoding="utf-8")
    result = kwali(lang, "import", "-p", coded, source, "--id", "respnr")
    assert result.exit_code == 2 and message in result.output


def test_a_help_text_keeps_its_examples_as_written() -> None:
    """The examples are commands: the same in both languages, each on its own line (\\b)."""
    text = described("Tel codes.", "kwali table a", "kwali table b", after="Alleen-lezen.")
    assert (
        text
        == "Tel codes.\n\n\b\nVoorbeelden: kwali table a\n             kwali table b\n\nAlleen-lezen."
    )


def _help(lang: str, *args: str) -> str:
    env = {**os.environ, "KWALI_LANG": lang, "LANGUAGE": "", "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-c", "from kwali.cli import main; main()", *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nl", ("Tel codes per document", "SOORT is een van:", "Voorbeelden:", "alleen-lezen")),
        ("en", ("Count codes per document", "KIND is one of:", "Examples:", "read-only")),
    ],
)
def test_a_command_help_is_in_the_chosen_language(lang: str, words: tuple[str, ...]) -> None:
    shown = _help(lang, "table")
    for word in words:
        assert word in shown, shown
    assert "kwali table -p studie.kwali cooccurrence --c -o samen.xlsx" in shown


def test_the_english_group_help_starts_in_english() -> None:
    shown = _help("en")
    assert "kwali: code Dutch interview transcripts in the terminal." in shown
    assert "Start: kwali init studie.kwali" in shown
    assert "Language of kwali's texts" in shown
