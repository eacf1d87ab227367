"""`make sample` / `make run` never delete or overwrite a project someone works in (issue #12).

The Makefile, transcripts and codebooks are copied into a scratch folder and make runs there with
the repository's installed .venv (``-o`` keeps make from reinstalling it), so the test touches
nothing in the repository and builds the sample exactly as a newcomer's ``make run`` does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kwali.store import Project

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / ".venv"

pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or not (VENV / ".installed").exists(),
    reason="needs make and the repository's installed .venv",
)


def make(folder: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-o", f"{VENV}/.installed", f"VENV={VENV}", *targets],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """What `make sample` reads from a checkout: the Makefile, transcripts/, surveys/ and
    codebooks/."""
    shutil.copy2(REPO / "Makefile", tmp_path / "Makefile")
    shutil.copytree(REPO / "transcripts", tmp_path / "transcripts")
    shutil.copytree(REPO / "surveys", tmp_path / "surveys")
    shutil.copytree(REPO / "codebooks", tmp_path / "codebooks")
    return tmp_path


def built(checkout: Path) -> Path:
    sample = checkout / "sample" / "voorbeeld.kwali"
    result = make(checkout, "sample")
    assert result.returncode == 0, result.stderr
    assert sample.exists()
    return sample


def touch_inputs(checkout: Path) -> None:
    """What a `git pull`, an edit or a `touch` does: the inputs are newer than the sample."""
    later = time.time() + 60
    for path in (
        checkout / "transcripts" / "01_werkzoekende_vrouw_buurthuis.txt",
        checkout / "codebooks" / "tegenprestatie.yaml",
    ):
        os.utime(path, (later, later))


def test_a_coded_sample_survives_changed_inputs(checkout: Path) -> None:
    sample = built(checkout)
    with Project.open(sample) as project:
        (survey,) = project.surveys()  # the sample survey is part of the sample
        assert survey.name == "enquete" and [q.name for q in survey.questions] == [
            "Q7",
            "Q9",
            "Q12",
        ]
        segment = project.segments(1)[3]
        code = project.codebook().codes[0].key
        coding = project.add_coding(1, segment.start, segment.end, code, "anna")
        memo = project.add_memo("document", "1", "eerste indruk", "anna")
    touch_inputs(checkout)

    again = make(checkout, "sample")
    assert again.returncode == 0, again.stderr
    notes = [line for line in again.stdout.splitlines() if "sample-rebuild" in line]
    assert len(notes) == 1 and "kept" in notes[0]  # one line says how to rebuild deliberately
    assert "init" not in again.stdout and "geïmporteerd in" not in again.stdout

    refused = make(checkout, "sample-rebuild")
    assert refused.returncode != 0
    assert "holds work" in refused.stderr and "not rebuilt" in refused.stderr

    with Project.open(sample, readonly=True) as project:
        kept = project.coding(coding.id)
        assert kept is not None and (kept.code_key, kept.coder) == (code, "anna")
        assert [m.id for m in project.memos()] == [memo.id]


@pytest.mark.slow  # two builds of the sample: about twenty seconds
def test_an_untouched_sample_is_rebuilt_on_request(checkout: Path) -> None:
    sample = built(checkout)
    touch_inputs(checkout)
    rebuilt = make(checkout, "sample-rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "8 van 8 bestanden geïmporteerd" in rebuilt.stdout
    assert "sample-rebuild" not in rebuilt.stdout  # fresh again: no note
    with Project.open(sample, readonly=True) as project:
        assert len(project.document_ids()) == 8 + 3  # the interviews and the survey's questions
        assert [s.name for s in project.surveys()] == ["enquete"]
        assert not project.codings()
