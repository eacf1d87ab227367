"""The documents, codebook, export, search and backup commands speak the language of the run:
Dutch by default, English with --lang en (messages) or KWALI_LANG=en (help texts too)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kwali.cli import cli


def _run(runner, *args: object):  # noqa: ANN001, ANN202
    return runner.invoke(cli, [str(a) for a in args])


def test_an_error_line_in_dutch_and_in_english(coded: Path, runner) -> None:  # noqa: ANN001
    dutch = _run(runner, "documents", "place", "-p", coded, "x9")
    assert dutch.exit_code == 1
    assert "'x9' is geen item van kwali documents review (c12, m4, u3)" in dutch.output
    english = _run(runner, "--lang", "en", "documents", "place", "-p", coded, "x9")
    assert english.exit_code == 1
    assert "'x9' is not an item of kwali documents review (c12, m4, u3)" in english.output


def test_counts_take_the_right_form_in_both_languages(coded: Path, runner) -> None:  # noqa: ANN001
    dutch = _run(runner, "documents", "-p", coded)
    assert dutch.output.splitlines()[-1] == "1 document."
    assert "coderingen: anna 5, bram 4" in dutch.output and " beurten " in dutch.output
    english = _run(runner, "--lang", "en", "documents", "-p", coded)
    assert english.output.splitlines()[-1] == "1 document."
    assert "codings: anna 5, bram 4" in english.output and " turns " in english.output
    codes = _run(runner, "--lang", "en", "codes", "-p", coded)
    assert codes.output.splitlines()[-1] == "4 codes."
    assert "category" in codes.output and "7 codings" in codes.output
    dutch_codes = _run(runner, "codes", "-p", coded)
    assert "categorie" in dutch_codes.output and "7 coderingen" in dutch_codes.output


def test_an_export_and_a_search_say_what_they_did_in_the_language_chosen(
    coded: Path,
    runner,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    out = tmp_path / "boek.yaml"
    dutch = _run(runner, "codebook", "export", "-p", coded, "-o", out)
    assert dutch.output == f"Codeboek (4 codes) geschreven naar {out}.\n"
    english = _run(runner, "--lang", "en", "codebook", "export", "-p", coded, "-o", out, "--force")
    assert english.output == f"Wrote the codebook (4 codes) to {out}.\n"
    found = _run(runner, "--lang", "en", "search", "-p", coded, "qqqq")
    assert found.output.splitlines()[-1] == "0 sentences in 0 documents (of 1)."
    gevonden = _run(runner, "search", "-p", coded, "qqqq")
    assert gevonden.output.splitlines()[-1] == "0 zinnen in 0 documenten (van 1)."


def test_a_usage_error_is_translated_too(coded: Path, runner) -> None:  # noqa: ANN001
    assert "geef -o/--output BESTAND of --list" in _run(runner, "backup", "-p", coded).output
    english = _run(runner, "--lang", "en", "backup", "-p", coded)
    assert english.exit_code == 2 and "give either -o/--output FILE or --list" in english.output


def test_the_help_is_english_with_kwali_lang_en() -> None:
    """Help texts are made when the commands are imported: a run with KWALI_LANG=en."""

    def helped(lang: str, *command: str) -> str:
        env = {**os.environ, "KWALI_LANG": lang, "COLUMNS": "200"}
        return subprocess.run(
            [
                sys.executable,
                "-c",
                "from kwali.cli import cli; cli(prog_name='kwali')",
                *command,
                "-h",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    english = helped("en", "words")
    assert "Word frequencies of a code, a document or a group" in english
    assert "Examples:" in english and "kwali words -p studie.kwali --code dwang" in english
    assert "ATTRIBUTE=VALUE" in english and "Overwrite the output file if it exists." in english
    dutch = helped("nl", "words")
    assert "Woordfrequenties van een code, een document of een groep" in dutch
    assert "KENMERK=WAARDE" in dutch and "Overschrijf het uitvoerbestand" in dutch
    assert "Remove DOCUMENT (its number or name)" in helped("en", "documents", "remove")
