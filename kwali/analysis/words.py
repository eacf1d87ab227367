"""Word frequencies and keywords of a code, a document or a group (issue #14, item 4).

``frequencies(project, code="dwang")`` counts the lemmas in the text of a target and in the
rest of the project (the reference corpus), and ranks them by keyness, as corpus tools
(WordSmith, AntConc, Wmatrix) do. What is counted: lemmas (kwali's Dutch layer) of what the
respondents say, without spaCy's Dutch stop words and, unless asked, without transcript
fillers (:data:`FILLERS`); interviewer turns only when asked. The target is

- a code: the text of its codings (a category: of the codes under it), by the coders in scope,
  each token once however many codings cover it; optionally only in one document or group;
- a document, or a group of documents (``where``: ``key=value`` terms, all must hold);
- nothing: the whole project (frequencies only: there is no reference).

For a lemma with counts ``a`` (target) and ``b`` (reference) and corpus sizes ``c`` and ``d``
(counted tokens), see docs/words.md:

- log-likelihood (Rayson & Garside 2000): E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d),
  LL = 2(a ln(a/E1) + b ln(b/E2)), a term with a zero count being 0; LL >= 3.84 is p < 0.05
  (chi-square, one degree of freedom), 6.63 p < 0.01, 10.83 p < 0.001, 15.13 p < 0.0001;
- log ratio (Hardie 2014): log2((a/c) / (b/d)), a zero count taken as 0.5 (effect size:
  +1 is twice as frequent in the target);
- %DIFF (Gabrielatos & Marchi 2012): 100 (a/c - b/d) / (b/d); infinite when b is 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from kwali.analysis import lemmas, reading
from kwali.app.memos import find_code
from kwali.app.searching import where_filter
from kwali.errors import InputError
from kwali.i18n import _, ngettext
from kwali.store import Project

if TYPE_CHECKING:
    import pandas as pd

FILLERS = frozenset(
    "eh ehm ehh euh uh uhm um hm hmm mm mmm hè he hé nou ja jaja jawel nee neenee oké okay ok "
    "oke zeg enzo".split()
)
"""Transcript fillers and back-channel words left out unless ``keep_fillers`` (*ja* and
*gewoon* are in spaCy's stop list too, and stay out either way)."""

THRESHOLDS = ((15.13, "****"), (10.83, "***"), (6.63, "**"), (3.84, "*"))
"""LL critical values (chi-square, 1 degree of freedom) for p < 0.0001, 0.001, 0.01, 0.05."""

COLUMNS = [
    "lemma",
    "target",
    "reference",
    "target_per_10k",
    "reference_per_10k",
    "ll",
    "p",
    "significance",
    "log_ratio",
    "pct_diff",
]


@dataclass(frozen=True, slots=True)
class Keyword:
    """One lemma: its counts, frequencies per 10,000 counted tokens, and keyness."""

    lemma: str
    target: int
    reference: int
    target_per_10k: float
    reference_per_10k: float
    ll: float  # NaN without a reference
    p: float
    log_ratio: float
    pct_diff: float

    @property
    def marker(self) -> str:
        """``*`` p < 0.05 … ``****`` p < 0.0001; empty when not significant."""
        return marker(self.ll)

    @property
    def more(self) -> bool:
        """Relatively more frequent in the target than in the reference (a positive keyword)."""
        return self.log_ratio > 0


@dataclass
class WordsResult:
    """The keywords of a target, and what was counted."""

    target: str  # in words: "code dwang", "document 3 (interview_03)", "aanpak=Meedoen010"
    target_tokens: int
    reference_tokens: int
    documents: int  # documents the target lies in
    keywords: list[Keyword] = field(default_factory=list)
    interviewers: bool = False
    keep_fillers: bool = False
    min_count: int = 1
    coders: tuple[str, ...] | None = None

    @property
    def settings(self) -> str:
        """What was left out and kept, in the reader's language."""
        parts = [
            _("respondenten en interviewers") if self.interviewers else _("alleen respondenten")
        ]
        parts.append(
            _("zonder stopwoorden") if self.keep_fillers else _("zonder stopwoorden en vulwoorden")
        )
        if self.coders is not None:
            parts.append(_("coderingen van {coders}").format(coders=", ".join(self.coders)))
        if self.min_count > 1:
            parts.append(_("minstens {n} keer").format(n=self.min_count))
        return "; ".join(parts)

    @property
    def settings_nl(self) -> str:
        """:attr:`settings` (the name is older than the catalogues: one text, kwali's language)."""
        return self.settings

    def _counted(self) -> str:
        reference = (
            _("{n} in de rest van het project").format(n=self.reference_tokens)
            if self.reference_tokens
            else _("geen rest om mee te vergelijken")
        )
        return ngettext(
            "{words} woorden in {n} document, {reference} ({settings})",
            "{words} woorden in {n} documenten, {reference} ({settings})",
            self.documents,
        ).format(
            words=self.target_tokens, n=self.documents, reference=reference, settings=self.settings
        )

    def describe_nl(self) -> str:
        """What was counted (the subtitle of the Word table), without the target."""
        return self._counted()

    def describe(self) -> str:
        """The target and what was counted, for the CLI."""
        return f"{self.target}: {self._counted()}"


def marker(ll: float) -> str:
    for threshold, stars in THRESHOLDS:
        if ll >= threshold:
            return stars
    return ""


def keyness(
    a: np.ndarray, b: np.ndarray, c: int, d: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """LL, p, log ratio and %DIFF of every lemma (formulas in the module's docstring)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if c <= 0 or d <= 0:
        nan = np.full(a.shape, math.nan)
        return nan, nan.copy(), nan.copy(), nan.copy()
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(np.where(a > 0, a, 1) / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(np.where(b > 0, b, 1) / e2), 0.0)
        ll = np.maximum(2 * (t1 + t2), 0.0)  # rounding can leave -1e-16 for equal rates
        ratio = np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d))
        pct = np.where(b > 0, (a / c - b / d) * 100 / np.where(b > 0, b / d, 1), math.inf)
    p = np.array([math.erfc(math.sqrt(x / 2)) for x in ll])  # chi-square sf, 1 df
    return ll, p, ratio, pct


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Rayson & Garside's LL of one lemma: ``a``/``b`` occurrences in corpora of ``c``/``d``."""
    return float(keyness(np.array([a]), np.array([b]), c, d)[0][0])


def _merged(spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Overlapping spans as one, so a token covered twice counts once."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if starts and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def _inside(positions: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    index = np.searchsorted(starts, positions, side="right") - 1
    found = index >= 0
    found[found] = positions[found] < ends[index[found]]
    return found


def _where_terms(where: Mapping[str, str] | Sequence[str] | None) -> list[str]:
    if not where:
        return []
    if isinstance(where, Mapping):
        return [f"{k}={v}" for k, v in where.items()]
    return [str(term) for term in where]


def keywords(
    project: Project,
    *,
    code: str | None = None,
    document: str | int | None = None,
    where: Mapping[str, str] | Sequence[str] | None = None,
    coders: Sequence[str] | None = None,
    interviewers: bool = False,
    keep_fillers: bool = False,
    min_count: int = 1,
    model: str | None = None,
) -> WordsResult:
    """The lemmas of a target with their keyness against the rest of the project: those
    relatively more frequent in the target first (highest LL first), then the others."""
    terms = _where_terms(where)
    if document is not None and terms:
        raise InputError(_("geef een document of --where-termen, niet beide"))
    names = project.document_names()
    label: list[str] = []
    target_docs: set[int] | None = None
    if document is not None:
        found = project.find_document(str(document))
        target_docs = {found.id}
        label.append(_("document {number} ({name})").format(number=found.number, name=found.name))
    elif terms:
        target_docs = set(where_filter(project, terms) or [])
        label.append(" ".join(terms))
    keys: frozenset[str] | None = None
    if code is not None:
        key = find_code(project, code)
        codebook = project.codebook()
        below = {c.key for c in codebook if any(a.key == key for a in codebook.path(c.key))}
        keys = frozenset(below | {key})
        label.insert(
            0,
            _("code {key} (met de codes eronder)").format(key=key)
            if len(keys) > 1
            else _("code {key}").format(key=key),
        )
    spans: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    if keys is not None:
        by_document: dict[int, list[tuple[int, int]]] = {}
        for doc, start, end, _unused in reading.coded_spans(project, keys, coders, target_docs):
            by_document.setdefault(doc, []).append((start, end))
        spans = {doc: _merged(found_spans) for doc, found_spans in by_document.items()}
        target_docs = set(spans)
    tokens = lemmas.document_tokens(project, model)
    vocab = lemmas.vocabulary(model)
    size = len(vocab.lemmas)
    interviewer = {} if interviewers else lemmas.interviewer_turns(project)
    fillers = np.array(
        [] if keep_fillers else [vocab.ids[f] for f in FILLERS if f in vocab.ids], dtype=np.int32
    )
    target = np.zeros(size, dtype=np.int64)
    total = np.zeros(size, dtype=np.int64)
    for doc, found_tokens in tokens.items():
        keep = np.ones(found_tokens.lemmas.shape, dtype=bool)
        if doc in interviewer:
            keep &= ~np.isin(found_tokens.turns, interviewer[doc])
        if fillers.size:
            keep &= ~np.isin(found_tokens.lemmas, fillers)
        total += np.bincount(found_tokens.lemmas[keep], minlength=size)
        if target_docs is None or doc in target_docs:
            if doc in spans:
                keep &= _inside(found_tokens.starts, *spans[doc])
            target += np.bincount(found_tokens.lemmas[keep], minlength=size)
    reference = total - target
    c, d = int(target.sum()), int(reference.sum())
    whole = target_docs is None
    chosen = np.flatnonzero(target >= max(1, min_count))
    a, b = target[chosen], reference[chosen]
    ll, p, ratio, pct = keyness(a, b, c, 0 if whole else d)
    rows = [
        Keyword(
            vocab.lemmas[i],
            int(a[n]),
            int(b[n]),
            10_000 * a[n] / c if c else 0.0,
            10_000 * b[n] / d if d else 0.0,
            float(ll[n]),
            float(p[n]),
            float(ratio[n]),
            float(pct[n]),
        )
        for n, i in enumerate(chosen)
    ]
    if whole:
        rows.sort(key=lambda k: (-k.target, k.lemma))
    else:
        rows.sort(key=lambda k: (not k.more, -k.ll, -k.target, k.lemma))
    return WordsResult(
        _(" in ").join(label) or _("het hele project"),
        c,
        0 if whole else d,
        len(target_docs) if target_docs is not None else len(names),
        rows,
        interviewers,
        keep_fillers,
        min_count,
        tuple(coders) if coders is not None else None,
    )


def table(result: WordsResult) -> pd.DataFrame:
    """One row per lemma, in the result's order (columns: :data:`COLUMNS`)."""
    import pandas as pd

    return pd.DataFrame(
        [
            (
                k.lemma,
                k.target,
                k.reference,
                round(k.target_per_10k, 2),
                round(k.reference_per_10k, 2),
                round(k.ll, 2),
                k.p,
                k.marker,
                round(k.log_ratio, 3),
                round(k.pct_diff, 1),
            )
            for k in result.keywords
        ],
        columns=COLUMNS,
    )


def frequencies(
    project: Project,
    *,
    code: str | None = None,
    document: str | int | None = None,
    where: Mapping[str, str] | Sequence[str] | None = None,
    coders: Sequence[str] | None = None,
    interviewers: bool = False,
    keep_fillers: bool = False,
    min_count: int = 1,
    model: str | None = None,
) -> pd.DataFrame:
    """:func:`keywords` as a pandas table, one row per lemma::

    frequencies(project, code="dwang", min_count=3)
    frequencies(project, where={"aanpak": "Meedoen010"})
    """
    result = keywords(
        project,
        code=code,
        document=document,
        where=where,
        coders=coders,
        interviewers=interviewers,
        keep_fillers=keep_fillers,
        min_count=min_count,
        model=model,
    )
    return table(result)
