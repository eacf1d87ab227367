"""Who speaks, as evidence: a respondent's role ranks the codes whose ``speakers`` name it.

A host organisation talking is often about taking in the new volunteers, a coach about the
contact with clients; a coder reads a quote knowing who said it. The role is borrowed
evidence: it orders candidates, but a code needs words of its own to be suggested.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kwali.model import Codebook, Evidence

KIND = "speaker"  # i18n: keep (an evidence kind, shown as speaker:<role>)


def role_key(role: str) -> str:
    """A role as the codebook and a project's ``rol`` attribute may both spell it:
    ``ontvangende_organisatie`` and ``Ontvangende organisatie`` are one role."""
    return " ".join(role.lower().replace("_", " ").replace("-", " ").split())


def speaker_codes(codebook: Codebook) -> dict[str, tuple[str, ...]]:
    """Each role the codebook names, to the codes whose ``speakers`` name it."""
    table: dict[str, list[str]] = {}
    for code in codebook:
        if code.kind == "category":
            continue
        for role in code.signals.speakers:
            table.setdefault(role_key(role), []).append(code.key)
    return {role: tuple(dict.fromkeys(codes)) for role, codes in table.items()}


def speaker_evidence(
    table: Mapping[str, tuple[str, ...]], roles: Iterable[str], weight: float
) -> dict[str, list[Evidence]]:
    """``speaker:<role>`` evidence for the codes the speaker's roles point at. It covers no
    characters: it is about who said the text, not a word in it."""
    found: dict[str, list[Evidence]] = {}
    if weight <= 0:
        return found
    for role in roles:
        for key in table.get(role_key(role), ()):
            found.setdefault(key, []).append(Evidence(0, 0, role, f"{KIND}:{role}", weight))
    return found
