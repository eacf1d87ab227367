"""Coder-agreement reports: a Word document to read and a CSV to compute with.

The report objects come from ``kwali.app.agreeing`` (``AgreementReport``) and
``kwali.app.settling`` (``Disagreement``); this module only lays them out. The Word
document is in the run's language: a table per kind of row (codes, domains, all codes
together), what each statistic means, and the list of units where the coders differ. The CSV
has one row per code × statistic.
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

from kwali.app.wording import number
from kwali.export.files import check_target, format_for, write_csv, write_docx
from kwali.export.word import add_row, clean, muted, new_document, styled_table
from kwali.i18n import _, language, ngettext

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from kwali.app.agreeing import AgreementReport, CodeAgreement
    from kwali.app.settling import Disagreement

MAX_DISAGREEMENTS = 1000  # a longer list belongs in the CSV or the review screen


def statistic_text(name: str) -> tuple[str, str]:
    """A statistic's (column heading, explanation); the explanations go into the report as
    they are."""
    texts = {
        "percent": (
            _("overeenstemming (%)"),
            _(
                "Het aandeel eenheden (bij meer codeurs: codeurparen) waarop de codeurs hetzelfde "
                "deden: allebei gecodeerd of allebei niet. Niet gecorrigeerd voor toeval, dus hoog "
                "bij codes die weinig voorkomen. Op tekenniveau is dit NVivo's percentage."
            ),
        ),
        "cohen_kappa": (
            _("Cohens κ"),
            _(
                "Twee codeurs. Corrigeert voor de overeenstemming die bij toeval te verwachten is, "
                "met de eigen verdeling van elke codeur (Cohen 1960). Op tekenniveau is dit de κ "
                "van NVivo's Coding Comparison."
            ),
        ),
        "fleiss_kappa": (
            "Fleiss' κ",
            _(
                "Twee of meer codeurs; toeval uit de gezamenlijke verdeling (Fleiss 1971). Alleen "
                "eenheden die elke codeur codeerde tellen mee."
            ),
        ),
        "krippendorff_alpha": (
            _("Krippendorffs α"),
            _(
                "Elk aantal codeurs, ontbrekende waarden toegestaan (nominaal niveau). "
                "Gangbare drempels: α ≥ 0,80 betrouwbaar, ≥ 0,667 voor voorlopige conclusies "
                "(Krippendorff 2004)."
            ),
        ),
        "brennan_prediger": (
            "Brennan-Prediger κ",
            _(
                "Toevalsovereenstemming is 1/q voor q categorieën (2 bij aanwezig/afwezig); "
                "de correctie die MAXQDA gebruikt (Brennan & Prediger 1981)."
            ),
        ),
        "binary_u_alpha": (
            "α-binary",
            _(
                "Krippendorffs |uα (2016), ATLAS.ti's α-binary: overeenstemming over welke tekst "
                "gecodeerd is en welke niet, teken voor teken, met de gecodeerde stukken als "
                "eenheden."
            ),
        ),
        "u_alpha": (
            "uα",
            _("Krippendorffs uα (2016): plaats en code samen, ongecodeerde tekst inbegrepen."),
        ),
        "cu_alpha": (
            "cu-α",
            _(
                "ATLAS.ti's cu-α: welke code van het domein, alleen waar de codeurs allebei "
                "codeerden."
            ),
        ),
    }
    return texts[name]


def unit_name(unit: str) -> str:
    names = {
        "sentence": _("zin"),
        "turn": _("spreekbeurt"),
        "char": _("teken"),
        "answer": _("antwoord"),
    }
    return names.get(unit, unit)


def _units(unit: str, n: int) -> str:
    """``n`` units where coders differ, counted: a character unit is listed by sentence."""
    shown = number(n)
    if unit == "turn":
        return ngettext("{n} spreekbeurt", "{n} spreekbeurten", n).format(n=shown)
    if unit == "answer":
        return ngettext("{n} antwoord", "{n} antwoorden", n).format(n=shown)
    return ngettext("{n} zin", "{n} zinnen", n).format(n=shown)


def figure(name: str, value: float | None) -> str:
    """A statistic as the reader expects it: 87,5 % or 0,712 in Dutch (87.5 % and 0.712 in
    English); n.v.t. (n/a) when it is 0/0."""
    if value is None:
        return ""
    if math.isnan(value):
        return _("n.v.t.")
    text = f"{value * 100:.1f} %" if name == "percent" else f"{value:.3f}"
    return text.replace(".", ",") if language() == "nl" else text


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
        _("Eenheden"),
        *[_("Gecodeerd {coder}").format(coder=c) for c in report.coders],
        # a statistic's name stays on one line ("Fleiss' κ", not "κ" alone below it)
        *[statistic_text(n)[0].replace(" ", "\u00a0") for n in names],
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
            number(row.n_units),
            *[number(row.coded.get(c, 0)) for c in report.coders],
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
        [
            date.today().isoformat(),
            _("eenheid: {unit}").format(unit=unit),
            _("codeurs: {coders}").format(coders=", ".join(report.coders)),
        ]
    )
    doc = new_document(title or _("Overeenstemming tussen codeurs"), subtitle, landscape=True)
    doc.add_heading(_("Opzet"), level=1)
    unit_rule = (
        _("Elk teken van de tekst is een eenheid, gecodeerd of niet (zoals NVivo en ATLAS.ti).")
        if report.unit == "char"
        else _(
            "Elke {unit} is een eenheid. Een codering telt voor elke {unit} waarmee ze minstens "
            "één teken gemeen heeft; per code is een eenheid dan aanwezig of afwezig per codeur."
        ).format(unit=unit)
    )
    documents = ngettext(
        "{n} document is door minstens twee codeurs gecodeerd.",
        "{n} documenten zijn door minstens twee codeurs gecodeerd.",
        report.documents,
    ).format(n=number(report.documents))
    missing = _(
        "Een document dat een codeur helemaal niet codeerde, telt voor die codeur als "
        "ontbrekend, niet als 'niet gecodeerd'."
    )
    for line in (
        unit_rule,
        f"{documents} {missing}",
        *report.notes,
    ):
        doc.add_paragraph(clean(line))
    doc.add_heading(_("Per code"), level=1)
    if report.codes:
        _statistics_table(doc, report, report.codes, _("Code"))
    else:
        muted(doc.add_paragraph(), _("Geen codes gecodeerd."), italic=True)
    if report.domains:
        doc.add_heading(_("Per domein (codes die elkaar uitsluiten)"), level=1)
        _statistics_table(doc, report, report.domains, _("Domein"))
    doc.add_heading(_("Alle codes samen"), level=1)
    _statistics_table(doc, report, [report.overall], "")
    doc.add_heading(_("Wat de maten betekenen"), level=1)
    for name in report.statistics():
        heading, text = statistic_text(name)
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{heading}. ").bold = True
        paragraph.add_run(clean(text))
    doc.add_paragraph(
        clean(_("n.v.t.: de maat is 0/0, bijvoorbeeld omdat niemand de code gebruikte."))
    )
    _disagreement_table(doc, report, listed)
    return doc


def _disagreement_table(
    doc: DocxDocument, report: AgreementReport, listed: Sequence[Disagreement]
) -> None:
    doc.add_heading(_("Verschillen tussen codeurs"), level=1)
    if not listed:
        muted(doc.add_paragraph(), _("Geen eenheden waarop de codeurs verschillen."), italic=True)
        return
    doc.add_paragraph(
        _("In {units} gaven de codeurs verschillende codes.").format(
            units=_units(report.unit, len(listed))
        )
    )
    headers = [_("Ref."), _("Tekst"), *report.coders, _("Consensus")]
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
                else _("(niet gecodeerd)")
                for c in report.coders
            ],
            ""
            if item.consensus is None
            else ", ".join(item.named(item.consensus)) or _("geen code"),
        ]
        for cell, value in zip(cells, values, strict=True):
            cell.paragraphs[0].add_run(clean(value)).font.size = Pt(9)
    if len(listed) > MAX_DISAGREEMENTS:
        muted(
            doc.add_paragraph(),
            _(
                "Alleen de eerste {shown} van {total} getoond; "
                "`kwali disagreements` geeft ze allemaal."
            ).format(shown=number(MAX_DISAGREEMENTS), total=number(len(listed))),
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
