"""Which files an import takes: the one rule for "is this a transcript".

Folders are searched recursively by extension, in a stable sorted order; hidden files and
folders and kwali's backup folders (``x.kwali-backups``) are passed over silently. Everything
else that is not a transcript is *skipped* with a reason, never imported and never
an error: a README, a CSV of attributes, a spreadsheet, notes in Markdown.

A file named on the command line is taken as the user named it (a ``.md`` interview still
imports), unless it is a README or plainly not a transcript (``.csv``, ``.xlsx``, ...); a file
with an unknown extension is left to the reader, which reports it as an error of its own.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kwali.i18n import _

# What a folder search imports: the transcript formats, and REFI-QDA exchange files.
TRANSCRIPT_SUFFIXES = (".txt", ".text", ".docx", ".odt", ".vtt", ".srt")
EXCHANGE_SUFFIXES = (".qdpx", ".qdc")
FOUND_SUFFIXES = TRANSCRIPT_SUFFIXES + EXCHANGE_SUFFIXES

# Files that sit beside transcripts but are never one, even when named explicitly.
NOT_TRANSCRIPT_SUFFIXES = frozenset(
    {".csv", ".tsv", ".xlsx", ".xls", ".ods", ".json", ".yaml", ".yml", ".toml", ".xml"}
)
# A text file by one of these names (any case, any transcript extension) explains the folder.
README_STEMS = frozenset({"readme", "leesmij", "lees-mij", "lees_mij"})

KWALI_SUFFIX = ".kwali"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file an import passes over, and why (one line, for the user)."""

    path: Path
    reason: str

    def line(self) -> str:
        return _("overgeslagen: {path}: {reason}").format(path=self.path, reason=self.reason)


@dataclass(frozen=True, slots=True)
class Finding:
    """The files to import, in order, and the files skipped."""

    files: tuple[Path, ...] = ()
    skipped: tuple[Skipped, ...] = field(default_factory=tuple)
    # one line each: a folder named on the command line with no transcript in it (a mistake)
    errors: tuple[str, ...] = field(default_factory=tuple)


def is_kwali_own(name: str) -> bool:
    """A project (``x.kwali``), its journal files (``x.kwali-wal``) or backups folder
    (``x.kwali-backups``)."""
    lower = name.lower()
    return lower.endswith(KWALI_SUFFIX) or f"{KWALI_SUFFIX}-" in lower


def is_hidden(name: str) -> bool:
    return name.startswith(".")


def not_a_transcript(path: Path, *, searched: bool) -> str | None:
    """Why ``path`` is not imported, or None when it is. ``searched``: found in a folder (only
    known transcript extensions count) rather than named on the command line."""
    suffix = path.suffix.lower()
    if is_kwali_own(path.name):
        return _("een projectbestand van kwali, geen transcript")
    if path.stem.lower() in README_STEMS:
        return _("een README, geen transcript ({suffix})").format(
            suffix=suffix or _("geen extensie")
        )
    if suffix in NOT_TRANSCRIPT_SUFFIXES:
        return _("geen transcript ({suffix})").format(suffix=suffix)
    if searched and suffix not in FOUND_SUFFIXES:
        return _("geen transcript ({suffix})").format(suffix=suffix or _("geen extensie"))
    return None


def find_transcripts(paths: Sequence[Path]) -> Finding:
    """The transcripts among ``paths``: files as given, folders searched recursively.

    Command-line order is kept; a folder's files come in sorted order of their path inside it.
    A file reached twice (a folder and a file in it) is taken once.
    """
    files: list[Path] = []
    skipped: list[Skipped] = []
    errors: list[str] = []
    seen: set[Path] = set()

    def take(path: Path, *, searched: bool) -> bool:
        """Whether ``path`` is a transcript (taken now or before)."""
        reason = not_a_transcript(path, searched=searched)
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            if reason is None:
                files.append(path)
            else:
                skipped.append(Skipped(path, reason))
        return reason is None

    for given in paths:
        if given.is_dir() and is_kwali_own(given.name):  # x.kwali-backups, by a glob
            skipped.append(
                Skipped(given, _("de map met reservekopieën van kwali, geen transcripten"))
            )
        elif given.is_dir():
            taken = [take(found, searched=True) for found in _walk(given)]
            if not any(taken):
                errors.append(
                    _(
                        "{path}: is een map zonder transcripten (kwali zoekt naar {suffixes})"
                    ).format(path=given, suffixes=", ".join(FOUND_SUFFIXES))
                )
        else:
            take(given, searched=False)
    return Finding(tuple(files), tuple(skipped), tuple(errors))


def _walk(folder: Path) -> list[Path]:
    """Every visible file under ``folder``, sorted; hidden and backup folders not entered."""
    found: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not is_hidden(d) and not is_kwali_own(d)]
        base = Path(root)
        found.extend(base / name for name in names if not is_hidden(name))
    return sorted(found, key=lambda p: p.relative_to(folder).parts)
