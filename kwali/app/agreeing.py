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

The segment units leave out what the interviewer said and the headers above a document's
first speaker (``attribution.left_out``) unless ``include_interviewer``. Their figures
add Holsti, Gwet's AC1 and seeded bootstrap intervals (``kwali.agreement.bootstrap``): α
by Hayes & Krippendorff with q(α < 0.667) and q(α < 0.8), α over units for three or more
coders, κ for two, and AC1. Characters are not independent units: no intervals there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property, partial
from itertools import combinations
from typing import TypedDict

import numpy as np

from kwali.agreement import (
    AgreementError,
    Interval,
    Tally,
    alpha_interval,
    binary_u_alpha,
    brennan_prediger,
    character_agreement,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    gwet_interval,
    holsti,
    kappa_interval,
    krippendorff_alpha,
    percent_agreement,
    unitizing_summary,
)
from kwali.agreement.bootstrap import DEFAULT_SEED
from kwali.agreement.continuum import Span
from kwali.agreement.data import one_blas_thread
from kwali.agreement.units import NONE, continuum, domain_table, unit_table
from kwali.app.agreeing_data import (
    Loaded,
    load,
    survey_questions,
    union_length,
    unit_spans,
)
from kwali.app.attribution import HEADER
from kwali.app.wording import decimal, number
from kwali.errors import ProjectError
from kwali.i18n import _, ngettext
from kwali.store import Project

UNITS = ("sentence", "turn", "answer", "char")
STATISTICS = (
    "percent",
    "holsti",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "brennan_prediger",
    "gwet_ac1",
    "binary_u_alpha",
    "u_alpha",
    "cu_alpha",
)
RESAMPLES = 1000  # bootstrap resamples per interval; 0: no intervals
SEED = DEFAULT_SEED  # fixed, so the same project gives the same report
CONFIDENCE = 0.95
MINIMUMS = (0.667, 0.8)  # Krippendorff's thresholds, each with q(α < minimum)
ALPHA_UNITS = "krippendorff_alpha_units"  # α's interval over units (three or more coders)


def below(minimum: float) -> str:
    """The column of q(α < ``minimum``): ``alpha_below_0.667``."""
    return f"alpha_below_{minimum:g}"


def threshold(minimum: float) -> str:
    """A minimum as the reader's language writes it, with the digits it has: 0,667 and 0,8
    in Dutch, 0.667 and 0.8 in English."""
    return decimal(minimum, len(f"{minimum:g}".partition(".")[2]))


__all__ = [
    "ALPHA_UNITS",
    "MINIMUMS",
    "RESAMPLES",
    "STATISTICS",
    "UNITS",
    "below",
    "threshold",
    "AgreementReport",
    "CodeAgreement",
    "agreement_report",
]


@dataclass(frozen=True)
class CodeAgreement:
    """The figures for one code, one domain, or all codes together (``kind``).

    ``n_units`` are the units (or characters) at least two coders covered; ``coded`` how
    many of those each coder coded. A statistic that does not apply is None; one that is
    0/0 (nobody used the code) is NaN. ``intervals`` holds the bootstrap intervals by
    statistic (:data:`ALPHA_UNITS` for α over units), when the report has them.
    """

    key: str
    label: str
    kind: str  # "code", "domain" or "overall"
    n_units: int
    coded: Mapping[str, int]
    percent: float
    holsti: float | None = None
    cohen_kappa: float | None = None
    fleiss_kappa: float | None = None
    krippendorff_alpha: float | None = None
    brennan_prediger: float | None = None
    gwet_ac1: float | None = None
    binary_u_alpha: float | None = None
    u_alpha: float | None = None
    cu_alpha: float | None = None
    conflicts: int = 0  # domain: units where one coder gave two of its codes
    note: str = ""
    intervals: Mapping[str, Interval] = field(default_factory=dict)

    def values(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in STATISTICS}

    def q(self, minimum: float) -> float | None:
        """q(α < ``minimum``): the share of α's resamples below it; None without interval."""
        interval = self.intervals.get("krippendorff_alpha")
        return None if interval is None else interval.probability_below(minimum)

    def to_dict(self) -> dict:
        result = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("key", "intervals")
        }
        result["coded"] = dict(self.coded)
        result["intervals"] = {
            name: {
                "method": i.method,
                "low": i.low,
                "high": i.high,
                "confidence": i.confidence,
                "resamples": i.resamples,
                "undefined": i.undefined,
                **({"q": {f"{m:g}": q for m, q in i.below}} if i.below else {}),
            }
            for name, i in self.intervals.items()
        }
        return _no_nan(result)


