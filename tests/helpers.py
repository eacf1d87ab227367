"""Builders shared by test modules: ``from helpers import ...`` (pytest puts tests/ on sys.path).

Test modules never import each other: a study that more than one module needs lives here.
Fixtures live in conftest.py; these are plain functions and constants, so a test can build a
study in any project it opens (in memory, on disk, or twice for merging).

- ``shared_path``: a file in ../shared, skipping the test where that folder is absent.
- The exported study (``build_study``): two interviews read from .txt files, coded by anna,
  bram and the consensus layer.
- The agreement study (``code_two_coders``, ``add_interview``, ``code_units``,
  ``copy_with``): hand-segmented sentences that anna and bram code, for hand-checked figures.
- The teaching interview (``add_teaching_interview``): coder anna ties "bladblazer" to dwang
  by hand, which no signal of ``SUGGESTING_CODEBOOK`` finds: only a learned model suggests it.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kwali.model import Code, Codebook, Document, Segment, Signals, Transcript, Turn
from kwali.store import Project

if TYPE_CHECKING:
    from spacy.language import Language

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file in ../shared, or skip the test: that folder is absent on users' machines."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is not available")
    return path


# -- the exported study: two interviews, three coders --------------------------------------------
STUDY_INTERVIEWS = {
    1: """I: Hoe bent u bij het buurthuis terechtgekomen?
R: Ik kreeg een brief dat ik moest komen. Mijn buurvrouw Fatima zei: ga nou maar.
I: En hoe gaat het met uw gezondheid?
R: Mijn rug doet pijn (…) maar [naam coach] belde elke week. Ik moet van de gemeente, anders word ik gekort.
I: Dank u wel.
""",
    2: """I: Wat vindt u van de tegenprestatie?
