"""kwali → .qdpx → kwali keeps every citation (#13 item 8).

The sample's transcripts (.txt, .docx, .vtt, .srt) are imported and segmented as kwali does,
coded by two coders with memos of every kind, exported and read back into an empty project:
every reference (``3:12.2``) cites the same words, every turn keeps its speaker, role, gender
and timestamp, and codings, memos and attributes come back identical. The segmentation
travels as ``kwali/segmentation/GUID.json``; a damaged or foreign one is never trusted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from kwali.app.exchange import import_exchange
from kwali.app.importing import read_attribute_table
from kwali.app.replacing import replace_document
from kwali.export.qdpx import export_qdpx
from kwali.io import read_transcript
from kwali.io.codebook import load_codebook
from kwali.io.qdpx_segmentation import FOLDER
from kwali.store import Project

from helpers import STUDY_INTERVIEWS, build_study, shared_path

REPO = Path(__file__).resolve().parents[1]
TRANSCRIPTS = REPO / "transcripts"


@pytest.fixture(scope="module")
def sample(nlp, tmp_path_factory) -> Project:
    """The sample project as `make sample` builds it, then coded by anna and bram."""
    from kwali.nlp import segment_many

    table = read_attribute_table(TRANSCRIPTS / "attributes.csv")
    project = Project.create(tmp_path_factory.mktemp("sample") / "voorbeeld.kwali")
    for path in sorted(TRANSCRIPTS.iterdir()):
        if path.name not in table:
            continue
        transcript = read_transcript(path)
        project.add_document(
            transcript,
            lambda doc_id, uid, t=transcript: segment_many(nlp, [(t.text, t.turns, doc_id, uid)])[
                0
            ],
            attributes=table[path.name],
        )
    codebook = load_codebook(REPO / "codebooks" / "tegenprestatie.yaml")
    project.set_codebook(codebook)
    codes = [c.key for c in codebook.codes if c.kind == "code"]
    for document_id in project.document_ids():
        sentences = project.segments(document_id, kind="sentence")
        for n, sentence in enumerate(sentences[3::9]):
            coder = ("anna", "bram")[n % 2]
            memo = "mooi citaat" if n % 5 == 0 else ""
            code = codes[(n + document_id) % len(codes)]
            project.add_coding(document_id, sentence.start, sentence.end, code, coder, memo=memo)
            if n % 4 == 0:  # a span of a sentence and a half, by the other coder
                end = min(sentence.end + 30, len(project.require_document(str(document_id)).text))
                project.add_coding(document_id, sentence.start, end, code, "bram")
        project.add_memo(
            "document", str(document_id), f"Indruk van interview {document_id}.", "anna"
        )
        project.add_memo("segment", sentences[7].id, "Wat bedoelt ze hier?", "bram")
    project.add_memo("project", "", "Pilot over de tegenprestatie.", "anna")
    project.add_memo("code", codes[0], "Grens met de volgende code is vaag.", "bram")
    return project


@pytest.fixture(scope="module")
def exported(sample, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "voorbeeld.qdpx"
    export_qdpx(sample, out)
    return out


def _segments(project: Project) -> dict[str, tuple[object, ...]]:
    """Every segment by reference: its id, span, line, text and turn's speaker data."""
    out: dict[str, tuple[object, ...]] = {}
    for document_id in project.document_ids():
        number = project.require_document(str(document_id)).number
        for s in project.segments(document_id, kind=None):
            out[s.reference(number)] = (
                s.id,
                s.start,
                s.end,
                s.line,
                s.text,
                s.speaker,
                s.role,
                s.timestamp,
            )
    return out


def _turns(project: Project) -> dict[int, list[tuple[object, ...]]]:
    return {
        project.require_document(str(i)).number: [
            (t.number, t.start, t.end, t.content_start, t.content_end, t.speaker, t.role, t.gender)
            + (t.timestamp,)
            for t in project.turns(i)
        ]
        for i in project.document_ids()
    }


def _documents(project: Project) -> list[tuple[object, ...]]:
    return [
        (d.number, d.name, d.source_name, d.format, d.sha256, dict(d.attributes))
        for d in (project.require_document(str(i)) for i in project.document_ids())
    ]


