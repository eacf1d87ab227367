"""kwali's own segmentation of a source, carried in a .qdpx as ``kwali/segmentation/GUID.json``.

REFI-QDA has no place for turns, speakers, timestamps or sentence boundaries, and its schema
allows no foreign element, so kwali writes them as an extra member of the zip, one per
source, which other tools leave alone (QualCoder unpacks it and never looks at it). On
import, a file written by kwali whose source text still has the very hash the member names
gets back its turns and sentences exactly (so ``3:12.2`` cites the same words and VTT
timestamps survive) instead of being re-segmented from plain text.

The member is untrusted input like the rest of the file: JSON only, bounded in size, every
field checked against the text; anything wrong and :func:`read_segmentation` raises a
:class:`BadSegmentation` whose message is one line (the import then re-segments the source).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from kwali.i18n import _
from kwali.io.limits import MAX_FILE_BYTES
from kwali.model import Document, Segment, Turn

FOLDER = "kwali/segmentation/"
VERSION = 1
MAX_BYTES = MAX_FILE_BYTES  # a 20-million-character text's segments stay well below this
MAX_NAME = 1_000  # characters of a format, encoding, speaker, role or gender
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")
MAX_ID = 200  # characters of a segment id (kwali's are about 20)


class BadSegmentation(ValueError):
    """The member cannot be used; its message says why in a few words."""


@dataclass(frozen=True, slots=True)
class CarriedSegment:
    id: str
    kind: str  # "turn" or "sentence"
    turn_number: int
    sentence_number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segmentation:
    """A source's segmentation as kwali stored it, checked against the source's text."""

    sha256: str
    suffix: str  # of the file the document came from (".docx"); its name stays at home
    format: str
    encoding: str | None
    removed_cr: tuple[int, ...]
    turns: tuple[Turn, ...]
    segments: tuple[CarriedSegment, ...]

    def build(self, text: str, document_id: int) -> list[Segment]:
        """The segments to store, as segmenting would have made them (same ids, spans, lines)."""
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        turns = {t.number: t for t in self.turns}
        return [
            Segment(
                id=s.id,
                document_id=document_id,
                kind="turn" if s.kind == "turn" else "sentence",
                turn_number=s.turn_number,
                sentence_number=s.sentence_number,
                start=s.start,
                end=s.end,
                line=bisect_right(starts, s.start),
                text=text[s.start : s.end],
                speaker=turns[s.turn_number].speaker,
                role=turns[s.turn_number].role,
                timestamp=turns[s.turn_number].timestamp,
            )
            for s in self.segments
        ]


def member_name(guid: str) -> str:
    return f"{FOLDER}{guid}.json"


def dump_segmentation(
    document: Document, turns: Sequence[Turn], segments: Sequence[Segment]
) -> str:
    """The member's JSON for a stored document (compact, keys sorted: the same project always
    gives the same bytes). Of the file it was imported from only the suffix: its name may
    name a respondent whom the document's name no longer does."""
    data = {
        "kwali_segmentation": VERSION,
        "sha256": document.sha256,
        "suffix": PurePosixPath(document.source_name.replace("\\", "/")).suffix,
        "format": document.format,
        "encoding": document.encoding,
        "removed_cr": list(document.removed_cr),
        "turns": [
            [
                t.number,
                t.start,
                t.end,
                t.content_start,
                t.content_end,
                t.speaker,
                t.role,
                t.gender,
                t.timestamp,
            ]
            for t in turns
        ],
        "segments": [
            [s.id, s.kind, s.turn_number, s.sentence_number, s.start, s.end] for s in segments
        ],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _no_constant(name: str) -> float:
    raise BadSegmentation(
        _("bevat {name}, en dat is geen getal dat JSON toestaat").format(name=name)
    )


def read_segmentation(data: bytes, text: str) -> Segmentation:
    """Parse and check a member against its source's text; BadSegmentation when unusable."""
    if len(data) > MAX_BYTES:
        raise BadSegmentation(_("is te groot"))
    try:
        raw = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except BadSegmentation:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadSegmentation(_("is geen geldige JSON")) from exc
    if not isinstance(raw, dict) or raw.get("kwali_segmentation") != VERSION:
        raise BadSegmentation(_("is geen segmentatie die deze versie van kwali leest"))
    if raw.get("sha256") != hashlib.sha256(text.encode("utf-8")).hexdigest():
        raise BadSegmentation(_("is voor een andere tekst gemaakt (de hash klopt niet)"))
    size = len(text)
    removed = raw.get("removed_cr", [])
    if not isinstance(removed, list) or not all(_int(x, 0, size) for x in removed):
        raise BadSegmentation(_("heeft ongeldige posities van regeleinden"))
    turns = tuple(_turn(t, size) for t in _list(raw, "turns", size + 1))
    numbers = [t.number for t in turns]
    if numbers != sorted(set(numbers)) or any(
        later.start < earlier.end for earlier, later in zip(turns, turns[1:], strict=False)
    ):
        raise BadSegmentation(_("nummert beurten dubbel of niet op volgorde"))
    known = {t.number: t for t in turns}
    segments = tuple(_segment(s, size, known) for s in _list(raw, "segments", 2 * size + 2))
    if len({s.id for s in segments}) < len(segments) or len(
        {(s.turn_number, s.sentence_number) for s in segments}
    ) < len(segments):
        raise BadSegmentation(_("geeft twee segmenten hetzelfde id of nummer"))
    return Segmentation(
        sha256=raw["sha256"],
        suffix=_suffix(raw.get("suffix")),
        format=_name(raw.get("format")) or "qdpx",
        encoding=_name(raw.get("encoding")),
        removed_cr=tuple(removed),
        turns=turns,
        segments=segments,
    )


def _list(raw: dict[str, Any], key: str, most: int) -> list[Any]:
    value = raw.get(key)
    if not isinstance(value, list) or len(value) > most:
        raise BadSegmentation(_("heeft geen bruikbare lijst {key}").format(key=repr(key)))
    return value


def _int(value: object, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def _name(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_NAME:
        raise BadSegmentation(_("heeft een ongeldig formaat of een ongeldige codering"))
    return value


def _suffix(value: object) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not _SUFFIX.fullmatch(value):
        raise BadSegmentation(_("heeft een ongeldige bestandsextensie"))
    return value


def _label(value: object) -> str | None:
    if value is None or (isinstance(value, str) and len(value) <= MAX_NAME):
        return value
    raise BadSegmentation(_("heeft een ongeldige spreker, rol of geslacht"))


def _turn(item: object, size: int) -> Turn:
    if not isinstance(item, list) or len(item) != 9:
        raise BadSegmentation(_("heeft een beurt die geen lijst van {n} velden is").format(n=9))
    number, start, end, content_start, content_end, speaker, role, gender, stamp = item
    if not (
        _int(number, 0, size + 1)
        and _int(start, 0, size)
        and _int(content_start, start, size)
        and _int(content_end, content_start, size)
        and _int(end, content_end, size)
    ):
        raise BadSegmentation(
            _("heeft een beurt met ongeldige posities ({number})").format(number=repr(number))
        )
    if stamp is not None and (
        type(stamp) not in (int, float) or not math.isfinite(stamp) or stamp < 0
    ):
        raise BadSegmentation(_("beurt {number}: ongeldige tijd").format(number=number))
    return Turn(
        number,
        start,
        end,
        content_start,
        content_end,
        _label(speaker),
        _label(role),
        _label(gender),
        None if stamp is None else float(stamp),
    )


def _segment(item: object, size: int, turns: dict[int, Turn]) -> CarriedSegment:
    if not isinstance(item, list) or len(item) != 6:
        raise BadSegmentation(_("heeft een segment dat geen lijst van {n} velden is").format(n=6))
    sid, kind, turn, sentence, start, end = item
    if not isinstance(sid, str) or not sid or len(sid) > MAX_ID:
        raise BadSegmentation(_("heeft een segment zonder bruikbaar id"))
    if kind not in ("turn", "sentence") or type(turn) is not int or turn not in turns:
        raise BadSegmentation(
            _("segment {id}: ongeldige soort of onbekende beurt").format(id=repr(sid))
        )
    if not (
        _int(sentence, 0 if kind == "turn" else 1, size + 1)
        and (kind == "sentence" or sentence == 0)
        and _int(start, 0, size)
        and _int(end, start, size)
    ):
        raise BadSegmentation(
            _("segment {id}: ongeldig nummer of ongeldige posities").format(id=repr(sid))
        )
    # A turn's segment is what was said in it; its sentences lie inside that.
    content = turns[turn].content_start, turns[turn].content_end
    if (kind == "turn" and (start, end) != content) or not content[0] <= start <= end <= content[1]:
        raise BadSegmentation(_("segment {id} ligt buiten zijn beurt").format(id=repr(sid)))
    return CarriedSegment(sid, kind, turn, sentence, start, end)
