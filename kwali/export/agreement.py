"""Coder-agreement reports: a Word document to read and a CSV to compute with.

The report objects come from ``kwali.app.agreeing`` (``AgreementReport``) and
``kwali.app.settling`` (``Disagreement``); this module only lays them out. The Word
document is in Dutch: a table per kind of row (codes, domains, all codes together), what
each statistic means, and the list of units where the coders differ. The CSV has one row
per code × statistic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from kwali.app.wording import counted
from kwali.export.files import check_target, format_for, write_csv, write_docx
from kwali.export.word import add_row, clean, muted, new_document, styled_table

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from kwali.app.agreeing import AgreementReport, CodeAgreement
    from kwali.app.settling import Disagreement

UNIT_NAMES = {"sentence": "zin", "turn": "spreekbeurt", "char": "teken", "answer": "antwoord"}
MAX_DISAGREEMENTS = 1000  # a longer list belongs in the CSV or the review screen

# name → (column heading, explanation) — the explanations go into the report as they are.
STATISTIC_TEXT = {
    "percent": (
        "% overeenstemming",
        "Het aandeel eenheden (bij meer codeurs: codeurparen) waarop de codeurs hetzelfde "
        "deden: allebei gecodeerd of allebei niet. Niet gecorrigeerd voor toeval, dus hoog "
        "bij codes die weinig voorkomen. Op tekenniveau is dit NVivo's percentage.",
    ),
    "cohen_kappa": (
        "Cohens κ",
        "Twee codeurs. Corrigeert voor de overeenstemming die bij toeval te verwachten is, "
        "met de eigen verdeling van elke codeur (Cohen 1960). Op tekenniveau is dit de κ "
        "van NVivo's Coding Comparison.",
    ),
    "fleiss_kappa": (
        "Fleiss' κ",
        "Twee of meer codeurs; toeval uit de gezamenlijke verdeling (Fleiss 1971). Alleen "
        "eenheden die elke codeur codeerde tellen mee.",
    ),
    "krippendorff_alpha": (
        "Krippendorffs α",
        "Elk aantal codeurs, ontbrekende waarden toegestaan (nominaal niveau). "
        "Gangbare drempels: α ≥ 0,80 betrouwbaar, ≥ 0,667 voor voorlopige conclusies "
        "(Krippendorff 2004).",
    ),
    "brennan_prediger": (
        "Brennan-Prediger κ",
        "Toevalsovereenstemming is 1/q voor q categorieën (2 bij aanwezig/afwezig); "
        "de correctie die MAXQDA gebruikt (Brennan & Prediger 1981).",
    ),
    "binary_u_alpha": (
        "α-binary",
        "Krippendorffs |uα (2016), ATLAS.ti's α-binary: overeenstemming over welke tekst "
        "gecodeerd is en welke niet, teken voor teken, met de gecodeerde stukken als "
        "eenheden.",
    ),
    "u_alpha": (
        "uα",
        "Krippendorffs uα (2016): plaats en code samen, ongecodeerde tekst inbegrepen.",
    ),
    "cu_alpha": (
        "cu-α",
        "ATLAS.ti's cu-α: welke code van het domein, alleen waar de codeurs allebei codeerden.",
    ),
}


def unit_name(unit: str) -> str:
    return UNIT_NAMES.get(unit, unit)


def figure(name: str, value: float | None) -> str:
    """A statistic as a Dutch reader expects it: 87,5 % or 0,712; n.v.t. when it is 0/0."""
    if value is None:
        return ""
    if math.isnan(value):
        return "n.v.t."
    text = f"{value * 100:.1f} %" if name == "percent" else f"{value:.3f}"
    return text.replace(".", ",")


# -- CSV ---------------------------------------------------------------------------------------
def agreement_table(report: AgreementReport) -> pd.DataFrame:
    """One row per code (or domain, or all codes) × statistic."""
    coders = list(report.coders)
    columns = [
        "unit",
        "kind",
        "code",
        "code_label",
        "statistic",
        "value",
        "n_units",
        *[f"coded_{c}" for c in coders],
        "note",
    ]
    rows = []
    for row in (*report.codes, *report.domains, report.overall):
        for name, value in row.values().items():
            if value is None:
                continue
            rows.append(
                [
                    report.unit,
                    row.kind,
                    row.key,
                    row.label,
                    name,
                    None if math.isnan(value) else value,
                    row.n_units,
                    *[row.coded.get(c, 0) for c in coders],
                    row.note,
                ]
            )
    return pd.DataFrame(rows, columns=columns)


# -- Word --------------------------------------------------------------------------------------
def _statistics_table(
    doc: DocxDocument, report: AgreementReport, rows: Sequence[CodeAgreement], first: str
) -> None:
    names = [n for n in report.statistics() if any(getattr(r, n) is not None for r in rows)]
    headers = [
        first,
        "Eenheden",
        *[f"Gecodeerd {c}" for c in report.coders],
        # a statistic's name stays on one line ("Fleiss' κ", not "κ" alone below it)
        *[STATISTIC_TEXT[n][0].replace(" ", "\u00a0") for n in names],
    ]
    width = 25.0 / len(headers)
    widths = [max(4.0, width)] + [(25.0 - max(4.0, width)) / (len(headers) - 1)] * (
        len(headers) - 1
    )
    grid = styled_table(doc, headers, widths)
    for cell in grid.rows[0].cells[1:]:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in rows:
        cells = add_row(grid, widths)
        values = [
            row.label if row.kind == "overall" else report.names[f"{row.kind}:{row.key}"],
            f"{row.n_units:,}".replace(",", "."),
            *[f"{row.coded.get(c, 0):,}".replace(",", ".") for c in report.coders],
            *[figure(n, getattr(row, n)) for n in names],
        ]
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.paragraphs[0].add_run(clean(value)).font.size = Pt(9)
            if i:  # figures line up on their last digit
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if row.note and row.kind != "code":
            muted(cells[0].add_paragraph(), row.note, size=8)


def agreement_document(
    report: AgreementReport, listed: Sequence[Disagreement] = (), *, title: str = ""
) -> DocxDocument:
    unit = unit_name(report.unit)
    subtitle = " · ".join(
        [date.today().isoformat(), f"eenheid: {unit}", f"codeurs: {', '.join(report.coders)}"]
    )
    doc = new_document(title or "Overeenstemming tussen codeurs", subtitle, landscape=True)
    doc.add_heading("Opzet", level=1)
    unit_rule = (
        "Elk teken van de tekst is een eenheid, gecodeerd of niet (zoals NVivo en ATLAS.ti)."
        if report.unit == "char"
        else f"Elke {unit} is een eenheid. Een codering telt voor elke {unit} waarmee ze minstens "
        "één teken gemeen heeft; per code is een eenheid dan aanwezig of afwezig per codeur."
    )
    for line in (
        unit_rule,
        f"{counted(report.documents, 'document is', 'documenten zijn')} door minstens twee "
        "codeurs gecodeerd. Een document dat een codeur helemaal niet codeerde, telt voor die "
        "codeur als ontbrekend, niet als 'niet gecodeerd'.",
        *report.notes,
    ):
        doc.add_paragraph(clean(line))
    doc.add_heading("Per code", level=1)
    if report.codes:
        _statistics_table(doc, report, report.codes, "Code")
    else:
        muted(doc.add_paragraph(), "Geen codes gecodeerd.", italic=True)
    if report.domains:
        doc.add_heading("Per domein (codes die elkaar uitsluiten)", level=1)
        _statistics_table(doc, report, report.domains, "Domein")
    doc.add_heading("Alle codes samen", level=1)
    _statistics_table(doc, report, [report.overall], "")
    doc.add_heading("Wat de maten betekenen", level=1)
    for name in report.statistics():
        heading, text = STATISTIC_TEXT[name]
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{heading}. ").bold = True
        paragraph.add_run(clean(text))
    doc.add_paragraph(
        clean("n.v.t.: de maat is 0/0, bijvoorbeeld omdat niemand de code gebruikte.")
    )
    _disagreement_table(doc, report, listed)
    return doc


def _disagreement_table(
    doc: DocxDocument, report: AgreementReport, listed: Sequence[Disagreement]
) -> None:
    doc.add_heading("Verschillen tussen codeurs", level=1)
    if not listed:
        muted(doc.add_paragraph(), "Geen eenheden waarop de codeurs verschillen.", italic=True)
        return
    unit = "zin" if report.unit == "char" else unit_name(report.unit)
    many = {"zin": "zinnen", "spreekbeurt": "spreekbeurten", "antwoord": "antwoorden"}
    doc.add_paragraph(
        f"In {counted(len(listed), unit, many.get(unit, unit))} gaven de codeurs "
        "verschillende codes."
    )
    headers = ["Ref.", "Tekst", *report.coders, "Consensus"]
    side = 17.0 / (len(report.coders) + 1)
    widths = [1.8, 8.0, *[side] * (len(report.coders) + 1)]
    grid = styled_table(doc, headers, widths)
    for item in listed[:MAX_DISAGREEMENTS]:
        cells = add_row(grid, widths)
        values = [
            item.reference,
            item.text,
            *[
                ", ".join(item.named(item.codes[c])) or "—"
                if c in item.codes
                else "(niet gecodeerd)"
                for c in report.coders
            ],
            "" if item.consensus is None else ", ".join(item.named(item.consensus)) or "geen code",
        ]
        for cell, value in zip(cells, values, strict=True):
            cell.paragraphs[0].add_run(clean(value)).font.size = Pt(9)
    if len(listed) > MAX_DISAGREEMENTS:
        muted(
            doc.add_paragraph(),
            f"Alleen de eerste {MAX_DISAGREEMENTS} van {len(listed)} getoond; "
            "`kwali disagreements` geeft ze allemaal.",
            italic=True,
        )


def write_agreement(
    report: AgreementReport,
    out: str | Path,
    *,
    listed: Sequence[Disagreement] = (),
    fmt: str | None = None,
    force: bool = False,
    title: str = "",
    sep: str = ",",
) -> Path:
    """Write the report as .docx or .csv (by extension unless ``fmt``); 0600, atomic."""
    out = Path(out)
    fmt = format_for(out, fmt, ("docx", "csv"))
    check_target(out, force)
    if fmt == "csv":
        return write_csv(agreement_table(report), out, force=force, sep=sep)
    return write_docx(agreement_document(report, listed, title=title), out, force=force)
