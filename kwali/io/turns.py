"""Find speaker turns and timestamps in a plain-text transcript without changing it.

Recognised (see docs/import.md): ``I:``/``R:``, ``Interviewer:``/``Respondent:``, first names
(``Sanne:``), role labels with gender (``Werkzoekende, vrouw:``, ``Een activeringscoach,
man/vrouw:``), timestamps ``[00:12:34]``, ``(00:12:34)``, a bare ``00:12:34`` before or after
the label, and f4/f5 ``#00:12:34-5#`` marks. Labels and timestamps stay in the text; a turn's
content range simply starts after them, so quotes remain exactly as transcribed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from kwali.model import Turn

_TS = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_LEAD_TS = re.compile(
    rf"[ \t]*(?:[\[(][ \t]*(?P<a>{_TS})[ \t]*[\])]|#(?P<b>{_TS})(?:-\d+)?#|(?P<c>{_TS})(?=[ \t]))[ \t]*"
)
_LABEL = re.compile(
    rf"(?P<label>[^\W\d_][\w .,;()/'’&-]{{0,50}}?)"
    rf"(?:[ \t]*[\[(](?P<ts>{_TS})[\])])?[ \t]*:(?=\s|$)[ \t]*"
)
_AFTER_TS = re.compile(rf"(?:[\[(](?P<a>{_TS})[\])]|(?P<b>{_TS})(?=\s))[ \t]*")
_TRAILING_F4 = re.compile(rf"[ \t]*#(?P<ts>{_TS})(?:-\d+)?#[ \t]*$")

INTERVIEWER_LABELS = {  # i18n: keep (speaker labels a transcript is matched against)
    "i",
    "int",
    "interviewer",
    "interviewster",
    "interviewers",
    "moderator",
    "onderzoeker",
}
RESPONDENT_LABELS = {  # i18n: keep (speaker labels a transcript is matched against)
    "r",
    "resp",
    "respondent",
    "respondente",
    "geïnterviewde",
    "geinterviewde",
}
# Role words from the study (domain brief): a label whose first word is one of these is a turn.
ROLE_WORDS = {
    "werkzoekende": "werkzoekende",
    "klant": "werkzoekende",
    "cliënt": "werkzoekende",
    "client": "werkzoekende",
    "deelnemer": "werkzoekende",
    "deelneemster": "werkzoekende",
    "bijstandsgerechtigde": "werkzoekende",
    "vrijwilliger": "werkzoekende",
    "mantelzorger": "werkzoekende",
    "activeringscoach": "activeringscoach",
    "activeringsconsulent": "activeringscoach",
    "coach": "activeringscoach",
    "werkcoach": "activeringscoach",
    "consulent": "activeringscoach",
    "klantmanager": "klantmanager",
    "teammanager": "teammanager",
    "coördinator": "ontvangende_organisatie",
    "coordinator": "ontvangende_organisatie",
    "vrijwilligerscoördinator": "ontvangende_organisatie",
    "vrijwilligerscoordinator": "ontvangende_organisatie",
    "begeleider": "ontvangende_organisatie",
    "medewerker": "medewerker",
    "beleidsmedewerker": "beleid",
    "wethouder": "beleid",
}
_ARTICLES = {"een", "de", "het"}


def parse_timestamp(text: str) -> float:
    """``01:02:03.5`` → 3723.5 seconds."""
    parts = text.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def format_timestamp(seconds: float | None) -> str:
    """3723.5 → ``01:02:03``; empty when a turn has no time."""
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


@dataclass(frozen=True, slots=True)
class LabelInfo:
    """What a speaker label tells: the normalised role and gender."""

    role: str | None
    gender: str | None
    known: bool


def describe_label(label: str) -> LabelInfo:
    """Map a label such as ``Werkzoekende (man)`` to role and gender."""
    words = [w for w in re.split(r"[^\w’']+", label.lower()) if w]
    if not words:
        return LabelInfo(None, None, False)
    gender = None
    if "man" in words and "vrouw" in words:
        gender = "masked"
    elif "man" in words or "m" in words[1:]:
        gender = "man"
    elif "vrouw" in words or "v" in words[1:]:
        gender = "vrouw"
    first = words[1] if words[0] in _ARTICLES and len(words) > 1 else words[0]
    joined = " ".join(words)
    if joined in INTERVIEWER_LABELS or first in INTERVIEWER_LABELS and len(words) <= 2:
        return LabelInfo("interviewer", gender, True)
    if joined in RESPONDENT_LABELS or first in RESPONDENT_LABELS and len(words) <= 2:
        return LabelInfo("respondent", gender, True)
    if first in ROLE_WORDS:
        return LabelInfo(ROLE_WORDS[first], gender, True)
    return LabelInfo(None, gender, False)


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int  # without the newline


@dataclass(frozen=True, slots=True)
class _Header:
    """A parsed turn start on one line."""

    label: str
    timestamp: float | None
    content_start: int


def _lines(text: str) -> Iterator[_Line]:
    pos = 0
    for raw in text.split("\n"):
        yield _Line(pos, pos + len(raw))
        pos += len(raw) + 1


def _parse_header(text: str, line: _Line) -> _Header | None:
    pos = line.start
    timestamp = None
    lead = _LEAD_TS.match(text, pos, line.end)
    if lead:
        timestamp = parse_timestamp(lead.group("a") or lead.group("b") or lead.group("c"))
        pos = lead.end()
    label = _LABEL.match(text, pos, line.end)
    if not label:
        return None
    name = label.group("label").strip()
    if len(name.split()) > 6:
        return None
    if label.group("ts"):
        timestamp = parse_timestamp(label.group("ts"))
    pos = label.end()
    after = _AFTER_TS.match(text, pos, line.end)
    if after:
        timestamp = parse_timestamp(after.group("a") or after.group("b"))
        pos = after.end()
    return _Header(name, timestamp, pos)


def _accepted_labels(headers: list[_Header | None]) -> set[str]:
    """Labels we trust: known roles, or short capitalised labels used at least twice."""
    counts = Counter(h.label for h in headers if h)
    accepted = set()
    for label, count in counts.items():
        if describe_label(label).known:
            accepted.add(label)
        elif count >= 2 and len(label.split()) <= 3 and label[0].isupper():
            accepted.add(label)
    return accepted


def _guess_interviewer(turns: list[Turn], text: str) -> list[Turn]:
    """With two named speakers and no roles, the one asking most questions interviews."""
    named = {t.speaker for t in turns if t.speaker}
    if len(named) != 2 or any(t.role for t in turns if t.speaker):
        return turns
    questions: Counter[str] = Counter()
    for t in turns:
        if t.speaker and text[t.content_start : t.content_end].rstrip().endswith("?"):
            questions[t.speaker] += 1
    if not questions:
        return turns
    interviewer = questions.most_common(1)[0][0]
    return [
        _replace_role(t, "interviewer" if t.speaker == interviewer else "respondent")
        if t.speaker
        else t
        for t in turns
    ]


def _replace_role(turn: Turn, role: str) -> Turn:
    return Turn(
        turn.number,
        turn.start,
        turn.end,
        turn.content_start,
        turn.content_end,
        turn.speaker,
        role,
        turn.gender,
        turn.timestamp,
    )


def detect_turns(text: str, paragraphs: str = "block") -> tuple[Turn, ...]:
    """Split ``text`` into turns.

    ``paragraphs`` says what an unlabelled stretch is: ``"block"`` (separated by blank
    lines, for .txt) or ``"line"`` (every line, for Word paragraphs).
    """
    lines = [line for line in _lines(text)]
    headers = [_parse_header(text, line) for line in lines]
    accepted = _accepted_labels(headers)
    spans: list[dict] = []  # turns under construction
    current: dict | None = None
    for line, header in zip(lines, headers, strict=False):
        blank = not text[line.start : line.end].strip()
        if header and header.label in accepted:
            info = describe_label(header.label)
            current = {
                "start": line.start,
                "end": line.end,
                "content_start": header.content_start,
                "speaker": header.label,
                "role": info.role,
                "gender": info.gender,
                "timestamp": header.timestamp,
            }
            spans.append(current)
        elif blank:
            if current is not None and current["speaker"] is None:
                current = None  # a blank line ends an unlabelled paragraph
        elif current is not None and (current["speaker"] is not None or paragraphs == "block"):
            current["end"] = line.end
        else:
            current = {
                "start": line.start,
                "end": line.end,
                "content_start": line.start,
                "speaker": None,
                "role": None,
                "gender": None,
                "timestamp": None,
            }
            spans.append(current)
            if paragraphs == "line":
                current = None
    return tuple(_guess_interviewer(_finish(text, spans), text))


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _finish(text: str, spans: list[dict]) -> list[Turn]:
    turns: list[Turn] = []
    previous_end_time: float | None = None
    for number, span in enumerate(spans, start=1):
        end = _rstrip_end(text, span["start"], span["end"])
        content_end = end
        trailing = _TRAILING_F4.search(text, span["content_start"], content_end)
        end_time = None
        if trailing:
            end_time = parse_timestamp(trailing.group("ts"))
            content_end = _rstrip_end(text, span["content_start"], trailing.start())
        # A label with nothing said ("I: ") has its content start past the trimmed end.
        content_start = min(span["content_start"], end)
        content_end = min(content_end, end)
        while content_start < content_end and text[content_start].isspace():
            content_start += 1
        timestamp = span["timestamp"]
        if timestamp is None and span["speaker"] and previous_end_time is not None:
            timestamp = previous_end_time  # f4: a turn starts where the previous one ended
        turns.append(
            Turn(
                number=number,
                start=span["start"],
                end=end,
                content_start=content_start,
                content_end=max(content_start, content_end),
                speaker=span["speaker"],
                role=span["role"],
                gender=span["gender"],
                timestamp=timestamp,
            )
        )
        if end_time is not None:
            previous_end_time = end_time
    return turns


def split_label(text: str) -> tuple[str | None, str]:
    """For one caption: ``"INTERVIEWER: Goedemorgen"`` → ``("INTERVIEWER", "Goedemorgen")``.

    Only known role labels count, since captions are short and a colon inside speech
    ("Let op: ...") must not become a speaker.
    """
    header = _parse_header(text, _Line(0, len(text.split("\n", 1)[0])))
    if header and describe_label(header.label).known:
        return header.label, text[header.content_start :]
    return None, text
