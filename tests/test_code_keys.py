"""One rule for code keys: the codebook screen, the YAML loader and REFI import agree.

A label gives the same key whichever way a code enters kwali (typed in the codebook
screen, loaded from a .qdc/.qdpx), and the YAML loader accepts exactly the keys the screen
accepts, so a codebook saved from a project always loads again.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input

from kwali.codekeys import FALLBACK_KEY, is_valid_key, key_from_label
from kwali.errors import CodebookError
from kwali.io.codebook import dump_codebook, load_codebook, parse_codebook
from kwali.io.qdc import read_qdc, write_qdc
from kwali.io.refi import CODEBOOK_NS
from kwali.model import Code, Codebook
from kwali.store import Project
from kwali.ui.screens import codebook_edits as codebook_screen
from kwali.ui.screens.codebook import CodebookScreen
from kwali.ui.screens.codebook_modals import FormModal

ROOT = Path(__file__).resolve().parents[1]

LABELS = {
    "Één cliënt": "een_client",
    "Sanctie / korting": "sanctie_korting",
    "werk-fit": "werk_fit",
    "  dwang  ": "dwang",
    "ontheffing2": "ontheffing2",
    "Ontvangende organisatie": "ontvangende_organisatie",
    "Straße & Œuvre": "strasse_oeuvre",
    "?!…": FALLBACK_KEY,  # no letter or digit: a key is never empty
}


def yaml_codebook(*codes: tuple[str, str]) -> str:
    lines = ["name: toets", "categories:"]
    for key, label in codes:
        lines += [f"  - key: {key!r}", f"    label: {label!r}"]
    return "\n".join(lines) + "\n"


def qdc_file(path: Path, labels: list[str], description: str = "") -> Path:
    """A .qdc as another tool writes it: names only, no kwali keys."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": "Atlas.ti 23"})
    codes = ET.SubElement(root, "Codes")
    for number, label in enumerate(labels):
        code = ET.SubElement(
            codes, "Code", {"guid": f"00000000-0000-4000-8000-{number:012d}", "name": label}
        )
        if description:
            ET.SubElement(code, "Description").text = description
    path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    return path


@pytest.mark.parametrize(("label", "key"), LABELS.items())
def test_a_label_gives_one_plain_valid_key(label, key):
    assert key_from_label(label) == key
    assert is_valid_key(key)


def test_the_screen_derives_keys_with_the_shared_rule():
    for label in LABELS:
        assert codebook_screen.key_from_label(label) == key_from_label(label)


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("ontvangende_organisatie", True),
        ("Dwang", True),
        ("v1.2-oud", True),
        ("_intern", True),
        ("één_cliënt", False),  # the screen used to accept this; the YAML loader never did
        ("sanctie korting", False),
        ("-dwang", False),
        (".dwang", False),
        ("", False),
    ],
)
def test_yaml_loader_accepts_exactly_the_valid_keys(key, valid):
    text = yaml_codebook((key, "Label"))
    if valid:
        assert parse_codebook(text).codes[0].key == key
    else:
        with pytest.raises(CodebookError):
            parse_codebook(text)
    assert is_valid_key(key) is valid


def test_every_derived_key_loads_from_yaml_and_survives_a_round_trip():
    derived = [(key_from_label(label), label) for label in LABELS]
    book = parse_codebook(yaml_codebook(*derived))
    assert [c.key for c in book.codes] == [key for key, _ in derived]
    assert [c.key for c in parse_codebook(dump_codebook(book)).codes] == [k for k, _ in derived]


def test_refi_import_derives_the_same_keys(tmp_path):
    labels = [label for label in LABELS if key_from_label(label) != FALLBACK_KEY]
    book = read_qdc(qdc_file(tmp_path / "atlas.qdc", labels))
    assert [c.key for c in book.codes] == [key_from_label(label) for label in labels]
    assert [c.label for c in book.codes] == labels


