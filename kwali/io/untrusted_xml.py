"""Reading XML from files made elsewhere: one hardened event stream for every reader.

DTDs, entities and external references are refused by defusedxml; each reader adds its own
limits on depth and element count while it walks the events, so nothing is ever built whole
before it is checked.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import defusedxml.ElementTree as SafeET


def untrusted_events(data: bytes) -> Iterator[tuple[str, ET.Element]]:
    """``("start" | "end", element)`` for ``data``; raises defusedxml's errors on a DTD, an
    entity or an external reference, and ``ET.ParseError`` on malformed XML."""
    return SafeET.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
