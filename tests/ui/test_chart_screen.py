"""Pilot tests for the chart screen (`b`): bars per group and the heat map show the count
tables' numbers, keys switch chart, attribute and count, blind mode counts only your codings."""

from __future__ import annotations

import html

import pytest
from textual.widgets import DataTable, Static

from kwali.export import cooccurrence, frequencies
from kwali.model import Codebook
from kwali.ui.app import KwaliApp
from kwali.ui.screens.charts import ChartScreen, bar_text

from helpers import STUDY_CODEBOOK, build_study

LEAVES = ["dwang", "sanctie", "ontheffing", "gezondheid", "taal"]


@pytest.fixture
def study(project, nlp, tmp_path):
    return build_study(project, nlp, tmp_path)


async def open_charts(app, pilot) -> ChartScreen:
    await pilot.pause()
    await pilot.press("b")
    await pilot.pause()
    assert isinstance(app.screen, ChartScreen)
    return app.screen


def shown_counts(screen: ChartScreen) -> dict[str, dict[str, int]]:
    """{group: {code key: the number written after its bar}} as the screen shows them."""
    table = screen.query_one("#chart", DataTable)
    groups = [str(column.label) for column in list(table.columns.values())[1:]]
    counts: dict[str, dict[str, int]] = {group: {} for group in groups}
    for row_key in table.rows:
        cells = table.get_row(row_key)
        if not any(str(cell) for cell in cells[1:]):
            continue  # a heading
        for group, cell in zip(groups, cells[1:], strict=True):
            last = str(cell).split()[-1]
            counts[group][str(row_key.value)] = 0 if last == "·" else int(last)
    return counts


def title(screen: ChartScreen) -> str:
    return str(screen.query_one("#chart-title", Static).render())


async def test_bars_show_the_frequencies_of_the_chosen_attribute(study):
    app = KwaliApp(study, "anna")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_charts(app, pilot)
        assert screen.by == "rol" and "per code en rol" in title(screen)
        await pilot.press("a", "a")  # rol -> aanpak -> geslacht
        await pilot.pause()
        assert screen.by == "geslacht"
        table = frequencies(study, by="geslacht")
        expected = {
            group: {
                key: int(
                    table[(table["code"] == key) & (table["geslacht"] == group)]["segments"].iloc[0]
                )
                for key in LEAVES
            }
            for group in ("man", "vrouw")
        }
        assert shown_counts(screen) == expected
        assert expected["vrouw"]["dwang"] == 2  # two spans in interview 1
        await pilot.press("s")  # respondents: the interviews, not the spans
        await pilot.pause()
        assert "respondenten" in title(screen)
        assert shown_counts(screen)["vrouw"]["dwang"] == 1


async def test_the_heat_map_writes_the_cooccurrence_counts(study):
    app = KwaliApp(study, "anna")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_charts(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        table = screen.query_one("#chart", DataTable)
        keys = [str(k.value) for k in table.rows]
        assert keys == ["dwang", "sanctie", "ontheffing", "gezondheid"]  # taal: never coded
        paths = {
            c.key: " > ".join(p.label for p in study.codebook().path(c.key)) for c in STUDY_CODEBOOK
        }
        counts = cooccurrence(study)
        for a in keys:
            cells = table.get_row(a)[1:]
            written = [int(str(c)) if str(c).strip() else 0 for c in cells]
            assert written == [int(counts.loc[paths[a], paths[b]]) for b in keys]
        await pilot.press("v")
        await pilot.pause()
        assert "per code en" in title(screen)


async def test_blind_mode_counts_only_the_coders_own_codings(study):
    app = KwaliApp(study, "bram", blind=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_charts(app, pilot)
        await pilot.press("a")  # aanpak
        await pilot.pause()
        assert "van bram" in title(screen)
        # bram coded dwang in both interviews, sanctie in the first; never gezondheid
        assert shown_counts(screen) == {
            "Prestatie010": {"dwang": 1, "sanctie": 1, "ontheffing": 0, "gezondheid": 0, "taal": 0},
            "Meedoen010": {"dwang": 1, "sanctie": 0, "ontheffing": 0, "gezondheid": 0, "taal": 0},
        }


async def test_nothing_coded_says_so_instead_of_an_empty_chart(project):
    project.set_codebook(Codebook("leeg", STUDY_CODEBOOK.codes))
    app = KwaliApp(project, "anna")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_charts(app, pilot)
        assert screen.query_one("#chart", DataTable).row_count == 0
        note = str(screen.query_one("#chart-note", Static).render())
        assert "Nog niets gecodeerd" in note


async def test_the_labels_are_written_out_at_any_size(study):
    app = KwaliApp(study, "anna")

    def shown() -> str:
        return html.unescape(app.export_screenshot()).replace("\xa0", " ")

    async with app.run_test(size=(80, 24)) as pilot:
        await open_charts(app, pilot)
        await pilot.pause(0.2)
        assert "Ervaren verplichting" in shown() and "Persoonlijke situatie" in shown()
        await pilot.resize_terminal(200, 50)
        await pilot.pause(0.2)
        assert "Ervaren verplichting" in shown() and "Persoonlijke situatie" in shown()


def test_bars_grow_in_eighths_and_never_vanish():
    assert bar_text(0, 10, 8) == ""
    assert bar_text(10, 10, 8) == "█" * 8
    assert bar_text(1, 1000, 8) == "▏"  # a single coding is still visible
    assert bar_text(5, 10, 3) == "█▌"


async def test_c_shows_the_c_coefficients_in_the_heat_map(study):
    app = KwaliApp(study, "anna")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_charts(app, pilot)
        await pilot.press("v", "c")
        await pilot.pause()
        assert "c-coëfficiënt" in title(screen)
        table = screen.query_one("#chart", DataTable)
        keys = [str(k.value) for k in table.rows]
        cell = table.get_row("dwang")[1 + keys.index("sanctie")]
        assert str(cell).strip() == "0,33"  # 1 shared / (3 + 1 - 1)
