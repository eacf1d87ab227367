"""Coder agreement on a project: the report of the statistics per code, domain and overall.

Coders code blind in their own layers (``kwali tui --coder anna --blind``), in one project
or in copies merged with ``kwali.app.merging.merge_projects``. :func:`agreement_report`
compares their layers per code and overall; ``kwali.app.settling`` lists the units where
they differ and settles them in the ``consensus`` layer.

Units (see ``kwali.agreement.units`` for the rules):

* ``sentence`` / ``turn``: each unit gets, per code, present/absent per coder; per code
  the statistics of ``kwali.agreement`` run on those coders × units tables, and overall
  on all codes side by side. A *domain* (a category whose codes exclude each other, as in
  ATLAS.ti's semantic domains) is also compared as one nominal variable.
* ``answer``: as ``turn``, on the turns of survey questions only: each is one respondent's
  answer (``kwali.store.surveys``); a project without a survey is refused.
* ``char``: every character is a unit, as NVivo's Coding Comparison (percentage agreement
  and κ per code, pooled over documents), plus ATLAS.ti's α-binary (|uα) per code and,
  per domain, uα and cu-α.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cached_property, partial
from itertools import combinations
from typing import TypedDict

import numpy as np

from kwali.agreement import (
    AgreementError,
    binary_u_alpha,
    brennan_prediger,
    character_agreement,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    unitizing_summary,
)
from kwali.agreement.continuum import Span
from kwali.agreement.units import continuum, domain_table, unit_table
from kwali.app.agreeing_data import Loaded, load, survey_questions, union_length, unit_segments
from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.store import Project

UNITS = ("sentence", "turn", "answer", "char")
STATISTICS = (
    "percent",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "brennan_prediger",
    "binary_u_alpha",
    "u_alpha",
    "cu_alpha",
)

__all__ = [
    "STATISTICS",
    "UNITS",
    "AgreementReport",
    "CodeAgreement",
    "agreement_report",
]


@dataclass(frozen=True)
class CodeAgreement:
    """The figures for one code, one domain, or all codes together (``kind``).

    ``n_units`` are the units (or characters) at least two coders covered; ``coded`` how
    many of those each coder coded. A statistic that does not apply is None; one that is
    0/0 (nobody used the code) is NaN.
    """

    key: str
    label: str
    kind: str  # "code", "domain" or "overall"
    n_units: int
    coded: Mapping[str, int]
    percent: float
    cohen_kappa: float | None = None
    fleiss_kappa: float | None = None
    krippendorff_alpha: float | None = None
    brennan_prediger: float | None = None
    binary_u_alpha: float | None = None
    u_alpha: float | None = None
    cu_alpha: float | None = None
    conflicts: int = 0  # domain: units where one coder gave two of its codes
    note: str = ""

    def values(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in STATISTICS}

    def to_dict(self) -> dict:
        result = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("key",)}
        result["coded"] = dict(self.coded)
        return {
            k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in result.items()
        }


@dataclass(frozen=True)
class AgreementReport:
    unit: str
    coders: tuple[str, ...]
    codes: tuple[CodeAgreement, ...]
    domains: tuple[CodeAgreement, ...]
    overall: CodeAgreement
    documents: int  # documents at least two coders coded
    notes: tuple[str, ...] = ()

    def rows(self) -> tuple[CodeAgreement, ...]:
        """Every code, then every domain, then all codes together: the order tables use."""
        return (*self.codes, *self.domains, self.overall)

    def statistics(self) -> tuple[str, ...]:
        """The statistics this report has (depends on the unit and the number of coders)."""
        return tuple(s for s in STATISTICS if any(getattr(r, s) is not None for r in self.rows()))

    @cached_property
    def names(self) -> dict[str, str]:
        """Each code's and domain's name as a reader sees it: its label, with the key added
        only where two rows share a label (so the rows stay apart)."""
        rows = (*self.codes, *self.domains)
        seen: dict[str, int] = {}
        for row in rows:
            seen[row.label.casefold()] = seen.get(row.label.casefold(), 0) + 1
        return {
            f"{row.kind}:{row.key}": row.label
            if seen[row.label.casefold()] == 1
            else f"{row.label} ({row.key})"
            for row in rows
        }

    def name(self, row: CodeAgreement, overall: str) -> str:
        """What a table shows for ``row``: :meth:`names`, a domain's in brackets, and
        ``overall`` for all codes together."""
        if row.kind == "overall":
            return overall
        name = self.names[f"{row.kind}:{row.key}"]
        return f"[{name}]" if row.kind == "domain" else name

    def table(self, figure: Callable[[str, float | None], str], overall: str) -> list[list[str]]:
        """The cells of each row as the CLI and the agreement screen show them.

        Per row: the code's label (:meth:`name`), its units, each coder's coded units, and
        each of ``statistics()`` written by ``figure``.
        """
        names = self.statistics()
        return [
            [
                self.name(row, overall),
                str(row.n_units),
                *[str(row.coded.get(c, 0)) for c in self.coders],
                *[figure(n, getattr(row, n)) for n in names],
            ]
            for row in self.rows()
        ]

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "coders": list(self.coders),
            "documents": self.documents,
            "statistics": list(self.statistics()),
            "codes": {row.key: row.to_dict() for row in self.codes},
            "domains": {row.key: row.to_dict() for row in self.domains},
            "overall": self.overall.to_dict(),
            "notes": list(self.notes),
        }


def _safe(compute: Callable[[], float]) -> float:
    """NaN where the data allow no comparison (e.g. no unit two coders covered)."""
    try:
        return float(compute())
    except AgreementError:
        return math.nan


class _SegmentStatistics(TypedDict):
    percent: float
    cohen_kappa: float | None
    fleiss_kappa: float
    krippendorff_alpha: float
    brennan_prediger: float


def _segment_statistics(data: np.ndarray, n_categories: int, n_coders: int) -> _SegmentStatistics:
    complete = ~np.isnan(data).any(axis=0)
    return {
        "percent": _safe(lambda: percent_agreement(data)),
        "cohen_kappa": _safe(lambda: cohen_kappa(data)) if n_coders == 2 else None,
        "fleiss_kappa": _safe(lambda: fleiss_kappa(data[:, complete]))
        if complete.any()
        else math.nan,
        "krippendorff_alpha": _safe(lambda: krippendorff_alpha(data)),
        "brennan_prediger": _safe(lambda: brennan_prediger(data, n_categories=n_categories)),
    }


def _segment_report(
    project: Project, loaded: Loaded, unit: str, domains: Mapping[str, Sequence[str]]
) -> tuple[list, list, CodeAgreement, int]:
    segments = [(s.document_id, s.start, s.end) for s in unit_segments(project, unit)]
    keys = [code.key for code in loaded.codes]
    table = unit_table(segments, loaded.rows, loaded.coders, keys, covered=loaded.covered)
    m = len(loaded.coders)
    rows = []
    for code in loaded.codes:
        data = table.data(code.key)
        counts = table.coded_counts(code.key)
        rows.append(
            CodeAgreement(
                code.key,
                loaded.label(code.key),
                "code",
                data.shape[1],
                {c: counts[c] for c in loaded.coders},
                **_segment_statistics(data, 2, m),
            )
        )
    domain_rows = []
    for key, members in domains.items():
        dt = domain_table(table, members)
        data = dt.data()
        marked = ((dt.values >= 0) & (table.comparable()[None, :])).sum(axis=1)
        domain_rows.append(
            CodeAgreement(
                key,
                loaded.label(key),
                "domain",
                data.shape[1],
                {c: int(n) for c, n in zip(loaded.coders, marked, strict=True)},
                **_segment_statistics(data, len(members) + 1, m),
                conflicts=int(dt.conflicts.sum()),
                note=_("{n} codes die elkaar uitsluiten, plus 'geen'").format(n=len(members)),
            )
        )
    pooled = table.pooled()
    overall = CodeAgreement(
        "",
        _("Alle codes samen"),
        "overall",
        pooled.shape[1],
        {c: sum(r.coded[c] for r in rows) for c in loaded.coders},
        **_segment_statistics(pooled, 2, m),
        note=_("{codes} codes × {units} eenheden, aanwezig/afwezig").format(
            codes=len(rows), units=int(table.comparable().sum())
        ),
    )
    return rows, domain_rows, overall, len(set(table.documents[table.comparable()].tolist()))


def _char_report(
    project: Project, loaded: Loaded, domains: Mapping[str, Sequence[str]]
) -> tuple[list, list, CodeAgreement, int, list]:
    coders = loaded.coders
    lengths = {
        s.id: s.length
        for s in project.document_summaries()
        if sum(s.id in loaded.covered[c] for c in coders) >= 2
    }
    whole = continuum(lengths, loaded.rows, coders, covered=loaded.covered)
    pairs = []
    for a, b in combinations(coders, 2):
        shared = {
            d: n for d, n in lengths.items() if d in loaded.covered[a] and d in loaded.covered[b]
        }
        if shared:
            pairs.append((a, b, continuum(shared, loaded.rows, (a, b), covered=loaded.covered)))
    by_code: dict[Hashable, list[Span]] = {}
    for span in whole.spans:
        by_code.setdefault(span[3], []).append(span)
    notes, rows = [], []
    for code in loaded.codes:
        nvivo = [
            character_agreement(
                p.length, p.coder_spans(a, [code.key]), p.coder_spans(b, [code.key])
            )
            for a, b, p in pairs
        ]
        spans = by_code.get(code.key, [])
        rows.append(
            CodeAgreement(
                code.key,
                loaded.label(code.key),
                "code",
                whole.length,
                {c: union_length(whole.coder_spans(c, [code.key])) for c in coders},
                percent=float(np.mean([r.percent_agreement for r in nvivo])) if nvivo else math.nan,
                cohen_kappa=(nvivo[0].kappa if nvivo else math.nan) if len(coders) == 2 else None,
                binary_u_alpha=_safe(
                    partial(
                        binary_u_alpha,
                        whole.length,
                        spans,
                        codes={code.key},
                        coders=coders,
                        holes=whole.holes,
                    )
                )
                if whole.length
                else math.nan,
            )
        )
    domain_rows = []
    for key, members in domains.items():
        spans = [s for m in members for s in by_code.get(m, [])]
        try:
            summary = unitizing_summary(whole.length, spans, coders=coders, holes=whole.holes)
            u, binary, cu = summary.u_alpha, summary.binary_u_alpha, summary.cu_alpha
            note = _("cu-α dekt {share} van de tekst").format(share=f"{summary.coverage:.0%}")
        except AgreementError as exc:
            u, binary, cu, note = math.nan, math.nan, math.nan, exc.message
        domain_rows.append(
            CodeAgreement(
                key,
                loaded.label(key),
                "domain",
                whole.length,
                {c: union_length(whole.coder_spans(c, members)) for c in coders},
                percent=math.nan,
                binary_u_alpha=binary,
                u_alpha=u,
                cu_alpha=cu,
                note=note,
            )
        )
    kappas = [
        r.cohen_kappa for r in rows if r.cohen_kappa is not None and not math.isnan(r.cohen_kappa)
    ]
    overall = CodeAgreement(
        "",
        _("Alle codes samen"),
        "overall",
        whole.length,
        {c: union_length(whole.coder_spans(c, [k.key for k in loaded.codes])) for c in coders},
        percent=float(np.nanmean([r.percent for r in rows])) if rows else math.nan,
        cohen_kappa=(float(np.mean(kappas)) if kappas else math.nan) if len(coders) == 2 else None,
        binary_u_alpha=_safe(
            lambda: binary_u_alpha(whole.length, whole.spans, coders=coders, holes=whole.holes)
        )
        if whole.length
        else math.nan,
        note=_(
            "percentage en κ: gemiddelde over codes (zoals NVivo's FAQ); "
            "α-binary: gecodeerd ongeacht de code"
        ),
    )
    if len(coders) > 2:
        notes.append(
            _(
                "Bij meer dan twee codeurs is het percentage per code het gemiddelde over codeurparen."
            )
        )
    return rows, domain_rows, overall, len(lengths), notes


def agreement_report(
    project: Project,
    coders: Sequence[str] = (),
    unit: str = "sentence",
    codes: Sequence[str] = (),
    *,
    domains: Sequence[str] = (),
) -> AgreementReport:
    """Agreement between ``coders`` (default: everyone but ``consensus``) on ``codes``
    (default: every code they used; a category includes its codes) per ``unit``.

    ``domains`` are category keys whose codes exclude each other; each is also compared
    as one nominal variable. Raises ``AgreementError`` when fewer than two coders coded.
    """
    if unit not in UNITS:
        raise ProjectError(
            _("onbekende eenheid {unit!r}; kies {units}").format(unit=unit, units=", ".join(UNITS))
        )
    if unit == "answer":
        survey_questions(project)  # before the coders: the one line that says what is missing
    loaded = load(project, coders, codes, domains)
    notes = list(loaded.notes)
    if unit == "char":
        rows, domain_rows, overall, documents, extra = _char_report(project, loaded, loaded.domains)
        notes += extra
    else:
        rows, domain_rows, overall, documents = _segment_report(
            project, loaded, unit, loaded.domains
        )
    return AgreementReport(
        unit,
        tuple(loaded.coders),
        tuple(rows),
        tuple(domain_rows),
        overall,
        documents,
        tuple(notes),
    )
