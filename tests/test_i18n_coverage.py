"""Every text a converted module shows goes through the catalogues, in Dutch and in English.

Two checks, both failing with the file, line and text to fix:

- an AST check of the modules in ``CONVERTED``: a string literal or f-string that reaches the user
  (notify, Static/Label/Button, Binding descriptions, click.echo, error messages, ``title=``,
  ``help=`` ...) must be wrapped in ``_()`` or ``ngettext()``, whose arguments must be plain
  literals (gettext cannot look up an f-string);
- every msgid Babel extracts from kwali/ (as ``make catalogues`` does) has a translation in both
  catalogues (not fuzzy, not empty, the same ``{fields}``), and the compiled .mo files say the same
  as the .po files.

A new module is watched from its first line: wrap its texts (docs/i18n.md), ``make catalogues``.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "kwali" / "locale"

# Every module of kwali: each text it shows goes through the catalogues (a literal that is no
# text says so with `# i18n: keep (why)` on its line).
CONVERTED = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "kwali").rglob("*.py"))

# calls that take texts and non-texts alike (list.append of a column name or an SQL clause):
# a literal is flagged there only when it reads as prose, not as a name or SQL
LOOSE = frozenset({"append", "insert"})
_NAME_OR_SQL = re.compile(r"[a-z_][a-z0-9_]*|.*(\?|\b(SELECT|AND|OR|IN|NOT|EXISTS|FROM)\b).*", re.S)
_MARKUP = re.compile(r"\[/?[a-z ]+\]")


def _prose(text: str) -> bool:
    literal = text.removeprefix("f-string ").strip("'\"")
    return _has_letter(_MARKUP.sub("", literal)) and not _NAME_OR_SQL.fullmatch(literal.strip())


KEYWORDS = {"_": None, "ngettext": (1, 2)}  # the same as `make catalogues`
WRAPPERS = {"_", "ngettext"}
KEEP = "# i18n: keep"

# call → the positional arguments and keywords that are shown to the user
SINK_CALLS: dict[str, tuple[tuple[int, ...], frozenset[str]]] = {
    "notify": ((0,), frozenset({"message", "title"})),
    "Static": ((0,), frozenset({"content", "renderable"})),
    "Label": ((0,), frozenset({"content", "renderable"})),
    "Button": ((0,), frozenset({"label"})),
    "Binding": ((2,), frozenset({"description", "tooltip"})),
    "SystemCommand": ((0, 1), frozenset({"title", "help"})),
    "Option": ((0,), frozenset({"prompt"})),
    "update": ((0,), frozenset({"content"})),
    "Text": ((0,), frozenset({"text"})),  # rich
    "Content": ((0,), frozenset({"text"})),  # textual.content
    "Markdown": ((0,), frozenset({"markdown"})),
    # python-docx: the exports' headings, paragraphs and runs
    "add_heading": ((0,), frozenset({"text"})),
    "add_paragraph": ((0,), frozenset({"text"})),
    "add_run": ((0,), frozenset({"text"})),  # Static.update; dict.update takes no str
    "echo": ((0,), frozenset({"message"})),
    "secho": ((0,), frozenset({"message"})),
    "print": ((0, 1, 2, 3), frozenset()),
    "confirm": ((0,), frozenset({"text"})),
    # rich Text.append, a list of parts shown joined; only prose counts here (see LOOSE)
    "append": ((0,), frozenset({"text"})),
    "insert": ((1,), frozenset()),
    "prompt": ((0,), frozenset({"text"})),
}
# any call: these keywords are shown (click help, Textual titles and placeholders)
SINK_KEYWORDS = frozenset(
    {"title", "help", "placeholder", "tooltip", "prompt", "label", "description", "message",
     "hint", "short_help", "epilog", "border_title", "sub_title"}
)  # fmt: skip
# an error kwali or click shows as it is; Python's own (ValueError ...) are programming errors
PYTHON_ERRORS = frozenset(
    {"ValueError", "TypeError", "KeyError", "IndexError", "RuntimeError", "AssertionError",
     "NotImplementedError", "AttributeError", "LookupError", "OSError", "Exception"}
)  # fmt: skip
# attributes whose value is shown (cell.text: a Word table's cell)
SINK_ATTRIBUTES = frozenset(
    {"TITLE", "SUB_TITLE", "title", "sub_title", "border_title", "border_subtitle",
     "placeholder", "tooltip", "label", "text"}
)  # fmt: skip
# a name holding texts to show later: `HEADERS = ["Code", "Aantal"]`, `title = {...}.get(...)`
SINK_NAME_PARTS = ("header", "heading", "title", "label", "caption", "message", "hint")


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _has_letter(text: str) -> bool:
    return any(char.isalpha() for char in text)


def _unwrapped(node: ast.AST) -> str | None:
    """The text of ``node`` when it shows a literal that did not go through the catalogues."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if _has_letter(node.value) else None
    if isinstance(node, ast.JoinedStr):
        literal = "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
        if _has_letter(literal):
            return f"f-string {literal!r}"
        return None  # f"{a} · {b}": only joins texts that were translated on their own
    if isinstance(node, ast.Call):
        if _callee(node) in WRAPPERS:
            return None
        # "...".format(...) / "...".join(...) / {...}.get(...): the receiver is the text
        if isinstance(node.func, ast.Attribute) and node.func.attr in {"format", "join", "get"}:
            return _unwrapped(node.func.value)
        return None
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return next(filter(None, map(_unwrapped, node.elts)), None)
    if isinstance(node, ast.Dict):  # the values are shown; the keys look them up
        return next(filter(None, map(_unwrapped, node.values)), None)
    if isinstance(node, ast.BinOp):
        return _unwrapped(node.left) or _unwrapped(node.right)
    if isinstance(node, ast.IfExp):
        return _unwrapped(node.body) or _unwrapped(node.orelse)
    if isinstance(node, ast.BoolOp):
        return next(filter(None, map(_unwrapped, node.values)), None)
    return None


