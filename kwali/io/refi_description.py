"""A code's REFI-QDA ``Description``: its definition, verbatim, and kwali's own fields fenced.

REFI-QDA has no fields for include/exclude rules, examples, signals or kwali's own keys, so
kwali writes them after the definition in a block no other tool's text can start by
accident, readable for a researcher who opens the file in Atlas.ti, NVivo or MAXQDA::

    what the code means (the definition, exactly as typed)

    [kwali]
    Wel: when to use it
    Niet: when not to
    Voorbeelden:
    - an example
    Signalen:
    - lemmas: werk
    Memo: anna: a code memo (in a .qdpx; kwali reads memos from its Notes)
    [/kwali]

The block is only read when it closes the description. Everything outside it is the
definition, verbatim: a MAXQDA description with a line ``Signals:`` or ``Key:`` is text.
Inside the block, continuation lines of a field are indented by two spaces, so text that
happens to start with ``Wel:`` is never taken for a header. Files written by kwali before
the block existed had the headers bare (``Definitie:`` first); ``legacy=True`` reads those,
and is only for files whose origin says kwali wrote them. So a definition with a line that
looks like such a header (``Signals: …`` from MAXQDA) gets a block too, if only an empty
one: it tells kwali the file is in the new form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields

from kwali.i18n import _
from kwali.model import Code, Signals

FENCE_OPEN, FENCE_CLOSE = "[kwali]", "[/kwali]"

# Header words recognised inside the block; the first of each list is what kwali writes.
_HEADERS = {  # i18n: keep (the file format's header words, written and matched)
    "key": ("Sleutel", "Key"),
    "definition": ("Definitie", "Definition", "Omschrijving"),
    "include": ("Wel", "Include", "Inclusie"),
    "exclude": ("Niet", "Exclude", "Exclusie"),
    "examples": ("Voorbeelden", "Voorbeeld", "Examples", "Example"),
    "signals": ("Signalen", "Signals"),
    # A .qdpx's code memos, copied here for tools that show only the Description (QualCoder);
    # kwali reads them from the Notes, so here they are written, never read back.
    "memo": ("Memo",),
}
_HEADER_OF = {word.lower(): field for field, words in _HEADERS.items() for word in words}
_HEADER_RE = re.compile(r"^([A-Za-z]+):(?: |$)(.*)$")
_SIGNAL_FIELDS = tuple(f.name for f in fields(Signals))


def _needs_json(value: str) -> bool:
    risky = value == "" or value != value.strip() or "\n" in value or "\r" in value
    return risky or _decoded(value) is not None


def _decoded(value: str) -> str | None:
    """The string ``value`` stands for if kwali wrote it as JSON; a quoted quote stays as is."""
    if not value.startswith('"'):
        return None
    try:
        decoded = json.loads(value)
    except ValueError:
        return None
    # Each level is shorter than the last, so this recursion ends.
    return decoded if isinstance(decoded, str) and _needs_json(decoded) else None


def _quote(value: str) -> str:
    """A list item as written: as-is, unless reading it back would change it; then JSON."""
    return json.dumps(value, ensure_ascii=False) if _needs_json(value) else value


def _unquote(value: str) -> str:
    decoded = _decoded(value)
    return value if decoded is None else decoded


def _header(line: str) -> tuple[str, str] | None:
    match = _HEADER_RE.match(line)
    if match and match.group(1).lower() in _HEADER_OF:
        return _HEADER_OF[match.group(1).lower()], match.group(2)
    return None


def _block(name: str, text: str) -> list[str]:
    first, *rest = text.split("\n")
    return [f"{_HEADERS[name][0]}: {first}"] + [f"  {line}" for line in rest]


def _ambiguous(definition: str) -> bool:
    """True when a bare definition could be misread: by an older kwali (a header line) or as
    a block of its own (a fence line)."""
    lines = definition.split("\n")
    return any(_header(line) or line.strip() in (FENCE_OPEN, FENCE_CLOSE) for line in lines)


def format_description(
    code: Code, key_needed: bool = False, memos: Sequence[tuple[str, str]] = ()
) -> str:
    """The Description text for ``code``: its definition, then kwali's block if it needs one.

    ``memos`` are (author, text) pairs, written last in the block.
    """
    lines: list[str] = []
    if key_needed:
        lines.append(f"{_HEADERS['key'][0]}: {_quote(code.key)}")
    for name in ("include", "exclude"):
        if getattr(code, name):
            lines += _block(name, getattr(code, name))
    if code.examples:
        lines.append(f"{_HEADERS['examples'][0]}:")
        lines += [f"- {_quote(example)}" for example in code.examples]
    values = [(f, v) for f in _SIGNAL_FIELDS for v in getattr(code.signals, f)]
    if values:
        lines.append(f"{_HEADERS['signals'][0]}:")
        lines += [f"- {f}: {_quote(v)}" for f, v in values]
    for author, text in memos:
        lines += _block("memo", f"{author}: {text.strip()}")
    if not lines and not code.signals.exclude and not _ambiguous(code.definition):
        return code.definition
    block = "\n".join([FENCE_OPEN, *lines, FENCE_CLOSE])
    return f"{code.definition}\n\n{block}" if code.definition else block


@dataclass(frozen=True, slots=True)
class DescriptionParts:
    key: str = ""
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    signals: Signals = Signals()


def _split_fence(lines: list[str]) -> tuple[list[str], list[str]] | None:
    """(definition lines, block lines) when the text ends in a kwali block, else None."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    if not end or lines[end - 1].rstrip() != FENCE_CLOSE:
        return None
    # The block's own lines are headers, "- " items or indented: never a bare opening line.
    opening = next((i for i in range(end - 2, -1, -1) if lines[i].rstrip() == FENCE_OPEN), None)
    if opening is None:
        return None
    return lines[:opening], lines[opening + 1 : end - 1]


