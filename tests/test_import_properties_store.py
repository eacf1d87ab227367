"""Property: text a transcript reader accepted is stored whole, and segments point into it.

Control characters (form feed, escape, bell...), odd Unicode and all: SQLite's ``length()``
and ``substr()`` see every character, so quotes and codings are never cut short.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwali.errors import InputError
from kwali.io import read_transcript
from kwali.io.encoding import normalise_newlines


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("store_properties")


STORABLE = st.lists(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
    | st.sampled_from(["\n", "\n\n", "I: ", "R: ", ". ", "? ", "\x0c", "\x1b[31m", "\x0b"]),
    min_size=1,
    max_size=200,
).map("".join)


@pytest.fixture(scope="module")
def store():
    from kwali.store import Project

    with Project.in_memory() as project:
        yield project


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=STORABLE)
def test_accepted_text_is_stored_whole_and_segments_point_into_it(folder, store, nlp, text):
    from kwali.nlp import segment_many

    path = folder / "bron.txt"
    path.write_bytes(text.encode("utf-8"))
    try:
        transcript = read_transcript(path)
    except InputError:
        return  # refusing is allowed (tests/test_import_properties.py checks how)
    document, _ = store.add_document(
        transcript,
        lambda doc_id, uid: segment_many(nlp, [(transcript.text, transcript.turns, doc_id, uid)])[
            0
        ],
    )
    stored = store.document(document.id)
    assert stored is not None and stored.text == normalise_newlines(text)[0]
    (length,) = store.db.execute(
        "SELECT length(text) FROM documents WHERE id = ?", (document.id,)
    ).fetchone()
    assert length == len(stored.text)
    for segment in store.segments(document.id, kind=None):
        assert segment.text == stored.text[segment.start : segment.end]
