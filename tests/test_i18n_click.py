"""Click's own texts (the help page's headings, its error lines) speak the user's language too."""

from __future__ import annotations

import gettext
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from test_i18n_coverage import LOCALE, extracted_msgids, load_po, untranslated


def test_every_text_of_the_installed_click_has_dutch() -> None:
    """A click upgrade with new texts fails here until `make catalogues` and their Dutch."""
    msgids = extracted_msgids(Path(click.__file__).parent)
    assert len(msgids) >= 40
    with (LOCALE / "nl" / "LC_MESSAGES" / "click.po").open("rb") as file:
        from babel.messages.pofile import read_po

        catalogue = read_po(file, locale="nl")
    assert untranslated(msgids, catalogue, "nl") == []


def test_the_compiled_click_catalogue_says_what_its_po_file_says() -> None:
    with (LOCALE / "nl" / "LC_MESSAGES" / "click.mo").open("rb") as file:
        mo = gettext.GNUTranslations(file)
    with (LOCALE / "nl" / "LC_MESSAGES" / "click.po").open("rb") as file:
        from babel.messages.pofile import read_po

        po = read_po(file, locale="nl")
    for message in po:
        if message.id and not isinstance(message.id, tuple):
            assert mo.gettext(message.id) == message.string, "run `make catalogues`"


def _kwali(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KWALI_LANG": lang, "LANGUAGE": "", "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-c", "from kwali.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("lang", "usage", "options", "error"),
    [
        ("nl", "Gebruik: kwali documents [OPTIES] OPDRACHT", "Opties:", "Fout: Onbekende optie"),
        ("en", "Usage: kwali documents [OPTIONS] COMMAND", "Options:", "Error: No such option"),
    ],
)
def test_the_help_page_and_click_errors_are_in_the_chosen_language(
    lang: str, usage: str, options: str, error: str
) -> None:
    shown = _kwali("documents", "--help", lang=lang)
    assert shown.returncode == 0, shown.stderr
    assert usage in shown.stdout
    assert options in shown.stdout
    wrong = _kwali("documents", "--bogus", lang=lang)
    assert wrong.returncode == 2
    assert error in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_the_system_language_does_not_mix_into_kwali_language() -> None:
    """A Dutch system (LANGUAGE=nl) with kwali in English: click's headings stay English."""
    env = {**os.environ, "KWALI_LANG": "en", "LANGUAGE": "nl", "LANG": "nl_NL.UTF-8"}
    shown = subprocess.run(
        [sys.executable, "-c", "from kwali.cli import main; main()", "--help"], capture_output=True, text=True, env=env,
        timeout=120,
    )  # fmt: skip
    assert "Usage:" in shown.stdout and "Gebruik" not in shown.stdout


def test_the_dutch_catalogue_of_kwali_itself_is_untouched_by_click() -> None:
    """Click's English source texts live in their own domain, not among kwali's Dutch msgids."""
    assert load_po("nl").get("Usage:") is None
