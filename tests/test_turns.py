"""Speaker turns and timestamps in the transcript forms researchers use."""

from __future__ import annotations

import pytest

from kwali.io.turns import describe_label, detect_turns, parse_timestamp


def contents(text: str, **kwargs) -> list[tuple]:
    return [
        (t.speaker, t.role, t.gender, t.timestamp, text[t.content_start : t.content_end])
        for t in detect_turns(text, **kwargs)
    ]


def test_i_r_turns_with_bracketed_timestamps_and_a_header():
    text = (
        "FICTIEF INTERVIEW — voorbeeld\nInterview 1 · werkzoekende\n\n"
        "[00:00:05] I: Hoe gaat het?\n\n[00:01:10] R: Goed. Let op: dat is niet betaald.\n"
        "Tweede alinea van hetzelfde antwoord.\n"
    )
    assert contents(text) == [
        (None, None, None, None, "FICTIEF INTERVIEW — voorbeeld\nInterview 1 · werkzoekende"),
        ("I", "interviewer", None, 5.0, "Hoe gaat het?"),
        (
            "R",
            "respondent",
            None,
            70.0,
            "Goed. Let op: dat is niet betaald.\nTweede alinea van hetzelfde antwoord.",
        ),
    ]


@pytest.mark.parametrize(
    ("line", "speaker", "timestamp"),
    [
        ("Interviewer: Dag.", "Interviewer", None),
        ("00:12:34 Respondent: Ja.", "Respondent", 754.0),
        ("(00:12:34) R: Ja.", "R", 754.0),
        ("R (00:12:34): Ja.", "R", 754.0),
        ("R: [00:12:34] Ja.", "R", 754.0),
        ("R: 00:12:34 Ja.", "R", 754.0),
        ("#00:12:34-5# R: Ja.", "R", 754.0),
    ],
)
def test_timestamp_forms(line, speaker, timestamp):
    turn = detect_turns(line)[0]
    assert (turn.speaker, turn.timestamp) == (speaker, timestamp)
    assert line[turn.content_start : turn.content_end] == "Ja." or line.endswith("Dag.")


def test_role_labels_map_to_role_and_gender():
    assert describe_label("Werkzoekende, vrouw") == describe_label("Werkzoekende (vrouw)")
    assert describe_label("Werkzoekende; man").gender == "man"
    info = describe_label("Een activeringscoach, man/vrouw")
    assert (info.role, info.gender) == ("activeringscoach", "masked")
    assert describe_label("Teammanager, man").role == "teammanager"
    assert not describe_label("Let op").known


def test_first_names_count_only_when_repeated_and_the_questioner_interviews():
    text = "Sanne: Hoe was dat?\nMarco: Zwaar.\nSanne: En nu?\nMarco: Beter. Conclusie: prima.\n"
    turns = contents(text)
    assert [t[0] for t in turns] == ["Sanne", "Marco", "Sanne", "Marco"]
    assert [t[1] for t in turns] == ["interviewer", "respondent", "interviewer", "respondent"]
    # a one-off "Conclusie:" inside speech never becomes a speaker
    assert turns[3][4] == "Beter. Conclusie: prima."


def test_f4_trailing_timestamps_are_kept_out_of_the_content():
    text = "Interviewer: Vraag? #00:00:04-1#\nWerkzoekende (man): Antwoord. #00:00:09-3#\n"
    turns = contents(text)
    assert turns[0][4] == "Vraag?"
    assert turns[1][4] == "Antwoord."
    assert turns[1][3] == 4.0  # starts where the previous turn ended
    assert turns[1][1:3] == ("werkzoekende", "man")


def test_unlabelled_text_becomes_paragraphs():
    text = "Eerste alinea\nloopt door.\n\nTweede alinea."
    assert [t[4] for t in contents(text)] == ["Eerste alinea\nloopt door.", "Tweede alinea."]
    assert [t[4] for t in contents(text, paragraphs="line")] == [
        "Eerste alinea",
        "loopt door.",
        "Tweede alinea.",
    ]


def test_turn_numbers_are_consecutive_and_offsets_valid():
    text = "I: a\nR: b\n\nI: c\n"
    turns = detect_turns(text)
    assert [t.number for t in turns] == [1, 2, 3]
    for t in turns:
        assert 0 <= t.start <= t.content_start <= t.content_end <= t.end <= len(text)


def test_parse_timestamp():
    assert parse_timestamp("01:02:03.5") == 3723.5
    assert parse_timestamp("02:03,25") == 123.25
