"""Exports on a full disk, after a killed export, next to a planted symlink; `kwali show`
with terminal escapes in a transcript.

A full disk is one line that says the disk is full (not "open in another program"), with
no traceback from a half-closed zip; the old file stays and no temporary file is left. A
killed export's temporary file is removed by the next export to that target; the private
writer never follows a symlink planted at its temporary name.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kwali.cli import cli
from kwali.errors import ExportError
from kwali.io.codebook import save_codebook
from kwali.io.private import TEMP_MARK, remove_stale_temps, temp_prefix, write_private
from kwali.io.qdc import write_qdc
from kwali.model import Code, Codebook
from kwali.store import Project

from helpers import add_interview

CODEBOOK = Codebook("t", (Code("dwang", "Dwang"), Code("brief", "Brieven")))
FULL = "(de schijf is vol: maak ruimte vrij en probeer het opnieuw)"


@pytest.fixture(scope="module")
def small_study(tmp_path_factory):
    path = tmp_path_factory.mktemp("study") / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(CODEBOOK)
        sentences = add_interview(project, "buurthuis")
        for unit in sentences[:4]:
            project.add_coding(unit.document_id, unit.start, unit.end, "dwang", "anna")
    return path


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def unraisable(monkeypatch):
    """What Python would print as "Exception ignored in ..." (e.g. from ZipFile.__del__)."""
    import gc

    seen: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    yield seen
    gc.collect()


@pytest.fixture
def tiny_disk(tmp_path):
    """A 256 KB tmpfs, where the machine lets the test mount one (root on Linux)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mount = ["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(disk)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("this machine does not let the test mount a tmpfs")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path) -> None:
    """Fill ``disk`` to its last byte."""
    with open(disk / "vulsel", "wb", buffering=0) as filler:
        for size in (65536, 4096, 1):
            try:
                while True:
                    filler.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC


@pytest.mark.parametrize(
    "name", ["citaten.docx", "citaten.xlsx", "citaten.csv", "rapport.docx", "project.qdpx"]
)
def test_a_full_disk_is_one_line_that_says_so(small_study, tiny_disk, unraisable, name):
    out = tiny_disk / name
    out.write_text("oud")
    _fill(tiny_disk)
    what = {"rapport.docx": "report", "project.qdpx": "qdpx"}.get(name, "quotes")
    result = run("export", what, "-p", small_study, "-o", out, "--force")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"kwali: fout: {out}: kan niet geschreven worden (No space left on device) {FULL}"
    ]
    import gc

    gc.collect()  # a ZipFile left open would complain now
    assert unraisable == []
    assert out.read_text() == "oud"
    assert sorted(p.name for p in tiny_disk.iterdir()) == sorted([name, "vulsel"])


def test_a_simulated_full_disk_leaves_no_partial_export(small_study, tmp_path, monkeypatch):
    """Where no tmpfs can be mounted: the write to the temporary file fails with ENOSPC."""
    out = tmp_path / "citaten.xlsx"
    out.write_text("oud")
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if TEMP_MARK in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    if not os.path.exists("/proc/self/fd"):
        pytest.skip("needs /proc to tell the temporary file's descriptor")
    monkeypatch.setattr(os, "write", full)
    result = run("export", "quotes", "-p", small_study, "-o", out, "--force")
    assert result.exit_code == 1 and FULL in result.output
    assert "open in een ander programma" not in result.output
    assert out.read_text() == "oud" and [p.name for p in tmp_path.iterdir()] == [out.name]


def test_the_hint_fits_the_cause(tmp_path, monkeypatch):
    out = tmp_path / "c.csv"
    causes = {
        errno.EROFS: "(de schijf is alleen-lezen)",
        errno.EACCES: "(het bestand of de map is alleen-lezen)",
        errno.EBUSY: "(is het open in een ander programma? sluit het en probeer het opnieuw)",
        errno.EIO: "",
    }
    for code, hint in causes.items():

        def refuse(src, dst, code=code):  # type: ignore[no-untyped-def]
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, "replace", refuse)
        with pytest.raises(ExportError) as error:
            write_private(out, b"x")
        assert (
            error.value.one_line()
            == f"{out}: kan niet geschreven worden ({os.strerror(code)}) {hint}".strip()
        )


# -- temporary files -------------------------------------------------------------------------
KILLED_WRITER = """
import sys, time
from pathlib import Path
from kwali.io.private import private_output
with private_output(Path(sys.argv[1])) as tmp:
    tmp.write_text("half")
    print(tmp, flush=True)
    time.sleep(60)
"""


def _age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past), follow_symlinks=False)


def test_a_killed_exports_temporary_file_is_gone_after_the_next_export(small_study, tmp_path):
    out = tmp_path / "citaten.csv"
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(out)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    left = Path(writer.stdout.readline().strip())
    writer.kill()  # SIGKILL: no finally, no cleanup
    writer.wait()
    assert left.exists() and left.name.startswith(temp_prefix(out))
    result = run("export", "quotes", "-p", small_study, "-o", out)
    assert result.exit_code == 0
    assert left.exists()  # a minute's grace: it may be a slow export still writing
    _age(left, 120)
    assert run("export", "quotes", "-p", small_study, "-o", out, "--force").exit_code == 0
    assert not left.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["citaten.csv"]


