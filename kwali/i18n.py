"""One language per run, chosen by the user: gettext catalogues for every text kwali shows.

The language comes from ``--lang``, then ``KWALI_LANG``, then Dutch (``nl``); English (``en``)
is the complete second. A missing or unreadable catalogue is no error: the text then shows as
written in the code, which is Dutch.

Source texts (msgids) are Dutch, in every layer (CLI included), because:

- Dutch is the default and the language of the work (interviews, codebooks, exports), so a
  missing catalogue falls back to the default language, not to a mix;
- the UI and the exports, most of kwali's text, are written in Dutch today: converting them is
  wrapping alone, and every snapshot and test of the Dutch UI stays as it is;
- one source language gives one msgid per text across CLI, UI and exports, so a term is
  translated once and reads alike everywhere;
- Dutch and English share the plural rule (``n != 1``), so :func:`ngettext` is right even with
  no catalogue at all.

The CLI's English texts therefore move into the English catalogue when the CLI is converted:
there each English literal gets its Dutch wording in the code and its English as ``msgstr``.

Texts are translated when ``_()`` runs. Class-level texts (``BINDINGS``, click ``help=``) run at
import, so the language is fixed for the process before text-bearing modules are imported:
``kwali.cli`` reads ``--lang``/``KWALI_LANG`` from ``sys.argv`` first (:func:`language_from`),
and without it the first ``_()`` reads ``KWALI_LANG``. Tests that need the English UI run kwali
in a subprocess with ``KWALI_LANG=en``; texts built at run time follow :func:`set_language`.

Converting a module (the recipe; docs/i18n.md has it with examples):

1. ``from kwali.i18n import _, ngettext`` (rename any throwaway variable ``_`` first: ``_`` is
   the translation function in a converted module).
2. Wrap every text the user sees: ``"Opgeslagen."`` becomes ``_("Opgeslagen.")``. An f-string
   becomes a format string with named fields: ``f"{n} citaten in {path}"`` becomes
   ``_("{n} citaten in {path}").format(n=n, path=path)`` (gettext cannot look up an f-string).
   A count picks its form: ``ngettext("{n} document", "{n} documenten", n).format(n=n)``.
   Names, keys, ids, CSS and file formats stay unwrapped; a literal the test watches that is
   no text (the program's name) ends its line with ``# i18n: keep (why)``. Logic must not test a
   message's wording (it changes with the language): compare a code such as
   ``ProjectError.reason``.
3. Nothing to register: tests/test_i18n_coverage.py watches every module of kwali.
4. ``make catalogues`` (extract, update, fill the Dutch catalogue, compile), then write the
   English ``msgstr`` of each new entry in kwali/locale/en/LC_MESSAGES/kwali.po and run
   ``make catalogues`` again; commit the .po and .mo files.
5. ``pytest tests/test_i18n*.py``: it fails on any text left unwrapped or untranslated.

>>> set_language("en"), _("Stoppen")
('en', 'Quit')
>>> set_language("nl"), _("Stoppen"), ngettext("{n} document", "{n} documenten", 2).format(n=2)
('nl', 'Stoppen', '2 documenten')
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path

DOMAIN = "kwali"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
ENV_VAR = "KWALI_LANG"

__all__ = [
    "LANGUAGES",
    "TranslatedWords",
    "_",
    "language",
    "language_from",
    "ngettext",
    "set_language",
]

_current: str | None = None


def language_from(argv: Sequence[str] = (), environ: Mapping[str, str] | None = None) -> str:
    """The language asked for: ``--lang`` among the leading options, then ``KWALI_LANG``, then nl.

    Only the options before the command are kwali's own (``kwali --lang en export ...``), so the
    scan stops at the first word that is not an option. An unknown value is returned as it is:
    :func:`set_language` and the CLI's option check say what is wrong with it.

    >>> language_from(["--lang", "en", "tui"], {})
    'en'
    >>> language_from(["--lang=en"], {"KWALI_LANG": "nl"})
    'en'
    >>> language_from(["tui", "--lang", "en"], {"KWALI_LANG": "en"})
    'en'
    >>> language_from([], {})
    'nl'
    """
    args = list(argv)
    while args and args[0].startswith("-"):
        arg = args.pop(0)
        if arg == "--lang" and args:
            return args[0].strip().lower()
        if arg.startswith("--lang="):
            return arg.partition("=")[2].strip().lower()
    env = os.environ if environ is None else environ
    return env.get(ENV_VAR, "").strip().lower() or DEFAULT_LANGUAGE


def set_language(lang: str | None = None) -> str:
    """Use ``lang`` from now on (None: ``KWALI_LANG`` or Dutch); returns the language in use.

    Raises ValueError naming the languages there are when ``lang`` is not one of them.
    """
    global _current
    chosen = language_from((), None) if lang is None else lang.strip().lower()
    if chosen not in LANGUAGES:
        if lang is None:  # a wrong KWALI_LANG outside the CLI (tui.py): the default, quietly
            chosen = DEFAULT_LANGUAGE
        else:
            raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current = chosen
    return chosen


def language() -> str:
    """The language in use (chosen on first use when nobody set it)."""
    return _current if _current is not None else set_language(None)


@cache
def catalogue(
    lang: str, locale_dir: Path = LOCALE_DIR, domain: str = DOMAIN
) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang``; without one, texts show as written (Dutch).

    ``domain="click"`` is the command-line library's own texts ("Usage:"), in Dutch only: their
    source is English.
    """
    try:
        with open(locale_dir / lang / "LC_MESSAGES" / f"{domain}.mo", "rb") as mo:
            return gettext.GNUTranslations(mo)
    except (OSError, ValueError, UnicodeDecodeError):  # absent, unreadable or damaged
        return gettext.NullTranslations()


def _(message: str) -> str:
    """``message`` (a Dutch source text) in the language in use."""
    return catalogue(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` (Dutch source texts) for ``n``, in the language in use."""
    return catalogue(language()).ngettext(singular, plural, n)


class TranslatedWords(Mapping[str, str]):
    """``{key: word}`` whose words are translated when read, not when the module is imported
    (a screen or an export made after the language was chosen gets that language)."""

    def __init__(self, words: Callable[[], dict[str, str]]) -> None:
        self._words = words

    def __getitem__(self, key: str) -> str:
        return self._words()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._words())

    def __len__(self) -> int:
        return len(self._words())


def fill_source_catalogue(po_path: str | Path) -> int:
    """Give every entry of the Dutch catalogue its msgid as translation; returns how many changed.

    The msgids are Dutch, so the Dutch catalogue is the identity; ``make catalogues`` runs this
    after ``pybabel update`` so nobody types them (and a changed msgid is not left fuzzy).
    """
    from babel.messages.pofile import read_po, write_po

    path = Path(po_path)
    with path.open("rb") as file:
        po = read_po(file, locale="nl")
    changed = 0
    for message in po:
        if not message.id:
            continue
        wanted = message.id if isinstance(message.id, str) else tuple(message.id)
        if message.string != wanted or message.fuzzy:
            message.string = wanted
            message.flags.discard("fuzzy")
            changed += 1
    with path.open("wb") as file:
        write_po(file, po, width=100)
    return changed


if __name__ == "__main__":  # python -m kwali.i18n PO_FILE: used by `make catalogues`
    import sys

    for po_file in sys.argv[1:]:
        filled = fill_source_catalogue(po_file)
        print(f"{po_file}: {filled} Dutch entries filled")  # i18n: keep (a build step's log)
