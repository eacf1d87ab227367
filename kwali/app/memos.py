"""Memos on everything: the project, a document, a code, a sentence and a coding.

One place that knows what a memo can be about, how to name that for a person ("code
Sanctie", "3:12.2"), where it lives (to jump there), and how to list, write, edit and remove
memos. The CLI (``kwali memo``), the memo screen and the report all go through it.

A memo is stored in ``memos`` or, for a coder's note on their own coding, in ``codings.memo``
(what the coding screen writes). Each memo has a reference a person can type: the memo's id
(``12``) or ``c`` and the coding's id (``c34``) for the latter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kwali.app.code_names import code_key
from kwali.errors import InputError, ProjectError
from kwali.i18n import TranslatedWords, _
from kwali.store import Project

KINDS = ("project", "document", "code", "segment", "coding")
"""What a memo can be about, in the order the overview and the report show them."""

KIND_WORDS: Mapping[str, str] = TranslatedWords(
    lambda: {
        "project": _("project"),
        "document": _("document"),
        "code": _("code"),
        "segment": _("zin"),
        "coding": _("codering"),
    }
)
"""The kinds in the reader's language, as the UI shows them and its filter understands them."""

# the words a filter understands, in either language (data to match, not texts to show)
_ALIASES = {kind: kind for kind in KINDS} | {
    "zin": "segment",
    "codering": "coding",
    "sentence": "segment",
    "span": "segment",
    "interview": "document",
}
_REFERENCE = re.compile(r"^\s*(\d+):(\d+)(?:\.(\d+))?\s*$")


@dataclass(frozen=True, slots=True)
class Target:
    """What a memo is about: its kind and id, a name for people, and where it lives."""

    kind: str
    target_id: str
    about: str
    document_id: int | None = None
    start: int = 0
    code_key: str | None = None
    quote: str = ""  # the sentence or coded text, for a memo on a sentence or a coding


@dataclass(frozen=True, slots=True)
class MemoEntry:
    """One memo with its target described; ``ref`` is what ``kwali memo edit`` takes."""

    ref: str
    target: Target
    coder: str
    text: str
    created: str
    changed: str

    @property
    def kind(self) -> str:
        return self.target.kind

    @property
    def first_line(self) -> str:
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")


def kind_of(word: str) -> str:
    """A kind as a person names it (``zin``, ``sentence``, ``code`` ...); one line if unknown."""
    kind = _aliases().get(word.strip().lower(), word.strip().lower())
    if kind not in KINDS:
        raise InputError(
            _("{word!r} is geen soort memo (kies uit {kinds})").format(
                word=word, kinds=", ".join(KIND_WORDS.values())
            )
        )
    return kind


def _aliases() -> dict[str, str]:
    """The kind names a filter understands: the fixed ones and the reader's words."""
    return _ALIASES | {word.casefold(): kind for kind, word in KIND_WORDS.items()}


