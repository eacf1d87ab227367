"""Reading surveys: .csv (; or ,), .xlsx and .sav give the same table; bad files are refused
in one line naming the file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from survey_data import CLOSED, ID_COLUMN, QUESTIONS, write_survey

from kwali.errors import InputError
from kwali.io.survey import read_survey


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".sav"])
def test_every_format_reads_the_same_survey(tmp_path: Path, suffix: str) -> None:
    table = read_survey(write_survey(tmp_path / f"enquete{suffix}", 40, seed=3))
    reference = read_survey(write_survey(tmp_path / "ref.csv", 40, seed=3))
    assert table.names == [ID_COLUMN, *CLOSED, *QUESTIONS]
    assert len(table.rows) == 40
    for name in table.names:
        assert table.values(name) == reference.values(name), name
    assert table.column("leeftijd").kind == "number"
    assert table.values(ID_COLUMN)[:2] == ["1001", "1002"]  # no "1001.0" from SPSS


def test_sav_brings_question_labels_and_value_labels(tmp_path: Path) -> None:
    table = read_survey(write_survey(tmp_path / "enquete.sav", 30))
    aanpak = table.column("aanpak")
    assert aanpak.label == "Aanpak"
    assert dict(aanpak.value_labels) == {"1": "Prestatie010", "2": "Meedoen010"}
    assert set(table.values("aanpak")) == {"Prestatie010", "Meedoen010"}
    assert {r[table.names.index("aanpak")] for r in table.rows} == {"1", "2"}  # stored raw
    assert table.column("Q7").label == "Waarom doet u mee aan de tegenprestatie?"
    assert table.column("leeftijd").kind == "number"
    assert table.column("Q7").kind == "text"


def test_csv_with_commas_quotes_and_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "oud.csv"
    text = 'nr,groep,Q7\r\n1,"a, b","Ik moest komen; zei de coach"\r\n2,c,"Te ziek, één keer"\r\n'
    path.write_bytes(text.encode("cp1252"))
    table = read_survey(path)
    assert table.names == ["nr", "groep", "Q7"]
    assert table.values("groep") == ["a, b", "c"]
    assert table.values("Q7") == ["Ik moest komen; zei de coach", "Te ziek, één keer"]


def test_dutch_excel_csv_with_trailing_semicolons_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "nl.csv"
    path.write_text("nr;leeftijd;Q7;;\n1;34,5;ja;;\n\n2;40;nee;;\n;;;;\n", encoding="utf-8")
    table = read_survey(path)
    assert table.names == ["nr", "leeftijd", "Q7"]
    assert table.rows == (("1", "34,5", "ja"), ("2", "40", "nee"))
    assert table.column("leeftijd").kind == "number"


def _refused(path: Path, words: str) -> None:
    with pytest.raises(InputError) as caught:
        read_survey(path)
    line = caught.value.one_line()
    assert "\n" not in line and str(path) in line and words in line, line


def test_a_sav_that_is_not_one(tmp_path: Path) -> None:
    path = tmp_path / "nep.sav"
    path.write_text("respnr;Q7\n1;ja\n", encoding="utf-8")
    _refused(path, "is geen SPSS-bestand (.sav)")
    broken = tmp_path / "kapot.sav"
    good = write_survey(tmp_path / "goed.sav", 20).read_bytes()
    broken.write_bytes(good[: len(good) // 3])
    _refused(broken, "is geen SPSS-bestand (.sav)")


def test_bad_files_are_refused_in_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.csv"
    empty.write_bytes(b"")
    _refused(empty, "leeg")
    header = tmp_path / "kop.csv"
    header.write_text("respnr;Q7\n", encoding="utf-8")
    _refused(header, "geen respondenten")
    nul = tmp_path / "nul.xlsx"
    nul.write_bytes(b"PK\x03\x04 not really a zip")
    _refused(nul, "is geen Excel-werkmap")
    twice = tmp_path / "twee.csv"
    twice.write_text("respnr;Q7;Q7\n1;a;b\n", encoding="utf-8")
    _refused(twice, "twee kolommen met de naam 'Q7'")
    wide = tmp_path / "breed.csv"
    wide.write_text("respnr;Q7\n1;a;b;c\n", encoding="utf-8")
    _refused(wide, "rij 2 heeft 4 cellen")
    nameless = tmp_path / "naamloos.csv"
    nameless.write_text("respnr;;Q7\n1;x;a\n", encoding="utf-8")
    _refused(nameless, "kolom 2 heeft geen naam")
    other = tmp_path / "enquete.ods"
    other.write_bytes(b"x")
    _refused(other, "is geen enquêtebestand")


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(300):  # 300 MB of spaces, a few hundred kB zipped
                member.write(b" " * 2**20)
    _refused(path, "pakt uit tot")


def test_a_nul_in_a_cell_is_refused_naming_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_text("respnr;Q7\n1;a\x00b\n", encoding="utf-8")
    with pytest.raises(InputError):  # the decoder sees the NUL first, or the cell check does
        read_survey(path)


def test_a_damaged_sav_that_crashes_the_spss_reader_is_one_line(tmp_path: Path) -> None:
    """ReadStat segfaults on some damaged files (byte 1619 of this one sits in its variable
    records); the .sav is read in a child process, so kwali survives and says so."""
    path = write_survey(tmp_path / "kapot.sav", 30)
    data = bytearray(path.read_bytes())
    data[1619] = 107
    path.write_bytes(bytes(data))
    _refused(path, "is geen SPSS-bestand (.sav) dat kwali kan lezen")


def test_a_crashed_reader_child_is_one_line(tmp_path: Path, monkeypatch) -> None:
    import subprocess

    path = write_survey(tmp_path / "enquete.sav", 5)
    crashed = subprocess.CompletedProcess([], -11, stdout=b"", stderr=b"")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: crashed)
    _refused(path, "de SPSS-lezer liep erop vast")
