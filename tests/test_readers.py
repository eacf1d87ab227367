"""Word, OpenDocument and caption readers, and the checks every file goes through."""

from __future__ import annotations

import zipfile

import pytest

from kwali.errors import InputError
from kwali.io import read_transcript


def test_docx_paragraphs_become_turns(write_docx):
    path = write_docx(
        "int.docx",
        [
            "FICTIEF INTERVIEW — voorbeeld",
            "",
            "Interviewer: Wat doet u nu?",
            "Respondent: Vrijwilligerswerk in het buurthuis, drie ochtenden.",
            "Dat bevalt goed.",
        ],
    )
    transcript = read_transcript(path)
    assert transcript.format == "docx"
    speakers = [t.speaker for t in transcript.turns]
    assert speakers == [None, "Interviewer", "Respondent"]
    answer = transcript.turns[2]
    assert transcript.text[answer.content_start : answer.content_end] == (
        "Vrijwilligerswerk in het buurthuis, drie ochtenden.\nDat bevalt goed."
    )


def test_damaged_docx_is_a_one_line_error(tmp_path, write_docx):
    good = write_docx("good.docx", ["R: ja"])
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(
        InputError, match=r"truncated\.docx: is geen geldig Word \(\.docx\)-bestand"
    ):
        read_transcript(truncated)
    not_word = tmp_path / "fake.docx"
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match=r"fake\.docx: bevat geen 'word/document.xml'"):
        read_transcript(not_word)


def test_zip_with_escaping_member_is_refused(tmp_path):
    path = tmp_path / "evil.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../etc/passwd", "x")
    with pytest.raises(InputError, match="onveilige onderdeelnaam"):
        read_transcript(path)


def test_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * 50_000_000)
    with pytest.raises(InputError, match="zip-bom"):
        read_transcript(path)


def _odt(tmp_path, body: str):
    path = tmp_path / "int.odt"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        f"{body}</office:text></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return path


def test_odt_reads_paragraphs_and_spaces(tmp_path):
    path = _odt(
        tmp_path, '<text:p>I: Hoe<text:s text:c="2"/>gaat het?</text:p><text:p>R: Goed.</text:p>'
    )
    transcript = read_transcript(path)
    assert transcript.text == "I: Hoe  gaat het?\nR: Goed."
    assert [t.speaker for t in transcript.turns] == ["I", "R"]


def test_odt_with_entity_expansion_is_refused(tmp_path):
    path = tmp_path / "bomb.odt"
    xml = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", xml)
    with pytest.raises(InputError, match="bomb.odt: heeft beschadigde of onveilige XML"):
        read_transcript(path)


VTT = """WEBVTT

NOTE
FICTIEF INTERVIEW — voorbeeld

00:00:01.000 --> 00:00:03.000
<v Interviewer>Goedemiddag.</v>

00:00:03.000 --> 00:00:05.500
<v Interviewer>Hoe gaat het met u?</v>

00:00:05.500 --> 00:00:09.000
<v Respondent>Nou, het gaat.

00:00:09.000 --> 00:00:12.000
<v Respondent>Ik moet vrijwilligerswerk doen.
"""


def test_vtt_cues_of_one_speaker_merge_into_turns(tmp_path):
    path = tmp_path / "call.vtt"
    path.write_text(VTT, encoding="utf-8")
    transcript = read_transcript(path)
    turns = transcript.turns
    assert [t.speaker for t in turns] == [None, "Interviewer", "Respondent"]
    assert [t.timestamp for t in turns] == [None, 1.0, 5.5]
    assert transcript.text[turns[2].content_start : turns[2].content_end] == (
        "Nou, het gaat. Ik moet vrijwilligerswerk doen."
    )
    assert turns[2].role == "respondent"


SRT = """1
00:00:01,000 --> 00:00:04,000
INTERVIEWER: Hoe komen vrijwilligers bij u binnen?

2
00:00:04,000 --> 00:00:08,000
COÖRDINATOR: Via de activeringscoach meestal.

3
00:00:08,000 --> 00:00:10,000
Soms ook zelf.
"""


def test_srt_speakers_from_labels_and_continuation_cues(tmp_path):
    path = tmp_path / "buurthuis.srt"
    path.write_text(SRT, encoding="utf-8")
    transcript = read_transcript(path)
    assert [(t.speaker, t.role, t.timestamp) for t in transcript.turns] == [
        ("INTERVIEWER", "interviewer", 1.0),
        ("COÖRDINATOR", "ontvangende_organisatie", 4.0),
    ]
    last = transcript.turns[1]
    assert (
        transcript.text[last.content_start : last.content_end]
        == "Via de activeringscoach meestal. Soms ook zelf."
    )


def test_malformed_captions_are_one_line_errors(tmp_path):
    vtt = tmp_path / "bad.vtt"
    vtt.write_text("dit is geen webvtt\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.vtt: is geen geldig WebVTT-bestand"):
        read_transcript(vtt)
    srt = tmp_path / "bad.srt"
    srt.write_text("1\nniet een tijd\nhallo\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.srt"):
        read_transcript(srt)


def test_missing_folder_and_unknown_type(tmp_path):
    with pytest.raises(InputError, match="gone.txt: dit bestand bestaat niet"):
        read_transcript(tmp_path / "gone.txt")
    with pytest.raises(InputError, match="is een map"):
        read_transcript(tmp_path)
    odd = tmp_path / "data.xyz"
    odd.write_text("x")
    with pytest.raises(InputError, match=r"data.xyz: heeft een soort die kwali niet leest: \.xyz"):
        read_transcript(odd)
