"""One language per run: --lang, then KWALI_LANG, then Dutch; English complete as the second.

And the app's own texts, Textual's command palette among them, in the language chosen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from kwali import i18n
from kwali.i18n import _, ngettext


@pytest.fixture(autouse=True)
def dutch_around() -> Iterator[None]:
    """Each test starts in Dutch, the default, whatever KWALI_LANG the developer has."""
    i18n.set_language("nl")
    yield
    i18n.set_language("nl")


@pytest.mark.parametrize(
    ("argv", "env", "wanted"),
    [
        ([], {}, "nl"),
        ([], {"KWALI_LANG": "en"}, "en"),
        ([], {"KWALI_LANG": " EN "}, "en"),
        (["--lang", "nl", "tui"], {"KWALI_LANG": "en"}, "nl"),
        (["--lang=en", "export"], {}, "en"),
        # a command's own options are not kwali's: only the leading ones count
        (["export", "--lang", "en"], {}, "nl"),
    ],
)
def test_the_language_comes_from_lang_then_kwali_lang_then_dutch(argv, env, wanted) -> None:
    assert i18n.language_from(argv, env) == wanted


def test_an_unknown_language_is_refused_naming_the_ones_there_are() -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'; choose one of nl, en"):
        i18n.set_language("fr")
    assert i18n.language() == "nl"


def test_a_wrong_kwali_lang_outside_the_cli_gives_dutch(monkeypatch) -> None:
    monkeypatch.setenv("KWALI_LANG", "klingon")
    assert i18n.set_language(None) == "nl"
    monkeypatch.setenv("KWALI_LANG", "en")
    assert i18n.set_language(None) == "en"
    assert _("Stoppen") == "Quit"


def test_english_and_dutch_texts() -> None:
    assert _("Codeboek") == "Codeboek"
    i18n.set_language("en")
    assert _("Codeboek") == "Codebook"
    assert _("toets {key}").format(key="q") == "key q"
    assert (
        _("een tekst die niet in de catalogus staat") == "een tekst die niet in de catalogus staat"
    )


def test_dutch_plurals_without_a_catalogue_entry() -> None:
    """nl and en share n != 1: zero is plural ("0 documenten")."""
    forms = [ngettext("{n} document", "{n} documenten", n).format(n=n) for n in (0, 1, 2)]
    assert forms == ["0 documenten", "1 document", "2 documenten"]


def _compile(locale_dir: Path, lang: str, entries: dict) -> None:
    catalogue = Catalog(locale=lang)
    for msgid, msgstr in entries.items():
        catalogue.add(msgid, msgstr)
    target = locale_dir / lang / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "kwali.mo").open("wb") as file:
        write_mo(file, catalogue)


def test_an_english_catalogue_gives_english_plurals(tmp_path: Path) -> None:
    _compile(tmp_path, "en", {("{n} citaat", "{n} citaten"): ("{n} quote", "{n} quotes")})
    english = i18n.catalogue("en", tmp_path)
    assert [english.ngettext("{n} citaat", "{n} citaten", n).format(n=n) for n in (0, 1, 2)] == [
        "0 quotes",
        "1 quote",
        "2 quotes",
    ]


def test_a_missing_or_damaged_catalogue_falls_back_to_the_dutch_source(tmp_path: Path) -> None:
    assert i18n.catalogue("en", tmp_path).gettext("Stoppen") == "Stoppen"
    damaged = tmp_path / "damaged" / "en" / "LC_MESSAGES"
    damaged.mkdir(parents=True)
    (damaged / "kwali.mo").write_bytes(b"not a catalogue")
    assert i18n.catalogue("en", tmp_path / "damaged").gettext("Stoppen") == "Stoppen"


def test_the_catalogues_ship_with_the_package() -> None:
    """pip install -e and a clean clone find them: they are committed next to the code."""
    for lang in i18n.LANGUAGES:
        assert (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "kwali.mo").is_file()


def _in_english(code: str) -> str:
    env = {**os.environ, "KWALI_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout


def test_the_app_speaks_english_with_kwali_lang_en() -> None:
    """Class-level texts (the bindings) follow the language chosen before kwali starts."""
    out = _in_english(
        "from kwali.store import Project\n"
        "from kwali.ui.app import KwaliApp\n"
        "with Project.in_memory() as project:\n"
        "    app = KwaliApp(project, 'anna')\n"
        "    bindings = [b for bs in app._bindings.key_to_bindings.values() for b in bs]\n"
        "    print('|'.join(f'{b.key}={b.description}' for b in bindings))"
    )
    described = dict(pair.split("=", 1) for pair in out.strip().split("|"))
    assert described["q"] == described["ctrl+q"] == "Quit"  # ctrl+q is Textual's own
    assert described["ctrl+p"] == "commands"  # the footer's "^p palette"
    assert (described["k"], described["o"], described["g"]) == ("Codebook", "Quotes", "Agreement")
    assert {"Memos", "Survey", "Summaries"} <= set(described.values())


def test_a_project_that_cannot_open_says_so_in_the_language_chosen(tmp_path: Path) -> None:
    missing = tmp_path / "geen.kwali"
    env = {**os.environ, "KWALI_LANG": "en"}
    code = f"from kwali.ui.app import run; raise SystemExit(run({str(missing)!r}, 'anna'))"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("kwali: error: ")
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "KWALI_LANG": "nl"},
        capture_output=True,
        text=True,
    )
    assert result.stderr.startswith("kwali: fout: ")


# -- Textual's own texts inside the Dutch UI ------------------------------------------------------


@pytest.fixture
def app():
    from kwali.store import Project
    from kwali.ui.app import KwaliApp

    with Project.in_memory() as project:
        yield KwaliApp(project, "anna")


async def test_the_command_palette_speaks_dutch(app) -> None:
    from textual.command import CommandPalette
    from textual.widgets import Input

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(Input).placeholder == "Zoek een opdracht…"
        await pilot.press(*"xqzxqz")
        await pilot.pause(0.8)  # Textual waits 0.5 s before saying nothing matched
        shown = [
            str(option.prompt.renderable) for option in palette.query_one("CommandList")._options
        ]
        assert shown == ["Geen opdracht gevonden"]


async def test_textuals_own_commands_and_keys_speak_dutch(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Thema", "Schermafbeelding", "Stoppen", "Codeboek"} <= set(titles)
        assert not {"Theme", "Quit", "Keys", "Screenshot", "Focus Next"} & set(titles)
        assert "opdrachten" not in titles  # the palette's own key, in the palette
        footer_palette = app.screen.active_bindings["ctrl+p"].binding
        assert footer_palette.description == "opdrachten"
        assert app.screen.active_bindings["ctrl+q"].binding.description == "Stoppen"
        await pilot.press("ctrl+c")  # Textual: "Press ctrl+q to quit the app"
        await pilot.pause()
        notice = list(app._notifications)[-1]
        assert notice.title == "Wil je stoppen?"
        assert "om kwali te sluiten" in notice.message
        app.action_change_theme()
        await pilot.pause()
        assert app.screen.query_one("Input").placeholder == "Zoek een thema…"


async def test_the_help_screen_still_lists_kwalis_q_not_textuals_ctrl_q(app) -> None:
    from kwali.ui.screens.help import HelpScreen

    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert ("q", "Stoppen") in app.screen.rows
        assert not [key for key, _text in app.screen.rows if key in {"^q", "^p"}]


async def test_the_command_palette_speaks_english_when_chosen(app) -> None:
    """Texts made at run time follow set_language (the palette is built when it opens)."""
    from textual.widgets import Input

    i18n.set_language("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(Input).placeholder == "Search for a command…"
        await pilot.press(*"xqzxqz")
        await pilot.pause(0.8)
        options = app.screen.query_one("CommandList")._options
        assert [str(option.prompt.renderable) for option in options] == ["No command found"]
        titles = {command.title for command in app.get_system_commands(app.screen)}
        # made at run time; the bindings' texts were made at import, in Dutch (a subprocess
        # with KWALI_LANG=en shows them in English: test_the_app_speaks_english_...)
        assert {"Theme", "Screenshot"} <= titles


async def test_textuals_english_widget_keys_stay_out_of_the_palette(app) -> None:
    """An input's editing keys ("Move cursor left", "Copy selected text") are Textual's, in English."""
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash")  # the project search: a focused Input
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Terug" in titles
        assert not {"Move cursor left", "Copy selected text", "Focus Next", "Submit"} & titles
