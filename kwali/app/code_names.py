"""What a person types for a code, turned into its key: the one rule for every command.

A code is named by its key (``gezin_combineren``), its label in any case and with or
without accents (``gezin en combineren``), or its path (``Persoonlijke situatie > Taal``,
from the top or only its last steps); ``@group`` stands for a code group's codes where
several codes are named. A label two codes share is refused in one line listing both with
their keys and parents; an unknown name in one line with the nearest names.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from kwali.app.code_groups import GROUP_MARK, expand_code_groups
from kwali.errors import ProjectError
from kwali.i18n import _
from kwali.model import Code, Codebook
from kwali.store import Project

PATH_MARK = ">"
_NEAREST = 3
_CUTOFF = 70  # rapidfuzz WRatio: below this a name is no typo of it
_SPREAD = 5  # only names about as close as the best: a clear typo stands alone


def fold(text: str) -> str:
    """``text`` as names are compared: no case, no accents, single spaces."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def _names(code: Code) -> set[str]:
    return {fold(code.key), fold(code.label)}


def matching(codebook: Codebook, name: str) -> list[Code]:
    """Every code ``name`` may mean (none, one, or more when a label is shared): its exact
    key first, then key or label folded, then a path of labels or keys."""
    exact = codebook.get(name.strip())
    if exact is not None:
        return [exact]
    wanted = fold(name)
    if not wanted:
        return []
    found = [c for c in codebook if wanted in _names(c)]
    if found or PATH_MARK not in name:  # a label holding ">" is still its label
        return found
    steps = [fold(step) for step in name.split(PATH_MARK)]
    if not all(steps):
        return []
    out = []
    for code in codebook:
        chain = codebook.path(code.key)
        if len(chain) >= len(steps) and all(
            step in _names(link) for step, link in zip(steps, chain[-len(steps) :], strict=True)
        ):
            out.append(code)
    return out


def path_text(codebook: Codebook, key: str) -> str:
    """A code's path as a person can type it back: ``Persoonlijke situatie > Taal``."""
    return f" {PATH_MARK} ".join(c.label or c.key for c in codebook.path(key)) or key


def label_of(codebook: Codebook, key: str) -> str:
    """What a person reads for a code: its label (its key when it has none or is gone)."""
    code = codebook.get(key)
    return (code.label or key) if code is not None else key


def _where(option: str) -> str:
    return f" ({option})" if option else ""


def _ambiguous(codebook: Codebook, name: str, found: Sequence[Code], option: str) -> str:
    def one(code: Code) -> str:
        parent = codebook.get(code.parent) if code.parent else None
        if parent is None:
            return _("{key} ({label!r} bovenaan)").format(key=code.key, label=code.label)
        return _("{key} ({label!r} onder {parent!r})").format(
            key=code.key, label=code.label, parent=parent.label or parent.key
        )

    paths = [path_text(codebook, c.key) for c in found]
    clear = [p for p in paths if len(matching(codebook, p)) == 1]
    example = (
        _("het pad, bijv. {path!r}").format(path=clear[0])
        if clear
        else _("de sleutel, bijv. {key}").format(key=found[0].key)
    )
    return _("{name!r}{where} noemt {n} codes: {codes}; geef de sleutel of {example}").format(
        name=name.strip(),
        where=_where(option),
        n=len(found),
        codes=", ".join(one(c) for c in found),
        example=example,
    )


def nearest(codebook: Codebook, name: str, limit: int = _NEAREST) -> list[Code]:
    """The codes whose key or label is closest to ``name`` (a path: to its last step), for
    a typo; only those about as close as the best, so one clear hit stands alone."""
    from rapidfuzz import fuzz, process  # only when a name is wrong: kept off start-up

    choices: dict[str, list[Code]] = {}
    for code in codebook:
        for text in dict.fromkeys((fold(code.label), fold(code.key))):
            choices.setdefault(text, []).append(code)
    wanted = fold(name.split(PATH_MARK)[-1])
    ranked = process.extract(wanted, list(choices), scorer=fuzz.WRatio, limit=limit * 4)
    best = ranked[0][1] if ranked else 0
    out: dict[str, Code] = {}
    for text, score, _index in ranked:
        if score >= max(_CUTOFF, best - _SPREAD):
            out |= {c.key: c for c in choices[text] if c.key not in out}
    return list(out.values())[:limit]


def _unknown(codebook: Codebook, name: str, option: str) -> tuple[str, str]:
    close = nearest(codebook, name)
    if close:
        hint = _("het dichtst bij: {codes}").format(
            codes=", ".join(f"{c.label!r} ({c.key})" for c in close)
        )
    else:
        hint = _("zie `kwali codes`")
    return _("heeft geen code {name!r}{where}").format(
        name=name.strip(), where=_where(option)
    ), hint


def find_key(codebook: Codebook, name: str, *, option: str = "", path: object = None) -> str:
    """The key of the one code ``name`` names; a ProjectError in one line otherwise."""
    found = matching(codebook, name)
    if len(found) == 1:
        return found[0].key
    where = str(path) if path is not None else None
    if found:
        raise ProjectError(_ambiguous(codebook, name, found, option), path=where)
    message, hint = _unknown(codebook, name, option)
    raise ProjectError(message, path=where, hint=hint)


def code_key(project: Project, name: str, *, option: str = "") -> str:
    """The key of the code ``name`` names in ``project`` (key, label or path)."""
    return find_key(project.codebook(), name, option=option, path=project.location)


def split_names(codebook: Codebook, values: Iterable[str]) -> list[str]:
    """``--codes a,b`` and ``--codes a --codes b`` alike; a value that names a code whole
    (a label with a comma) is kept whole."""
    out = []
    for value in values:
        if "," in value and matching(codebook, value):
            out.append(value.strip())
            continue
        out += [part.strip() for part in value.split(",") if part.strip()]
    return out


def code_keys(
    project: Project, names: Iterable[str], *, option: str = "", groups: bool = True
) -> tuple[str, ...]:
    """The keys of the codes ``names`` name, in the order given, once each: keys, labels,
    paths, comma-separated lists and (with ``groups``) ``@group`` for a code group's codes."""
    codebook = project.codebook()
    keys: list[str] = []
    for name in split_names(codebook, names):
        if groups and name.startswith(GROUP_MARK) and not matching(codebook, name):
            keys += expand_code_groups(project, [name])
        else:
            keys.append(find_key(codebook, name, option=option, path=project.location))
    return tuple(dict.fromkeys(keys))
