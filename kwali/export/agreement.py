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

from kwali.app.agreeing import ALPHA_UNITS, MINIMUMS, below, threshold
from kwali.app.wording import decimal, number, percent
from kwali.export.files import check_target, format_for, write_csv, write_docx
from kwali.export.word import add_row, clean, muted, new_document, styled_table
from kwali.i18n import _, ngettext

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
        "holsti": (
            "Holsti",
            _(
                "2M/(N1 + N2): de coderingen waarin de codeurs overeenkomen, gedeeld door het "
                "gemiddelde aantal coderingen (Holsti 1969; ATLAS.ti). Telt alleen wat "
                "gecodeerd is, dus ongecodeerde tekst drijft het niet op; niet gecorrigeerd "
                "voor toeval."
            ),
        ),
        ALPHA_UNITS: (
            _("α-interval (eenheden)"),
            _(
                "Het interval van α met eenheden als trekking (percentiel-bootstrap over "
                "eenheden). Bij drie of meer codeurs zijn de paren binnen één eenheid niet "
                "onafhankelijk en is dit interval het eerlijke, bredere."
            ),
        ),
        below(MINIMUMS[0]): (
            f"q(α < {threshold(MINIMUMS[0])})",
            _(
                "De kans dat α in werkelijkheid onder {minimum} ligt (de drempel voor "
                "voorlopige conclusies): het aandeel bootstrap-trekkingen daaronder (Hayes & "
                "Krippendorff 2007)."
            ).format(minimum=threshold(MINIMUMS[0])),
        ),
        below(MINIMUMS[1]): (
            f"q(α < {threshold(MINIMUMS[1])})",
            _("De kans dat α in werkelijkheid onder {minimum} ligt, op dezelfde manier.").format(
                minimum=threshold(MINIMUMS[1])
            ),
        ),
        "brennan_prediger": (
            "Brennan-Prediger κ",
            _(
                "Toevalsovereenstemming is 1/q voor q categorieën (2 bij aanwezig/afwezig); "
                "de correctie die MAXQDA gebruikt (Brennan & Prediger 1981)."
            ),
        ),
        "gwet_ac1": (
            _("Gwets AC1"),
            _(
                "Elk aantal codeurs. Toevalsovereenstemming uit hoe ver de verdeling over de "
                "categorieën van gelijk af ligt, zodat een zelden gebruikte code het getal niet "
                "omlaag trekt zoals bij κ en α (Gwet 2008). Naast α te rapporteren, niet in "
                "plaats ervan."
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
    English); a value with its interval ("bound") with two decimals, 0,71 [0,62–0,79];
    n.v.t. (n/a) when it is 0/0."""
    if value is None:
        return ""
    if math.isnan(value):
        return _("n.v.t.")
    if name == "percent":
        return f"{decimal(value * 100, 1)} %"
    return decimal(value, 2 if name == "bound" else 3)


# -- CSV ---------------------------------------------------------------------------------------
def agreement_table(report: AgreementReport) -> pd.DataFrame:
    """One row per code (or domain, or all codes) × statistic; a statistic with a bootstrap
    interval has its bounds, method, resamples and 0/0 resamples beside it; α over units and
    q(α < minimum) are rows of their own."""
    coders = list(report.coders)
    columns = [
        "unit",
        "kind",
        "code",
        "code_label",
        "statistic",
        "value",
        "ci_low",
        "ci_high",
        "ci_method",
        "ci_resamples",
        "ci_undefined",
        "n_units",
        *[f"coded_{c}" for c in coders],
        "note",
    ]

    def known(value: float | None) -> float | None:
        return None if value is None or math.isnan(value) else value

    rows = []
    for row in (*report.codes, *report.domains, report.overall):
        figures: list[tuple[str, float | None]] = list(row.values().items())
        if ALPHA_UNITS in row.intervals:
            figures.append((ALPHA_UNITS, row.krippendorff_alpha))
        figures += [(below(m), row.q(m)) for m in MINIMUMS]
        for name, value in figures:
            if value is None:
                continue
            interval = row.intervals.get(name)
            rows.append(
                [
                    report.unit,
                    row.kind,
                    row.key,
                    row.label,
                    name,
                    known(value),
                    *(
                        (
                            known(interval.low),
                            known(interval.high),
                            interval.method,
                            interval.resamples,
                            interval.undefined,
                        )
                        if interval
                        else (None, None, None, None, None)
                    ),
                    row.n_units,
                    *[row.coded.get(c, 0) for c in coders],
                    row.note,
                ]
            )
    return pd.DataFrame(rows, columns=columns)


# -- Word --------------------------------------------------------------------------------------
def _with_intervals(report: AgreementReport, names: Sequence[str]) -> set[str]:
    """The columns of ``names`` that belong with the intervals: the statistics that have one,
    α over units and q. One table for all would be too wide to read (13 columns for two
    coders): these get a table of their own."""
    if not report.resamples:
        return set()
    rows = report.rows()
    return {
        n
        for n in names
        if n == ALPHA_UNITS
        or n in {below(m) for m in MINIMUMS}
        or any(n in r.intervals for r in rows)
    }


def _statistics_table(
    doc: DocxDocument, report: AgreementReport, rows: Sequence[CodeAgreement], first: str
) -> None:
    """The figures of ``rows``: counts and the statistics without interval, then (when the
    report has intervals) a second table of the statistics with their intervals and q."""
    columns = report.columns(rows)
    paired = _with_intervals(report, columns)
    _figures_table(doc, report, rows, first, [n for n in columns if n not in paired], True)
    if paired:
        caption = doc.add_paragraph()
        caption.paragraph_format.keep_with_next = True  # not alone at the foot of a page
        muted(
            caption,
            _("Met {confidence}-betrouwbaarheidsinterval (bootstrap) tussen haken:").format(
                confidence=_percent(report.confidence)
            ),
        )
        _figures_table(doc, report, rows, first, [n for n in columns if n in paired], False)


def _figures_table(
    doc: DocxDocument,
    report: AgreementReport,
    rows: Sequence[CodeAgreement],
    first: str,
    names: Sequence[str],
    counts: bool,
) -> None:
    """One table: the row's name, with ``counts`` its units and each coder's coded units, and
    the columns ``names``."""
    headers = [
        first,
        *(
            [_("Eenheden"), *[_("Gecodeerd {coder}").format(coder=c) for c in report.coders]]
            if counts
            else []
        ),
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
            *(
                [number(row.n_units), *[number(row.coded.get(c, 0)) for c in report.coders]]
                if counts
                else []
            ),
            # a value and its interval stay on one line: LibreOffice would break after "–"
            *[report.cell(row, n, figure).replace(" [", "\u00a0[") for n in names],
        ]
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.paragraphs[0].add_run(clean(value)).font.size = Pt(9)
            if i:  # figures line up on their last digit
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if counts and row.note and row.kind != "code":
            muted(cells[0].add_paragraph(), row.note, size=8)


def _percent(share: float) -> str:
    """95% (the confidence level) as the reader's language writes a percentage."""
    return percent(share * 100, 0)


def _interval_rule(report: AgreementReport) -> list[str]:
    """How the intervals were made, for the methods section: the resamples and the seed
    that reproduce them."""
    if not report.resamples:
        return []
    shown = number(report.resamples)
    return [
        _(
            "Tussen haken het {confidence}-betrouwbaarheidsinterval, met {resamples} "
            "bootstrap-trekkingen (startwaarde {seed}: dezelfde gegevens geven hetzelfde "
            "interval). α: bootstrap volgens Hayes & Krippendorff (2007), die paren van "
            "waarden trekt; κ, AC1 en het α-interval over eenheden: percentiel-bootstrap over "
            "eenheden (Efron & Tibshirani 1993)."
        ).format(
            confidence=_percent(report.confidence),
            resamples=shown,
            seed=report.seed,
        )
    ]


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
        *_interval_rule(report),
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
    for name in report.columns():
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
