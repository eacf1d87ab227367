"""Import and suggest on every core give what one process gives (#18).

From :data:`kwali.app.parallel.POOL_FROM` files on, reading and segmenting (import) and
suggesting run in forked worker processes while this one stores. The project that comes out
must be the same, byte for byte: documents, segments, suggestions with their evidence, and
the one-line errors of files that could not be read.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from kwali.app.importing import import_files
from kwali.app.parallel import POOL_FROM
from kwali.app.suggesting import suggest_project
from kwali.store import Project

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "codebooks" / "tegenprestatie.yaml"

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork here: one process only"
)


def _files(folder: Path) -> list[Path]:
    """More files than POOL_FROM: the text sample interviews, each several times with an
    answer of its own (so each is a new document), one twice, and one that cannot be read."""
    samples = sorted((ROOT / "transcripts").glob("*.txt"))
    files = []
    for number in range(POOL_FROM + 2):
        sample = samples[number % len(samples)]
        answer = f"\n\nR: Antwoord nummer {number}, over de brief.\n".encode("ascii")
        path = folder / f"{number:02d}_{sample.name}"
        path.write_bytes(sample.read_bytes() + answer)  # ASCII: any sample's encoding holds it
        files.append(path)
    files.insert(5, files[2])  # the same file again: found, not a second document
    broken = folder / "kapot.txt"
    broken.write_bytes(b"")
    files.insert(9, broken)
    return files


def _content(project: Project) -> dict[str, object]:
    documents = [project.require_document(i) for i in project.document_ids()]
    return {
        "documents": [(d.id, d.name, d.text) for d in documents],
        "segments": [
            (s.id, s.document_id, s.kind, s.start, s.end, s.line, s.speaker, s.role)
            for s in project.segments(kind=None)
        ],
        "suggestions": [
            (s.segment_id, s.document_id, s.code_key, s.score, s.evidence, s.suggester)
            for s in project.suggestions()
        ],
    }


def _run(folder: Path, files: list[Path], workers: int) -> tuple[list[tuple], dict[str, object]]:
    from kwali.io.codebook import load_codebook

    with Project.create(folder / f"studie-{workers}.kwali") as project:
        results = import_files(project, files, workers=workers)
        suggest_project(project, codebook=load_codebook(CODEBOOK), workers=workers)
        outcome = [(r.path.name, r.created, r.error, r.document and r.document.id) for r in results]
        return outcome, _content(project)


def test_two_workers_make_the_same_project_as_one(tmp_path):
    files = _files(tmp_path)
    one = _run(tmp_path, files, workers=1)
    two = _run(tmp_path, files, workers=2)
    outcome, content = one
    assert sum(created for _name, created, _error, _id in outcome) == POOL_FROM + 2
    assert [name for name, _created, error, _id in outcome if error] == ["kapot.txt"]
    assert content["suggestions"]  # the comparison below compares something
    assert two == one
