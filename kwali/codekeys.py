"""Code keys: the one rule for what a key may look like, and how a label becomes one.

A key names a code in codings, codebooks and exports, so it is kept plain: ASCII letters,
digits, ``_``, ``.`` and ``-``, starting with a letter, digit or ``_``. The codebook screen,
the YAML loader and the REFI-QDA import all check and derive keys here, so a label gives
the same key whichever way a code enters kwali:

>>> key_from_label("Één cliënt")
'een_client'
>>> key_from_label("Sanctie / korting")
'sanctie_korting'
>>> is_valid_key("één_cliënt"), is_valid_key("een_client")
(False, True)

This module imports nothing from kwali: every layer may use it.
"""

from __future__ import annotations

import re
import unicodedata

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
KEY_RULE = "letters, digits, '_', '.' and '-' (ASCII, no spaces; not starting with '.' or '-')"
# The key of a label with no letter or digit at all ("???", "😀"): a key is never empty.
FALLBACK_KEY = "code"
MAX_KEY_LENGTH = 60  # for derived keys only: a key written by hand may be longer

# Letters NFKD does not split into a base letter and an accent.
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
    }
)


def is_valid_key(key: str) -> bool:
    """Whether ``key`` may name a code (see ``KEY_RULE``)."""
    return KEY_PATTERN.match(key) is not None


def slugify(label: str) -> str:
    """ASCII snake_case with accents folded; empty when the label has no letter or digit.

    >>> slugify("  Straße  "), slugify("werk-fit"), slugify("😀")
    ('strasse', 'werk_fit', '')
    """
    text = unicodedata.normalize("NFKD", label.translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return text[:MAX_KEY_LENGTH].rstrip("_")


def key_from_label(label: str) -> str:
    """The key a label gives: ``slugify(label)``, or ``FALLBACK_KEY`` when that is empty.

    Always a valid key. Callers that need unique keys add a suffix themselves.

    >>> key_from_label("  dwang  "), key_from_label("ontheffing2"), key_from_label("?!")
    ('dwang', 'ontheffing2', 'code')
    """
    return slugify(label) or FALLBACK_KEY
