"""The codebook screen: the code hierarchy with counts, one code's description, and edits.

Every edit (the keys in :mod:`kwali.ui.screens.codebook_edits`) is one store call, committed
before the notification says "Opgeslagen", and undoable with ``u``. The tree is rebuilt from the
store after each change rather than patched, so what is shown is always what is saved.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, Tree
from textual.widgets.tree import TreeNode

from kwali.app.wording import counted
from kwali.i18n import _
from kwali.model import Code, Codebook, Memo
from kwali.store import Project
from kwali.ui.messages import ProjectChanged
from kwali.ui.screens.codebook_edits import CodebookEditing
from kwali.ui.screens.codebook_modals import colour_style
from kwali.ui.screens.undo import history_bindings, step_back

if TYPE_CHECKING:
    from kwali.ui.screens.codebook_edits import CodebookView


def subtree_counts(codebook: Codebook, counts: Mapping[str, int]) -> dict[str, int]:
    """Codings per code including all codes below it, so a category shows its total."""
    totals = {code.key: counts.get(code.key, 0) for code in codebook}
    for code in reversed(codebook.codes):  # parents come first, so children are summed first
        if code.parent in totals:
            totals[code.parent] += totals[code.key]
    return totals


def describe(
    code: Code,
    codebook: Codebook,
    own: int,
    total: int,
    mine: int | None,
    memos: Sequence[Memo] = (),
    groups: Sequence[str] = (),
) -> Text:
    """The detail pane for one code: what it means, how it is recognised, its code groups
    and its memos."""
    text = Text()
    text.append("● " if code.kind == "code" else "▸ ", style=colour_style(code.colour) or "dim")
    text.append(code.label, style="bold")
    text.append(f"   {code.key}", style="dim")
    path = [c.label for c in codebook.path(code.key)[:-1]]
    if path:
        text.append("\n" + " › ".join(path), style="dim")
    kind = _("categorie") if code.kind == "category" else _("code")
    codings = (
        counted(own, _("codering"), _("coderingen"))
        if code.kind == "code" or total == own
        else _("{codings} (incl. subcodes)").format(
            codings=counted(total, _("codering"), _("coderingen"))
        )
    )
    text.append(f"\n{kind} · {codings}", style="dim")
    if mine is not None:
        text.append(" · " + _("jij: {n}").format(n=mine), style="dim")
    if groups:
        text.append("\n" + _("Groepen:") + " ", style="dim")
        text.append(", ".join(groups))
    sections = [
        (_("Definitie"), code.definition),
        (_("Wel"), code.include),
        (_("Niet"), code.exclude),
    ]
    for title, body in sections:
        text.append(f"\n\n{title}\n", style="bold")
        text.append(body or "—", style="" if body else "dim")
    if code.examples:
        text.append("\n\n" + _("Voorbeelden") + "\n", style="bold")
        text.append("\n".join(f"• {example}" for example in code.examples))
    signals = code.signals
    parts = [
        (_("lemma's"), signals.lemmas),
        (_("stammen"), signals.stems),
        (_("samenstellingen"), signals.compounds),
        (_("woordgroepen"), signals.phrases),
        (_("patronen"), signals.regex),
        (_("niet bij"), signals.exclude),
        (_("sprekers"), signals.speakers),
    ]
    shown = [(name, values) for name, values in parts if values]
    if shown:
        text.append("\n\n" + _("Signalen"), style="bold")
        for name, values in shown:
            text.append(f"\n{name}: ", style="dim")
            text.append(", ".join(values))
    if memos:
        text.append("\n\n" + _("Memo's"), style="bold")
        for memo in memos:
            text.append(f"\n{memo.coder} · {memo.changed[:10]}\n", style="dim")
            text.append(memo.text)
    return text


def _visible(node: TreeNode[str]) -> Iterator[TreeNode[str]]:
    for child in node.children:
        yield child
        if child.is_expanded:
            yield from _visible(child)


class CodebookScreen(CodebookEditing, Screen[None]):
    """Browse and edit the codebook. ``blind`` (default: the app's ``blind``) counts only
    this coder's codings, so a second coder is not steered by the first one's choices."""

    BINDINGS = [
        Binding("a", "add", _("Nieuw"), id="codebook.add"),
        Binding("r", "rename", _("Naam"), id="codebook.rename"),
        Binding("e", "edit", _("Tekst"), id="codebook.edit"),
        Binding("M", "merge", _("Samenvoegen"), id="codebook.merge"),
        Binding("v", "move", _("Verplaats"), id="codebook.move"),
        Binding("d,delete", "delete", _("Verwijder"), id="codebook.delete"),
        Binding("m", "memo", _("Memo"), id="codebook.memo"),
        Binding("G", "groups", _("Groepen"), id="codebook.groups"),
        Binding("escape", "back", _("Terug"), id="codebook.back"),
        *history_bindings("codebook"),
    ]

    DEFAULT_CSS = """
    CodebookScreen #codebook-title { height: 1; padding: 0 1; background: $panel; color: $text; }
    CodebookScreen #codebook-body { height: 1fr; }
    CodebookScreen #code-tree { width: 3fr; max-width: 70; border: round $panel-lighten-2; padding: 0 1; }
    CodebookScreen #code-tree:focus { border: round $primary; }
    CodebookScreen #code-detail-box { width: 2fr; border: round $panel-lighten-2; padding: 0 1; }
    """

    def __init__(self, project: Project, coder: str, *, blind: bool | None = None) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self._blind = blind
        self.codebook = Codebook(name="", codes=())

    @property
    def blind(self) -> bool:
        if self._blind is not None:
            return self._blind
        return bool(getattr(self.app, "blind", False))

    def compose(self) -> ComposeResult:
        yield Static(id="codebook-title")
        with Horizontal(id="codebook-body"):
            tree: Tree[str] = Tree(_("Codeboek"), id="code-tree")
            tree.show_root = False
            tree.guide_depth = 3
            yield tree
            with VerticalScroll(id="code-detail-box"):
                yield Static(id="code-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_codebook()
        self.query_one(Tree).focus()

    # -- showing -----------------------------------------------------------------------------
    @property
    def current_code_key(self) -> str | None:
        """The highlighted code, for the app's quotes key (``o``)."""
        code = self.highlighted()
        return code.key if code else None

    def highlighted(self) -> Code | None:
        node = self.query_one(Tree).cursor_node
        return self.codebook.get(node.data) if node is not None and node.data else None

    def refresh_codebook(self, select: str | None = None) -> None:
        """Reload codes and counts from the store and redraw, keeping the cursor on ``select``
        (default: the code highlighted now)."""
        current = self.highlighted()
        select = select or (current.key if current else None)
        self.codebook = self.project.codebook()
        self._own = self.project.code_counts(coder=self.coder if self.blind else None)
        self._mine = (
            None
            if self.blind
            else subtree_counts(self.codebook, self.project.code_counts(coder=self.coder))
        )
        self.totals = subtree_counts(self.codebook, self._own)
        tree: Tree[str] = self.query_one(Tree)
        tree.clear()
        nodes: dict[str | None, TreeNode[str]] = {None: tree.root}
        for code in self.codebook:
            parent = nodes.get(code.parent, tree.root)
            label = self._label(code)
            if self.codebook.children(code.key):
                nodes[code.key] = parent.add(label, data=code.key, expand=True)
            else:
                nodes[code.key] = parent.add_leaf(label, data=code.key)
        n_codes = sum(1 for c in self.codebook if c.kind == "code")
        title = Text(_("Codeboek {name}").format(name=self.codebook.name).strip(), style="bold")
        title.append(
            f"   {counted(n_codes, _('code'), _('codes'))} · "  # i18n: keep (a join)
            f"{counted(sum(self._own.values()), _('codering'), _('coderingen'))}",
            style="dim",
        )
        if self.blind:
            title.append(" " + _("(alleen jij)"), style="dim")
        self.query_one("#codebook-title", Static).update(title)
        # Lines are numbered depth-first over expanded nodes; setting cursor_line (rather than
        # move_cursor) works before the tree has been drawn.
        lines = [node.data for node in _visible(tree.root)]
        if lines:
            tree.cursor_line = lines.index(select) if select in lines else 0
        self._show_detail()

    def _label(self, code: Code) -> Text:
        style = colour_style(code.colour)
        text = Text()
        if code.kind == "category":
            text.append(code.label, style=f"bold {style}".strip())
        else:
            text.append("● ", style=style or "dim")
            text.append(code.label)
        total = self.totals.get(code.key, 0)
        if total:
            text.append(f"  {total}", style="dim")
        return text

    def _show_detail(self) -> None:
        detail = self.query_one("#code-detail", Static)
        code = self.highlighted()
        if code is None:
            empty = _("Het codeboek is leeg. Druk op a om een code toe te voegen.")
            detail.update(Text(empty, style="dim"))
            return
        mine = None if self._mine is None else self._mine.get(code.key, 0)
        # a blind coder sees only their own memos, as on the memo screen
        memos = self.project.memos("code", code.key, coder=self.coder if self.blind else None)
        detail.update(
            describe(
                code,
                self.codebook,
                self._own.get(code.key, 0),
                self.totals.get(code.key, 0),
                mine,
                memos,
                self.project.groups_of_code(code.key),
            )
        )

    @on(ProjectChanged)
    def _reload(self) -> None:
        self.refresh_codebook()

    @on(Tree.NodeHighlighted)
    def _highlight_changed(self) -> None:
        self._show_detail()

    # -- history (the edits are in CodebookEditing) -------------------------------------------
    def action_undo(self) -> None:
        self._history(redo=False)

    def action_redo(self) -> None:
        self._history(redo=True)

    def _history(self, redo: bool) -> None:
        """Undo (or redo) this coder's latest action, whatever screen it was made on."""
        labels = self.codebook.labels()  # a code the step removes is still named by its label
        done = step_back(self.project, self.coder, self.notify, redo=redo, labels=labels)
        if done:
            self.refresh_codebook()
            self.notify(done, timeout=3)

    def action_memo(self) -> None:
        """Write or edit the coder's memo on the highlighted code."""
        from kwali.ui.screens.memo import MemoTarget, open_memo

        code = self.highlighted()
        if code is not None:
            target = MemoTarget.for_code(self.project, self.coder, code.key)
            open_memo(self, self.project, self.coder, target)

    def action_groups(self) -> None:
        """List the code groups with their codes (they come from REFI-QDA files)."""
        labels = self.codebook.labels()
        lines = [
            f"{g.name}: " + (", ".join(labels.get(str(k), str(k)) for k in g.members) or "—")
            for g in self.project.groups("code")
        ]
        self.notify("\n".join(lines) or _("Er zijn geen codegroepen."), title=_("Codegroepen"))

    def action_back(self) -> None:
        self.dismiss(None)


if TYPE_CHECKING:  # Textual calls actions by name: here mypy checks the mixins get what they use

    def _gives_mixins_their_view(screen: CodebookScreen) -> CodebookView:
        return screen
