"""The documents screen: every transcript with its attributes, length and coding progress."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from kwali.app.document_filter import matches, parse_filter
from kwali.app.wording import counted, number
from kwali.i18n import _
from kwali.store import DocumentSummary, Project
from kwali.store.attribute_types import shown_value, sort_key
from kwali.ui.messages import ColumnClicked, ProjectChanged, RowChosen
from kwali.ui.screens.document_edits import DocumentEditing, writable
from kwali.ui.screens.learning import LearnFromCodings, learn_binding
from kwali.ui.screens.undo import history_bindings
from kwali.ui.widgets.document_table import Column, DocumentTable

if TYPE_CHECKING:
    from kwali.ui.screens.document_edits import DocumentsView
    from kwali.ui.screens.protocols import ProjectScreen

# Attributes shown as columns, in this order, under whichever name the project uses.
_ATTRIBUTE_COLUMNS = (("rol", "role"), ("gender", "geslacht", "sexe"), ("groep", "group"))
FILTER_HINT = _(
    "een woord vindt hele woorden van naam en kenmerken (man vindt geen mantelzorg); "
    "kenmerk=waarde vindt precies die waarde, bijv. geslacht=man rol=werkzoekende; "
    'waarde met spaties tussen aanhalingstekens: aanpak="Prestatie 010"'
)
# (key, column label): the labels are the columns' headers, so a click on one sorts by it
_SORTS = (
    ("nummer", _("Nr")),
    ("naam", _("Document")),
    ("lengte", _("Lengte")),
    ("voortgang", _("Voortgang")),
)
# how the status line names a sort (an attribute's sort is its key)
_SORT_WORDS = {
    "nummer": _("nummer"),
    "naam": _("naam"),
    "lengte": _("lengte"),
    "voortgang": _("voortgang"),
}
# The editing keys stay out of the footer (it is full at 80 columns: ? lists them); the
# status line names them where there is room.
_JUSTIFY: dict[str, Literal["left", "right"]] = {"number": "right"}
EDIT_HINT = _("n naam · d verwijderen · e kenmerken · m memo · u ongedaan")


# Progress reads every sentence of a document (kwali.store.progress): ~2 ms a document, so
# at 1,000 fully coded transcripts all of them take seconds. The rows on screen are counted
# before the table is drawn, the rest a few documents at a time while the screen is idle.
_STEP = 8  # documents counted in one idle step: a key waits for at most one step
_PAUSE = 0.01  # seconds between steps, for keys and frames


@dataclass(frozen=True, slots=True)
class Row:
    """One table row: a document summary plus progress (reviewed sentences) per coder;
    ``None`` while it is still being counted."""

    summary: DocumentSummary
    progress: dict[str, int] | None


def _column_label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def progress_cell(done: int | None, total: int, width: int = 10) -> Text:
    if done is None:  # still being counted: as wide as the figure will be
        return Text("░" * width + f" …/{total}", style="dim")
    share = done / total if total else 0.0
    filled = round(share * width)
    text = Text()
    text.append("█" * filled, style="green" if done >= total and total else "cyan")
    text.append("░" * (width - filled), style="dim")
    text.append(f" {done}/{total}", style="bold" if done else "dim")
    return text


class DocumentsScreen(DocumentEditing, LearnFromCodings, Screen[None]):
    """Choose a document to code; filter with `f`, sort with `s` or a column click; `/`
    searches the text of every transcript (kwali.ui.screens.project_search).

    The filter takes words (a whole word of the name or of an attribute value) and
    ``kenmerk=waarde`` terms (that attribute exactly); see kwali.app.document_filter.
    """

    BINDINGS = [
        Binding("enter", "open", _("Openen"), id="documents.open"),
        Binding("slash", "search", _("Zoeken"), id="documents.search"),
        # the field's placeholder names `f`: the footer has no room for both at 80 columns
        Binding("f", "filter", _("Filter"), show=False, id="documents.filter"),
        Binding("s", "sort", _("Sorteren"), id="documents.sort"),
        learn_binding("documents"),
        Binding(
            "escape", "clear_filter", _("Filter wissen"), show=False, id="documents.clear_filter"
        ),
        Binding("r", "reload", _("Vernieuwen"), show=False, id="documents.reload"),
        Binding("n", "rename", _("Naam wijzigen"), show=False, id="documents.rename"),
        Binding("d", "remove", _("Verwijderen"), show=False, id="documents.remove"),
        Binding("e", "attributes", _("Kenmerken bewerken"), show=False, id="documents.attributes"),
        Binding("m", "memo", _("Memo bij document"), show=False, id="documents.memo"),
        *(replace(b, show=False) for b in history_bindings("documents")),
    ]

    def __init__(self, project: Project, coder: str, blind: bool = False) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.blind = blind
        self.rows: list[Row] = []
        self.coders: list[str] = [coder]
        self.attribute_keys: list[str] = []
        self.types: dict[str, str] = {}
        self.sorts: list[tuple[str, str]] = list(_SORTS)
        self.sort_index = 0
        self.narrow = False
        self._where: dict[int, int] = {}
        self.loaded = False
        self._stale = False
        self._counting = 0  # bumped to stop the idle counting of a previous load

    def compose(self) -> ComposeResult:
        yield Static(id="documents-title")
        # The placeholder is in the snapshots; the tooltip tells about kenmerk=waarde.
        field = Input(
            placeholder=_("f: filter op naam of kenmerk (Esc wist)"), id="documents-filter"
        )
        field.tooltip = FILTER_HINT
        yield field
        yield DocumentTable(id="documents", fixed_columns=2)  # Nr and name stay; ←/→
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.narrow = self.app.size.width < 110
        self.load()
        self.query_one(DocumentTable).focus()

    # -- data -------------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the summaries, count the progress of the rows on screen, redraw; the other
        rows' progress is counted while the screen is idle (:meth:`_count_more`)."""
        summaries = self.project.document_summaries()
        others = [] if self.blind else [c for c in self.project.coders() if c != self.coder][:3]
        self.coders = [self.coder, *others]
        self.rows = [Row(s, None) for s in summaries]
        self._where = {s.id: i for i, s in enumerate(summaries)}  # document id -> row
        self._counting += 1
        present = {k for s in summaries for k in s.attributes}
        self.types = self.project.attribute_types()
        self.attribute_keys = [
            next(n for n in names if n in present)
            for names in _ATTRIBUTE_COLUMNS
            if any(n in present for n in names)
        ]
        # numbers and dates are columns too, and sort by size and time (`s` or a click)
        self.attribute_keys += sorted(k for k in self.types if k in present)
        current = self.sorts[self.sort_index][0]
        self.sorts = [*_SORTS, *((k, _column_label(k)) for k in self.attribute_keys)]
        keys = [key for key, _label in self.sorts]
        self.sort_index = keys.index(current) if current in keys else 0
        blind = " · " + _("blind") if self.blind else ""
        name = self.project.display_name or _("project")
        documents = counted(len(summaries), _("document"), _("documenten"))
        self.query_one("#documents-title", Static).update(  # i18n: keep (joins translated texts)
            f"[b]{escape(self.coder)}[/b]{blind} · {escape(name)} · {documents}"
        )
        self._count(self._first_rows())  # all of them when sorted by progress: see _sorted
        self._fill()
        self.loaded = True
        self._count_later(self._counting)

    def _first_rows(self) -> list[int]:
        """The documents the table may show first (the screen's height of rows): from the
        top, and around the cursor (a reload keeps it where it was)."""
        ids = [r.summary.id for r in self._sorted()]
        table = self.query_one(DocumentTable)
        at = ids.index(table.cursor_key) if table.cursor_key in ids else 0
        rows = self.app.size.height
        return ids[:rows] + ids[max(0, at - rows) : at + rows]

    def _count(self, document_ids: Iterable[int]) -> list[int]:
        """Count the progress of those documents not counted yet; the ids counted."""
        where = self._where
        ids = [d for d in dict.fromkeys(document_ids) if self.rows[where[d]].progress is None]
        if ids:
            progress = self.project.progress(self.coders, ids)
            for doc_id in ids:
                counts = {c: progress.get(c, {}).get(doc_id, 0) for c in self.coders}
                self.rows[where[doc_id]] = Row(self.rows[where[doc_id]].summary, counts)
        return ids

    def _count_later(self, counting: int) -> None:
        if any(r.progress is None for r in self.rows):
            self.set_timer(_PAUSE, lambda: self._count_more(counting))

    def _count_more(self, counting: int) -> None:
        """One idle step: the rows on screen first, then in order; once all are counted the
        table is filled again (widths, the status line's total)."""
        if counting != self._counting or not self.is_attached:  # a new load, or left
            return
        table = self.query_one(DocumentTable)
        waiting = [
            key
            for key in (*table.visible_keys(), *(r.summary.id for r in self.rows))
            if self.rows[self._where[key]].progress is None
        ]
        counted_ids = self._count(waiting[:_STEP])
        if any(r.progress is None for r in self.rows):
            table.replace_rows({d: self._cells(self.rows[self._where[d]]) for d in counted_ids})
            self._count_later(counting)
        else:
            self._fill()

    def _sorted(self) -> list[Row]:
        key = self.sorts[self.sort_index][0]
        if key == "voortgang":  # every row's figure is needed now
            self._count(r.summary.id for r in self.rows)
        query = parse_filter(self.query_one("#documents-filter", Input).value)
        rows = (
            [r for r in self.rows if matches(r.summary, query, self.types)]
            if query
            else list(self.rows)
        )
        if key in self.attribute_keys:
            kind = self.types.get(key, "text")
            rows.sort(key=lambda r: sort_key(r.summary.attributes.get(key, ""), kind))
        elif key == "naam":
            rows.sort(key=lambda r: r.summary.name.lower())
        elif key == "lengte":
            rows.sort(key=lambda r: -r.summary.length)
        elif key == "voortgang":
            rows.sort(
                key=lambda r: (
                    -(
                        (r.progress or {}).get(self.coder, 0) / r.summary.segments
                        if r.summary.segments
                        else 0
                    )
                )
            )
        return rows

    def _columns(self) -> list[Column]:
        progress = [
            Column(_("Voortgang {coder}").format(coder=self.coder)),
            *(Column(c) for c in self.coders[1:]),
        ]
        width = self.app.size.width
        if self.narrow:  # 80 columns: attributes share one column, no character count
            # what is left after Nr, Zinnen, the progress columns (each with its padding of
            # 2) and the scrollbar, shared by name and attributes: no column off-screen
            # a figure "done/total" as wide as the longest document's (1127/1127 in a study
            # of long transcripts), so the last coder's column is not cut off either
            longest = max((r.summary.segments for r in self.rows), default=0)
            figure = 2 * len(str(longest)) + 1
            others = sum(max(len(c), 7, figure) + 2 for c in self.coders[1:])
            mine = max(len(progress[0].label), 6 + figure) + 2  # a bar of 5, a space
            room = width - 6 - 8 - mine - others - 1 - 4
            name = max(12, room * 11 // 20)
            attrs = max(10, room - name)
            return [
                Column(_("Nr"), "right"),
                Column(_("Document"), max_width=name),
                Column(_("Kenmerken"), max_width=attrs),
                Column(_("Zinnen"), "right"),
                *progress,
            ]
        roomy = width >= 160  # at 200 columns whole names and values
        return [
            Column(_("Nr"), "right"),
            Column(_("Document"), max_width=60 if roomy else 40),
            *(
                Column(
                    _column_label(k),
                    _JUSTIFY.get(self.types.get(k, ""), "left"),
                    max_width=32 if roomy else 20,
                )
                for k in self.attribute_keys
            ),
            Column(_("Lengte"), "right"),
            Column(_("Zinnen"), "right"),
            *progress,
        ]

    def _cells(self, row: Row) -> list[str | Text]:
        s = row.summary

        def value(key: str) -> str:
            raw = s.attributes.get(key, "")
            return shown_value(raw, self.types.get(key, "text")) if raw else ""

        if self.narrow:
            attrs = " · ".join(v for k in self.attribute_keys if (v := value(k)))
            cells: list[str | Text] = [str(s.number), s.name, attrs]
        else:
            cells = [str(s.number), s.name, *(value(k) for k in self.attribute_keys)]
            cells.append(number(s.length))
        progress = row.progress
        mine = progress[self.coder] if progress else None
        cells += [str(s.segments), progress_cell(mine, s.segments, 5 if self.narrow else 10)]
        cells += [
            Text(f"{progress[c] if progress else '…'}/{s.segments}", style="dim")
            for c in self.coders[1:]
        ]
        return cells

    def _fill(self) -> None:
        sort_label = self.sorts[self.sort_index][1]
        columns = [
            Column(f"{c.label} ▼", c.justify, c.max_width)
            if c.label == sort_label or c.label.startswith(sort_label + " ")
            else c
            for c in self._columns()
        ]
        rows = self._sorted()
        table = self.query_one(DocumentTable)
        table.set_rows(columns, [self._cells(r) for r in rows], [r.summary.id for r in rows])
        every = counted(len(self.rows), _("document"), _("documenten"))
        shown = (
            _("{n} van {every}").format(n=len(rows), every=every)
            if len(rows) != len(self.rows)
            else every
        )
        total = sum(r.summary.segments for r in self.rows)
        key = self.sorts[self.sort_index][0]
        if all(r.progress is not None for r in self.rows):
            done = sum(r.progress[self.coder] for r in self.rows if r.progress is not None)
            status = _("{shown} · sortering: {sort} · jouw voortgang {done}/{total} zinnen").format(
                shown=shown, sort=_SORT_WORDS.get(key, key), done=number(done), total=number(total)
            )
        else:  # the idle counting fills the table in again when it is done
            status = _("{shown} · sortering: {sort} · jouw voortgang wordt geteld").format(
                shown=shown, sort=_SORT_WORDS.get(key, key)
            )
        # the hints only where they fit: a status line cut off mid-word says nothing
        for hint in (_("Enter opent"), EDIT_HINT):
            if len(status) + len(hint) + 5 <= self.app.size.width:  # " · " and padding
                status += f" · {hint}"
        self.query_one("#status", Static).update(status)

    def on_resize(self) -> None:
        narrow = self.size.width < 110
        if narrow != self.narrow:
            self.narrow = narrow
            if self.loaded:
                self._fill()

    # -- events -----------------------------------------------------------------------------------
    def on_project_changed(self, _event: ProjectChanged) -> None:
        self.load()

    def on_screen_suspend(self) -> None:
        self._stale = True
        self._counting += 1  # no counting here while another screen is used

    def on_screen_resume(self) -> None:
        if self._stale:  # progress changes while coding
            self._stale = False
            self.load()

    @on(RowChosen)
    def _row_chosen(self, event: RowChosen) -> None:
        self._open(event.key)

    @on(ColumnClicked)
    def _header(self, event: ColumnClicked) -> None:
        label = self._columns()[event.index].label
        for index, (_key, header) in enumerate(self.sorts):
            if label == header or label.startswith(header + " "):
                self.sort_index = index
                self._fill()

    @on(Input.Changed, "#documents-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#documents-filter")
    def _filter_done(self) -> None:
        self.query_one(DocumentTable).focus()

    def action_open(self) -> None:
        selected = self.query_one(DocumentTable).cursor_key
        if selected is not None:
            self._open(selected)

    def _open(self, document_id: int) -> None:
        from kwali.ui.screens.coding import CodingScreen

        self.app.push_screen(CodingScreen(self.project, self.coder, document_id, blind=self.blind))

    def action_search(self) -> None:
        """Search every transcript (the filter above only narrows the list: `f`)."""
        from kwali.ui.screens.project_search import ProjectSearchScreen

        self.app.push_screen(ProjectSearchScreen(self.project, self.coder, blind=self.blind))

    def action_filter(self) -> None:
        self.query_one("#documents-filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#documents-filter", Input).value = ""
        self.query_one(DocumentTable).focus()

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(self.sorts)
        self._fill()

    def action_reload(self) -> None:
        self.load()

    # -- editing (the keys are in kwali.ui.screens.document_edits) ----------------------------
    def highlighted(self) -> DocumentSummary | None:
        key = self.query_one(DocumentTable).cursor_key
        return next((r.summary for r in self.rows if r.summary.id == key), None)

    def changed(self, message: str) -> None:
        """After a change: read the table again and say what happened."""
        self.load()
        self.notify(message, timeout=4)

    def action_memo(self) -> None:
        from kwali.ui.screens.memo import MemoTarget, open_memo

        document = self.highlighted()
        if document is None or not writable(self):
            return
        target = MemoTarget.for_document(self.project, self.coder, document.id)
        open_memo(self, self.project, self.coder, target, after=self.load)


if TYPE_CHECKING:  # Textual calls actions by name: here mypy checks the mixin gets what it uses

    def _gives_mixins_their_view(screen: DocumentsScreen) -> ProjectScreen:
        return screen

    def _gives_editing_its_view(screen: DocumentsScreen) -> DocumentsView:
        return screen
