"""Every file kwali writes is private (0600) and atomic: a failed write keeps the old file."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from kwali.errors import ExportError, KwaliError
from kwali.export.files import write_csv, write_with
from kwali.io.codebook import save_codebook
from kwali.io.private import private_output, write_private
from kwali.model import Code, Codebook


def mode(path) -> int:  # type: ignore[no-untyped-def]
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():  # type: ignore[no-untyped-def]
    """A umask that would make new files world-readable."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_codebooks_and_exports_are_0600_even_over_a_readable_file(tmp_path, open_umask):
    codebook, table = tmp_path / "codeboek.yaml", tmp_path / "tabel.csv"
    for path in (codebook, table):
        path.write_text("oud")
        path.chmod(0o644)
    save_codebook(Codebook("t", (Code("dwang", "Dwang"),)), codebook)
    write_csv(pd.DataFrame({"a": [1]}), table, force=True)
    assert mode(codebook) == mode(table) == 0o600
    assert "dwang" in codebook.read_text() and table.read_text(encoding="utf-8-sig") == "a\n1\n"


def test_a_writer_that_recreates_the_file_still_leaves_it_private(tmp_path, open_umask):
    out = tmp_path / "rapport.docx"

    def recreate(tmp):  # type: ignore[no-untyped-def]
        tmp.unlink()
        tmp.write_text("nieuw")  # a fresh file: 0644 under this umask

    write_with(out, recreate)
    assert mode(out) == 0o600 and out.read_text() == "nieuw"


def test_a_failed_write_leaves_the_old_file_untouched_and_no_debris(tmp_path, monkeypatch):
    out = tmp_path / "codeboek.yaml"
    out.write_text("oud")

    def refuse(src, dst):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError) as error:
        write_private(out, b"nieuw")
    assert error.value.one_line() == (
        f"{out}: kan niet geschreven worden (Permission denied) (het bestand of de map is alleen-lezen)"
    )
    assert out.read_text() == "oud"
    assert [p.name for p in tmp_path.iterdir()] == ["codeboek.yaml"]


def test_an_error_in_the_writer_keeps_the_old_file(tmp_path):
    out = tmp_path / "tabel.xlsx"
    out.write_text("oud")
    with pytest.raises(ExportError, match="kan niet geschreven worden") as error:
        with private_output(out, hint="is it open in another program?") as tmp:
            tmp.write_text("half")
            raise OSError(28, "No space left on device")
    assert isinstance(error.value, KwaliError) and "\n" not in error.value.one_line()
    assert error.value.one_line() == (
        f"{out}: kan niet geschreven worden (No space left on device) "
        "(de schijf is vol: maak ruimte vrij en probeer het opnieuw)"
    )
    assert out.read_text() == "oud" and [p.name for p in tmp_path.iterdir()] == ["tabel.xlsx"]


def test_a_missing_folder_is_one_line_naming_the_file(tmp_path):
    out = tmp_path / "nergens" / "codeboek.yaml"
    with pytest.raises(ExportError) as error:
        write_private(out, b"x")
    assert (
        error.value.one_line() == f"{out}: kan niet geschreven worden (No such file or directory)"
    )
