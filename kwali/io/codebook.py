"""Read, validate and write codebooks in kwali's YAML format (see docs/codebook.md).

Validation walks yaml's node tree rather than the loaded dicts, so every message can name
the line it is about ("line 42: code 'dwang' has no label"). All problems are collected and
the first few reported together, because a researcher editing a codebook by hand wants to fix
them in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kwali.codekeys import is_valid_key
from kwali.errors import CodebookError
from kwali.i18n import _
from kwali.io.code_limits import MAX_CODE_DEPTH, MAX_CODES
from kwali.io.codebook_yaml import YamlLimitError, compose_bounded, dump_yaml
from kwali.io.private import write_private
from kwali.model import Code, Codebook, CodeKind, Signals

_TOP_FIELDS = {"name", "version", "description", "categories", "codes"}
_CODE_FIELDS = {
    "key",
    "label",
    "parent",
    "colour",
    "color",
    "definition",
    "include",
    "exclude",
    "examples",
    "signals",
    "codes",
    "description",
}
_SIGNAL_FIELDS = {"lemmas", "stems", "compounds", "phrases", "regex", "exclude", "speakers"}
_COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
_MAX_REPORTED = 8
_MAX_BYTES = 5_000_000


@dataclass
class _Draft:
    """A code as read, before ordering: the line is kept for later messages."""

    code: Code
    line: int


@dataclass
class _Reader:
    path: str
    problems: list[str] = field(default_factory=list)
    drafts: list[_Draft] = field(default_factory=list)

    def problem(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 0
        self.problems.append(
            _("regel {line}: {problem}").format(line=line, problem=message) if line else message
        )

    # -- node helpers ---------------------------------------------------------------
    def mapping(self, node: yaml.Node, what: str, allowed: set[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(
                node, _("{what} moet een mapping zijn (regels 'veld: waarde')").format(what=what)
            )
            return {}
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in out:
                self.problem(
                    key_node, _("{what} heeft '{key}' twee keer").format(what=what, key=key)
                )
            elif key not in allowed:
                self.problem(
                    key_node,
                    _("{what} heeft een onbekend veld '{key}' (bekend: {known})").format(
                        what=what, key=key, known=", ".join(sorted(allowed))
                    ),
                )
            out[key] = value_node
        return out

    def text(self, node: yaml.Node | None, what: str) -> str:
        if node is None:
            return ""
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, _("{what} moet tekst zijn").format(what=what))
            return ""
        return str(node.value).strip()

    def texts(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if isinstance(node, yaml.ScalarNode):  # a single word is fine without brackets
            return (str(node.value).strip(),) if str(node.value).strip() else ()
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, _must_be_list(what))
            return ()
        items = []
        for item in node.value:
            value = self.text(item, _("een item van {what}").format(what=what))
            if value:
                items.append(value)
        return tuple(items)

    # -- codebook parts -------------------------------------------------------------
    def signals(self, node: yaml.Node | None, key: str) -> Signals:
        if node is None:
            return Signals()
        fields = self.mapping(node, _field("signals", key), _SIGNAL_FIELDS)
        values = {
            name: self.texts(fields.get(name), _field(f"signals.{name}", key))
            for name in _SIGNAL_FIELDS
        }
        for pattern, item in zip(values["regex"], _items(fields.get("regex")), strict=False):
            try:
                re.compile(pattern)
            except re.error as exc:
                self.problem(
                    item,
                    _("regex {pattern} van '{key}' is ongeldig ({error})").format(
                        pattern=repr(pattern), key=key, error=exc
                    ),
                )
        return Signals(
            **{
                name: tuple(v.lower() for v in values[name]) if name != "regex" else values[name]
                for name in _SIGNAL_FIELDS
            }
        )

    def code(self, node: yaml.Node, parent: str | None, kind: CodeKind) -> None:
        what = _("een categorie") if kind == "category" else _("een code")
        peek = (
            {str(k.value): v for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}
        )
        if isinstance(peek.get("key"), yaml.ScalarNode) and str(peek["key"].value).strip():
            what = _named(kind, str(peek["key"].value).strip())
        fields = self.mapping(node, what, _CODE_FIELDS)
        if not fields and not isinstance(node, yaml.MappingNode):
            return
        key = self.text(fields.get("key"), _field("key"))
        if not key:
            self.problem(node, _("{what} heeft geen sleutel").format(what=what))
            key = _("<regel {line}>").format(line=node.start_mark.line + 1)
        elif not is_valid_key(key):
            self.problem(
                fields["key"],
                _(
                    "sleutel '{key}' mag alleen letters, cijfers, '_', '.' en '-' bevatten "
                    "(ASCII, geen spaties; niet beginnend met '.' of '-')"
                ).format(key=key),
            )
        label = self.text(fields.get("label"), _field("label", key))
        if not label:
            self.problem(
                node,
                _("categorie '{key}' heeft geen label").format(key=key)
                if kind == "category"
                else _("code '{key}' heeft geen label").format(key=key),
            )
        if "parent" in fields:
            if parent is not None:
                self.problem(
                    fields["parent"],
                    _(
                        "code '{key}' staat genest onder een andere code, dus kan ze geen "
                        "veld parent hebben"
                    ).format(key=key),
                )
            else:
                parent = self.text(fields["parent"], _field("parent", key)) or None
        colour_node = fields.get("colour", fields.get("color"))
        colour = self.text(colour_node, _field("colour", key))
        if colour and not _COLOUR_RE.match(colour):
            self.problem(
                colour_node,
                _("kleur {colour} van '{key}' is geen #RRGGBB").format(
                    colour=repr(colour), key=key
                ),
            )
        code = Code(
            key=key,
            label=label,
            parent=parent,
            kind=kind,
            definition=self.text(
                fields.get("definition", fields.get("description")), _field("definition", key)
            ),
            include=self.text(fields.get("include"), _field("include", key)),
            exclude=self.text(fields.get("exclude"), _field("exclude", key)),
            examples=self.texts(fields.get("examples"), _field("examples", key)),
            colour=colour.upper(),
            signals=self.signals(fields.get("signals"), key),
        )
        self.drafts.append(_Draft(code, node.start_mark.line + 1))
        for child in self.sequence(fields.get("codes"), _field("codes", key)):
            self.code(child, key, "code")

    def sequence(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, _must_be_list(what))
            return []
        return list(node.value)


def _must_be_list(what: str) -> str:
    return _("{what} moet een lijst zijn").format(what=what)


def _field(name: str, key: str | None = None) -> str:
    """A field as messages name it: ``label`` (the YAML's own word), of code ``key``."""
    if key is None:
        return _("veld {field}").format(field=name)
    return _("veld {field} van '{key}'").format(field=name, key=key)


def _named(kind: CodeKind, key: str) -> str:
    if kind == "category":
        return _("categorie '{key}'").format(key=key)
    return _("code '{key}'").format(key=key)


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return [item for item in node.value if str(getattr(item, "value", "")).strip()]
    return [node] if node is not None else []


def _ordered(reader: _Reader) -> tuple[Code, ...]:
    """Check keys and parents, then order the codes as a tree (parents before children)."""
    by_key: dict[str, _Draft] = {}
    for draft in reader.drafts:
        key = draft.code.key
        if key in by_key:
            reader.problems.append(
                _(
                    "regel {line}: sleutel '{key}' komt twee keer voor (eerst op regel {first})"
                ).format(line=draft.line, key=key, first=by_key[key].line)
            )
        else:
            by_key[key] = draft
    for draft in by_key.values():
        parent = draft.code.parent
        if parent is not None and parent not in by_key:
            reader.problems.append(
                _("regel {line}: bovenliggende code '{parent}' van '{key}' bestaat niet").format(
                    line=draft.line, parent=parent, key=draft.code.key
                )
            )
    depths = _depths(reader, by_key)
    if reader.problems:
        return ()
    if max(depths.values(), default=0) > MAX_CODE_DEPTH:
        deepest = max(by_key.values(), key=lambda d: depths[d.code.key])
        reader.problems.append(
            _(
                "regel {line}: het codeboek nest codes meer dan {levels} niveaus diep; "
                "dat neemt kwali niet aan"
            ).format(line=deepest.line, levels=MAX_CODE_DEPTH)
        )
        return ()
    # Tree order: each code followed by its descendants, siblings in file order. It is the
    # order dump_codebook writes, so a loaded codebook dumps and loads back identically.
    kids: dict[str | None, list[Code]] = {}
    for draft in reader.drafts:
        kids.setdefault(draft.code.parent, []).append(draft.code)
    ordered: list[Code] = []
    stack = list(reversed(kids.get(None, [])))
    while stack:  # iterative: no recursion however deep the file claims to nest
        code = stack.pop()
        ordered.append(code)
        stack += reversed(kids.get(code.key, []))
    return tuple(ordered)


def _depths(reader: _Reader, by_key: dict[str, _Draft]) -> dict[str, int]:
    """Each key's level (1 at the top), in linear time; a cycle is reported once, by line."""
    depths: dict[str, int] = {}
    for draft in by_key.values():  # cycles are only possible through explicit `parent:` fields
        chain: list[str] = []
        on_chain: set[str] = set()
        step: str | None = draft.code.key
        while step in by_key and step not in depths and step not in on_chain:
            chain.append(step)
            on_chain.add(step)
            step = by_key[step].code.parent
        if step in on_chain:  # walked back into the chain: a cycle
            loop = chain[chain.index(step) :]
            loop = loop if len(loop) <= 8 else [*loop[:7], "…"]  # the message stays one line
            reader.problems.append(
                _("regel {line}: bovenliggende codes vormen een kring: {cycle}").format(
                    line=by_key[step].line, cycle=" → ".join([*loop, step])
                )
            )
            depths.update((key, 0) for key in chain)  # reported; not walked again
            continue
        level = depths.get(step, 0) if step is not None else 0  # unknown parents: reported
        for key in reversed(chain):
            level += 1
            depths[key] = level
    return depths


def parse_codebook(text: str, path: str | Path = "<codebook>") -> Codebook:
    """Parse and validate codebook YAML; raise CodebookError listing what is wrong, by line."""
    reader = _Reader(str(path))
    try:
        root = compose_bounded(text)
    except YamlLimitError as exc:
        mark = exc.problem_mark
        problem = str(exc.problem)
        if mark is not None:
            problem = _("regel {line}: {problem}").format(line=mark.line + 1, problem=problem)
        raise CodebookError(problem, path=path) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        problem = _("is geen geldige YAML ({problem})").format(problem=exc.problem)
        if mark is not None:
            problem = _("regel {line}: {problem}").format(line=mark.line + 1, problem=problem)
        raise CodebookError(problem, path=path) from None
    except yaml.reader.ReaderError as exc:  # its text spans two lines
        char = exc.character
        which = f"#x{char:04x}" if isinstance(char, int) else repr(char)
        raise CodebookError(
            _("is geen geldige YAML (teken {char} op positie {position} mag er niet in)").format(
                char=which, position=exc.position
            ),
            path=path,
        ) from None
    except yaml.YAMLError as exc:
        raise CodebookError(
            _("is geen geldige YAML ({problem})").format(problem=" ".join(str(exc).split())),
            path=path,
        ) from None
    if root is None:
        raise CodebookError(_("is leeg"), path=path)
    top = reader.mapping(root, _("het codeboek"), _TOP_FIELDS)
    name = reader.text(top.get("name"), _field("name"))
    if not name and isinstance(root, yaml.MappingNode):
        reader.problem(root, _("het codeboek heeft geen naam"))
    for node in reader.sequence(top.get("categories"), _field("categories")):
        reader.code(node, None, "category")
    for node in reader.sequence(top.get("codes"), _field("codes")):
        reader.code(node, None, "code")
    if len(reader.drafts) > MAX_CODES:
        raise CodebookError(
            _("het codeboek heeft {n} codes; kwali neemt er hoogstens {most} aan").format(
                n=f"{len(reader.drafts):,}", most=f"{MAX_CODES:,}"
            ),
            path=path,
        )
    codes = _ordered(reader)
    if not reader.problems and not codes:
        reader.problem(root, _("het codeboek heeft geen categorieën of codes"))
    if reader.problems:
        shown = reader.problems[:_MAX_REPORTED]
        more = len(reader.problems) - len(shown)
        message = "; ".join(shown)
        if more:
            message += _("; en nog {n} meer").format(n=more)
        raise CodebookError(
            message, path=path, hint=_("zie docs/codebook.md voor hoe een codeboek eruitziet")
        )
    return Codebook(
        name=name,
        codes=codes,
        version=reader.text(top.get("version"), _field("version")),
        description=reader.text(top.get("description"), _field("description")),
    )


def load_codebook(path: str | Path) -> Codebook:
    """Read a codebook file (UTF-8 YAML)."""
    path = Path(path)
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise CodebookError(_("is te groot voor een codeboek (meer dan 5 MB)"), path=path)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError(_("dit codeboekbestand bestaat niet"), path=path) from None
    except UnicodeDecodeError:
        raise CodebookError(
            _("is geen UTF-8-tekst"), path=path, hint=_("sla het op als UTF-8")
        ) from None
    except IsADirectoryError:
        raise CodebookError(_("is een map, geen codeboekbestand"), path=path) from None
    return parse_codebook(text, path)


def _code_dict(code: Code, kids: dict[str | None, list[Code]], nested: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"key": code.key, "label": code.label}
    if not nested and code.parent:
        out["parent"] = code.parent
    for name in ("colour", "definition", "include", "exclude"):
        if getattr(code, name):
            out[name] = getattr(code, name)
    if code.examples:
        out["examples"] = list(code.examples)
    signals = {
        name: list(getattr(code.signals, name))
        for name in ("lemmas", "stems", "compounds", "phrases", "regex", "exclude", "speakers")
        if getattr(code.signals, name)
    }
    if signals:
        out["signals"] = signals
    children = [child for child in kids.get(code.key, []) if child.kind != "category"]
    if children:
        out["codes"] = [_code_dict(child, kids, True) for child in children]
    return out


def dump_codebook(codebook: Codebook) -> str:
    """The codebook as YAML that parse_codebook reads back to an equal Codebook."""
    data: dict[str, Any] = {"name": codebook.name}
    if codebook.version:
        data["version"] = codebook.version
    if codebook.description:
        data["description"] = codebook.description
    kids: dict[str | None, list[Code]] = {}  # Codebook.children scans every code: quadratic
    for code in codebook.codes:
        kids.setdefault(code.parent, []).append(code)
    # Nesting makes a code; a category below another code (from a .qdc, say) is written
    # flat under `categories:` with an explicit parent, so it stays a category.
    categories = [
        _code_dict(c, kids, c.parent is None) for c in codebook.codes if c.kind == "category"
    ]
    codes = [_code_dict(c, kids, True) for c in kids.get(None, []) if c.kind != "category"]
    if categories:
        data["categories"] = categories
    if codes:
        data["codes"] = codes
    return dump_yaml(data)


def save_codebook(codebook: Codebook, path: str | Path) -> None:
    write_private(Path(path), dump_codebook(codebook).encode("utf-8"))