def _codings(project: Project) -> Counter[tuple[object, ...]]:
    numbers = {i: project.require_document(str(i)).number for i in project.document_ids()}
    return Counter(
        (numbers[c.document_id], c.start, c.end, c.code_key, c.coder, c.memo)
        for c in project.codings()
    )


def _memos(project: Project) -> Counter[tuple[str, str, str, str]]:
    numbers = {str(i): str(project.require_document(str(i)).number) for i in project.document_ids()}
    return Counter(
        (
            m.target_kind,
            numbers[m.target_id] if m.target_kind == "document" else m.target_id,
            m.text,
            m.coder,
        )
        for m in project.memos()
    )


@pytest.fixture(scope="module")
def back(exported) -> Project:
    project = Project.in_memory()
    # no nlp given: with every segmentation carried, spaCy is not even loaded
    report = import_exchange(project, exported)
    assert not report.warnings, report.warnings
    return project


def test_every_reference_cites_the_same_words(sample, back):
    before, after = _segments(sample), _segments(back)
    assert after == before
    assert "2:12.2" in after and "3:12.1" in after  # .docx and .vtt, deep inside


def test_turns_keep_speaker_role_gender_and_timestamp(sample, back):
    turns = _turns(back)
    assert turns == _turns(sample)
    formats = {d[0]: d[3] for d in _documents(sample)}
    assert {formats[n] for n in turns} >= {"txt", "docx", "vtt", "srt"}
    spoken = [t for n, ts in turns.items() if formats[n] in ("vtt", "srt") for t in ts if t[5]]
    assert len(spoken) > 50 and all(t[-1] is not None for t in spoken)  # each caption's time
    assert len(turns[2]) == 50 and len(turns[6]) == 47  # the .docx turns no longer merge


def test_documents_attributes_codings_and_memos_come_back_identical(sample, back):
    assert _documents(back) == _documents(sample)
    assert _codings(back) == _codings(sample)
    assert sum(_codings(sample).values()) > 100
    assert _memos(back) == _memos(sample)
    assert Counter(m[0] for m in _memos(sample)) == {
        "document": 8,
        "segment": 8,
        "project": 1,
        "code": 1,
    }
    assert [(c.key, c.parent, c.label) for c in back.codebook().codes] == [
        (c.key, c.parent, c.label) for c in sample.codebook().codes
    ]


def test_the_export_is_still_the_same_bytes(sample, exported, tmp_path):
    again = tmp_path / "again.qdpx"
    export_qdpx(sample, again)
    assert again.read_bytes() == exported.read_bytes()
    names = zipfile.ZipFile(exported).namelist()
    assert sum(n.startswith(FOLDER) for n in names) == 8


