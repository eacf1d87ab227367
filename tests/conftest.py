"""Shared fixtures: a session-wide Dutch pipeline, in-memory projects, transcript files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file in ../shared, or skip the test: that folder is absent on users' machines."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is not available")
    return path


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