def _no_nan(values: dict) -> dict:
    """NaN as JSON's null, at any depth."""
    return {
        k: _no_nan(v)
        if isinstance(v, dict)
        else None
        if isinstance(v, float) and math.isnan(v)
        else v
        for k, v in values.items()
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
    resamples: int = 0  # per bootstrap interval; 0: none
    seed: int = SEED
    confidence: float = CONFIDENCE
    include_interviewer: bool = False
    left_out: Mapping[str, int] = field(default_factory=dict)  # "interviewer"/"header" → units

    def rows(self) -> tuple[CodeAgreement, ...]:
        """Every code, then every domain, then all codes together: the order tables use."""
        return (*self.codes, *self.domains, self.overall)

    def statistics(self) -> tuple[str, ...]:
        """The statistics this report has (depends on the unit and the number of coders)."""
        return tuple(s for s in STATISTICS if any(getattr(r, s) is not None for r in self.rows()))

    def columns(self, rows: Sequence[CodeAgreement] | None = None) -> tuple[str, ...]:
        """What a table of ``rows`` (default: all) shows: each statistic they have, with
        after α its interval over units (three or more coders) and q(α < minimum)."""
        rows = self.rows() if rows is None else rows
        result: list[str] = []
        for name in self.statistics():
            if not any(getattr(r, name) is not None for r in rows):
                continue
            result.append(name)
            if name == "krippendorff_alpha":
                if any(ALPHA_UNITS in r.intervals for r in rows):
                    result.append(ALPHA_UNITS)
                if any("krippendorff_alpha" in r.intervals for r in rows):
                    result += [below(m) for m in MINIMUMS]
        return tuple(result)

    def cell(
        self, row: CodeAgreement, column: str, figure: Callable[[str, float | None], str]
    ) -> str:
        """One column of ``row`` as text, each number written by ``figure(name, value)``.

        A statistic with an interval reads ``0.71 [0.62–0.79]``, its three numbers written
        as ``figure("bound", ...)`` (two decimals keep the cell narrow); α over units shows
        its interval only; q(α < minimum) is ``figure(column, q)``.
        """
        for minimum in MINIMUMS:
            if column == below(minimum):
                q = row.q(minimum)
                return "" if q is None else figure(column, q)
        interval = row.intervals.get(column)
        value = interval.value if column == ALPHA_UNITS and interval else getattr(row, column, None)
        if interval is None or value is None or math.isnan(interval.low):
            return "" if column == ALPHA_UNITS else figure(column, value)
        bounds = f"[{figure('bound', interval.low)}–{figure('bound', interval.high)}]"
        return bounds if column == ALPHA_UNITS else f"{figure('bound', value)} {bounds}"

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
        each of ``columns()`` (:meth:`cell`).
        """
        names = self.columns()
        return [
            [
                self.name(row, overall),
                str(row.n_units),
                *[str(row.coded.get(c, 0)) for c in self.coders],
                *[self.cell(row, n, figure) for n in names],
            ]
            for row in self.rows()
        ]

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "coders": list(self.coders),
            "documents": self.documents,
            "statistics": list(self.statistics()),
            "resamples": self.resamples,
            "seed": self.seed,
            "confidence": self.confidence,
            "include_interviewer": self.include_interviewer,
            "left_out": dict(self.left_out),
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
    holsti: float
    cohen_kappa: float | None
    fleiss_kappa: float
    krippendorff_alpha: float
    brennan_prediger: float
    gwet_ac1: float
    intervals: dict[str, Interval]


@dataclass(frozen=True)
class _Bootstrap:
    resamples: int
    seed: int
    confidence: float = CONFIDENCE

    def intervals(
        self, data: Tally, n_coders: int, categories: tuple[int, ...]
    ) -> dict[str, Interval]:
        """α by Hayes & Krippendorff (with q), α over units for three or more coders, κ for
        two, AC1; an interval the data allow no comparison for is left out."""
        if not self.resamples:
            return {}
        r, seed, level = self.resamples, self.seed, self.confidence
        wanted: dict[str, Callable[[], Interval]] = {
            "krippendorff_alpha": lambda: alpha_interval(
                data, minimums=MINIMUMS, resamples=r, seed=seed, confidence=level
            )
        }
        if n_coders >= 3:
            wanted[ALPHA_UNITS] = lambda: alpha_interval(
                data, method="units", resamples=r, seed=seed, confidence=level
            )
        if n_coders == 2:
            wanted["cohen_kappa"] = lambda: kappa_interval(
                data, resamples=r, seed=seed, confidence=level
            )
        wanted["gwet_ac1"] = lambda: gwet_interval(
            data, categories=categories, resamples=r, seed=seed, confidence=level
        )
        result = {}
        for name, compute in wanted.items():
            try:
                result[name] = compute()
            except AgreementError:
                continue
        return result


def _segment_statistics(
    data: Tally,
    n_coders: int,
    categories: tuple[int, ...],
    absent: int,
    bootstrap: _Bootstrap,
) -> _SegmentStatistics:
    """The figures of one coders × units table: ``categories`` are every value a unit can
    take (present/absent: 0 and 1; a domain: ``NONE`` and its codes), ``absent`` the one that
    is no coding decision (Holsti counts the codings, not the uncoded text)."""
    complete = ~np.isnan(data.columns).any(axis=0)
    return {
        "percent": _safe(lambda: percent_agreement(data)),
        "holsti": _safe(lambda: holsti(data, absent=absent)),
        "cohen_kappa": _safe(lambda: cohen_kappa(data)) if n_coders == 2 else None,
        "fleiss_kappa": _safe(lambda: fleiss_kappa(data.select(complete)))
        if complete.any()
        else math.nan,
        "krippendorff_alpha": _safe(lambda: krippendorff_alpha(data)),
        "brennan_prediger": _safe(lambda: brennan_prediger(data, n_categories=len(categories))),
        "gwet_ac1": _safe(lambda: gwet_ac1(data, categories=categories)),
        "intervals": bootstrap.intervals(data, n_coders, categories),
    }


PRESENT_ABSENT = (0, 1)


def _segment_report(
    project: Project,
    loaded: Loaded,
    unit: str,
    domains: Mapping[str, Sequence[str]],
    bootstrap: _Bootstrap,
    include_interviewer: bool,
) -> tuple[list, list, CodeAgreement, int, dict[str, int]]:
    segments, dropped = unit_spans(project, unit, include_interviewer)
    keys = [code.key for code in loaded.codes]
    table = unit_table(segments, loaded.rows, loaded.coders, keys, covered=loaded.covered)
    m = len(loaded.coders)
    rows = []
    for code in loaded.codes:
        data = table.tally(code.key)
        counts = table.coded_counts(code.key)
        rows.append(
            CodeAgreement(
                code.key,
                loaded.label(code.key),
                "code",
                data.shape[1],
                {c: counts[c] for c in loaded.coders},
                **_segment_statistics(data, m, PRESENT_ABSENT, 0, bootstrap),
            )
        )
    domain_rows = []
    for key, members in domains.items():
        dt = domain_table(table, members)
        data = Tally.of(dt.data())
        marked = ((dt.values >= 0) & (table.comparable()[None, :])).sum(axis=1)
        domain_rows.append(
            CodeAgreement(
                key,
                loaded.label(key),
                "domain",
                data.shape[1],
                {c: int(n) for c, n in zip(loaded.coders, marked, strict=True)},
                **_segment_statistics(data, m, tuple(range(NONE, len(members))), NONE, bootstrap),
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
        **_segment_statistics(pooled, m, PRESENT_ABSENT, 0, bootstrap),
        note=_("{codes} codes × {units} eenheden, aanwezig/afwezig").format(
            codes=len(rows), units=int(table.comparable().sum())
        ),
    )
    compared = set(table.documents[table.comparable()].tolist())
    left: dict[str, int] = {}  # counted in the documents compared, as the units are
    for document, why in dropped:
        if _compared(loaded, document):
            left[why] = left.get(why, 0) + 1
    return rows, domain_rows, overall, len(compared), left


def _compared(loaded: Loaded, document: int) -> bool:
    """Whether at least two coders coded ``document`` (so its units are compared)."""
    return sum(document in loaded.covered[c] for c in loaded.coders) >= 2


def _left_out_note(unit: str, left: Mapping[str, int]) -> str:
    """What the units leave out, counted: the reader checks the figures against it."""
    n_interviewer, n_header = left.get("interviewer", 0), left.get(HEADER, 0)
    if unit == "turn":
        interviewer = ngettext("{n} beurt", "{n} beurten", n_interviewer)
        header = ngettext("{n} beurt", "{n} beurten", n_header)
    else:
        interviewer = ngettext("{n} zin", "{n} zinnen", n_interviewer)
        header = ngettext("{n} zin", "{n} zinnen", n_header)
    return _(
        "Niet als eenheid geteld: {interviewer} van de interviewer en {header} boven de "
        "eerste spreker (titel en gegevens van het interview)."
    ).format(
        interviewer=interviewer.format(n=number(n_interviewer)),
        header=header.format(n=number(n_header)),
    )


def _undefined_notes(rows: Sequence[CodeAgreement], names: Mapping[str, str]) -> list[str]:
    """Per kind of interval, the rows where some resamples were 0/0 (left out of it)."""
    symbols = {
        "krippendorff_alpha": "α",
        ALPHA_UNITS: _("α (eenheden)"),
        "cohen_kappa": "κ",
        "gwet_ac1": "AC1",
    }
    notes = []
    for statistic, symbol in symbols.items():
        hit = [
            _("{name} {n} van {resamples}").format(
                name=names.get(f"{r.kind}:{r.key}", r.label),
                n=number(r.intervals[statistic].undefined),
                resamples=number(r.intervals[statistic].resamples),
            )
            for r in rows
            if statistic in r.intervals and r.intervals[statistic].undefined
        ]
        if hit:
            notes.append(
                _(
                    "Trekkingen zonder uitkomst (0/0, niet in het interval van {statistic}): "
                    "{rows}."
                ).format(statistic=symbol, rows="; ".join(hit))
            )
    return notes


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
    include_interviewer: bool = False,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> AgreementReport:
    """Agreement between ``coders`` (default: everyone but ``consensus``) on ``codes``
    (default: every code they used; a category includes its codes) per ``unit``.

    ``domains`` are category keys whose codes exclude each other; each is also compared
    as one nominal variable. Sentences and turns leave out the interviewer and the headers
    unless ``include_interviewer``. Each interval draws ``resamples`` bootstrap resamples
    (0: no intervals) from ``seed``. Raises ``AgreementError`` when fewer than two coders
    coded.
    """
    if unit not in UNITS:
        raise ProjectError(
            _("onbekende eenheid {unit!r}; kies {units}").format(unit=unit, units=", ".join(UNITS))
        )
    if resamples < 0:
        raise ProjectError(
            _("het aantal trekkingen kan niet negatief zijn; kreeg {n}").format(n=resamples)
        )
    if unit == "answer":
        survey_questions(project)  # before the coders: the one line that says what is missing
    with one_blas_thread():
        return _report(project, coders, unit, codes, domains, include_interviewer, resamples, seed)


def _report(
    project: Project,
    coders: Sequence[str],
    unit: str,
    codes: Sequence[str],
    domains: Sequence[str],
    include_interviewer: bool,
    resamples: int,
    seed: int,
) -> AgreementReport:
    loaded = load(project, coders, codes, domains)
    notes = list(loaded.notes)
    left: dict[str, int] = {}
    if unit == "char":
        rows, domain_rows, overall, documents, extra = _char_report(project, loaded, loaded.domains)
        notes += extra
        resamples = 0  # characters are not independent units: no bootstrap
    else:
        bootstrap = _Bootstrap(resamples, seed)
        rows, domain_rows, overall, documents, left = _segment_report(
            project, loaded, unit, loaded.domains, bootstrap, include_interviewer
        )
        if left:
            notes.append(_left_out_note(unit, left))
    report = AgreementReport(
        unit,
        tuple(loaded.coders),
        tuple(rows),
        tuple(domain_rows),
        overall,
        documents,
        tuple(notes),
        resamples=resamples,
        seed=seed,
        include_interviewer=include_interviewer,
        left_out=left,
    )
    extra_notes = _undefined_notes(report.rows(), report.names)
    if extra_notes:
        report = replace(report, notes=(*report.notes, *extra_notes))
    return report
