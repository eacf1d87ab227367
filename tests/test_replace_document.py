"""kwali documents replace: a corrected transcript keeps every coding, memo and review."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kwali.app.importing import import_files
from kwali.app.replacing import replace_document
from kwali.cli import cli
from kwali.model import Suggestion
from kwali.store import Project, Verb

from helpers import STUDY_CODEBOOK

TEXT = """I: Hoe bent u bij het buurthuis terechtgekomen?

R: Ik kreeg een brief dat ik moest komen. Mijn buurvrouw Fatima zei: ga nou maar. Dus ik ging.

I: En hoe gaat het met uw gezondheid?

R: Mijn rug doet pijn. Maar de coach belde elke week. Dat vond ik wel fijn eigenlijk.

I: Wat vindt u van de tegenprestatie?

R: Ik moet van de gemeente, anders word ik gekort. Dat voelt als dwang. Ik heb geen keus.

I: Dank u wel voor dit gesprek.
"""
TABLES = (
    "documents",
    "document_attributes",
    "turns",
    "segments",
    "codings",
    "memos",
    "suggestions",
    "suggestion_reviews",
    "unplaced",
)


def rows(project: Project) -> dict[str, list[tuple]]:
    return {t: sorted(tuple(r) for r in project.db.execute(f"SELECT * FROM {t}")) for t in TABLES}


def find(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return build(tmp_path)


def build(tmp_path: Path) -> Path:
    """One interview, every sentence coded by anna and bram, a span over two sentences, a
    rejected coding, memos on a sentence and on a coding, a reviewed suggestion."""
    source = tmp_path / "interview.txt"
    source.write_text(TEXT, encoding="utf-8")
    path = tmp_path / "studie.kwali"
    with Project.create(path) as project:
        [result] = import_files(project, [source])
        assert result.ok, result.error
        project.set_codebook(STUDY_CODEBOOK)
        project.set_attributes(1, {"rol": "werkzoekende"})
        codes = ["dwang", "sanctie", "gezondheid", "ontheffing"]
        for i, sentence in enumerate(project.segments(1)):
            project.add_coding(1, sentence.start, sentence.end, codes[i % 4], "anna")
            project.add_coding(1, sentence.start, sentence.end, codes[(i + 1) % 4], "bram")
        span = find(TEXT, "Mijn rug doet pijn. Maar de coach belde elke week.")
        crossing = project.add_coding(1, *span, "gezondheid", "anna", memo="rug en coach")
        project.add_memo("coding", str(crossing.id), "belangrijk", "bram")
        fatima = project.add_coding(1, *find(TEXT, "Fatima"), "persoon", "anna")
        project.add_memo("coding", str(fatima.id), "een naam", "anna")
        with project.action("bram", Verb.CODE, "sanctie"):
            start, end = find(TEXT, "Dat voelt als dwang.")
            project._insert(
                "codings",
                {
                    "document_id": 1,
                    "start": start,
                    "end": end,
                    "code_key": "sanctie",
                    "coder": "bram",
                    "status": "rejected",
                    "created": "2026-01-01T00:00:00+00:00",
                    "changed": "2026-01-01T00:00:00+00:00",
                },
            )
        for sentence in project.segments(1):
            project.add_memo("segment", sentence.id, f"memo bij {sentence.text[:10]}", "anna")
        suggested = [s for s in project.segments(1) if "dwang" in s.text or "pijn" in s.text]
        project.replace_suggestions(
            1,
            "kwali-rules@1",
            [
                Suggestion(s.id, 1, s.start, s.end, "dwang", 0.8, (), "kwali-rules@1")
                for s in suggested
            ],
        )
        for suggestion in project.suggestions(document_id=1):
            project.reject_suggestion(suggestion.id, "bram")
    return path


def replace_with(tmp_path: Path, path: Path, text: str, name: str = "gecorrigeerd.txt", **kw):
    new = tmp_path / name
    new.write_text(text, encoding="utf-8")
    with Project.open(path) as project:
        return replace_document(project, "1", new, coder="anna", **kw)


def all_codings(project: Project) -> int:
    return len(project.codings(status=None)) + sum(
        1 for u in project.unplaced() if u.kind == "coding"
    )


def test_unchanged_text_carries_everything_exactly_with_the_same_sentence_ids(tmp_path, study):
    with Project.open(study) as project:
        ids = [s.id for s in project.segments(1, kind=None)]
        before = rows(project)
    report = replace_with(tmp_path, study, TEXT)
    assert report.count("coding", "moved") == report.count("coding", "gone") == 0
    assert report.count("coding", "exact") == len(before["codings"])
    with Project.open(study) as project:
        assert [s.id for s in project.segments(1, kind=None)] == ids
        after = rows(project)
    for table in ("codings", "memos", "segments", "turns", "unplaced", "document_attributes"):
        assert after[table] == before[table], table


def test_a_typo_moves_and_flags_the_codings_on_it_and_keeps_the_other_ids(tmp_path, study):
    with Project.open(study) as project:
        old = {s.text: s.id for s in project.segments(1)}
    new_text = TEXT.replace("Dat voelt als dwang.", "Dat voelt als dawng.")
    report = replace_with(tmp_path, study, new_text)
    moved = [c for c in report.carried if c.kind == "coding" and c.placement == "moved"]
    assert {c.old_text for c in moved} == {"Dat voelt als dwang."}
    assert len(moved) == 3  # anna's, bram's and bram's rejected one
    with Project.open(study) as project:
        flagged = project.moved_codings(1)
        assert {old for _, old in flagged} == {"Dat voelt als dwang."}
        text = project.require_document(1).text
        assert {text[c.start : c.end] for c, _ in flagged} == {"Dat voelt als dawng."}
        now = {s.text: s.id for s in project.segments(1)}
        assert now["Dat voelt als dawng."] not in old.values()
        for sentence, segment_id in old.items():
            if "dwang" not in sentence:
                assert now[sentence] == segment_id  # an unchanged sentence keeps its id
        # its memo moved with the sentence, flagged
        [(memo, was)] = project.moved_memos(1)
        assert memo.target_id == now["Dat voelt als dawng."] and was == "Dat voelt als dwang."
        # bram's reviews follow their sentences, the changed one too
        reviewed = {s.segment_id for s in project.suggestions(document_id=1)}
        assert reviewed == {now["Dat voelt als dawng."], now["Mijn rug doet pijn."]}
        assert project.suggestions(document_id=1, open_for="bram") == []
    assert report.reviews_kept == 2 and report.reviews_dropped == 0


def test_a_removed_passage_leaves_its_codings_not_placed_listed_and_counted(
    tmp_path, study, runner
):
    with Project.open(study) as project:
        total = all_codings(project)
    new_text = TEXT.replace(" Dat vond ik wel fijn eigenlijk.", "")
    result = runner.invoke(
        cli, ["documents", "replace", "-p", str(study), "1", str(_write(tmp_path, new_text))]
    )
    assert result.exit_code == 0, result.output
    assert "2 niet geplaatst" in result.output
    assert "niet geplaatst 1:4.3" in result.output and "Dat vond ik wel fijn" in result.output
    with Project.open(study) as project:
        assert all_codings(project) == total  # every coding accounted for
        waiting = [u for u in project.unplaced(1) if u.kind == "coding"]
        assert {u.old_text for u in waiting} == {"Dat vond ik wel fijn eigenlijk."}
        assert {u.coder for u in waiting} == {"anna", "bram"}
        # exports and agreement read codings: none sees one at a guessed place
        text = project.require_document(1).text
        assert all(text[c.start : c.end].strip() for c in project.codings(status=None))
    listed = runner.invoke(cli, ["documents", "review", "-p", str(study)])
    assert listed.exit_code == 0 and listed.output.count("niet geplaatst") == 3  # 2 codings, memo
    # a coder places one again, on another sentence; undo takes that back
    item = next(line.split()[0] for line in listed.output.splitlines() if "anna" in line)
    placed = runner.invoke(
        cli, ["documents", "place", "-p", str(study), item, "--sentence", "4.2", "--coder", "anna"]
    )
    assert placed.exit_code == 0, placed.output
    with Project.open(study) as project:
        assert all_codings(project) == total
        assert len(project.unplaced(1)) == 2
        [memo] = [u for u in project.unplaced(1) if u.kind == "memo"]
        placed_memo = project.place_unplaced(
            memo.id, "anna", span=(0, 1), segment_id=sentence_id(project)
        )
        assert project.memos(ids=[placed_memo])[0].target_kind == "segment"


def sentence_id(project: Project) -> str:
    return project.segments(1)[0].id


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "nieuw.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_corrected_word_file_replaces_a_word_file(tmp_path, write_docx):
    paragraphs = ["I: Hoe gaat het?", "R: Goed. Ik moest komen van de gemeente. Dat was raar."]
    path = tmp_path / "docx.kwali"
    with Project.create(path) as project:
        [result] = import_files(project, [write_docx("interview.docx", paragraphs)])
        assert result.ok, result.error
        project.set_codebook(STUDY_CODEBOOK)
        text = project.require_document(1).text
        project.add_coding(1, *find(text, "Ik moest komen van de gemeente."), "dwang", "anna")
        project.add_coding(1, *find(text, "Dat was raar."), "sanctie", "anna")
    corrected = write_docx("interview-v2.docx", [paragraphs[0], paragraphs[1] + " Echt waar."])
    with Project.open(path) as project:
        report = replace_document(project, "interview", corrected, coder="anna")
        assert report.count("coding", "exact") == 2
        document = project.require_document(1)
        assert (document.name, document.source_name) == ("interview", "interview-v2.docx")
        assert document.text.endswith("Echt waar.\n") or "Echt waar." in document.text


def test_a_moved_paragraph_takes_its_codings_and_sentence_ids_along(tmp_path, study):
    paragraphs = TEXT.rstrip("\n").split("\n\n")
    paragraphs.insert(1, paragraphs.pop(3))  # the answer about health comes first
    new_text = "\n\n".join(paragraphs) + "\n"
    with Project.open(study) as project:
        old = {s.text: s.id for s in project.segments(1)}
        spans = {(TEXT[c.start : c.end], c.code_key, c.coder) for c in project.codings()}
    report = replace_with(tmp_path, study, new_text)
    assert report.count("coding", "gone") == 0
    with Project.open(study) as project:
        text = project.require_document(1).text
        assert {(text[c.start : c.end], c.code_key, c.coder) for c in project.codings()} == spans
        now = {s.text: s.id for s in project.segments(1)}
        assert now["Mijn rug doet pijn."] == old["Mijn rug doet pijn."]


@pytest.mark.sqlite_only
def test_undo_restores_the_old_text_turns_sentences_and_every_coding_exactly(tmp_path, study):
    with Project.open(study) as project:
        before = rows(project)
    new_text = (
        TEXT.replace("Fatima", "[naam]")
        .replace(" Dat vond ik wel fijn eigenlijk.", "")
        .replace("gezondheid", "gezondhied")
    )
    report = replace_with(tmp_path, study, new_text)
    assert report.count("coding", "gone") and report.count("coding", "moved")
    with Project.open(study) as project:
        assert rows(project) != before
        undone = project.undo("anna")
        assert undone is not None and undone.verb is Verb.REPLACE_DOCUMENT
        assert rows(project) == before
        project.redo("anna")
        assert project.require_document(1).text == new_text
    backups = list((study.parent / "studie.kwali-backups").glob("*-replace.kwali"))
    assert backups, "a rolling backup is taken before the replace"


def test_dry_run_shows_the_figures_and_changes_nothing(tmp_path, study, runner):
    with Project.open(study) as project:
        before = rows(project)
    new = _write(tmp_path, TEXT.replace(" Dus ik ging.", ""))
    result = runner.invoke(
        cli, ["documents", "replace", "-p", str(study), "1", str(new), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Proefdraai: er is niets veranderd.")
    assert "Coderingen: " in result.output and "niet geplaatst" in result.output
    with Project.open(study) as project:
        assert rows(project) == before


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("missing.txt", None, "bestaat niet"),
        ("map", "folder", "is een map"),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 100, ""),
        ("latin.txt", "Één café".encode("utf-16-le")[1:] * 50, ""),
        ("leeg.txt", b"", "is leeg"),
        ("project.qdpx", b"PK\x03\x04", "REFI-QDA"),
    ],
)
def test_a_bad_new_file_is_one_line_and_changes_nothing(
    tmp_path, study, runner, name, content, problem
):
    path = tmp_path / name
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with Project.open(study) as project:
        before = rows(project)
    result = runner.invoke(cli, ["documents", "replace", "-p", str(study), "1", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("kwali: fout: ") and result.output.count("\n") == 1
    assert name in result.output and problem in result.output
    with Project.open(study) as project:
        assert rows(project) == before


def test_an_unknown_document_or_another_documents_text_is_refused(tmp_path, study, runner):
    result = runner.invoke(
        cli, ["documents", "replace", "-p", str(study), "9", str(_write(tmp_path, TEXT))]
    )
    assert result.exit_code == 1 and "heeft geen document '9'" in result.output
    other = tmp_path / "ander.txt"
    other.write_text("R: Een heel ander gesprek. Over iets anders.\n", encoding="utf-8")
    with Project.open(study) as project:
        import_files(project, [other])
        before = rows(project)
    result = runner.invoke(cli, ["documents", "replace", "-p", str(study), "1", str(other)])
    assert result.exit_code == 1
    assert "ander.txt: heeft dezelfde tekst als document 2" in result.output
    with Project.open(study) as project:
        assert rows(project) == before


def test_moved_codings_are_confirmed_or_moved_by_a_coder(tmp_path, study, runner):
    replace_with(tmp_path, study, TEXT.replace("gezondheid", "gezondhied"))
    with Project.open(study) as project:
        (first, _), (second, _) = project.moved_codings(1)[:2]
    ok = runner.invoke(cli, ["documents", "place", "-p", str(study), f"c{first.id}"])
    assert ok.exit_code == 0, ok.output
    moved = runner.invoke(
        cli, ["documents", "place", "-p", str(study), f"c{second.id}", "--sentence", "2.1"]
    )
    assert moved.exit_code == 0, moved.output
    with Project.open(study) as project:
        left = {c.id for c, _ in project.moved_codings(1)}
        assert first.id not in left and second.id not in left
        sentence = next(
            s for s in project.segments(1) if (s.turn_number, s.sentence_number) == (2, 1)
        )
        assert (project.require_coding(second.id).start, project.require_coding(second.id).end) == (
            sentence.start,
            sentence.end,
        )


def test_removing_a_replaced_document_and_undoing_it_keeps_the_unplaced_codings(tmp_path, study):
    replace_with(tmp_path, study, TEXT.replace(" Dat vond ik wel fijn eigenlijk.", ""))
    with Project.open(study) as project:
        before = rows(project)
        project.remove_document(1, "anna")
        assert project.unplaced() == []
        project.undo("anna")
        assert rows(project) == before


def _edit(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 12)):
        at = rng.randrange(len(chars))
        kind = rng.choice(["typo", "delete", "insert", "name"])
        if kind == "typo" and chars[at].isalpha():
            chars[at] = rng.choice("aeiourst")
        elif kind == "delete":
            del chars[at : at + rng.randint(1, 60)]
        elif kind == "insert":
            chars[at:at] = list(rng.choice([" eh,", " [onverstaanbaar]", "\n\nI: Ja?\n\n"]))
        else:
            chars[at:at] = list("[naam]")
    return "".join(chars)


hypothesis = pytest.importorskip("hypothesis")


@pytest.mark.sqlite_only
@hypothesis.settings(max_examples=12, deadline=None)
@hypothesis.given(seed=hypothesis.strategies.integers(0, 10_000))
def test_random_edits_never_lose_a_coding(tmp_path_factory, seed):
    tmp_path = tmp_path_factory.mktemp("random")
    study_path = _study_copy(tmp_path)
    with Project.open(study_path) as project:
        total = all_codings(project)
        memos = len(project.memos()) + len(project.codings_with_memo())
    new_text = _edit(random.Random(seed), TEXT)
    if not new_text.strip():
        return
    report = replace_with(tmp_path, study_path, new_text)
    counted = sum(report.count("coding", p) for p in ("exact", "moved", "gone"))
    with Project.open(study_path) as project:
        assert counted == total == all_codings(project)
        kept_memos = len(project.memos()) + len(project.codings_with_memo())
        # a memo waits on its own, or in the row of its coding (a coder's note on it)
        waiting_memos = sum(1 for u in project.unplaced() if u.kind == "memo" or u.row.get("memo"))
        assert kept_memos + waiting_memos == memos
        text = project.require_document(1).text
        for coding in project.codings(status=None):
            assert 0 <= coding.start < coding.end <= len(text)


_STUDY_CACHE: dict[str, bytes] = {}


def _study_copy(tmp_path: Path) -> Path:
    """The study fixture's project, built once for the property test and copied."""
    path = tmp_path / "studie.kwali"
    if "data" not in _STUDY_CACHE:
        (tmp_path / "build").mkdir()
        built = build(tmp_path / "build")
        _STUDY_CACHE["data"] = built.read_bytes()
    path.write_bytes(_STUDY_CACHE["data"])
    return path
