"""What a codebook merge decided, per code, and how a report words it (see
:mod:`kwali.app.codebook_merge`, which makes it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kwali.i18n import TranslatedWords, _
from kwali.model import Code

# What a decision's kind means, for reports (in the order they are listed); the keys are codes.
KINDS: Mapping[str, str] = TranslatedWords(
    lambda: {
        "added": _("toegevoegd"),
        "changed": _("gewijzigd"),
        "conflict": _("conflict (die van het project gehouden)"),
        "kept": _("die van het project gehouden"),
        "missing": _("niet in het bestand (gehouden)"),
        "removed": _("verwijderd in het project (niet teruggezet)"),
        "unchanged": _("ongewijzigd"),
    }
)


def _counted(kind: str, n: int) -> str:
    """``3 toegevoegd``: how many decisions of ``kind``, for the summary."""
    return {
        "added": _("{n} toegevoegd"),
        "changed": _("{n} gewijzigd"),
        "conflict": _("{n} in conflict"),
        "kept": _("{n} van het project gehouden"),
        "missing": _("{n} niet in het bestand"),
        "removed": _("{n} verwijderd in het project"),
        "unchanged": _("{n} ongewijzigd"),
    }[kind].format(n=n)


@dataclass(frozen=True, slots=True)
class CodeDecision:
    """What the merge does with one code. ``key`` is the project's key (or the new code's)."""

    kind: str  # one of KINDS
    key: str
    label: str
    file_key: str | None = None  # the key in the file, when it differs or the code is new
    taken: tuple[str, ...] = ()  # fields taken from the file
    kept: tuple[str, ...] = ()  # fields the project edited since; the project's kept
    conflicts: tuple[str, ...] = ()  # fields changed in both; the project's kept (or theirs)
    silent: tuple[str, ...] = ()  # fields the file leaves empty; the project's kept
    notes: tuple[str, ...] = ()  # how it was matched, label collisions, ...

    def describe(self) -> str:
        """One line for a report, e.g. ``Sanctie (sanctie): took label; conflict: definition``."""
        name = f"{self.label} ({self.key})"
        if self.file_key and self.file_key != self.key:
            name += " " + _("[bestand: {key}]").format(key=self.file_key)
        parts = []
        for what, fields in (
            (_("overgenomen: {fields}"), self.taken),
            (_("die van het project gehouden: {fields}"), self.kept),
            (_("conflict, die van het project gehouden: {fields}"), self.conflicts),
            (_("het bestand heeft er geen, die van het project gehouden: {fields}"), self.silent),
        ):
            if fields:
                parts.append(what.format(fields=", ".join(fields)))
        parts += self.notes
        return f"{name}: {'; '.join(parts)}" if parts else name


@dataclass(frozen=True, slots=True)
class MergeReport:
    """Every decision of a merge, and what it writes."""

    source: str
    decisions: tuple[CodeDecision, ...]
    added: tuple[Code, ...] = ()  # new codes, parents first
    changed: tuple[Code, ...] = ()  # project codes as they become
    base: tuple[Code, ...] = ()  # what the next merge compares with
    # The file's key -> the project's key after the merge, for every file code that has one
    # (not for a code the project deleted): codings read with the file's keys go there.
    keys: dict[str, str] = field(default_factory=dict)
    theirs: bool = False
    applied: bool = False
    by_kind: dict[str, list[CodeDecision]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        groups: dict[str, list[CodeDecision]] = {kind: [] for kind in KINDS}
        for decision in self.decisions:
            groups[decision.kind].append(decision)
        object.__setattr__(self, "by_kind", groups)

    def count(self, kind: str) -> int:
        return len(self.by_kind[kind])

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.changed)

    def summary(self) -> str:
        counts = ", ".join(_counted(k, self.count(k)) for k in KINDS if self.count(k))
        return _("Codeboek {source}: {counts}.").format(
            source=self.source, counts=counts or _("geen codes")
        )

    def lines(self) -> list[str]:
        """The report: a summary line, then every decision but 'unchanged', grouped."""
        out = [self.summary()]
        for kind, title in KINDS.items():
            if kind == "unchanged" or not self.by_kind[kind]:
                continue
            out.append(f"  {title}:")
            out += [f"    {d.describe()}" for d in self.by_kind[kind]]
        return out
