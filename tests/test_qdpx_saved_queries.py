"""Saved queries travel in kwali's .qdpx as the member ``kwali/queries.json``: back in kwali
they are the same queries; another tool's file, or a damaged member, never brings any."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from query_project import build_query_project

from kwali.analysis import QueryError, Scope, run_query, save_query, saved_queries
from kwali.app.exchange import import_exchange
from kwali.export.qdpx import export_qdpx
from kwali.io.qdpx_queries import MEMBER
from kwali.store import Project

from helpers import shared_path

QUERIES = {"druk": "(dwang OR sanctie) AND NOT contact", "samen": "@druk OVERLAPS leren"}


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        build_query_project(project, seed=7, documents=4)
        for name, expression in QUERIES.items():
            save_query(project, name, expression, "anna")
    return path


@pytest.fixture
def exported(study: Path, tmp_path: Path) -> Path:
    out = tmp_path / "studie.qdpx"
    with Project.open(study, readonly=True) as project:
        export_qdpx(project, out)
    return out


def _found(project: Project, name: str) -> list[tuple[int, int, int, str]]:
    result = run_query(project, f"@{name}", Scope())
    return [(q.document, q.start, q.end, q.text) for q in result.quotations]


def _rewritten(path: Path, out: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of the .qdpx with each member changed (None: left out)."""
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(out, "w") as new:
        for name in old.namelist():
            data = change(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
    return out


def _member(data: bytes) -> Callable[[str, bytes], bytes | None]:
    return lambda name, old: data if name == MEMBER else old


def test_the_export_carries_them_and_kwali_reads_them_back(study, exported):
    with zipfile.ZipFile(exported) as archive:
        assert json.loads(archive.read(MEMBER))["queries"] == QUERIES
    with Project.in_memory() as back, Project.open(study, readonly=True) as original:
        report = import_exchange(back, exported)
        assert not [w for w in report.warnings if "quer" in w]
        assert saved_queries(back) == QUERIES
        for name in QUERIES:  # the same quotations
            assert _found(back, name) == _found(original, name) != []
        again = import_exchange(back, exported)  # a second import changes nothing
        assert saved_queries(back) == QUERIES and not [w for w in again.warnings if "quer" in w]


def test_a_project_without_saved_queries_writes_no_member(tmp_path):
    with Project.create(tmp_path / "leeg.kwali") as project:
        build_query_project(project, seed=2, documents=2)
        export_qdpx(project, tmp_path / "leeg.qdpx")
    with zipfile.ZipFile(tmp_path / "leeg.qdpx") as archive:
        assert MEMBER not in archive.namelist()


def test_the_projects_own_query_of_that_name_is_kept_unless_theirs(exported):
    with Project.in_memory() as project:
        import_exchange(project, _without_queries(exported))
        save_query(project, "druk", "sanctie", "anna")
        report = import_exchange(project, exported)
        (warning,) = [w for w in report.warnings if "opgeslagen zoekvraag" in w]
        assert "@druk" in warning and "die van het project" in warning and "--theirs" in warning
        assert saved_queries(project) == {**QUERIES, "druk": "sanctie"}
        theirs = import_exchange(project, exported, theirs=True)
        assert saved_queries(project) == QUERIES
        assert any("@druk" in w and "vervangt" in w for w in theirs.warnings)


def _without_queries(path: Path) -> Path:
    return _rewritten(path, path.with_name("zonder.qdpx"), lambda n, d: None if n == MEMBER else d)


def test_a_foreign_files_member_is_ignored(exported, tmp_path):
    def foreign(name: str, data: bytes) -> bytes:
        if name == "project.qde":
            return data.replace(b'origin="kwali ', b'origin="Atlas.ti ', 1)
        return data

    path = _rewritten(exported, tmp_path / "atlas.qdpx", foreign)
    with Project.in_memory() as project:
        report = import_exchange(project, path, nlp=_no_nlp())
        assert saved_queries(project) == {}
        assert not [w for w in report.warnings if "quer" in w]


def _no_nlp():  # a foreign file is segmented anew: spaCy's blank Dutch is enough here
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    return nlp


def _entries(**queries: object) -> bytes:
    return json.dumps({"kwali_queries": 1, "queries": queries}).encode()


@pytest.mark.parametrize(
    ("member", "says", "kept"),
    [
        (b"{not json", "is geen geldige JSON", {}),
        (b"[" * 100_000 + b"]" * 100_000, "is geen geldige JSON", {}),
        (b" " * 1_000_001 + b"{}", "te groot", {}),
        (b'{"kwali_queries": 2, "queries": {}}', "deze versie van kwali leest", {}),
        (b'{"kwali_queries": 1, "queries": [1, 2]}', "geen bruikbare tabel 'queries'", {}),
        (b'{"kwali_queries": NaN}', "NaN", {}),
        (
            _entries(**{"../../x": "dwang", "druk": "dwang"}),
            "'../../x' weggelaten",
            {"druk": "dwang"},
        ),
        (_entries(druk="(dwang OR", leuk="leren"), "haakjes", {"leuk": "leren"}),
        (_entries(druk="dwang\x00", leuk="leren"), "stuurtekens", {"leuk": "leren"}),
        (_entries(druk={"x": 1}, leuk="leren"), "geen tekst", {"leuk": "leren"}),
        (_entries(druk="x" * 5000, leuk="leren"), "te lang", {"leuk": "leren"}),
        (_entries(druk="@a/b AND dwang"), "met een naam die kwali niet kan opslaan", {}),
    ],
)
def test_a_hostile_member_is_one_warning(exported, tmp_path, member, says, kept):
    path = _rewritten(exported, tmp_path / "vijandig.qdpx", _member(member))
    with Project.in_memory() as project:
        report = import_exchange(project, path)
        (warning,) = [w for w in report.warnings if "zoekvra" in w]
        assert says in warning and "\n" not in warning and len(warning) < 300
        assert saved_queries(project) == kept
        assert len(project.document_ids()) == 4  # the rest of the file came in


def test_an_expression_that_does_not_parse_comes_in_and_is_refused_in_one_line(exported, tmp_path):
    """The import checks the syntax it can (kwali.io sits below the query language); the
    grammar refuses the rest when the query is used, as it refuses any query."""
    path = _rewritten(exported, tmp_path / "fout.qdpx", _member(_entries(fout="dwang AND AND")))
    with Project.in_memory() as project:
        import_exchange(project, path)
        assert saved_queries(project) == {"fout": "dwang AND AND"}
        with pytest.raises(QueryError) as refused:
            run_query(project, "@fout")
        assert "\n" not in refused.value.message


def test_qualcoder_still_reads_the_file(exported, tmp_path):
    runner = shared_path("tools", "qualcoder-import", "run.py")
    copy = tmp_path / "qc" / exported.name
    copy.parent.mkdir()
    shutil.copy(exported, copy)
    result = subprocess.run(
        [sys.executable, str(runner), str(copy), "qdpx", str(tmp_path / "qc.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and "import ok: True" in result.stdout, result.stdout
