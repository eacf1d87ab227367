"""Read WebVTT and SubRip (.srt) captions as a transcript.

Caption tools cut speech into short cues; we merge consecutive cues of one speaker into
one turn and write the turns out as ``Speaker: text`` paragraphs, keeping each turn's
first cue time as its timestamp.

The cue blocks are found here rather than by a caption library, because libraries skip
what they cannot parse and speech would vanish without a word. Timings that real tools
write but the formats forbid (``00:00:02,000`` in WebVTT, ``->`` arrows, a missing
fraction) are read; a block of text after a blank line inside a cue stays with that cue;
anything else that looks like a cue but cannot be read is refused, naming its line.
webvtt-py still reads each WebVTT cue's payload (voice spans, tags).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kwali.errors import InputError
from kwali.i18n import _
from kwali.io.limits import MAX_CAPTION_HOURS
from kwali.io.turns import describe_label, split_label
from kwali.model import Transcript, Turn

# Lenient: [hours:]minutes:seconds[.,fraction]; digit counts bounded so int() stays cheap.
_STAMP = r"\d{1,12}(?::\d{1,12}){1,2}(?:[.,]\d{1,12})?"
_TIMING = re.compile(rf"[ \t]*({_STAMP})[ \t]*-{{1,2}}>[ \t]*({_STAMP})(?:[^\d].*)?")
# A line that means to be a timing line: it has the arrow, or starts with a time and an arrow.
_LOOKS_TIMED = re.compile(r".*-->|[ \t]*-?\d+:\d+.*[-=]>")
_CUE_NUMBER = re.compile(r"[ \t]*\d{1,12}[ \t]*")


@dataclass(slots=True)
class _Utterance:
    speaker: str | None
    timestamp: float | None
    text: str


@dataclass(slots=True)
class _Cue:
    line: int  # 1-based line of the timing line, for messages
    start: float
    payload: list[str]


def _seconds(stamp: str, line: int, path: Path) -> float:
    main, _dot, fraction = stamp.replace(",", ".").partition(".")
    numbers = [int(part) for part in main.split(":")]
    if len(numbers) == 2:
        numbers.insert(0, 0)
    hours, minutes, seconds = numbers
    total = (hours * 60 + minutes) * 60 + seconds
    if total > MAX_CAPTION_HOURS * 3600:
        raise InputError(
            _(
                "regel {line}: de tijd {stamp} ligt voorbij {hours} uur; is het bestand beschadigd?"
            ).format(line=line, stamp=stamp, hours=f"{MAX_CAPTION_HOURS:,}"),
            path=path,
        )
    return total + int(fraction[:3].ljust(3, "0") or "0") / 1000


def _blocks(lines: list[str], first_is_header: bool) -> list[tuple[int, list[str]]]:
    """Blocks of non-blank lines as ``(first line number, lines)``.

    A timing line also starts a block when the current one already had its chance at one
    (a cue missing its blank line), so two cues never fuse into one.
    """
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            current = None
            continue
        if (
            current is not None
            and _TIMING.fullmatch(line)
            and (
                len(current) > 1
                or _TIMING.fullmatch(current[0])
                or (first_is_header and len(blocks) == 1)
            )
        ):
            current = None
        if current is None:
            current = []
            blocks.append((number, current))
        current.append(line)
    return blocks


def _timing(
    lines: list[str], first: int, path: Path, srt: bool
) -> tuple[int, re.Match[str]] | None:
    """Index in ``lines`` of the block's timing line and its match, or None for plain text."""
    for index in (0, 1):
        if index >= len(lines):
            break
        if match := _TIMING.fullmatch(lines[index]):
            if index == 1 and srt and not _CUE_NUMBER.fullmatch(lines[0]):
                raise InputError(
                    _(
                        "regel {line}: een ondertitelnummer hoort vóór de tijden, maar er staat {found}"
                    ).format(line=first, found=repr(lines[0][:60])),
                    path=path,
                )
            return index, match
        if _LOOKS_TIMED.match(lines[index]):
            raise InputError(
                _("regel {line}: kan de tijden van de ondertitel niet lezen: {found}").format(
                    line=first + index, found=repr(lines[index][:60])
                ),
                path=path,
                hint=_("verwacht bijvoorbeeld {example}").format(
                    example="00:01:02.500 --> 00:01:04.000"
                ),
            )
    if srt and len(lines) > 1 and _CUE_NUMBER.fullmatch(lines[0]):
        raise InputError(
            _("regel {line}: ondertitel {number} heeft geen tijden").format(
                line=first + 1, number=lines[0].strip()
            ),
            path=path,
        )
    return None


