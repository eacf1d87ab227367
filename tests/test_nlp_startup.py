"""Segmenting a transcript does not load nltk: its Snowball stemmer import takes seconds and
only stemming needs it (``kwali import`` segments, ``kwali suggest`` stems)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from kwali.model import Turn
from kwali.nlp import make_nlp, segment_many
text = "R: Ik moest komen. Dat was verplicht."
turns = [Turn(1, 0, len(text), 3, len(text), "R", "respondent")]
[segments] = segment_many(make_nlp(), [(text, turns, 1, "abc")])
assert [s.text for s in segments if s.kind == "sentence"] == ["Ik moest komen.", "Dat was verplicht."]
print("nltk" in sys.modules)
from kwali.nlp import stem
print(stem("verplichtingen"), "nltk" in sys.modules)
"""


def test_segmenting_leaves_nltk_unloaded_until_a_word_is_stemmed():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "False"
    assert out[1] == "verplicht True"
