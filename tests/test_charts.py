"""Charts: the bars and heat-map cells are the count tables' numbers, the files private and
repeatable, and an empty project is refused in one line rather than drawn empty."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kwali.cli import cli
from kwali.errors import ExportError
from kwali.export import cooccurrence, export, frequencies
from kwali.export.chart_data import bar_data, heat_data
from kwali.export.charts import bar_figure, figure_bytes, heatmap_figure
from kwali.model import Codebook
from kwali.store import Project

from helpers import STUDY_CODEBOOK, build_study


@pytest.fixture
def study(project, nlp, tmp_path):
    return build_study(project, nlp, tmp_path)


@pytest.fixture
def study_file(nlp, tmp_path) -> Path:
    path = tmp_path / "studie.kwali"
    (tmp_path / "texts").mkdir()
    with Project.create(path) as project:
        build_study(project, nlp, tmp_path / "texts")
    return path


def _bars_by_panel(figure) -> dict[str, list[float]]:
    return {ax.get_title(): [p.get_width() for p in ax.patches] for ax in figure.axes}


def test_bar_lengths_are_the_frequencies_per_group(study):
    data = bar_data(study, by="geslacht")
    figure = bar_figure(data)
    table = frequencies(study, by="geslacht")
    leaves = ["dwang", "sanctie", "ontheffing", "gezondheid", "taal"]  # tree order, no categories
    assert [row.key for row in data.bars] == leaves
    drawn = _bars_by_panel(figure)
    assert set(drawn) == {"man", "vrouw"}
    for group, widths in drawn.items():
        expected = [
            int(table[(table["code"] == key) & (table["geslacht"] == group)]["segments"].iloc[0])
            for key in leaves
        ]
        assert widths == expected
    assert drawn["vrouw"] == [2, 1, 0, 1, 0]  # by hand: two dwang spans, one sanctie, one rug
    # the code labels, with the categories as headings between them
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels[:2] == ["Verplichting & handhaving", "Ervaren verplichting"]
    assert "Persoonlijke situatie" in labels and "verplichting" not in labels


def test_bars_count_respondents_and_only_the_chosen_coders(study):
    data = bar_data(study, by="aanpak", count="respondents", coders=["bram"])
    figure = bar_figure(data)
    # bram coded dwang in both interviews and sanctie in the first (Prestatie010)
    assert _bars_by_panel(figure) == {
        "Meedoen010": [1, 0, 0, 0, 0],
        "Prestatie010": [1, 1, 0, 0, 0],
    }


def test_bars_take_the_codebook_colours(study):
    study.set_codebook(
        Codebook(
            STUDY_CODEBOOK.name,
            tuple(
                c if c.key != "sanctie" else type(c)(c.key, c.label, c.parent, colour="#A93226")
                for c in STUDY_CODEBOOK.codes
            ),
        )
    )
    figure = bar_figure(bar_data(study, by="rol"))
    face = figure.axes[0].patches[1].get_facecolor()
    assert tuple(round(v * 255) for v in face[:3]) == (0xA9, 0x32, 0x26)


def test_heatmap_cells_are_the_cooccurrence_counts(study):
    data = heat_data(study)
    figure = heatmap_figure(data)
    table = cooccurrence(study)
    labels = {c.key: " > ".join(p.label for p in study.codebook().path(c.key)) for c in data.codes}
    keys = [c.key for c in data.codes]
    assert keys == ["dwang", "sanctie", "ontheffing", "gezondheid"]  # taal: never coded
    texts = [t.get_text() for t in figure.axes[0].texts]
    expected = []
    for a in keys:
        for b in keys:
            n = int(table.loc[labels[a], labels[b]])
            expected.append(str(n) if n else "")
    assert texts == expected
    assert data.cells[0][1] == 1 and data.cells[2][3] == 1  # dwang+sanctie, ontheffing+rug


def test_empty_project_is_refused_in_one_line(project):
    project.set_codebook(STUDY_CODEBOOK)
    for make in (lambda: bar_data(project, by="document"), lambda: heat_data(project)):
        with pytest.raises(ExportError, match="niets te tekenen") as caught:
            make()
        assert "\n" not in caught.value.one_line()


def test_no_shared_text_is_refused_for_the_heatmap(study):
    with pytest.raises(ExportError, match="geen twee codes op dezelfde tekst"):
        heat_data(study, codes=["dwang", "ontheffing"])


def test_files_are_private_and_the_svg_repeats(study, tmp_path):
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    export(study, "chart", first, by="rol")
    export(study, "chart", second, by="rol")
    assert first.read_bytes() == second.read_bytes()
    assert b"<svg" in first.read_bytes() and b"dc:date" not in first.read_bytes()
    png = tmp_path / "kaart.png"
    result = export(study, "chart", png, kind="heatmap")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result.counts == {"codes": 4}
    for path in (first, png):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    figure = heatmap_figure(heat_data(study))
    assert figure_bytes(figure, "png") == figure_bytes(figure, "png")


def test_too_many_groups_are_refused(study):
    for number in range(3, 12):
        from helpers import add_coded_answer

        add_coded_answer(study, f"r{number}", {"rol": f"rol {number}"})
    with pytest.raises(ExportError, match="hoogstens 8"):
        bar_data(study, by="rol")


def test_cli_writes_a_chart_and_refuses_what_it_cannot_draw(runner, study_file, tmp_path):
    out = tmp_path / "balken.png"
    result = runner.invoke(
        cli, ["export", "chart", "-p", str(study_file), "--by", "aanpak", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "5 codes, 2 groepen" in result.output and out.exists()
    again = runner.invoke(
        cli, ["export", "chart", "-p", str(study_file), "--kind", "heatmap", "-o", str(out)]
    )
    assert again.exit_code == 1 and "bestaat al" in again.output
    pdf = runner.invoke(
        cli, ["export", "chart", "-p", str(study_file), "-o", str(tmp_path / "x.pdf")]
    )
    assert pdf.exit_code == 1 and "png|svg" in pdf.output
    empty = tmp_path / "leeg.kwali"
    Project.create(empty).close()
    refused = runner.invoke(
        cli, ["export", "chart", "-p", str(empty), "-o", str(tmp_path / "e.png")]
    )
    assert refused.exit_code == 1
    assert refused.output.count("\n") == 1 and "niets te tekenen" in refused.output
    assert not (tmp_path / "e.png").exists()


def test_the_report_holds_the_charts_only_when_asked(runner, study_file, tmp_path):
    import docx

    with_charts, without = tmp_path / "met.docx", tmp_path / "zonder.docx"
    for out, extra in ((with_charts, ["--charts"]), (without, [])):
        result = runner.invoke(
            cli,
            ["export", "report", "-p", str(study_file), "--group-by", "aanpak", "-o", str(out)]
            + extra,
        )
        assert result.exit_code == 0, result.output
    document = docx.Document(str(with_charts))
    texts = [p.text for p in document.paragraphs]
    assert "Overzicht in beeld" in texts
    assert "Figuur 1. Gecodeerde fragmenten per code en aanpak" in texts
    # #16: the overview's two, then each chapter with codings its own, in that chapter
    captions = [t for t in texts if t.startswith("Figuur ")]
    assert len(document.inline_shapes) == len(captions) > 2
    assert len(docx.Document(str(without)).inline_shapes) == 0


def test_a_report_without_codings_says_why_it_has_no_charts(project, tmp_path):
    project.set_codebook(STUDY_CODEBOOK)
    result = export(project, "report", tmp_path / "r.docx", charts=True)
    assert any("geen heatmap in het rapport" in w for w in result.warnings)
    assert (tmp_path / "r.docx").exists()


def test_the_heatmap_can_show_the_c_coefficient(study, tmp_path):
    from kwali.analysis.tables import cooccurrence_table

    data = heat_data(study, c=True)
    table = cooccurrence_table(study, consensus_layer=True)
    keys = [c.key for c in data.codes]
    texts = [t.get_text() for t in heatmap_figure(data).axes[0].texts]
    n = len(keys)
    for i, a in enumerate(keys):
        for j, b in enumerate(keys):
            c = table.c_coefficient(a, b)
            if i == j:  # the diagonal keeps the code's own count
                assert texts[i * n + j] == str(table.value(a, a))
            else:
                assert texts[i * n + j] == (f"{c:.2f}".replace(".", ",") if c else "")
    # dwang: 3 spans, sanctie: 1, sharing one: 1 / (3 + 1 - 1)
    assert data.text(keys.index("dwang"), keys.index("sanctie")) == "0,33"
    result = export(study, "chart", tmp_path / "c.svg", kind="heatmap", c=True)
    assert result.path.exists()


def test_number_groups_read_the_dutch_way_in_size_order(study):
    first, second = (study.require_document(str(n)).id for n in (1, 2))
    study.set_attribute(first, "uren", "10")
    study.set_attribute(second, "uren", "3,5")
    study.set_attribute_type("uren", "number")
    figure = bar_figure(bar_data(study, by="uren"))
    assert [ax.get_title() for ax in figure.axes] == ["3,5", "10"]  # 3,5 before 10
