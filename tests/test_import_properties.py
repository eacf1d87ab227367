"""Properties of every transcript reader (.txt, .docx, .odt, .vtt, .srt) on any input.

Whatever the bytes, a reader either returns the source's text exactly (for .txt: the
decoded source with newlines normalised; for Word and OpenDocument: the paragraphs; for
captions: the cue texts, in order, none lost or doubled) or refuses with an InputError.
Never another exception, never a hang. The ``slow`` variants run many more examples.
"""

from __future__ import annotations

import signal
import zipfile
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kwali.errors import InputError
from kwali.io import read_transcript
from kwali.io.encoding import normalise_newlines
from kwali.model import Transcript

SECONDS_PER_EXAMPLE = 10  # inputs here are small: anything near this is a hang
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = (".txt", ".docx", ".odt", ".vtt", ".srt")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")


class Hang(Exception):
    """A reader ran past SECONDS_PER_EXAMPLE: the test fails instead of waiting forever."""


def _hang(signum, frame):
    raise Hang(f"a reader ran for more than {SECONDS_PER_EXAMPLE} s")


def read(folder: Path, suffix: str, data: bytes, encoding: str | None = None) -> Transcript | None:
    """The reader's result, or None when it refused; any other exception fails the test."""
    path = folder / f"bron{suffix}"
    path.write_bytes(data)
    previous = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(SECONDS_PER_EXAMPLE)
    try:
        return read_transcript(path, encoding=encoding)
    except InputError as exc:
        assert "\n" not in str(exc), "an error is one line"
        assert str(path) in str(exc), "an error names the file"
        return None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- text in many encodings ----------------------------------------------------------------------
# What Dutch transcripts hold; cp1252 can encode all of it, so every encoding is fair.
DUTCH = st.lists(
    st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzABCDEFGIJKLMNRSTUVWZ0123456789 .,;:?!()[]'\"-#\t")
        + list("éëïöüèàçÉ‘’“”–—…€°")
        + ["\n", "\r\n", "\r", "\n\n", "I: ", "R: ", "Interviewer: ", "[00:01:02] "]
    ),
    min_size=1,
    max_size=300,
).map("".join)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]


def check_txt(folder: Path, text: str, encoding: str, explicit: bool) -> None:
    data = text.encode(encoding)
    if encoding == "cp1252" and not explicit and any(ord(c) > 127 for c in text):
        # cp1252 bytes that also form valid UTF-8 (é followed by two curly quotes) are
        # UTF-8 by any reading; such text never occurs in a real interview.
        try:
            data.decode("utf-8")
            assume(False)
        except UnicodeDecodeError:
            pass
    if encoding in ("utf-16-le", "utf-16-be") and not explicit:
        # Without a BOM, UTF-16 shows itself only by its NUL bytes: b"\x13 " is "\x13 " in
        # UTF-8 and "–" in UTF-16-LE. Text of only such characters is not a transcript.
        assume(b"\x00" in data)
    result = read(folder, ".txt", data, encoding if explicit else None)
    if result is not None:
        assert result.text == normalise_newlines(text)[0]


@FEW
@given(text=DUTCH, encoding=st.sampled_from(ENCODINGS), explicit=st.booleans())
def test_txt_is_the_decoded_source_or_refused(folder, text, encoding, explicit):
    check_txt(folder, text, encoding, explicit)


@pytest.mark.slow
@MANY
@given(text=DUTCH, encoding=st.sampled_from(ENCODINGS), explicit=st.booleans())
def test_txt_is_the_decoded_source_or_refused_many(folder, text, encoding, explicit):
    check_txt(folder, text, encoding, explicit)


def test_plain_dutch_in_every_encoding_is_read_not_refused(folder):
    """The property above allows refusals; ordinary text must still be read."""
    text = "I: Hoe ging het met de ‘tegenprestatie’?\nR: Tja… één grote ellende. Café, reünie.\n"
    for encoding in ENCODINGS:
        result = read(folder, ".txt", text.encode(encoding))
        assert result is not None and result.text == text, encoding


# -- any bytes, any suffix, any encoding name ----------------------------------------------------
def check_bytes(folder: Path, suffix: str, data: bytes, encoding: str | None) -> None:
    result = read(folder, suffix, data, encoding)
    if result is not None:
        assert "\x00" not in result.text and result.text.strip()
        for turn in result.turns:
            assert 0 <= turn.start <= turn.content_start <= turn.content_end <= len(result.text)


ENCODING_NAMES = st.sampled_from(
    [None, None, "utf-8", "cp1252", "latin-1", "utf-16", "utf-7", "idna", "rot13", "klingon"]
)


