"""Turn REFI-QDA text offsets from another tool into kwali offsets, and check every one.

The standard says offsets count Unicode code points of the plain text, but real tools
differ: NVivo counts UTF-16 code units with CRLF as two, Atlas.ti counts a line break as
one, Taguette-like tools count UTF-8 bytes. The file never says which, so every reading is
tried on all selections of a source and the one under which they fit the text best wins:
selections inside the text, starting and ending at word edges, never inside a character,
and matching the selection's own text or line number when the file gives one.

kwali's stored text has ``\\n`` line breaks; ``removed_cr`` lists where a CR of a CRLF was
dropped (see ``kwali.io.encoding.normalise_newlines``), so "CRLF as two" can be replayed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from kwali.i18n import _, ngettext

# Tried in this order; on a tie the earlier one wins (the standard's reading first).
READINGS: tuple[str, ...] = ("codepoints", "codepoints-lf", "utf16", "utf16-lf", "utf8")


def reading_label(reading: str) -> str:
    """What a reading counts, in words (in the language in use)."""
    labels = {
        "codepoints": _("codepunten, CRLF telt als 2 (de standaard)"),
        "codepoints-lf": _("codepunten, een regeleinde telt als 1 (Atlas.ti)"),
        "utf16": _("UTF-16-code-eenheden, CRLF telt als 2 (NVivo)"),
        "utf16-lf": _("UTF-16-code-eenheden, een regeleinde telt als 1"),
        "utf8": _("UTF-8-bytes van de tekst van het bestand"),
    }
    return labels.get(reading, reading)


# A writer's known habit: its reading is preferred unless another fits clearly better.
# kwali writes the standard's reading, also with --line-endings crlf (CRLF counted as 2).
VENDOR_READING = (("nvivo", "utf16"), ("atlas", "codepoints-lf"), ("kwali", "codepoints"))
_LINE_NAME = re.compile(r"^line:(\d+)$")  # qualitative-coding names selections by line
MIN_HINT = 3

Status = Literal["ok", "snapped", "clipped", "moved", "dropped"]


class OffsetError(ValueError):
    """No reading makes a source's selections fit its text."""


@dataclass(frozen=True, slots=True)
class RawSelection:
    """A selection as the file gives it; ``hint`` is text the file claims it covers."""

    start: int
    end: int
    hint: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class Placed:
    """One selection in kwali offsets (``start``/``end`` None when dropped)."""

    index: int
    raw_start: int
    raw_end: int
    start: int | None
    end: int | None
    status: Status = "ok"
    note: str = ""


@dataclass(frozen=True, slots=True)
class Reconciled:
    """The reading chosen for one source and where each selection ended up."""

    reading: str
    placed: tuple[Placed, ...]
    agreeing: tuple[str, ...] = ()  # other readings that give exactly the same offsets
    edge_fit: int = 0  # selections whose both ends fall on word edges
    checked: int = 0  # selections whose text or line number could be checked and matched

    @property
    def label(self) -> str:
        return reading_label(self.reading)

    @property
    def issues(self) -> tuple[Placed, ...]:
        return tuple(p for p in self.placed if p.status != "ok")

    @property
    def dropped(self) -> tuple[Placed, ...]:
        return tuple(p for p in self.placed if p.status == "dropped")


def _widths(codes: np.ndarray, reading: str, removed_cr: Sequence[int]) -> np.ndarray:
    if reading.startswith("utf16"):
        widths = 1 + (codes > 0xFFFF).astype(np.int64)
    elif reading == "utf8":
        widths = 1 + (codes >= 0x80).astype(np.int64) + (codes >= 0x800) + (codes >= 0x10000)
    else:
        widths = np.ones(len(codes), dtype=np.int64)
    if not reading.endswith("-lf") and len(removed_cr):
        # The dropped CR sat just before the LF at each of these positions.
        np.add.at(widths, np.asarray(removed_cr, dtype=np.int64), 1)
    return widths


