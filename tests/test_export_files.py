"""Writing export files: private, atomic, never over an existing or open file by accident."""

from __future__ import annotations

import os
import stat

import openpyxl
import pandas as pd
import pytest

from kwali.errors import ExportError
from kwali.export.files import format_for, write_csv, write_with, write_xlsx

TABLE = pd.DataFrame(
    {"code": ["dwang", "sanctie"], "text": ["Één keer ‘gekort’ (…) [naam]", "=SOM(A1)"]}
)


def test_csv_is_private_and_reads_back_verbatim(tmp_path):
    out = write_csv(TABLE, tmp_path / "citaten.csv")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    back = pd.read_csv(out, encoding="utf-8-sig")
    # verbatim, except OWASP's ' before a cell a spreadsheet would run as a formula
    assert list(back["text"]) == ["Één keer ‘gekort’ (…) [naam]", "'=SOM(A1)"]
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the accents
    semicolon = write_csv(TABLE, tmp_path / "nl.csv", sep=";")
    assert "code;text" in semicolon.read_text(encoding="utf-8-sig")


def test_xlsx_keeps_text_as_text(tmp_path):
    out = write_xlsx(
        {"citaten": TABLE.assign(text=[*TABLE["text"][:1], "=SOM(A1)\x07"])},
        tmp_path / "c.xlsx",
        wrap=("text",),
    )
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    sheet = openpyxl.load_workbook(out)["citaten"]
    assert [c.value for c in sheet[1]] == ["code", "text"]
    assert sheet["B2"].value == "Één keer ‘gekort’ (…) [naam]"
    assert sheet["B3"].value == "=SOM(A1)" and sheet["B3"].data_type == "s"  # no formula, no BEL
    assert sheet.freeze_panes == "A2"


def test_existing_file_is_refused_unless_forced(tmp_path):
    out = tmp_path / "citaten.csv"
    out.write_text("oud")
    with pytest.raises(ExportError) as error:
        write_csv(TABLE, out)
    assert str(out) in error.value.one_line() and "--force" in error.value.one_line()
    assert out.read_text() == "oud"
    write_csv(TABLE, out, force=True)
    assert "dwang" in out.read_text(encoding="utf-8-sig")


def test_missing_folder_and_folder_target(tmp_path):
    with pytest.raises(ExportError, match="map bestaat niet") as error:
        write_csv(TABLE, tmp_path / "nergens" / "c.csv")
    assert "nergens" in error.value.one_line()
    (tmp_path / "map.csv").mkdir()
    with pytest.raises(ExportError, match="is een map"):
        write_csv(TABLE, tmp_path / "map.csv", force=True)


def test_file_open_in_libreoffice_or_word_is_refused(tmp_path):
    out = tmp_path / "rapport.docx"
    out.write_text("oud")
    lock = tmp_path / ".~lock.rapport.docx#"
    lock.write_text("anna")
    with pytest.raises(ExportError, match="geopend in een ander programma"):
        write_with(out, lambda tmp: tmp.write_text("nieuw"), force=True)
    lock.unlink()
    (tmp_path / "~$pport.docx").write_text("")  # Word's owner file
    with pytest.raises(ExportError, match="geopend in een ander programma"):
        write_with(out, lambda tmp: tmp.write_text("nieuw"), force=True)
    assert out.read_text() == "oud"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_target_is_refused(tmp_path):
    out = tmp_path / "c.csv"
    out.write_text("oud")
    out.chmod(0o400)
    with pytest.raises(ExportError, match="kan niet overschreven worden"):
        write_csv(TABLE, out, force=True)


def test_a_failing_writer_leaves_the_old_file_and_no_debris(tmp_path):
    out = tmp_path / "c.xlsx"
    out.write_text("oud")

    def broken(tmp):
        tmp.write_text("half")
        raise ExportError("stopped halfway")

    with pytest.raises(ExportError, match="halfway"):
        write_with(out, broken, force=True)
    assert out.read_text() == "oud"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.xlsx"]


def test_format_comes_from_the_extension_or_the_option(tmp_path):
    assert format_for(tmp_path / "a.XLSX", None) == "xlsx"
    assert format_for(tmp_path / "a.txt", "csv") == "csv"
    with pytest.raises(ExportError, match="extensie"):
        format_for(tmp_path / "a.txt", None)
    with pytest.raises(ExportError, match="kan niet als docx geschreven worden"):
        format_for(tmp_path / "a.docx", "docx", ("csv", "xlsx"))


def test_file_locked_by_another_program_is_refused(tmp_path, monkeypatch):
    """On Windows, a file open in Word cannot be opened for writing: simulate that."""
    out = tmp_path / "c.csv"
    out.write_text("oud")

    def locked(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(out))

    monkeypatch.setattr("kwali.export.files.open", locked, raising=False)
    with pytest.raises(ExportError, match="kan niet overschreven worden") as error:
        write_csv(TABLE, out, force=True)
    assert str(out) in error.value.one_line() and "\n" not in error.value.one_line()
    assert out.read_text() == "oud"
