"""Codings turned into the inputs of the agreement statistics: units, values and spans.

Pure data work (numpy, no project or store): the caller passes plain tuples.

* ``segments``: the units, ``(document_id, start, end)`` with half-open character offsets;
  within a document they must not overlap (sentences and turns never do).
* ``codings``: ``(document_id, start, end, code, coder)``.

**When a coding marks a unit.** A coding marks every unit it overlaps by at least one
character. This is what NVivo (sentence or paragraph as the unit of comparison) and
MAXQDA (code existence per paragraph) users get: a coded phrase makes its whole sentence
"coded", as when coding is spread to the surrounding sentence. ``min_share`` makes the
rule stricter: the overlap must then also cover at least that share of the unit (0.5 =
half of the sentence), which stops a selection that spills a few characters into the next
sentence from marking it.

**Missing versus absent.** A coder who did not code a document at all has *no value* for
its units (missing, as in Krippendorff's α), rather than "absent": coders in blind
parallel coding often split the documents, and counting every unit they never read as
"not coded" would inflate agreement on absence. By default a coder covers the documents
in which they made at least one coding; pass ``covered`` to say otherwise.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from kwali.agreement.data import AgreementError, Tally
from kwali.i18n import _

Unit = tuple[int, int, int]  # document_id, start, end
CodingRow = tuple[int, int, int, Hashable, Hashable]  # document_id, start, end, code, coder
# coder → ids of the documents they coded. Any, not Hashable: a Mapping's key type is
# invariant, so a dict[str, set[int]] would not be a Mapping[Hashable, ...].
Covered = Mapping[Any, Collection[int]]
NONE = -1  # domain value: the coder gave the unit none of the domain's codes
NO_VALUE = -2  # domain value: not covered by the coder, or two codes of the domain (conflict)


@dataclass(frozen=True)
class UnitTable:
    """Per code, coders × units present/absent, and which units each coder covered."""

    documents: np.ndarray  # document id of each unit, in text order
    starts: np.ndarray
    ends: np.ndarray
    coders: tuple[Hashable, ...]
    codes: tuple[Hashable, ...]
    present: np.ndarray  # bool, codes × coders × units
    covered: np.ndarray  # bool, coders × units: False = no value (coder skipped the document)

    @property
    def n_units(self) -> int:
        return int(self.starts.shape[0])

    def comparable(self) -> np.ndarray:
        """Units that at least two coders covered: the only ones any statistic can use."""
        return self.covered.sum(axis=0) >= 2

    def data(self, code: Hashable) -> np.ndarray:
        """Reliability data for one code: coders × comparable units, 1/0, NaN = no value."""
        values = self.present[self.codes.index(code)].astype(float)
        values[~self.covered] = np.nan
        return values[:, self.comparable()]

    def tally(self, code: Hashable) -> Tally:
        """:meth:`data` as a tally: each distinct column once, with how many units have it."""
        return self._tallies[self.codes.index(code)]

    @cached_property
    def _tallies(self) -> tuple[Tally, ...]:
        keep = self.comparable()
        covered = self.covered[:, keep]
        return tuple(_presence_tally(present[:, keep], covered) for present in self.present)

    def pooled(self) -> Tally:
        """All codes side by side (coders × codes·units): one presence decision per pair.

        A tally, summed code by code: the expanded table would hold codes × coders × units
        numbers (gigabytes for a department's archive), the tally at most 3^coders columns.
        """
        return Tally.merged(self._tallies, len(self.coders))

    def coded_counts(self, code: Hashable) -> dict[Hashable, int]:
        """Per coder, the comparable units they marked with ``code``."""
        marked = self.present[self.codes.index(code)][:, self.comparable()]
        return {coder: int(n) for coder, n in zip(self.coders, marked.sum(axis=1), strict=True)}

    def differing(self, codes: Collection[Hashable] | None = None) -> np.ndarray:
        """Units where the coders who covered them did not all give the same codes."""
        index = [self.codes.index(c) for c in codes] if codes is not None else slice(None)
        present = self.present[index]
        covered = self.covered[None, :, :]
        anyone = (present & covered).any(axis=1)
        everyone = (present | ~covered).all(axis=1)
        return (anyone & ~everyone).any(axis=0) & self.comparable()


@dataclass(frozen=True)
class DomainTable:
    """One semantic domain of mutually exclusive codes as nominal values per unit.

    ``values[i, u]`` is the index of the code coder i gave unit u (into ``codes``),
    ``NONE`` when they gave it none of the domain's codes, and ``NO_VALUE`` when they did
    not cover the unit or broke the domain's rule by giving it two of its codes
    (``conflicts`` marks those).
    """

    coders: tuple[Hashable, ...]
    codes: tuple[Hashable, ...]
    values: np.ndarray  # int, coders × units
    conflicts: np.ndarray  # bool, coders × units

    def data(self) -> np.ndarray:
        """Coders × units as floats for the statistics (NaN = no value), comparable units only."""
        values = self.values.astype(float)
        values[self.values == NO_VALUE] = np.nan
        keep = (self.values != NO_VALUE).sum(axis=0) >= 2
        return values[:, keep]

    def label(self, value: int) -> Hashable | None:
        return None if value < 0 else self.codes[value]


def _presence_tally(present: np.ndarray, covered: np.ndarray) -> Tally:
    """Coders × units present/absent (no value where not covered) as a tally."""
    m = present.shape[0]
    if m > 39:  # base-3 keys would overflow int64
        values = present.astype(float)
        values[~covered] = np.nan
        return Tally.of(values)
    # Each unit's column as one number in base 3: 0 absent, 1 present, 2 no value.
    digit = np.where(covered, present.astype(np.int64), 2)
    keys = (3 ** np.arange(m, dtype=np.int64)) @ digit if m else np.zeros(0, np.int64)
    if 3**m <= 1 << 16:
        counts = np.bincount(keys, minlength=3**m)
        used = np.flatnonzero(counts)
        counts = counts[used]
    else:
        used, counts = np.unique(keys, return_counts=True)
    digits = (used[None, :] // (3 ** np.arange(m, dtype=np.int64))[:, None]) % 3
    columns = np.where(digits == 2, np.nan, digits.astype(float))
    return Tally(columns, counts.astype(np.int64))


def _unit_arrays(segments: Iterable[Unit]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    array = np.asarray(list(segments), dtype=np.int64).reshape(-1, 3)
    order = np.lexsort((array[:, 1], array[:, 0]))
    documents, starts, ends = array[order].T
    if (starts >= ends).any():
        raise AgreementError(_("een eenheid moet start < end hebben"))
    same = documents[1:] == documents[:-1]
    if (same & (starts[1:] < ends[:-1])).any():
        raise AgreementError(
            _("eenheden van één document overlappen; gebruik één soort eenheid (zinnen of beurten)")
        )
    return documents, starts, ends


def unit_table(
    segments: Iterable[Unit],
    codings: Iterable[CodingRow],
    coders: Sequence[Hashable],
    codes: Sequence[Hashable],
    *,
    covered: Covered | None = None,
    min_share: float = 0.0,
) -> UnitTable:
    """Per code, which units each coder marked (see the module doc for the rule).

    Codings of other coders or codes are ignored. ``covered`` maps a coder to the
    documents they coded; by default the documents where they made a coding in
    ``codings``.
    """
    if not 0.0 <= min_share <= 1.0:
        raise AgreementError(
            _("min_share moet tussen 0 en 1 liggen; kreeg {value}").format(value=repr(min_share))
        )
    coders, codes = tuple(coders), tuple(codes)
    documents, starts, ends = _unit_arrays(segments)
    coder_index = {c: i for i, c in enumerate(coders)}
    code_index = {c: i for i, c in enumerate(codes)}
    rows = list(codings)
    if covered is None:
        seen: dict[Hashable, set[int]] = {c: set() for c in coders}
        for row_document, _start, _end, _code, row_coder in rows:
            if row_coder in seen:
                seen[row_coder].add(int(row_document))
        covered = seen
    document_ids, document_rank = np.unique(documents, return_inverse=True)
    cover = np.zeros((len(coders), len(starts)), dtype=bool)
    for who, docs in covered.items():
        if who in coder_index:
            cover[coder_index[who]] = np.isin(documents, np.fromiter(docs, np.int64, len(docs)))

    present = np.zeros((len(codes), len(coders), len(starts)), dtype=bool)
    kept = [r for r in rows if r[3] in code_index and r[4] in coder_index]
    if kept and len(starts):
        doc, start, end = (np.asarray([r[i] for r in kept], dtype=np.int64) for i in range(3))
        code = np.fromiter((code_index[r[3]] for r in kept), np.int64, len(kept))
        coder = np.fromiter((coder_index[r[4]] for r in kept), np.int64, len(kept))
        # One sorted key per (document, offset): units are disjoint and sorted, so both
        # their starts and their ends are increasing in it.
        rank = np.searchsorted(document_ids, doc)
        known = (rank < len(document_ids)) & (
            document_ids[np.minimum(rank, len(document_ids) - 1)] == doc
        )
        width = int(max(ends.max(), end.max())) + 1
        unit_start = document_rank * width + starts
        unit_end = document_rank * width + ends
        first = np.searchsorted(unit_end, rank * width + start, side="right")
        last = np.searchsorted(unit_start, rank * width + end, side="left")
        count = np.where(known, np.maximum(last - first, 0), 0)
        # Expand to one row per (coding, overlapped unit).
        which = np.repeat(np.arange(len(kept)), count)
        offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        unit = first[which] + offsets
        overlap = np.minimum(end[which], ends[unit]) - np.maximum(start[which], starts[unit])
        enough = overlap >= np.maximum(1, np.ceil(min_share * (ends[unit] - starts[unit])))
        present[code[which][enough], coder[which][enough], unit[enough]] = True
    return UnitTable(documents, starts, ends, coders, codes, present, cover)


def domain_table(table: UnitTable, domain: Sequence[Hashable]) -> DomainTable:
    """The nominal multi-value table for codes that exclude each other (a semantic domain)."""
    missing = [c for c in domain if c not in table.codes]
    if missing:
        raise AgreementError(
            _("code {code} van het domein is niet een van de vergeleken codes").format(
                code=repr(missing[0])
            )
        )
    domain = tuple(domain)
    marks = table.present[[table.codes.index(c) for c in domain]]  # domain codes × coders × units
    count = marks.sum(axis=0)
    values = np.where(count == 0, NONE, np.argmax(marks, axis=0))
    conflicts = (count > 1) & table.covered
    values[conflicts | ~table.covered] = NO_VALUE
    return DomainTable(table.coders, domain, values.astype(np.int64), conflicts)


# -- character level -----------------------------------------------------------------------
@dataclass(frozen=True)
class Continuum:
    """Documents laid end to end as one text, with every coder's spans on it.

    ``spans`` are ``(coder, start, end, code)`` and ``holes`` ``(coder, start, end)``
    (documents a coder did not cover), ready for ``kwali.agreement``'s unitizing
    functions; ``offsets`` maps a document id to where its text starts.
    """

    length: int
    offsets: Mapping[int, int]
    spans: tuple[tuple[Hashable, int, int, Hashable], ...]
    holes: tuple[tuple[Hashable, int, int], ...]
    grouped: Mapping[tuple[Hashable, Hashable], list[tuple[int, int]]]  # (coder, code) → spans

    def coder_spans(self, coder: Hashable, codes: Collection[Hashable]) -> list[tuple[int, int]]:
        """One coder's spans of these codes (for NVivo's per-code character table)."""
        return [span for code in codes for span in self.grouped.get((coder, code), ())]


def continuum(
    lengths: Mapping[int, int],
    codings: Iterable[CodingRow],
    coders: Sequence[Hashable],
    *,
    covered: Covered | None = None,
) -> Continuum:
    """Lay the documents in ``lengths`` (id → characters) end to end, in id order.

    Pooling documents this way is what pooling their coincidences means: no span crosses
    a document boundary. Codings of documents not in ``lengths`` are ignored; a coder who
    did not cover a document gets a hole there (no value, not "uncoded").
    """
    wanted = set(coders)
    rows = [r for r in codings if r[0] in lengths and r[4] in wanted]
    if covered is None:
        seen: dict[Hashable, set[int]] = {c: set() for c in coders}
        for doc, _start, _end, _code, coder in rows:
            seen[coder].add(doc)
        covered = seen
    offsets, position = {}, 0
    for doc in sorted(lengths):
        offsets[doc] = position
        position += int(lengths[doc])
    spans = tuple(
        (coder, offsets[doc] + int(s), offsets[doc] + int(e), code)
        for doc, s, e, code, coder in rows
        if doc in covered.get(coder, ())
    )
    holes = tuple(
        (coder, offsets[doc], offsets[doc] + int(lengths[doc]))
        for coder in coders
        for doc in sorted(lengths)
        if doc not in covered.get(coder, ())
    )
    grouped: dict[tuple[Hashable, Hashable], list[tuple[int, int]]] = {}
    for coder, s, e, code in spans:
        grouped.setdefault((coder, code), []).append((s, e))
    return Continuum(position, offsets, spans, holes, grouped)
