"""kwali's saved queries (Atlas.ti's smart codes) in a .qdpx, as the member ``kwali/queries.json``.

REFI-QDA has no place for a query, so it travels as an extra member of the zip that other
tools leave alone, as kwali's segmentation does (:mod:`kwali.io.qdpx_segmentation`). Only a
file kwali wrote is read for it.

The member is untrusted input: JSON only, bounded in size and count, each name a code key,
each expression a bounded, printable line whose parentheses balance and whose ``@name``
references are names. That is a syntactic check only: the query grammar lives in
``kwali.analysis``, above the import, and a stored expression that does not run is refused
in one line when it is used, as any query is. Anything wrong with the member as a whole, and
:func:`read_queries` raises :class:`BadQueries`; a bad entry is left out with one warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from kwali.codekeys import is_valid_key
from kwali.i18n import _

MEMBER = "kwali/queries.json"
VERSION = 1
MAX_BYTES = 1_000_000
MAX_QUERIES = 1_000
MAX_EXPRESSION = 2_000  # characters: a query a researcher types is a line or two
_REFERENCE = re.compile(r"@([^\s()@\"]*)")


class BadQueries(ValueError):
    """The member cannot be used; its message says why in a few words."""


def dump_queries(saved: Mapping[str, str]) -> str:
    """The member's JSON (keys sorted: the same project always gives the same bytes)."""
    data = {"kwali_queries": VERSION, "queries": dict(sorted(saved.items()))}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _no_constant(name: str) -> float:
    raise BadQueries(_("bevat {name}, en dat is geen getal dat JSON toestaat").format(name=name))


def read_queries(data: bytes) -> tuple[dict[str, str], list[str]]:
    """The member's saved queries by name, and one warning per entry left out."""
    if len(data) > MAX_BYTES:
        raise BadQueries(_("is te groot"))
    try:
        raw = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except BadQueries:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadQueries(_("is geen geldige JSON")) from exc
    if not isinstance(raw, dict) or raw.get("kwali_queries") != VERSION:
        raise BadQueries(_("is geen lijst zoekvragen die deze versie van kwali leest"))
    queries = raw.get("queries")
    if not isinstance(queries, dict) or len(queries) > MAX_QUERIES:
        raise BadQueries(_("heeft geen bruikbare tabel {table}").format(table="'queries'"))
    found: dict[str, str] = {}
    warnings: list[str] = []
    for name, expression in queries.items():
        problem = expression_problem(name, expression)
        if problem:
            warnings.append(
                _("opgeslagen zoekvraag {name} weggelaten: {problem}").format(
                    name=repr(str(name)[:60]), problem=problem
                )
            )
        else:
            found[name] = expression
    return found, warnings


def expression_problem(name: object, expression: object) -> str:
    """Why ``name`` and ``expression`` cannot be a saved query, or ""."""
    if not isinstance(name, str) or not is_valid_key(name):
        return _("dat is geen naam waaronder kwali een zoekvraag kan opslaan")
    if not isinstance(expression, str) or not expression.strip():
        return _("de zoekvraag is geen tekst")
    if len(expression) > MAX_EXPRESSION:
        return _("de zoekvraag is te lang")
    if not expression.isprintable():
        return _("de zoekvraag bevat stuurtekens")
    if expression.count('"') % 2:
        return _("de zoekvraag opent een naam tussen aanhalingstekens die ze niet sluit")
    depth = 0
    for ch in _outside_quotes(expression):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth != 0:
        return _("de haakjes van de zoekvraag kloppen niet")
    if any(not is_valid_key(ref) for ref in _REFERENCE.findall(_outside_quotes(expression))):
        return _(
            "de zoekvraag noemt een opgeslagen zoekvraag met een naam die kwali niet kan opslaan"
        )
    return ""


def _outside_quotes(expression: str) -> str:
    """The expression without its quoted names (a label may hold a parenthesis or an @)."""
    return re.sub(r'"[^"]*"', '""', expression)
