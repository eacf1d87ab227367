"""Replace names in exported quotes, and optionally let ``deduce`` propose what to replace.

Replacement is whole-word, case-insensitive and case-preserving ("JANSEN" → "DE BUURVROUW"),
and never touches the transcript stored in the project: it is applied to exported text only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from kwali.errors import ExportError
from kwali.i18n import _
from kwali.store import Project

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def project_replacements(project: Project) -> dict[str, str]:
    """The project's list of names and what replaces them in exports."""
    return dict(project.replacements())


def _match_case(found: str, replacement: str) -> str:
    if found.isupper() and len(found) > 1:
        return replacement.upper()
    if found[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class Anonymizer:
    """A compiled replacement list; call it on a string."""

    def __init__(self, replacements: Mapping[str, str]) -> None:
        self.replacements = {
            " ".join(k.split()).casefold(): v for k, v in replacements.items() if k.strip()
        }
        if not self.replacements:
            self._pattern = None
            return
        # Longest first, so "Fatima el Amrani" wins over "Fatima"; any run of spaces matches.
        names = sorted(self.replacements, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(re.escape(w) for w in name.split()) for name in names)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def __bool__(self) -> bool:
        return self._pattern is not None

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text

        def swap(match: re.Match[str]) -> str:
            found = match.group(0)
            return _match_case(found, self.replacements[" ".join(found.split()).casefold()])

        # Word and Excel drop control characters: "Fat\x07ima" must not come out as Fatima.
        return self._pattern.sub(swap, _CONTROL.sub("", text))


def anonymize_text(text: str, replacements: Mapping[str, str]) -> str:
    return Anonymizer(replacements)(text)


@dataclass(frozen=True, slots=True)
class Proposal:
    """Something ``deduce`` thinks identifies a person, with how often it was found."""

    text: str
    kind: str
    count: int
    suggestion: str


# deduce's tags → the bracketed placeholders used in the study's transcripts. They go into
# the (Dutch) quotes as the transcriber's own do, so they follow the transcripts, not the
# language of the run.
_PLACEHOLDERS = {
    "persoon": "[naam]",
    "patient": "[naam]",
    "locatie": "[plaats]",
    "instelling": "[organisatie]",
    "zorginstelling": "[organisatie]",
    "ziekenhuis": "[organisatie]",
    "datum": "[datum]",
    "leeftijd": "[leeftijd]",
    "telefoonnummer": "[telefoonnummer]",
    "email": "[e-mail]",
    "url": "[url]",
    "bsn": "[bsn]",
    "id": "[nummer]",
}


def propose(
    texts: Iterable[str],
    *,
    known: Iterable[str] = (),
    progress: Callable[[str], None] | None = None,
) -> list[Proposal]:
    """Names, places, dates and phone numbers found by ``deduce``, most frequent first.

    Text already in square brackets (the transcriber's own placeholders) and names already in
    ``known`` are left out. Needs the optional ``deidentify`` extra.
    """
    try:
        from deduce import Deduce  # optional extra; imported only when asked for
    except ImportError as exc:
        raise ExportError(
            _("namen voorstellen vraagt het extra pakket 'deduce'"),
            hint=_("installeer het met: {command}").format(
                command="pip install 'kwali[deidentify]'"
            ),
        ) from exc
    if progress:
        progress(_("deduce laden (de eerste keer duurt dat een minuut of langer) ..."))
    deduce = Deduce()
    skip = {" ".join(k.split()).casefold() for k in known}
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        if not text.strip():
            continue
        for annotation in deduce.deidentify(text).annotations:
            found = " ".join(annotation.text.split())
            if not found or found.casefold() in skip or _in_brackets(text, annotation.start_char):
                continue
            counts[(found, annotation.tag.split("_")[0])] += 1
    return [
        Proposal(text, kind, n, _PLACEHOLDERS.get(kind, "[...]"))
        for (text, kind), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _in_brackets(text: str, offset: int) -> bool:
    opening = text.rfind("[", 0, offset + 1)
    return opening != -1 and text.find("]", opening) > offset and "\n" not in text[opening:offset]
