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
    raise BadQueries(f"holds {name}, which is not a number JSON allows")


def read_queries(data: bytes) -> tuple[dict[str, str], list[str]]:
    """The member's saved queries by name, and one warning per entry left out."""
    if len(data) > MAX_BYTES:
        raise BadQueries("is too large")
    try:
        raw = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except BadQueries:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadQueries("is not valid JSON") from exc
    if not isinstance(raw, dict) or raw.get("kwali_queries") != VERSION:
        raise BadQueries("is not a kwali query list this version reads")
    queries = raw.get("queries")
    if not isinstance(queries, dict) or len(queries) > MAX_QUERIES:
        raise BadQueries("has no usable 'queries' table")
    found: dict[str, str] = {}
    warnings: list[str] = []
    for name, expression in queries.items():
        problem = expression_problem(name, expression)
        if problem:
            warnings.append(f"saved query {str(name)[:60]!r} left out: {problem}")
        else:
            found[name] = expression
    return found, warnings


def expression_problem(name: object, expression: object) -> str:
    """Why ``name`` and ``expression`` cannot be a saved query, or ""."""
    if not isinstance(name, str) or not is_valid_key(name):
        return "not a name kwali can save a query under"
    if not isinstance(expression, str) or not expression.strip():
        return "its expression is not text"
    if len(expression) > MAX_EXPRESSION:
        return "its expression is too long"
    if not expression.isprintable():
        return "its expression holds control characters"
    if expression.count('"') % 2:
        return "it opens a quoted name it does not close"
    depth = 0
    for ch in _outside_quotes(expression):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth != 0:
        return "its parentheses do not balance"
    if any(not is_valid_key(ref) for ref in _REFERENCE.findall(_outside_quotes(expression))):
        return "it names a saved query by a name kwali cannot save"
    return ""


def _outside_quotes(expression: str) -> str:
    """The expression without its quoted names (a label may hold a parenthesis or an @)."""
    return re.sub(r'"[^"]*"', '""', expression)
