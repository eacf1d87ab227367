"""Compose a codebook's YAML into nodes, with bounds on nesting and on alias expansion.

yaml's composer shares an anchored node wherever an alias names it, so nine lines of
aliases of aliases make a tree of hundreds of millions of nodes for any walker (the
"billion laughs"), and an alias inside its own anchor makes a cycle that no walker leaves.
A codebook needs neither: aliases are allowed (to share a signal list, say) as long as what
they repeat stays small, never inside their own anchor, and nesting stays shallow. The safe
loader's resolver is kept, so no tag can construct an object (nothing is constructed at all).
"""

from __future__ import annotations

from typing import Any

import yaml

from kwali.i18n import _

MAX_DEPTH = 64  # collections inside collections: 20 levels of codes take about 42
MAX_ALIAS_NODES = 10_000  # nodes that aliases repeat, over the whole file


class YamlLimitError(yaml.MarkedYAMLError):
    """The YAML is valid but past kwali's bounds; ``problem`` says which, at ``problem_mark``."""

    def __init__(self, problem: str, mark: Any) -> None:  # yaml's Mark, Python or C
        super().__init__(problem=problem, problem_mark=mark)


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.walked = 0  # nodes a walker of the composed graph meets, aliases expanded
        self.repeated = 0  # of which through aliases
        self.open_anchors: set[str] = set()
        self.sizes: dict[str, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            anchor = str(event.anchor)
            if anchor in self.open_anchors:
                raise YamlLimitError(
                    _("alias *{anchor} staat in zijn eigen anker &{anchor} (een lus)").format(
                        anchor=anchor
                    ),
                    event.start_mark,
                )
            self.repeated += self.sizes.get(anchor, 0)
            if self.repeated > MAX_ALIAS_NODES:
                raise YamlLimitError(
                    _(
                        "aliassen herhalen meer dan {most} waarden (bij *{anchor}); "
                        "dat weigert kwali"
                    ).format(most=f"{MAX_ALIAS_NODES:,}", anchor=anchor),
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        if self.depth >= MAX_DEPTH:
            raise YamlLimitError(
                _("nest meer dan {levels} niveaus diep; dat weigert kwali").format(
                    levels=MAX_DEPTH
                ),
                event.start_mark,
            )
        own: str | None = event.anchor if isinstance(event, yaml.NodeEvent) else None
        before = self.walked + self.repeated
        self.walked += 1
        self.depth += 1
        if own is not None:
            self.open_anchors.add(own)
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if own is not None:
            self.open_anchors.discard(own)
            self.sizes[own] = self.walked + self.repeated - before
        return node


def compose_bounded(text: str) -> yaml.Node | None:
    """The YAML's single document as nodes; raises yaml.YAMLError (YamlLimitError past bounds)."""
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


class _Dumper(yaml.SafeDumper):
    """PyYAML writes a NEL (U+0085) raw inside a quoted scalar and reads it back as a folded
    line break: a space. Strings holding one are written double-quoted, where it is escaped."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if "\x85" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_yaml(data: object) -> str:
    """``data`` as YAML that ``compose_bounded`` reads back to the same text."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