@dataclass(frozen=True, slots=True)
class _Trial:
    reading: str
    starts: np.ndarray  # kwali offsets, -1 when out of range
    ends: np.ndarray
    mid: np.ndarray  # bool: an offset fell inside a character (surrogate pair, CRLF)
    out: np.ndarray  # bool: outside the text, or start >= end
    total: int


def _try(
    text: str, codes: np.ndarray, raw: np.ndarray, reading: str, removed_cr: Sequence[int]
) -> _Trial:
    bounds = np.concatenate(([0], np.cumsum(_widths(codes, reading, removed_cr))))
    total = int(bounds[-1])
    starts, ends = raw[:, 0], raw[:, 1]
    out = (starts < 0) | (ends > total) | (starts >= ends)
    s = np.clip(starts, 0, total)
    e = np.clip(ends, 0, total)
    si = np.searchsorted(bounds, s, side="left")
    ei = np.searchsorted(bounds, e, side="left")
    s_exact = bounds[np.minimum(si, len(bounds) - 1)] == s
    e_exact = bounds[np.minimum(ei, len(bounds) - 1)] == e
    # Inside a character: widen to whole characters (start down, end up).
    si = np.where(s_exact, si, si - 1)
    mid = ~(s_exact & e_exact)
    return _Trial(reading, si, ei, mid, out, total)


def _edge(text: str, i: int) -> bool:
    """True when offset ``i`` does not split a word."""
    return i <= 0 or i >= len(text) or not (text[i - 1].isalnum() and text[i].isalnum())


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _hint_matches(text: str, start: int, end: int, hint: str) -> bool:
    span, want = _squash(text[start:end]), _squash(hint)
    if len(want) < MIN_HINT or not span:
        return False
    return span.startswith(want) or want.startswith(span)


def _score(
    text: str, trial: _Trial, selections: Sequence[RawSelection], line_starts: list[int]
) -> tuple[int, int, int, int]:
    """(score, word-edge fits, checked matches, text-hint matches) of one reading."""
    score = edges = checked = hits = 0
    for k, sel in enumerate(selections):
        if trial.out[k]:
            score -= 4
            continue
        s, e = int(trial.starts[k]), int(trial.ends[k])
        if trial.mid[k]:
            score -= 2
        fit = _edge(text, s) + _edge(text, e)
        edges += fit == 2
        score += fit
        line = _LINE_NAME.match(sel.name)
        if line and bisect.bisect_right(line_starts, s) - 1 == int(line.group(1)):
            score, checked = score + 4, checked + 1
        elif sel.hint and not line and _hint_matches(text, s, e, sel.hint):
            score, checked, hits = score + 4, checked + 1, hits + 1
    return score, edges, checked, hits


def _reanchor(text: str, start: int, end: int, hint: str) -> tuple[int, int] | None:
    """The occurrence of ``hint`` nearest to where the selection was said to be."""
    found: list[int] = []
    pos = text.find(hint)
    while pos >= 0 and len(found) < 1000:
        found.append(pos)
        pos = text.find(hint, pos + 1)
    if not found:
        return None
    best = min(found, key=lambda p: abs(p - start))
    return best, best + len(hint)


