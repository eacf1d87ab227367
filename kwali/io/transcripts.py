"""Pick a reader by file suffix and check the file before reading it."""

from __future__ import annotations

from pathlib import Path

from kwali.errors import InputError
from kwali.io.captions import read_srt, read_vtt
from kwali.io.encoding import check_text, decode_text, normalise_newlines
from kwali.io.limits import MAX_FILE_BYTES
from kwali.io.turns import detect_turns
from kwali.io.word import read_docx, read_odt
from kwali.model import Transcript

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".docx", ".odt", ".vtt", ".srt")


def _check_file(path: Path) -> None:
    try:
        if not path.exists():
            raise InputError("no such file", path=path)
        if path.is_dir():
            raise InputError(
                "is a folder, not a file", path=path, hint="name the transcript files inside it"
            )
        if not path.is_file():  # a pipe or a device would block or never end
            raise InputError("is not a regular file", path=path)
        size = path.stat().st_size
    except OSError as exc:  # a name too long, a folder without permission
        raise InputError(f"cannot be read ({exc.strerror or exc})", path=path) from exc
    if size == 0:
        raise InputError("the file is empty", path=path)
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"is larger than {MAX_FILE_BYTES // 2**20} MB; is it really a transcript?", path=path
        )


def read_txt(path: Path, data: bytes, encoding: str | None = None) -> Transcript:
    text, used = decode_text(data, path, encoding)
    text, removed_cr = normalise_newlines(text)
    check_text(text, path)
    if not text.strip():
        raise InputError("contains no text", path=path)
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
            raise InputError(f"cannot be read ({exc.strerror})", path=path) from exc
        if suffix in (".vtt", ".srt"):
            text, _ = decode_text(data, path, encoding)
            text, _ = normalise_newlines(text)
            check_text(text, path)
            return read_vtt(path, text) if suffix == ".vtt" else read_srt(path, text)
        return read_txt(path, data, encoding)
    if suffix in (".qdpx", ".qdc"):
        raise InputError("is a REFI-QDA file; import it as a project exchange file", path=path)
    raise InputError(
        f"has an unsupported type {suffix or '(no suffix)'}",
        path=path,
        hint="kwali reads " + ", ".join(SUPPORTED_SUFFIXES),
    )
