"""Word frequencies and keyness written to a file: .csv, .xlsx (with what was counted) or a
Word table for the report (``kwali words -o``)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from kwali.analysis.words import WordsResult, table
from kwali.app.wording import decimal
from kwali.errors import InputError
from kwali.export.files import write_csv, write_docx, write_xlsx
from kwali.i18n import _

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

OUTPUTS = (".csv", ".xlsx", ".docx")
DOCX_ROWS = 200  # a Word table is for reading; the whole list goes in .csv/.xlsx


def check_output(out: Path) -> None:
    """One line before any counting when ``out`` is not a kind of file we write."""
    if out.suffix.lower() not in OUTPUTS:
        raise InputError(
            _("kan {what} niet schrijven: gebruik .csv, .xlsx of .docx").format(
                what=out.suffix or _("een bestand zonder extensie")
            ),
            path=out,
        )


def _number(value: float, digits: int) -> str:
    if math.isnan(value):
        return "—"
    if math.isinf(value):
        return "∞"
    return decimal(value, digits)


def word_document(result: WordsResult, top: int | None = None) -> DocxDocument:
    """A Word table of the keywords (the first ``top``, at most :data:`DOCX_ROWS`)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from kwali.export.word import add_row, muted, new_document, styled_table

    doc = new_document(_("Woorden: {target}").format(target=result.target), result.describe_nl())
    keyed = bool(result.reference_tokens)
    headers = [_("Lemma"), _("Aantal"), _("Per 10.000")]
    widths = [4.2, 2.0, 2.4]
    if keyed:
        headers += [_("Rest"), "LL", "", _("Log ratio")]
        widths = [3.6, 1.8, 2.1, 1.8, 2.0, 1.2, 2.0]
    grid = styled_table(doc, headers, widths)
    shown = result.keywords[: min(top or DOCX_ROWS, DOCX_ROWS)]
    for k in shown:
        values = [k.lemma, str(k.target), _number(k.target_per_10k, 1)]
        if keyed:
            ratio = _number(k.log_ratio, 2)
            values += [
                str(k.reference),
                _number(k.ll, 2),
                k.marker,
                f"+{ratio}" if k.more else ratio,
            ]
        for column, (cell, value) in enumerate(zip(add_row(grid, widths), values, strict=True)):
            cell.paragraphs[0].add_run(value)
            if column and headers[column]:  # numbers line up on the right
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if not shown:
        muted(doc.add_paragraph(), _("Geen woorden voor dit doel."), italic=True)
    elif len(shown) < len(result.keywords):
        first = _("De eerste {n} van {total} lemma's.").format(
            n=len(shown), total=len(result.keywords)
        )
        muted(doc.add_paragraph(), first)
    if keyed:
        muted(
            doc.add_paragraph(),
            _(
                "LL: log-likelihood (Rayson & Garside 2000) tegen de rest van het project; "
                "* p < 0,05 (LL ≥ 3,84), ** p < 0,01 (6,63), *** p < 0,001 (10,83), "
                "**** p < 0,0001 (15,13). Log ratio: log2 van de verhouding van de relatieve "
                "frequenties (Hardie 2014); positief: vaker in het doel."
            ),
            size=8,
        )
    return doc


def write_words(
    result: WordsResult, out: Path, *, top: int | None = None, force: bool = False
) -> Path:
    """Write ``result`` to ``out`` (.csv: the table; .xlsx: the table and what was counted;
    .docx: the first ``top`` rows as a Word table), privately and formula-safe."""
    check_output(out)
    suffix = out.suffix.lower()
    frame = table(result)
    if top is not None and suffix != ".docx":
        frame = frame.head(top)
    if suffix == ".csv":
        return write_csv(frame, out, force=force)
    if suffix == ".xlsx":
        import pandas as pd

        about = pd.DataFrame(
            [
                (_("doel"), result.target),
                (_("woorden in het doel"), result.target_tokens),
                (_("woorden in de rest van het project"), result.reference_tokens),
                (_("documenten"), result.documents),
                (_("instellingen"), result.settings_nl),
            ],
            columns=[_("wat"), _("waarde")],
        )
        return write_xlsx({_("Woorden"): frame, _("Over"): about}, out, force=force)
    return write_docx(word_document(result, top), out, force=force)
