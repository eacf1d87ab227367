"""Every REFI-QDA fixture in ../shared/refi: what its XML holds against what kwali imports.

Expected, counted straight from the XML: TextSources, Codes, PlainTextSelections with a
Coding (and the Coding elements, selections' and whole sources'), and memo text (Notes, and
Descriptions on the Project, TextSources and selections; a Code's Description is its
definition, compared word for word with the imported definitions). Imported, from a fresh in-memory project: documents, codes, codings, memos
(the memos table, and codings carrying a selection's memo). The NVivo 12 project is also
imported without its .txt members, to show its codings refused rather than misplaced.

Run: .venv/bin/python benchmarks/refi_fixtures.py   (prints nothing useful without ../shared)
"""

from __future__ import annotations

import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kwali.app.exchange import import_exchange
from kwali.errors import KwaliError
from kwali.store import Project

REFI = Path(__file__).resolve().parents[1].parent / "shared" / "refi"
MEMO_HOLDERS = ("Project", "TextSource", "PlainTextSelection")


@dataclass
class Counts:
    sources: int = 0
    codes: int = 0
    coded: int = 0  # selections with a Coding (expected) / codings (imported)
    codings: int = 0
    memos: int = 0
    definitions: tuple[str, ...] = ()  # code Descriptions (expected) / definitions (imported)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def expected(path: Path) -> Counts:
    if path.suffix == ".qdc":
        data = path.read_bytes()
    else:
        with zipfile.ZipFile(path) as archive:
            (qde,) = [n for n in archive.namelist() if n.lower().endswith(".qde")]
            data = archive.read(qde)
    root = ET.fromstring(data)
    counts = Counts()
    for element in root.iter():
        name = _local(element.tag)
        kids = [_local(child.tag) for child in element]
        counts.sources += name == "TextSource"
        counts.codes += name == "Code"
        counts.memos += name == "Note"
        if name == "Code":
            text = next((c.text or "" for c in element if _local(c.tag) == "Description"), "")
            if text.strip():
                counts.definitions += (text.replace("\r\n", "\n").strip(),)
        if name in MEMO_HOLDERS:
            counts.memos += sum(
                k == "Description" and bool((c.text or "").strip())
                for k, c in zip(kids, element, strict=True)
            )
        if name == "PlainTextSelection":
            counts.coded += "Coding" in kids
            counts.codings += kids.count("Coding")
        if name == "TextSource":
            counts.codings += kids.count("Coding")
    return counts


def imported(path: Path) -> tuple[Counts, list[str]]:
    with Project.in_memory() as project:
        report = import_exchange(project, path)
        codings = project.codings()
        counts = Counts(
            sources=len(project.document_ids()),
            codes=len(project.codebook().codes),
            coded=len(codings),
            codings=len(codings),
            memos=len(project.memos()) + sum(bool(c.memo) for c in codings),
            definitions=tuple(c.definition for c in project.codebook().codes if c.definition),
        )
    refused = [f"{s.name}: {s.reason}" for s in report.sources if s.reason]
    return counts, refused


def verbatim(want: tuple[str, ...], got: tuple[str, ...]) -> int:
    """How many of the file's code Descriptions came in as a definition, word for word."""
    return sum((Counter(want) & Counter(got)).values())


def without_txt(source: Path, folder: Path) -> Path:
    target = folder / f"{source.stem}_no-txt{source.suffix}"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if not info.filename.lower().endswith(".txt"):
                new.writestr(info, old.read(info))
    return target


def main() -> int:
    if not REFI.is_dir():
        print("../shared/refi is not available: nothing to compare")
        return 0
    files = sorted(p for p in REFI.iterdir() if p.suffix in (".qdpx", ".qdc"))
    print(
        "| fixture | sources exp/imp | codes exp/imp | coded selections exp "
        "| codings exp/imp | memos exp/imp | definitions exp/verbatim | s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kwali-refi-") as folder:
        nvivo = REFI / "nvivo12-win_hungarian-comments.qdpx"
        if nvivo.exists():
            files.append(without_txt(nvivo, Path(folder)))
        for path in files:
            want = expected(path)
            began = time.perf_counter()
            try:
                got, refused = imported(path)
            except KwaliError as exc:
                print(f"| {path.name} | refused: {exc.one_line()} |||||")
                continue
            seconds = time.perf_counter() - began
            notes += [f"{path.name}: {line}" for line in refused]
            print(
                f"| {path.name} | {want.sources}/{got.sources} | {want.codes}/{got.codes} "
                f"| {want.coded} | {want.codings}/{got.codings} | {want.memos}/{got.memos} "
                f"| {len(want.definitions)}/{verbatim(want.definitions, got.definitions)} "
                f"| {seconds:.1f} |"
            )
    for line in notes:
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
