"""Decode transcript bytes: BOMs first, then strict UTF-8, then a measured guess.

Researchers' .txt files come from old Word versions (cp1252), Notepad (UTF-16 with BOM),
Mac editors and transcription services. We never decode with ``errors="replace"``: a wrong
guess would silently change quotes. A guess we are not sure of is an error that asks for
``--encoding``; so is a UTF-8 file with a stray byte, which a guess would turn into mojibake.

Decoded text is checked before anyone stores it: a NUL character (SQLite's ``substr`` and
``length`` stop there) and lone surrogates (which cannot be written as UTF-8) are refused,
naming their line. Other control characters (form feeds and vertical tabs from Word, stray
escapes) are kept as they are: storing them is harmless, and the text stays as transcribed.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from kwali.errors import InputError
from kwali.i18n import _
from kwali.io.limits import MAX_TEXT_CHARS

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Encodings a Dutch transcript plausibly has; charset-normalizer may propose others
# (cp1250, mac_roman...), which we accept only when clearly better.
_PREFERRED = ("cp1252", "iso8859_15", "latin_1", "mac_roman", "utf_16_le", "utf_16_be")
# charset-normalizer's "chaos" ratio above which we refuse to guess.
_MAX_CHAOS = 0.2
# A well-formed UTF-8 sequence of two to four bytes (RFC 3629: no overlongs, no surrogates).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _strip_bom(data: bytes) -> tuple[bytes, str | None]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :], name
    return data, None


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: Latin text has a NUL in every other byte."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_nuls = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding_name)`` or raise InputError naming ``path``."""
    if not data.strip():
        raise InputError(_("het bestand is leeg"), path=path)
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise InputError(
                _("kan niet gelezen worden als {encoding} (byte {byte})").format(
                    encoding=encoding, byte=exc.start
                ),
                path=path,
            ) from exc
        except UnicodeError as exc:  # codecs such as idna fail without a position
            raise InputError(
                _("kan niet gelezen worden als {encoding}").format(encoding=encoding), path=path
            ) from exc
        except (LookupError, ValueError) as exc:  # also "rot13", "hex": not text encodings
            raise InputError(
                _("onbekende codering {encoding}").format(encoding=repr(encoding)), path=path
            ) from exc

    body, bom_encoding = _strip_bom(data)
    name = bom_encoding or _looks_utf16(data)
    if name:
        try:
            return body.decode(name.removesuffix("-sig") if name == "utf-8-sig" else name), name
        except UnicodeDecodeError as exc:
            raise InputError(
                _("begint als {encoding} maar is geen geldige {encoding}").format(encoding=name),
                path=path,
            ) from exc

    if b"\x00" in data[:8192]:
        raise InputError(_("lijkt een binair bestand, geen transcript in tekst"), path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        _refuse_broken_utf8(data, exc.start, path)
    return _guess_legacy(data, path)


def _refuse_broken_utf8(data: bytes, bad: int, path: Path) -> None:
    """UTF-8 text with a stray byte: a legacy guess would garble every accented letter.

    Legacy (cp1252) Dutch text almost never holds a well-formed UTF-8 sequence, so one
    is taken as proof that the file is UTF-8 and the stray byte is damage.
    """
    if _UTF8_MULTIBYTE.search(data):
        raise InputError(
            _(
                "is UTF-8 behalve byte {byte} ({value}), die geen geldige UTF-8 is; "
                "kwali gaat niet gokken"
            ).format(byte=bad, value=f"0x{data[bad]:02x}"),
            path=path,
            hint=_(
                "herstel die byte, of geef --encoding als het hele bestand een andere "
                "codering heeft, bijvoorbeeld --encoding cp1252"
            ),
        )


def _guess_legacy(data: bytes, path: Path) -> tuple[str, str]:
    """Pick a single-byte encoding for non-UTF-8 text, refusing unclear cases."""
    results = from_bytes(data, cp_isolation=list(_PREFERRED), preemptive_behaviour=False)
    best = results.best()
    if best is None or best.chaos > _MAX_CHAOS:
        raise InputError(
            _unknown_encoding(),
            path=path,
            hint=_("zet het om naar UTF-8 of geef --encoding, bijvoorbeeld --encoding cp1252"),
        )
    name = best.encoding
    # cp1252 is a superset of latin-1 for printable text; prefer it when both decode,
    # because Word's curly quotes and dashes (0x80-0x9F) only exist in cp1252.
    try:
        as_cp1252 = data.decode("cp1252")
    except UnicodeDecodeError:
        as_cp1252 = None
    if as_cp1252 is not None and name in ("latin_1", "iso8859_15", "cp1252"):
        return as_cp1252, "cp1252"
    if as_cp1252 is not None and data.decode(name, errors="replace") != as_cp1252:
        # Both read it, differently (a short text: one byte is "‘" or "ë"): not our call.
        raise InputError(
            _("kan niet zeggen welke tekstcodering dit is (cp1252 of {encoding}?)").format(
                encoding=name
            ),
            path=path,
            hint=_("geef --encoding, bijvoorbeeld --encoding cp1252"),
        )
    try:
        return data.decode(name), name
    except (UnicodeError, LookupError) as exc:
        raise InputError(_unknown_encoding(), path=path, hint=_("geef --encoding")) from exc


def _unknown_encoding() -> str:
    return _("kan niet zeggen welke tekstcodering dit is")


def check_text(text: str, path: Path) -> None:
    """Refuse decoded text that cannot be stored whole; say where the problem is."""
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            _(
                "bevat {n} tekens tekst, meer dan kwali aanneemt ({most}); "
                "is het echt een transcript?"
            ).format(n=f"{len(text):,}", most=f"{MAX_TEXT_CHARS:,}"),
            path=path,
        )
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(
            _("bevat een NUL-teken op {where}; dat kan kwali niet bewaren").format(
                where=_where(text, nul)
            ),
            path=path,
            hint=_("is het echt een tekstbestand? haal eerst de NUL-tekens weg"),
        )
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise InputError(
            _("bevat een kapot teken (een losse UTF-16-surrogaat) op {where}").format(
                where=_where(text, surrogate.start())
            ),
            path=path,
        )


def _where(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return _("regel {line}, kolom {column}").format(line=line, column=column)


def normalise_newlines(text: str) -> tuple[str, tuple[int, ...]]:
    """Turn CRLF and lone CR into LF; return the positions (in the new text) of removed CRs.

    A lone CR becomes LF (nothing removed), a CRLF loses its CR: original offset of a
    normalised offset ``i`` is ``i + (number of removed CRs at positions <= i)``.
    """
    if "\r" not in text:
        return text, ()
    out: list[str] = []
    removed: list[int] = []
    length = 0
    i = 0
    n = len(text)
    while i < n:
        j = text.find("\r", i)
        if j < 0:
            out.append(text[i:])
            break
        out.append(text[i:j])
        length += j - i
        if j + 1 < n and text[j + 1] == "\n":
            removed.append(length)
            i = j + 1
        else:
            out.append("\n")
            length += 1
            i = j + 1
    return "".join(out), tuple(removed)
