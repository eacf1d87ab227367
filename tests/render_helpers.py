"""Word files as a reader sees them: rendered by LibreOffice headless, read back with poppler.

``render(docx)`` gives the PDF and its text (pdftotext), ``render_many`` does several files in
one LibreOffice start (each start costs seconds), ``pdf_words`` the words of a PDF one by one,
``pages_png(pdf)`` a PNG per page (pdftoppm) to look at. A test that calls them is skipped,
with the reason, where LibreOffice or poppler-utils are not installed (``.ci/run`` installs
them on CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

TIMEOUT = 300  # seconds for one LibreOffice run: the first start builds its profile


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return found


def render_many(paths: Sequence[Path], outdir: Path | None = None) -> dict[Path, Path]:
    """Each .docx converted to PDF by one LibreOffice run; {docx: pdf}. A profile of its own,
    so a LibreOffice the user (or another test run) has open does not swallow the request."""
    soffice = _tool("soffice", "libreoffice-writer-nogui")
    paths = [Path(p) for p in paths]
    outdir = Path(outdir or paths[0].parent)
    with tempfile.TemporaryDirectory(prefix="kwali-soffice-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, paths),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT,
            env={**os.environ, "HOME": profile},
        )
    result = {path: outdir / f"{path.stem}.pdf" for path in paths}
    missing = [str(p) for p, pdf in result.items() if not pdf.exists()]
    assert not missing, f"LibreOffice did not convert {', '.join(missing)}"
    return result


def pdf_text(pdf: Path, *, layout: bool = False) -> str:
    pdftotext = _tool("pdftotext", "poppler-utils")
    options = ["-layout"] if layout else []
    return subprocess.run(
        [pdftotext, *options, "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    ).stdout


def render(docx: Path) -> tuple[Path, str]:
    """The PDF LibreOffice makes of ``docx`` (beside it) and the PDF's text."""
    pdf = render_many([docx])[Path(docx)]
    return pdf, pdf_text(pdf)


def pdf_words(pdf: Path) -> list[str]:
    """Every word of the PDF as laid out (pdftotext's words): a word a line broke in two is
    two words here."""
    return pdf_text(pdf).split()


def pages_png(pdf: Path, resolution: int = 70) -> list[Path]:
    """One PNG per page (``NAME-1.png`` ...), beside the PDF."""
    pdftoppm = _tool("pdftoppm", "poppler-utils")
    prefix = pdf.with_suffix("")
    subprocess.run(
        [pdftoppm, "-png", "-r", str(resolution), str(pdf), str(prefix)],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"))
