"""Property: any sequence of coding actions can be undone step by step back to nothing,
and redone step by step back to exactly where it was."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwali.model import Code, Codebook, Transcript, Turn
from kwali.store import Project

TEXT = "R: Het moet van de gemeente, anders word je gekort op je uitkering."
CODEBOOK = Codebook("t", (Code("dwang", "Dwang"), Code("sanctie", "Sanctie"), Code("geld", "Geld")))

ACTIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"),
            st.integers(3, 40),
            st.integers(1, 25),
            st.sampled_from(["dwang", "sanctie", "geld"]),
        ),
        st.tuples(st.just("remove"), st.integers(0, 20)),
        st.tuples(st.just("memo"), st.integers(0, 20), st.text(max_size=10)),
        st.tuples(st.just("merge"), st.sampled_from(["dwang", "sanctie"]), st.just("geld")),
    ),
    min_size=1,
    max_size=12,
)


def state(project: Project) -> list[tuple]:
    codings = [(c.id, c.start, c.end, c.code_key, c.memo) for c in project.codings()]
    return [*codings, *sorted(project.codebook().keys())]


@pytest.mark.sqlite_only  # the generated texts hold NUL, which PostgreSQL's text cannot (the importers refuse it anyway)
@settings(max_examples=60, deadline=None)
@given(actions=ACTIONS)
def test_undo_everything_then_redo_everything(actions):
    with Project.in_memory() as project:
        document, _ = project.add_document(
            Transcript(TEXT, (Turn(1, 0, len(TEXT), 3, len(TEXT), "R"),), "a.txt", "txt"),
            lambda i, u: [],
        )
        project.set_codebook(CODEBOOK, coder="kwali")  # not part of anna's history
        start = state(project)
        for action in actions:
            codings = project.codings()
            if action[0] == "add":
                _, begin, length, code = action
                if project.code(code) is None:
                    continue
                project.add_coding(document.id, begin, min(begin + length, len(TEXT)), code, "anna")
            elif action[0] in ("remove", "memo") and codings:
                target = codings[action[1] % len(codings)]
                if action[0] == "remove":
                    project.remove_coding(target.id, "anna")
                else:
                    project.set_coding_memo(target.id, action[2], "anna")
            elif action[0] == "merge" and project.code(action[1]) is not None:
                project.merge_codes(action[1], action[2], "anna")
            else:
                continue
        end = state(project)
        while project.undo("anna") is not None:
            pass
        assert state(project) == start
        while project.redo("anna") is not None:
            pass
        assert state(project) == end