def reconcile(
    text: str,
    removed_cr: Sequence[int],
    selections: Sequence[RawSelection],
    *,
    origin: str = "",
    tolerance: float = 0.05,
) -> Reconciled:
    """Pick the reading under which ``selections`` fit ``text``; place every selection.

    Raises OffsetError when even the best reading leaves more than ``tolerance`` of the
    selections outside the text (then the text is not the one they were made on).
    """
    if not selections:
        return Reconciled(reading="codepoints", placed=())
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    raw = np.array([(s.start, s.end) for s in selections], dtype=np.int64).reshape(-1, 2)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    preferred = next((r for word, r in VENDOR_READING if word in origin.lower()), None)
    order = [r for r in READINGS if r == preferred] + [r for r in READINGS if r != preferred]
    trials = {r: _try(text, codes, raw, r, removed_cr) for r in order}
    scored = {r: _score(text, trials[r], selections, line_starts) for r in order}
    # A writer's known habit is evidence too, not only a tie-break: a few selections with
    # loose edges after an emoji must not out-vote what NVivo is known to count.
    prior = {r: len(selections) if r == preferred else 0 for r in order}
    best = max(order, key=lambda r: (scored[r][0] + prior[r], -order.index(r)))
    trial = trials[best]
    same = tuple(
        r
        for r in order
        if r != best
        and not (trials[r].out | trial.out).any()
        and np.array_equal(trials[r].starts, trial.starts)
        and np.array_equal(trials[r].ends, trial.ends)
    )
    hinted = sum(bool(s.hint) and not _LINE_NAME.match(s.name) for s in selections)
    # Hints are the covered text only if they match most selections; else they are memos.
    texts = hinted > 0 and scored[best][3] * 2 >= hinted
    placed = [_place(text, trial, k, sel, texts) for k, sel in enumerate(selections)]
    lost = sum(p.status in ("dropped", "clipped") for p in placed)
    if lost > int(len(selections) * tolerance):
        raise OffsetError(
            ngettext(
                "{lost} van de {total} selecties valt buiten de tekst, hoe de posities ook "
                "geteld worden (best passend: {reading}; de tekst heeft {chars} tekens)",
                "{lost} van de {total} selecties vallen buiten de tekst, hoe de posities ook "
                "geteld worden (best passend: {reading}; de tekst heeft {chars} tekens)",
                lost,
            ).format(lost=lost, total=len(selections), reading=reading_label(best), chars=len(text))
        )
    return Reconciled(
        reading=best,
        placed=tuple(placed),
        agreeing=same,
        edge_fit=scored[best][1],
        checked=scored[best][2],
    )


def _place(text: str, trial: _Trial, k: int, sel: RawSelection, hints_are_text: bool) -> Placed:
    def placed(start: int | None, end: int | None, status: Status = "ok", note: str = "") -> Placed:
        return Placed(k, sel.start, sel.end, start, end, status, note)

    if sel.start >= sel.end:
        return placed(
            start=None,
            end=None,
            status="dropped",
            note=_("lege selectie (het begin ligt niet vóór het einde)"),
        )
    if trial.out[k]:
        start = int(trial.starts[k])
        if sel.start < 0 or start >= len(text):
            return placed(
                start=None,
                end=None,
                status="dropped",
                note=_("buiten de tekst (lengte {length} bij deze telling)").format(
                    length=trial.total
                ),
            )
        return placed(
            start=start,
            end=len(text),
            status="clipped",
            note=_("eindigt na de tekst ({end} > {length}); afgekapt aan het einde").format(
                end=sel.end, length=trial.total
            ),
        )
    s, e = int(trial.starts[k]), int(trial.ends[k])
    if (
        hints_are_text
        and not _LINE_NAME.match(sel.name)
        and len(_squash(sel.hint)) >= MIN_HINT
        and not _hint_matches(text, s, e, sel.hint)
    ):
        moved = _reanchor(text, s, e, sel.hint.strip())
        if moved and abs(moved[0] - s) <= max(200, (e - s)):
            return placed(
                start=moved[0],
                end=moved[1],
                status="moved",
                note=ngettext(
                    "{shift} teken verschoven, naar waar de tekst staat",
                    "{shift} tekens verschoven, naar waar de tekst staat",
                    abs(moved[0] - s),
                ).format(shift=f"{moved[0] - s:+d}"),
            )
    if trial.mid[k]:
        return placed(
            start=s,
            end=e,
            status="snapped",
            note=_("een einde viel midden in een teken of regeleinde; verbreed tot hele tekens"),
        )
    return placed(start=s, end=e)


def units_of(
    text: str, removed_cr: Sequence[int], offsets: Sequence[int], reading: str
) -> list[int]:
    """kwali offsets → offsets in ``reading`` (for writing files another tool reads)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    bounds = np.concatenate(([0], np.cumsum(_widths(codes, reading, removed_cr))))
    return [int(bounds[i]) for i in offsets]
