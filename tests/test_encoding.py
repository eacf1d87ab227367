"""Text transcripts in the encodings researchers actually have."""

from __future__ import annotations

import codecs

import pytest

from kwali.errors import InputError
from kwali.io.encoding import decode_text, normalise_newlines
from kwali.io.transcripts import read_transcript

SAMPLE = "I: Hoe ging het met de ‘tegenprestatie’ – eerlijk?\nR: Tja… ik vond het één grote ellende, echt waar. Café, ruïne, reünie.\n"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16-le"),  # Python writes a little-endian BOM
        ("utf-16-be", "utf-16-be"),  # no BOM: found by the NUL pattern
        ("utf-16-le", "utf-16-le"),
        ("cp1252", "cp1252"),
    ],
)
def test_transcript_decodes_in_every_common_encoding(tmp_path, encoding, expected):
    path = tmp_path / "interview.txt"
    path.write_bytes(SAMPLE.encode(encoding))
    transcript = read_transcript(path)
    assert transcript.text == SAMPLE
    assert transcript.encoding == expected
    assert [t.speaker for t in transcript.turns] == ["I", "R"]


def test_latin1_without_curly_quotes_is_read_as_cp1252_superset(tmp_path):
    text = "R: Ik heb een ruïne gezien, één keer, in België.\n"
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("latin-1"))
    assert read_transcript(path).text == text


def test_explicit_encoding_wins_and_wrong_one_is_a_clear_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(SAMPLE.encode("cp1252"))
    assert read_transcript(path, encoding="cp1252").text == SAMPLE
    with pytest.raises(InputError, match=r"a\.txt: kan niet gelezen worden als utf-8"):
        read_transcript(path, encoding="utf-8")
    with pytest.raises(InputError, match="onbekende codering"):
        read_transcript(path, encoding="klingon")


def test_binary_and_empty_files_are_refused(tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(InputError, match="photo.txt: lijkt een binair bestand"):
        read_transcript(binary)
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"  \n\n ")
    with pytest.raises(InputError, match="blank.txt: het bestand is leeg"):
        read_transcript(blank)


def test_random_bytes_are_not_silently_guessed(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D] * 50) + b"abc")
    with pytest.raises(InputError, match="noise.txt"):
        read_transcript(path)


def test_bom_is_not_part_of_the_text():
    text, name = decode_text(codecs.BOM_UTF8 + b"R: ja", path=__import__("pathlib").Path("x"))
    assert text == "R: ja" and name == "utf-8-sig"


def test_newlines_are_normalised_with_a_map_back_to_the_original():
    original = "I: een\r\nR: twee\r\n\r\ndrie\rvier"
    text, removed = normalise_newlines(original)
    assert text == "I: een\nR: twee\n\ndrie\nvier"
    from bisect import bisect_right

    for i, char in enumerate(text):
        back = i + bisect_right(removed, i)
        if char != "\n":
            assert original[back] == char