def _short(text: str, width: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def describe(project: Project, kind: str, target_id: str) -> Target:
    """Name a memo target for a person and find where it lives; a target that is gone says so."""
    if kind == "project":
        return Target(kind, target_id, _("Project"))
    if kind == "document" and target_id.isdigit():
        doc = project.document(int(target_id))
        if doc is not None:
            return Target(
                kind,
                target_id,
                _("document {number} · {name}").format(number=doc.number, name=_short(doc.name)),
                doc.id,
            )
    if kind == "code":
        code = project.code(target_id)
        if code is not None:
            return Target(
                kind, target_id, _("code {label}").format(label=code.label), code_key=code.key
            )
    if kind == "segment":
        segment = project.segment(target_id)
        if segment is not None:
            doc = project.require_document(segment.document_id)
            quote = " ".join(doc.text[segment.start : segment.end].split())
            reference = segment.reference(doc.number)
            return Target(kind, target_id, reference, doc.id, segment.start, quote=quote)
    if kind == "coding" and target_id.isdigit():
        coding = project.coding(int(target_id))
        if coding is not None:
            doc = project.require_document(coding.document_id)
            code = project.code(coding.code_key)
            label = code.label if code else coding.code_key
            at = next(
                (
                    s.reference(doc.number)
                    for s in project.segments(doc.id, kind="sentence")
                    if s.start <= coding.start < s.end
                ),
                str(doc.number),
            )
            return Target(
                kind,
                target_id,
                _("codering {label} op {at}").format(label=label, at=at),
                doc.id,
                coding.start,
                coding.code_key,
                " ".join(doc.text[coding.start : coding.end].split()),
            )
    return Target(
        kind,
        target_id,
        _("{kind} {id} (niet meer aanwezig)").format(kind=KIND_WORDS.get(kind, kind), id=target_id),
    )


def find_segment(project: Project, reference: str) -> str:
    """The id of the sentence (or turn) a person cites as ``3:12.2`` (``3:12`` for a turn)."""
    match = _REFERENCE.match(reference)
    if match is None:
        raise InputError(
            _("{reference!r} is geen verwijzing naar een zin zoals 3:12.2").format(
                reference=reference
            ),
            path=project.location,
        )
    number, turn, sentence = match.groups()
    doc = project.find_document(number)
    kind = "turn" if sentence is None else "sentence"
    for segment in project.segments(doc.id, kind=kind):
        if segment.turn_number == int(turn) and (
            sentence is None or segment.sentence_number == int(sentence)
        ):
            return segment.id
    raise ProjectError(
        _("heeft geen zin {reference}").format(reference=reference.strip()), path=project.location
    )


def find_code(project: Project, name: str) -> str:
    """A code's key from its key, label or path (the one rule: :mod:`kwali.app.code_names`)."""
    return code_key(project, name)


def target_for(project: Project, kind: str, ref: str = "") -> Target:
    """The target a person names (a document number or name, a code, ``3:12.2``, a coding id)."""
    if kind == "project":
        return describe(project, "project", "")
    if kind == "document":
        return describe(project, kind, str(project.find_document(ref).id))
    if kind == "code":
        return describe(project, kind, find_code(project, ref))
    if kind == "segment":
        return describe(project, kind, find_segment(project, ref))
    if kind == "coding":
        if not ref.strip().isdigit() or project.coding(int(ref)) is None:
            raise ProjectError(
                _("heeft geen codering {ref!r}").format(ref=ref), path=project.location
            )
        return describe(project, kind, ref.strip())
    raise InputError(_("{kind!r} is geen soort memo").format(kind=kind))


# -- listing ----------------------------------------------------------------------------------
def all_memos(project: Project, viewer: str | None = None, blind: bool = False) -> list[MemoEntry]:
    """Every memo, by kind (project first) then as stored; blind: only ``viewer``'s own."""
    described: dict[tuple[str, str], Target] = {}

    def target(kind: str, target_id: str) -> Target:
        if (kind, target_id) not in described:
            described[kind, target_id] = describe(project, kind, target_id)
        return described[kind, target_id]

    only = viewer if blind else None
    entries = [
        MemoEntry(
            str(m.id), target(m.target_kind, m.target_id), m.coder, m.text, m.created, m.changed
        )
        for m in project.memos(coder=only)
    ]
    entries += [
        MemoEntry(f"c{c.id}", target("coding", str(c.id)), c.coder, c.memo, c.created, c.changed)
        for c in project.codings_with_memo()
        if only is None or c.coder == only
    ]
    order = {kind: i for i, kind in enumerate(KINDS)}
    # by kind, then in text order within the documents (a target that is gone last)
    return sorted(
        entries,
        key=lambda e: (
            order.get(e.kind, len(KINDS)),
            e.target.document_id is None and e.kind in ("segment", "coding"),
            e.target.document_id or 0,
            e.target.start,
        ),
    )


def filter_memos(
    entries: Iterable[MemoEntry],
    *,
    kinds: Iterable[str] = (),
    coder: str | None = None,
    document_id: int | None = None,
    code_key: str | None = None,
    search: str = "",
) -> list[MemoEntry]:
    """Memos of these kinds, by this coder, in this document, on this code, holding every
    word of ``search`` (in the memo or in what it is about, any case)."""
    wanted = set(kinds)
    words = search.casefold().split()
    return [
        e
        for e in entries
        if (not wanted or e.kind in wanted)
        and (coder is None or e.coder == coder)
        and (document_id is None or e.target.document_id == document_id)
        and (code_key is None or e.target.code_key == code_key)
        and all(w in f"{e.text} {e.target.about}".casefold() for w in words)
    ]


@dataclass(frozen=True, slots=True)
class MemoQuery:
    """What the memo screen's filter asks for."""

    kinds: tuple[str, ...] = ()
    coder: str | None = None
    search: str = ""


def parse_filter(query: str) -> MemoQuery:
    """The memo screen's filter: ``code``, ``zin`` ... pick a kind, ``@anna`` a coder, the rest
    is searched for. ``code sanctie @anna`` = anna's code memos that mention sanctie."""
    kinds: list[str] = []
    coder = None
    words = []
    for word in query.split():
        if word.startswith("@") and len(word) > 1:
            coder = word[1:]
        elif word.lower() in _aliases() or word.lower() in KINDS:
            kinds.append(kind_of(word))
        else:
            words.append(word)
    return MemoQuery(tuple(kinds), coder, " ".join(words))


def _coding_entry(project: Project, coding_id: int) -> MemoEntry | None:
    coding = project.coding(coding_id)
    if coding is None or not coding.memo:
        return None
    target = describe(project, "coding", str(coding.id))
    return MemoEntry(
        f"c{coding.id}", target, coding.coder, coding.memo, coding.created, coding.changed
    )


def own_memo(project: Project, coder: str, kind: str, target_id: str) -> MemoEntry | None:
    """The coder's latest memo on this target (what ``m`` opens to edit), if any."""
    if kind == "coding" and target_id.isdigit():
        entry = _coding_entry(project, int(target_id))
        if entry is not None and entry.coder == coder:
            return entry
    mine = project.memos(kind, target_id, coder=coder)
    if not mine:
        return None
    m = mine[-1]
    return MemoEntry(
        str(m.id), describe(project, kind, target_id), m.coder, m.text, m.created, m.changed
    )


def find_memo(project: Project, ref: str) -> MemoEntry:
    """A memo by the reference ``kwali memo list`` shows (``12``, ``c34``)."""
    ref = ref.strip().lower()
    entry = None
    if ref.startswith("c") and ref[1:].isdigit():
        entry = _coding_entry(project, int(ref[1:]))
    elif ref.isdigit():
        for m in project.memos(ids=[int(ref)]):
            target = describe(project, m.target_kind, m.target_id)
            entry = MemoEntry(str(m.id), target, m.coder, m.text, m.created, m.changed)
    if entry is None:
        raise ProjectError(
            _("heeft geen memo {ref!r}").format(ref=ref),
            path=project.location,
            hint=_("zie `kwali memo list`"),
        )
    return entry


# -- writing ----------------------------------------------------------------------------------
def write_memo(
    project: Project, coder: str, target: Target, text: str, replace: bool = True
) -> MemoEntry:
    """Write the coder's memo on ``target`` (what ``m`` in the UI does): replace their own memo
    there, or add one; an empty text removes it. ``replace=False`` always adds a new memo.

    A memo on a coding is its coder's note (``codings.memo``): another coder's coding gets a
    memo of its own in ``memos`` instead, so nobody overwrites someone else's words."""
    text = text.strip()
    existing = own_memo(project, coder, target.kind, target.target_id) if replace else None
    if existing is not None:
        if not text:
            remove_memo(project, existing.ref, coder)
            return existing
        return edit_memo(project, existing.ref, text, coder)
    if not text:
        raise InputError(_("de memo is leeg"), path=project.location)
    if target.kind == "coding":
        coding = project.require_coding(int(target.target_id))
        if coding.coder == coder and not coding.memo:
            project.set_coding_memo(coding.id, text, coder)
            return find_memo(project, f"c{coding.id}")
    memo = project.add_memo(target.kind, target.target_id, text, coder)
    return find_memo(project, str(memo.id))


def _own(project: Project, ref: str, coder: str) -> MemoEntry:
    entry = find_memo(project, ref)
    if entry.coder != coder:
        raise ProjectError(
            _("memo {ref} is geschreven door {coder}; alleen die kan hem wijzigen").format(
                ref=entry.ref, coder=entry.coder
            ),
            path=project.location,
        )
    return entry


def edit_memo(project: Project, ref: str, text: str, coder: str) -> MemoEntry:
    """Replace the text of the coder's own memo; another coder's memo is refused."""
    entry = _own(project, ref, coder)
    if not text.strip():
        raise InputError(
            _("de memo is leeg (verwijder hem met `kwali memo remove`)"), path=project.location
        )
    if entry.ref.startswith("c"):
        project.set_coding_memo(int(entry.ref[1:]), text.strip(), coder)
    else:
        project.update_memo(int(entry.ref), text.strip(), coder)
    return find_memo(project, entry.ref)


def remove_memo(project: Project, ref: str, coder: str) -> MemoEntry:
    """Remove the coder's own memo, as one undoable action."""
    entry = _own(project, ref, coder)
    if entry.ref.startswith("c"):
        project.remove_coding_memo(int(entry.ref[1:]), coder, entry.target.about)
    else:
        project.remove_memo(int(entry.ref), coder, entry.target.about)
    return entry