def test_only_kwalis_own_unlocked_leftovers_of_that_target_are_removed(tmp_path):
    import fcntl

    out = tmp_path / "citaten.csv"
    prefix = temp_prefix(out)
    victim = tmp_path / "belangrijk.txt"
    victim.write_text("van iemand anders")
    stale = tmp_path / f"{prefix}abcd1234"
    kept = {
        "fresh": tmp_path / f"{prefix}fresh123",  # younger than a minute
        "locked": tmp_path / f"{prefix}locked12",  # a running writer holds it
        "other target": tmp_path / f"{temp_prefix(tmp_path / 'ander.csv')}abcd1234",
        "not our pattern": tmp_path / f"{prefix}abcd1234.bak",
        "user file": tmp_path / "citaten.csv.kwali-tmp-abcd1234",
    }
    for path in (stale, *kept.values()):
        path.write_text("x")
    link = tmp_path / f"{prefix}link1234"
    link.symlink_to(victim)
    for path in (stale, link, *kept.values()):
        if path != kept["fresh"]:
            _age(path, 120)
    holder = os.open(kept["locked"], os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        assert remove_stale_temps(out) == [stale]
    finally:
        os.close(holder)
    assert not stale.exists() and all(path.exists() for path in kept.values())
    assert link.is_symlink() and victim.read_text() == "van iemand anders"


@pytest.fixture
def predictable_names(monkeypatch):
    """mkstemp drawing the names aaaaaaaa, bbbbbbbb, ... so a test can plant one first."""
    names = [letter * 8 for letter in "abcdefgh"]
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: iter(names))
    return names


@pytest.mark.parametrize("writer", ["write_private", "save_codebook", "write_qdc", "export"])
def test_a_symlink_planted_at_the_temporary_name_is_never_followed(
    tmp_path, predictable_names, small_study, writer
):
    suffix = {"save_codebook": ".yaml", "write_qdc": ".qdc", "export": ".csv"}.get(writer, ".bin")
    out = tmp_path / f"uit{suffix}"
    victim = tmp_path / "slachtoffer.txt"
    victim.write_text("niet overschrijven")
    planted = tmp_path / f"{temp_prefix(out)}{predictable_names[0]}"
    planted.symlink_to(victim)
    if writer == "write_private":
        write_private(out, b"nieuw")
    elif writer == "save_codebook":
        save_codebook(CODEBOOK, out)
    elif writer == "write_qdc":
        write_qdc(CODEBOOK, out)
    else:
        assert run("export", "codebook", "-p", small_study, "-o", out).exit_code == 0
    assert victim.read_text() == "niet overschrijven"
    assert planted.is_symlink() and os.readlink(planted) == str(victim)
    assert out.exists() and not out.is_symlink() and out.stat().st_size > 0


def test_a_temporary_file_swapped_for_a_symlink_mid_write_is_not_followed(tmp_path, monkeypatch):
    out = tmp_path / "codeboek.yaml"
    victim = tmp_path / "slachtoffer.txt"
    victim.write_text("niet overschrijven")
    real_write = os.write

    def swap_then_write(fd: int, data: bytes) -> int:
        name = os.readlink(f"/proc/self/fd/{fd}")
        if TEMP_MARK in name and not name.endswith("(deleted)"):
            os.unlink(name)  # someone with write access to the folder swaps it
            os.symlink(victim, name)
        return real_write(fd, data)

    if not os.path.exists("/proc/self/fd"):
        pytest.skip("needs /proc to tell the temporary file's descriptor")
    monkeypatch.setattr(os, "write", swap_then_write)
    with pytest.raises(ExportError, match="tijdelijke bestand is vervangen"):
        write_private(out, b"geheim")
    assert victim.read_text() == "niet overschrijven" and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slachtoffer.txt"]


# -- kwali show ------------------------------------------------------------------------------
def test_show_prints_control_characters_visibly(tmp_path):
    path = tmp_path / "escape.kwali"
    with Project.create(path) as project:
        add_interview(project, "naam\x1b]0;titel\x07", ["Wis\x1b[2J het scherm.", "Piep\x07 nu."])
    result = run("show", "-p", path, "1")
    assert result.exit_code == 0
    assert not any(ch in result.output for ch in "\x1b\x07\x9b")
    assert "Wis␛[2J het scherm." in result.output and "Piep␇ nu." in result.output
    assert "naam␛]0;titel␇" in result.output
    sentences = run("show", "-p", path, "1", "--sentences")
    assert sentences.exit_code == 0 and "\x1b" not in sentences.output


def test_export_warnings_and_the_name_list_print_control_characters_visibly(tmp_path):
    path = tmp_path / "escape.kwali"
    with Project.create(path) as project:
        project.set_codebook(CODEBOOK)
        unit = add_interview(project, "een", ["Ik moest komen.", "Zo was het."])[0]
        project.set_attribute(unit.document_id, "rol", "\x1b[2Jcoach\x07")
        project.add_coding(unit.document_id, unit.start, unit.end, "dwang", "anna")
        project.set_replacement("Sanne\x1b[31m", "[naam]", "anna")
    result = run("export", "quotes", "-p", path, "-o", tmp_path / "q.csv")
    assert result.exit_code == 0 and "waarschuwing: de toeschrijving (␛[2Jcoach␇)" in result.output
    listed = run("anonymize", "list", "-p", path)
    assert listed.exit_code == 0 and "Sanne␛[31m\t[naam]" in listed.output
    assert "\x1b" not in result.output + listed.output