def _parse_cues(text: str, path: Path, srt: bool) -> tuple[list[_Cue], list[str]]:
    """Cues and, for WebVTT, the NOTE comments before the first cue."""
    lines = text.split("\n")
    blocks = _blocks(lines, first_is_header=not srt)
    if not srt:
        if not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
            raise InputError(
                _("is geen geldig WebVTT-bestand (het begint niet met WEBVTT)"), path=path
            )
        blocks = blocks[1:]  # the header: WEBVTT and its metadata lines
    cues: list[_Cue] = []
    notes: list[str] = []
    for first, block in blocks:
        head = block[0].strip()
        if not srt and (head.split(maxsplit=1) or [""])[0] in ("NOTE", "STYLE", "REGION"):
            if head.startswith("NOTE") and not cues:
                note = " ".join("\n".join(block)[4:].split())
                if note:
                    notes.append(note)
            continue
        timing = _timing(block, first, path, srt)
        if timing is None:
            if not cues:
                raise InputError(
                    _("regel {line}: tekst vóór de eerste ondertitel: {text}").format(
                        line=first, text=repr(head[:60])
                    ),
                    path=path,
                )
            # A blank line inside a cue's text: keep the words with that cue.
            cues[-1].payload += ["", *block]
            continue
        index, match = timing
        start = _seconds(match.group(1), first + index, path)
        _seconds(match.group(2), first + index, path)  # the end time must be sane too
        cues.append(_Cue(first + index, start, block[index + 1 :]))
    return cues, notes


def _merge(cues: list[_Utterance]) -> list[_Utterance]:
    merged: list[_Utterance] = []
    for cue in cues:
        text = " ".join(cue.text.split())
        if not text:
            continue
        if (
            merged
            and (cue.speaker is None or cue.speaker == merged[-1].speaker)
            and merged[-1].speaker
        ):
            merged[-1].text += " " + text
        else:
            merged.append(_Utterance(cue.speaker, cue.timestamp, text))
    return merged


def _build(utterances: list[_Utterance], header: list[str], path: Path, fmt: str) -> Transcript:
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for block in [*(_Utterance(None, None, h) for h in header), *utterances]:
        prefix = f"{block.speaker}: " if block.speaker else ""
        chunk = prefix + block.text
        info = describe_label(block.speaker) if block.speaker else None
        turns.append(
            Turn(
                number=len(turns) + 1,
                start=pos,
                end=pos + len(chunk),
                content_start=pos + len(prefix),
                content_end=pos + len(chunk),
                speaker=block.speaker,
                role=info.role if info else None,
                gender=info.gender if info else None,
                timestamp=block.timestamp,
            )
        )
        parts.append(chunk)
        pos += len(chunk) + 2
    if not turns:
        raise InputError(_("bevat geen {format}-ondertitels").format(format=fmt.upper()), path=path)
    return Transcript(
        text="\n\n".join(parts),
        turns=tuple(turns),
        source_name=path.name,
        format=fmt,
        encoding="utf-8",
    )


def read_vtt(path: Path, text: str) -> Transcript:
    """``text`` is the decoded file with newlines normalised to ``\\n``."""
    from webvtt import Caption

    cues, notes = _parse_cues(text, path, srt=False)
    utterances: list[_Utterance] = []
    for cue in cues:
        caption = Caption(text=cue.payload)
        speaker, body = (
            (caption.voice, caption.text) if caption.voice else split_label(caption.text)
        )
        utterances.append(_Utterance(speaker, cue.start, body))
    return _build(_merge(utterances), notes, path, "vtt")


def read_srt(path: Path, text: str) -> Transcript:
    """``text`` is the decoded file with newlines normalised to ``\\n``."""
    cues, _notes = _parse_cues(text, path, srt=True)
    utterances = []
    for cue in cues:
        speaker, body = split_label("\n".join(cue.payload).strip())
        utterances.append(_Utterance(speaker, cue.start, body))
    return _build(_merge(utterances), [], path, "srt")