def test_refi_import_of_an_all_symbol_name_gives_the_fallback_key(tmp_path):
    book = read_qdc(qdc_file(tmp_path / "symbols.qdc", ["?!…"]))
    assert [c.key for c in book.codes] == [FALLBACK_KEY]


def test_an_invalid_written_key_in_a_qdc_is_folded_like_a_label(tmp_path):
    written = "[kwali]\nSleutel: één_cliënt\n[/kwali]"  # kwali's block, edited by hand
    book = read_qdc(qdc_file(tmp_path / "hand.qdc", ["Cliënt"], written))
    assert [c.key for c in book.codes] == ["een_client"]


def test_a_valid_key_travels_unchanged_through_qdc(tmp_path):
    codes = (
        Code("ontvangende_organisatie", "Ontvangende organisatie"),
        Code("v1.2-oud", "Iets heel anders"),  # not derivable from the label: written out
    )
    write_qdc(Codebook("toets", codes), tmp_path / "kwali.qdc")
    assert [c.key for c in read_qdc(tmp_path / "kwali.qdc").codes] == [c.key for c in codes]


def test_the_study_codebook_still_loads():
    book = load_codebook(ROOT / "codebooks" / "tegenprestatie.yaml")
    assert book.get("ontvangende_organisatie") is not None
    assert all(is_valid_key(code.key) for code in book.codes)


# --- The codebook screen ------------------------------------------------------------------


class ScreenApp(App[None]):
    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def on_mount(self) -> None:
        self.push_screen(CodebookScreen(self.project, "anna"))


@pytest.fixture
def keys_project():
    """A codebook with one code whose key has an underscore."""
    project = Project.in_memory()
    project.set_codebook(
        Codebook("toets", (Code("ontvangende_organisatie", "Ontvangende organisatie"),)),
        "kwali",
    )
    yield project
    project.close()


async def add_code(pilot, label: str, key: str = "") -> None:  # noqa: ANN001
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormModal)
    pilot.app.screen.query_one("#field-label", Input).value = label
    pilot.app.screen.query_one("#field-key", Input).value = key
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_the_screen_stores_the_key_refi_import_would_give(keys_project, tmp_path):
    labels = ["Één cliënt", "Sanctie / korting", "werk-fit", "  dwang  ", "ontheffing2"]
    app = ScreenApp(keys_project)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        for label in labels:
            await add_code(pilot, label)
            assert isinstance(app.screen, CodebookScreen)
    imported = read_qdc(qdc_file(tmp_path / "same.qdc", labels))
    for label, code in zip(labels, imported.codes, strict=True):
        assert keys_project.code(code.key) is not None, label
    assert keys_project.code("ontvangende_organisatie") is not None


async def test_the_screen_refuses_a_key_the_yaml_loader_refuses(keys_project):
    app = ScreenApp(keys_project)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await add_code(pilot, "Één cliënt", "één_cliënt")
        assert isinstance(app.screen, FormModal)  # stays open with the problem shown
        assert "zonder accenten" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
        await pilot.pause()
        await add_code(pilot, "Werk fit", "werk_fit")  # a valid key typed by hand is kept
        assert isinstance(app.screen, CodebookScreen)
    assert keys_project.code("één_cliënt") is None and keys_project.code("werk_fit") is not None
    with pytest.raises(CodebookError):
        parse_codebook(yaml_codebook(("één_cliënt", "Één cliënt")))


async def test_a_code_made_under_the_old_rule_can_be_relabelled_but_not_renamed_badly():
    project = Project.in_memory()
    project.set_codebook(Codebook("oud", (Code("één_cliënt", "Eén cliënt"),)), "kwali")
    app = ScreenApp(project)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#field-key", Input).value = "twee_cliënten"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)  # a new key follows the rule
        assert "zonder accenten" in str(app.screen.query_one("#error").render())
        app.screen.query_one("#field-key", Input).value = "één_cliënt"
        app.screen.query_one("#field-label", Input).value = "Eén cliënt of meer"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)  # the old key may stay as it is
    assert project.code("één_cliënt").label == "Eén cliënt of meer"
    project.close()
