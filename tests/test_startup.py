"""`kwali status` and `kwali show` start without the heavy libraries (#18: every command
took ~5 s to start when the stemmer's import loaded all of nltk, scipy and sklearn).

Behavioural, not timed (the time is in benchmarks/ui_bench.py's ``startup_*_s``): a fresh
Python imports the command line, runs the command through click's CliRunner, and reports
which of the heavy libraries it loaded. A library imported at the top of any module that
status or show reach (kwali.store, kwali.app, kwali.io, the export registry, ...) shows up here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kwali.cli import cli
from kwali.store import Project

from helpers import AGREEMENT_CODEBOOK, add_interview

pytestmark = pytest.mark.sqlite_only  # commands in a new process on a file

# what only suggesting, agreement, analysis, the exports and the UI may load
HEAVY = (
    "spacy",
    "nltk",
    "pandas",
    "numpy",
    "scipy",
    "sklearn",
    "docx",
    "openpyxl",
    "matplotlib",
    "textual",
)

RUN = """
import json, sys
from click.testing import CliRunner
from kwali.cli import cli
result = CliRunner().invoke(cli, json.loads(sys.argv[1]))
heavy = json.loads(sys.argv[2])
print(json.dumps({
    "exit": result.exit_code,
    "output": result.output,
    "loaded": sorted(name for name in heavy if name in sys.modules),
}))
"""


def _run(args: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(args), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
        sentences = add_interview(project, "buurthuis")
        s = sentences[0]
        project.add_coding(s.document_id, s.start, s.end, "dwang", "anna")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["status", "-p", "{path}"],
        ["show", "-p", "{path}", "1"],
        ["show", "-p", "{path}", "buurthuis", "--sentences"],
        ["--help"],
        ["export", "--help"],
    ],
    ids=lambda command: " ".join(command),
)
def test_command_starts_without_heavy_libraries(project_file: Path, command: list[str]):
    result = _run([part.format(path=project_file) for part in command])
    assert result["exit"] == 0, result["output"]
    assert result["output"].strip()  # it did its work, and said so
    assert result["loaded"] == []


def test_the_check_sees_a_heavy_library_when_one_is_loaded(project_file: Path):
    """The check can fail: a command that needs pandas (a query's table) shows it."""
    result = _run(["query", "-p", str(project_file), "dwang"])
    assert result["exit"] == 0, result["output"]
    assert "pandas" in result["loaded"]


def _on_a_terminal(args: list[str]) -> str:
    """What ``kwali ARGS`` writes to a terminal (a pseudo-terminal: stdout and stderr both)."""
    import os
    import pty

    leader, follower = pty.openpty()
    command = [sys.executable, "-c", "from kwali.cli import main; main()", *args]
    process = subprocess.Popen(command, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    said = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the command is done
            break
        if not chunk:
            break
        said += chunk
    os.close(leader)
    assert process.wait(timeout=120) == 0, said
    return said.decode("utf-8").replace("\r\n", "\n")


def test_export_says_first_what_it_writes_on_a_terminal(project_file: Path, tmp_path: Path, runner):
    """A study's export takes a while: on a terminal its first line names the file it is
    writing; a script (no terminal) gets only the line when it is written."""
    out = tmp_path / "citaten.csv"
    said = _on_a_terminal(["export", "quotes", "-p", str(project_file), "-o", str(out)])
    lines = said.splitlines()
    assert lines[0] == f"Schrijven: {out} …"
    assert lines[-1].startswith(f"Geschreven: {out}")
    result = runner.invoke(
        cli, ["export", "quotes", "-p", str(project_file), "-o", str(out), "--force"]
    )
    assert result.exit_code == 0, result.output
    assert "Schrijven" not in result.output
