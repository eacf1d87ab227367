"""Offsets from other QDA tools: the right reading is detected and every selection checked."""

from __future__ import annotations

import pytest

from kwali.io.encoding import normalise_newlines
from kwali.io.refi_offsets import (
    READINGS,
    OffsetError,
    RawSelection,
    reconcile,
    units_of,
)

# CRLF line breaks and emoji early on, so that every reading gives different numbers.
RAW = (
    "I: Hoe gaat het met de tegenprestatie? 😀\r\n"
    "R: Ik werk drie ochtenden 🧹 in de kringloop.\r\n"
    "\r\n"
    "I: En de klantmanager? 📞\r\n"
    "R: Die belt nooit terug, echt nooit. Ik heb een ontheffing gevraagd.\r\n"
    "I: Wat vindt u van de verplichting?\r\n"
    "R: Het voelt als straf 😞 maar ik leer ook wel wat.\r\n"
)
TEXT, REMOVED = normalise_newlines(RAW)
WORDS = (
    "tegenprestatie",
    "drie ochtenden",
    "kringloop",
    "klantmanager",
    "belt nooit terug",
    "ontheffing",
    "verplichting",
    "voelt als straf",
    "leer ook wel wat",
)


def spans() -> list[tuple[int, int]]:
    return [(TEXT.index(w), TEXT.index(w) + len(w)) for w in WORDS]


def raw_selections(reading: str, **extra: str) -> list[RawSelection]:
    out = []
    for start, end in spans():
        s, e = units_of(TEXT, REMOVED, [start, end], reading)
        out.append(RawSelection(s, e, **extra))
    return out


@pytest.mark.parametrize("reading", list(READINGS))
def test_each_reading_is_detected_and_converted_back(reading):
    result = reconcile(TEXT, REMOVED, raw_selections(reading))
    assert result.reading == reading
    assert [(p.start, p.end) for p in result.placed] == spans()
    assert not result.issues
    assert result.edge_fit == len(WORDS)


def test_nvivo_like_reading_differs_from_the_standard():
    """UTF-16 with CRLF = 2 read as plain code points would land in the wrong words."""
    nvivo = raw_selections("utf16")
    assert [(s.start, s.end) for s in nvivo] != spans()
    placed = reconcile(TEXT, REMOVED, nvivo, origin="NVivo for Windows 12.6").placed
    assert [TEXT[p.start : p.end] for p in placed] == list(WORDS)


def test_text_without_crlf_or_emoji_is_unambiguous():
    text = "R: Ik werk in de kringloop.\nI: En verder?\n"
    start = text.index("kringloop")
    result = reconcile(text, (), [RawSelection(start, start + 9)])
    assert result.reading == "codepoints"
    assert set(result.agreeing) == set(READINGS) - {"codepoints"}


def test_vendor_breaks_a_tie():
    text = "werk\r\nwerk\r\n"
    plain, removed = normalise_newlines(text)
    # (0, 4) is the first "werk" under every reading: NVivo's habit decides the label.
    assert reconcile(plain, removed, [RawSelection(0, 4)], origin="NVivo 12").reading == "utf16"
    assert (
        reconcile(plain, removed, [RawSelection(0, 4)], origin="ATLAS.ti 23").reading
        == "codepoints-lf"
    )


def test_line_numbers_in_names_are_checked():
    lines = ["regel een is hier", "regel twee staat daar", "regel drie komt nu", "en vier"]
    text = "\n".join(lines) + "\n"
    sels = []
    for number in (1, 2, 3):
        start = text.index(lines[number])
        sels.append(RawSelection(start, start + len(lines[number]) + 1, name=f"line:{number}"))
    result = reconcile(text, (), sels)
    assert result.checked == 3


def test_one_bad_selection_among_many_is_dropped_and_reported():
    sels = raw_selections("utf16") * 3  # 27 selections, tolerance 5 % → one may be lost
    sels.append(RawSelection(10_000, 10_010))
    result = reconcile(TEXT, REMOVED, sels)
    assert result.reading == "utf16"
    assert [p.status for p in result.dropped] == ["dropped"]
    assert result.dropped[0].raw_start == 10_000 and "buiten de tekst" in result.dropped[0].note


def test_selection_running_past_the_end_is_clipped():
    sels = raw_selections("codepoints") * 3
    sels.append(RawSelection(len(RAW) - 5, len(RAW) + 40))
    result = reconcile(TEXT, REMOVED, sels)
    clipped = [p for p in result.issues if p.status == "clipped"]
    assert len(clipped) == 1 and clipped[0].end == len(TEXT)


def test_selections_that_fit_no_reading_raise():
    with pytest.raises(OffsetError, match="buiten de tekst, hoe de posities ook geteld worden"):
        reconcile(
            TEXT, REMOVED, [RawSelection(5000, 5100), RawSelection(0, 4), RawSelection(9000, 9001)]
        )


def test_empty_and_reversed_selections_are_dropped():
    sels = raw_selections("codepoints") * 5 + [RawSelection(7, 7)]
    result = reconcile(TEXT, REMOVED, sels)
    assert [p.note for p in result.dropped] == [
        "lege selectie (het begin ligt niet vóór het einde)"
    ]


def test_offset_inside_a_surrogate_pair_is_widened():
    emoji = TEXT.index("😀")
    start = units_of(TEXT, REMOVED, [emoji], "utf16")[0]
    sels = raw_selections("utf16") * 3 + [
        RawSelection(start + 1, start + 2)
    ]  # the emoji's 2nd half
    result = reconcile(TEXT, REMOVED, sels)
    snapped = [p for p in result.issues if p.status == "snapped"]
    assert len(snapped) == 1 and TEXT[snapped[0].start : snapped[0].end] == "😀"


def test_text_hints_re_anchor_a_drifted_selection():
    sels = [RawSelection(s, e, hint=TEXT[s:e]) for s, e in spans()]
    start, end = spans()[2]
    sels[2] = RawSelection(start + 3, end + 3, hint="kringloop")  # off by three
    result = reconcile(TEXT, REMOVED, sels)
    moved = result.placed[2]
    assert moved.status == "moved" and (moved.start, moved.end) == (start, end)


def test_memo_like_hints_are_not_taken_for_text():
    """Atlas.ti puts comments in Description: they must not move selections."""
    sels = [RawSelection(s, e, hint="nooit") for s, e in spans()]  # a word found elsewhere
    result = reconcile(TEXT, REMOVED, sels)
    assert not result.issues and [(p.start, p.end) for p in result.placed] == spans()