def _rewritten(source: Path, target: Path, change) -> Path:
    """A copy of the export whose first segmentation member is ``change(bytes)``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        first = next(n for n in old.namelist() if n.startswith(FOLDER))
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, change(data) if name == first else data)
    return target


def _turn_shift(data: bytes) -> bytes:
    member = json.loads(data)
    member["turns"][1][3] = 10**9  # content start far past the text
    return json.dumps(member).encode()


def _other_hash(data: bytes) -> bytes:
    member = json.loads(data)
    member["sha256"] = "0" * 64
    return json.dumps(member).encode()


def _sentence_elsewhere(data: bytes) -> bytes:
    member = json.loads(data)
    sentence = next(row for row in member["segments"] if row[1] == "sentence" and row[2] > 1)
    sentence[4], sentence[5] = 0, 1  # inside the text, outside its turn
    return json.dumps(member).encode()


def _turns_overlap(data: bytes) -> bytes:
    member = json.loads(data)
    member["turns"][2][1] = member["turns"][1][1]  # turn 3 starts where turn 2 does
    return json.dumps(member).encode()


def _deep(data: bytes) -> bytes:
    return b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda data: data[: len(data) // 2], "is geen geldige JSON"),
        (_deep, "is geen geldige JSON"),
        (lambda data: data.replace(b'"turns"', b'"beurten"'), "geen bruikbare lijst 'turns'"),
        (_turn_shift, "ongeldige posities"),
        (_other_hash, "andere tekst"),
        (_sentence_elsewhere, "buiten zijn beurt"),
        (_turns_overlap, "niet op volgorde"),
        (
            lambda data: data.replace(b'"suffix":".', b'"suffix":"/../.', 1),
            "ongeldige bestandsextensie",
        ),
        (lambda data: data.replace(b"[", b"[NaN,", 1), "NaN"),
    ],
)
def test_a_bad_segmentation_member_is_one_warning_and_the_source_is_segmented(
    exported, tmp_path, nlp, sample, change, says
):
    damaged = _rewritten(exported, tmp_path / "damaged.qdpx", change)
    with Project.in_memory() as project:
        report = import_exchange(project, damaged, nlp=nlp)
        (warning,) = report.warnings
        assert says in warning and "opnieuw gesegmenteerd" in warning and "\n" not in warning
        assert len(project.document_ids()) == 8
        assert _codings(project) == _codings(sample)  # the codings do not depend on it


def test_a_foreign_file_with_such_a_member_is_segmented_as_usual(exported, tmp_path, nlp):
    def foreign(data: bytes) -> bytes:
        return data.replace(b'origin="kwali ', b'origin="Atlas.ti ', 1)

    path = tmp_path / "foreign.qdpx"
    with zipfile.ZipFile(exported) as old, zipfile.ZipFile(path, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, foreign(data) if name == "project.qde" else data)
    with Project.in_memory() as project:
        import_exchange(project, path, nlp=nlp)
        docx = project.require_document("2")
        assert docx.format == "qdpx"  # read as any other tool's text
        assert len(project.turns(docx.id)) == 49  # merged, as plain text segments it


def test_carried_ids_taken_in_the_project_are_renamed_keeping_references(
    sample, exported, tmp_path, nlp
):
    """A replaced transcript keeps its sentences' old ids; should those be taken in the
    project imported into, the segments get fresh ids and the same references."""
    first = sample.require_document("1")
    second = sample.require_document("2")

    def steal(data: bytes) -> bytes:
        member = json.loads(data)
        if member["sha256"] == second.sha256:
            for row in member["segments"]:
                row[0] = row[0].replace(second.uid, first.uid)
        return json.dumps(member).encode()

    path = tmp_path / "stolen.qdpx"
    with zipfile.ZipFile(exported) as old, zipfile.ZipFile(path, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, steal(data) if name.startswith(FOLDER) else data)
    with Project.in_memory() as project:
        import_exchange(project, path, nlp=nlp)
        got = _segments(project)
        want = _segments(sample)
        assert {k: v[1:] for k, v in got.items()} == {k: v[1:] for k, v in want.items()}
        ids = [v[0] for v in got.values()]
        assert len(set(ids)) == len(ids)


@pytest.fixture
def qualcoder() -> Path:
    """QualCoder's own importer (../shared/tools/qualcoder-import), or a skip: asked for before
    the sample, so a machine without ../shared does not build it for nothing."""
    return shared_path("tools", "qualcoder-import", "run.py")


def _qualcoder_reads(runner: Path, exported: Path, tmp_path: Path) -> dict:
    """What QualCoder's own importer stored of the file."""
    copy = tmp_path / "qc" / exported.name
    copy.parent.mkdir()
    shutil.copy(exported, copy)
    dump = tmp_path / "qc.json"
    result = subprocess.run(
        [sys.executable, str(runner), str(copy), "qdpx", str(dump)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and "import ok: True" in result.stdout, result.stdout
    return json.loads(dump.read_text(encoding="utf-8"))


def test_qualcoder_reads_the_export_with_the_extra_member(qualcoder, sample, exported, tmp_path):
    stored = _qualcoder_reads(qualcoder, exported, tmp_path)
    texts = {sample.require_document(str(i)).text for i in sample.document_ids()}
    assert {text for _name, text, _memo in stored["source"]} == texts
    quotes = Counter(
        (sample.require_document(str(c.document_id)).text[c.start : c.end], c.coder)
        for c in sample.codings()
    )
    assert Counter((row[4], row[5]) for row in stored["code_text"]) == quotes
    values = [(i, k, v) for i in sample.document_ids() for k, v in _attributes(sample, i)]
    assert len(stored["attribute"]) == len(values) == 50  # the table leaves some out
    assert {kind for _key, kind, _value, _fid in stored["attribute"]} == {"file"}


def _attributes(project: Project, document_id: int) -> list[tuple[str, str]]:
    return sorted(project.require_document(str(document_id)).attributes.items())


def test_a_replaced_transcript_keeps_its_older_sentence_ids(tmp_path, nlp):
    """After `kwali documents replace`, unchanged sentences keep ids made from the old text;
    the round trip keeps those ids (a sentence memo stays on its sentence)."""
    with Project.create(tmp_path / "studie.kwali") as project:
        build_study(project, nlp, tmp_path)
        old = project.require_document("1")
        corrected = tmp_path / "interview_1_v2.txt"
        corrected.write_text(
            STUDY_INTERVIEWS[1].replace("Dank u wel.", "Dank u wel voor het gesprek."),
            encoding="utf-8",
        )
        replace_document(project, "1", corrected, nlp=nlp)
        new = project.require_document("1")
        ids = [s.id for s in project.segments(new.id, kind=None)]
        assert any(i.startswith(old.uid) for i in ids) and new.uid != old.uid
        kept = next(s for s in project.segments(new.id) if s.id.startswith(old.uid))
        project.add_memo("segment", kept.id, "Blijft staan.", "anna")
        out = tmp_path / "studie.qdpx"
        export_qdpx(project, out)
        with Project.in_memory() as back:
            report = import_exchange(back, out)
            assert not report.warnings
            assert _segments(back) == _segments(project)
            assert [(m.target_id, m.text) for m in back.memos("segment", kept.id)] == [
                (kept.id, "Blijft staan.")
            ]


def test_a_renamed_documents_file_name_stays_home(project, tmp_path, nlp):
    """A document renamed to hide whom it is about: the export holds its name and the
    file's suffix, never the file name it was imported from."""
    build_study(project, nlp, tmp_path)
    first = project.require_document("1")
    assert first.source_name == "interview_1.txt"
    project.rename_document(first.id, "R1")
    out = tmp_path / "studie.qdpx"
    export_qdpx(project, out)
    with zipfile.ZipFile(out) as archive:
        assert not [n for n in archive.namelist() if b"interview_1" in archive.read(n)]
    with Project.in_memory() as back:
        import_exchange(back, out)
        assert back.require_document("1").source_name == "R1.txt"


def test_qualcoder_shows_every_code_coding_and_memo_where_it_belongs(
    qualcoder, sample, exported, tmp_path
):
    """QualCoder's own importer on the sample's export: each code under its category, each
    coding at its position with its code, coder and memo, a document's memo on the source, a
    code's memo on the code, a sentence memo as an annotation on that sentence. (The project
    memo goes to QualCoder's project table, which the runner does not dump.)"""
    stored = _qualcoder_reads(qualcoder, exported, tmp_path)
    codebook = sample.codebook()
    labels = codebook.labels()
    # categories are QualCoder's code_cat rows (ids in the order they were made), codes its
    # code_name rows pointing at their category
    categories = [row[0] for row in stored["code_cat"]]
    assert categories == [c.label for c in codebook.in_tree_order() if c.kind == "category"]
    under = {name: categories[catid - 1] for name, _m, catid, _s, _c in stored["code_name"]}
    assert under == {
        c.label: labels[c.parent] for c in codebook.codes if c.kind == "code" and c.parent
    }
    names = {sample.require_document(str(i)).name: i for i in sample.document_ids()}
    assert Counter(
        (names[f], code, p0, p1, owner, memo)
        for f, code, p0, p1, _t, owner, memo in stored["code_text"]
    ) == Counter(
        (c.document_id, labels[c.code_key], c.start, c.end, c.coder, c.memo)
        for c in sample.codings()
    )
    document_memos = {
        int(m.target_id): m.text for m in sample.memos() if m.target_kind == "document"
    }
    assert {names[name]: memo for name, _text, memo in stored["source"]} == document_memos
    code_memos = [m for m in sample.memos() if m.target_kind == "code"]
    memo_of = {name: memo for name, memo, _c, _s, _col in stored["code_name"]}
    assert all(m.text in memo_of[labels[m.target_id]] for m in code_memos)
    sentence_memos = Counter(
        (
            sample.segment(m.target_id).document_id,
            sample.segment(m.target_id).start,
            m.text,
            m.coder,
        )
        for m in sample.memos()
        if m.target_kind == "segment"
    )
    assert (
        Counter((names[f], p0, memo, owner) for f, p0, _p1, memo, owner in stored["annotation"])
        == sentence_memos
    )
