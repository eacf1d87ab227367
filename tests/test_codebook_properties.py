"""Properties of the codebook YAML loader on any input (issue #11).

Whatever the bytes, ``load_codebook`` returns a Codebook or refuses with one CodebookError
line naming the file: never another exception, never a hang. A codebook that loads
round-trips: dump, load again, and the same codes come back. The ``slow`` variants run
many more examples.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwali.errors import CodebookError
from kwali.io.codebook import dump_codebook, load_codebook, parse_codebook
from kwali.model import Code, Codebook, Signals

from helpers import within

SECONDS_PER_EXAMPLE = 5  # inputs are a few KB: anything near this is a hang
FEW = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MANY = settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("codebooks")


def load(folder: Path, data: bytes) -> Codebook | None:
    """The loaded codebook, or None when refused in one line naming the file."""
    path = folder / "codeboek.yaml"
    path.write_bytes(data)
    try:
        with within(SECONDS_PER_EXAMPLE):
            codebook = load_codebook(path)
    except CodebookError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(str(path)), message
        return None
    with within(SECONDS_PER_EXAMPLE):
        again = parse_codebook(dump_codebook(codebook))
    assert again.codes == codebook.codes and again.name == codebook.name
    return codebook


# -- valid codebooks, with any text in them ------------------------------------------------------
# Any character YAML can carry; the loader strips text fields, so values are drawn stripped.
TEXT = st.text(
    st.characters(codec="utf-8"),  # no lone surrogates: not UTF-8 text
    max_size=30,
).map(str.strip)
LABEL = TEXT.filter(bool)
KEY = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,10}", fullmatch=True)


@st.composite
def codebooks(draw: st.DrawFn) -> Codebook:
    keys = draw(st.lists(KEY, min_size=1, max_size=10, unique=True))
    parents: dict[str, str | None] = {}
    codes = []
    for index, key in enumerate(keys):
        parent = keys[draw(st.integers(0, index - 1))] if index and draw(st.booleans()) else None
        parents[key] = parent
        words = st.lists(LABEL, max_size=3).map(tuple)
        codes.append(
            Code(
                key=key,
                label=draw(LABEL),
                parent=parent,
                kind=draw(st.sampled_from(["code", "category"])),
                definition=draw(TEXT),
                include=draw(TEXT),
                exclude=draw(TEXT),
                examples=draw(words),
                colour=draw(st.sampled_from(["", "#A1B2C3", "#ABCDEF"])),
                signals=Signals(
                    lemmas=tuple(w.lower() for w in draw(words)),
                    phrases=tuple(w.lower() for w in draw(words)),
                ),
            )
        )
    ordered: list[Code] = []  # parents first, as the loader gives them
    kids: dict[str | None, list[Code]] = {}
    for code in codes:
        kids.setdefault(code.parent, []).append(code)
    stack = list(reversed(kids.get(None, [])))
    while stack:
        code = stack.pop()
        ordered.append(code)
        stack += reversed(kids.get(code.key, []))
    return Codebook(
        name=draw(LABEL), codes=tuple(ordered), version=draw(TEXT), description=draw(TEXT)
    )


def round_trips(codebook: Codebook) -> None:
    """Every code comes back unchanged, kinds and parents included. Only the order of the
    top level may change: the format lists categories before codes."""
    with within(SECONDS_PER_EXAMPLE):
        again = parse_codebook(dump_codebook(codebook))
        third = parse_codebook(dump_codebook(again))
    assert sorted(again.codes, key=lambda c: c.key) == sorted(codebook.codes, key=lambda c: c.key)
    assert third.codes == again.codes  # a codebook that loads round-trips exactly
    assert (again.name, again.version, again.description) == (
        codebook.name,
        codebook.version,
        codebook.description,
    )


@FEW
@given(codebook=codebooks())
def test_any_codebook_round_trips(codebook):
    round_trips(codebook)


@pytest.mark.slow
@MANY
@given(codebook=codebooks())
def test_any_codebook_round_trips_many(codebook):
    round_trips(codebook)


# -- random and mangled files ----------------------------------------------------------------------


@FEW
@given(data=st.binary(max_size=2000))
def test_random_bytes_load_or_are_refused(folder, data):
    load(folder, data)


@FEW
@given(text=st.text(max_size=500))
def test_random_text_loads_or_is_refused(folder, text):
    load(folder, text.encode("utf-8", "surrogatepass"))


# Pieces that make YAML interesting: structure, anchors, aliases, tags, flow, odd scalars.
PIECES = st.sampled_from(
    [
        "&a ",
        "*a",
        "&b ",
        "*b",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "- ",
        "  ",
        "\n",
        "? ",
        "!!python/object:os.system ",
        "!!str ",
        "!!binary ",
        "<<: *a",
        "|",
        ">",
        "'",
        '"',
        "#",
        "%YAML 1.1\n",
        "---\n",
        "...\n",
        "\t",
        "key: ",
        "codes:",
        "parent: ",
        "label: ",
        "signals: {regex: ['(']}",
        "9" * 40,
        "😀",
        "\x00",
        "\ufeff",
    ]
)


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    """A valid codebook's YAML with lines deleted, doubled and swapped and pieces inserted."""
    lines = dump_codebook(draw(codebooks())).split("\n")
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "double", "swap", "insert", "cut"]))
        if operation == "delete" and len(lines) > 1:
            del lines[at]
        elif operation == "double":
            lines.insert(at, lines[at])
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif operation == "insert":
            column = draw(st.integers(0, len(lines[at])))
            piece = draw(PIECES | st.text(max_size=5))
            lines[at] = lines[at][:column] + piece + lines[at][column:]
        else:
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@FEW
@given(data=mangled())
def test_mangled_codebooks_load_or_are_refused(folder, data):
    load(folder, data)


@pytest.mark.slow
@MANY
@given(data=mangled() | st.binary(max_size=4000))
def test_mangled_codebooks_load_or_are_refused_many(folder, data):
    load(folder, data)


@FEW
@given(
    levels=st.integers(1, 12),
    width=st.integers(1, 12),
    use=st.integers(1, 12),
)
def test_alias_trees_of_any_shape_are_bounded(folder, levels, width, use):
    """Aliases of aliases: loaded when small, refused in one line when not; never slow."""
    lines = ["name: Bomen", "codes:", "  - &l0 {key: a, label: A}"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"  - &l{level} {{key: k{level}, label: K, codes: [{refs}]}}")
    lines += [f"  - *l{levels}"] * use
    load(folder, "\n".join(lines).encode())


def test_a_key_across_a_line_break_is_refused_in_one_line(folder):
    """Found by the slow property test: the key's line break reached the error line."""
    assert load(folder, b"name: '0'\ncodes:\n- key: A\n\n    0'\n") is None
