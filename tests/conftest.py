"""Shared fixtures: a session-wide Dutch pipeline, in-memory projects, transcript files.

Studies that several test modules build are plain functions in helpers.py; a module that needs
a project with data gives that fixture its own name rather than redefining ``project``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ["KWALI_LANG"] = "nl"  # the default a user gets; tests of English set it themselves


@pytest.fixture(autouse=True)
def dutch_again() -> Iterator[None]:
    """Each test starts in Dutch: a run with ``--lang en`` sets the process's language."""
    from kwali.i18n import set_language

    set_language("nl")
    yield


@pytest.fixture
def english() -> Iterator[None]:
    """kwali speaks English for this test (texts made at run time: messages, errors, exports)."""
    from kwali.i18n import set_language

    set_language("en")
    try:
        yield
    finally:
        set_language("nl")


@pytest.fixture(scope="session")
def nlp():
    from kwali.nlp import make_nlp

    return make_nlp()


@pytest.fixture
def project() -> Iterator:
    from kwali.store import Project

    with Project.in_memory() as project:
        yield project


@pytest.fixture
def runner():
    """Runs kwali's command line in-process (click's CliRunner)."""
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def coded(tmp_path: Path) -> Path:
    """A project file on disk: one interview coded by anna and bram."""
    from kwali.store import Project

    from helpers import code_two_coders

    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        code_two_coders(project)
    return path


@pytest.fixture
def write_docx(tmp_path: Path) -> Callable[..., Path]:
    """Write paragraphs into a .docx in tmp_path (no binary fixtures in the repo)."""

    def write(name: str, paragraphs: list[str]) -> Path:
        import docx

        document = docx.Document()
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        path = tmp_path / name
        document.save(str(path))
        return path

    return write