def parse_description(text: str, *, legacy: bool = False) -> DescriptionParts:
    """Split a Description into kwali's fields; raises ValueError on a bad signal line.

    Only a closing kwali block is read as fields (or, with ``legacy``, bare headers as an
    older kwali wrote them); anything else is the definition.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fenced = _split_fence(lines)
    if fenced is None:
        if not legacy:
            return DescriptionParts(definition="\n".join(lines).strip())
        return _parse_fields(lines)
    before, inside = fenced
    parts = _parse_fields(inside)
    definition = "\n".join(before).strip()
    if parts.definition:  # a hand-edited block with loose text: keep it, never lose it
        definition = f"{definition}\n\n{parts.definition}" if definition else parts.definition
    return DescriptionParts(
        parts.key, definition, parts.include, parts.exclude, parts.examples, parts.signals
    )


def _parse_fields(lines: list[str]) -> DescriptionParts:
    texts: dict[str, list[str]] = {
        "definition": [],
        "include": [],
        "exclude": [],
        "key": [],
        "memo": [],  # read past: the Notes hold the memos
    }
    items: dict[str, list[str]] = {"examples": [], "signals": []}
    current, seen_header = "definition", False  # text before any header is the definition
    for line in lines:
        header = _header(line)
        if header:
            (current, rest), seen_header = header, True
            if current in items:
                if rest.strip():
                    items[current].append(rest.strip())
            else:
                if texts[current]:
                    texts[current].append("")
                texts[current].append(rest)
        elif current in items:
            item = line[2:] if line.startswith(("- ", "* ", "• ")) else line
            if item.strip():
                items[current].append(item.strip() if item == line else item)
        else:
            indented = seen_header and line.startswith("  ")
            texts[current].append(line[2:] if indented else line)
    signals: dict[str, list[str]] = {}
    for item in items["signals"]:
        name, sep, value = item.partition(":")
        if not sep or name.strip() not in _SIGNAL_FIELDS:
            raise ValueError(
                _("kan signaalregel {line} niet lezen (verwacht bijvoorbeeld {example})").format(
                    line=repr(item), example="'- lemmas: werk'"
                )
            )
        signals.setdefault(name.strip(), []).append(
            _unquote(value[1:] if value.startswith(" ") else value)
        )
    return DescriptionParts(
        key=_unquote("\n".join(texts["key"]).strip()),
        definition="\n".join(texts["definition"]).strip(),
        include="\n".join(texts["include"]).strip(),
        exclude="\n".join(texts["exclude"]).strip(),
        examples=tuple(_unquote(item) for item in items["examples"]),
        signals=Signals(**{name: tuple(values) for name, values in signals.items()}),
    )
