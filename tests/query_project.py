"""A generated study for the query tests: ``build_query_project(project, seed)``.

Interviews of alternating interviewer / respondent turns (some turns a coach's, one
transcript paragraph without a role), two to four sentences a turn with accented words (so
character offsets are tested, not bytes); a codebook with two categories, a code whose key is a
query keyword (``zin``) and one whose label repeats; codings by anna, bram and the consensus
layer on whole sentences, phrases, spans across sentences and across turns, one on a speaker's
label only (it touches no sentence), and some rejected.
"""

from __future__ import annotations

import random

from kwali.model import Code, Codebook, Segment, Transcript, Turn
from kwali.store import Project, Verb

QUERY_CODEBOOK = Codebook(
    "query",
    (
        Code("verplichting", "Verplichting & handhaving", kind="category"),
        Code("dwang", "Ervaren verplichting", "verplichting"),
        Code("sanctie", "Sancties en dreiging", "verplichting"),
        Code("ontheffing", "Ontheffing", "verplichting"),
        Code("effecten", "Effecten", kind="category"),
        Code("contact", "Sociale contacten", "effecten"),
        Code("leren", "Leren", "effecten"),
        Code("zin", "Zingeving"),
        Code("twee_a", "Dubbel"),
        Code("twee_b", "Dubbel"),
    ),
)
CODES = [c.key for c in QUERY_CODEBOOK if c.kind == "code"]
WORDS = "ik moest één keer naar de gemeente café buurthuis cliënt brief korting leuk".split()
CODERS = ("anna", "bram", "consensus")


def _document(rng: random.Random, number: int) -> tuple[Transcript, list[tuple]]:
    text, turns, sentences = f"Interview {number}\n\n", [], []
    for t in range(1, rng.randint(4, 9) + 1):
        role, label = (
            ("interviewer", "I: ")
            if t % 2
            else (("coach", "C: ") if rng.random() < 0.2 else ("respondent", "R: "))
        )
        if t == 4:
            role, label = None, ""  # a paragraph nobody is named for
        start = len(text)
        text += label
        for s in range(1, rng.randint(2, 4) + 1):
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize()
            if s > 1:
                text += " "
            sentences.append((t, s, len(text), len(text) + len(body) + 1))
            text += body + "."
        turns.append(
            Turn(t, start, len(text), start + len(label), len(text), label[:1] or None, role)
        )
        text += "\n\n"
    return Transcript(text, tuple(turns), f"q{number:03d}.txt", "txt"), sentences


def build_query_project(project: Project, seed: int = 1, documents: int = 6) -> None:
    """Fill an empty project with a generated, coded study."""
    rng = random.Random(seed)
    project.set_codebook(QUERY_CODEBOOK, "kwali")
    for number in range(1, documents + 1):
        transcript, sentences = _document(rng, number)

        def segments(doc_id: int, uid: str, t=transcript, s=sentences) -> list[Segment]:
            rows = [
                Segment(f"{uid}:{turn}.{n}", doc_id, "sentence", turn, n, a, b, 1, "")
                for turn, n, a, b in s
            ]
            rows += [
                Segment(f"{uid}:{x.number}", doc_id, "turn", x.number, 0, x.start, x.end, 1, "")
                for x in t.turns
            ]
            return rows

        attributes = {
            "aanpak": rng.choice(["Prestatie010", "Meedoen010"]),
            "geslacht": rng.choice(["man", "vrouw"]),
        }
        if number == documents:
            attributes.pop("geslacht")  # a document without the attribute
        stored, _ = project.add_document(transcript, segments, attributes=attributes)
        with project.action("kwali", Verb.OTHER, "code the generated study", undoable=False):
            for _ in range(rng.randint(8, 22)):
                i = rng.randrange(len(sentences))
                _, _, a, b = sentences[i]
                shape = rng.random()
                if shape < 0.3:  # a phrase
                    a = rng.randint(a, b - 2)
                    b = rng.randint(a + 1, b)
                elif shape < 0.45:  # into the next sentence(s), maybe the next turn
                    b = sentences[min(len(sentences) - 1, i + rng.randint(1, 3))][3]
                code, coder = rng.choice(CODES), rng.choice(CODERS)
                project.add_coding(stored.id, a, b, code, coder)
                if rng.random() < 0.5:  # another code on the same span
                    project.add_coding(stored.id, a, b, rng.choice(CODES), rng.choice(CODERS))
            label = transcript.turns[1]  # a speaker's label only: it touches no sentence
            project.add_coding(stored.id, label.start, label.content_start, "dwang", "anna")
            # from the label into the turn's first sentence: that sentence is where it starts
            first = next(x for x in sentences if x[0] == label.number)
            project.add_coding(stored.id, label.start, first[3], rng.choice(CODES), "bram")
    # some codings rejected: they are not in any query
    ids = [c.id for c in project.codings()]
    for coding_id in rng.sample(ids, len(ids) // 10):
        project.db.execute("UPDATE codings SET status = 'rejected' WHERE id = ?", (coding_id,))