R: Ik heb een ontheffing vanwege mijn rug. Daar ben ik blij mee, want ik kan niet tillen.
I: Heeft u contact met de klantmanager?
R: Eén keer per jaar. Hij zegt dat ik moet solliciteren, maar dat lukt niet met mijn rug.
""",
}
STUDY_CODEBOOK = Codebook(
    "Tegenprestatie",
    (
        Code(
            "verplichting",
            "Verplichting & handhaving",
            kind="category",
            definition="Hoe de plicht wordt beleefd.",
        ),
        Code(
            "dwang",
            "Ervaren verplichting",
            parent="verplichting",
            definition="Het gevoel te moeten.",
            include="oproepbrieven",
            exclude="een straf → sanctie",
            examples=("Ik moest komen.",),
        ),
        Code("sanctie", "Sancties", parent="verplichting", definition="Straf of dreiging."),
        Code("ontheffing", "Ontheffing", parent="verplichting"),
        Code("persoon", "Persoonlijke situatie", kind="category"),
        Code("gezondheid", "Gezondheid", parent="persoon", definition="Klachten."),
        Code("taal", "Taal", parent="persoon", definition="Nooit gecodeerd in deze test."),
    ),
)
STUDY_ATTRIBUTES = {
    1: {"rol": "werkzoekende", "geslacht": "vrouw", "aanpak": "Prestatie010"},
    2: {"rol": "werkzoekende", "geslacht": "man", "aanpak": "Meedoen010"},
}
# (document number, exact text, code, coders)
STUDY_CODINGS = [
    (1, "Ik kreeg een brief dat ik moest komen.", "dwang", ("anna", "bram", "consensus")),
    (
        1,
        "Mijn rug doet pijn (…) maar [naam coach] belde elke week.",
        "gezondheid",
        ("anna", "consensus"),
    ),
    (1, "Ik moet van de gemeente, anders word ik gekort.", "dwang", ("anna",)),
    (1, "Ik moet van de gemeente, anders word ik gekort.", "sanctie", ("anna", "bram")),
    (2, "Ik heb een ontheffing vanwege mijn rug.", "ontheffing", ("anna", "consensus")),
    (2, "Ik heb een ontheffing vanwege mijn rug.", "gezondheid", ("anna", "consensus")),
    (2, "Hij zegt dat ik moet solliciteren, maar dat lukt niet met mijn rug.", "dwang", ("bram",)),
]


def build_study(project: Project, nlp: Language, folder: Path) -> Project:
    """Two interviews read from .txt files, segmented, attributed, coded by three coders."""
    from kwali.io import read_transcript
    from kwali.nlp import segment_many

    for number, text in STUDY_INTERVIEWS.items():
        path = folder / f"interview_{number}.txt"
        path.write_text(text, encoding="utf-8")
        transcript = read_transcript(path)
        project.add_document(
            transcript,
            lambda doc_id, uid, t=transcript: segment_many(nlp, [(t.text, t.turns, doc_id, uid)])[
                0
            ],
            attributes=STUDY_ATTRIBUTES[number],
        )
    project.set_codebook(STUDY_CODEBOOK)
    for number, fragment, code, coders in STUDY_CODINGS:
        document = project.require_document(str(number))
        start = document.text.index(fragment)
        for coder in coders:
            memo = "mooi citaat" if coder == "anna" and code == "sanctie" else ""
            project.add_coding(document.id, start, start + len(fragment), code, coder, memo=memo)
    return project


# -- the agreement study: sentences segmented by hand, two coders -------------------------------
AGREEMENT_CODEBOOK = Codebook(
    "toets",
    (
        Code("ervaring", "Ervaring", kind="category"),
        Code("dwang", "Dwang", parent="ervaring", definition="Angst voor sancties."),
        Code("plezier", "Plezier", parent="ervaring"),
        Code("brief", "Brieven"),
    ),
)
SENTENCES = [
    "Ik kreeg een brief van de gemeente.",
    "Ik moest komen voor een gesprek.",
    "Ik was bang voor een korting.",
    "Nu vind ik het leuk.",
    "De collega's zijn aardig.",
    "Ik kook elke vrijdag.",
    "Schrijf vriendelijke brieven.",
    "Kijk naar wat iemand kan.",
    "Dat zou helpen.",
    "Meer heb ik niet te zeggen.",
]


def add_coded_answer(project: Project, name: str, attributes: dict[str, str]) -> None:
    """An interview of one respondent turn, coded ``dwang`` by anna (the privacy studies)."""
    text = f"R: {name}: het moest van de gemeente."
    document, _ = project.add_document(
        Transcript(
            text, (Turn(1, 0, len(text), 3, len(text), "R", "respondent"),), f"{name}.txt", "txt"
        ),
        lambda i, u: [],
        attributes=attributes,
    )
    project.add_coding(document.id, 3, len(text), "dwang", "anna")


def add_interview(
    project: Project, name: str, sentences: list[str] = SENTENCES, per_turn: int = 2
) -> list[Segment]:
    """A transcript of respondent turns of ``per_turn`` sentences, segmented by hand."""
    text, turns, spans = "", [], []
    for first in range(0, len(sentences), per_turn):
        number = first // per_turn + 1
        start = len(text)
        text += "R: "
        for k, sentence in enumerate(sentences[first : first + per_turn], start=1):
            text += " " if k > 1 else ""
            spans.append((number, k, len(text), len(text) + len(sentence)))
            text += sentence
        turns.append(
            Turn(number, start, len(text), start + 3, len(text), speaker="R", role="respondent")
        )
        text += "\n"

    def segments(document_id: int, uid: str) -> list[Segment]:
        rows = [
            Segment(f"{uid}:{t}.{k}", document_id, "sentence", t, k, a, b, t, "")
            for t, k, a, b in spans
        ]
        return rows + [
            Segment(
                f"{uid}:{t.number}",
                document_id,
                "turn",
                t.number,
                0,
                t.content_start,
                t.content_end,
                t.number,
                "",
            )
            for t in turns
        ]

    document, _ = project.add_document(
        Transcript(text, tuple(turns), f"{name}.txt", "txt"), segments, name=name
    )
    return project.segments(document.id)


def code_units(
    project: Project, sentences: list[Segment], coder: str, code: str, which: list[int]
) -> None:
    """``coder`` codes the segments at the indices ``which`` with ``code``."""
    for u in which:
        project.add_coding(
            sentences[u].document_id, sentences[u].start, sentences[u].end, code, coder
        )


def code_two_coders(project: Project, brief: list[int] = [6]) -> list[Segment]:  # noqa: B006
    """One interview: anna and bram disagree on dwang and agree on brief (the agreement study)."""
    project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
    sentences = add_interview(project, "buurthuis")
    code_units(project, sentences, "anna", "dwang", [0, 1, 2, 3])
    code_units(project, sentences, "bram", "dwang", [0, 1, 4])
    code_units(project, sentences, "anna", "brief", brief)
    code_units(project, sentences, "bram", "brief", brief)
    return sentences


def copy_with(
    path: Path,
    coder: str,
    which: list[int],
    sentences_text: list[str] = SENTENCES,
    name: str = "buurthuis",
) -> Path:
    """A project file as one coder's copy: one interview, ``which`` sentences coded dwang, a memo."""
    with Project.create(path) as project:
        project.set_codebook(AGREEMENT_CODEBOOK, "kwali")
        sentences = [
            s for s in add_interview(project, name, sentences_text) if s.kind == "sentence"
        ]
        code_units(project, sentences, coder, "dwang", which)
        project.add_memo("document", str(sentences[0].document_id), f"notitie van {coder}", coder)
    return path


