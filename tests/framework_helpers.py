"""A small study for the framework matrix: a group interview whose coaches are cases, and a
one-to-one interview without cases, coded by anna and bram (counts checked by hand in
tests/test_framework.py). Sentences are split by hand, so no language model is loaded."""

from __future__ import annotations

import re
from pathlib import Path

from kwali.io import read_transcript
from kwali.model import Code, Codebook, Segment
from kwali.store import Project

GROUP = (
    "I: Hoe gaat het met de deelnemers?\n"
    "Coach A: Ze komen elke week. Sommigen moeten van de gemeente.\n"
    "Coach B: Ik zie vooral plezier. Het werk geeft structuur.\n"
    "I: En de gezondheid?\n"
    "Coach A: Veel rugklachten.\n"
)
SINGLE = "I: Waarom komt u?\nR: Het moest van de gemeente. Ik vind het wel gezellig.\n"
FRAMEWORK_CODEBOOK = Codebook(
    "kader",
    (
        Code("ervaring", "Ervaring", kind="category"),
        Code("dwang", "Dwang", parent="ervaring"),
        Code("plezier", "Plezier", parent="ervaring"),
        Code("gezondheid", "Gezondheid"),
    ),
)
# (document name, exact text, code, coder)
FRAMEWORK_CODINGS = [
    ("groep", "Sommigen moeten van de gemeente.", "dwang", "anna"),
    ("groep", "Ze komen elke week.", "dwang", "bram"),
    ("groep", "Ik zie vooral plezier.", "plezier", "anna"),
    ("groep", "Ik zie vooral plezier.", "plezier", "bram"),  # the same span: one quote
    ("groep", "Het werk geeft structuur.", "plezier", "anna"),
    ("groep", "Veel rugklachten.", "gezondheid", "anna"),
    ("groep", "En de gezondheid?", "gezondheid", "anna"),  # the interviewer: the document's
    ("interview", "Het moest van de gemeente.", "dwang", "anna"),
    ("interview", "Ik vind het wel gezellig.", "plezier", "consensus"),  # never counted
]


def _add(project: Project, folder: Path, name: str, text: str) -> int:
    path = folder / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    transcript = read_transcript(path)

    def segments(document_id: int, uid: str) -> list[Segment]:
        rows = []
        for turn in transcript.turns:
            rows.append(
                Segment(
                    f"{uid}:{turn.number}",
                    document_id,
                    "turn",
                    turn.number,
                    0,
                    turn.content_start,
                    turn.content_end,
                    turn.number,
                    "",
                )
            )
            content = text[turn.content_start : turn.content_end]
            for k, m in enumerate(re.finditer(r"[^.?!]+[.?!]", content), start=1):
                a = turn.content_start + m.start() + (len(m.group()) - len(m.group().lstrip()))
                b = turn.content_start + m.end()
                rows.append(
                    Segment(
                        f"{uid}:{turn.number}.{k}",
                        document_id,
                        "sentence",
                        turn.number,
                        k,
                        a,
                        b,
                        turn.number,
                        text[a:b],
                    )
                )
        return rows

    document, _ = project.add_document(transcript, segments, name=name)
    return document.id


def build_framework_study(project: Project, folder: Path) -> dict[str, int]:
    """The study; its document ids by name."""
    ids = {
        name: _add(project, folder, name, text)
        for name, text in (("groep", GROUP), ("interview", SINGLE))
    }
    project.set_codebook(FRAMEWORK_CODEBOOK)
    texts = {"groep": GROUP, "interview": SINGLE}
    for name, fragment, code, coder in FRAMEWORK_CODINGS:
        start = texts[name].index(fragment)
        project.add_coding(ids[name], start, start + len(fragment), code, coder)
    project.import_cases(
        links=[(ids["groep"], "Coach A", "coach-a"), (ids["groep"], "Coach B", "coach-b")],
        attributes={"coach-a": {"rol": "coach"}, "coach-b": {"rol": "coach"}},
        source="t.csv",
        coder="anna",
    )
    return ids