@FEW
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=600), encoding=ENCODING_NAMES)
def test_random_bytes_are_read_or_refused_in_one_line(folder, suffix, data, encoding):
    check_bytes(folder, suffix, data, encoding)


@pytest.mark.slow
@MANY
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=3000), encoding=ENCODING_NAMES)
def test_random_bytes_are_read_or_refused_in_one_line_many(folder, suffix, data, encoding):
    check_bytes(folder, suffix, data, encoding)


# -- Word and OpenDocument -----------------------------------------------------------------------
# Paragraph text XML can carry as it is (no CR/LF/VT: the readers turn those into spaces).
PARAGRAPH = st.lists(
    st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff\u2028\u2029"
    )
    | st.sampled_from(["\t", "<", "&", ">", "]]>", "  "]),
    max_size=60,
).map("".join)
PARAGRAPHS = st.lists(PARAGRAPH, min_size=1, max_size=12)


def docx_bytes(paragraphs: list[str], as_table: bool) -> bytes:
    def p(text: str) -> str:
        return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    if as_table:  # one row per paragraph, one cell each
        body = "<w:tbl>" + "".join(f"<w:tr><w:tc>{p(t)}</w:tc></w:tr>" for t in paragraphs)
        body += "</w:tbl>"
    else:
        body = "".join(p(t) for t in paragraphs)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}'
    xml += "<w:sectPr/></w:body></w:document>"
    return zipped({"word/document.xml": xml.encode()})


def odt_bytes(paragraphs: list[str], spans: int) -> bytes:
    def p(text: str) -> str:
        # runs of spaces as ODF writes them: <text:s text:c="N"/>
        inner = escape(text).replace("  ", '<text:s text:c="2"/>')
        return f"<text:p>{'<text:span>' * spans}{inner}{'</text:span>' * spans}</text:p>"

    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        f'xmlns:text="{ODF_TEXT}"><office:body><office:text>'
        + "".join(p(t) for t in paragraphs)
        + "</office:text></office:body></office:document-content>"
    )
    return zipped(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": xml.encode()}
    )


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def expected_document_text(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs).strip("\n")


@FEW
@given(paragraphs=PARAGRAPHS, as_table=st.booleans(), spans=st.integers(0, 40))
def test_docx_and_odt_hold_exactly_their_paragraphs(folder, paragraphs, as_table, spans):
    expected = expected_document_text(paragraphs)
    for suffix, data in (
        (".docx", docx_bytes(paragraphs, as_table)),
        (".odt", odt_bytes(paragraphs, spans)),
    ):
        result = read(folder, suffix, data)
        if not expected.strip():
            assert result is None, "a document without text is refused"
        else:
            assert result is not None and result.text == expected, suffix


