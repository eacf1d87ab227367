"""Labelled texts to measure a suggester against: JSON Lines with ``text`` and ``themes``.

Researchers label their own quotes; this reads them and says which labels the codebook knows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kwali.errors import InputError
from kwali.i18n import _
from kwali.model import Codebook


@dataclass(frozen=True, slots=True)
class GoldItem:
    text: str
    themes: tuple[str, ...]
    line: int
    # Who said it (``speaker_role``, a respondent's rol): context a coder reads the text with.
    speaker: str = ""


def load_gold(path: str | Path) -> list[GoldItem]:
    """Read JSON Lines with ``text``, ``themes`` and, if known, ``speaker_role``; other fields
    are ignored."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(_("dit bestand bestaat niet"), path=path) from None
    except UnicodeDecodeError:
        raise InputError(_("is geen UTF-8-tekst"), path=path) from None
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                _("regel {number}: geen geldige JSON ({why})").format(number=number, why=exc.msg),
                path=path,
            ) from None
        if not isinstance(record, dict):
            raise InputError(
                _("regel {number}: verwacht een object met 'text' en 'themes'").format(
                    number=number
                ),
                path=path,
            )
        text, themes = record.get("text"), record.get("themes", [])
        if not isinstance(text, str):
            raise InputError(
                _("regel {number}: 'text' ontbreekt of is geen tekst").format(number=number),
                path=path,
            )
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            raise InputError(
                _("regel {number}: 'themes' moet een lijst van codesleutels zijn").format(
                    number=number
                ),
                path=path,
            )
        speaker = record.get("speaker_role")
        items.append(
            GoldItem(
                text,
                tuple(dict.fromkeys(themes)),
                number,
                speaker.strip() if isinstance(speaker, str) else "",
            )
        )
    if not items:
        raise InputError(_("heeft geen gelabelde teksten"), path=path)
    return items


def gold_sets(
    items: Sequence[GoldItem], codebook: Codebook
) -> tuple[list[set[str]], dict[str, int]]:
    """Each item's labels that are codebook keys, and a count of the labels that are not."""
    known = set(codebook.keys())
    unknown: dict[str, int] = {}
    gold = []
    for item in items:
        labels = set()
        for label in item.themes:
            if label in known:
                labels.add(label)
            else:
                unknown[label] = unknown.get(label, 0) + 1
        gold.append(labels)
    return gold, dict(sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0])))
