"""Small pieces of the .qdpx export: times, memos as one Description, the zip itself."""

from __future__ import annotations

import zipfile
from datetime import datetime, timezone
from pathlib import Path

from kwali.io.refi import _clean as clean_xml
from kwali.model import Memo

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def xsd_time(value: str) -> str | None:
    """kwali's ISO time as xsd:dateTime in UTC (``...Z``), or None when unreadable."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def described(memos: list[Memo]) -> str:
    """Memos as one Description, for tools that read only that: each author named when there
    are several (kwali itself reads the Notes, which keep every memo apart)."""
    kept = [m for m in memos if m.text.strip()]
    several = len({m.coder for m in kept}) > 1
    return clean_xml(
        "\n\n".join(f"{m.coder}: {m.text.strip()}" if several else m.text.strip() for m in kept)
    )


def write_zip(tmp: Path, qde: bytes, files: dict[str, str]) -> None:
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [
            ("project.qde", qde),
            # the standard's members first, kwali's own (kwali/...) after them
            *(
                (n, files[n].encode("utf-8"))
                for n in sorted(files, key=lambda n: (n.startswith("kwali/"), n))
            ),
        ]:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
