"""Inter-coder agreement: the statistics, pure numpy, no project or store needed.

Reliability data are coder rows of unit values (``None`` = not coded by that coder)::

    >>> from kwali.agreement import krippendorff_alpha, percent_agreement
    >>> rows = [["x", "y", "y", None], ["x", "y", "x", "x"]]
    >>> percent_agreement(rows)
    0.6666666666666666

Structural problems raise ``AgreementError`` (a ``ValueError`` and a ``KwaliError``);
a coefficient that is 0/0 because the data show no variation is NaN. Formulas,
sources and these choices are in docs/agreement.md.
"""

from kwali.agreement.alpha import LEVELS, krippendorff_alpha, krippendorff_alpha_result
from kwali.agreement.bootstrap import Interval, alpha_interval, gwet_interval, kappa_interval
from kwali.agreement.characters import CharacterAgreement, character_agreement
from kwali.agreement.data import Agreement, AgreementError, Tally
from kwali.agreement.gwet import (
    GWET_WEIGHTS,
    gwet_ac1,
    gwet_ac2,
    gwet_ac_result,
    holsti,
    holsti_result,
)
from kwali.agreement.kappa import (
    brennan_prediger,
    brennan_prediger_result,
    cohen_kappa,
    cohen_kappa_result,
    fleiss_kappa,
    fleiss_kappa_result,
    percent_agreement,
    percent_agreement_result,
    scott_pi,
    scott_pi_result,
)
from kwali.agreement.unitizing import (
    CodeUnitizing,
    UnitizingSummary,
    binary_u_alpha,
    cu_alpha,
    k_u_alpha,
    u_alpha,
    unitizing_summary,
)

__all__ = [
    "GWET_WEIGHTS",
    "LEVELS",
    "Interval",
    "Tally",
    "alpha_interval",
    "gwet_ac1",
    "gwet_ac2",
    "gwet_ac_result",
    "gwet_interval",
    "holsti",
    "holsti_result",
    "kappa_interval",
    "Agreement",
    "AgreementError",
    "CharacterAgreement",
    "CodeUnitizing",
    "UnitizingSummary",
    "binary_u_alpha",
    "brennan_prediger",
    "brennan_prediger_result",
    "character_agreement",
    "cohen_kappa",
    "cohen_kappa_result",
    "cu_alpha",
    "fleiss_kappa",
    "fleiss_kappa_result",
    "k_u_alpha",
    "krippendorff_alpha",
    "krippendorff_alpha_result",
    "percent_agreement",
    "percent_agreement_result",
    "scott_pi",
    "scott_pi_result",
    "u_alpha",
    "unitizing_summary",
]
