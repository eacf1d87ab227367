"""Pick a reader by file suffix and check the file before reading it."""

from __future__ import annotations

from pathlib import Path

from kwali.errors import InputError
from kwali.i18n import _
from kwali.io.captions import read_srt, read_vtt
from kwali.io.encoding import check_text, decode_text, normalise_newlines
from kwali.io.limits import MAX_FILE_BYTES
from kwali.io.turns import detect_turns
from kwali.io.word import NoText, read_docx, read_odt
from kwali.model import Transcript

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".docx", ".odt", ".vtt", ".srt")


def _check_file(path: Path) -> None:
    try:
        if not path.exists():
            raise InputError(_("dit bestand bestaat niet"), path=path)
        if path.is_dir():
            raise InputError(
                _("is een map, geen bestand"),
                path=path,
                hint=_("noem de transcriptbestanden die erin staan"),
            )
        if not path.is_file():  # a pipe or a device would block or never end
            raise InputError(_("is geen gewoon bestand"), path=path)
        size = path.stat().st_size
    except OSError as exc:  # a name too long, a folder without permission
        raise InputError(
            _("kan niet gelezen worden ({error})").format(error=exc.strerror or exc), path=path
        ) from exc
    if size == 0:
        raise InputError(_("het bestand is leeg"), path=path)
    if size > MAX_FILE_BYTES:
        raise InputError(
            _("is groter dan {mb} MB; is het echt een transcript?").format(
                mb=MAX_FILE_BYTES // 2**20
            ),
            path=path,
        )


def read_txt(path: Path, data: bytes, encoding: str | None = None) -> Transcript:
    text, used = decode_text(data, path, encoding)
    text, removed_cr = normalise_newlines(text)
    check_text(text, path)
    if not text.strip():
        raise NoText(_("bevat geen tekst"), path=path)
    return Transcript(
        text=text,
        turns=detect_turns(text, paragraphs="block"),
        source_name=path.name,
        format="txt",
        encoding=used,
        removed_cr=removed_cr,
    )


def read_transcript(path: str | Path, encoding: str | None = None) -> Transcript:
    """Read any supported transcript file; raise InputError with a one-line reason."""
    path = Path(path)
    _check_file(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".odt":
        return read_odt(path)
    if suffix in (".vtt", ".srt", ".txt", ".text", ".md"):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(
                _("kan niet gelezen worden ({error})").format(error=exc.strerror), path=path
            ) from exc
        if suffix in (".vtt", ".srt"):
            text, _encoding = decode_text(data, path, encoding)
            text, _removed = normalise_newlines(text)
            check_text(text, path)
            return read_vtt(path, text) if suffix == ".vtt" else read_srt(path, text)
        return read_txt(path, data, encoding)
    if suffix in (".qdpx", ".qdc"):
        raise InputError(
            _("is een REFI-QDA-bestand; lees het in als uitwisselbestand van een project"),
            path=path,
        )
    raise InputError(
        _("heeft een soort die kwali niet leest: {suffix}").format(
            suffix=suffix or _("(geen extensie)")
        ),
        path=path,
        hint=_("kwali leest {suffixes}").format(suffixes=", ".join(SUPPORTED_SUFFIXES)),
    )