def _shown_arguments(call: ast.Call) -> Iterator[ast.AST]:
    name = _callee(call)
    positions, keywords = SINK_CALLS.get(name, ((), frozenset()))
    if name.endswith(("Error", "Exception", "Abort")) and name not in PYTHON_ERRORS:
        positions, keywords = (0,), frozenset({"message", "hint"})
    for index in positions:
        if index < len(call.args):
            yield call.args[index]
    for keyword in call.keywords:
        if keyword.arg in keywords or keyword.arg in SINK_KEYWORDS:
            yield keyword.value


def unwrapped_texts(source: str, filename: str = "<module>") -> list[str]:
    """Every problem of a converted module's source, as ``file:line: what``.

    A line ending in ``# i18n: keep`` (with the reason) is left as it is: a name, not a text.
    """
    tree = ast.parse(source, filename)
    lines = source.splitlines()
    problems = []
    imports_wrapper = False
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "kwali.i18n":
            imports_wrapper = imports_wrapper or any(a.name in WRAPPERS for a in node.names)
        if isinstance(node, ast.Call):
            if _callee(node) in WRAPPERS and isinstance(node.func, ast.Name):
                for arg in node.args[:2]:
                    if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                        problems.append(
                            f"{filename}:{node.lineno}: {node.func.id}() needs a plain string "
                            "literal (use named fields and .format() after it)"
                        )
                continue
            for argument in _shown_arguments(node):
                text = _unwrapped(argument)
                if text and _callee(node) in LOOSE and not _prose(text):
                    continue
                if text:
                    problems.append(
                        f"{filename}:{node.lineno}: {text!r} passed to {_callee(node)}() "
                        "is not wrapped in _()"
                    )
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                name = getattr(target, "attr", getattr(target, "id", ""))
                shown = name in SINK_ATTRIBUTES or any(
                    part in name.lower() for part in SINK_NAME_PARTS
                )
                text = _unwrapped(node.value) if shown else None
                if text:
                    problems.append(
                        f"{filename}:{node.lineno}: {text!r} assigned to {name} "
                        "is not wrapped in _()"
                    )
    if imports_wrapper:  # `_` is the translation function here: a throwaway `_` would hide it
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                problems.append(f"{filename}:{node.lineno}: `_` is rebound; rename the variable")
    return [p for p in problems if KEEP not in lines[int(p.split(":")[1]) - 1]]


