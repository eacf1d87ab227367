"""How other tools read kwali's .qdpx (#13 item 9, export side): ``--line-endings crlf`` for
MAXQDA (text member and every offset agree), a warning and ``--unique-names`` for a name two
codes share (ATLAS.ti refuses it, QualCoder merges the codes), and a warning when emoji come
before a selection (NVivo counts UTF-16 units; kwali writes code points)."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from kwali.app.exchange import import_exchange
from kwali.errors import ExportError
from kwali.export.options import QdpxOptions
from kwali.export.qdpx import export_qdpx
from kwali.model import Code, Codebook, Transcript, Turn
from kwali.store import Project

from helpers import build_study, shared_path

P = "{urn:QDA-XML:project:1.0}"


@pytest.fixture
def study(tmp_path, project, nlp) -> Project:
    return make_study(project, nlp, tmp_path)


def make_study(project: Project, nlp, folder: Path) -> Project:
    """The two-interview study; 'Programma' is a code under both categories, and a sentence
    carries a memo."""
    build_study(project, nlp, folder)
    project.add_code(Code("programma_v", "Programma", parent="verplichting"), "anna")
    project.add_code(Code("programma_p", "Programma", parent="persoon"), "anna")
    second = project.require_document("2")
    start = second.text.index("Eén keer")
    project.add_coding(second.id, start, start + 40, "programma_v", "anna")
    project.add_coding(second.id, start, start + 20, "programma_p", "bram")
    sentence = next(s for s in project.segments(second.id) if "tillen" in s.text)
    project.add_memo("segment", sentence.id, "Zwaar werk?", "bram")
    return project


def _member(path: Path, guid: str) -> str:
    return zipfile.ZipFile(path).read(f"sources/{guid}.txt").decode("utf-8")


def _selections(path: Path) -> list[tuple[str, int, int]]:
    root = ET.fromstring(zipfile.ZipFile(path).read("project.qde"))
    return [
        (source.get("guid") or "", int(s.get("startPosition", "")), int(s.get("endPosition", "")))
        for source in root.iter(f"{P}TextSource")
        for s in source.findall(f"{P}PlainTextSelection")
    ]


def _codings(project: Project) -> Counter[tuple[object, ...]]:
    return Counter(
        (project.require_document(str(c.document_id)).number, c.start, c.end, c.code_key, c.coder)
        for c in project.codings()
    )


def test_crlf_text_and_every_offset_agree(study, tmp_path):
    lf, crlf = tmp_path / "lf.qdpx", tmp_path / "crlf.qdpx"
    export_qdpx(study, lf)
    export_qdpx(study, crlf, options=QdpxOptions(line_endings="crlf"))
    for guid in {g for g, _, _ in _selections(crlf)}:
        text = _member(crlf, guid)
        assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
        assert text.replace("\r\n", "\n") == _member(lf, guid)
    pairs = list(zip(_selections(lf), _selections(crlf), strict=True))
    assert len(pairs) > 10
    moved = 0
    for (guid, start, end), (_, start2, end2) in pairs:
        quoted = _member(lf, guid)[start:end]
        assert _member(crlf, guid)[start2:end2] == quoted.replace("\n", "\r\n")
        moved += start2 != start
    assert moved  # past the first line, every selection moved


def test_kwali_reads_its_crlf_export_back_identically(study, tmp_path):
    out = tmp_path / "crlf.qdpx"
    export_qdpx(study, out, options=QdpxOptions(line_endings="crlf"))
    with Project.in_memory() as back:
        report = import_exchange(back, out)  # segmentation carried: no spaCy
        assert not report.warnings, report.warnings
        assert _codings(back) == _codings(study)
        refs = {
            s.reference(1): s.text for s in back.segments(back.require_document("1").id, kind=None)
        }
        assert refs == {
            s.reference(1): s.text
            for s in study.segments(study.require_document("1").id, kind=None)
        }
        assert Counter((m.target_kind, m.text) for m in back.memos()) == Counter(
            (m.target_kind, m.text) for m in study.memos()
        )


def test_bad_line_endings_are_refused(study, tmp_path):
    with pytest.raises(ExportError, match="kies lf of crlf"):
        export_qdpx(study, tmp_path / "x.qdpx", options=QdpxOptions(line_endings="cr"))
    assert not (tmp_path / "x.qdpx").exists()


def _code_names(path: Path) -> list[str]:
    root = ET.fromstring(zipfile.ZipFile(path).read("project.qde"))
    return [c.get("name") or "" for c in root.iter(f"{P}Code")]


def test_a_shared_code_name_is_said_and_written_unique_on_request(study, tmp_path, nlp):
    plain = export_qdpx(study, tmp_path / "plain.qdpx")
    (warning,) = [w for w in plain.warnings if "--unique-names" in w]
    assert "'Programma' onder 'Verplichting & handhaving', 'Persoonlijke situatie'" in warning
    assert "--unique-names" in warning
    assert _code_names(tmp_path / "plain.qdpx").count("Programma") == 2

    unique = export_qdpx(study, tmp_path / "unique.qdpx", options=QdpxOptions(unique_names=True))
    assert not [w for w in unique.warnings if "--unique-names" in w]
    names = _code_names(tmp_path / "unique.qdpx")
    assert len(set(names)) == len(names)
    assert {"Programma (Verplichting & handhaving)", "Programma (Persoonlijke situatie)"} <= set(
        names
    )
    with Project.in_memory() as back:  # the keys come back: every coding on its code
        import_exchange(back, tmp_path / "unique.qdpx", nlp=nlp)
        assert _codings(back) == _codings(study)
        assert back.code("programma_p") is not None


def test_emoji_before_a_selection_are_said(project, tmp_path):
    text = "R: Top 👍 dag. Ik moest komen van de gemeente."
    document, _ = project.add_document(
        Transcript(text, (Turn(1, 0, len(text), 3, len(text), "R"),), "emoji.txt", "txt"),
        lambda doc_id, uid: [],
    )
    project.set_codebook(Codebook("c", (Code("dwang", "Dwang"),)))
    start = text.index("Ik moest")
    project.add_coding(document.id, start, len(text), "dwang", "anna")
    result = export_qdpx(project, tmp_path / "e.qdpx")
    (warning,) = result.warnings
    assert warning.startswith("document 1: tekens zoals emoji")
    ((_, written, _),) = _selections(tmp_path / "e.qdpx")
    assert written == start  # code points: the emoji counts once


def test_the_cli_takes_both_options(tmp_path, runner, nlp):
    from kwali.cli import cli

    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        make_study(project, nlp, tmp_path)
    out = tmp_path / "cli.qdpx"
    result = runner.invoke(
        cli,
        [
            "export",
            "qdpx",
            "-p",
            str(path),
            "-o",
            str(out),
            "--line-endings",
            "crlf",
            "--unique-names",
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(set(_code_names(out))) == len(_code_names(out))
    assert any("\r\n" in _member(out, g) for g, _, _ in _selections(out))


def test_qualcoder_keeps_every_code_and_places_crlf_codings(study, tmp_path):
    runner = shared_path("tools", "qualcoder-import", "run.py")
    out = tmp_path / "qc" / "studie.qdpx"
    out.parent.mkdir()
    export_qdpx(study, out, options=QdpxOptions(line_endings="crlf", unique_names=True))
    dump = tmp_path / "qc.json"
    result = subprocess.run(
        [sys.executable, str(runner), str(out), "qdpx", str(dump)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "import ok: True" in result.stdout, result.stdout + result.stderr
    stored = json.loads(dump.read_text(encoding="utf-8"))
    codable = [c for c in study.codebook().codes if c.kind == "code"]
    assert len(stored["code_name"]) == len(codable)  # none merged
    texts = {name: text for name, text, _memo in stored["source"]}
    for name, _code, pos0, pos1, seltext, _owner, _memo in stored["code_text"]:
        assert texts[name][pos0:pos1] == seltext
    kwali_quotes = Counter(
        " ".join(study.require_document(str(c.document_id)).text[c.start : c.end].split())
        for c in study.codings()
    )
    assert Counter(" ".join(row[4].split()) for row in stored["code_text"]) == kwali_quotes


def test_nvivos_shared_names_reach_qualcoder_as_separate_codes(tmp_path, nlp):
    """The NVivo 15 fixture names 'programming' and eight more under two parents: QualCoder
    merged them (262 codes became 252); with --unique-names it keeps all 262."""
    fixture = shared_path("refi", "nvivo15-mac_nested-codes.qdpx")
    runner = shared_path("tools", "qualcoder-import", "run.py")
    counts = {}
    with Project.in_memory() as project:
        import_exchange(project, fixture, nlp=nlp)
        total = len(project.codebook().codes)
        for unique in (False, True):
            out = tmp_path / f"unique-{unique}" / "nvivo.qdpx"
            out.parent.mkdir()
            result = export_qdpx(project, out, options=QdpxOptions(unique_names=unique))
            said = [w for w in result.warnings if "--unique-names" in w]
            assert len(said) == (0 if unique else 1)
            dump = out.with_suffix(".json")
            subprocess.run(
                [sys.executable, str(runner), str(out), "qdpx", str(dump)],
                capture_output=True,
                timeout=300,
                check=True,
            )
            stored = json.loads(dump.read_text(encoding="utf-8"))
            counts[unique] = len(stored["code_name"]) + len(stored["code_cat"])
    assert said == [] and total == 262
    assert counts == {False: 252, True: 262}