# -- the teaching interview: what only a learned model can suggest ------------------------------
SUGGESTING_CODEBOOK = Codebook(
    "t",
    (
        Code("verplichting", "Verplichting", kind="category"),
        Code(
            "dwang",
            "Ervaren verplichting",
            parent="verplichting",
            signals=Signals(lemmas=("verplichten", "dwingen"), compounds=("verplicht",)),
        ),
        Code(
            "sanctie",
            "Sancties",
            parent="verplichting",
            signals=Signals(lemmas=("korten", "maatregel")),
        ),
    ),
)
TEACHING = (
    "I: Wat doet u daar?\n\n"
    "R: Ik sta met een bladblazer in het park. Dat deed vroeger de gemeente.\n\n"
    "I: En verder?\n\n"
    "R: De bladblazer is zwaar. Ik werk met een bladblazer op straat. Mijn rug doet pijn.\n\n"
    "I: Nog iets?\n\n"
    "R: Weer die bladblazer vandaag. Daarna koffie. Morgen weer de bladblazer.\n\n"
    "R: Dit heeft de coder nog niet gelezen, met een bladblazer.\n"
)
# The last sentence: after anna's last coding, so she has not read it.
UNREAD = "Dit heeft de coder nog niet gelezen, met een bladblazer."


def add_teaching_interview(
    project: Project, folder: Path, coded: bool = True
) -> tuple[Document, list[Segment]]:
    """Import TEACHING (from ``folder``/les.txt), suggest with SUGGESTING_CODEBOOK's rules and,
    with ``coded``, let anna code every 'bladblazer' sentence but UNREAD as dwang by hand."""
    from kwali.app.importing import import_files
    from kwali.app.suggesting import suggest_project

    path = folder / "les.txt"
    path.write_text(TEACHING, encoding="utf-8")
    [imported] = import_files(project, [path])
    document = imported.document
    assert document is not None, imported
    suggest_project(project, codebook=SUGGESTING_CODEBOOK)
    sentences = project.segments(document.id, kind="sentence")
    for sentence in sentences:
        if coded and "bladblazer" in sentence.text and sentence.text != UNREAD:
            project.add_coding(document.id, sentence.start, sentence.end, "dwang", "anna")
    return document, sentences


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail (rather than hang the suite) when the block runs longer than ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < seconds