def extracted_msgids(directory: Path = ROOT / "kwali") -> dict[str | tuple[str, ...], str]:
    """What `make catalogues` extracts: msgid (a tuple for plurals) → where it was found."""
    found: dict[str | tuple[str, ...], str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(directory), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.setdefault(message, f"{filename}:{lineno}")
    return found


def load_po(lang: str, locale: Path = LOCALE) -> Catalog:
    with (locale / lang / "LC_MESSAGES" / "kwali.po").open("rb") as file:
        return read_po(file, locale=lang)


FIELD = re.compile(r"(?<!\{)\{(\w*)")


def untranslated(
    msgids: dict[str | tuple[str, ...], str], catalogue: Catalog, lang: str
) -> list[str]:
    """Each msgid the catalogue lacks, leaves empty or fuzzy, or translates with other fields."""
    problems = []
    for msgid, where in msgids.items():
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = catalogue.get(key)
        strings = (
            ()
            if message is None
            else message.string
            if isinstance(message.string, tuple)
            else (message.string,)
        )
        if message is None or message.fuzzy or not strings or not all(strings):
            problems.append(f"{lang}: {key!r} ({where}) has no translation")
            continue
        sources = msgid if isinstance(msgid, tuple) else (msgid,)
        wanted = set().union(*(FIELD.findall(s) for s in sources))
        for string in strings:
            if set(FIELD.findall(string)) - wanted:
                problems.append(f"{lang}: {key!r} translated with other {{fields}}: {string!r}")
    return problems


# -- the checks on kwali itself -------------------------------------------------------------------


@pytest.mark.parametrize("module", CONVERTED)
def test_a_converted_module_shows_no_text_outside_the_catalogues(module: str) -> None:
    path = ROOT / module
    assert unwrapped_texts(path.read_text(encoding="utf-8"), module) == []


@pytest.fixture(scope="module")
def msgids() -> dict[str | tuple[str, ...], str]:
    return extracted_msgids()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_extracted_text_is_translated_in_both_catalogues(msgids, lang: str) -> None:
    assert len(msgids) >= 40  # the app's own texts at least: the extraction found them
    assert untranslated(msgids, load_po(lang), lang) == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_compiled_catalogue_says_what_the_po_file_says(lang: str) -> None:
    """A .po edit without `make catalogues` would ship the old texts."""
    with (LOCALE / lang / "LC_MESSAGES" / "kwali.mo").open("rb") as file:
        mo = gettext.GNUTranslations(file)
    stale = []
    for message in load_po(lang):
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            got = tuple(mo.ngettext(message.id[0], message.id[1], n) for n in (1, 2))
            wanted = (message.string[0], message.string[1])
        else:
            got, wanted = mo.gettext(message.id), message.string
        if got != wanted:
            stale.append(message.id)
    assert stale == [], "run `make catalogues`"


def test_the_dutch_catalogue_shows_the_source_texts(msgids) -> None:
    """The msgids are Dutch: the Dutch catalogue is the identity (make catalogues fills it)."""
    catalogue = load_po("nl")
    for msgid in msgids:
        message = catalogue.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        assert message is not None
        assert message.string == msgid, msgid


def test_the_catalogues_hold_the_figures_the_report_gives(msgids) -> None:
    """The count of texts in each catalogue (docs/i18n.md says how to read it)."""
    for lang in ("nl", "en"):
        entries = [m for m in load_po(lang) if m.id]
        assert len(entries) >= len(msgids)


# -- the checks themselves fail on a module that shows a text unwrapped ----------------------------

UNWRAPPED = """
from textual.binding import Binding
from kwali.i18n import _, ngettext

class Screen:
    BINDINGS = [Binding("s", "save", "Opslaan")]
    TITLE = "Documenten"

    def save(self, n, path):
        self.notify("Opgeslagen.")
        self.notify(_("Opgeslagen."), title="Klaar")
        self.query_one(Static).update(f"{n} citaten in {path}")
        click.echo("Wrote " + str(path))
        raise InputError(f"{path}: cannot be read")
        label = Static(_(f"{n} citaten"))
        for _ in range(n):
            pass
        HEADERS = ["Code", _("Aantal")]
        title = {"DocumentsScreen": "documenten"}.get(name, name)
        document.add_paragraph(f"Citaten van {coder}")
        cell.text = "Totaal"
        text.append(" (geleerd)", style="dim")
        clauses.append("coder IN (SELECT value FROM json_each(?))")
        columns.insert(2, "kind")
"""

WRAPPED = """
from textual.binding import Binding
from kwali.i18n import _, ngettext

class Screen:
    BINDINGS = [Binding("s", "save", _("Opslaan"), id="screen.save")]
    TITLE = _("Documenten")

    def save(self, n, path, key):
        self.notify(_("Opgeslagen."), title=_("Klaar"), severity="information")
        self.query_one("#status", Static).update(
            ngettext("{n} citaat in {path}", "{n} citaten in {path}", n).format(n=n, path=path)
        )
        click.echo(f"{key} · {path}")
        raise InputError(_("kan niet gelezen worden"), path=path)
        yield Label("kwali")  # i18n: keep (the program's name)
        HEADERS = [_("Code"), _("Aantal")]
        title = {"DocumentsScreen": _("documenten")}.get(name, name)
        document.add_paragraph(_("Citaten van {coder}").format(coder=coder))
        cell.text = _("Totaal")
        answer_key = {_("Ja"): "yes"}.get(answer)  # an internal key, not shown
"""


def test_the_check_finds_each_unwrapped_text_in_a_module() -> None:
    problems = unwrapped_texts(UNWRAPPED, "fixture.py")
    found = "\n".join(problems)
    for expected in (
        ":6: 'Opslaan' passed to Binding()",
        ":7: 'Documenten' assigned to TITLE",
        ":10: 'Opgeslagen.' passed to notify()",
        ":11: 'Klaar' passed to notify()",
        ":12: \"f-string ' citaten in '\" passed to update()",
        ":13: 'Wrote ' passed to echo()",
        ":14: \"f-string ': cannot be read'\" passed to InputError()",
        ":15: _() needs a plain string literal",
        ":16: `_` is rebound",
        ":18: 'Code' assigned to HEADERS",
        ":19: 'documenten' assigned to title",
        ":20: \"f-string 'Citaten van '\" passed to add_paragraph()",
        ":21: 'Totaal' assigned to text",
        ":22: ' (geleerd)' passed to append()",
    ):
        assert expected in found, (expected, found)
    assert len(problems) == 14, found  # an SQL clause and a column name are no texts


def test_the_check_passes_a_module_whose_texts_are_wrapped() -> None:
    assert unwrapped_texts(WRAPPED, "fixture.py") == []


def test_the_catalogue_check_finds_a_new_text_without_translation(tmp_path: Path) -> None:
    (tmp_path / "new.py").write_text(
        "from kwali.i18n import _\n\nMESSAGE = _('Stoppen')\nOTHER = _('Een nieuwe tekst')\n",
        encoding="utf-8",
    )
    msgids = extracted_msgids(tmp_path)
    assert set(msgids) == {"Stoppen", "Een nieuwe tekst"}
    for lang in ("nl", "en"):
        problems = untranslated(msgids, load_po(lang), lang)
        assert problems == [f"{lang}: 'Een nieuwe tekst' (new.py:4) has no translation"]


def test_a_translation_with_a_field_the_source_lacks_is_found() -> None:
    """.format() would raise KeyError on it; a field left out is allowed ("1 citaat")."""
    catalogue = Catalog(locale="en")
    catalogue.add("toets {key}", "key")
    assert untranslated({"toets {key}": "x.py:1"}, catalogue, "en") == []
    catalogue.add("{n} citaten", "{count} quotes")
    problems = untranslated({"{n} citaten": "x.py:2"}, catalogue, "en")
    assert problems == ["en: '{n} citaten' translated with other {fields}: '{count} quotes'"]


if __name__ == "__main__":  # python tests/test_i18n_coverage.py [FILES]: what is left to wrap
    import sys

    files = [Path(f) for f in sys.argv[1:]] or sorted((ROOT / "kwali").rglob("*.py"))
    total = 0
    for file in files:
        problems = unwrapped_texts(file.read_text(encoding="utf-8"), str(file))
        total += len(problems)
        for problem in problems:
            print(problem)
    print(f"{total} unwrapped texts in {len(files)} files")
