"""Read WebVTT (webvtt-py) and SubRip (srt) captions as a transcript.

Caption tools cut speech into short cues; we merge consecutive cues of one speaker into
one turn and write the turns out as ``Speaker: text`` paragraphs, keeping each turn's
first cue time as its timestamp.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from kwali.errors import InputError
from kwali.io.turns import describe_label, parse_timestamp, split_label
from kwali.model import Transcript, Turn


@dataclass(slots=True)
class _Utterance:
    speaker: str | None
    timestamp: float | None
    text: str


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
        raise InputError(f"contains no {fmt.upper()} captions", path=path)
    return Transcript(
        text="\n\n".join(parts),
        turns=tuple(turns),
        source_name=path.name,
        format=fmt,
        encoding="utf-8",
    )


def read_vtt(path: Path, text: str) -> Transcript:
    import webvtt
    from webvtt.errors import MalformedFileError

    try:
        captions = webvtt.from_buffer(io.StringIO(text))
    except (MalformedFileError, ValueError) as exc:
        raise InputError(f"is not a valid WebVTT file ({exc})", path=path) from exc
    cues: list[_Utterance] = []
    for caption in captions.captions:
        speaker, body = (
            (caption.voice, caption.text) if caption.voice else split_label(caption.text)
        )
        cues.append(_Utterance(speaker, parse_timestamp(caption.start), body))
    header = [" ".join(c.split()) for c in captions.header_comments if c.strip()]
    return _build(_merge(cues), header, path, "vtt")


def read_srt(path: Path, text: str) -> Transcript:
    import srt

    try:
        subtitles = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as exc:
        raise InputError(
            f"is not a valid SubRip (.srt) file ({exc.__class__.__name__})", path=path
        ) from exc
    cues = []
    for subtitle in subtitles:
        speaker, body = split_label(subtitle.content.strip())
        cues.append(_Utterance(speaker, subtitle.start.total_seconds(), body))
    return _build(_merge(cues), [], path, "srt")
