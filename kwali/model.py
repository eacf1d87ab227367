"""Domain objects shared by every layer: plain frozen dataclasses, no behaviour beyond lookups.

Offsets are always character offsets (Python str indices) into a document's stored text,
half-open ``[start, end)``. The stored text is the transcript as written, with line endings
normalised to ``\\n``; nothing else about it is ever changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

SegmentKind = Literal["turn", "sentence"]
CodingStatus = Literal["confirmed", "rejected"]
CodingOrigin = Literal["manual", "suggestion"]
CodeKind = Literal["category", "code"]


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn (or, in a transcript without speakers, one paragraph).

    ``start``/``end`` cover the whole turn including its label and timestamp;
    ``content_start``/``content_end`` cover only what was said, which is what gets segmented.
    """

    number: int
    start: int
    end: int
    content_start: int
    content_end: int
    speaker: str | None = None
    role: str | None = None
    gender: str | None = None
    timestamp: float | None = None


@dataclass(frozen=True, slots=True)
class Transcript:
    """What a reader returns: the text to store and the turns found in it."""

    text: str
    turns: tuple[Turn, ...]
    source_name: str
    format: str
    encoding: str | None = None
    # Positions in ``text`` where a "\r" was dropped while normalising "\r\n"; lets us map
    # back to offsets in the original file (REFI-QDA tools count CRLF as two characters).
    removed_cr: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A transcript as stored in a project."""

    id: int
    number: int
    name: str
    source_name: str
    format: str
    sha256: str
    text: str
    encoding: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    removed_cr: tuple[int, ...] = ()

    @property
    def uid(self) -> str:
        """Short content hash: the stable part of every segment id in this document."""
        return self.sha256[:12]


@dataclass(frozen=True, slots=True)
class Segment:
    """A turn or a sentence inside a turn, with a stable id and a citable reference.

    The id depends only on the document's text and the segmentation, so re-running
    segmentation on the same text gives the same ids.
    """

    id: str
    document_id: int
    kind: SegmentKind
    turn_number: int
    sentence_number: int
    start: int
    end: int
    line: int
    text: str
    speaker: str | None = None
    role: str | None = None
    timestamp: float | None = None

    def reference(self, document_number: int) -> str:
        """Atlas.ti-style ``document:turn`` reference, with the sentence for sentences."""
        base = f"{document_number}:{self.turn_number}"
        return base if self.kind == "turn" else f"{base}.{self.sentence_number}"


@dataclass(frozen=True, slots=True)
class Signals:
    """What in a text points at a code. Matched on lemmas, stems and compound parts."""

    lemmas: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()
    compounds: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # Who speaks (a respondent's ``rol``): talk by these roles is often about the code, so it
    # ranks the code among candidates, but never suggests it without words of its own.
    speakers: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.lemmas or self.stems or self.compounds or self.phrases or self.regex)


# Colours for codes that have none of their own, by their place in the codebook (Tableau 10:
# distinguishable, and readable on dark and light backgrounds); the screens and the charts alike.
CODE_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#8cd17d",
)


@dataclass(frozen=True, slots=True)
class Code:
    """A code or category in a codebook. Keys are unique; labels need not be."""

    key: str
    label: str
    parent: str | None = None
    kind: CodeKind = "code"
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    colour: str = ""
    signals: Signals = field(default_factory=Signals)


@dataclass(frozen=True, slots=True)
class Codebook:
    """An ordered hierarchy of codes (parents come before their children)."""

    name: str
    codes: tuple[Code, ...]
    version: str = ""
    description: str = ""
    # Lookups by key and by parent, made once: exports and screens ask per code, and a
    # scan per question made a 5,000-code codebook take half a minute to export.
    _by_key: dict[str, Code] = field(init=False, repr=False, compare=False)
    _by_parent: dict[str | None, list[Code]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key: dict[str, Code] = {}
        by_parent: dict[str | None, list[Code]] = {}
        for code in self.codes:
            by_key.setdefault(code.key, code)  # the first wins, as the scan did
            by_parent.setdefault(code.parent, []).append(code)
        object.__setattr__(self, "_by_key", by_key)
        object.__setattr__(self, "_by_parent", by_parent)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def get(self, key: str) -> Code | None:
        return self._by_key.get(key)

    def keys(self) -> list[str]:
        return [code.key for code in self.codes]

    def labels(self) -> dict[str, str]:
        """Key -> label, for showing codes by the names coders gave them."""
        return {code.key: code.label for code in self.codes}

    def code_keys(self) -> list[str]:
        """Keys of the codes that can be applied: everything but the categories."""
        return [code.key for code in self.codes if code.kind != "category"]

    def children(self, key: str | None) -> list[Code]:
        return list(self._by_parent.get(key, ()))

    def in_tree_order(self) -> tuple[Code, ...]:
        """The codes as the tree reads now: parents before children, siblings in order.

        A code moved under another parent keeps its old place in ``codes`` (the store's
        position); reports, tables and numbering walk this order, so it comes under its new
        parent. A code whose parent is missing counts as a root; none is ever left out.
        """
        result: list[Code] = []
        seen: set[str] = set()
        roots = [c for c in self.codes if c.parent is None or c.parent not in self._by_key]
        stack = list(reversed(roots))  # iterative: a codebook may be deep
        while stack:
            code = stack.pop()
            if code.key in seen:
                continue
            seen.add(code.key)
            result.append(code)
            stack.extend(reversed(self._by_parent.get(code.key, ())))
        result.extend(c for c in self.codes if c.key not in seen)  # a cycle: keep them all
        return tuple(result)

    def path(self, key: str) -> list[Code]:
        """The chain of codes from the root down to ``key``."""
        chain: list[Code] = []
        code = self.get(key)
        while code is not None:
            chain.append(code)
            code = self.get(code.parent) if code.parent else None
        return list(reversed(chain))


# The kind of evidence a model learned from confirmed codings gives (``learned:<lemma>``),
# as against the codebook's rules (``lemma:…``, ``phrase:…``).
LEARNED_KIND = "learned"
# Learning suggests a code once it has this many confirmed codings: fewer say more about one
# quote than about the code (kwali.tagging.learned; `kwali suggest --min-codings`). Here, not
# there, so the command line can show it without loading spaCy.
MIN_CODINGS = 5


class Evidence(NamedTuple):
    """One thing that fired for a suggestion: the characters it covers and the rule.

    A named tuple, not a frozen dataclass: the suggester makes hundreds of thousands in a
    study-sized run, and a named tuple is made in under half the time."""

    start: int
    end: int
    text: str
    rule: str
    weight: float = 1.0

    @property
    def kind(self) -> str:
        """What kind of rule fired: ``lemma`` for ``lemma:verplicht``, ``learned``, …"""
        return self.rule.partition(":")[0]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A code proposed for a segment; never a coding until a person confirms it."""

    segment_id: str
    document_id: int
    start: int
    end: int
    code_key: str
    score: float
    evidence: tuple[Evidence, ...]
    suggester: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Coding:
    """A code applied by a coder to a span of a document."""

    id: int
    document_id: int
    start: int
    end: int
    code_key: str
    coder: str
    status: CodingStatus = "confirmed"
    origin: CodingOrigin = "manual"
    created: str = ""
    changed: str = ""
    memo: str = ""
    suggestion_id: int | None = None


@dataclass(frozen=True, slots=True)
class Memo:
    """A free-text note on the project, a document, a segment, a code or a coding."""

    id: int
    target_kind: str
    target_id: str
    coder: str
    text: str
    created: str = ""
    changed: str = ""


@dataclass(frozen=True, slots=True)
class Case:
    """A person (or organisation) the study counts: a survey respondent, a speaker of a group
    interview. Its attributes win over its document's for what its linked speakers said."""

    id: int
    name: str
    attributes: Mapping[str, str] = field(default_factory=dict)
