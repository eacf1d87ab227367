"""Warn when a quote's attribution points at one person.

The study attributes quotes by role and gender only, but with one klantmanager or one female
coach among the respondents, "(klantmanager, man)" still names someone (AVG/GDPR). Before
quotes leave kwali we count, per attribution, how many interviews share it (or cases, where
speakers are linked to them). The warnings
are returned with the export's result, so every export shows them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import pandas as pd

from kwali.app.attribution import INTERVIEWER
from kwali.app.units import Units
from kwali.i18n import ngettext
from kwali.store import Project
from kwali.store.attribute_types import shown_value

MIN_GROUP = 2  # fewer interviews than this behind an attribution: it identifies someone


def document_label(attributes: Mapping[str, str], keys: Sequence[str]) -> str:
    """``klantmanager, man``: an interview's values for ``keys``, as an attribution reads."""
    return ", ".join(v for k in keys if (v := attributes.get(k, "")))


def identifying_documents(project: Project, keys: Sequence[str]) -> dict[int, str]:
    """``{interview number: label}`` for interviews whose values for ``keys`` fewer than
    :data:`MIN_GROUP` interviews share."""
    labels = {s.number: document_label(s.attributes, keys) for s in project.document_summaries()}
    shared = Counter(labels.values())
    return {n: label for n, label in labels.items() if label and shared[label] < MIN_GROUP}


def identifying_attributions(
    project: Project, table: pd.DataFrame, keys: Sequence[str]
) -> dict[str, int]:
    """``{attribution: interviews sharing it}`` for the attributions in ``table`` that identify."""
    if table.empty or not keys:
        return {}
    # who shares a label: interviews, or where speakers are linked to cases those cases (a
    # survey question's 505 answers are one document but 505 respondents)
    per_unit = Counter(document_label(u.attributes, keys) for u in Units.load(project).all_units())
    in_table = table.groupby("respondent")["document"].nunique()
    found = {}
    for label, documents in in_table.items():
        name = str(label)
        if not name or name == INTERVIEWER:
            continue
        shared = max(per_unit.get(name, 0), int(documents))
        if shared < MIN_GROUP:
            found[name] = shared
    return found


def identifying_warnings(project: Project, table: pd.DataFrame, keys: Sequence[str]) -> list[str]:
    """One warning per attribution in the quote ``table`` that may identify a respondent."""
    cases = project.has_cases()
    return [
        _warning(cases, shared).format(label=shown_value(label), n=shared, key=keys[0])
        for label, shared in identifying_attributions(project, table, keys).items()
    ]


def _warning(cases: bool, n: int) -> str:
    if cases:
        return ngettext(
            "de toeschrijving ({label}) hoort bij maar {n} respondent en kan die herkenbaar "
            "maken; overweeg --attribution {key} of maskeer de waarde",
            "de toeschrijving ({label}) hoort bij maar {n} respondenten en kan de respondent "
            "herkenbaar maken; overweeg --attribution {key} of maskeer de waarde",
            n,
        )
    return ngettext(
        "de toeschrijving ({label}) hoort bij maar {n} interview en kan de respondent "
        "herkenbaar maken; overweeg --attribution {key} of maskeer de waarde",
        "de toeschrijving ({label}) hoort bij maar {n} interviews en kan de respondent "
        "herkenbaar maken; overweeg --attribution {key} of maskeer de waarde",
        n,
    )
