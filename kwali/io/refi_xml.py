"""Parse the XML of a .qdc or a .qdpx's project: untrusted, so hardened and bounded.

DTDs, entities and external references are refused (defusedxml). The parse streams
(iterparse) and counts as it goes, so a file nested absurdly deep or holding millions of
elements is refused before its tree fills memory; the member's size is bounded before this.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from defusedxml import DefusedXmlException

from kwali.errors import CodebookError, KwaliError
from kwali.i18n import _
from kwali.io.untrusted_xml import untrusted_events

# Real REFI files nest under 30 levels (codes are the only deep part, and the readers bound
# those to 20 separately, with a clearer message); nothing kwali does with the tree recurses.
MAX_XML_DEPTH = 4_096
# A kwali export writes about four elements per coding: this is half a million codings.
MAX_XML_ELEMENTS = 2_000_000


def parse_xml(
    data: bytes,
    path: Path,
    error: type[KwaliError] = CodebookError,
    *,
    max_depth: int = MAX_XML_DEPTH,
    max_elements: int = MAX_XML_ELEMENTS,
) -> ET.Element:
    """Parse untrusted XML; DTDs, entities, external references and excess are refused."""
    depth = count = 0
    root: ET.Element | None = None
    events = untrusted_events(data)
    try:
        for event, element in events:
            if event == "end":
                depth -= 1
                continue
            depth, count = depth + 1, count + 1
            if root is None:
                root = element
            if depth > max_depth:
                raise error(
                    _("nest de XML meer dan {levels} niveaus diep; dat weigert kwali").format(
                        levels=max_depth
                    ),
                    path=path,
                )
            if count > max_elements:
                raise error(
                    _("heeft meer dan {most} XML-elementen; dat weigert kwali").format(
                        most=f"{max_elements:,}"
                    ),
                    path=path,
                )
    except DefusedXmlException as exc:
        raise error(
            _("geweigerd: de XML declareert een DTD of entiteiten, en die neemt kwali niet aan"),
            path=path,
        ) from exc
    except ET.ParseError as exc:
        raise error(_("is geen geldige XML ({error})").format(error=exc), path=path) from exc
    except (ValueError, RecursionError) as exc:
        raise error(
            _("kan niet als XML gelezen worden ({error})").format(error=type(exc).__name__),
            path=path,
        ) from exc
    if root is None:  # iterparse ends quietly on empty input
        raise error(_("is geen geldige XML (geen element gevonden)"), path=path)
    return root
