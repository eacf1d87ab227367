"""Snapshots of the main screens at fixed sizes (update only after reviewing the diff:
``pytest tests/ui/test_snapshots.py --snapshot-update``)."""

from __future__ import annotations


async def _open_first(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


class TestDocuments:
    def test_documents_wide(self, snap_compare, make_app):
        """Both documents with role, gender, group, length, sentences and anna's progress bar."""
        assert snap_compare(make_app(), terminal_size=(120, 20))

    def test_documents_narrow(self, snap_compare, make_app):
        """At 80 columns the attributes share one column and the progress bar is shorter."""
        assert snap_compare(make_app(), terminal_size=(80, 24))


class TestCoding:
    def test_coding_wide(self, snap_compare, make_app):
        """Turns with speaker, timestamp and line; the 'brief' sentence highlighted with its
        evidence word; the side panel lists its suggestion with score and evidence."""
        assert snap_compare(make_app(), terminal_size=(140, 30), run_before=_open_first)

    def test_coding_narrow_after_accept(self, snap_compare, make_app):
        """At 80×24 the panel sits under the transcript; after `a` the margin shows the code."""

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await _open_first(pilot)
            await pilot.press("a")
            pilot.app.screen.last_saved = "opgeslagen"  # the real one carries the clock time
            pilot.app.screen.show()  # redraws the status line with it

        assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)

    def test_code_picker(self, snap_compare, make_app):
        """`c` then typing 'sanct' ranks 'Gevoel van dwang' first (found in its definition)."""

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await _open_first(pilot)
            await pilot.press("c", *"sanct")
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=(120, 30), run_before=run_before)

    def test_help(self, snap_compare, make_app):
        """`?` on the coding screen lists every key with its Dutch description."""

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await _open_first(pilot)
            await pilot.press("question_mark")
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=(120, 44), run_before=run_before)

    def test_blind_selection(self, snap_compare, make_app):
        """Blind mode title, and a selection grown by a sentence shown in the panel."""

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await _open_first(pilot)
            await pilot.press("s", "shift+down")
            await pilot.pause()

        assert snap_compare(make_app(blind=True), terminal_size=(140, 30), run_before=run_before)
