"""The one rule for bringing a codebook from a file into a project that already has codes.

Used by ``kwali codebook import``, ``kwali suggest --codebook`` and (for its codes) a .qdpx
import. :func:`plan_merge` is pure: it compares the project's codes, the file's and the *base*
(the codebook as last loaded from a file) field by field, three ways:

- changed in the file only: the file's value is taken;
- changed in the project only (since the base): the project's is kept, unless ``theirs``;
- changed in both, differently: a conflict; the project's is kept, unless ``theirs``;
- a field the file leaves empty (no definition, no signals, no parent) never empties or
  moves the project's: a .qdc cannot hold signals, and that is no reason to lose them.

A file code is matched to a project code by key, by a key the project renamed, then by label
(case-insensitive), so a .qdc's "Sanctie" (key made from the label) finds ``sanctie``. A
code the file lacks is reported and kept (removing is ``kwali codebook delete``); a code the
project merged away or deleted is not brought back unless ``theirs``. Without a base (a
project from before kwali kept one) a code is taken as edited in the project when the history
says it was added, changed or merged there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kwali.app.codebook_report import CodeDecision, MergeReport
from kwali.i18n import _
from kwali.model import Code, Codebook, Signals

# The fields compared, in the order a report names them.
FIELDS = (
    "label",
    "parent",
    "kind",
    "definition",
    "include",
    "exclude",
    "examples",
    "colour",
    "signals",
)
_MISSING = object()  # a field with no base value: the code is new on both sides


def _empty(value: object) -> bool:
    if isinstance(value, Signals):
        return value == Signals()
    return value in (None, "", ())


def _fold(label: str) -> str:
    return " ".join(label.casefold().split())


@dataclass
class _Match:
    """The file's keys against the project's."""

    to_project: dict[str, str] = field(default_factory=dict)  # file key -> project key
    notes: dict[str, list[str]] = field(default_factory=dict)  # file key -> how


def _match(incoming: Codebook, project: Codebook, renamed: Mapping[str, str]) -> _Match:
    found = _Match()
    claimed: set[str] = set()
    file_keys = {c.key for c in incoming}
    for code in incoming:  # by key
        if project.get(code.key) is not None:
            found.to_project[code.key] = code.key
            claimed.add(code.key)
    for code in incoming:  # by a key the project renamed since
        now = renamed.get(code.key)
        if code.key in found.to_project or now is None or now in claimed or now in file_keys:
            continue
        if project.get(now) is not None:
            found.to_project[code.key] = now
            claimed.add(now)
            found.notes[code.key] = [
                _("sleutel in het project hernoemd van {key}").format(key=code.key)
            ]
    for code in incoming:  # by label, never onto a code another file code already has
        if code.key in found.to_project:
            continue
        same = [c for c in project if c.key not in claimed and _fold(c.label) == _fold(code.label)]
        if len(same) > 1:  # the same label under several parents: the file's parent decides
            parent = found.to_project.get(code.parent or "", code.parent)
            same = [c for c in same if c.parent == parent]
        if len(same) == 1:
            found.to_project[code.key] = same[0].key
            claimed.add(same[0].key)
            found.notes[code.key] = [_("gevonden op label {label!r}").format(label=code.label)]
    return found


def plan_merge(
    project: Codebook,
    incoming: Codebook,
    base: Codebook | None,
    *,
    renamed: Mapping[str, str] | None = None,
    edited: Iterable[str] = (),
    removed: Iterable[str] = (),
    theirs: bool = False,
    source: str = "",
) -> MergeReport:
    """Decide, per code, what bringing ``incoming`` into ``project`` does (nothing is written).

    ``base`` is the codebook as last loaded (its keys as they were then; ``renamed`` maps old
    keys to the project's keys now); ``edited`` and ``removed`` are the codes the project's
    history shows were edited or removed, used where there is no base.
    """
    renamed = dict(renamed or {})
    edited, removed = set(edited), set(removed)
    match = _match(incoming, project, renamed)
    base_codes: dict[str, Code] = {}
    for code in base.codes if base is not None else ():
        now = renamed.get(code.key, code.key)
        parent = renamed.get(code.parent, code.parent) if code.parent else None
        base_codes[now] = replace(code, key=now, parent=parent)
    # A file code the project deleted or merged away is not brought back (unless theirs).
    dropped = {
        c.key
        for c in incoming
        if c.key not in match.to_project
        and not theirs
        and (c.key in removed or (c.key in base_codes and project.get(c.key) is None))
    }
    keys = {k: v for k, v in match.to_project.items()}
    keys |= {c.key: c.key for c in incoming if c.key not in keys and c.key not in dropped}

    decisions: list[CodeDecision] = []
    added: list[Code] = []
    changed: list[Code] = []
    # Without a base, a code the project never edited counts as it was loaded: that is the
    # base the next merge starts from, with the file's codes over it.
    new_base: dict[str, Code] = (
        dict(base_codes) if base is not None else {c.key: c for c in project if c.key not in edited}
    )
    for code in incoming:
        notes = list(match.notes.get(code.key, []))
        if code.key in dropped:
            decisions.append(CodeDecision("removed", code.key, code.label))
            new_base[code.key] = code
            continue
        key = keys[code.key]
        parent = keys.get(code.parent) if code.parent else None
        if code.parent and parent is None:
            notes.append(
                _("de bovenliggende code {parent} is verwijderd in het project").format(
                    parent=code.parent
                )
            )
        theirs_code = replace(code, key=key, parent=parent)
        new_base[key] = theirs_code
        mine = project.get(key)
        if mine is None:
            added.append(theirs_code)
            decisions.append(CodeDecision("added", key, code.label, notes=tuple(notes)))
            continue
        decision, result = _merge_code(
            mine,
            theirs_code,
            base_codes.get(key) if base is not None else None,
            has_base=base is not None,
            edited=key in edited,
            theirs=theirs,
        )
        if code.key != key:
            decision = replace(decision, file_key=code.key)
        decisions.append(replace(decision, notes=decision.notes + tuple(notes)))
        if result != mine:
            changed.append(result)
    matched = set(keys.values())
    decisions += [CodeDecision("missing", c.key, c.label) for c in project if c.key not in matched]
    decisions, added, changed = _untangle(project, decisions, added, changed)
    decisions = _collisions(project, decisions, added, changed)
    return MergeReport(
        source=source,
        decisions=tuple(decisions),
        added=tuple(_parents_first(added)),
        changed=tuple(changed),
        base=tuple(new_base.values()),
        keys=keys,
        theirs=theirs,
    )


def _merge_code(
    mine: Code, incoming: Code, base: Code | None, *, has_base: bool, edited: bool, theirs: bool
) -> tuple[CodeDecision, Code]:
    taken: list[str] = []
    kept: list[str] = []
    conflicts: list[str] = []
    silent: list[str] = []
    overridden: list[str] = []
    values: dict[str, Any] = {}  # field name -> the file's value (names from FIELDS)
    for name in FIELDS:
        theirs_value, my_value = getattr(incoming, name), getattr(mine, name)
        if theirs_value == my_value:
            continue
        if _empty(theirs_value):
            silent.append(name)
            continue
        if has_base:
            base_value = getattr(base, name) if base is not None else _MISSING
        else:  # no base: a code the project never edited is as it was loaded
            base_value = _MISSING if edited else my_value
        if my_value == base_value:  # changed in the file only
            taken.append(name)
            values[name] = theirs_value
            continue
        # The project changed it since; so did the file, unless it still has the base value.
        both = (
            base_value is _MISSING
            and has_base
            or (base_value is not _MISSING and theirs_value != base_value)
        )
        if theirs:
            overridden.append(name)
            taken.append(name)
            values[name] = theirs_value
        else:
            (conflicts if both else kept).append(name)
    notes: tuple[str, ...] = ()
    if overridden:  # what was taken over the project's own edits is said as such
        notes = (
            _("die van het bestand genomen boven de wijziging in het project: {fields}").format(
                fields=", ".join(overridden)
            ),
        )
    if conflicts:
        kind = "conflict"
    elif taken:
        kind = "changed"
    elif kept or silent:
        kind = "kept"
    else:
        kind = "unchanged"
    decision = CodeDecision(
        kind,
        mine.key,
        mine.label,
        taken=tuple(taken),
        kept=tuple(kept),
        conflicts=tuple(conflicts),
        silent=tuple(silent),
        notes=notes,
    )
    return decision, replace(mine, **values)


def _untangle(
    project: Codebook,
    decisions: list[CodeDecision],
    added: list[Code],
    changed: list[Code],
) -> tuple[list[CodeDecision], list[Code], list[Code]]:
    """A parent taken from the file that, with the project's own moves, makes a loop is not
    taken: the code keeps the project's parent (a new code goes to the top level)."""
    codes = {c.key: c for c in project} | {c.key: c for c in changed} | {c.key: c for c in added}
    original = {c.key: c.parent for c in project}
    undone: set[str] = set()
    for key in list(codes):
        seen: list[str] = []
        node: str | None = key
        while node is not None and node not in seen:
            seen.append(node)
            node = codes[node].parent if node in codes else None
        if node is None:
            continue
        loop = seen[seen.index(node) :]
        culprit = next((k for k in loop if codes[k].parent != original.get(k)), None)
        if culprit is not None:
            codes[culprit] = replace(codes[culprit], parent=original.get(culprit))
            undone.add(culprit)
    if not undone:
        return decisions, added, changed
    added = [codes[c.key] for c in added]
    changed = [codes[c.key] for c in changed if codes[c.key] != project.get(c.key)]
    fixed = []
    for d in decisions:
        if d.key in undone and d.kind != "missing":
            taken = tuple(f for f in d.taken if f != "parent")
            d = replace(
                d,
                kind="conflict" if d.kind != "added" else d.kind,
                taken=taken,
                conflicts=d.conflicts + ("parent",) if d.kind != "added" else d.conflicts,
                notes=d.notes + (_("de bovenliggende code uit het bestand zou een kring maken"),),
            )
        fixed.append(d)
    return fixed, added, changed


def _collisions(
    project: Codebook, decisions: list[CodeDecision], added: list[Code], changed: list[Code]
) -> list[CodeDecision]:
    """Say where a label will be used by two codes after the merge (allowed, but confusing)."""
    result = {c.key: c for c in project} | {c.key: c for c in changed} | {c.key: c for c in added}
    by_label: dict[str, list[str]] = {}
    for code in result.values():
        by_label.setdefault(_fold(code.label), []).append(code.key)
    touched = {c.key for c in added} | {c.key for c in changed}
    out = []
    for d in decisions:
        now = result.get(d.key)
        if d.key in touched and now is not None:
            others = [k for k in by_label[_fold(now.label)] if k != d.key]
            if others:
                d = replace(
                    d,
                    notes=d.notes
                    + (_("label ook gebruikt door {keys}").format(keys=", ".join(others)),),
                )
        out.append(d)
    return out


def _parents_first(codes: list[Code]) -> list[Code]:
    """New codes in an order where a new parent comes before its new children."""
    pending = {c.key: c for c in codes}
    ordered: list[Code] = []
    while pending:
        ready = [c for c in pending.values() if c.parent not in pending]
        if not ready:  # a loop cannot remain (see _untangle); guard all the same
            ready = list(pending.values())
        for code in ready:
            ordered.append(code)
            del pending[code.key]
    return ordered