def mangle(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, delete count, insert) edits: damaged files as tools and disks make them."""
    out = bytearray(data)
    for position, delete, insert in edits:
        at = position % (len(out) + 1)
        out[at : at + delete] = insert
    return bytes(out)


EDITS = st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(0, 8), st.binary(max_size=8)),
    min_size=1,
    max_size=6,
)
XML_NOISE = st.sampled_from(
    [
        b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
        b"&a;",
        b"<!-- c -->",
        b"<?pi x?>",
        b"<text:s text:c='99999999999'/>",
        b"<text:s text:c='-1'/>",
        b"<w:t>",
        b"</w:p>",
        b"<![CDATA[x]]>",
        b"\x00",
        b"\xff\xfe",
        b"<text:span>" * 300,
    ]
)


def check_mangled_xml(folder, paragraphs, edits, noise, suffix) -> None:
    """Damage the XML part, not the zip: the parser and the walkers see every kind of mess."""
    member = "word/document.xml" if suffix == ".docx" else "content.xml"
    source = docx_bytes(paragraphs, False) if suffix == ".docx" else odt_bytes(paragraphs, 1)
    with zipfile.ZipFile(BytesIO(source)) as archive:
        xml = archive.read(member)
    at = edits[0][0] % (len(xml) + 1)
    damaged = mangle(xml[:at] + noise + xml[at:], edits[1:])
    check_bytes(folder, suffix, zipped({member: damaged}), None)
    check_bytes(folder, suffix, mangle(source, edits), None)  # and the zip itself


@FEW
@given(
    paragraphs=PARAGRAPHS, edits=EDITS, noise=XML_NOISE, suffix=st.sampled_from([".docx", ".odt"])
)
def test_mangled_word_and_odf_files_are_read_or_refused(folder, paragraphs, edits, noise, suffix):
    check_mangled_xml(folder, paragraphs, edits, noise, suffix)


@pytest.mark.slow
@MANY
@given(
    paragraphs=PARAGRAPHS, edits=EDITS, noise=XML_NOISE, suffix=st.sampled_from([".docx", ".odt"])
)
def test_mangled_word_and_odf_files_are_read_or_refused_many(
    folder, paragraphs, edits, noise, suffix
):
    check_mangled_xml(folder, paragraphs, edits, noise, suffix)


# -- captions ------------------------------------------------------------------------------------
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéëïü0123456789.,?!'()", min_size=1, max_size=10)
CUE = st.tuples(
    st.sampled_from([None, "Interviewer", "Respondent", "Sanne"]),
    st.lists(WORD, min_size=0, max_size=8),
    st.integers(1, 3),  # lines the words are spread over
    st.sampled_from(["label", "voice"]),
)
TIMING = st.tuples(
    st.sampled_from([".", ","]), st.sampled_from(["-->", "->", " --> ", "-->  "]), st.booleans()
)


def stamp(ms: int, separator: str, hours: bool) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, rest = divmod(rest, 1000)
    head = f"{h:02d}:" if hours or h else ""
    return f"{head}{m:02d}:{s:02d}{separator}{rest:03d}"


def caption_file(cues, timing, vtt: bool, numbered: bool) -> tuple[str, list[str]]:
    """The file, and the words every cue says, in order."""
    separator, arrow, hours = timing
    blocks = ["WEBVTT"] if vtt else []
    said: list[str] = []
    for number, (speaker, words, lines, style) in enumerate(cues, start=1):
        start, end = number * 1500, number * 1500 + 1400
        timing_line = f"{stamp(start, separator, hours)}{arrow}{stamp(end, separator, hours)}"
        chunks = [" ".join(words[i::lines]) for i in range(lines)]
        text = "\n".join(c for c in chunks if c)
        said += [w for chunk in chunks for w in chunk.split()]
        if speaker and vtt and style == "voice":
            text = f"<v {speaker}>{text}</v>"
        elif speaker and speaker != "Sanne":  # captions take only known roles as labels
            text = f"{speaker}: {text}"
        head = [str(number)] if (numbered or not vtt) else []
        blocks.append("\n".join([*head, timing_line, text]).rstrip("\n"))
    return "\n\n".join(blocks) + "\n", said


def check_captions(folder, cues, timing, vtt, numbered, newline) -> None:
    content, said = caption_file(cues, timing, vtt, numbered)
    data = content.replace("\n", newline).encode("utf-8")
    result = read(folder, ".vtt" if vtt else ".srt", data)
    if not said:
        assert result is None, "captions without words are refused"
        return
    assert result is not None, "well-formed captions in the timing styles tools write are read"
    spoken = " ".join(result.text[t.content_start : t.content_end] for t in result.turns)
    assert spoken.split() == said


@FEW
@given(
    cues=st.lists(CUE, min_size=1, max_size=10),
    timing=TIMING,
    vtt=st.booleans(),
    numbered=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_captions_hold_every_cue_text_in_order(folder, cues, timing, vtt, numbered, newline):
    check_captions(folder, cues, timing, vtt, numbered, newline)


def check_mangled_captions(folder, cues, timing, vtt, edits) -> None:
    content, _ = caption_file(cues, timing, vtt, True)
    check_bytes(folder, ".vtt" if vtt else ".srt", mangle(content.encode(), edits), None)


CAPTION_EDITS = st.lists(
    st.tuples(
        st.integers(0, 2000),
        st.integers(0, 4),
        st.sampled_from(
            [b"", b"\n", b"\n\n", b"-->", b"->", b":", b",", b"99999999999", b"NOTE", b"x"]
        )
        | st.binary(max_size=4),
    ),
    min_size=1,
    max_size=5,
)


@FEW
@given(
    cues=st.lists(CUE, min_size=1, max_size=6),
    timing=TIMING,
    vtt=st.booleans(),
    edits=CAPTION_EDITS,
)
def test_mangled_captions_are_read_or_refused(folder, cues, timing, vtt, edits):
    check_mangled_captions(folder, cues, timing, vtt, edits)


@pytest.mark.slow
@MANY
@given(
    cues=st.lists(CUE, min_size=1, max_size=6),
    timing=TIMING,
    vtt=st.booleans(),
    edits=CAPTION_EDITS,
)
def test_mangled_captions_are_read_or_refused_many(folder, cues, timing, vtt, edits):
    check_mangled_captions(folder, cues, timing, vtt, edits)
